import Foundation
import Testing

@testable import LearningLog

@Test func reviewIsCompleteOnlyWithRootCauseGapAndOwnedDueAction() throws {
  var h = Harness()
  let id = try h.incident("x")
  var rs = try #require(h.state.reviewStatus(id))
  #expect(!rs.isComplete)
  #expect(rs.missing.count == 3)
  try h.answer(id, ["root-cause": "the cause"])
  rs = try #require(h.state.reviewStatus(id))
  #expect(rs.missing.count == 2 && rs.missing[0].hasPrefix("gap type"))
  try h.answer(id, ["gap": "Process"])
  #expect(h.state.incidents[id]?.answer("gap") == "process")
  rs = try #require(h.state.reviewStatus(id))
  #expect(rs.missing.count == 1 && rs.missing[0].hasPrefix("action"))
  #expect(h.state.incidents[id]?.status == .reviewing)
  let a = try h.action(id)
  #expect(h.state.reviewStatus(id)?.isComplete == true)
  #expect(h.state.incidents[id]?.status == .reviewed)  // the plan marked it reviewed
  // A dropped action does not count.
  try h.run(.dropAction(a, reason: "replaced"))
  #expect(h.state.reviewStatus(id)?.isComplete == false)
}

@Test func skillGapBecomesAPrivateGrowthItemNeverATeamStatistic() throws {
  var h = Harness()
  let id = try h.incident("x", team: "core")
  let p = try h.run(
    .review(
      incident: id, template: nil,
      answers: [
        ReviewAnswer(key: "root-cause", value: "unfamiliar with the tool"),
        ReviewAnswer(key: "gap", value: "skill"),
      ]))
  #expect(p.private.count == 1)
  #expect(p.private.first?.type == EventType.growthCreated)
  #expect(p.private.first?.body["person"]?.stringValue == "owner")
  #expect(!p.shared.contains { EventType.privateOnly.contains($0.type) })
  let other = try h.incident("y", team: "core")
  try h.answer(other, ["root-cause": "r", "gap": "process"])
  let st = h.state.stats(on: h.today)
  #expect(st.gapShares["skill"] == nil)
  #expect(st.gapShares["process"] == 1.0)
  #expect(st.byTeam.first?.gaps["skill"] == nil)
  #expect(!Exporter.csv(h.state).contains(",skill"))
  // Private items reach an export only when asked.
  for r in h.privateRecords { h.state.apply(r) }
  #expect(!Exporter.json(h.state, on: h.today).contains("growth"))
  #expect(Exporter.json(h.state, on: h.today, includePrivate: true).contains("growth"))
}

@Test func escalationLadderClimbsWithinTheWindow() throws {
  var h = Harness()
  let first = try h.incident("drift 1", patterns: ["deploy/drift"], occurred: "2026-01-01")
  let act = try h.action(first, due: "2026-01-10")
  var rs = try #require(h.state.reviewStatus(first))
  #expect(!rs.isRepeat)
  #expect(!rs.questions.contains { $0.key == "why-fix-failed" })
  #expect(h.state.pattern("deploy/drift", on: h.today)?.step == .logged)

  let second = try h.incident("drift 2", patterns: ["deploy/drift"], occurred: "2026-02-01")
  rs = try #require(h.state.reviewStatus(second))
  #expect(rs.isRepeat)
  #expect(rs.questions.last?.key == ReviewTemplate.whyFixFailedKey)
  #expect(rs.earlierActions.map(\.id) == [act])
  #expect(rs.missing.contains { $0.contains("why-fix-failed") })
  #expect(h.state.pattern("deploy/drift", on: h.today)?.step == .repeated)
  // The repeat question is answerable through the normal review command.
  try h.answer(second, ["why-fix-failed": "the fix covered files, not secrets"])

  let third = try h.incident("drift 3", patterns: ["deploy/drift"], occurred: "2026-02-20")
  #expect(h.state.reviewStatus(third)?.missing.contains { $0.hasPrefix("experiment") } == true)
  #expect(h.state.reviewStatus(second)?.missing.contains { $0.hasPrefix("experiment") } == false)
  let p = try #require(h.state.pattern("deploy/drift", on: h.today))
  #expect(p.step == .escalated)
  #expect(p.count == 3 && p.inWindow == 3)
  #expect(!p.hasExperiment)
  #expect(
    h.state.today(on: h.today).contains {
      $0.kind == .escalatedPattern && $0.subject == "deploy/drift"
    })
  _ = try h.make(
    .addExperiment(
      NewExperiment(pattern: "deploy/drift", hypothesis: "h", criteria: "c", check: "2026-04-01")))
  #expect(h.state.pattern("deploy/drift", on: h.today)?.hasExperiment == true)
  #expect(h.state.reviewStatus(third)?.missing.contains { $0.hasPrefix("experiment") } == false)
  #expect(!h.state.today(on: h.today).contains { $0.kind == .escalatedPattern })
  // Long after, the window has emptied: back to logged.
  #expect(h.state.pattern("deploy/drift", on: day("2026-12-01"))?.step == .logged)
}

