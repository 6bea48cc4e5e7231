import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// Fixtures for the snapshot cache tests: a realistic log on a memory file system.
enum CacheFixture {
  static let logPath = "/data/log.jsonl"
  static let cacheDir = "/cache/learnlog"
  static let today = Day(year: 2026, month: 3, day: 16) ?? Day(ordinal: 0)

  /// The demo log plus records that exercise held, unknown and unreadable records.
  static func drafts(extra: Int = 0) throws -> [RecordDraft] {
    var d = try DemoData.drafts(today: today)
    d.append(RecordDraft(type: "x.future-type", entity: "f1", body: ["k": "v"]))
    d.append(
      RecordDraft(
        type: EventType.actionStatusSet, entity: "no-such-action", body: ["status": "done"]))
    d.append(RecordDraft(type: EventType.incidentCreated, entity: "bad1", body: ["kind": "other"]))
    for n in 0..<extra {
      d.append(
        RecordDraft(
          type: EventType.incidentCreated, entity: "extra\(n)",
          body: ["title": .string("später ✓ \(n)"), "kind": "production", "severity": "high"]))
    }
    return d
  }

  static func makeLog(_ fs: MemoryFileSystem, extra: Int = 0) throws -> LogStore {
    try fs.makeDirectories("/data", permissions: 0o755)
    let store = try LogStore.create(path: logPath, fileSystem: fs)
    store.writerID = "writer-a"
    store.wallClock = { 1_773_000_000_000 }
    let all = try drafts(extra: extra)
    try store.append { _ in all }
    return store
  }

  /// The state of a full replay of the log, ignoring every cache.
  static func fullState(_ fs: MemoryFileSystem) throws -> LearningState {
    let s = try LogStore.open(path: logPath, fileSystem: fs, readOnly: true)
    return LearningState.replay(s.records)
  }

  /// What must be equal between two states: the export and the problems.
  static func fingerprint(_ s: LearningState) -> String {
    Exporter.json(s, on: today) + "\n" + s.problems.joined(separator: "\n")
  }

  static func load(_ fs: MemoryFileSystem, _ cache: SnapshotCache) throws -> LearningState {
    try LearningState.load(path: logPath, fileSystem: fs, cache: cache).state
  }

  static func snapshotFile(_ fs: MemoryFileSystem) -> String? {
    fs.allPaths.first { $0.hasPrefix(cacheDir + "/") && $0.hasSuffix(".snapshot") }
  }

  static func isRebuilt(_ cache: SnapshotCache) -> Bool {
    if case .rebuilt = cache.lastUse { return true }
    return false
  }
}

@Test func cachedStateEqualsFullReplayAndFollowsTheTail() throws {
  let fs = MemoryFileSystem()
  let store = try CacheFixture.makeLog(fs)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  let expected = CacheFixture.fingerprint(try CacheFixture.fullState(fs))
  #expect(!(try CacheFixture.fullState(fs)).problems.isEmpty)

  let cold = try CacheFixture.load(fs, cache)
  #expect(cache.lastUse == .rebuilt(reason: "no snapshot"))
  #expect(cache.lastSaveSucceeded == true)
  #expect(CacheFixture.fingerprint(cold) == expected)

  let warm = try CacheFixture.load(fs, cache)
  #expect(cache.lastUse == .hit(tailRecords: 0))
  #expect(CacheFixture.fingerprint(warm) == expected)

  // Records appended after the snapshot are read from the log and applied on top.
  try store.append { _ in
    [
      RecordDraft(
        type: EventType.incidentCreated, entity: "tail1",
        body: ["title": "after the snapshot", "kind": "deadline"]),
      RecordDraft(
        type: EventType.incidentFieldSet, entity: "tail1",
        body: ["field": "title", "value": "renamed — ✓"]),
    ]
  }
  let (loadedStore, tail) = try LearningState.load(
    path: CacheFixture.logPath, fileSystem: fs, cache: cache)
  #expect(cache.lastUse == .hit(tailRecords: 2))
  #expect(tail.incidents["tail1"]?.title == "renamed — ✓")
  #expect(
    CacheFixture.fingerprint(tail) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
  // The store still hands out every record, read again on first use.
  #expect(
    loadedStore.records == (try LogStore.open(path: CacheFixture.logPath, fileSystem: fs)).records)
}

@Test func deletingTheCacheGivesTheSameState() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  let first = CacheFixture.fingerprint(try CacheFixture.load(fs, cache))
  let file = try #require(CacheFixture.snapshotFile(fs))
  try fs.remove(file)
  let again = try CacheFixture.load(fs, cache)
  #expect(cache.lastUse == .rebuilt(reason: "no snapshot"))
  #expect(CacheFixture.fingerprint(again) == first)
  #expect(CacheFixture.snapshotFile(fs) == file)
}

