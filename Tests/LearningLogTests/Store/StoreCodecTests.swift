import Foundation
import Testing

@testable import LearningLog

@Suite struct StoreCodecTests {
  @Test func crc32cMatchesKnownVectors() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8]()) == 0)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    // Slicing-by-8 agrees with the bytewise loop at every length and alignment.
    let data = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    for start in 0..<9 {
      for end in stride(from: start, through: data.count, by: 7) {
        let slice = Array(data[start..<end])
        var c: UInt32 = 0xFFFF_FFFF
        for b in slice { c = CRC32C.tables[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        #expect(CRC32C.checksum(slice) == ~c)
        #expect(slice.withUnsafeBytes { CRC32C.updateByTable(0, $0) } == ~c)
      }
    }
  }

  /// The CPU's instruction (where it is used) and the tables agree at every length,
  /// alignment and starting value, continued over two pieces too.
  @Test func crc32cInstructionAgreesWithTheTables() {
    let data = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    data.withUnsafeBytes { raw in
      for start in 0..<17 {
        for end in stride(from: start, through: raw.count, by: 13) {
          let piece = UnsafeRawBufferPointer(rebasing: raw[start..<end])
          for seed: UInt32 in [0, 0xFFFF_FFFF, 0x1234_5678] {
            #expect(CRC32C.update(seed, piece) == CRC32C.updateByTable(seed, piece))
          }
          let cut = start + (end - start) / 3
          let first = CRC32C.update(0, UnsafeRawBufferPointer(rebasing: raw[start..<cut]))
          #expect(
            CRC32C.update(first, UnsafeRawBufferPointer(rebasing: raw[cut..<end]))
              == CRC32C.updateByTable(0, piece))
        }
      }
    }
  }

  @Test func uuidv7HasVersionVariantAndTime() {
    let ms: Int64 = 1_700_000_000_123
    let id = UUIDv7.make(milliseconds: ms)
    let bytes = Array(id.utf8)
    #expect(bytes.withUnsafeBytes { UUIDv7.isValidText($0) })
    #expect(bytes[14] == UInt8(ascii: "7"))
    #expect("89ab".utf8.contains(bytes[19]))
    let hex = id.replacingOccurrences(of: "-", with: "").prefix(12)
    #expect(Int64(hex, radix: 16) == ms)
    #expect(Set((0..<1000).map { _ in UUIDv7.make(milliseconds: ms) }).count == 1000)
  }

  @Test func jsonRoundTripsThroughCanonicalForm() throws {
    let value: JSONValue = [
      "z": 1,
      "a": [
        true, false, nil, .double(1.5), .double(-0.001), .double(1e300), -9_223_372_036_854_775_808,
      ],
      "s": "tab\t nl\n quote\" bs\\ nul\u{0} del\u{7F} é 🚀 \u{2028}",
      "o": ["b": [:], "a": []],
    ]
    let text = try JSONSerializer.string(value)
    #expect(text.hasPrefix(#"{"a":[true,false,null,1.5,-0.001,1e+300,-9223372036854775808]"#))
    #expect(text.contains(#"\u0000"#) && text.contains(#"\u2028"#) && text.contains(#"\t"#))
    #expect(try JSONParser.parse(text) == value)
    // The same value always becomes the same bytes.
    #expect(try JSONSerializer.string(try JSONParser.parse(text)) == text)
    // Foundation agrees it is JSON.
    #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
  }

  @Test func parserHandlesEscapesAndSurrogates() throws {
    #expect(try JSONParser.parse(#""\ud83d\ude80 \u00e9 \/ \b\f""#) == "🚀 é / \u{8}\u{c}")
    for bad in [
      #""\ud83d""#, #""\ude80""#, #""\ud83d\u0041""#, #""\x""#, "\"a\u{1}\"", "[1,]", "{\"a\":1,}",
      "01", "1.", "-", "tru", #"{"a":1,"a":2}"#, "[1] x", "\"abc", "1e", "nan",
    ] {
      #expect(throws: JSONParseError.self, "\(bad)") { try JSONParser.parse(bad) }
    }
    #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    #expect(try JSONParser.parse("18446744073709551616") == .double(18_446_744_073_709_551_616))
    #expect(try JSONParser.parse("  -0 ") == .int(0))
  }

  @Test func boundsAreErrorsNotCrashes() throws {
    let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
    #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    let ok = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
    #expect(try JSONParser.parse(ok) != .null)
    let veryDeep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONParseError.self) { try JSONParser.parse(veryDeep) }
    let long = "\"" + String(repeating: "a", count: 256 * 1024 + 1) + "\""
    #expect(throws: JSONParseError.self) { try JSONParser.parse(long) }
    #expect(throws: JSONSerializeError.self) {
      try JSONSerializer.serialize(.string(String(repeating: "a", count: 256 * 1024 + 1)))
    }
    #expect(throws: JSONSerializeError.self) { try JSONSerializer.serialize(.double(.nan)) }
    // A draft over the line bound is refused before anything is written.
    let fs = try StoreFixture.memoryFS()
    let store = try LogStore.create(path: StoreFixture.logPath, fileSystem: fs)
    store.writerID = "w"
    let before = fs.contents(StoreFixture.logPath)
    let huge = JSONValue.object(
      Dictionary(
        uniqueKeysWithValues: (0..<5).map {
          ("k\($0)", .string(String(repeating: "x", count: 250_000)))
        }))
    #expect(throws: StoreError.self) {
      try store.append(RecordDraft(type: "t", entity: "", body: huge))
    }
    #expect(fs.contents(StoreFixture.logPath) == before)
  }

  @Test func recordLinesAreCanonicalAndReadableByJSONTools() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 20)
    let bytes = try #require(fs.contents(StoreFixture.logPath))
    let lines = bytes.split(separator: 0x0A)
    #expect(lines.count == 21)
    for line in lines {
      let obj = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
      #expect(obj?["crc"] is String)
    }
    let reread = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    #expect(reread.records == store.records)
    #expect(reread.header == store.header)
    print("codec: 20 records re-read identically, \(bytes.count) bytes")
  }
}
