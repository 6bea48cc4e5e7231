import Foundation
import Testing

@testable import LearningLog

/// A large batch (an import) is encoded in two halves on two threads: the same bytes, the
/// same first error, as encoding one record after another.
@Suite struct BatchEncodeTests {
  /// `n` records; those at `emptyWriter` and `longEntity` cannot be encoded (two errors).
  static func records(_ n: Int, emptyWriter: Int = -1, longEntity: Int = -1) -> [Record] {
    (0..<n).map { i in
      Record(
        id: EventID(rawValue: UUIDv7.make(milliseconds: 1_700_000_000_000 + Int64(i))),
        clock: HybridTimestamp(wall: 1_700_000_000_000 + Int64(i), logical: 0),
        writer: i == emptyWriter ? "" : "w1", type: EventType.incidentCreated, schema: 1,
        entity: i == longEntity ? String(repeating: "e", count: 300) : "inc-\(i)",
        body: .object([
          "title": .string("incident \(i) 検索 \"q\" \\ \u{7}"), "what": .string("🚀 \(i)"),
        ]))
    }
  }

  static func oneByOne(_ records: [Record]) throws(StoreError) -> [UInt8] {
    var out: [UInt8] = []
    for r in records { out += try RecordCodec.encode(r) }
    return out
  }

  @Test func halvesGiveTheBytesOfOneByOne() throws {
    for n in [0, 1, LogStore.parallelEncodeRecords - 1, LogStore.parallelEncodeRecords, 10_001] {
      let records = Self.records(n)
      #expect(try LogStore.encodeLines(records) == Self.oneByOne(records), "n = \(n)")
    }
  }

  @Test func theFirstBadRecordIsTheOneReported() {
    let n = 10_000
    for (writer, entity) in [(7, -1), (-1, 9_000), (9_000, 7), (7, 9_000), (n / 2 - 1, n / 2)] {
      let records = Self.records(n, emptyWriter: writer, longEntity: entity)
      var mine: String?
      var theirs: String?
      do { _ = try LogStore.encodeLines(records) } catch { mine = "\(error)" }
      do { _ = try Self.oneByOne(records) } catch { theirs = "\(error)" }
      #expect(mine != nil && mine == theirs, "bad rows \(writer), \(entity)")
    }
  }
}
