import Foundation
import Testing

/// The command line's manners, as a newcomer meets them.
@Suite("command line: a newcomer's first hour")
struct CLINewcomerTests {
  @Test func showPrintsMultiLineTextAsIndentedLines() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let id = try cli.ok([
      "incident", "add", "--title", "Two lines", "--what", "first line\nsecond line",
    ])
    try cli.ok(["review", id, "--answer", "root-cause=cause one\ncause two"])
    try cli.ok(["lesson", "add", "--incident", id, "--text", "lesson one\nlesson two"])
    let shown = try cli.ok(["incident", "show", id])
    #expect(!shown.contains("^J"), "line breaks printed as ^J:\n\(shown)")
    let lines = shown.split(separator: "\n").map(String.init)
    for text in ["second line", "cause two", "lesson two"] {
      let line = try #require(lines.first { $0.contains(text) }, "no line with \(text):\n\(shown)")
      #expect(line.hasPrefix("    "), "\(text) is not indented under its heading: \(line)")
      #expect(line.trimmingCharacters(in: .whitespaces) == text)
    }
  }
}