@Test func aCorruptedOrTruncatedCacheIsRebuilt() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  let expected = CacheFixture.fingerprint(try CacheFixture.load(fs, cache))
  let file = try #require(CacheFixture.snapshotFile(fs))
  let good = try #require(fs.contents(file))
  var cases: [(String, [UInt8])] = []
  let step = max(1, good.count / 150)
  for i in stride(from: 0, to: good.count, by: step) {
    var bad = good
    bad[i] ^= 0x10
    cases.append(("flip at \(i)", bad))
  }
  for cut in [0, 1, 8, 15, 16, 17, good.count / 2, good.count - 1] {
    cases.append(("cut at \(cut)", Array(good.prefix(cut))))
  }
  cases.append(("trailing bytes", good + [0]))
  var rebuilt = 0
  for (what, bytes) in cases {
    fs.setContents(file, bytes)
    let s = try CacheFixture.load(fs, cache)
    #expect(CacheFixture.isRebuilt(cache), "\(what)")
    #expect(CacheFixture.fingerprint(s) == expected, "\(what)")
    if CacheFixture.isRebuilt(cache) { rebuilt += 1 }
    // The rebuild wrote a good snapshot again.
    _ = try CacheFixture.load(fs, cache)
    #expect(cache.lastUse == .hit(tailRecords: 0), "\(what)")
  }
  print("snapshot cache: \(rebuilt) of \(cases.count) damaged snapshots detected and rebuilt")
  #expect(rebuilt == cases.count)
}

@Test func aStaleCacheIsRebuiltWhenTheLogIsReplaced() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  _ = try CacheFixture.load(fs, cache)
  let original = try #require(fs.contents(CacheFixture.logPath))
  let headerEnd = try #require(original.firstIndex(of: 0x0A)) + 1

  // Another history of the same store (same header): different records, equal or greater
  // length. Built in a scratch log and given the original header.
  func variant(extra: Int, retitle: String) throws -> [UInt8] {
    let other = MemoryFileSystem()
    let s = try CacheFixture.makeLog(other, extra: extra)
    try s.append(
      RecordDraft(
        type: EventType.incidentFieldSet, entity: "extra0",
        body: ["field": "title", "value": .string(retitle)]))
    let bytes = try #require(other.contents(CacheFixture.logPath))
    let otherHeaderEnd = try #require(bytes.firstIndex(of: 0x0A)) + 1
    return Array(original[..<headerEnd]) + Array(bytes[otherHeaderEnd...])
  }
  let longer = try variant(extra: 3, retitle: "longer history")
  #expect(longer.count > original.count)

  // 1. Replaced by rename (a new inode), longer.
  fs.setContents("/data/incoming", longer)
  try fs.rename("/data/incoming", to: CacheFixture.logPath)
  var s = try CacheFixture.load(fs, cache)
  #expect(
    cache.lastUse == .rebuilt(reason: "the log file was replaced by one whose prefix differs"))
  #expect(CacheFixture.fingerprint(s) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
  #expect(s.incidents["extra0"]?.title == "longer history")

  // 2. Rewritten in place (same inode) with a history of exactly the same length whose
  //    last record differs: the sampled last block catches it.
  _ = try CacheFixture.load(fs, cache)
  #expect(cache.lastUse == .hit(tailRecords: 0))
  let same = try variant(extra: 3, retitle: "longer historx")
  #expect(same.count == longer.count && same != longer)
  fs.setContents(CacheFixture.logPath, same)
  s = try CacheFixture.load(fs, cache)
  #expect(cache.lastUse == .rebuilt(reason: "the log's prefix changed"))
  #expect(s.incidents["extra0"]?.title == "longer historx")

  // 3. Rewritten in place, longer, with the covered prefix changed.
  _ = try CacheFixture.load(fs, cache)
  let longest = try variant(extra: 5, retitle: "even longer")
  fs.setContents(CacheFixture.logPath, longest)
  s = try CacheFixture.load(fs, cache)
  #expect(CacheFixture.isRebuilt(cache))
  #expect(CacheFixture.fingerprint(s) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))

  // 4. Replaced by a shorter file.
  fs.setContents(CacheFixture.logPath, original)
  s = try CacheFixture.load(fs, cache)
  #expect(CacheFixture.isRebuilt(cache))
  #expect(CacheFixture.fingerprint(s) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
}

@Test func olderRecordsMergedAfterTheSnapshotReplayEverything() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  _ = try CacheFixture.load(fs, cache)
  // Another writer's record with an old clock arrives at the end of the same file (as a
  // merge of histories can leave it).
  let first = try #require(try CacheFixture.fullState(fs).incidentList.first)
  let old = Record(
    id: EventID(rawValue: UUIDv7.make(milliseconds: 5)),
    clock: HybridTimestamp(wall: 5, logical: 0),
    writer: "writer-b", type: EventType.incidentFieldSet, schema: 1, entity: first.id,
    body: ["field": "team", "value": "merged-team"])
  var bytes = try #require(fs.contents(CacheFixture.logPath))
  bytes += try RecordCodec.encode(old)
  fs.setContents(CacheFixture.logPath, bytes)
  let s = try CacheFixture.load(fs, cache)
  #expect(cache.lastUse == .rebuilt(reason: "records older than the snapshot were merged in"))
  #expect(CacheFixture.fingerprint(s) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
}

