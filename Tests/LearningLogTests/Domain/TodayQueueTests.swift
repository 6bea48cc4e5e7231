import Foundation
import Testing

@testable import LearningLog

// The carry-over queue, the review checks and the pattern summaries, compared on generated
// logs with straightforward reference implementations written from the rules: every pair of
// incidents compared, nothing indexed, nothing sorted ahead.

/// A small deterministic generator over the library's seeded one.
private struct Seeded {
  var base: SeededGenerator
  init(state: UInt64) { base = SeededGenerator(seed: state) }
  mutating func next() -> UInt64 { base.next() }
  mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
  mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
}

/// A log of `incidents` incidents with actions, answers, experiments, lessons, pattern
/// changes and deletions, shaped to hit the rules' edges: equal days and creation times,
/// several or repeated pattern keys, blank answers, dropped and unowned actions.
private func generatedLog(seed: UInt64, incidents count: Int) -> [Record] {
  var rng = Seeded(state: seed)
  var records: [Record] = []
  var wall: Int64 = day("2025-06-01").utcMilliseconds
  var n = 0
  func push(_ type: String, _ entity: String, _ body: [String: JSONValue]) {
    n += 1
    // Some records share a wall clock (then the logical counter orders them).
    if rng.chance(80) { wall += Int64(1 + rng.int(3_600_000)) }
    records.append(
      Record(
        id: EventID(rawValue: String(format: "gen-%08d", n)),
        clock: HybridTimestamp(wall: wall, logical: Int32(n % 7)), writer: "w\(rng.int(3))",
        type: type, schema: 1, entity: entity, body: .object(body)))
  }
  func dayText(_ offset: Int) -> JSONValue {
    .string(day("2025-06-01").adding(days: offset).description)
  }
  let keys = ["deploy/drift", "cfg/secret", "net/dns", "db/lock", "q/backlog", "x"]
  let answers = ["cause", " a cause ", "", "   ", "\t\n", "\u{00A0}", "\u{2003}x", "x\u{3000}"]
  var incidentIDs: [String] = []
  var actionIDs: [String] = []
  for i in 0..<count {
    let id = String(format: "inc%05d", i)
    incidentIDs.append(id)
    var patterns: [JSONValue] = []
    switch rng.int(20) {
    case 0..<6: break
    case 6..<16: patterns = [.string(rng.pick(keys))]
    case 16..<19: patterns = [.string(rng.pick(keys)), .string(rng.pick(keys))]
    default:
      let k = rng.pick(keys)
      patterns = [.string(k), .string(k)]
    }
    var body: [String: JSONValue] = [
      "title": .string("Incident \(i)"), "kind": "production",
      "occurred": dayText(rng.int(200)), "patterns": .array(patterns),
      "status": .string(rng.pick(["open", "open", "reviewing", "reviewed", "closed"])),
    ]
    // Equal creation times, so ties fall to the id.
    if rng.chance(30) { body["at"] = .int(Int(day("2025-06-01").utcMilliseconds) + rng.int(4)) }
    push(EventType.incidentCreated, id, body)
    if rng.chance(70) {
      push(
        EventType.reviewAnswered, id,
        ["key": "root-cause", "value": .string(rng.pick(answers)), "template": "diagnostic"])
    }
    if rng.chance(70) {
      push(
        EventType.reviewAnswered, id,
        [
          "key": "gap", "value": .string(rng.pick(["process", "skill", "tooling", "nope", ""])),
          "template": "diagnostic",
        ])
    }
    if rng.chance(40) {
      push(
        EventType.reviewAnswered, id,
        ["key": .string(ReviewTemplate.whyFixFailedKey), "value": .string(rng.pick(answers))])
    }
    for _ in 0..<rng.int(3) {
      let aid = String(format: "act%05d", actionIDs.count)
      actionIDs.append(aid)
      // Now and then an action of an incident that does not exist.
      let target = rng.chance(3) ? "missing-\(i)" : id
      var a: [String: JSONValue] = [
        "incident": .string(target), "title": .string("Fix \(aid)"),
        "owner": .string(rng.chance(80) ? rng.pick(["kim", "ola", "dara"]) : ""),
        "signal": "fewer pages",
      ]
      if rng.chance(80) { a["due"] = dayText(rng.int(260)) }
      if rng.chance(60) { a["review"] = dayText(rng.int(300)) }
      push(EventType.actionCreated, aid, a)
      switch rng.int(5) {
      case 0: push(EventType.actionStatusSet, aid, ["status": "doing"])
      case 1: push(EventType.actionStatusSet, aid, ["status": "dropped", "reason": "moot"])
      case 2, 3:
        push(EventType.actionStatusSet, aid, ["status": "done"])
        for _ in 0..<rng.int(3) {
          push(
            EventType.actionVerified, aid,
            [
              "outcome": .string(rng.pick(["verified", "ineffective", "unknown"])),
              "evidence": "seen",
            ])
        }
      default: break
      }
    }
  }
  // Later edits: pattern keys changed, incidents closed, some incidents and actions deleted.
  for _ in 0..<(count / 10) {
    let id = rng.pick(incidentIDs)
    let new: [JSONValue] = rng.chance(30) ? [] : [.string(rng.pick(keys))]
    push(EventType.incidentFieldSet, id, ["field": "patterns", "value": .array(new)])
  }
  for _ in 0..<(count / 20) {
    push(EventType.incidentFieldSet, rng.pick(incidentIDs), ["field": "status", "value": "closed"])
  }
  for _ in 0..<(count / 25) { push(EventType.entityDeleted, rng.pick(incidentIDs), [:]) }
  for _ in 0..<(count / 25) where !actionIDs.isEmpty {
    push(EventType.entityDeleted, rng.pick(actionIDs), [:])
  }
  for e in 0..<(count / 15) {
    var body: [String: JSONValue] = [
      "hypothesis": .string("Hypothesis \(e)"), "criteria": "fewer repeats",
    ]
    if rng.chance(50) { body["pattern"] = .string(rng.pick(keys)) }
    if rng.chance(40) { body["incident"] = .string(rng.pick(incidentIDs)) }
    if rng.chance(80) { body["check"] = dayText(rng.int(300)) }
    let eid = String(format: "exp%04d", e)
    push(EventType.experimentCreated, eid, body)
    if rng.chance(25) {
      push(EventType.experimentDecided, eid, ["decision": "adopt", "result": "worked"])
    }
  }
  for l in 0..<(count / 10) {
    var body: [String: JSONValue] = ["text": .string("Lesson \(l)")]
    if rng.chance(70) { body["revalidate"] = dayText(rng.int(300)) }
    push(EventType.lessonCreated, String(format: "les%04d", l), body)
  }
  return records
}