@Test func ladderThresholdsAreConfigurable() throws {
  var h = Harness(policy: PolicySettings(windowDays: 10, repeatThreshold: 2, escalateThreshold: 2))
  _ = try h.incident("a", patterns: ["p"], occurred: "2026-02-01")
  let b = try h.incident("b", patterns: ["p"], occurred: "2026-02-25")
  #expect(h.state.reviewStatus(b)?.isRepeat == false)  // 24 days apart, window 10
  _ = try h.incident("c", patterns: ["p"], occurred: "2026-02-28")
  #expect(h.state.pattern("p", on: h.today)?.step == .escalated)
}

@Test func ineffectiveVerificationCountsAgainstThePattern() throws {
  var h = Harness()
  let a = try h.incident("a", patterns: ["p"], occurred: "2026-02-01")
  _ = try h.incident("b", patterns: ["p"], occurred: "2026-02-10")
  #expect(h.state.pattern("p", on: h.today)?.step == .repeated)
  let act = try h.action(a)
  try h.run(.finishAction(act))
  try h.run(.verifyAction(act, outcome: "ineffective", evidence: "no change"))
  let p = try #require(h.state.pattern("p", on: h.today))
  #expect(p.ineffectiveInWindow == 1)
  #expect(p.step == .escalated)
}

@Test func recurrenceAfterAVerifiedFixIsMarked() throws {
  var h = Harness()
  h.today = day("2026-01-05")
  h.stamper.wall = h.today.utcMilliseconds
  let a = try h.incident("a", patterns: ["p"], occurred: "2026-01-01")
  let act = try h.action(a, due: "2026-01-10")
  try h.run(.finishAction(act))
  #expect(h.state.pattern("p", on: h.today)?.recurredAfterFix == false)
  try h.run(.verifyAction(act, outcome: "verified", evidence: "quiet for a week"))
  h.advance(days: 30)
  let b = try h.incident("b", patterns: ["p"])
  let p = try #require(h.state.pattern("p", on: h.today))
  #expect(p.recurredAfterFix && p.recurredAfterVerifiedFix)
  #expect(h.state.recurredAfterVerifiedFix(try #require(h.state.incidents[b])))
  #expect(!h.state.recurredAfterVerifiedFix(try #require(h.state.incidents[a])))
  #expect(p.weekly.reduce(0, +) == 2)
  #expect(p.weekly.last == 1)
}

@Test func patternSuggestionsRankBySharedTriggersTagsAndWords() throws {
  var h = Harness()
  _ = try h.incident(
    "Config drift between regions after deploy", tags: ["deploy"], triggers: ["over-confidence"],
    patterns: ["deploy/config-drift"])
  _ = try h.incident(
    "Estimate blown by an unknown dependency", tags: ["estimate"],
    patterns: ["estimate/hidden-dependency"])
  _ = try h.incident("Unrelated", tags: ["misc"], patterns: ["misc/other"])
  let s = h.state.suggestPatterns(
    for: NewIncident(
      title: "Region config drifted again", tags: ["deploy"], triggers: ["over-confidence"]))
  #expect(s.first?.key == "deploy/config-drift")
  #expect(s.first?.reason.contains("over-confidence") == true)
  #expect(s.first?.reason.contains("deploy") == true)
  #expect(!s.contains { $0.key == "misc/other" })
  let e = h.state.suggestPatterns(
    for: NewIncident(title: "Hidden dependency made the estimate wrong"))
  #expect(e.first?.key == "estimate/hidden-dependency")
  #expect(h.state.suggestPatterns(for: NewIncident(title: "the and of")).isEmpty)
}

