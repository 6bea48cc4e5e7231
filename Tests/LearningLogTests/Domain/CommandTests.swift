import Foundation
import Testing

@testable import LearningLog

func expectError(
  _ contains: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) {
  do {
    try body()
    Issue.record("expected an error containing '\(contains)'", sourceLocation: sourceLocation)
  } catch let e as DomainError {
    #expect(e.message.contains(contains), "\(e.message)", sourceLocation: sourceLocation)
    #expect(!e.message.lowercased().hasPrefix("error"), sourceLocation: sourceLocation)
    #expect(!e.message.contains("\n"), sourceLocation: sourceLocation)
  } catch {
    Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
  }
}

@Test func addIncidentNormalisesAndDefaults() throws {
  var h = Harness()
  let id = try h.make(
    .addIncident(
      NewIncident(
        title: "  Outage  ", kind: "Near-Miss", severity: "HIGH", tags: ["Deploy", "deploy", " "],
        triggers: ["over-confidence skipping routine checks", "Vendor outage"],
        patterns: ["Deploy / Config Drift"])))
  let inc = try #require(h.state.incidents[id])
  #expect(inc.title == "Outage")
  #expect(inc.kind == .nearMiss)
  #expect(inc.severity == .high)
  #expect(inc.tags == ["deploy"])
  #expect(inc.triggers == ["over-confidence", "vendor-outage"])
  #expect(inc.patterns == ["deploy/config-drift"])
  #expect(inc.occurred == h.today)
  #expect(inc.status == .open)
}

@Test func commandsRejectBadInputWithClearMessages() throws {
  var h = Harness()
  let id = try h.incident("x")
  let ctx = h.context
  let s = h.state
  expectError("title is missing") {
    _ = try s.plan(.addIncident(NewIncident(title: " ")), context: ctx)
  }
  expectError("kind: 'outage' is not one of") {
    _ = try s.plan(.addIncident(NewIncident(title: "t", kind: "outage")), context: ctx)
  }
  expectError("occurred: '2026-02-30' is not a valid date") {
    _ = try s.plan(.addIncident(NewIncident(title: "t", occurred: "2026-02-30")), context: ctx)
  }
  expectError("in the future") {
    _ = try s.plan(.addIncident(NewIncident(title: "t", occurred: "2099-01-01")), context: ctx)
  }
  expectError("unknown field 'colour'") {
    _ = try s.plan(.setIncidentField(incident: id, field: "colour", value: "red"), context: ctx)
  }
  expectError("severity: 'huge'") {
    _ = try s.plan(.setIncidentField(incident: id, field: "severity", value: "huge"), context: ctx)
  }
  expectError("no incident with id") {
    _ = try s.plan(.setIncidentField(incident: "qqqqqqq", field: "title", value: "t"), context: ctx)
  }
  expectError("has no question 'feelings'") {
    _ = try s.plan(
      .review(incident: id, template: nil, answers: [ReviewAnswer(key: "feelings", value: "x")]),
      context: ctx)
  }
  expectError("answer gap: 'laziness' is not one of") {
    _ = try s.plan(
      .review(incident: id, template: nil, answers: [ReviewAnswer(key: "gap", value: "laziness")]),
      context: ctx)
  }
  expectError("no template 'nope'") {
    _ = try s.plan(
      .review(incident: id, template: "nope", answers: [ReviewAnswer(key: "gap", value: "skill")]),
      context: ctx)
  }
  expectError("owner is missing") {
    _ = try s.plan(
      .addAction(NewAction(incident: id, title: "t", owner: "", due: "2026-03-03")), context: ctx)
  }
  expectError("due: 'soon'") {
    _ = try s.plan(
      .addAction(NewAction(incident: id, title: "t", owner: "o", due: "soon")), context: ctx)
  }
  expectError("before the due day") {
    _ = try s.plan(
      .addAction(
        NewAction(incident: id, title: "t", owner: "o", due: "2026-03-03", review: "2026-03-01")),
      context: ctx)
  }
  expectError("cannot be closed") {
    _ = try s.plan(.setIncidentField(incident: id, field: "status", value: "closed"), context: ctx)
  }
  expectError("needs an incident or a pattern") {
    _ = try s.plan(
      .addExperiment(NewExperiment(hypothesis: "h", criteria: "c", check: "2026-04-01")),
      context: ctx)
  }
  expectError("is built in") {
    _ = try s.plan(
      .reviseTemplate(name: "diagnostic", title: nil, questions: [Question(key: "a", prompt: "b")]),
      context: ctx)
  }
  expectError("appears twice") {
    _ = try s.plan(
      .addTemplate(
        name: "t", title: "",
        questions: [Question(key: "a", prompt: "b"), Question(key: "a", prompt: "c")]), context: ctx
    )
  }
  expectError("choice without choices") {
    _ = try s.plan(
      .addTemplate(
        name: "t", title: "", questions: [Question(key: "a", prompt: "b", kind: .choice)]),
      context: ctx)
  }
}

