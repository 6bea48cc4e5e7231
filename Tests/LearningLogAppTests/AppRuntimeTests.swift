import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

@Suite struct AppRuntimeTests {
  @Test func draftStoreKeepsPrivateFilesAndReplacesAtomically() throws {
    let dir = temporaryDirectory().appendingPathComponent("drafts")
    defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
    let store = DraftStore(directory: dir)
    try store.save(FormDraft(key: "review-abc", values: ["expected": "one"]))
    try store.save(FormDraft(key: "review-abc", values: ["expected": "two"]))
    try store.save(FormDraft(key: "review/../evil", values: ["x": "y"]))
    #expect(store.load("review-abc")?.values["expected"] == "two")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    // No temporary file left behind; a key cannot leave the directory.
    #expect(names == ["review-abc.json", "review____evil.json"])
    for name in names {
      let mode =
        try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[
          .posixPermissions] as? Int
      #expect(mode == 0o600)
    }
    #expect(store.all().count == 2)
    try store.discard("review-abc")
    try store.discard("review-abc")
    #expect(store.load("review-abc") == nil)
    // A damaged draft is skipped, never a crash.
    try Data("{not json".utf8).write(to: dir.appendingPathComponent("broken.json"))
    #expect(store.all().map(\.key) == ["review/../evil"])
  }

  @Test func draftsLiveInTheStateDirectory() {
    let xdg = DraftStore.standard(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
    #expect(xdg.directory.path == "/s/learnlog/drafts")
    let home = DraftStore.standard(environment: ["HOME": "/h"])
    #expect(home.directory.path == "/h/.local/state/learnlog/drafts")
  }

  @Test func aDraftThatCannotBeWrittenIsReported() throws {
    let file = temporaryDirectory().appendingPathComponent("not-a-dir")
    defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
    try Data("x".utf8).write(to: file)
    let runner = EffectRunner(
      appLog: InMemoryAppLog(today: testToday), drafts: DraftStore(directory: file))
    let actions = runner.run(.app(.saveDraft(key: "review-x", values: ["a": "b"])))
    guard case .setStatus(let text)? = actions.first else {
      Issue.record("expected a status, got \(actions)")
      return
    }
    #expect(text.hasPrefix("error: draft not kept:"))
  }

  @Test func externalEditorRunsInsideTheSuspendHook() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = dir.appendingPathComponent("ed.sh")
    try Data(
      "#!/bin/sh\nprintf 'edited: ' > \"$1.tmp\"; cat \"$1\" >> \"$1.tmp\"; mv \"$1.tmp\" \"$1\"\n"
        .utf8
    )
    .write(to: script)
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script.path)
    let suspended = Counter()
    let editor = ExternalEditor(command: script.path) { body in
      suspended.value += 1
      body()
    }
    #expect(try editor.edit("a long answer") == "edited: a long answer")
    #expect(suspended.value == 1)
    let failing = ExternalEditor(command: "false") { $0() }
    #expect(throws: EditorError.self) { try failing.edit("x") }
    let named = ExternalEditor.fromEnvironment(["EDITOR": "nano", "VISUAL": ""]) { $0() }
    #expect(named.command == "nano")
  }

  @Test func storeSessionAppendsPlansAgainstFreshStateAndFollowsOtherWriters() throws {
    let dir = temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("log.jsonl").path
    let mine = FileAppLog(
      store: try LogStore.create(path: path),
      privateStore: PrivateStore(directory: dir.appendingPathComponent("private").path),
      today: { testToday })
    let theirs = FileAppLog(
      store: try LogStore.open(path: path),
      privateStore: PrivateStore(directory: dir.appendingPathComponent("private-theirs").path),
      today: { testToday })
    try mine.loadDemo()
    #expect(mine.state.incidents.count == 12)
    #expect(throws: (any Error).self) { try theirs.loadDemo() }  // not empty any more
    #expect(theirs.state.incidents.count == 12)  // caught up while trying
    let created = try theirs.perform(.addIncident(NewIncident(title: "From the other side")))
    let id = try #require(created.createdID)
    #expect(try mine.refresh())
    #expect(mine.state.incidents[id]?.title == "From the other side")
    #expect(try !mine.refresh())
    // A write planned by `mine` sees what `theirs` appended meanwhile.
    _ = try theirs.perform(.setIncidentField(incident: id, field: "title", value: "Renamed"))
    _ = try mine.perform(
      .addAction(NewAction(incident: id, title: "Follow up", owner: "sam", due: "2026-12-01")))
    #expect(mine.state.incidents[id]?.title == "Renamed")
    #expect(mine.state.actions(of: id).count == 1)
    // A skill gap's growth item goes to the private file, never the log.
    let inc = try #require(mine.state.incidentList.first { $0.answer("gap") == nil })
    _ = try mine.perform(
      .review(incident: inc.id, template: nil, answers: [ReviewAnswer(key: "gap", value: "skill")]))
    let shared = try String(contentsOfFile: path, encoding: .utf8)
    #expect(!shared.contains("growth.created"))
    let privateRecords = try PrivateStore(directory: dir.appendingPathComponent("private").path)
      .records()
    #expect(privateRecords.contains { $0.type == "growth.created" })
  }
}

