import Foundation
import LearningLog
import LearningLogApp
import TerminalUI
import Testing

/// The closed loop in the app: its forms save their commands, a private note stays private,
/// the private space lists it, and a save says what comes next.
@Suite struct LoopFormsTests {
  /// Opens `kind`, sets `values`, saves; returns the state after.
  func save(
    _ app: AppHarness, _ kind: FormKind, _ values: [String: String], in state: inout AppState
  ) {
    // What was written straight to the app log reaches the app as a change of the log.
    app.send(.logChanged(app.appLog.state), to: &state)
    app.send(.navigate(.form(kind)), to: &state)
    for (k, v) in values { state.form?.form.setValue(k, v) }
    app.send(.form(.save), to: &state)
  }

  @Test func everyClosedLoopFormSavesItsCommand() throws {
    let app = try AppHarness(demo: false)
    var state = app.initialState(size: Size(width: 100, height: 30))
    let plan = try app.appLog.perform(
      .addIncident(NewIncident(title: "Estimate slipped", severity: "high")))
    let inc = try #require(plan.createdID)
    let today = testToday.description
    save(
      app, .addExperiment(incident: inc),
      ["hypothesis": "pairing helps", "change": "pair", "criteria": "no slip", "check": today],
      in: &state)
    let e = try #require(app.appLog.state.experimentList.first)
    #expect(e.incident == inc && e.change == "pair")
    save(app, .decideExperiment(e.id), ["result": "no slip since"], in: &state)
    #expect(app.appLog.state.experiments[e.id]?.decision == .adopt)
    save(
      app, .scheduleReview(incident: inc),
      ["on": testToday.adding(days: 2).description, "facilitator": "kim", "with": "sam, ana"],
      in: &state)
    #expect(app.appLog.state.reviewSchedules[inc]?.participants == ["sam", "ana"])
    let m = try #require(
      try app.appLog.perform(
        .addAction(
          NewAction(
            incident: inc, title: "roll back", owner: "sam", due: today, type: "mitigate",
            until: today))
      ).createdID)
    save(app, .retireMitigation(m), ["reason": "the patch holds"], in: &state)
    #expect(app.appLog.state.actions[m]?.retirement?.decision == .revert)
    save(app, .addWin, ["title": "clean launch", "people": "sam"], in: &state)
    #expect(app.appLog.state.winList.map(\.title) == ["clean launch"])
    #expect(state.status?.isError != true, "\(String(describing: state.status))")
  }

  @Test func aPrivateNoteGoesToThePrivateFileAndThePrivateSpaceListsIt() throws {
    let app = try AppHarness(demo: false)
    var state = app.initialState(size: Size(width: 100, height: 30))
    let inc = try #require(
      try app.appLog.perform(.addIncident(NewIncident(title: "Estimate slipped"))).createdID)
    let sharedBefore = app.appLog.records.count
    save(app, .addNote(incident: inc), ["text": "ask about the sprint load"], in: &state)
    #expect(app.appLog.records.count == sharedBefore)
    #expect(app.appLog.privateRecords.count == 1)
    #expect(!app.appLog.records.contains { "\($0.body)".contains("sprint load") })
    try app.type("P", into: &state)
    guard case .privateSpace(let notes, _) = state.overlay else {
      Issue.record("P opened no private space: \(String(describing: state.overlay))")
      return
    }
    #expect(notes.map(\.text) == ["ask about the sprint load"])
    let screen = app.frame(state).lines()
    #expect(screen.containsLine(with: "ask about the sprint load"))
    try app.type("<Esc>", into: &state)
    #expect(state.overlay == nil)
    #expect(!app.frame(state).lines().containsLine(with: "sprint load"))
  }

  @Test func aSavedHypothesisOffersAnExperimentAndAHighIncidentAReflection() throws {
    let app = try AppHarness(demo: false)
    var state = app.initialState(size: Size(width: 100, height: 30))
    save(app, .newIncident, ["title": "Checkout down", "severity": "critical"], in: &state)
    #expect(state.status?.text.contains("S schedules its review") == true)
    let inc = try #require(app.appLog.state.incidentList.first).id
    save(
      app, .review(incident: inc, template: ReviewTemplate.defaultName),
      ["hypothesis": "a canary catches it"], in: &state)
    #expect(state.status?.text.contains("x on the incident turns") == true)
    app.send(.logChanged(app.appLog.state), to: &state)
    app.send(.navigate(.form(.addExperiment(incident: inc))), to: &state)
    #expect(state.form?.value("hypothesis") == "a canary catches it")
  }
}
