import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

/// The flows users come for, driven with keys on the in-memory terminal.
@Suite struct AppLogTests {
  @Test func browseToAnIncidentAndReadItsReview() throws {
    let app = try AppHarness()
    let domain = app.appLog.state
    let reviewed = try #require(
      domain.incidentList.first { $0.title.hasPrefix("Write-behind cache") })
    let rootCause = try #require(reviewed.answer("root-cause"))
    // Today → incidents, search for it, keep the search, read the detail and scroll it.
    let (terminal, state) = try app.run(
      "2 / \(words("write-behind")) <Enter> <Tab> j", size: Size(width: 120, height: 40))
    #expect(IncidentsScreen.selected(state.incidents, context: state.context)?.id == reviewed.id)
    #expect(state.incidents.focus == .detail)
    let screen = terminal.screenLines
    #expect(screen.containsLine(with: "Review ("))
    #expect(screen.containsLine(with: String(rootCause.prefix(40))))
    #expect(screen.containsLine(with: "What cause does the outcome tie to?"))
    #expect(screen.containsLine(with: "Actions"))
  }

  @Test func fillAReviewFormWithTheKeyboardAndSaveIt() throws {
    let app = try AppHarness()
    let domain = app.appLog.state
    // The newest incident: a repeat of deploy/config-drift with a partial review.
    let target = try #require(domain.incidentList.max { $0.occurred < $1.occurred })
    #expect(domain.reviewStatus(target).isRepeat)
    let before = app.appLog.records.count
    let script = [
      "2 r",  // the review form of the selected (newest) incident
      words("Flags stay as they were after rollback."),
      "<Tab> <Tab> <Tab>",  // to "what changed?"
      words("Rollback now skips the flag service;"), "<Enter>", words("nobody knew."),
      "<Tab>", words("Flags live outside the release."),  // root cause
      "<Tab> <Space> <Space>",  // gap: — → skill → process
      "<Tab> <Tab>",  // past the hypothesis to why-fix-failed
      words("The check read the release, not the flag store."),
      "<C-s>",
    ].joined(separator: " ")
    let (terminal, state) = try app.run(script)
    #expect(state.form == nil)
    #expect(state.status?.text == "saved: review")
    let new = app.appLog.records.dropFirst(before)
    let answered = new.filter { $0.type == "review.answered" }
    let keys = answered.compactMap { $0.body.objectValue?["key"]?.stringValue }
    #expect(Set(keys) == ["expected", "changed", "root-cause", "gap", "why-fix-failed"])
    let inc = try #require(app.appLog.state.incidents[target.id])
    #expect(inc.answer("expected") == "Flags stay as they were after rollback.")
    #expect(inc.answer("changed") == "Rollback now skips the flag service;\nnobody knew.")
    #expect(inc.answer("gap") == "process")
    #expect(inc.answer("why-fix-failed") == "The check read the release, not the flag store.")
    // Unchanged answers were not written again.
    #expect(!keys.contains("assumption"))
    #expect(terminal.screenLines.containsLine(with: "saved: review"))
  }

  @Test func aDraftIsOfferedBackAfterACrash() throws {
    let drafts = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: drafts) }
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let first = try AppHarness(appLog: appLog, draftDirectory: drafts)
    // Type into the review form, then the terminal dies: no save, no Esc.
    let (_, crashed) = try first.run("2 r \(words("Half an answer"))")
    #expect(crashed.form != nil)
    let kept = DraftStore(directory: drafts).all()
    #expect(kept.count == 1)
    #expect(kept.first?.values["expected"] == "Half an answer")
    let file = try #require(
      try FileManager.default.contentsOfDirectory(atPath: drafts.path).first {
        $0.hasSuffix(".json")
      })
    let mode =
      try FileManager.default.attributesOfItem(atPath: drafts.appendingPathComponent(file).path)[
        .posixPermissions] as? Int
    #expect(mode == 0o600)

    // A new run on the same log offers it back; accepting restores and saving clears it.
    let second = try AppHarness(appLog: appLog, draftDirectory: drafts)
    let (offer, offered) = try second.run("")
    #expect(offered.overlay == .confirm(.restoreDraft(try #require(kept.first))))
    #expect(offer.screenLines.containsLine(with: "Restore it?"))
    let (_, restored) = try second.run("y", from: second.initialState())
    #expect(restored.form?.value("expected") == "Half an answer")
    let (_, saved) = try second.run("y <C-s>", from: second.initialState())
    #expect(saved.form == nil)
    let id = try #require(kept.first?.values["_incident"])
    #expect(appLog.state.incidents[id]?.answer("expected") == "Half an answer")
    #expect(DraftStore(directory: drafts).all().isEmpty)
  }

  @Test func decliningADraftDiscardsIt() throws {
    let drafts = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: drafts) }
    let appLog = try InMemoryAppLog.demo(today: testToday)
    _ = try AppHarness(appLog: appLog, draftDirectory: drafts).run("2 r x")
    #expect(DraftStore(directory: drafts).all().count == 1)
    let (_, state) = try AppHarness(appLog: appLog, draftDirectory: drafts).run("n")
    #expect(state.form == nil)
    #expect(DraftStore(directory: drafts).all().isEmpty)
  }

  @Test func aChangeFromAnotherProcessAppearsOnTheNextTick() throws {
    let app = try AppHarness()
    let terminal = TestTerminal(size: Size(width: 80, height: 24), events: try KeyScript.parse("2"))
    terminal.sendIdle(1)
    try app.appLog.appendFromElsewhere(
      .addIncident(NewIncident(title: "Appended elsewhere", occurred: "2026-11-25")))
    #expect(!app.appLog.state.incidentList.contains { $0.title == "Appended elsewhere" })
    let state = app.program.run(app.initialState(), on: terminal)
    #expect(state.logVersion == 1)
    #expect(terminal.screenLines.containsLine(with: "Appended elsewhere"))
  }

  @Test func resizeBelowTheMinimumAndBack() throws {
    let app = try AppHarness()
    let terminal = TestTerminal(size: Size(width: 80, height: 24), events: try KeyScript.parse("2"))
    terminal.resize(to: Size(width: 59, height: 20))
    let s1 = app.program.run(app.initialState(), on: terminal)
    #expect(terminal.screenLines.containsLine(with: "need 60×16"))
    terminal.resize(to: Size(width: 100, height: 30))
    _ = app.program.run(s1, on: terminal)
    #expect(
      terminal.screenLines.containsLine(with: "of 13 incidents")
        || terminal.screenLines.containsLine(with: "incidents"))
    #expect(!terminal.screenLines.containsLine(with: "too small"))
  }
}

