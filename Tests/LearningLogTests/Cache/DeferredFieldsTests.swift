import Foundation
import LearningLogTesting
import Testing
import WorkCounting

@testable import LearningLog

/// The fields a lazy open leaves in the snapshot (tombstones, the incident and action orders,
/// the pattern index) until first use: a write never makes the large ones, a read gives the
/// replayed log's value, copies never share a change, and damage never gives a wrong value.
@Suite struct DeferredFieldsTests {
  /// A log with patterns on many incidents and two deletions, its snapshot written.
  static func fixture() throws -> (MemoryFileSystem, SnapshotCache, LearningState) {
    let fs = MemoryFileSystem()
    let store = try CacheFixture.makeLog(fs, extra: 30)
    var drafts: [RecordDraft] = []
    for n in 0..<40 {
      drafts.append(
        RecordDraft(
          type: EventType.incidentCreated, entity: "pat\(n)",
          body: [
            "title": .string("on a pattern \(n)"), "kind": "production",
            "patterns": .array([.string("area-\(n % 3)/cause"), "shared/one"]),
          ]))
    }
    drafts.append(RecordDraft(type: EventType.entityDeleted, entity: "extra3", body: [:]))
    drafts.append(RecordDraft(type: EventType.entityDeleted, entity: "pat7", body: [:]))
    try store.append { _ in drafts }
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    _ = try CacheFixture.load(fs, cache)  // writes the snapshot
    let full = try CacheFixture.fullState(fs)
    #expect(full.tombstones.count == 2)
    #expect(full.incidentsByPatternKey["shared/one"]?.count == 39)
    return (fs, cache, full)
  }

  static func lazyOpen(_ fs: MemoryFileSystem, _ cache: SnapshotCache) throws -> (
    LogStore, LearningState
  ) {
    try LearningState.load(path: CacheFixture.logPath, fileSystem: fs, lazy: true, cache: cache)
  }

  /// The four fields of `a` and `b` that differ, by name.
  static func differing(_ a: LearningState, _ b: LearningState) -> [String] {
    var out: [String] = []
    if a.tombstones != b.tombstones { out.append("tombstones") }
    if a.incidentOrder != b.incidentOrder { out.append("incidentOrder") }
    if a.actionOrder != b.actionOrder { out.append("actionOrder") }
    if a.incidentsByPatternKey != b.incidentsByPatternKey { out.append("incidentsByPatternKey") }
    return out
  }

  @Test func aLazyOpenLeavesThemUnmadeAndReadsGiveTheReplayedValues() throws {
    let (fs, cache, full) = try Self.fixture()
    let (_, lazy) = try Self.lazyOpen(fs, cache)
    #expect(cache.lastUse == .hit(tailRecords: 0))
    let all = [
      lazy.deferred.tombstones?.isMade, lazy.deferred.incidentOrder?.isMade,
      lazy.deferred.actionOrder?.isMade, lazy.deferred.incidentsByPatternKey?.isMade,
    ]
    #expect(all == [false, false, false, false], "the open made none of them")
    #expect(Self.differing(lazy, full).isEmpty)
    #expect(lazy.deferred.incidentOrder?.isMade == true)
    // An eager open decodes them with everything else.
    let whole = try CacheFixture.load(fs, cache)
    #expect(whole.deferred.incidentOrder == nil && whole.deferred.tombstones == nil)
    #expect(Self.differing(whole, full).isEmpty)
  }

