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
    // One pattern key is read from the snapshot alone, and gives the replayed ids.
    for key in Array(full.incidentsByPatternKey.keys) + ["no/such-key"] {
      #expect(lazy.incidentIDs(withPattern: key) == full.incidentsByPatternKey[key], "\(key)")
    }
    #expect(lazy.deferred.incidentsByPatternKey?.isMade == false, "read key by key")
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
    // An incident made on patterns is added under its keys; its review reads the incidents
    // of those keys (is it a repeat?), each key from the snapshot alone.
    let patterned = try ws.perform(
      .addIncident(NewIncident(title: "On patterns", patterns: ["shared/one", "new/key"])),
      context: ctx)
    let onPatterns = try #require(patterned.createdID)
    let counter = try WorkCounter.measure {
      try ws.perform(
        .review(
          incident: onPatterns, template: nil, answers: [ReviewAnswer(key: "gap", value: "process")]
        ),
        context: ctx)
    }
    #expect(counter["pattern key read from the snapshot"] > 0)
    #expect(ws.state.deferred.incidentsByPatternKey?.isMade == false)
    // After the writes every field is still the replayed log's, the new ids last.
    let replayed = try CacheFixture.fullState(fs)
    #expect(Self.differing(ws.state, replayed).isEmpty)
    #expect(ws.state.incidentOrder.suffix(2) == [made, onPatterns])
    #expect(replayed.incidentsByPatternKey["new/key"] == [onPatterns])
    for key in ["shared/one", "new/key", "area-1/cause"] {
      #expect(ws.state.incidentIDs(withPattern: key) == replayed.incidentsByPatternKey[key])
    }
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

  /// The name of each kind of command.
  ///
  /// The switch has no default: a kind added later fails to compile here until it is named,
  /// and then ``everyKindOfWriteLeavesTheOrdersInTheSnapshot()`` until it is performed there.
  static func kind(_ c: Command) -> String {
    switch c {
    case .addIncident: "addIncident"
    case .setIncidentField: "setIncidentField"
    case .review: "review"
    case .addAction: "addAction"
    case .startAction: "startAction"
    case .finishAction: "finishAction"
    case .moveActionBack: "moveActionBack"
    case .dropAction: "dropAction"
    case .verifyAction: "verifyAction"
    case .addExperiment: "addExperiment"
    case .decideExperiment: "decideExperiment"
    case .addLesson: "addLesson"
    case .revalidateLesson: "revalidateLesson"
    case .addTemplate: "addTemplate"
    case .changeTemplate: "changeTemplate"
    case .addChecklist: "addChecklist"
    case .reviseChecklist: "reviseChecklist"
    case .addFactor: "addFactor"
    case .addTimelineEntry: "addTimelineEntry"
    case .reviseTemplate: "reviseTemplate"
    case .setPatterns: "setPatterns"
    case .delete: "delete"
    case .addNote: "addNote"
    case .addGrowthItem: "addGrowthItem"
    case .retireAction: "retireAction"
    case .scheduleReview: "scheduleReview"
    case .addWin: "addWin"
    }
  }

  static let kinds = [
    "addIncident", "setIncidentField", "review", "addAction", "startAction", "finishAction",
    "moveActionBack", "dropAction", "verifyAction", "addExperiment", "decideExperiment",
    "addLesson", "revalidateLesson", "addTemplate", "changeTemplate", "addChecklist",
    "reviseChecklist", "addFactor", "addTimelineEntry", "reviseTemplate", "setPatterns",
    "delete", "addNote", "addGrowthItem", "retireAction", "scheduleReview", "addWin",
  ]

  /// Every kind of command, written through a lazy open, leaves both creation orders in the
  /// snapshot, as does the pattern index, which only a change of an incident's patterns makes
  /// whole (an incident made on a pattern reads that key alone).
  @Test func everyKindOfWriteLeavesTheOrdersInTheSnapshot() throws {
    let (fs, cache, full) = try Self.fixture()
    let (store, lazy) = try Self.lazyOpen(fs, cache)
    let ws = Workspace(
      store: store, state: lazy,
      privateStore: PrivateStore(directory: "/private", fileSystem: fs))
    var ctx = CommandContext.seeded(9, today: CacheFixture.today)
    ctx.now = 1_773_100_000_000
    let open = full.actionList.filter { $0.status == .open }
    #expect(open.count >= 4)
    let inc = try #require(full.incidentList.first { $0.patterns.isEmpty }).id
    var performed: [String] = []
    func run(_ c: Command, patterns: Bool = false) throws -> String? {
      let made = try ws.perform(c, context: ctx).createdID
      performed.append(Self.kind(c))
      let d = ws.state.deferred
      #expect(d.incidentOrder?.isMade == false, "\(Self.kind(c)) made the incident order")
      #expect(d.actionOrder?.isMade == false, "\(Self.kind(c)) made the action order")
      if !patterns {
        #expect(d.incidentsByPatternKey?.isMade == false, "\(Self.kind(c)) made the index")
      }
      return made
    }
    _ = try run(.addIncident(NewIncident(title: "Plain")))
    let onPattern = try #require(
      try run(.addIncident(NewIncident(title: "On a pattern", patterns: ["review/own"]))))
    _ = try run(
      .review(
        incident: onPattern, template: nil, answers: [ReviewAnswer(key: "gap", value: "process")]))
    _ = try run(.setIncidentField(incident: inc, field: "severity", value: "low"))
    _ = try run(
      .review(incident: inc, template: nil, answers: [ReviewAnswer(key: "gap", value: "tooling")]))
    let mitigation = try #require(
      try run(
        .addAction(
          NewAction(
            incident: inc, title: "Pin it", owner: "ana", due: "2026-04-01", type: "mitigate",
            until: "2026-06-01"))))
    _ = try run(.startAction(open[0].id))
    _ = try run(.moveActionBack(open[0].id))
    _ = try run(.finishAction(open[1].id))
    _ = try run(.verifyAction(open[1].id, outcome: "verified", evidence: "no repeat"))
    _ = try run(.dropAction(open[2].id, reason: "superseded"))
    _ = try run(.retireAction(mitigation, decision: "keep", reason: "it holds"))
    let experiment = try #require(
      try run(
        .addExperiment(
          NewExperiment(incident: inc, hypothesis: "h", criteria: "c", check: "2026-05-01"))))
    _ = try run(.decideExperiment(experiment, decision: "adopt", result: "it worked"))
    let lesson = try #require(try run(.addLesson(NewLesson(text: "Pin configs", incidents: [inc]))))
    _ = try run(.revalidateLesson(lesson, next: "2026-09-01"))
    _ = try run(
      .addTemplate(name: "t-deferred", title: "T", questions: [Question(key: "k", prompt: "What?")])
    )
    _ = try run(
      .changeTemplate(
        TemplateChange(name: "t-deferred", set: [Question(key: "j", prompt: "Why?")], because: inc))
    )
    _ = try run(
      .reviseTemplate(
        name: "t-deferred", title: nil, questions: [Question(key: "k", prompt: "What now?")]))
    _ = try run(.addChecklist(NewChecklist(name: "c-deferred", items: ["a"])))
    _ = try run(.reviseChecklist(name: "c-deferred", add: ["b"], remove: [], because: inc))
    _ = try run(.addFactor(NewFactor(incident: inc, text: "handoff", gap: "process")))
    _ = try run(
      .addTimelineEntry(NewTimelineEntry(incident: inc, at: "2026-03-01T10:00", text: "paged")))
    _ = try run(.scheduleReview(NewReviewSchedule(incident: inc, on: "2026-04-01")))
    _ = try run(.addWin(NewWin(title: "Caught early")))
    _ = try run(.addNote(incident: inc, text: "note"))
    _ = try run(.addGrowthItem(incident: inc, text: "growth"))
    _ = try run(.delete(lesson))
    _ = try run(.setPatterns(incident: inc, keys: ["shared/one"]), patterns: true)
    #expect(Set(performed) == Set(Self.kinds), "perform every kind of command here")
    // And the state after them all is the replayed log's.
    #expect(Self.differing(ws.state, try CacheFixture.fullState(fs)).isEmpty)
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
      for key in ["shared/one", "area-0/cause"] {
        #expect(s.incidentIDs(withPattern: key) == full.incidentsByPatternKey[key], "flip at \(i)")
      }
      #expect(Self.differing(s, full).isEmpty, "flip at \(i)")
    }
    #expect(flipped > 0, "some damaged snapshots were opened lazily")
  }
}
