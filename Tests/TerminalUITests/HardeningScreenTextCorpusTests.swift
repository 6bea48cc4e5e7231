import Foundation
import Testing

@testable import TerminalUI

/// The screen-text fuzz seeds and saved findings (`Fuzz/corpus/screen-text/`,
/// `Fuzz/regressions/screen-text/`), checked as `scripts/fuzz/targets/screen-text.swift` does.
@Test func screenTextFuzzInputsStaySafe() throws {
  var root = #filePath
  for _ in 0..<3 { root = (root as NSString).deletingLastPathComponent }
  func forbidden(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200B, 0x200E, 0x200F, 0x2028...0x202E, 0x2060,
      0x2066...0x2069, 0xFEFF:
      return true
    default: return false
    }
  }
  var count = 0
  for kind in ["corpus", "regressions"] {
    let dir = "\(root)/Fuzz/\(kind)/screen-text"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
      let text = String(
        decoding: FileManager.default.contents(atPath: dir + "/" + name) ?? Data(), as: UTF8.self)
      let clean = Sanitizer.sanitize(text)
      #expect(!clean.unicodeScalars.contains(where: forbidden), "\(name)")
      #expect(Sanitizer.sanitize(clean) == clean, "\(name)")
      for line in wrap(text, width: 3) {
        #expect(!line.unicodeScalars.contains(where: forbidden) && line.displayWidth <= 3)
      }
      var buffer = ScreenBuffer(size: Size(width: 13, height: 3))
      buffer.setString(2, 1, text)
      for y in 0..<3 {
        for x in 0..<13 { #expect(!buffer[x, y].text.unicodeScalars.contains(where: forbidden)) }
      }
      count += 1
    }
  }
  #expect(count >= 3, "seed corpus missing under \(root)/Fuzz")
}
