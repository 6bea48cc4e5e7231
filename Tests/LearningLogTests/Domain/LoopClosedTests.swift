import Foundation
import Testing

@testable import LearningLog

/// Mitigations that end, reviews due by severity and scheduled, wins, private skill gaps and
/// the verified-effective share.
@Suite struct LoopClosedTests {
  @Test func aMitigationAsksToBeRetiredFromItsEndDayUntilRetired() throws {
    var h = Harness()
    let i = try h.incident("Checkout broke")
    let m = try h.make(
      .addAction(
        NewAction(
          incident: i, title: "roll back", owner: "sam", due: "2026-03-02", type: "mitigate",
          until: "2026-03-05")))
    #expect(h.state.actions[m]?.until == day("2026-03-05"))
    func retire(_ d: String) -> [TodayItem] {
      h.state.today(on: day(d)).filter { $0.kind == .mitigationToRetire }
    }
    #expect(retire("2026-03-04").isEmpty)
    #expect(retire("2026-03-05").map(\.subject) == [m])
    // Never forgotten: still there weeks later, and counted.
    #expect(retire("2026-05-01").map(\.subject) == [m])
    #expect(h.state.todayCount(on: day("2026-05-01")) == h.state.today(on: day("2026-05-01")).count)
    #expect(throws: DomainError.self) {
      try h.state.plan(.retireAction(m, decision: "later", reason: "x"), context: h.context)
    }
    #expect(throws: DomainError.self) {
      try h.state.plan(.retireAction(m, decision: "revert", reason: " "), context: h.context)
    }
    try h.run(.retireAction(m, decision: "revert", reason: "the patch holds"))
    #expect(h.state.actions[m]?.retirement?.decision == .revert)
    #expect(retire("2026-05-01").isEmpty)
    #expect(throws: DomainError.self) {
      try h.state.plan(.retireAction(m, decision: "keep", reason: "again"), context: h.context)
    }
  }

  @Test func untilIsForMitigationsAndOnlyMitigationsAreRetired() throws {
    var h = Harness()
    let i = try h.incident("Checkout broke")
    #expect(throws: DomainError.self) {
      try h.state.plan(
        .addAction(
          NewAction(
            incident: i, title: "x", owner: "sam", due: "2026-03-02", type: "prevent",
            until: "2026-03-05")), context: h.context)
    }
    #expect(throws: DomainError.self) {
      try h.state.plan(
        .addAction(
          NewAction(
            incident: i, title: "x", owner: "sam", due: "2026-03-02", type: "mitigate",
            until: "someday")), context: h.context)
    }
    let a = try h.action(i)
    #expect(throws: DomainError.self) {
      try h.state.plan(.retireAction(a, decision: "keep", reason: "r"), context: h.context)
    }
  }

  @Test func reviewsAreDueBySeverityAndTheWindowIsConfigurable() throws {
    var h = Harness()
    let crit = try h.make(
      .addIncident(NewIncident(title: "down", severity: "critical", occurred: "2026-02-20")))
    let low = try h.make(
      .addIncident(NewIncident(title: "typo", severity: "low", occurred: "2026-02-20")))
    let items = h.state.today(on: day("2026-03-01")).filter { $0.kind == .reviewIncomplete }
    let c = try #require(items.first { $0.subject == crit })
    #expect(c.day == day("2026-02-22"))
    #expect(c.detail.contains("7 days overdue (critical: 2 days)"))
    #expect(c.detail.contains("schedule a reflection"))
    let l = try #require(items.first { $0.subject == low })
    #expect(l.day == day("2026-03-12"))
    #expect(l.detail.contains("due 2026-03-12 (low: 20 days)"))
    #expect(!l.detail.contains("schedule a reflection"))
    var s = h.state
    s.policy.reviewDueDays = ReviewDueDays(critical: 1, high: 2, medium: 3, low: 4)
    let low2 = try #require(s.today(on: day("2026-03-01")).first { $0.subject == low })
    #expect(low2.day == day("2026-02-24"))
  }

  @Test func aScheduledReviewShowsOnTodayUntilTheReviewIsDone() throws {
    var h = Harness()
    let i = try h.make(
      .addIncident(NewIncident(title: "down", severity: "high", occurred: "2026-02-28")))
    #expect(throws: DomainError.self) {
      try h.state.plan(
        .scheduleReview(NewReviewSchedule(incident: i, on: "2026-02-27")), context: h.context)
    }
    try h.run(
      .scheduleReview(
        NewReviewSchedule(
          incident: i, on: "2026-03-06", facilitator: "kim", participants: ["sam", "ana", "sam"])))
    let c = try #require(h.state.reviewSchedules[i])
    #expect(c.participants == ["sam", "ana"])
    func scheduled(_ d: String) -> [TodayItem] {
      h.state.today(on: day(d)).filter { $0.kind == .reviewScheduled }
    }
    #expect(scheduled("2026-03-01").isEmpty)
    #expect(
      scheduled("2026-03-03").first?.detail
        == "review on 2026-03-06, facilitator kim, with sam, ana")
    #expect(scheduled("2026-04-01").count == 1)
    #expect(h.state.todayCount(on: day("2026-04-01")) == h.state.today(on: day("2026-04-01")).count)
    let review = try #require(h.state.today(on: day("2026-03-01")).first { $0.subject == i })
    #expect(review.detail.contains("scheduled 2026-03-06"))
    try h.answer(i, ["root-cause": "a cause", "gap": "process"])
    _ = try h.action(i)
    #expect(h.state.incidents[i]?.status == .reviewed)
    #expect(scheduled("2026-04-01").isEmpty)
  }

  @Test func aSkillGapIsWrittenAsPrivateAndItsDetailGoesToThePrivateFile() throws {
    var h = Harness()
    let i = try h.incident("Estimate slipped")
    try h.answer(i, ["root-cause": "unfamiliar with the billing code", "gap": "skill"])
    let shared = h.records.filter { $0.type == EventType.reviewAnswered }
    #expect(shared.contains { $0.body["value"]?.stringValue == "private" })
    for r in h.records {
      let line = String(decoding: try RecordCodec.encode(r), as: UTF8.self)
      #expect(!line.contains("skill"), "\(line)")
    }
    #expect(h.privateRecords.map(\.type) == [EventType.growthCreated])
    #expect(h.state.incidents[i]?.answer("gap") == "private")
    #expect(h.state.reviewStatus(i)?.missing.contains(ReviewGaps.gapTypeText) == false)
    #expect(h.state.stats(on: day("2026-03-01")).gapShares.isEmpty)
  }

  @Test func anOlderLogsSkillGapIsShownAsPrivate() throws {
    var h = Harness()
    let i = try h.incident("Estimate slipped")
    // A record as an older learnlog wrote it.
    let r = h.stamper.stamp(
      RecordDraft(
        type: EventType.reviewAnswered, schema: 1, entity: i,
        body: ["template": "diagnostic", "key": "gap", "value": "skill"]))
    h.records.append(r)
    h.state.apply(r)
    #expect(h.state.incidents[i]?.answer("gap") == "private")
    // The templates name the choices; nothing beside the incident says "skill".
    let inc = try #require(h.state.incidents[i])
    let shown = Exporter.incidentJSON(inc, review: try #require(h.state.reviewStatus(i)))
    #expect(!"\(shown)".contains("skill"))
    #expect(!Exporter.csv(h.state).contains("skill"))
    #expect(!Exporter.markdown(h.state, until: day("2026-03-01")).contains("skill"))
    #expect(h.state.stats(on: day("2026-03-01")).gapShares.isEmpty)
  }

  @Test func verifiedEffectiveCountsOnlyClearOutcomes() throws {
    var h = Harness()
    let i = try h.incident("x")
    var ids: [String] = []
    for _ in 0..<3 {
      let a = try h.action(i)
      try h.run(.finishAction(a))
      ids.append(a)
    }
    try h.run(.verifyAction(ids[0], outcome: "verified", evidence: ""))
    let s = h.state.stats(on: day("2026-03-01"))
    #expect(s.verifiedEffectiveShare == 1.0)
    #expect(s.awaitingVerification == 2)
    try h.run(.verifyAction(ids[1], outcome: "ineffective", evidence: ""))
    let s2 = h.state.stats(on: day("2026-03-01"))
    #expect(s2.verifiedEffectiveShare == 0.5)
    #expect(s2.awaitingVerification == 1)
  }

  @Test func recognitionShowsLearningBesideWins() throws {
    var h = Harness()
    h.author = "sam"
    let i = try h.incident("x")
    _ = try h.make(.addLesson(NewLesson(text: "diff first", incidents: [i])))
    let w = try h.make(.addWin(NewWin(title: "clean launch", team: "web", people: ["sam", "ana"])))
    #expect(throws: DomainError.self) {
      try h.state.plan(.addWin(NewWin(title: "  ")), context: h.context)
    }
    let r = h.state.recognition(person: "sam")
    #expect(r.lessons.count == 1)
    #expect(r.wins.map(\.id) == [w])
    #expect(h.state.recognition(person: "ana").wins.map(\.id) == [w])
    #expect(h.state.recognisedPeople == ["ana", "sam"])
  }

  @Test func experimentsAreForAnyIncidentWithTheirChange() throws {
    var h = Harness()
    let i = try h.incident("not escalated")
    let e = try h.make(
      .addExperiment(
        NewExperiment(
          incident: i, hypothesis: "pairing helps", change: "pair on billing",
          criteria: "no slip in 2 sprints", check: "2026-03-20")))
    #expect(h.state.experiments(of: i).map(\.change) == ["pair on billing"])
    try h.run(.decideExperiment(e, decision: "adopt", result: "no slip"))
    let md = Exporter.markdown(h.state, until: day("2026-03-20"))
    #expect(md.contains("## Experiments"))
    #expect(md.contains("**adopt**: no slip"))
  }
}
