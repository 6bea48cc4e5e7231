import Foundation
import Testing

@testable import CursesBackend
@testable import TerminalUI

/// The key decoder's fuzz seeds and saved findings (`Fuzz/corpus/key-decoder/`,
/// `Fuzz/regressions/key-decoder/`), read as the fuzz target reads them and decoded.
@Test func keyDecoderFuzzInputsDecode() throws {
  var root = #filePath
  for _ in 0..<3 { root = (root as NSString).deletingLastPathComponent }
  var count = 0
  for kind in ["corpus", "regressions"] {
    let dir = "\(root)/Fuzz/\(kind)/key-decoder"
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
      let b = [UInt8](FileManager.default.contents(atPath: dir + "/" + name) ?? Data())
      let inputs = RawInput.fromFuzzBytes(b)
      let events = KeyDecoder.decodeAll(inputs)
      #expect(events.count <= inputs.count, "\(kind)/\(name)")
      count += 1
    }
  }
  #expect(count >= 5, "seed corpus missing under \(root)/Fuzz")
}