@Test func aCrashWhileWritingTheCacheNeverLeavesOneThatIsUsed() throws {
  let modes: [MemoryFileSystem.CrashMode] = [
    .drop, .zeros, .garble(seed: 7), .tear(keeping: 100), .tearThenZeros(keeping: 40),
  ]
  var images = 0
  var hits = 0
  for mode in modes {
    let fs = MemoryFileSystem()
    _ = try CacheFixture.makeLog(fs)
    let expected = CacheFixture.fingerprint(try CacheFixture.fullState(fs))
    var crashed: [MemoryFileSystem] = []
    fs.onSyncPoint = { crashed.append($0.crashImage(mode)) }
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    _ = try CacheFixture.load(fs, cache)
    fs.onSyncPoint = nil
    #expect(cache.lastSaveSucceeded == true)
    crashed.append(fs.crashImage(mode))
    let file = try #require(CacheFixture.snapshotFile(fs))
    let complete = try #require(fs.contents(file))
    #expect(crashed.count >= 3)
    for image in crashed {
      images += 1
      let snapshotBefore = image.contents(file)
      let c = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: image)
      let s = try CacheFixture.load(image, c)
      #expect(CacheFixture.fingerprint(s) == expected)
      if case .hit = c.lastUse {
        hits += 1
        // Only the complete snapshot is ever used.
        #expect(snapshotBefore == complete)
      }
    }
    // After the last sync the snapshot is durable and used.
    let last = try #require(crashed.last)
    let c = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: last)
    _ = try CacheFixture.load(last, c)
    #expect(c.lastUse == .hit(tailRecords: 0))
  }
  print("snapshot cache: \(images) crash images, \(hits) used a snapshot, 0 used a partial one")
  #expect(hits >= modes.count)
}

@Test func theSnapshotHoldsNoPrivateText() throws {
  let fs = MemoryFileSystem()
  let store = try CacheFixture.makeLog(fs)
  var state = LearningState.replay(store.records)
  let secret = "private coaching note 7f3a"
  state.apply(
    Record(
      id: EventID(rawValue: UUIDv7.make(milliseconds: 1_900_000_000_000)),
      clock: HybridTimestamp(wall: 1_900_000_000_000, logical: 0), writer: "writer-a",
      type: EventType.noteAdded, schema: 1, entity: "note1",
      body: ["incident": "x", "text": .string(secret)]))
  #expect(state.notes["note1"] != nil)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  try cache.save(state, of: store)
  let bytes = try #require(CacheFixture.snapshotFile(fs).flatMap { fs.contents($0) })
  let text = String(decoding: bytes, as: UTF8.self)
  #expect(text.contains(secret) == false)
  // Shared text is stored as it is, so the search above could have found the note.
  let title = try #require(state.incidentList.first?.title)
  #expect(text.contains(title))
}

@Test func loadReportsProgress() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs, extra: 70_000 / 1000)
  var phases: [LoadProgress.Phase] = []
  _ = try LearningState.load(
    path: CacheFixture.logPath, fileSystem: fs,
    cache: SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs),
    progress: { p in
      #expect(p.fraction >= 0 && p.fraction <= 1)
      if phases.last != p.phase { phases.append(p.phase) }
    })
  #expect(phases.first == .checkingCache)
  #expect(phases.contains(.reading) && phases.contains(.savingCache))
  #expect(phases.last == .done)
}

@Test func loadingWithoutACacheEqualsReplayForUnsortedAndTornLogs() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs, extra: 5)
  let sorted = try #require(fs.contents(CacheFixture.logPath))
  var lines: [[UInt8]] = sorted.split(separator: 0x0A, omittingEmptySubsequences: false).map {
    Array($0)
  }
  lines.removeLast()  // after the last newline
  func joined(_ l: [[UInt8]]) -> [UInt8] { l.flatMap { $0 + [0x0A] } }
  // Swap two records: the file is no longer in replay order.
  lines.swapAt(3, lines.count - 2)
  var unsorted = joined(lines)
  fs.setContents(CacheFixture.logPath, unsorted)
  var s = try LearningState.load(path: CacheFixture.logPath, fileSystem: fs).state
  #expect(CacheFixture.fingerprint(s) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
  // A torn tail: repaired by the store, state as before.
  unsorted += Array(#"{"id":"019"#.utf8)
  fs.setContents(CacheFixture.logPath, unsorted)
  var notices: [String] = []
  s = try LearningState.load(
    path: CacheFixture.logPath, fileSystem: fs, notice: { notices.append($0) }
  ).state
  #expect(notices.count == 1 && notices[0].hasPrefix("repaired:"))
  #expect(fs.contents(CacheFixture.logPath) == joined(lines))
  #expect(CacheFixture.fingerprint(s) == CacheFixture.fingerprint(try CacheFixture.fullState(fs)))
  // Damage mid-file refuses to open, as the store does.
  var damaged = lines
  damaged[4][damaged[4].count - 3] ^= 0x01
  fs.setContents(CacheFixture.logPath, joined(damaged))
  #expect(throws: StoreError.self) {
    try LearningState.load(path: CacheFixture.logPath, fileSystem: fs)
  }
}