  @Test func aWriteThroughALazyOpenMakesNeitherOrderNorThePatternIndex() throws {
    let (fs, cache, full) = try Self.fixture()
    let (store, lazy) = try Self.lazyOpen(fs, cache)
    let ws = Workspace(
      store: store, state: lazy, privateStore: PrivateStore(directory: "/private"))
    var ctx = CommandContext.seeded(5, today: CacheFixture.today)
    ctx.now = 1_773_100_000_000
    let action = try #require(full.actionList.first { $0.status == .open })
    try ws.perform(.finishAction(action.id), context: ctx)
    try ws.perform(
      .setIncidentField(incident: action.incident, field: "severity", value: "low"), context: ctx)
    // Writes that make an incident and an action append to the orders without making them.
    let plain = try ws.perform(.addIncident(NewIncident(title: "Made after")), context: ctx)
    let made = try #require(plain.createdID)
    try ws.perform(
      .addAction(NewAction(incident: made, title: "Follow up", owner: "ana", due: "2026-04-01")),
      context: ctx)
    #expect(ws.state.deferred.incidentOrder?.isMade == false)
    #expect(ws.state.deferred.actionOrder?.isMade == false)
    #expect(ws.state.deferred.incidentsByPatternKey?.isMade == false)
    // An incident on a pattern reads the incidents of its keys (is it a repeat?): that write
    // makes the index, as it must.
    let patterned = try ws.perform(
      .addIncident(NewIncident(title: "On patterns", patterns: ["shared/one", "new/key"])),
      context: ctx)
    let onPatterns = try #require(patterned.createdID)
    // After the writes every field is still the replayed log's, the new ids last.
    let replayed = try CacheFixture.fullState(fs)
    #expect(Self.differing(ws.state, replayed).isEmpty)
    #expect(ws.state.incidentOrder.suffix(2) == [made, onPatterns])
    #expect(replayed.incidentsByPatternKey["new/key"] == [onPatterns])
    // A later lazy open applies that tail (both incidents, the action, the patterns) and a
    // write of its own without making any of them.
    let (store2, again) = try Self.lazyOpen(fs, cache)
    let ws2 = Workspace(
      store: store2, state: again, privateStore: PrivateStore(directory: "/private"))
    let other = try #require(full.actionList.last { $0.status == .open && $0.id != action.id })
    try ws2.perform(.finishAction(other.id), context: ctx)
    #expect(ws2.state.deferred.incidentOrder?.isMade == false)
    #expect(ws2.state.deferred.actionOrder?.isMade == false)
    #expect(ws2.state.deferred.incidentsByPatternKey?.isMade == false)
    let after = try CacheFixture.fullState(fs)
    #expect(Self.differing(ws2.state, after).isEmpty)
    // A change to its order makes the order whole.
    var changed = ws2.state
    changed.incidentOrder.removeLast()
    #expect(changed.deferred.incidentOrder == nil)
    #expect(changed.incidentOrder == Array(after.incidentOrder.dropLast()))
  }

  @Test func aChangeInOneCopyNeverReachesAnother() throws {
    let (fs, cache, full) = try Self.fixture()
    let (_, lazy) = try Self.lazyOpen(fs, cache)
    var changed = lazy
    changed.incidentOrder.append("new-incident")
    changed.tombstones.insert("gone")
    changed.incidentsByPatternKey["shared/one", default: []].insert("new-incident")
    changed.actionOrder.removeFirst()
    #expect(changed.deferred.incidentOrder == nil, "a change makes the copy its own")
    #expect(Self.differing(lazy, full).isEmpty, "the copy it came from is unchanged")
    #expect(changed.incidentOrder == full.incidentOrder + ["new-incident"])
    #expect(changed.tombstones == full.tombstones.union(["gone"]))
    #expect(changed.actionOrder == Array(full.actionOrder.dropFirst()))
    #expect(changed.incidentsByPatternKey["shared/one"]?.contains("new-incident") == true)
    // A change to a copy takes a fresh short-id stamp, as any change to the ids does.
    #expect(changed.idStamp != lazy.idStamp)
  }

