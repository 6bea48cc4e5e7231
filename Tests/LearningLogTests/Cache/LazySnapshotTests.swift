import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// A lazy open over `fs`'s log, with the store kept so writes can follow.
private func lazyLoad(_ fs: MemoryFileSystem, _ cache: SnapshotCache) throws -> (
  LogStore, LearningState
) {
  try LearningState.load(path: CacheFixture.logPath, fileSystem: fs, lazy: true, cache: cache)
}

/// Each incident's keys and place as `incident list --json` walks them agree with `full`: the
/// same incidents in creation order, the ordering fields kept and every text empty, and the
/// place reads back the whole incident.
private func expectKeysAgree(_ lazy: LearningState, _ full: LearningState) {
  // The pattern timeline, its time keys read in one walk of the snapshot when many are wanted
  // and by id when few are, is the replayed state's.
  func order(_ t: PatternTimeline) -> [String: [String]] { t.byKey.mapValues { $0.map(\.id) } }
  let keys = Array(full.incidentsByPatternKey.keys)
  #expect(!keys.isEmpty)
  #expect(order(PatternTimeline(lazy)) == order(PatternTimeline(full)))
  for some in [keys, Array(keys.prefix(1)), []] {
    #expect(order(PatternTimeline(lazy, keys: some)) == order(PatternTimeline(full, keys: some)))
  }
  var walked: [(Incident, IncidentPlace?)] = []
  lazy.forEachIncidentKey { walked.append(($0, $1)) }
  #expect(walked.map(\.0.id) == full.incidentList.map(\.id))
  for ((k, place), f) in zip(walked, full.incidentList) {
    #expect(k.occurred == f.occurred && k.createdAt == f.createdAt && k.patterns == f.patterns)
    #expect(k.kind == f.kind && k.severity == f.severity && k.status == f.status)
    #expect(k.title.isEmpty && k.what.isEmpty && k.tags.isEmpty && k.answers.isEmpty)
    #expect(lazy.incident(f.id, at: place) == f, "\(f.id)")
  }
}

/// The two-thread listing walk gives what judging `full`'s incidents one by one gives.
///
/// That is the walk of `incident list` with a filter or `--search`, its halves decoded and
/// judged on two threads: the same incidents kept, in creation order, what happened left
/// empty, each place reading back the whole incident. Returns how many filters kept some
/// incidents but not all.
@discardableResult
private func expectListingAgrees(
  _ lazy: LearningState, _ full: LearningState, sourceLocation: SourceLocation = #_sourceLocation
) -> Int {
  let incidents = full.incidentList
  // Needles from the texts themselves: a word of some incident's what happened and title.
  let words = incidents.flatMap { $0.what.split(separator: " ").prefix(2) }.map(String.init)
  let needles = [words.first, words.dropFirst(words.count / 2).first, "zz-no-such-text"]
    .compactMap { $0 }.map(IncrementalSearch.folded)
  typealias Filter = (
    name: String, text: @Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Bool,
    keep: @Sendable (Incident, Bool, inout [UInt8]) -> Bool,
    oracle: (Incident) -> Bool
  )
  var filters: [Filter] = [
    ("every incident", { _, _ in false }, { _, _, _ in true }, { _ in true }),
    (
      "high severity", { _, _ in false }, { i, _, _ in i.severity == .high },
      { $0.severity == .high }
    ),
  ]
  for needle in needles {
    filters.append(
      (
        "what happened holds \(String(decoding: needle, as: UTF8.self))",
        { what, scratch in IncrementalSearch.bytes(what, contains: needle, scratch: &scratch) },
        { i, matched, _ in matched && i.what.isEmpty },
        { IncrementalSearch.folded($0.what).contains(needle) }
      ))
  }
  var partial = 0
  for f in filters {
    var kept: [(Incident, IncidentPlace?)] = []
    lazy.forEachIncidentHeader(text: f.text, keeping: f.keep) { kept.append(($0, $1)) }
    let expected = incidents.filter(f.oracle)
    #expect(
      kept.map(\.0.id) == expected.map(\.id), "\(f.name)", sourceLocation: sourceLocation)
    for ((h, place), inc) in zip(kept, expected) {
      var bare = inc
      (bare.answers, bare.what) = ([:], "")
      #expect(h == bare, "\(f.name): \(inc.id)", sourceLocation: sourceLocation)
      #expect(lazy.incident(inc.id, at: place) == inc, sourceLocation: sourceLocation)
    }
    if !expected.isEmpty && expected.count < incidents.count { partial += 1 }
  }
  return partial
}

/// The actions' places (one walk of their keys merged with what changed since, as the export
/// writes them) read back `full`'s actions in creation order; returns how many were read from
/// a snapshot record.
@discardableResult
private func expectActionPlacesAgree(
  _ lazy: LearningState, _ full: LearningState, sourceLocation: SourceLocation = #_sourceLocation
) -> Int {
  let placed = lazy.actionRecordsInCreationOrder()
  #expect(placed.compactMap(lazy.action(at:)) == full.actionList, sourceLocation: sourceLocation)
  return placed.filter { $0.record != nil }.count
}

