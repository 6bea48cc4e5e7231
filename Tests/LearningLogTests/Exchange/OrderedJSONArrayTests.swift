import Foundation
import Testing

@testable import LearningLog

/// The array written on both cores is, byte for byte, the array written at once on one thread,
/// whatever the count, the batch size, which elements are left out and how long each is.
@Suite struct OrderedJSONArrayTests {
  /// Element `k`: an object with a short or (every 37th) a 70 KiB text, hostile bytes included.
  static func element(_ k: Int) -> JSONValue {
    let text =
      k % 37 == 5
      ? String(repeating: "long \u{1B}[31m \"quoted\" 日本 ", count: 70_000 / 24) : "e\(k) \u{7F}"
    return ["k": .int(k), "text": .string(text), "list": .array([.int(k), .bool(k % 2 == 0)])]
  }

  /// What the whole array written at once gives for the elements `keep` admits.
  static func oracle(count: Int, indent: Int, keep: (Int) -> Bool) -> [UInt8] {
    var out = JSONText()
    out.value(.array((0..<count).filter(keep).map(element)), indent: indent - 1)
    return out.bytes
  }

  /// The pieces the ordered writer emits.
  static func pieces(
    count: Int, indent: Int, batch: Int, threads: Int,
    keep: @escaping @Sendable (Int) -> Bool
  ) -> (pieces: [[UInt8]], wrote: Bool) {
    var pieces: [[UInt8]] = []
    let wrote = OrderedJSONArray.write(
      count: count, indent: indent, batch: batch, threads: threads,
      { out, k in
        guard keep(k) else { return false }
        out.value(element(k), indent: indent)
        return true
      }
    ) { pieces.append($0.bytes) }
    return (pieces, wrote)
  }

  static let keeps: [(String, @Sendable (Int) -> Bool)] = [
    ("all", { _ in true }), ("none", { _ in false }), ("not the first 70", { $0 >= 70 }),
    ("every third", { $0 % 3 == 0 }), ("only the last", { $0 == 199 }),
  ]

  @Test(
    "the bytes equal the one-thread array for every count, batch, thread count and gap",
    arguments: [0, 1, 63, 64, 65, 129, 200])
  func sameBytes(count: Int) {
    for indent in [1, 2] {
      for batch in [1, 3, 64] {
        for threads in [1, 2] {
          for (name, keep) in Self.keeps {
            let (pieces, wrote) = Self.pieces(
              count: count, indent: indent, batch: batch, threads: threads, keep: keep)
            let expected = Self.oracle(count: count, indent: indent, keep: keep)
            #expect(
              Array(pieces.joined()) == expected,
              "count \(count) indent \(indent) batch \(batch) threads \(threads) keep \(name)")
            #expect(wrote == (0..<count).contains(where: keep))
          }
        }
      }
    }
  }

  @Test("pieces are cut between elements, none much past 64 KiB but for one long element")
  func boundedPieces() {
    let longest =
      (0..<400).map { k -> Int in
        var t = JSONText()
        t.value(Self.element(k), indent: 1)
        return t.bytes.count
      }.max() ?? 0
    for threads in [1, 2] {
      let (pieces, _) = Self.pieces(
        count: 400, indent: 1, batch: 8, threads: threads, keep: { _ in true })
      #expect(pieces.count > 8)
      for p in pieces {
        #expect(p.count <= OrderedJSONArray.pieceBytes + longest + 16, "\(p.count) bytes")
      }
      // Every piece but the first starts at an element (its comma) or at the closing line.
      for p in pieces.dropFirst() {
        #expect(p.first == UInt8(ascii: ",") || p.first == UInt8(ascii: "\n"))
      }
    }
  }
}
