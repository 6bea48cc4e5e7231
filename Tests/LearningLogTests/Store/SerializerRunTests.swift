import Foundation
import Testing

@testable import LearningLog

/// Strings are written a run of plain bytes at a time: the bytes are those of the escaper
/// that looked at every byte alone (kept here as the oracle).
@Suite struct SerializerRunTests {
  static func oracle(_ s: String) -> [UInt8] {
    var out: [UInt8] = [0x22]
    let hex = Array("0123456789abcdef".utf8)
    let u = Array(s.utf8)
    var i = 0
    let n = u.count
    while i < n {
      let b = u[i]
      switch b {
      case 0x22: out += [0x5C, 0x22]
      case 0x5C: out += [0x5C, 0x5C]
      case 0x0A: out += [0x5C, 0x6E]
      case 0x0D: out += [0x5C, 0x72]
      case 0x09: out += [0x5C, 0x74]
      case 0x08: out += [0x5C, 0x62]
      case 0x0C: out += [0x5C, 0x66]
      case 0x00..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]]
      case 0xE2 where i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
        out += [0x5C, 0x75, 0x32, 0x30, 0x32, u[i + 2] == 0xA8 ? 0x38 : 0x39]
        i += 2
      default: out.append(b)
      }
      i += 1
    }
    return out + [0x22]
  }

  static let pieces = [
    "", "a", "plain text", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}",
    "\u{7F}", "\u{2028}", "\u{2029}", "\u{2027}", "\u{20AC}", "é", "検索", "🚀", "\u{E000}",
  ]

  @Test func everyPairAndTripleOfPiecesEncodesAsTheOracle() throws {
    var checked = 0
    for a in Self.pieces {
      for b in Self.pieces {
        for c in Self.pieces {
          let s = a + b + c
          var out: [UInt8] = [0x7B]
          try JSONSerializer.appendString(s, to: &out)
          #expect(Array(out.dropFirst()) == Self.oracle(s), "\(s.debugDescription)")
          checked += 1
        }
      }
    }
    #expect(checked == Self.pieces.count * Self.pieces.count * Self.pieces.count)
  }
}