@Test func aLazyOpenEqualsAFullReplayAndDecodesOnlyWhatItReads() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs, extra: 40)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  let full = try CacheFixture.fullState(fs)
  _ = try CacheFixture.load(fs, cache)  // writes the snapshot

  let (_, lazy) = try lazyLoad(fs, cache)
  #expect(cache.lastUse == .hit(tailRecords: 0))
  #expect(lazy.isLazy)
  // Nothing decoded yet: counts, membership and ids come from the index.
  #expect(lazy.incidents.stored.isEmpty && lazy.actions.stored.isEmpty)
  #expect(lazy.incidents.count == full.incidents.count)
  #expect(lazy.actions.count == full.actions.count)
  #expect(Set(lazy.incidents.keys) == Set(full.incidents.keys))
  #expect(lazy.ids(of: .incident) == full.ids(of: .incident))
  #expect(lazy.ids(of: .action) == full.ids(of: .action))
  for id in full.incidents.keys {
    #expect(lazy.incidents.contains(id))
    #expect(lazy.incidents[id] == full.incidents[id])
    #expect(lazy.actions(of: id) == full.actions(of: id))
  }
  // Short ids and prefixes resolve the same through the sorted index; a few rows' short ids
  // searched in the lazy state are the full index's.
  let few = Array(full.ids(of: nil).prefix(ShortIDIndex.fewIDs))
  #expect(ShortIDIndex.shortIDs(few, in: lazy) == ShortIDIndex(full).shortIDs(few))
  for id in full.ids(of: nil) {
    #expect(lazy.shortID(for: id) == full.shortID(for: id), "\(id)")
    for n in [1, 2, 4, 6, id.count] {
      let p = String(id.prefix(n))
      for kind in [nil, full.kind(of: id)] {
        let a = Result { try lazy.resolve(p, kind) }
        let b = Result { try full.resolve(p, kind) }
        #expect((try? a.get()) == (try? b.get()), "\(p) \(String(describing: kind))")
      }
    }
  }
  // The rules that read one incident at a time work on the snapshot as it is.
  for inc in full.incidentList {
    #expect(lazy.reviewStatus(inc) == full.reviewStatus(inc), "\(inc.id)")
  }
  #expect(lazy.incidents.stored.isEmpty, "one incident's review must not decode the others")
  #expect(lazy.today(on: CacheFixture.today) == full.today(on: CacheFixture.today))
  #expect(lazy.todayCount(on: CacheFixture.today) == full.todayCount(on: CacheFixture.today))
  #expect(!lazy.incidents.contains("no-such-id"))
  #expect(lazy.incidents["no-such-id"] == nil)
  #expect(lazy.incidents.stored.isEmpty, "reading must not copy entities into memory")
  // Headers are the incidents without their answers.
  let headers = lazy.incidentHeaders
  #expect(headers.map(\.id) == full.incidentList.map(\.id))
  for (h, f) in zip(headers, full.incidentList) {
    var bare = f
    bare.answers = [:]
    #expect(h == bare)
  }
  #expect(lazy.actionList == full.actionList)
  expectKeysAgree(lazy, full)
  #expect(expectListingAgrees(lazy, full) >= 2, "filters that keep some and leave some")
  expectListingAgrees(full, full)
  #expect(expectActionPlacesAgree(lazy, full) == full.actions.count, "every action from its record")
  #expect(expectActionPlacesAgree(full, full) == 0)
  #expect(
    Exporter.json(lazy, on: CacheFixture.today) == Exporter.json(full, on: CacheFixture.today))
  // Walking everything (the export) gives exactly the replayed state.
  #expect(CacheFixture.fingerprint(lazy) == CacheFixture.fingerprint(full))
  var materialized = lazy
  materialized.materialize()
  #expect(!materialized.isLazy)
  #expect(CacheFixture.fingerprint(materialized) == CacheFixture.fingerprint(full))
}

