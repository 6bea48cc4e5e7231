import TerminalUI
import Testing

/// The lines of `buffer` with trailing spaces trimmed and trailing empty lines dropped.
public func trimmedLines(_ buffer: ScreenBuffer) -> [String] {
  var lines = buffer.lines()
  while lines.last == "" { lines.removeLast() }
  return lines
}

/// A readable line-by-line comparison: "  " for equal lines, "-" expected, "+" actual.
public func lineDiff(expected: [String], actual: [String]) -> String {
  var out: [String] = []
  for i in 0..<max(expected.count, actual.count) {
    let e = i < expected.count ? expected[i] : nil
    let a = i < actual.count ? actual[i] : nil
    if e == a {
      out.append("  \(i): \(e ?? "")")
    } else {
      if let e { out.append("- \(i): \(e)") }
      if let a { out.append("+ \(i): \(a)") }
    }
  }
  return out.joined(separator: "\n")
}

/// Expects `actual` lines (trailing spaces and trailing empty lines ignored) to equal `expected`,
/// recording a line diff on failure.
public func expectLines(
  _ actual: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
  let a = normalize(actual)
  let e = normalize(expected)
  if a != e {
    Issue.record(
      "screen differs (- expected, + actual):\n\(lineDiff(expected: e, actual: a))",
      sourceLocation: sourceLocation)
  }
}

/// Expects the lines of `buffer` to equal `expected` (see ``expectLines(_:_:sourceLocation:)``).
public func expectLines(
  _ buffer: ScreenBuffer, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation
) {
  expectLines(buffer.lines(), expected, sourceLocation: sourceLocation)
}

func normalize(_ lines: [String]) -> [String] {
  var result = lines.map { line -> String in
    var l = line
    while l.last == " " { l.removeLast() }
    return l
  }
  while result.last == "" { result.removeLast() }
  return result
}

/// Every scalar in `buffer` that must never reach a terminal (controls, bidi, format), with its
/// position; empty when the buffer is safe to send.
public func unsafeScalars(in buffer: ScreenBuffer) -> [(x: Int, y: Int, scalar: Unicode.Scalar)] {
  var found: [(Int, Int, Unicode.Scalar)] = []
  for y in 0..<buffer.size.height {
    for x in 0..<buffer.size.width {
      for s in buffer[x, y].text.unicodeScalars where Sanitizer.isUnsafe(s) {
        found.append((x, y, s))
      }
    }
  }
  return found
}

/// Renders `draw` into a blank buffer of `width` × `height` and returns the buffer.
public func render(
  width: Int, height: Int, _ draw: (inout ScreenBuffer, Rect) -> Void
) -> ScreenBuffer {
  var buffer = ScreenBuffer(size: Size(width: width, height: height))
  draw(&buffer, buffer.area)
  return buffer
}
