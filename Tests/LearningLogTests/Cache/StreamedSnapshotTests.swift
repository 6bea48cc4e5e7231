import Foundation
import LearningLogTesting
import Testing
import WorkCounting

@testable import LearningLog

/// A snapshot written as it is encoded (its lazy region handed over piece by piece, never held
/// whole) is byte for byte the snapshot encoded in memory.
@Suite struct StreamedSnapshotTests {
  /// The lazy region and head of `state` encoded in memory, and handed over in pieces of
  /// about `spill` bytes; nil for the streamed ones when streaming gave up.
  static func bothWays(_ state: LearningState, spill: Int) throws -> (
    memory: (head: [UInt8], lazy: [UInt8]), streamed: (head: [UInt8], lazy: [UInt8], pieces: Int)?
  ) {
    var w = BinaryWriter(capacity: 1 << 16)
    let lazy = try StateCoding.encode(state, head: &w)
    var collected: [UInt8] = []
    var pieces = 0
    let sink = StateCoding.LazyRegionSink(blockSize: StateCoding.blockSize) { bytes, offset in
      #expect(offset == collected.count, "pieces arrive in order")
      collected.append(contentsOf: bytes)
      pieces += 1
    }
    var h = BinaryWriter(capacity: 1 << 16)
    guard try StateCoding.encode(state, head: &h, sink: sink, spill: spill) else {
      return ((w.bytes, lazy), nil)
    }
    #expect(sink.count == collected.count)
    return ((w.bytes, lazy), (h.bytes, collected, pieces))
  }

  @Test(arguments: [1, 100, 5_000, 70_000, 4 << 20])
  func piecesMakeTheRegionEncodedInMemory(spill: Int) throws {
    let fs = MemoryFileSystem()
    _ = try CacheFixture.makeLog(fs, extra: 1_000)
    let state = try CacheFixture.fullState(fs)
    let (memory, streamed) = try Self.bothWays(state, spill: spill)
    let s = try #require(streamed)
    #expect(s.lazy == memory.lazy)
    // The head holds the block sums and where each section is: the same bytes.
    #expect(s.head == memory.head)
    #expect(memory.lazy.count > StateCoding.blockSize, "several blocks are summed")
    if spill < memory.lazy.count { #expect(s.pieces > 1) }
  }

  /// Orders that miss an entity (they never should) make the streamed encoding give up once a
  /// piece was handed over; the snapshot is then encoded in memory and still opens.
  @Test func ordersMissingAnEntityFallBackToMemory() throws {
    let fs = MemoryFileSystem()
    let store = try CacheFixture.makeLog(fs, extra: 50)
    var state = try CacheFixture.fullState(fs)
    let last = try #require(state.incidentOrder.last)
    state.incidentOrder.removeLast()
    #expect(state.incidents[last] != nil)
    let (memory, streamed) = try Self.bothWays(state, spill: 1)
    #expect(streamed == nil)
    #expect(!memory.lazy.isEmpty)
    // Not handed over yet: it starts the section again, as in memory.
    let (_, whole) = try Self.bothWays(state, spill: 1 << 30)
    #expect(whole?.lazy == memory.lazy)
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    try cache.save(state, of: store)
    let file = try #require(CacheFixture.snapshotFile(fs))
    #expect(fs.contents(file)?.isEmpty == false)
    #expect(!fs.allPaths.contains { $0.hasSuffix(".tmp") }, "no temporary file left")
  }

  /// The file a save writes (streamed) is the file a save of the state encoded ahead writes.
  @Test func savedStreamedIsSavedFromMemory() throws {
    let fs = MemoryFileSystem()
    let store = try CacheFixture.makeLog(fs, extra: 300)
    let state = try CacheFixture.fullState(fs)
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    let counted = try WorkCounter.measure { try cache.save(state, of: store) }
    let file = try #require(CacheFixture.snapshotFile(fs))
    let streamed = try #require(fs.contents(file))
    // Streamed indeed: the region, most of the file, went through the sink.
    #expect(counted["snapshot region streamed"] > streamed.count / 2)
    #expect(!fs.allPaths.contains { $0.hasSuffix(".tmp") }, "no temporary file left")
    try cache.save(state, of: store, encoded: SnapshotCache.encodeState(state))
    let fromMemory = try #require(fs.contents(file))
    #expect(streamed == fromMemory)
    // Where the system makes no unnamed files, the region is encoded in memory: the same.
    fs.supportsUnnamedFiles = false
    let inMemory = try WorkCounter.measure { try cache.save(state, of: store) }
    #expect(inMemory["snapshot region streamed"] == 0)
    #expect(fs.contents(file) == fromMemory)
    fs.supportsUnnamedFiles = true
    // And it opens to the replayed state.
    let loaded = try CacheFixture.load(fs, cache)
    #expect(CacheFixture.fingerprint(loaded) == CacheFixture.fingerprint(state))
  }

  /// A disk that fills at any point of a streamed save, or writes short, leaves the snapshot
  /// that was there (or none) and no temporary file.
  @Test func aFullDiskLeavesTheOldSnapshotAndNoTemporaryFile() throws {
    let fs = MemoryFileSystem()
    let store = try CacheFixture.makeLog(fs, extra: 1_000)
    let state = try CacheFixture.fullState(fs)
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    try cache.save(state, of: store)
    let file = try #require(CacheFixture.snapshotFile(fs))
    let good = try #require(fs.contents(file))
    var failed = 0
    for budget in stride(from: 0, to: good.count * 2 + 10, by: max(1, good.count / 9)) {
      fs.writeBudget = budget
      fs.maxBytesPerWrite = 7_000
      do {
        try cache.save(state, of: store)
      } catch {
        failed += 1
      }
      fs.writeBudget = nil
      fs.maxBytesPerWrite = nil
      #expect(fs.contents(file) == good, "budget \(budget)")
      #expect(!fs.allPaths.contains { $0.hasSuffix(".tmp") }, "budget \(budget)")
    }
    #expect(failed > 3)
  }
}