  @Test func patternAdditionsJoinTheDeferredIndexAndRemovalsMakeItWhole() throws {
    let (fs, cache, full) = try Self.fixture()
    let (_, lazy) = try Self.lazyOpen(fs, cache)
    var a = lazy
    a.indexPatterns("inc-a", old: [], new: ["shared/one", "only/a"])
    var b = a
    b.indexPatterns("inc-b", old: [], new: ["shared/one"])
    #expect(a.deferred.incidentsByPatternKey?.isMade == false, "additions leave the index")
    func expected(_ adds: [(String, String)]) -> [String: Set<String>] {
      var out = full.incidentsByPatternKey
      for (key, id) in adds { out[key, default: []].insert(id) }
      return out
    }
    let forA = expected([("shared/one", "inc-a"), ("only/a", "inc-a")])
    let forB = expected([("shared/one", "inc-a"), ("only/a", "inc-a"), ("shared/one", "inc-b")])
    // Reads in turn from copies with other additions each give their own.
    for _ in 0..<2 {
      #expect(a.incidentsByPatternKey == forA)
      #expect(b.incidentsByPatternKey == forB)
      #expect(lazy.incidentsByPatternKey == full.incidentsByPatternKey)
    }
    // A removal makes the index whole first; an incident of the snapshot loses its key.
    let old = try #require(full.incidentsByPatternKey["shared/one"]?.first)
    b.indexPatterns(old, old: ["shared/one"], new: [])
    #expect(b.deferred.incidentsByPatternKey == nil)
    var whole = forB
    whole["shared/one"]?.remove(old)
    #expect(b.incidentsByPatternKey == whole)
    #expect(a.incidentsByPatternKey == forA, "the copy is unchanged")
  }

  @Test func aWholeReadJoinsOnceForEachSetOfAdditions() throws {
    let (fs, cache, full) = try Self.fixture()
    let (_, lazy) = try Self.lazyOpen(fs, cache)
    var a = lazy
    a.appendToIncidentOrder("inc-a")
    a.appendToActionOrder("act-a")
    a.indexPatterns("inc-a", old: [], new: ["only/a"])
    // Reading every whole field many times joins each once (a loop over a whole read stays
    // linear); nothing is joined when nothing was added.
    let reads = WorkCounter.measure {
      for _ in 0..<5 {
        #expect(a.incidentOrder == full.incidentOrder + ["inc-a"])
        #expect(a.actionOrder == full.actionOrder + ["act-a"])
        #expect(a.incidentsByPatternKey["only/a"] == ["inc-a"])
        #expect(lazy.incidentOrder == full.incidentOrder)
      }
    }
    #expect(reads["deferred field joined"] == 3)
    // A copy that adds again gets its own join; the first copy's value is still its own.
    var b = a
    b.appendToIncidentOrder("inc-b")
    let again = WorkCounter.measure {
      #expect(b.incidentOrder == full.incidentOrder + ["inc-a", "inc-b"])
      #expect(a.incidentOrder == full.incidentOrder + ["inc-a"])
    }
    #expect(again["deferred field joined"] == 2)
  }

  @Test func damageToTheirBytesGivesTheReplayedValues() throws {
    let (fs, cache, full) = try Self.fixture()
    let file = try #require(CacheFixture.snapshotFile(fs))
    let good = try #require(fs.contents(file))
    let (_, probe) = try Self.lazyOpen(fs, cache)
    let backing = try #require(probe.backing)
    let fields = probe.deferred.places
    #expect(fields.count == 4)
    #expect(fields.allSatisfy { $0.length > 0 })
    let start = try #require(fields.map(\.offset).min())
    let end = try #require(fields.map { $0.offset + $0.length }.max())
    #expect(end <= backing.size)
    // The backing's offsets are the file's less its first bytes (magic, ties): find them.
    let shift = good.count - backing.size
    var flipped = 0
    let step = max(1, (end - start) / 40)
    for i in stride(from: start, to: end, by: step) {
      var bad = good
      bad[shift + i] ^= 0x10
      fs.setContents(file, bad)
      let (_, s) = try Self.lazyOpen(fs, cache)
      guard case .hit = cache.lastUse else { continue }
      flipped += 1
      #expect(Self.differing(s, full).isEmpty, "flip at \(i)")
    }
    #expect(flipped > 0, "some damaged snapshots were opened lazily")
  }
}
