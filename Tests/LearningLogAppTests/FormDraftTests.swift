import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import Testing

/// Every form keeps its typed text as a draft and reopens from it; Esc on an edited form asks
/// keep as draft / discard / back; drafts reach the disk off the keystroke path.
@Suite struct FormDraftTests {
  /// A form of kind `name` on the demo log.
  ///
  /// The switch is exhaustive: a new kind of form does not compile here until it is given a
  /// case, so it cannot escape the round trip below.
  static func kind(_ name: FormKind.Name, in domain: LearningState) throws -> FormKind {
    let incident = try #require(domain.incidentList.first)
    let lesson = try #require(domain.lessonList.first)
    switch name {
    case .review: return .review(incident: incident.id, template: incident.template)
    case .newIncident: return .newIncident
    case .editIncident: return .editIncident(incident.id)
    case .setPatterns: return .setPatterns(incident.id)
    case .addAction: return .addAction(incident: incident.id)
    case .addLesson: return .addLesson(incident: incident.id)
    case .revalidateLesson: return .revalidateLesson(lesson.id)
    case .addFactor: return .addFactor(incident: incident.id)
    case .addTimelineEntry: return .addTimelineEntry(incident: incident.id)
    case .changeChecklist: return .changeChecklist(incident: incident.id)
    case .changeTemplate: return .changeTemplate(incident: incident.id)
    case .addExperiment: return .addExperiment(incident: incident.id)
    case .decideExperiment:
      return .decideExperiment(try #require(domain.experimentList.first).id)
    case .scheduleReview: return .scheduleReview(incident: incident.id)
    case .retireMitigation:
      return .retireMitigation(try #require(domain.actionList.first { $0.type == .mitigate }).id)
    case .addWin: return .addWin
    case .addNote: return .addNote(incident: incident.id)
    case .addPrivateNote: return .addPrivateNote
    }
  }

  /// Types a distinct value into every field of `form` (a choice moves to its next option).
  static func fillEveryField(_ form: inout ActiveForm) {
    for field in form.form.fields {
      switch field.kind {
      case .text: form.form.setValue(field.id, "typed \(field.id) ✓")
      case .textArea: form.form.setValue(field.id, "first line of \(field.id)\nsecond line")
      case .date: form.form.setValue(field.id, "2027-01-31")
      case .choice(let c):
        form.form.setValue(field.id, c.options[(c.index + 1) % c.options.count])
      }
    }
  }

  @Test func everyFormKindKeepsItsDraftOnDiskAndReopensFromIt() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let context = ViewContext(domain: appLog.state, today: testToday, theme: .monochrome)
    var fields = 0
    var keys: Set<String> = []
    for name in FormKind.Name.allCases {
      let kind = try Self.kind(name, in: appLog.state)
      var form = try #require(FormCatalog.make(kind, context: context), "no form for \(name)")
      Self.fillEveryField(&form)
      #expect(form.isEdited, "\(name): filling every field changed nothing")
      let typed = form.values
      fields += typed.count
      keys.insert(form.draftKey)

      // Through the store as the app writes it, then back.
      let store = DraftStore(directory: directory)
      try store.save(form.draft)
      let loaded = try #require(store.load(form.draftKey), "\(name): the draft did not load")
      #expect(FormKind(draft: loaded) == kind, "\(name): the draft reopens another form")

      // A new start offers it; accepting reopens the same form with every value typed.
      let app = try AppHarness(appLog: appLog, draftDirectory: directory)
      var state = AppState(
        appLog: appLog, today: testToday, theme: .monochrome,
        size: Size(width: 100, height: 30), drafts: [loaded])
      #expect(state.overlay == .confirm(.restoreDraft(loaded)))
      try app.type("y", into: &state)
      let reopened = try #require(state.form, "\(name): accepting the draft opened nothing")
      #expect(reopened.kind == kind)
      #expect(reopened.values == typed, "\(name): the restored values differ")
      try store.discard(form.draftKey)
    }
    #expect(keys.count == FormKind.Name.allCases.count, "two kinds share a draft key")
    print(
      "drafts: \(FormKind.Name.allCases.count) form kinds, \(fields) fields kept and restored")
  }

  @Test func draftKeysNameTheKindAndTheEntity() {
    #expect(FormKind.newIncident.draftKey == "new-incident")
    #expect(FormKind.addAction(incident: "i1").draftKey == "add-action-i1")
    #expect(
      FormKind.addAction(incident: "i2").draftKey != FormKind.addAction(incident: "i1").draftKey)
    #expect(FormKind.review(incident: "i1", template: "x").draftKey == "review-i1")
    #expect(FormKind.addLesson(incident: nil).draftKey == "add-lesson")
  }

