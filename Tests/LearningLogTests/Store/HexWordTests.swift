import Testing

@testable import LearningLog

/// Eight hex digits read at once (`HexWord`) read as one digit at a time does.
@Suite struct HexWordTests {
  /// The digits of `bytes` one at a time: lowercase `0-9a-f` only.
  static func reference(_ bytes: [UInt8]) -> UInt64? {
    var v: UInt64 = 0
    for b in bytes {
      switch b {
      case 0x30...0x39: v = v << 4 | UInt64(b - 0x30)
      case 0x61...0x66: v = v << 4 | UInt64(b - 0x61 + 10)
      default: return nil
      }
    }
    return v
  }

  static func word(_ bytes: [UInt8]) -> UInt64 {
    bytes.withUnsafeBytes { raw in raw.baseAddress.map { HexWord.load($0, 0) } ?? 0 }
  }

  @Test func everyByteInEveryPlaceReadsAsOneDigitAtATime() {
    let base = Array("0123abcd".utf8)
    for place in 0..<8 {
      for b in 0...255 {
        var bytes = base
        bytes[place] = UInt8(b)
        #expect(HexWord.value(Self.word(bytes)).map(UInt64.init) == Self.reference(bytes))
      }
    }
  }

  @Test func randomDigitsReadAsOneDigitAtATime() {
    var rng = PreparedRecordTests.Seeded(state: 9)
    let digits = Array("0123456789abcdef".utf8)
    for _ in 0..<20_000 {
      let bytes = (0..<8).map { _ in digits[Int(rng.next() % 16)] }
      #expect(HexWord.value(Self.word(bytes)).map(UInt64.init) == Self.reference(bytes))
    }
    #expect(HexWord.value(Self.word(Array("ffffffff".utf8))) == 0xFFFF_FFFF)
    #expect(HexWord.value(Self.word(Array("00000001".utf8))) == 1)
    #expect(HexWord.value(Self.word(Array("8000000A".utf8))) == nil, "upper case is no digit")
  }

  @Test func packedIdsEqualTheirDigitsAndRefuseAnyOtherByte() throws {
    var rng = PreparedRecordTests.Seeded(state: 10)
    for n in 0..<2_000 {
      let id = UUIDv7.make(milliseconds: Int64(1_700_000_000_000 + n), using: &rng)
      let text = Array(id.utf8)
      let digits = text.filter { $0 != 0x2D }
      let (hi, lo) = try #require(AppliedIDs.pack(id))
      #expect(hi == Self.reference(Array(digits[0..<16])))
      #expect(lo == Self.reference(Array(digits[16..<32])))
      #expect(AppliedIDs.unpack(hi, lo) == id)
      // Any byte changed to one that is not a lowercase digit (or a dash moved) is refused.
      var bad = text
      let place = Int(rng.next() % 36)
      bad[place] = [0x47, 0x41, 0x2D, 0x20, 0xC3, 0x67][Int(rng.next() % 6)]
      if bad[place] == text[place] { continue }
      let packed = bad.withUnsafeBytes { AppliedIDs.pack($0) }
      #expect(packed == nil, "\(String(decoding: bad, as: UTF8.self))")
    }
  }
}