@Test func matchingLessonsResurface() throws {
  var h = Harness()
  let old = try h.incident("old", tags: ["cache"], patterns: ["data/lost-writes"])
  let l1 = try h.make(.addLesson(NewLesson(text: "measure loss", tags: ["cache"])))
  let l2 = try h.make(.addLesson(NewLesson(text: "durable first", incidents: [old])))
  _ = try h.make(.addLesson(NewLesson(text: "unrelated", tags: ["ui"])))
  #expect(h.state.lessons(matchingTags: ["Cache"], patterns: []).map(\.id) == [l1])
  #expect(h.state.lessons(matchingTags: [], patterns: ["data/lost-writes"]).map(\.id) == [l2])
  let new = try h.incident("new", tags: ["cache"], patterns: ["data/lost-writes"])
  #expect(h.state.lessons(for: try #require(h.state.incidents[new])).map(\.id) == [l1, l2])
}

@Test func todayCarriesItemsUntilResolved() throws {
  var h = Harness()
  h.today = day("2026-03-01")
  let id = try h.incident("x", patterns: [])
  try h.answer(id, ["root-cause": "r", "gap": "process"])
  let a = try h.action(id, due: "2026-03-05", review: "2026-03-10")
  let e = try h.make(
    .addExperiment(NewExperiment(incident: id, hypothesis: "h", criteria: "c", check: "2026-03-08"))
  )
  let l = try h.make(.addLesson(NewLesson(text: "t", revalidate: "2026-03-09")))
  #expect(h.state.today(on: day("2026-03-01")).isEmpty)
  func kinds(_ d: String) -> [TodayKind] { h.state.today(on: day(d)).map(\.kind) }
  #expect(kinds("2026-03-06") == [.overdueAction])
  #expect(kinds("2026-03-20") == [.overdueAction, .experimentCheckDue, .lessonRevalidation])
  h.advance(days: 19)
  try h.run(.finishAction(a))
  #expect(kinds("2026-03-20") == [.verificationDue, .experimentCheckDue, .lessonRevalidation])
  try h.run(.verifyAction(a, outcome: "unknown", evidence: "too early"))
  #expect(kinds("2026-03-20").contains(.verificationDue))  // unknown stays
  try h.run(.verifyAction(a, outcome: "verified", evidence: "quiet"))
  try h.run(.decideExperiment(e, decision: "adopt", result: "worked"))
  try h.run(.revalidateLesson(l, next: "2026-09-01"))
  #expect(kinds("2026-03-20").isEmpty)
  let open = try h.incident("y")
  #expect(h.state.today(on: h.today).map(\.subject) == [open])
}

@Test func statsMeasureLearningAndNeverRankPeople() throws {
  var h = Harness()
  h.today = day("2026-03-01")
  let a = try h.incident(
    "a", kind: "production", team: "core", patterns: ["p"], occurred: "2026-02-02")
  let b = try h.incident(
    "b", kind: "deadline", team: "web", patterns: ["p"], occurred: "2026-02-16")
  _ = try h.incident("c", kind: "production", team: "web", occurred: "2026-02-25")
  try h.answer(a, ["root-cause": "r", "gap": "tooling"])
  try h.answer(b, ["root-cause": "r", "gap": "context"])
  h.stamper.wall = day("2026-03-01").utcMilliseconds
  let x = try h.action(a, signal: "seen")
  _ = try h.action(b, signal: "")
  try h.run(.finishAction(x))
  try h.run(.verifyAction(x, outcome: "verified", evidence: "e"))
  let st = h.state.stats(on: h.today, weeks: 6)
  #expect(st.incidentCount == 3)
  #expect(abs(st.repeatRate - 1.0 / 3.0) < 1e-9)
  #expect(st.verifiedEffectiveShare == 1.0)
  #expect(st.specificityShare == 0.5)
  // a: 2026-02-02 → first action 2026-03-01 (27 days); b: 2026-02-16 → 13 days.
  #expect(st.medianDaysToFirstAction == 20)
  #expect(st.gapShares == ["tooling": 0.5, "context": 0.5])
  #expect(st.weeks.count == 6)
  #expect(st.weeks.map(\.total).reduce(0, +) == 3)
  #expect(st.weeks.last?.weekStart == day("2026-02-23"))
  #expect(st.byTeam.map(\.team) == ["core", "web"])
  #expect(st.byPattern.map(\.key) == ["p"])
  let r = h.state.recognition(person: "kim")
  #expect(r.verifiedFixes.map(\.id) == [x])
  #expect(r.lessons.isEmpty && r.experiments.isEmpty)
}

