import Foundation
import Testing

@testable import LearningLog

@Suite struct StoreReplayTests {
  static func sample() -> [Record] {
    var rng = SeededGenerator(seed: 3)
    return (0..<60).map { i in
      Record(
        id: EventID(rawValue: UUIDv7.make(milliseconds: Int64(i % 7), using: &rng)),
        clock: HybridTimestamp(wall: Int64(i % 7), logical: Int32(i % 3)),
        writer: ["a", "b", "c"][i % 3], type: "t", schema: 1, entity: "e", body: ["i": .int(i)])
    }
  }

  @Test func anyPermutationReplaysTheSame() {
    let records = Self.sample()
    let expected = LogStore.replayOrder(records)
    #expect(expected.count == records.count)
    var rng = SeededGenerator(seed: 11)
    for _ in 0..<200 {
      #expect(LogStore.replayOrder(records.shuffled(using: &rng)) == expected)
    }
    for (x, y) in zip(expected, expected.dropFirst()) { #expect(Record.replayOrder(x, y)) }
    print("replay: 200 permutations of 60 records, 1 order")
  }

  @Test func duplicatesChangeNothing() {
    let records = Self.sample()
    let expected = LogStore.replayOrder(records)
    var rng = SeededGenerator(seed: 12)
    for _ in 0..<100 {
      let dups = (0..<10).map { _ in records[Int(rng.next() % UInt64(records.count))] }
      #expect(LogStore.replayOrder((records + dups).shuffled(using: &rng)) == expected)
    }
  }

  @Test func storeDeduplicatesAMergedFile() throws {
    // A union merge can bring the same line twice: replay counts it once.
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 5)
    var bytes = try #require(fs.contents(StoreFixture.logPath))
    let bounds = StoreFixture.boundaries(bytes)
    bytes += bytes[bounds[1]..<bounds[3]]
    fs.setContents(StoreFixture.logPath, bytes)
    let merged = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(merged.records.count == 7)
    #expect(merged.sortedForReplay() == store.sortedForReplay())
  }
}
