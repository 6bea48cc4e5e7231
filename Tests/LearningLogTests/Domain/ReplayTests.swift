import Foundation
import Testing

@testable import LearningLog

/// A small log using every shared event type.
func sampleLog() throws -> Harness {
  var h = Harness()
  h.author = "kim"
  let a = try h.incident(
    "Deploy broke checkout", tags: ["deploy"], patterns: ["deploy/drift"], occurred: "2026-02-01")
  let b = try h.incident(
    "Deploy drift again", tags: ["deploy"], patterns: ["deploy/drift"], occurred: "2026-02-20")
  try h.answer(a, ["root-cause": "copies diverge", "gap": "tooling", "assumption": "synced"])
  try h.answer(a, ["assumption": "synced by the pipeline"])
  let act = try h.action(a, due: "2026-02-10", review: "2026-02-15")
  try h.run(.startAction(act))
  try h.run(.finishAction(act))
  try h.run(.verifyAction(act, outcome: "ineffective", evidence: "came back"))
  let act2 = try h.action(b)
  try h.run(.dropAction(act2, reason: "superseded"))
  try h.run(.setIncidentField(incident: b, field: "severity", value: "critical"))
  try h.run(.setIncidentField(incident: b, field: "tags", value: "deploy; config"))
  let e = try h.make(
    .addExperiment(NewExperiment(incident: b, hypothesis: "h", criteria: "c", check: "2026-03-20")))
  try h.run(.decideExperiment(e, decision: "adapt", result: "partly"))
  let l = try h.make(
    .addLesson(
      NewLesson(
        text: "check what moved", incidents: [a], tags: ["deploy"], revalidate: "2026-04-01")))
  try h.run(.revalidateLesson(l, next: "2026-09-01"))
  try h.run(
    .addTemplate(
      name: "Team Retro", title: "Retro", questions: [Question(key: "root-cause", prompt: "Why?")]))
  try h.run(
    .reviseTemplate(
      name: "team-retro", title: nil,
      questions: [
        Question(key: "root-cause", prompt: "Why, really?"),
        Question(key: "gap", prompt: "Gap?", kind: .choice, choices: ["process", "skill"]),
      ]))
  try h.run(
    .changeTemplate(
      TemplateChange(
        name: "team-retro", set: [Question(key: "signal", prompt: "What signal did we miss?")],
        because: b)))
  try h.answer(b, ["signal": "the drift alarm was muted"], template: "team-retro")
  _ = try h.make(.addFactor(NewFactor(incident: a, text: "no drift check", gap: "tooling")))
  _ = try h.make(.addFactor(NewFactor(incident: a, text: "handover gap", gap: "process")))
  _ = try h.make(
    .addTimelineEntry(
      NewTimelineEntry(
        incident: a, at: "14:05", text: "checkout errors", kind: "detected",
        link: "https://status.example.com/1")))
  _ = try h.make(.addTimelineEntry(NewTimelineEntry(incident: a, at: "13:00", text: "deploy")))
  try h.run(
    .addChecklist(
      NewChecklist(
        name: "Before deploy", items: ["diff the config", "canary"], team: "web", because: a)))
  try h.run(
    .reviseChecklist(name: "before-deploy", add: ["drift alarm on"], remove: [2], because: b))
  let m = try h.make(
    .addAction(
      NewAction(
        incident: b, title: "roll back the deploy", owner: "sam", due: "2026-02-21",
        type: "mitigate", until: "2026-03-01")))
  try h.run(.retireAction(m, decision: "revert", reason: "the fix holds"))
  try h.run(
    .scheduleReview(
      NewReviewSchedule(incident: b, on: "2026-06-02", facilitator: "kim", participants: ["sam"])))
  _ = try h.make(.addWin(NewWin(title: "zero-downtime migration", team: "web", people: ["sam"])))
  let c = try h.incident("to delete")
  try h.run(.delete(c))
  return h
}

@Test func everySharedEventTypeIsExercisedBySample() throws {
  let h = try sampleLog()
  let types = Set(h.records.map(\.type))
  #expect(types == Set(EventType.shared))
  #expect(h.state.problems.isEmpty)
}

@Test func replayEqualsIncrementalApply() throws {
  let h = try sampleLog()
  #expect(canonical(LearningState.replay(h.records)) == canonical(h.state))
}

@Test func anyPermutationGivesTheSameState() throws {
  let h = try sampleLog()
  let expected = canonical(h.state)
  var rng = SeededGenerator(seed: 99)
  let n = ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1" ? 2000 : 60
  for _ in 0..<n {
    #expect(canonical(LearningState.replay(h.records.shuffled(using: &rng))) == expected)
  }
  if n > 60 { print("permutation campaign: \(n) shuffles of \(h.records.count) records") }
}