  @Test func aReviewDraftKeptBeforeEveryFormHadDraftsStillReopens() throws {
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let incident = try #require(appLog.state.incidentList.first)
    let old = FormDraft(
      key: "review-\(incident.id)",
      values: ["_incident": incident.id, "_template": incident.template, "expected": "kept"])
    #expect(FormKind(draft: old) == .review(incident: incident.id, template: incident.template))
    let app = try AppHarness(appLog: appLog)
    var state = AppState(
      appLog: appLog, today: testToday, theme: .monochrome, size: Size(width: 80, height: 24),
      drafts: [old])
    try app.type("y", into: &state)
    #expect(state.form?.value("expected") == "kept")
  }

  @Test func aDraftWhoseIncidentIsGoneIsKeptNotThrownAway() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let draft = FormDraft(
      key: "add-action-gone",
      values: ["_form": "add-action", "_subject": "gone", "title": "Text to keep"])
    try DraftStore(directory: directory).save(draft)
    let app = try AppHarness(appLog: appLog, draftDirectory: directory)
    var state = app.initialState()
    try app.type("y", into: &state)
    #expect(state.form == nil)
    #expect(state.status?.isError == true)
    #expect(DraftStore(directory: directory).load("add-action-gone") == draft)
  }

  @Test func aWriteCutByKillLeavesTheOlderDraftAndNoTemporaryFile() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = DraftStore(directory: directory)
    let older = FormDraft(key: "new-incident", values: ["_form": "new-incident", "title": "Older"])
    try store.save(older)
    // What a process killed between writing and renaming leaves: its temporary files.
    for name in [".new-incident.json.999999999.tmp", ".new-incident.json.pending.tmp"] {
      try Data("{\"key\":\"new-incident\",\"values\":{\"title\":\"Ne".utf8)
        .write(to: directory.appendingPathComponent(name))
    }
    let mine = ".new-incident.json.\(getpid()).tmp"
    try Data().write(to: directory.appendingPathComponent(mine))
    #expect(store.all() == [older])
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(left == [mine, "new-incident.json"].sorted())
  }

  // MARK: Esc: keep as draft / discard / back

  @Test func escOnAnEditedFormAsksKeepDiscardOrBack() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n \(words("Half a title")) <Esc>", into: &s)
    #expect(s.overlay == .leaveForm)
    #expect(app.model.hints(s).map(\.label) == ["keep as draft", "discard", "back"])
    let frame = app.frame(s)
    #expect(frame.lines().containsLine(with: "k keep as draft"))
    #expect(frame.lines().containsLine(with: "d discard"))
    #expect(frame.lines().containsLine(with: "Esc back"))
    // Other keys do nothing while it asks.
    try app.type("x q", into: &s)
    #expect(s.overlay == .leaveForm && !s.isQuitting)
    // Esc and b go back to the form, text intact.
    try app.type("<Esc>", into: &s)
    #expect(s.overlay == nil && s.form?.value("title") == "Half a title")
    try app.type("<Esc> b", into: &s)
    #expect(s.overlay == nil && s.form?.value("title") == "Half a title")
  }

  @Test func keepAsDraftClosesTheFormAndReopeningRestoresIt() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n \(words("Half a title")) <Esc>", into: &s)
    var kept = s
    let effects = app.model.reduce(&kept, .leaveForm(.keepDraft))
    #expect(kept.form == nil && kept.overlay == nil)
    #expect(kept.status?.text.hasPrefix("draft kept: new incident") == true)
    guard case .app(.saveDraft(let key, let values))? = effects.first else {
      Issue.record("keeping did not save the draft: \(effects)")
      return
    }
    #expect(key == "new-incident" && values["title"] == "Half a title")
    // Enter keeps too; the draft is on disk after the next idle tick.
    try app.type("<Enter>", into: &s)
    #expect(s.form == nil)
    app.send(.tick, to: &s)
    #expect(
      DraftStore(directory: app.draftDirectory).load("new-incident")?.values["title"]
        == "Half a title")
    // Opening the same form again restores the text.
    try app.type("n", into: &s)
    #expect(s.form?.value("title") == "Half a title")
    #expect(s.status?.text.hasPrefix("draft restored") == true)
  }

  @Test func discardThrowsTheTextAndTheDraftAway() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n \(words("Half a title"))", into: &s)
    app.send(.tick, to: &s)
    #expect(DraftStore(directory: app.draftDirectory).load("new-incident") != nil)
    try app.type("<Esc> d", into: &s)
    #expect(s.form == nil && s.overlay == nil)
    #expect(DraftStore(directory: app.draftDirectory).all().isEmpty)
    try app.type("n", into: &s)
    #expect(s.form?.value("title") == "")
  }

  @Test func ctrlCWithAnEditedAddActionFormKeepsItsDraft() throws {
    let directory = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let app = try AppHarness(appLog: appLog, draftDirectory: directory)
    let (_, quit) = try app.run("2 a \(words("Check the flag store")) <C-c>")
    #expect(quit.isQuitting)
    guard case .addAction(let id)? = quit.form?.kind else {
      Issue.record("the add-action form was not open at Ctrl-C")
      return
    }
    let draft = try #require(DraftStore(directory: directory).load("add-action-\(id)"))
    #expect(draft.values["title"] == "Check the flag store")
    let (_, offered) = try AppHarness(appLog: appLog, draftDirectory: directory).run("y")
    #expect(offered.form?.kind == .addAction(incident: id))
    #expect(offered.form?.value("title") == "Check the flag store")
  }

  // MARK: Off the keystroke path

  /// A clock a test moves by hand.
  final class ManualClock: @unchecked Sendable {
    var nanoseconds: UInt64 = 1_000_000_000
  }

  @Test func typingAThousandKeysWritesTheDraftAFewTimesNotOncePerKey() throws {
    let app = try AppHarness()
    let clock = ManualClock()
    app.runner.clock = { clock.nanoseconds }
    var s = app.initialState()
    try app.type("2 n", into: &s)
    let keys = 1_000
    let perKey: UInt64 = 20_000_000  // 50 keys a second: a fast typist
    for i in 0..<keys {
      clock.nanoseconds += perKey
      let c = Character(UnicodeScalar(UInt8(97 + i % 26)))
      app.send(.form(.key(KeyEvent(.character(c)))), to: &s)
    }
    let typing = UInt64(keys) * perKey
    let bound = Int(typing / app.runner.draftDelayNanoseconds) + 1
    let writes = app.runner.draftWrites
    #expect(writes >= 1, "20 s of typing never reached the disk")
    #expect(writes <= bound, "\(writes) draft writes for \(keys) keys (at most \(bound))")
    #expect(app.runner.hasPendingDraft)
    // The idle tick writes the rest: the file holds every key.
    app.send(.tick, to: &s)
    #expect(!app.runner.hasPendingDraft)
    let kept = try #require(DraftStore(directory: app.draftDirectory).load("new-incident"))
    #expect(kept.values["title"]?.count == keys)
    print(
      "drafts: \(keys) keys over \(typing / 1_000_000_000) s wrote the draft "
        + "\(writes) times while typing, \(app.runner.draftWrites) with the idle tick")
  }

  /// What keeping the draft in memory costs a key when a field holds 64 KiB (printed, not
  /// asserted: the disk is not touched on the key's path, only the encoding is).
  @Test func theCostOfAKeyWithABigDraftIsPrinted() throws {
    let app = try AppHarness()
    app.runner.clock = { 0 }  // time stands still: only the idle tick would write
    var s = app.initialState()
    try app.type("2 n", into: &s)
    app.send(.form(.paste(String(repeating: "0123456789abcdef", count: 4096))), to: &s)
    let keys = 20
    let clock = ContinuousClock()
    let took = clock.measure {
      for _ in 0..<keys { app.send(.form(.key(.char("x"))), to: &s) }
    }
    #expect(app.runner.draftWrites == 0)
    #expect(s.form?.value("title").count == 65_536 + keys)
    let perKey = took / keys
    print("drafts: a key in a form holding 64 KiB costs \(perKey) with the draft kept in memory")
  }

  /// Typing N and then 4N keys into a field after a large paste: the draft is gathered and
  /// encoded by time (at most once a second while typing), never once per key.
  @Test func typingAfterALargePasteEncodesTheDraftByTimeNotPerKey() throws {
    let pasted = String(repeating: "0123456789abcdef", count: 4096)  // 64 KiB
    let perKey: UInt64 = 2_000_000  // 500 keys a second: held-down keys
    func encodings(typing keys: Int) throws -> (count: Int, bytes: Int) {
      let app = try AppHarness()
      let clock = ManualClock()
      app.runner.clock = { clock.nanoseconds }
      var s = app.initialState()
      try app.type("2 n", into: &s)
      app.send(.form(.paste(pasted)), to: &s)
      app.send(.tick, to: &s)
      #expect(app.runner.draftEncodings == 1, "the paste was not kept on the idle tick")
      let start = (count: app.runner.draftEncodings, bytes: app.runner.draftBytesEncoded)
      for _ in 0..<keys {
        clock.nanoseconds += perKey
        app.send(.form(.key(.char("x"))), to: &s)
      }
      let typed = (
        count: app.runner.draftEncodings - start.count,
        bytes: app.runner.draftBytesEncoded - start.bytes
      )
      // The idle tick keeps the rest: the file holds the paste and every key.
      app.send(.tick, to: &s)
      let kept = try #require(DraftStore(directory: app.draftDirectory).load("new-incident"))
      #expect(kept.values["title"]?.count == pasted.count + keys)
      return typed
    }
    let n = 400
    let few = try encodings(typing: n)
    let many = try encodings(typing: 4 * n)
    // By the clock: 0.8 s and 3.2 s of typing encode at most 1 and 4 times.
    let bound = { (keys: Int) in Int(UInt64(keys) * perKey / 1_000_000_000) + 1 }
    #expect(few.count <= bound(n), "\(few.count) encodings for \(n) keys")
    #expect(many.count <= bound(4 * n), "\(many.count) encodings for \(4 * n) keys")
    #expect(many.bytes <= bound(4 * n) * (pasted.utf8.count + 4 * n + 200))
    print(
      "drafts: after a 64 KiB paste, \(n) keys encoded the draft \(few.count) times "
        + "(\(few.bytes) bytes), \(4 * n) keys \(many.count) times (\(many.bytes) bytes)")
  }

  @Test func keysWithinOneSecondWriteNothingUntilTheTick() throws {
    let app = try AppHarness()
    let clock = ManualClock()
    app.runner.clock = { clock.nanoseconds }
    var s = app.initialState()
    var pendingBytes: [Int] = []
    app.runner.onPendingDraft = { pendingBytes.append($0?.bytes.count ?? 0) }
    try app.type("2 n \(words("Forty keys typed in well under a second"))", into: &s)
    #expect(app.runner.draftWrites == 0)
    // A key only marks the draft changed: nothing encoded, nothing laid out, no disk.
    #expect(app.runner.draftEncodings == 0)
    #expect(pendingBytes.isEmpty)
    #expect(DraftStore(directory: app.draftDirectory).all().isEmpty)
    app.send(.tick, to: &s)
    #expect(app.runner.draftWrites == 1)
    #expect(app.runner.draftEncodings == 1)
    // The bytes were laid out for the signal handlers while written, then cleared.
    #expect(pendingBytes.count == 2 && pendingBytes.first ?? 0 > 0)
    #expect(pendingBytes.last == 0, "the written draft was not cleared for the handlers")
  }

  @Test func backToHowItStartedForgetsTheDraft() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n x", into: &s)
    app.send(.tick, to: &s)
    #expect(DraftStore(directory: app.draftDirectory).load("new-incident") != nil)
    try app.type("<Backspace>", into: &s)
    #expect(app.runner.hasPendingDraft)
    app.send(.tick, to: &s)
    #expect(!app.runner.hasPendingDraft)
    #expect(DraftStore(directory: app.draftDirectory).all().isEmpty)
    // A draft kept with Esc is forgotten too when its text is taken back out.
    try app.type("y <Esc> k n", into: &s)
    #expect(s.form?.value("title") == "y")
    try app.type("<BS> <Esc>", into: &s)
    #expect(s.form == nil && s.keptDrafts.isEmpty)
    try app.type("n", into: &s)
    #expect(s.form?.value("title") == "")
  }
}
