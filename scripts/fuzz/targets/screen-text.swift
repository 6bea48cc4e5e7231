// Fuzz target: text from a file on its way to the screen.
//
// The input, read as UTF-8 (invalid bytes become U+FFFD), goes through `Sanitizer.sanitize`,
// `wrap` and `ScreenBuffer.setString`. No control, C1, bidi or invisible format scalar may
// come out (checked against a list kept here, not the sanitiser's own), sanitising twice
// changes nothing, and wrapped lines fit their width.
import TerminalUI

func forbidden(_ s: Unicode.Scalar) -> Bool {
  switch s.value {
  case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200B, 0x200E, 0x200F, 0x2028...0x202E, 0x2060,
    0x2066...0x2069, 0xFEFF:
    return true
  default: return false
  }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let clean = Sanitizer.sanitize(text)
  check(!clean.unicodeScalars.contains(where: forbidden), "sanitize let a control through")
  check(Sanitizer.sanitize(clean) == clean, "sanitize is not idempotent")
  let lines = Sanitizer.sanitize(text, keepNewlines: true)
  check(
    !lines.unicodeScalars.contains { $0 != "\n" && forbidden($0) },
    "sanitize(keepNewlines:) let a control through")
  for width in [1, 3, 9] {
    for line in wrap(text, width: width) {
      check(!line.unicodeScalars.contains(where: forbidden), "wrap let a control through")
      check(line.displayWidth <= max(width, 2), "a wrapped line is wider than \(width)")
    }
  }
  var buffer = ScreenBuffer(size: Size(width: 13, height: 3))
  buffer.setString(2, 1, text)
  buffer.setString(-3, 0, text, maxWidth: 9)
  for y in 0..<3 {
    for x in 0..<13 {
      check(
        !buffer[x, y].text.unicodeScalars.contains(where: forbidden),
        "a cell holds a control scalar")
    }
  }
  return 0
}
