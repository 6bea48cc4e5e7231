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
      let inputs = fuzzInputs(b)
      let events = KeyDecoder.decodeAll(inputs)
      #expect(events.count <= inputs.count, "\(kind)/\(name)")
      count += 1
    }
  }
  #expect(count >= 5, "seed corpus missing under \(root)/Fuzz")
}

/// The byte-to-input reading of `scripts/fuzz/targets/key-decoder.swift`.
func fuzzInputs(_ b: [UInt8]) -> [RawInput] {
  var inputs: [RawInput] = []
  var i = 0
  let names = ["kUP5", "kDN5", "kLFT3", "kRIT5", "kHOM5", "kEND3", "kDC5", "kxIN", "kxOUT", "kUP"]
  while i < b.count {
    let op = b[i]
    i += 1
    switch op {
    case 0xF0 where i + 1 < b.count:
      inputs.append(.keyCode(Int32(b[i]) << 8 | Int32(b[i + 1])))
      i += 2
    case 0xF1 where i + 2 < b.count:
      inputs.append(.mouse(x: Int(b[i]) - 8, y: Int(b[i + 1]) - 8, buttons: UInt32(b[i + 2]) << 3))
      i += 3
    case 0xF2 where i + 1 < b.count:
      inputs.append(.resize(Size(width: Int(b[i]), height: Int(b[i + 1]))))
      i += 2
    case 0xF3 where i < b.count:
      inputs.append(.namedKey(names[Int(b[i]) % names.count]))
      i += 1
    case 0xF4 where i + 2 < b.count:
      inputs.append(.character(UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])))
      i += 3
    default:
      inputs.append(.character(UInt32(op)))
    }
  }
  return inputs
}