@Test func blameCheckFlagsBlameAndHindsightLanguage() {
  let text =
    "Sam forgot to rotate the key. He should have known; it was obviously careless human error."
  let flags = BlameCheck.flags(in: text)
  let phrases = flags.map { $0.phrase.lowercased() }
  #expect(phrases == ["sam forgot", "should have", "obviously", "careless", "human error"])
  #expect(
    flags.map(\.category) == [.personAsCause, .hindsight, .hindsight, .blame, .personAsCause])
  for f in flags {
    #expect(String(text[f.range]) == f.phrase)
    let start = text.index(text.startIndex, offsetBy: f.offsets.lowerBound)
    let end = text.index(text.startIndex, offsetBy: f.offsets.upperBound)
    #expect(String(text[start..<end]) == f.phrase)
    #expect(f.suggestion.hasSuffix("?"))
  }
}

@Test func blameCheckCoversTheListedPhrases() {
  let positives = [
    "They failed to check", "It was sloppy", "A lazy fix", "Plainly negligent",
    "a mistake by the intern", "We just restarted it", "He didn't bother to look",
    "You shouldn't have merged", "SHOULD HAVE known", "she missed the alert",
    "Priya ignored the warning", "they broke the build", "Jo's fault entirely",
    "In hindsight it was clear", "He should’ve asked",
  ]
  for p in positives { #expect(!BlameCheck.flags(in: p).isEmpty, "\(p)") }
  let negatives = [
    "The deploy pipeline skipped the config check.", "We adjusted the threshold.",
    "Justice and adjustment are fine words.", "The carefully planned rollout",
    "Monitoring missed the spike because the metric was averaged.",
    "What made this easy to miss?", "shoulder to shoulder", "",
  ]
  for n in negatives { #expect(BlameCheck.flags(in: n).isEmpty, "\(n)") }
}

@Test func blameCheckHandlesUnicodeOffsets() {
  let text = "🚀 Émile forgot to tag the release"
  let f = BlameCheck.flags(in: text)
  #expect(f.count == 1)
  #expect(f.first?.phrase == "Émile forgot")
  #expect(f.first?.offsets == 2..<14)
}

@Test func patternIndexFollowsEditsAndDeletes() throws {
  var h = Harness()
  let a = try h.incident("a", patterns: ["p"], occurred: "2026-02-01")
  let b = try h.incident("b", patterns: ["q"], occurred: "2026-02-02")
  #expect(h.state.incidents(withPattern: "p").map(\.id) == [a])
  try h.run(.setPatterns(incident: b, keys: ["P", "r"]))
  #expect(h.state.incidents(withPattern: "p").map(\.id) == [a, b])
  #expect(h.state.incidents(withPattern: "q").isEmpty)
  #expect(h.state.reviewStatus(b)?.isRepeat == true)
  try h.run(.setIncidentField(incident: b, field: "patterns", value: "r"))
  #expect(h.state.reviewStatus(b)?.isRepeat == false)
  try h.run(.delete(a))
  #expect(h.state.incidents(withPattern: "p").isEmpty)
  #expect(h.state.patterns(on: h.today).map(\.key) == ["r"])
  // Replaying the same records gives the same index.
  #expect(LearningState.replay(h.records).incidents(withPattern: "r").map(\.id) == [b])
}

@Test func lateAndRepeatedRecordsApplyOnce() throws {
  let h = try sampleLog()
  var s = LearningState.replay(h.records)
  let before = canonical(s)
  // An old record arriving again after newer ones is recognised by its id.
  s.apply(h.records[3])
  s.apply(h.records[0])
  #expect(canonical(s) == before)
  // A genuinely late record (earlier clock, new id) is still applied once.
  let inc = try #require(s.incidentList.first)
  let late = Record(
    id: EventID(rawValue: "late-1"), clock: HybridTimestamp(wall: 1, logical: 0), writer: "w0",
    type: EventType.reviewAnswered, schema: 1, entity: inc.id,
    body: ["key": "evidence", "value": "a log line", "template": "diagnostic"])
  s.apply(late)
  s.apply(late)
  #expect(s.incidents[inc.id]?.history("evidence").count == 1)
  #expect(canonical(s) == canonical(LearningState.replay(h.records + [late])))
}
