import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// Templates and checklists revised with their incident, factors, timelines and authors.
@Suite struct FollowUpTests {
  @Test func theSnapshotRoundTripsEveryFollowUpField() throws {
    let h = try sampleLog()
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/data", permissions: 0o755)
    let store = try LogStore.create(path: CacheFixture.logPath, fileSystem: fs)
    let records = h.records
    try store.append { _ in
      records.map {
        RecordDraft(type: $0.type, schema: $0.schema, entity: $0.entity, body: $0.body)
      }
    }
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    let cold = try CacheFixture.load(fs, cache)
    #expect(cache.lastUse == .rebuilt(reason: "no snapshot"))
    for lazy in [false, true] {
      let warm = try LearningState.load(
        path: CacheFixture.logPath, fileSystem: fs, lazy: lazy, cache: cache
      ).state
      #expect(cache.lastUse == .hit(tailRecords: 0))
      #expect(CacheFixture.fingerprint(warm) == CacheFixture.fingerprint(cold))
      // The fields the export does not print are kept too.
      let a = try #require(warm.incidentList.first { $0.title == "Deploy broke checkout" })
      #expect(warm.factors(of: a.id).map(\.gap) == [.tooling, .process])
      #expect(warm.timeline(of: a.id).map(\.text) == ["deploy", "checkout errors"])
      let b = try #require(warm.incidentList.first { $0.title == "Deploy drift again" })
      #expect(b.answers["signal"]?.last?.revision == 3)
      #expect(
        warm.ledTo(b.id).map(\.description) == [
          "template team-retro rev 3", "checklist before-deploy rev 2",
        ])
      #expect(warm.checklists["before-deploy"]?.revisions.map(\.removed) == [[], ["canary"]])
    }
  }

  @Test func reviewsNameTheRevisionAndSwitchingKeepsEveryAnswer() throws {
    var h = Harness()
    h.author = "Dana"
    let i = try h.incident("Cache lost writes")
    try h.answer(i, ["root-cause": "flush on crash"])
    try h.run(
      .addTemplate(
        name: "ops", title: "", questions: [Question(key: "risk", prompt: "What could we lose?")]))
    try h.answer(i, ["risk": "orders"], template: "ops")
    try h.run(
      .changeTemplate(
        TemplateChange(
          name: "ops", set: [Question(key: "window", prompt: "How long a loss window?")],
          because: i)))
    try h.answer(i, ["window": "5s"], template: "ops")
    let inc = try #require(h.state.incidents[i])
    let groups = AnswerGroup.of(inc)
    #expect(groups.map(\.label) == ["diagnostic", "ops rev 1", "ops rev 2"])
    #expect(groups.flatMap(\.answers).map(\.key) == ["root-cause", "risk", "window"])
    #expect(inc.understandingHistory.allSatisfy { $0.by == "Dana" })
    #expect(h.state.ledTo(i).map(\.description) == ["template ops rev 2"])
    #expect(h.state.templateRevisions["ops"]?.map(\.because) == ["", i])
  }

  @Test func recordsWithoutAnAuthorShowUnknownNeverTheWriter() throws {
    var h = Harness()
    let i = try h.incident("Old record")
    try h.answer(i, ["root-cause": "x"])
    let inc = try #require(h.state.incidents[i])
    #expect(inc.createdBy == "")
    #expect(inc.understandingHistory.map { Authorship.shown($0.by) } == ["unknown"])
    #expect(!inc.understandingHistory.contains { $0.by == h.stamper.writer })
  }

  @Test func skillFactorsStayPrivateAndAreNeverCounted() throws {
    var h = Harness()
    let i = try h.incident("Estimate slipped")
    let plan = try h.run(
      .addFactor(NewFactor(incident: i, text: "new to the codebase", gap: "skill")))
    _ = try h.make(.addFactor(NewFactor(incident: i, text: "no buffer", gap: "capacity")))
    #expect(plan.private.count == 1)
    let shared = try plan.shared.map { try JSONSerializer.string($0.body) }.joined()
    #expect(!shared.contains("skill") && !shared.contains("new to the codebase"))
    #expect(h.state.stats(on: h.today).factorsByGap == ["capacity": 1])
  }

  @Test func badInputNamesTheFieldAndWritesNothing() throws {
    var h = Harness()
    let i = try h.incident("x")
    let cases: [(Command, String)] = [
      (.addFactor(NewFactor(incident: i, text: "t", gap: "luck")), "gap"),
      (.addFactor(NewFactor(incident: i, text: " ", gap: "process")), "text"),
      (.addTimelineEntry(NewTimelineEntry(incident: i, at: "25:00", text: "t")), "--at"),
      (.addTimelineEntry(NewTimelineEntry(incident: i, at: "10:00", text: "t", kind: "x")), "kind"),
      (
        .addTimelineEntry(NewTimelineEntry(incident: i, at: "10:00", text: "t", link: "a b")),
        "--link"
      ),
      (.addChecklist(NewChecklist(name: "c", items: [])), "no items"),
      (.addChecklist(NewChecklist(name: "c", items: ["a"], kind: "recipe")), "kind"),
      (.reviseChecklist(name: "nope", add: ["a"], remove: [], because: i), "no checklist"),
      (.changeTemplate(TemplateChange(name: "diagnostic", set: [])), "built in"),
    ]
    for (c, word) in cases {
      expectError(word) { _ = try h.state.plan(c, context: h.context) }
    }
    try h.run(.addChecklist(NewChecklist(name: "c", items: ["a"])))
    expectError("--because") {
      _ = try h.state.plan(
        .reviseChecklist(name: "c", add: ["b"], remove: [], because: ""), context: h.context)
    }
    expectError("items 1 to 1") {
      _ = try h.state.plan(
        .reviseChecklist(name: "c", add: [], remove: [2], because: i), context: h.context)
    }
  }

  @Test func deletingAnIncidentTakesItsFactorsAndTimeline() throws {
    var h = Harness()
    let i = try h.incident("Gone soon")
    let keep = try h.incident("Stays")
    _ = try h.make(.addFactor(NewFactor(incident: i, text: "a", gap: "process")))
    _ = try h.make(.addTimelineEntry(NewTimelineEntry(incident: i, at: "10:00", text: "b")))
    let kept = try h.make(.addFactor(NewFactor(incident: keep, text: "c", gap: "context")))
    try h.run(.delete(i))
    #expect(h.state.factors(of: i).isEmpty && h.state.timeline(of: i).isEmpty)
    #expect(h.state.factorList.map(\.id) == [kept])
    #expect(h.state.timelineEntries.isEmpty)
    #expect(canonical(LearningState.replay(h.records)) == canonical(h.state))
  }

  @Test func timesAreReadOnTheIncidentsDay() throws {
    let d = day("2026-11-20")
    let utc = TimeZone(identifier: "UTC") ?? .current
    #expect(
      try LocalTime.parse("14:05", day: d, field: "at", timeZone: utc)
        == d.utcMilliseconds + (14 * 60 + 5) * 60_000)
    #expect(
      try LocalTime.parse("2026-11-21T01:00", day: d, field: "at", timeZone: utc)
        == d.adding(days: 1).utcMilliseconds + 3_600_000)
    #expect(
      try LocalTime.parse("2026-11-20T10:00:00Z", day: d, field: "at", timeZone: utc)
        == d.utcMilliseconds + 10 * 3_600_000)
    let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
    let t = try LocalTime.parse("14:05", day: d, field: "at", timeZone: berlin)
    #expect(LocalTime.string(t, timeZone: berlin) == "2026-11-20 14:05")
  }
}
