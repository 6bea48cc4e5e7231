import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// A snapshot tied to the content of the prefix it covers survives the log file being replaced
/// by a copy (what `git pull` does): only the new records are read.
@Suite struct SnapshotPullTests {
  /// The log with a snapshot of it, the log's bytes then, and the bytes after `added` more
  /// records were appended (not yet seen by the snapshot).
  static func logAndPull(added: Int) throws -> (MemoryFileSystem, SnapshotCache, [UInt8], [UInt8]) {
    let fs = MemoryFileSystem()
    let store = try CacheFixture.makeLog(fs)
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    _ = try CacheFixture.load(fs, cache)
    let before = try #require(fs.contents(CacheFixture.logPath))
    try store.append { _ in
      (0..<added).map { n in
        RecordDraft(
          type: EventType.incidentCreated, entity: "pulled\(n)",
          body: ["title": .string("pulled \(n)"), "kind": "production", "severity": "low"])
      }
    }
    let after = try #require(fs.contents(CacheFixture.logPath))
    return (fs, cache, before, after)
  }

  /// Replaces the log by a new file (a new inode) holding `bytes`.
  static func replace(_ fs: MemoryFileSystem, with bytes: [UInt8]) throws {
    fs.setContents("/data/incoming", bytes)
    try fs.rename("/data/incoming", to: CacheFixture.logPath)
  }

  @Test(arguments: [1, 100])
  func aCopyWithNewRecordsReadsOnlyTheNewRecords(added: Int) throws {
    let (fs, cache, _, after) = try Self.logAndPull(added: added)
    try Self.replace(fs, with: after)
    let state = try CacheFixture.load(fs, cache)
    #expect(cache.lastLookupHashedPrefix, "a new inode has its prefix hashed")
    #expect(cache.lastUse == .hit(tailRecords: added), "only the new records are decoded")
    #expect(
      CacheFixture.fingerprint(state) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
    #expect(state.incidents["pulled\(added - 1)"] != nil)
    // The snapshot now notes the new file: the next open checks samples only.
    _ = try CacheFixture.load(fs, cache)
    #expect(!cache.lastLookupHashedPrefix)
    #expect(cache.lastUse == .hit(tailRecords: added))
  }

  @Test func aCopyWithRecordsInsertedInTheMiddleReplaysEverything() throws {
    let (fs, cache, before, after) = try Self.logAndPull(added: 3)
    // The appended lines, moved into the middle of the old ones (as a merge may place them).
    let newLines = Array(after[before.count...])
    let lines = before.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
    let middle = lines.count / 2
    var merged: [UInt8] = []
    for (i, line) in lines.enumerated() {
      if i == middle { merged += newLines }
      merged += line
      merged.append(0x0A)
    }
    #expect(merged.count == after.count)
    try Self.replace(fs, with: merged)
    let state = try CacheFixture.load(fs, cache)
    #expect(
      cache.lastUse == .rebuilt(reason: "the log file was replaced by one whose prefix differs"))
    #expect(
      CacheFixture.fingerprint(state) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
    #expect(state.incidents["pulled2"] != nil)
  }

  @Test func aCopyWithTwoLinesSwappedInsideThePrefixIsNotTrusted() throws {
    let (fs, cache, before, _) = try Self.logAndPull(added: 0)
    // Two whole lines swapped: every line still checks, the length is the same, and the
    // change may lie between the sampled blocks; the hash of the whole prefix sees it.
    var lines: [[UInt8]] = before.split(separator: 0x0A, omittingEmptySubsequences: false)
      .dropLast().map { Array($0) }
    let i = lines.count / 2
    lines.swapAt(i, i + 1)
    let swapped: [UInt8] = lines.flatMap { $0 + [0x0A] }
    #expect(swapped.count == before.count && swapped != before)
    try Self.replace(fs, with: swapped)
    let state = try CacheFixture.load(fs, cache)
    #expect(
      cache.lastUse == .rebuilt(reason: "the log file was replaced by one whose prefix differs"))
    #expect(
      CacheFixture.fingerprint(state) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
  }
}

/// A first open checks and decodes each chunk in two halves on two threads.
@Suite struct ParallelColdOpenTests {
  @Test func aColdOpenOfALogOverAMegabyteEqualsAFullReplay() throws {
    let fs = MemoryFileSystem()
    _ = try CacheFixture.makeLog(fs, extra: 6_000)
    let size = try #require(fs.contents(CacheFixture.logPath)).count
    #expect(size > 1 << 20, "large enough to be cut in halves")
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    let state = try CacheFixture.load(fs, cache)
    #expect(cache.lastUse == .rebuilt(reason: "no snapshot"))
    #expect(
      CacheFixture.fingerprint(state) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
    #expect(state.incidents["extra5999"] != nil && state.incidents["extra0"] != nil)
  }

  @Test func theHalvesOfAChunkJoinInFileOrder() throws {
    let fs = MemoryFileSystem()
    _ = try CacheFixture.makeLog(fs, extra: 6_000)
    let bytes = try #require(fs.contents(CacheFixture.logPath))
    let end = try #require(bytes.lastIndex(of: 0x0A)) + 1
    let nl = try #require(bytes.firstIndex(of: 0x0A))
    let header = Array(bytes[0..<nl])
    let parts = bytes.withUnsafeBytes { raw in
      header.withUnsafeBytes { h in ScanSlot.scanInHalves(raw, end: end, first: true, header: h) }
    }
    let whole = bytes.withUnsafeBytes { LogScanner.scan($0, start: 0, lines: 0, end: end) }
    #expect(parts.count == 2, "a chunk over 1 MiB is decoded in two halves")
    #expect(
      parts.flatMap { $0.prepared.records.map { AppliedIDs.unpack($0.idHi, $0.idLo) } }
        == whole.records.map(\.id.rawValue))
    let slot = ScanSlot(offset: 0, header: header)
    slot.parts = parts
    #expect(slot.lines(first: true) == whole.lines)
    #expect(parts.last?.completeEnd == whole.completeEnd)
    #expect(parts.last?.validEnd == whole.validEnd)
    #expect(slot.isClean(first: true) && parts[0].header != nil)
  }
}