@Test func escInTheDetailClearsAKeptSearch() throws {
  let app = try AppHarness()
  var s = app.initialState()
  try app.type("2 / write-behind <Enter> <Tab> <Esc>", into: &s)
  #expect(s.incidents.search.text.isEmpty)
  #expect(
    IncidentsScreen.rows(s.incidents, context: s.context).count == s.context.domain.incidents.count)
}

@Test func hostileLogTextIsDrawnSafelyOnEveryViewOfTheApp() throws {
  let app = try AppHarness()
  let hostile = "Evil \u{1B}]52;c;aGk=\u{07} title \u{202E}desrever\u{202C} \u{200B}end"
  _ = try app.appLog.perform(
    .addIncident(
      NewIncident(
        title: hostile, what: "line\u{1B}[2Jclear", team: "t\u{0}eam", tags: ["x\u{1B}y"],
        occurred: "2026-11-25")))
  let inc = try #require(app.appLog.state.incidentList.first { $0.title == hostile })
  _ = try app.appLog.perform(
    .review(
      incident: inc.id, template: nil, answers: [ReviewAnswer(key: "expected", value: hostile)]))
  // Every registered screen, and what opens on the incidents screen.
  let screens = AppTab.allCases.map { "\($0.rawValue)" }
  for script in [""] + screens + ["2 <Tab>", "2 r", "2 e", "2 p", "2 ?"] {
    let (terminal, _) = try app.run(script)
    let frame = try #require(terminal.lastFrame)
    #expect(unsafeScalars(in: frame).isEmpty, "\(script)")
  }
}