@Test func duplicatedRecordsChangeNothing() throws {
  let h = try sampleLog()
  let expected = canonical(h.state)
  var rng = SeededGenerator(seed: 5)
  var doubled = h.records + h.records.shuffled(using: &rng).prefix(10)
  doubled.shuffle(using: &rng)
  #expect(canonical(LearningState.replay(doubled)) == expected)
  var s = h.state
  for r in h.records { s.apply(r) }  // applying again is a no-op
  #expect(canonical(s) == expected)
}

@Test func concurrentEditsOfOneFieldResolveToTheLaterRecord() throws {
  var h = Harness()
  let id = try h.incident("shared")
  let base = h.records
  func edit(_ writer: String, _ wall: Int64, _ value: String) -> Record {
    Record(
      id: EventID(rawValue: "\(writer)-\(wall)"), clock: HybridTimestamp(wall: wall, logical: 0),
      writer: writer, type: EventType.incidentFieldSet, schema: 1, entity: id,
      body: ["field": "title", "value": .string(value)])
  }
  let t: Int64 = 1_900_000_000_000
  // Later clock wins whatever the writer.
  let x = edit("zed", t, "from zed"), y = edit("amy", t + 1, "from amy")
  #expect(LearningState.replay(base + [x, y]).incidents[id]?.title == "from amy")
  #expect(LearningState.replay(base + [y, x]).incidents[id]?.title == "from amy")
  // Same clock: the later writer in order wins, on every side of a merge.
  let p = edit("amy", t + 5, "amy same time"), q = edit("zed", t + 5, "zed same time")
  #expect(LearningState.replay(base + [p, q]).incidents[id]?.title == "zed same time")
  #expect(LearningState.replay(base + [q, p]).incidents[id]?.title == "zed same time")
}

@Test func unknownReferencesAreHeldAndReported() throws {
  var h = Harness()
  let stray = Record(
    id: EventID(rawValue: "x-1"), clock: HybridTimestamp(wall: 1, logical: 0), writer: "w",
    type: EventType.reviewAnswered, schema: 1, entity: "nosuchincident",
    body: ["key": "root-cause", "value": "held"])
  let orphanAction = Record(
    id: EventID(rawValue: "x-2"), clock: HybridTimestamp(wall: 2, logical: 0), writer: "w",
    type: EventType.actionCreated, schema: 1, entity: "act000000001",
    body: ["incident": "nosuchincident", "title": "t", "owner": "o"])
  var s = LearningState.replay([stray, orphanAction])
  #expect(s.problems.count == 2)
  #expect(s.problems.joined().contains("nosuchincident"))
  // When the incident appears (e.g. after the other side of a merge), the held answer applies.
  let created = Record(
    id: EventID(rawValue: "x-3"), clock: HybridTimestamp(wall: 3, logical: 0), writer: "w",
    type: EventType.incidentCreated, schema: 1, entity: "nosuchincident",
    body: ["title": "late", "occurred": "2026-01-01"])
  s.apply(created)
  #expect(s.problems.isEmpty)
  #expect(s.incidents["nosuchincident"]?.answer("root-cause") == "held")
  _ = h.state.problems
  h.state.apply(stray)
  #expect(h.state.problems.count == 1)
}

@Test func malformedBodiesAreSkippedWithAProblem() {
  func rec(_ i: Int, _ type: String, _ entity: String, _ body: JSONValue) -> Record {
    Record(
      id: EventID(rawValue: "m-\(i)"), clock: HybridTimestamp(wall: Int64(i), logical: 0),
      writer: "w", type: type, schema: 1, entity: entity, body: body)
  }
  let recs = [
    rec(1, EventType.incidentCreated, "i1", ["what": "no title"]),
    rec(2, EventType.incidentCreated, "i2", ["title": 5]),
    rec(3, EventType.incidentCreated, "i3", ["title": "ok", "kind": "volcano"]),
    rec(4, EventType.incidentCreated, "i4", "not an object"),
    rec(5, EventType.actionCreated, "a1", ["title": "no incident"]),
    rec(6, EventType.templateRevised, "t1", ["questions": [["key": "k"]]]),
    rec(7, EventType.incidentCreated, "i5", ["title": "fine"]),
    rec(8, EventType.incidentFieldSet, "i5", ["field": "severity", "value": "apocalyptic"]),
    rec(9, EventType.actionStatusSet, "i5", [:]),
    rec(10, "future.thing", "", [:]),
  ]
  let s = LearningState.replay(recs)
  #expect(s.incidents.count == 1)
  #expect(s.incidents["i5"]?.severity == .medium)
  #expect(s.problems.count >= 8)
  #expect(s.problems.contains { $0.contains("future.thing") })
}

