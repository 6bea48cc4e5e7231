import Foundation
import Testing

/// The README's screens are the golden screens: each block after a `<!-- screen: NAME -->`
/// marker is the text of `Golden/NAME.txt`, so the README shows what the app draws today.
@Suite struct ReadmeScreensTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  @Test func everyReadmeScreenIsItsGolden() throws {
    let readme = try String(
      contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
    let parts = readme.components(separatedBy: "<!-- screen: ").dropFirst()
    #expect(parts.count >= 3, "the README shows fewer screens than expected")
    for part in parts {
      let name = String(part.prefix { $0 != " " })
      let fence = try #require(part.range(of: "```\n"), "no block after the \(name) marker")
      let body = part[fence.upperBound...]
      let end = try #require(body.range(of: "```"), "an unclosed block for \(name)")
      let shown = body[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        .dropLast().map(String.init)
      let golden = try String(
        contentsOf: Self.root.appendingPathComponent(
          "Tests/LearningLogAppTests/Golden/\(name).txt"), encoding: .utf8)
      let text = golden.components(separatedBy: "\n--- styles").first ?? golden
      var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
        String($0.reversed().drop { $0 == " " }.reversed())
      }
      while lines.last == "" { lines.removeLast() }
      #expect(
        shown == lines,
        "README screen \(name) differs from its golden; copy the golden's text into the README")
    }
  }
}
