import LearningLogTesting
import Testing
import WorkCounting

@testable import LearningLog

/// A lookup by id in a lazily opened snapshot checks the blocks its search reads, not the
/// whole id index: a write at 1M events looks up a few ids in an index of 3.2 MB.
@Suite struct IndexCheckTests {
  @Test func aLookupChecksTheBlocksItsSearchReads() throws {
    let fs = MemoryFileSystem()
    let store = try CacheFixture.makeLog(fs)
    let count = 30_000
    try store.append { _ in
      (0..<count).map { n in
        RecordDraft(
          type: EventType.incidentCreated, entity: "inc\(n)", body: ["title": .string("t\(n)")])
      }
    }
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    _ = try CacheFixture.load(fs, cache)  // writes the snapshot
    let (_, lazy) = try LearningState.load(
      path: CacheFixture.logPath, fileSystem: fs, lazy: true, cache: cache)
    #expect(cache.lastUse == .hit(tailRecords: 0))
    // The index: 32 bytes an entry, 64 KiB blocks.
    let indexBlocks = count * 32 / (64 << 10)
    #expect(indexBlocks >= 14)
    // One lookup: a binary search reads about log2 of the blocks (each block once).
    var found = false
    let one = WorkCounter.measure { found = lazy.incidents.contains("inc12345") }
    #expect(found)
    let checked = one["snapshot blocks checked"]
    #expect(checked > 0 && checked <= 6, "\(checked) of \(indexBlocks) blocks")
    // More lookups check the blocks not checked yet; a block is never checked twice.
    var more: [Bool] = []
    let again = WorkCounter.measure {
      more = ["inc12345", "inc29999", "no-such-id"].map { lazy.incidents.contains($0) }
    }
    #expect(more == [true, true, false])
    #expect(again["snapshot blocks checked"] + checked < indexBlocks)
    // What a lookup reads is the replayed log's.
    let full = try CacheFixture.fullState(fs)
    #expect(lazy.incident("inc777", at: nil)?.title == full.incidents["inc777"]?.title)
    #expect(lazy.shortID(for: "inc777") == full.shortID(for: "inc777"))
  }
}