@Test func deletesAreTombstones() throws {
  var h = Harness()
  let id = try h.incident("gone soon")
  let act = try h.action(id)
  try h.run(.delete(String(id.prefix(8))))
  #expect(h.state.incidents[id] == nil)
  #expect(h.state.actions[act] == nil)
  #expect(h.state.tombstones.contains(id))
  // Later edits to a deleted entity are ignored, not reported.
  h.state.apply(
    Record(
      id: EventID(rawValue: "late"), clock: HybridTimestamp(wall: .max, logical: 0), writer: "w",
      type: EventType.incidentFieldSet, schema: 1, entity: id,
      body: ["field": "title", "value": "x"]))
  #expect(h.state.incidents[id] == nil)
  #expect(h.state.problems.isEmpty)
  do {
    _ = try h.state.resolve(id, .incident)
    Issue.record("expected an error")
  } catch let e as DomainError {
    #expect(e.message.contains("deleted"))
  }
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1"))
func stressReplaySpeed() throws {
  let target =
    Int(ProcessInfo.processInfo.environment["LEARNLOG_STRESS_RECORDS"] ?? "") ?? 1_000_000
  var records: [Record] = []
  records.reserveCapacity(target)
  var wall: Int64 = 1_700_000_000_000
  var n = 0
  func push(_ type: String, _ entity: String, _ body: JSONValue) {
    n += 1
    wall += 1
    records.append(
      Record(
        id: EventID(rawValue: String(format: "0190a1b2-c3d4-7e5f-8a9b-%012d", n)),
        clock: HybridTimestamp(wall: wall, logical: 0), writer: "w\(n % 3)", type: type,
        schema: 1, entity: entity, body: body))
  }
  var i = 0
  while records.count < target {
    let inc = "inc\(i)"
    let act = "act\(i)"
    push(
      EventType.incidentCreated, inc,
      [
        "title": .string("Incident \(i)"), "what": "something happened", "kind": "production",
        "severity": "high", "occurred": "2026-01-15", "team": .string("team\(i % 7)"),
        "owner": "o", "tags": ["a", "b"], "triggers": ["over-confidence"],
        "patterns": .array([.string("p/\(i % 500)")]),
      ])
    push(
      EventType.reviewAnswered, inc,
      ["key": "root-cause", "value": "cause", "template": "diagnostic"])
    push(
      EventType.reviewAnswered, inc, ["key": "gap", "value": "process", "template": "diagnostic"])
    push(
      EventType.reviewAnswered, inc,
      ["key": "assumption", "value": "assumed", "template": "diagnostic"])
    push(
      EventType.actionCreated, act,
      ["incident": .string(inc), "title": "fix", "owner": "o", "due": "2026-02-01", "signal": "s"])
    push(EventType.actionStatusSet, act, ["status": "doing"])
    push(EventType.actionStatusSet, act, ["status": "done"])
    push(EventType.actionVerified, act, ["outcome": "verified", "evidence": "e"])
    push(EventType.incidentFieldSet, inc, ["field": "severity", "value": "critical"])
    push(EventType.incidentFieldSet, inc, ["field": "status", "value": "reviewed"])
    i += 1
  }
  let f0 = clock()
  var touched = 0
  for r in records {
    if case .object(let o) = r.body, o["at"] != nil || o["title"] != nil { touched += 1 }
  }
  print(
    "floor: one body lookup per record: \(Double(clock() - f0) / Double(CLOCKS_PER_SEC)) s CPU (\(touched))"
  )
  var best = Double.infinity
  var bestCPU = Double.infinity
  let rounds = Int(ProcessInfo.processInfo.environment["LEARNLOG_STRESS_ROUNDS"] ?? "") ?? 3
  for _ in 0..<rounds {
    let cpu0 = clock()
    let start = Date()
    let s = LearningState.replay(records)
    let elapsed = Date().timeIntervalSince(start)
    let cpu = Double(clock() - cpu0) / Double(CLOCKS_PER_SEC)
    best = min(best, elapsed)
    bestCPU = min(bestCPU, cpu)
    #expect(s.incidents.count == i)
    #expect(s.problems.isEmpty)
  }
  let state = LearningState.replay(records)
  let on = day("2026-03-01")
  let q0 = Date()
  let queue = state.today(on: on)
  let q1 = Date()
  let stats = state.stats(on: on)
  let q2 = Date()
  let pats = state.patterns(on: on)
  let q3 = Date()
  print(
    "queries on \(i) incidents: today \(queue.count) items in \(String(format: "%.3f", q1.timeIntervalSince(q0))) s, stats in \(String(format: "%.3f", q2.timeIntervalSince(q1))) s, \(pats.count) patterns in \(String(format: "%.3f", q3.timeIntervalSince(q2))) s"
  )
  #expect(stats.incidentCount == i)
  print(
    "replay of \(records.count) records (\(i) incidents): best of \(rounds) \(String(format: "%.3f", best)) s wall, \(String(format: "%.3f", bestCPU)) s CPU"
  )
}