/// Whether `a` happened before `b`: by occurred day, then creation time, then id.
private func before(_ a: Incident, _ b: Incident) -> Bool {
  (a.occurred.ordinal, a.createdAt, a.id) < (b.occurred.ordinal, b.createdAt, b.id)
}

/// What the rules say of one incident, found by comparing it with every other incident.
private struct ReferenceReview {
  var missing: [String]
  var isRepeat: Bool
  var earlierActions: [String]
}

private func referenceReview(_ s: LearningState, _ x: Incident) -> ReferenceReview {
  let policy = s.policy
  let all = s.incidentList
  func answered(_ key: String) -> Bool {
    !(x.answer(key) ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
  }
  // Earlier incidents sharing a pattern within the window.
  let earlier = all.filter { y in
    y.id != x.id && before(y, x) && x.occurred.ordinal - y.occurred.ordinal < policy.windowDays
      && y.patterns.contains { x.patterns.contains($0) }
  }
  let isRepeat = earlier.count >= max(1, policy.repeatThreshold - 1)
  var missing: [String] = []
  if !answered("root-cause") { missing.append("root cause") }
  let gap = x.answer("gap") ?? ""
  if GapType(rawValue: gap) == nil && gap != "private" { missing.append("gap type") }
  if !s.actions(of: x.id).contains(where: {
    $0.status != .dropped && !$0.owner.isEmpty && $0.due != nil
  }) {
    missing.append("action")
  }
  if isRepeat && !answered(ReviewTemplate.whyFixFailedKey) { missing.append("repeat") }
  for p in x.patterns {
    let carriers = all.filter { $0.patterns.contains(p) }
    let experiment = s.experimentList.contains { e in
      e.pattern == p || carriers.contains { $0.id == e.incident }
    }
    let inWindow = carriers.filter { y in
      before(y, x) && x.occurred.ordinal - y.occurred.ordinal < policy.windowDays
    }
    if !experiment && 1 + inWindow.count >= policy.escalateThreshold {
      missing.append("experiment")
    }
  }
  return ReferenceReview(
    missing: missing, isRepeat: isRepeat,
    earlierActions: isRepeat
      ? earlier.sorted(by: before).flatMap { s.actions(of: $0.id).map(\.id) } : [])
}

/// A pattern's figures, from every incident that carries its key.
private struct ReferencePattern: Equatable {
  var key: String
  var count: Int
  var inWindow: Int
  var ineffective: Int
  var firstSeen: Day
  var lastSeen: Day
  var step: EscalationStep
  var incidents: [String]
  var hasExperiment: Bool
}

private func referencePatterns(_ s: LearningState, on d: Day) -> [ReferencePattern] {
  let policy = s.policy
  let start = d.adding(days: -(policy.windowDays - 1))
  let all = s.incidentList
  var out: [ReferencePattern] = []
  for key in Set(all.flatMap(\.patterns)) {
    let carriers = all.filter { $0.patterns.contains(key) }.sorted(by: before)
    guard let first = carriers.first, let last = carriers.last else { continue }
    let inWindow = carriers.filter { $0.occurred >= start && $0.occurred <= d }.count
    var ineffective = 0
    for inc in carriers {
      for a in s.actions(of: inc.id) {
        for v in a.verifications where v.outcome == .ineffective {
          let vd = Day(utcMilliseconds: v.at)
          if vd >= start && vd <= d { ineffective += 1 }
        }
      }
    }
    let weight = inWindow + ineffective
    out.append(
      ReferencePattern(
        key: key, count: carriers.count, inWindow: inWindow, ineffective: ineffective,
        firstSeen: first.occurred, lastSeen: last.occurred,
        step: weight >= policy.escalateThreshold
          ? .escalated : weight >= policy.repeatThreshold ? .repeated : .logged,
        incidents: carriers.map(\.id),
        hasExperiment: s.experimentList.contains { e in
          e.pattern == key || carriers.contains { $0.id == e.incident }
        }))
  }
  return out.sorted { ($1.inWindow, $0.key) < ($0.inWindow, $1.key) }
}

/// The carry-over queue as the rules state it, item by item.
private func referenceToday(_ s: LearningState, on d: Day) -> [TodayItem] {
  var items: [TodayItem] = []
  for a in s.actionList {
    if a.status == .open || a.status == .doing, let due = a.due, due < d {
      items.append(
        TodayItem(
          kind: .overdueAction, subject: a.id, title: a.title, day: due,
          detail:
            "owner \(a.owner.isEmpty ? "unassigned" : a.owner), \(due.days(to: d)) "
            + (due.days(to: d) == 1 ? "day" : "days") + " overdue"
        ))
    }
  }
  for inc in s.incidentList where inc.status != .closed {
    let r = referenceReview(s, inc)
    if !r.missing.isEmpty {
      let limit = s.policy.reviewDueDays.days(inc.severity)
      let due = inc.occurred.adding(days: limit)
      var note =
        due < d
        ? "; \(counted(due.days(to: d), "day")) overdue (\(inc.severity.rawValue): \(limit) days)"
        : "; due \(due) (\(inc.severity.rawValue): \(limit) days)"
      if let c = s.reviewSchedules[inc.id] {
        note += "; scheduled \(c.on)"
      } else if inc.severity == .high || inc.severity == .critical {
        note += "; schedule a reflection"
      }
      items.append(
        TodayItem(
          kind: .reviewIncomplete, subject: inc.id, title: inc.title, day: due,
          detail: "missing " + r.missing.joined(separator: ", ") + note))
    }
  }
  for a in s.actionList {
    let overdue = (a.status == .open || a.status == .doing) && (a.due.map { $0 < d } ?? false)
    if !overdue, a.status == .done, a.outcome != .verified, let r = a.review, r <= d {
      items.append(
        TodayItem(
          kind: .verificationDue, subject: a.id, title: a.title, day: r,
          detail: a.outcome == .unknown
            ? "last check was unknown; did it work?" : "did it work? \(a.signal)"))
    }
  }
  for e in s.experimentList where e.decision == nil {
    if let c = e.check, c <= d {
      items.append(
        TodayItem(
          kind: .experimentCheckDue, subject: e.id, title: e.hypothesis, day: c,
          detail: "check against: \(e.criteria)"))
    }
  }
  for p in referencePatterns(s, on: d) where p.step == .escalated && !p.hasExperiment {
    items.append(
      TodayItem(
        kind: .escalatedPattern, subject: p.key, title: p.key, day: p.lastSeen,
        detail: "\(p.inWindow) in \(s.policy.windowDays) days; needs an experiment"))
  }
  for l in s.lessonList {
    if let r = l.revalidate, r <= d {
      items.append(
        TodayItem(
          kind: .lessonRevalidation, subject: l.id, title: l.text, day: r,
          detail: "does this still hold?"))
    }
  }
  for a in s.actionList where a.type == .mitigate && a.retirement == nil && a.status != .dropped {
    if let u = a.until, u <= d {
      items.append(
        TodayItem(
          kind: .mitigationToRetire, subject: a.id, title: a.title, day: u,
          detail: "a temporary mitigation that ends \(u): revert it or keep it, with a reason"))
    }
  }
  for c in s.reviewScheduleList where c.on <= d.adding(days: s.policy.dueSoonDays) {
    guard let inc = s.incidents[c.incident], inc.status == .open || inc.status == .reviewing
    else { continue }
    var detail = "review on \(c.on)"
    if !c.facilitator.isEmpty { detail += ", facilitator \(c.facilitator)" }
    if !c.participants.isEmpty { detail += ", with " + c.participants.joined(separator: ", ") }
    items.append(
      TodayItem(
        kind: .reviewScheduled, subject: inc.id, title: inc.title, day: c.on, detail: detail))
  }
  // Kind, then day; the order found among equals (insertion sort is stable).
  let rank = Dictionary(uniqueKeysWithValues: TodayKind.allCases.enumerated().map { ($1, $0) })
  func key(_ t: TodayItem) -> (Int, Int) { (rank[t.kind] ?? 0, t.day?.ordinal ?? Int.max) }
  var sorted: [TodayItem] = []
  for item in items {
    var i = sorted.count
    while i > 0, key(item) < key(sorted[i - 1]) { i -= 1 }
    sorted.insert(item, at: i)
  }
  return sorted
}

private let policies = [
  PolicySettings(),
  PolicySettings(windowDays: 10, repeatThreshold: 2, escalateThreshold: 2),
  PolicySettings(windowDays: 30, repeatThreshold: 3, escalateThreshold: 4),
  PolicySettings(windowDays: 60, repeatThreshold: 1, escalateThreshold: 1),
]

private let queueDays = ["2025-06-01", "2025-08-15", "2025-10-20", "2026-01-05", "2026-06-01"]

@Test(arguments: [UInt64(1), 2, 3])
func todayQueueMatchesTheReferenceOnGeneratedLogs(seed: UInt64) throws {
  let records = generatedLog(seed: seed, incidents: 220)
  for policy in policies {
    let state = LearningState.replay(records, policy: policy)
    #expect(state.incidents.count > 150)
    for text in queueDays {
      let d = day(text)
      let queue = state.today(on: d)
      let expected = referenceToday(state, on: d)
      #expect(queue.count == expected.count, "seed \(seed) \(policy) \(text)")
      for (got, want) in zip(queue, expected) where got != want {
        Issue.record("seed \(seed) \(policy) \(text): got \(got), want \(want)")
        break
      }
      #expect(state.todayCount(on: d) == expected.count, "seed \(seed) \(policy) \(text)")
    }
  }
}

@Test(arguments: [UInt64(4), 5])
func reviewStatusMatchesTheReferenceOnGeneratedLogs(seed: UInt64) throws {
  let records = generatedLog(seed: seed, incidents: 160)
  for policy in policies {
    let state = LearningState.replay(records, policy: policy)
    for inc in state.incidentList {
      let rs = state.reviewStatus(inc)
      let want = referenceReview(state, inc)
      #expect(rs.missing.map(ReviewGaps.name) == want.missing, "\(inc.id) \(policy)")
      #expect(rs.isRepeat == want.isRepeat, "\(inc.id) \(policy)")
      #expect(rs.earlierActions.map(\.id) == want.earlierActions, "\(inc.id) \(policy)")
      #expect(state.isRepeat(inc) == want.isRepeat)
    }
  }
}

@Test(arguments: [UInt64(6), 7])
func patternSummariesMatchTheReferenceOnGeneratedLogs(seed: UInt64) throws {
  let records = generatedLog(seed: seed, incidents: 160)
  for policy in policies {
    let state = LearningState.replay(records, policy: policy)
    for text in queueDays {
      let d = day(text)
      let got = state.patterns(on: d).map { p in
        ReferencePattern(
          key: p.key, count: p.count, inWindow: p.inWindow, ineffective: p.ineffectiveInWindow,
          firstSeen: p.firstSeen, lastSeen: p.lastSeen, step: p.step, incidents: p.incidents,
          hasExperiment: p.hasExperiment)
      }
      #expect(got == referencePatterns(state, on: d), "seed \(seed) \(policy) \(text)")
      for p in got {
        #expect(state.pattern(p.key, on: d)?.incidents == p.incidents)
      }
    }
  }
}

@Test func queueCountAndItemsAgreeOnAnEmptyLog() {
  let state = LearningState()
  #expect(state.today(on: day("2026-03-01")).isEmpty)
  #expect(state.todayCount(on: day("2026-03-01")) == 0)
}

@Test func blankAnswerCheckFollowsTheWhiteSpaceProperty() {
  // Every ASCII scalar, and the non-ASCII white space, decided as the property decides.
  var scalars = (0..<0x80).compactMap(Unicode.Scalar.init)
  scalars += ["\u{0085}", "\u{00A0}", "\u{1680}", "\u{2003}", "\u{2028}", "\u{3000}", "é"]
  for u in scalars {
    let text = String(Character(u))
    let answers = ["k": [AnswerVersion(key: "k", value: text, template: "t", at: 0, by: "b")]]
    #expect(
      LearningState.isAnswered(answers, "k") == !u.properties.isWhitespace, "U+\(u.value)")
  }
  #expect(!LearningState.isAnswered([:], "k"))
}
