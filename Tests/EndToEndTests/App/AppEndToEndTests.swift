import Foundation
import LearningLog
import Testing

/// A home of its own for the app: HOME and the XDG directories in a temporary directory, and
/// LEARNLOG_FILE naming a log there (not created: the app starts on a fresh log).
struct AppHome {
  let directory: URL
  var log: String { directory.appendingPathComponent("team/log.jsonl").path }

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-app-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  }

  /// `env` arguments running the app in this home.
  func arguments(_ learnlog: String, editor: String = "true") -> [String] {
    let d = directory.path
    return [
      "HOME=\(d)", "XDG_STATE_HOME=\(d)/state", "XDG_DATA_HOME=\(d)/data",
      "XDG_CONFIG_HOME=\(d)/config", "LEARNLOG_FILE=\(log)", "EDITOR=\(editor)",
      "TERM=xterm-256color",
      learnlog,
    ]
  }

  /// Starts the app in a tmux pane of its own, with `environment` (`NAME=value` words) added.
  func start(
    width: Int = 100, height: Int = 30, editor: String = "true", environment: [String] = []
  ) throws -> TmuxSession {
    let env = try #require(TestTools.executable(named: "env"))
    return try TmuxSession(
      program: env,
      arguments: environment + arguments(try TestTools.binary("learnlog"), editor: editor),
      width: width,
      height: height)
  }

  /// Starts the app on a fresh log and loads the demo data (see `TmuxSession.loadDemo`).
  func startOnDemo(
    editor: String = "true", environment: [String] = [],
    after firstRows: [String] = ["Welcome to learnlog"],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> TmuxSession {
    let app = try start(editor: editor, environment: environment)
    do {
      try app.loadDemo(after: firstRows, sourceLocation: sourceLocation)
    } catch {
      app.stop()
      throw error
    }
    return app
  }

  /// Runs `body` with a fresh home and the app started there on the demo data (see
  /// `startOnDemo`); stops the app and removes the home afterwards.
  static func withAppOnDemo(
    editor: String = "true", environment: [String] = [],
    after firstRows: [String] = ["Welcome to learnlog"],
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: (AppHome, TmuxSession) throws -> Void
  ) throws {
    let home = try AppHome()
    defer { home.remove() }
    let app = try home.startOnDemo(
      editor: editor, environment: environment, after: firstRows, sourceLocation: sourceLocation)
    defer { app.stop() }
    try body(home, app)
  }

  /// The app's command line in this home as one line of shell words, for a shell to run.
  func shellCommand(editor: String = "true") throws -> String {
    arguments(try TestTools.binary("learnlog"), editor: editor)
      .map(TmuxSession.shellQuoted).joined(separator: " ")
  }

  /// The log as it is on disk, replayed.
  func replayedLog() throws -> LearningState {
    let store = try LogStore.open(path: log, readOnly: true)
    return LearningState.replay(store.records)
  }

  /// What `learnlog export --format json` says about the log, as the command line reads it.
  func exported() throws -> [String: Any] {
    let env = try #require(TestTools.executable(named: "env"))
    var arguments = arguments(try TestTools.binary("learnlog"))
    arguments += ["--file", log, "export", "--format", "json"]
    let result = try TestTools.run(env, arguments)
    #expect(result.status == 0, "export failed: \(result.output)")
    let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    return try #require(object as? [String: Any])
  }

  /// The exported incidents.
  func exportedIncidents() throws -> [[String: Any]] {
    try #require(try exported()["incidents"] as? [[String: Any]])
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// The full-screen app, the real binary in tmux: keys sent as a person would, the screen read
/// back, and the result checked in the log file afterwards.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct AppEndToEndTests {
  @Test func loadTheDemoBrowseReviewSaveAndMarkAnActionDone() throws {
    try AppHome.withAppOnDemo(after: ["Welcome to learnlog", "d   load the demo data"]) {
      home, app in

      // Browse to an incident and read its review.
      try app.press("2")
      app.expectRow(containing: "of 12 incidents")
      try app.press("/")
      try app.type("write-behind")
      try app.press("Enter")
      app.expectRow(containing: "1 of 12 sort")
      try app.press("Tab")
      app.expectRow(containing: "◆")
      app.expectRow(containing: "Write-behind cache")
      // Down the detail a line at a time to the review (a page is the pane's height).
      let question = "What cause does the outcome tie to?"
      // Each step waits for its line to be drawn: keys sent ahead of a slow frame overshoot.
      for _ in 0..<60 where !app.screen().contains(where: { $0.contains(question) }) {
        let before = app.screen()
        try app.press("j")
        app.waitForScreen { $0 != before }
      }
      app.expectRow(containing: "Review (Decision card)")
      app.expectRow(containing: question)

      // Fill the newest incident's review with the keyboard and save it.
      // Esc alone (a key right after it would read as Alt-key).
      try app.press("Escape")
      app.expectRow(containing: "12 of 12 incidents")
      try app.press("Tab")
      app.waitForScreen { !$0.contains { $0.contains("◆") } }
      try app.press("g", "r")
      app.expectRow(containing: "Review · Diagnostic review")
      app.expectRow(containing: "why didn't our earlier fix hold?")
      try app.type("Flags stay as they were after rollback.")
      try app.press("Tab", "Tab", "Tab", "Tab")
      try app.type("Flags live outside the release.")
      try app.press("Tab", "Space", "Space")
      try app.save(expecting: "review")

      // Mark an action done on the board.
      let before = try home.replayedLog()
      let openCount = before.actionList.filter { $0.status == .open }.count
      try app.press("3")
      app.expectRow(containing: "open")
      try app.press("x")
      let done = app.waitForScreen { _ in
        ((try? home.replayedLog().actionList.filter { $0.status == .open }.count) ?? openCount)
          == openCount - 1
      }
      #expect(done.matched, "no action was marked done:\n\(done.screen.joined(separator: "\n"))")
      try app.press("q")
      #expect(app.file("status") == "0")

      // Checked through the command line's export.
      let incidents = try home.exportedIncidents()
      #expect(incidents.count == 12)
      let newest = try #require(
        incidents.max { ($0["occurred"] as? String ?? "") < ($1["occurred"] as? String ?? "") })
      let answers = try #require(newest["answers"] as? [String: String])
      #expect(answers["expected"] == "Flags stay as they were after rollback.")
      #expect(answers["root-cause"] == "Flags live outside the release.")
      #expect(answers["gap"] == "process")
      let actions = try #require(try home.exported()["actions"] as? [[String: Any]])
      #expect(actions.filter { $0["status"] as? String == "open" }.count == openCount - 1)
    }
  }

  @Test func factorsTimelineAChecklistRevisionAndTheAuthorFromTheIncident() throws {
    try AppHome.withAppOnDemo(environment: ["LEARNLOG_AUTHOR=Robin"]) { home, app in
      try app.press("2", "/")
      try app.type("write-behind")
      try app.press("Enter")
      app.expectRow(containing: "1 of 12 sort")

      // A contributing factor (c) and a timeline entry (t), from the incident.
      try app.press("c")
      app.expectRow(containing: "Add contributing factor")
      try app.type("Flag defaults were on")
      try app.press("Tab", "Right", "C-s")
      app.expectRow(containing: "saved: factor")
      try app.press("t")
      app.expectRow(containing: "Add timeline entry")
      try app.type("18:15")
      try app.press("Tab", "Left", "Tab")
      try app.type("Postmortem held")
      try app.press("Tab")
      try app.type("https://wiki.example.com/pm")
      try app.save(expecting: "timeline entry")

      // This led to a change: revise the checklist the incident prompted before.
      try app.press("C")
      app.expectRow(containing: "This led to a checklist change")
      try app.press("Right", "Right", "Tab", "Tab", "Tab")
      try app.type("Flag defaults reviewed")
      try app.press("Tab")
      try app.type("3")
      try app.save(expecting: "checklist")

      // A review answer, and the author in the detail.
      try app.press("r")
      app.expectRow(containing: "Review · Decision card")
      try app.type(" Measured since.")
      // The review form's own follow-through fields: a factor and a timeline entry.
      let questions = try #require(
        ReviewTemplate.builtIns.first { $0.name == "decision-card" }?.questions.count)
      for _ in 0..<questions { try app.press("Tab") }
      app.expectRow(containing: "▶ Add a contributing factor")
      try app.type("Restarts were never load-tested")
      try app.press("Tab", "Right", "Right")
      app.expectRow(containing: "[process]")
      try app.press("Tab")
      try app.type("19:00")
      try app.press("Tab")
      try app.type("Review held")
      try app.save(expecting: "review")
      app.expectRow(containing: "answered by sam, Robin")
      // Down the detail a line at a time until the earlier version shows (a page is the pane's
      // height, so how many pages it takes depends on the terminal's size).
      try app.press("Tab")
      let earlier = "sam: Restarts are"
      for _ in 0..<60 where !app.screen().contains(where: { $0.contains(earlier) }) {
        try app.press("j")
      }
      app.expectRow(containing: earlier)
      try app.press("q")
      #expect(app.file("status") == "0")

      let state = try home.replayedLog()
      let inc = try #require(state.incidentList.first { $0.title.hasPrefix("Write-behind") })
      let factor = try #require(
        state.factors(of: inc.id).first { $0.text == "Flag defaults were on" })
      #expect(
        factor.text == "Flag defaults were on" && factor.gap == .tooling && factor.by == "Robin")
      let entry = try #require(state.timeline(of: inc.id).first { $0.text == "Postmortem held" })
      #expect(entry.text == "Postmortem held" && entry.kind == .resolved)
      #expect(entry.link == "https://wiki.example.com/pm" && entry.by == "Robin")
      #expect(LocalTime.string(entry.time).hasSuffix(" 18:15"))
      let list = try #require(state.checklists["before-enabling-write-behind-caches"])
      let rev = try #require(list.revisions.last)
      #expect(rev.number == 2 && rev.because == inc.id && rev.by == "Robin")
      #expect(rev.added == ["Flag defaults reviewed"] && rev.removed.count == 1)
      #expect(inc.history("assumption").last?.by == "Robin")
      #expect(state.factors(of: inc.id).contains { $0.text == "Restarts were never load-tested" })
      #expect(state.timeline(of: inc.id).contains { $0.text == "Review held" && $0.by == "Robin" })
    }
  }

  @Test func twoInstancesOnOneLogSeeEachOthersChanges() throws {
    let home = try AppHome()
    defer { home.remove() }
    let first = try home.startOnDemo()
    defer { first.stop() }

    let second = try home.start()
    defer { second.stop() }
    second.expectRow(containing: "carried over")
    try second.press("2")
    second.expectRow(containing: "of 12 incidents")

    // A new incident in the first appears in the second without a restart.
    try first.press("2", "n")
    first.expectRow(containing: "New incident")
    try first.type("Seen by both instances")
    try first.save(expecting: "new incident")
    second.expectRow(containing: "of 13 incidents")
    second.expectRow(containing: "Seen by both instances")

    // And back the other way: an edit in the second shows in the first.
    try second.press("g", "e")
    second.expectRow(containing: "Edit incident")
    try second.press("C-u")
    try second.type("Renamed in the second")
    try second.save(expecting: "incident edit")
    first.expectRow(containing: "Renamed in the second")

    try first.press("q")
    try second.press("q")
    #expect(first.file("status") == "0")
    #expect(second.file("status") == "0")
    let titles = try home.exportedIncidents().compactMap { $0["title"] as? String }
    #expect(titles.contains("Renamed in the second"))
    #expect(titles.count == 13)
  }

  @Test func aReviewDraftSurvivesAKilledTerminal() throws {
    let home = try AppHome()
    defer { home.remove() }
    let first = try home.startOnDemo()
    try first.press("2", "r")
    first.expectRow(containing: "Review ·")
    try first.type("Half an answer")
    // The draft reaches the disk on the next idle tick (half a second without a key).
    first.expectRow(containing: "Half an answer")
    let drafts = home.directory.appendingPathComponent("state/learnlog/drafts")
    let kept = first.waitForScreen { _ in
      ((try? FileManager.default.contentsOfDirectory(atPath: drafts.path)) ?? []).contains {
        $0.hasSuffix(".json")
      }
    }
    #expect(kept.matched, "no draft was written to \(drafts.path)")
    try first.tmuxCommand(["kill-server"])
    first.stop()

    let second = try home.start()
    defer { second.stop() }
    second.expectRow(containing: "Restore it?")
    try second.press("y")
    second.expectRow(containing: "Half an answer")
    try second.save(expecting: "review")
    try second.press("q")
    #expect(second.file("status") == "0")
    let answers = try home.exportedIncidents().compactMap { $0["answers"] as? [String: String] }
    #expect(answers.contains { $0["expected"] == "Half an answer" })
  }
}