final class Counter: @unchecked Sendable {
  var value = 0
}

/// A form's save is one write through the one write path: all of its commands or none.
@Suite struct FormSaveIsOneWriteTests {
  /// The app over a demo log on a memory file system, its incident form open with two
  /// fields changed.
  struct Editing {
    let fs = MemoryFileSystem()
    let model = AppModel()
    let runner: EffectRunner
    var state: AppState
    let incident: String
    let title: String

    init() throws {
      try fs.makeDirectories("/data", permissions: 0o755)
      let store = try LogStore.create(path: "/data/log.jsonl", fileSystem: fs)
      store.writerID = "writer-a"
      let appLog = FileAppLog(
        store: store, privateStore: PrivateStore(directory: temporaryDirectory().path),
        today: { testToday })
      try appLog.loadDemo()
      runner = EffectRunner(appLog: appLog, drafts: nil)
      state = AppState(
        appLog: appLog, today: testToday, theme: .monochrome,
        size: Size(width: 80, height: 24), drafts: [])
      let inc = try #require(IncidentsScreen.selected(state.incidents, context: state.context))
      incident = inc.id
      title = inc.title
      for event in try KeyScript.parse("2 e <C-u> Renamed") {
        if let action = model.action(for: event, in: state) { send(action) }
      }
      state.form?.form.setValue("severity", inc.severity == .high ? "low" : "high")
    }

    mutating func send(_ action: AppAction) {
      let runner = self.runner
      Program(model: model, tickMilliseconds: 500) { runner.run($0) }.send(action, to: &state)
    }

    var log: [UInt8] { fs.contents("/data/log.jsonl") ?? [] }
  }

  @Test func aSaveOfSeveralChangesIsOneEffect() throws {
    var e = try Editing()
    let effects = e.model.reduce(&e.state, .form(.save))
    #expect(effects.count == 1)
    guard case .app(.performAll(let commands, _)) = effects.first else {
      Issue.record("the save is not one write: \(effects)")
      return
    }
    #expect(commands.count == 2)
  }

  /// The save, failing after each of its lines (and a byte into the next), leaves the log
  /// byte for byte as it was and the form open to try again.
  @Test func aWriteFailingAnywhereInTheSaveKeepsNoneAndTheFormOpen() throws {
    var probe = try Editing()
    let before = probe.log
    let syncs = probe.fs.syncPoints
    probe.send(.form(.save))
    #expect(probe.state.form == nil)
    #expect(probe.fs.syncPoints - syncs == 1)
    #expect(probe.state.context.domain.incidents[probe.incident]?.title == "Renamed")
    let ends = Array(probe.log[before.count...]).indices.filter {
      probe.log[before.count + $0] == 0x0A
    }
    #expect(ends.count == 2)
    for budget in [0, 1, ends[0], ends[0] + 1, ends[0] + 2, ends[1]] {
      var e = try Editing()
      let unchanged = e.log
      e.fs.writeBudget = budget
      e.send(.form(.save))
      #expect(e.log == unchanged, "budget \(budget)")
      #expect(e.state.form != nil)
      #expect(e.state.status?.isError == true)
      #expect(e.state.context.domain.incidents[e.incident]?.title == e.title)
    }
  }
}