@Test func actionTransitionsAreChecked() throws {
  var h = Harness()
  let id = try h.incident("x")
  let a = try h.action(id)
  expectError("not done") {
    _ = try h.state.plan(.verifyAction(a, outcome: "verified", evidence: ""), context: h.context)
  }
  try h.run(.startAction(a))
  expectError("cannot become doing") { _ = try h.state.plan(.startAction(a), context: h.context) }
  expectError("reason is missing") {
    _ = try h.state.plan(.dropAction(a, reason: " "), context: h.context)
  }
  try h.run(.finishAction(a))
  #expect(h.state.actions[a]?.status == .done)
  expectError("verify it instead") {
    _ = try h.state.plan(.dropAction(a, reason: "r"), context: h.context)
  }
  expectError("outcome: 'maybe'") {
    _ = try h.state.plan(.verifyAction(a, outcome: "maybe", evidence: ""), context: h.context)
  }
  try h.run(.verifyAction(a, outcome: "ineffective", evidence: "it came back"))
  #expect(h.state.actions[a]?.status == .open)  // ineffective reopens
  let b = try h.action(id)
  try h.run(.dropAction(b, reason: "not worth it"))
  #expect(h.state.actions[b]?.dropReason == "not worth it")
  expectError("already settled") { _ = try h.state.plan(.finishAction(b), context: h.context) }
}

@Test func actionsMoveBackOneColumnUntilVerified() throws {
  var h = Harness()
  let id = try h.incident("x")
  let a = try h.action(id)
  expectError("first column already") {
    _ = try h.state.plan(.moveActionBack(a), context: h.context)
  }
  try h.run(.startAction(a))
  try h.run(.moveActionBack(a))
  #expect(h.state.actions[a]?.status == .open)
  try h.run(.finishAction(a))
  try h.run(.moveActionBack(a))
  #expect(h.state.actions[a]?.status == .doing)
  try h.run(.finishAction(a))
  try h.run(.verifyAction(a, outcome: "verified", evidence: "quiet for a month"))
  expectError("verify it ineffective to reopen it") {
    _ = try h.state.plan(.moveActionBack(a), context: h.context)
  }
  let b = try h.action(id)
  try h.run(.dropAction(b, reason: "superseded"))
  expectError("was dropped") { _ = try h.state.plan(.moveActionBack(b), context: h.context) }
}

@Test func experimentsAreDecidedOnce() throws {
  var h = Harness()
  let id = try h.incident("x", patterns: ["a/b"])
  let e = try h.make(
    .addExperiment(
      NewExperiment(pattern: "A / B", hypothesis: "h", criteria: "c", check: "2026-03-09")))
  #expect(h.state.experiments[e]?.pattern == "a/b")
  try h.run(.decideExperiment(e, decision: "abandon", result: "no effect"))
  #expect(h.state.experiments[e]?.decision == .abandon)
  expectError("already decided") {
    _ = try h.state.plan(.decideExperiment(e, decision: "adopt", result: ""), context: h.context)
  }
  expectError("decision: 'keep'") {
    let e2 = try h.make(
      .addExperiment(
        NewExperiment(incident: id, hypothesis: "h", criteria: "c", check: "2026-03-09")))
    _ = try h.state.plan(.decideExperiment(e2, decision: "keep", result: ""), context: h.context)
  }
}

