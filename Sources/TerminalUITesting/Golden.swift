import Foundation
import TerminalUI
import Testing

/// Compares a screen with a golden text file and re-records it when `LEARNLOG_RECORD_GOLDEN=1`.
///
/// Golden files live next to the calling test file in `Golden/<name>.txt` (so under
/// `Tests/<Target>/Golden/`), one screen row per line, trailing spaces trimmed. A missing file
/// fails the test and says how to record it.
public func expectGolden(
  _ buffer: ScreenBuffer, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  expectGolden(buffer.lines(), named: name, filePath: filePath, sourceLocation: sourceLocation)
}

/// Compares lines with a golden text file (see ``expectGolden(_:named:filePath:sourceLocation:)``).
public func expectGolden(
  _ lines: [String], named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let url = goldenURL(named: name, filePath: filePath)
  let actual = normalize(lines)
  let text = actual.joined(separator: "\n") + "\n"
  if ProcessInfo.processInfo.environment["LEARNLOG_RECORD_GOLDEN"] == "1" {
    do {
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
      Issue.record("could not record golden \(url.path): \(error)", sourceLocation: sourceLocation)
    }
    return
  }
  guard let data = FileManager.default.contents(atPath: url.path) else {
    Issue.record(
      "no golden screen at \(url.path): run with LEARNLOG_RECORD_GOLDEN=1 to record it",
      sourceLocation: sourceLocation)
    return
  }
  let expected = normalize(
    String(decoding: data, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init))
  if expected != actual {
    let diff = lineDiff(expected: expected, actual: actual)
    Issue.record(
      "screen differs from golden \(name) (- golden, + actual; LEARNLOG_RECORD_GOLDEN=1 re-records):\n\(diff)",
      sourceLocation: sourceLocation)
  }
}

/// Where the golden file `name` of the test file at `filePath` lives.
public func goldenURL(named name: String, filePath: String) -> URL {
  URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Golden").appendingPathComponent(name + ".txt")
}
