import Foundation
import TerminalUI
import Testing

/// Compares a screen, text and cell styles, with a golden file; re-records it when
/// `LEARNLOG_RECORD_GOLDEN=1`.
///
/// Golden files live next to the calling test file in `Golden/<name>.txt` (so under
/// `Tests/<Target>/Golden/`). The file holds the screen as ``goldenLines(_:)`` writes it: the rows
/// as text, then a legend of the styles the screen uses and one symbol per cell, so a lost
/// highlight or a wrong colour fails as surely as a wrong word. A missing file fails the test and
/// says how to record it.
public func expectGolden(
  _ buffer: ScreenBuffer, named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  compareGolden(
    goldenLines(buffer), named: name, filePath: filePath, sourceLocation: sourceLocation)
}

/// Compares text lines alone with a golden text file; prefer the ``ScreenBuffer`` form, which
/// also checks styles.
public func expectGolden(
  _ lines: [String], named name: String, filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  compareGolden(normalize(lines), named: name, filePath: filePath, sourceLocation: sourceLocation)
}

/// The separator between a golden file's text rows and its style legend.
public let goldenStylesHeader = "--- styles (. plain) ---"
/// The separator between a golden file's style legend and its cell rows.
public let goldenCellsHeader = "--- cells ---"

/// A screen as a golden file records it.
///
/// The rows as text (trailing spaces and trailing empty rows dropped); then, after
/// ``goldenStylesHeader``, one legend line per style other than plain (`A bold`, `B fg=81 bold`),
/// symbols given in order of first appearance; then, after ``goldenCellsHeader``, one row of
/// symbols per screen row, a symbol per cell (`.` plain; trailing plain cells and rows dropped),
/// aligned under the text in a monospaced view.
public func goldenLines(_ buffer: ScreenBuffer) -> [String] {
  let symbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
  var assigned: [Style: Character] = [.plain: "."]
  var legend: [String] = []
  var cells: [String] = []
  for y in 0..<buffer.size.height {
    var row = ""
    for x in 0..<buffer.size.width {
      let style = buffer[x, y].style
      if let symbol = assigned[style] {
        row.append(symbol)
      } else {
        let index = assigned.count - 1
        let symbol = index < symbols.count ? symbols[index] : "?"
        assigned[style] = symbol
        legend.append("\(symbol) \(describe(style))")
        row.append(symbol)
      }
    }
    while row.last == "." { row.removeLast() }
    cells.append(row)
  }
  while cells.last == "" { cells.removeLast() }
  return normalize(buffer.lines()) + [goldenStylesHeader] + legend + [goldenCellsHeader] + cells
}

/// A style in words: `fg=cyan`, `bg=24`, then its attributes; `plain` when it has none.
public func describe(_ style: Style) -> String {
  var parts: [String] = []
  if style.foreground != .default { parts.append("fg=" + describe(style.foreground)) }
  if style.background != .default { parts.append("bg=" + describe(style.background)) }
  let names: [(TextAttributes, String)] = [
    (.bold, "bold"), (.dim, "dim"), (.reverse, "reverse"), (.underline, "underline"),
  ]
  for (attribute, name) in names where style.attributes.contains(attribute) { parts.append(name) }
  return parts.isEmpty ? "plain" : parts.joined(separator: " ")
}

func describe(_ color: Color) -> String {
  let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
  switch color {
  case .default: return "default"
  case .ansi(let n) where n < 8: return names[Int(n)]
  case .ansi(let n) where n < 16: return "bright-" + names[Int(n) - 8]
  case .ansi(let n): return "ansi\(n)"
  case .indexed(let n): return String(n)
  }
}

func compareGolden(
  _ actual: [String], named name: String, filePath: String, sourceLocation: SourceLocation
) {
  let url = goldenURL(named: name, filePath: filePath)
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
  let expected = String(decoding: data, as: UTF8.self).split(
    separator: "\n", omittingEmptySubsequences: false
  ).map(String.init)
  if normalize(expected) != normalize(actual) {
    let diff = lineDiff(expected: normalize(expected), actual: normalize(actual))
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