@Test func answersKeepEveryVersion() throws {
  var h = Harness()
  h.author = "kim"
  let id = try h.incident("x")
  try h.answer(id, ["root-cause": "first idea"])
  h.author = "lee"
  try h.answer(id, ["root-cause": "second idea"])
  try h.answer(id, ["root-cause": "second idea"])  // unchanged: no new version
  let inc = try #require(h.state.incidents[id])
  #expect(inc.answer("root-cause") == "second idea")
  #expect(inc.history("root-cause").map(\.value) == ["first idea", "second idea"])
  #expect(inc.history("root-cause").map(\.by) == ["kim", "lee"])
  #expect(inc.history("root-cause")[0].at < inc.history("root-cause")[1].at)
  #expect(inc.status == .reviewing)
}

@Test func templatesKeepEveryRevision() throws {
  var h = Harness()
  try h.run(
    .addTemplate(
      name: "Ops Retro", title: "Ops retro", questions: [Question(key: "what", prompt: "What?")]))
  try h.run(
    .reviseTemplate(
      name: "ops-retro", title: nil,
      questions: [
        Question(key: "what", prompt: "What happened?"),
        Question(key: "root-cause", prompt: "Cause?"),
      ]))
  let revs = try #require(h.state.templateRevisions["ops-retro"])
  #expect(revs.map(\.number) == [1, 2])
  #expect(revs[0].template.questions.count == 1)
  #expect(h.state.template(named: "ops-retro")?.questions.count == 2)
  #expect(h.state.template(named: "ops-retro")?.title == "Ops retro")
  let id = try h.incident("x")
  try h.answer(id, ["root-cause": "c"], template: "ops-retro")
  #expect(h.state.incidents[id]?.template == "ops-retro")
  expectError("already exists") {
    _ = try h.state.plan(
      .addTemplate(name: "ops retro", title: "", questions: [Question(key: "a", prompt: "b")]),
      context: h.context)
  }
}

@Test func builtInTemplatesHaveTheSpecifiedKeys() throws {
  let byName = Dictionary(uniqueKeysWithValues: ReviewTemplate.builtIns.map { ($0.name, $0) })
  #expect(ReviewTemplate.defaultName == "diagnostic")
  let diag = try #require(byName["diagnostic"])
  #expect(
    diag.questions.map(\.key) == [
      "expected", "assumption", "evidence", "changed", "root-cause", "gap", "hypothesis",
    ])
  #expect(diag.question("gap")?.choices == ["skill", "process", "tooling", "context", "capacity"])
  let card = try #require(byName["decision-card"])
  for k in ["assumption", "evidence", "confidence", "alternatives", "changed", "missed-signal"] {
    #expect(card.question(k) != nil)
  }
  #expect(byName["aar"] != nil && byName["five-whys"] != nil)
  #expect(throws: DomainError.self) {
    try Question(key: "d", prompt: "p", kind: .date).validate("2026-02-30")
  }
  #expect(try Question(key: "d", prompt: "p", kind: .date).validate(" 2026-02-03") == "2026-02-03")
  #expect(throws: DomainError.self) {
    try Question(key: "l", prompt: "p", kind: .line).validate("a\nb")
  }
}

@Test func notesArePrivateOnly() throws {
  var h = Harness()
  let id = try h.incident("x")
  let p = try h.run(.addNote(incident: id, text: "coach on rollback drills"))
  #expect(p.shared.isEmpty)
  #expect(p.private.map(\.type) == [EventType.noteAdded])
}