@Test func writesThroughALazyOpenEqualAFullReplay() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  _ = try CacheFixture.load(fs, cache)
  let full = try CacheFixture.fullState(fs)
  let action = try #require(full.actionList.first { $0.status == .open || $0.status == .doing })
  let incident = try #require(full.incidents[action.incident])
  let doomed = try #require(full.incidentList.last?.id)
  var ctx = CommandContext.seeded(11, today: CacheFixture.today)
  ctx.now = 1_773_100_000_000

  let (store, lazy) = try lazyLoad(fs, cache)
  let ws = Workspace(
    store: store, state: lazy, privateStore: PrivateStore(directory: "/private"))
  ws.store.writerID = "writer-b"
  try ws.perform(.finishAction(action.id), context: ctx)
  try ws.perform(
    .setIncidentField(incident: incident.id, field: "title", value: "Renamed ✓"), context: ctx)
  try ws.perform(
    .review(
      incident: incident.id, template: nil, answers: [ReviewAnswer(key: "gap", value: "tooling")]),
    context: ctx)
  try ws.perform(.delete(doomed), context: ctx)
  let added = try ws.perform(
    .addAction(
      NewAction(incident: incident.id, title: "Alert on drift", owner: "ana", due: "2026-04-01")),
    context: ctx)
  #expect(ws.state.isLazy)
  #expect(ws.state.actions[action.id]?.status == .done)
  #expect(!ws.state.incidents.contains(doomed))
  #expect(ws.state.incidents.count == full.incidents.count - 1)
  #expect(ws.state.actions.count == full.actions.count + 1)
  #expect(ws.state.actions(of: incident.id).last?.id == added.createdID)
  // The same as replaying the whole log, written records included.
  let replayed = try CacheFixture.fullState(fs)
  // Headers merge the snapshot's records with what changed since, in creation order.
  let bare = replayed.incidentList.map { inc -> Incident in
    var h = inc
    h.answers = [:]
    return h
  }
  #expect(ws.state.incidentHeaders == bare)
  #expect(ws.state.incidentHeaders.contains { $0.title == "Renamed ✓" })
  // Actions in creation order: one walk of the snapshot merged with the changed and added.
  #expect(ws.state.actionList == replayed.actionList)
  #expect(ws.state.actionList.contains { $0.id == added.createdID })
  // Keys merge the same way; a changed incident is read from memory, not its old record.
  expectKeysAgree(ws.state, replayed)
  expectListingAgrees(ws.state, replayed)
  // The finished action and the added one are read from memory, the rest from their records.
  #expect(expectActionPlacesAgree(ws.state, replayed) == replayed.actions.count - 2)
  // The export, written from the records' places on two threads, is the replayed state's.
  #expect(
    Exporter.json(ws.state, on: CacheFixture.today)
      == Exporter.json(replayed, on: CacheFixture.today))
  #expect(CacheFixture.fingerprint(ws.state) == CacheFixture.fingerprint(replayed))
  // And a later open (lazy or not) from the snapshot plus the new tail agrees.
  let (_, again) = try lazyLoad(fs, cache)
  #expect(CacheFixture.fingerprint(again) == CacheFixture.fingerprint(replayed))
}

@Test func damageFoundAfterALazyOpenNeverYieldsAWrongEntity() throws {
  let fs = MemoryFileSystem()
  _ = try CacheFixture.makeLog(fs, extra: 60)
  let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
  _ = try CacheFixture.load(fs, cache)
  let full = try CacheFixture.fullState(fs)
  let expected = CacheFixture.fingerprint(full)
  let file = try #require(CacheFixture.snapshotFile(fs))
  let good = try #require(fs.contents(file))
  // The lazy region starts after the magic, the head length, its sum and the head.
  let headLength = good[8..<16].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
  let lazyStart = 24 + headLength
  #expect(lazyStart < good.count)
  var served = 0
  var refused = 0
  var recovered = 0
  let step = max(1, (good.count - lazyStart) / 120)
  for i in stride(from: lazyStart, to: good.count, by: step) {
    var bad = good
    bad[i] ^= 0x04
    fs.setContents(file, bad)
    let (_, s) = try lazyLoad(fs, cache)
    // The head is intact, so the open uses the snapshot; the damage is met on first read,
    // here by the listing walk's two threads.
    if case .hit = cache.lastUse { served += 1 } else { refused += 1 }
    expectListingAgrees(s, full)
    expectActionPlacesAgree(s, full)
    #expect(CacheFixture.fingerprint(s) == expected, "flip at \(i)")
    #expect(s.allAppliedIDs() == full.allAppliedIDs(), "flip at \(i)")
    #expect(s.backing?.failure == nil)
    if s.backing?.recoveredState() != nil { recovered += 1 }
  }
  print(
    "lazy snapshot: \(served) damaged snapshots opened lazily, \(recovered) damages met on read "
      + "and the log replayed, every read right; \(refused) refused at the open")
  #expect(served > 0)
  #expect(recovered == served)
  // An eager open checks every block and rebuilds.
  var bad = good
  bad[good.count - 3] ^= 0x01
  fs.setContents(file, bad)
  _ = try CacheFixture.load(fs, cache)
  #expect(CacheFixture.isRebuilt(cache))
}

@Test func reviewStatusesInBulkEqualOneByOne() throws {
  var st = Stamper(writer: "w", wall: 1_773_000_000_000)
  let records = try DemoData.drafts(today: CacheFixture.today).map { st.stamp($0) }
  let state = LearningState.replay(records)
  let incidents = state.incidentList
  #expect(incidents.count > 3)
  #expect(state.reviewStatuses(of: incidents) == incidents.map { state.reviewStatus($0) })
}
