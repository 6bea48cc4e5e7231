import Foundation
import LearningLog
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real app in tmux: text typed into the new-incident form or the add-action form survives
/// every way out (Ctrl-C, SIGTERM, SIGHUP, kill -9, Esc → keep as draft) and a crash signal
/// (SIGSEGV, SIGABRT, SIGBUS, SIGILL) ends the process at once, with or without the Swift
/// backtracer, the terminal restored and the draft the last idle tick wrote kept; the next start
/// offers the draft back.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct DraftExitTests {
  /// A form to type into: the keys that open it and the title it shows.
  struct Form: CustomStringConvertible, Sendable {
    let keys: [String]
    let title: String
    var description: String { title }
    static let newIncident = Form(keys: ["2", "n"], title: "New incident")
    static let addAction = Form(keys: ["2", "a"], title: "Add action")
  }

  /// How the app is ended.
  enum Exit: String, CaseIterable, Sendable {
    case ctrlC, sigterm, sighup, sigkill
  }

  /// Starts the app in `home` (with `environment` in front of the app's own: `-u NAME`
  /// unsets), loads the demo and types `text` into `form`.
  static func typeIntoForm(
    _ home: AppHome, _ form: Form, _ text: String, environment: [String] = []
  ) throws -> (TmuxSession, pid_t) {
    let app = try home.startOnDemo(environment: environment)
    try app.tmuxCommand(["send-keys"] + form.keys)
    app.expectRow(containing: form.title)
    try app.type(text)
    app.expectRow(containing: text)
    return (app, try app.programPID())
  }

  /// Polls until `pid` has ended; returns how long it took, nil after `timeout` seconds.
  static func waitForEnd(_ pid: pid_t, timeout: Double = 10) -> Double? {
    let start = Date()
    let ended = TestTools.waitUntil(timeout: timeout) { !TmuxSession.isRunning(pid) }
    return ended ? Date().timeIntervalSince(start) : nil
  }

  /// The next start offers the draft of `form`, and accepting it shows `text` in that form.
  static func expectOffered(
    _ home: AppHome, _ form: Form, _ text: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let again = try home.start()
    defer { again.stop() }
    again.expectRow(containing: "Restore it?", sourceLocation: sourceLocation)
    try again.press("y")
    let screen = again.expectRow(containing: text, sourceLocation: sourceLocation)
    #expect(
      screen.contains { $0.contains(form.title) }, "the draft reopened another form",
      sourceLocation: sourceLocation)
    try again.press("Escape")
    again.expectRow(containing: "keep as draft", sourceLocation: sourceLocation)
    try again.press("k")
    again.expectRow(containing: "draft kept", sourceLocation: sourceLocation)
    try again.press("q")
    #expect(again.file("status") == "0", sourceLocation: sourceLocation)
  }

  @Test(arguments: [Form.newIncident, Form.addAction], Exit.allCases)
  func typedTextSurvivesEveryWayOut(_ form: Form, _ exit: Exit) throws {
    let home = try AppHome()
    defer { home.remove() }
    let text = "Unsaved \(exit.rawValue) text"
    let (app, pid) = try Self.typeIntoForm(home, form, text)
    defer { app.stop() }
    let status: Int32
    switch exit {
    case .ctrlC:
      try app.press("C-c")
      status = 0
    case .sigterm:
      #expect(kill(pid, SIGTERM) == 0)
      status = 128 + SIGTERM
    case .sighup:
      #expect(kill(pid, SIGHUP) == 0)
      status = 128 + SIGHUP
    case .sigkill:
      // Nothing runs on kill -9: the draft must already be on disk, written as typed.
      #expect(
        TestTools.waitUntil { AppSignalTests.draftHolds(home, text) },
        "the typed text never reached the disk before kill -9")
      #expect(kill(pid, SIGKILL) == 0)
      status = 128 + SIGKILL
    }
    #expect(Self.waitForEnd(pid) != nil, "the app did not end")
    let after = try #require(app.file("after"), "the wrapper never finished")
    if exit != .sigkill {
      // kill -9 cannot restore anything; every other way out does.
      #expect(app.file("before") == after, "stty -g differs")
    }
    #expect(app.file("status") == "\(status)")
    #expect(AppSignalTests.draftHolds(home, text), "no draft holds the typed text")
    try Self.expectOffered(home, form, text)
    print("drafts: \(form) form, \(exit.rawValue): draft kept and offered back")
  }

  @Test func escKeepAsDraftThenQuitOffersItAtTheNextStart() throws {
    let home = try AppHome()
    defer { home.remove() }
    let text = "Kept on purpose"
    let (app, _) = try Self.typeIntoForm(home, .addAction, text)
    defer { app.stop() }
    try app.press("Escape")
    app.expectRow(containing: "keep as draft")
    app.expectRow(containing: "discard")
    try app.press("k")
    app.expectRow(containing: "draft kept")
    try app.press("q")
    #expect(app.file("status") == "0")
    #expect(AppSignalTests.draftHolds(home, text))
    try Self.expectOffered(home, .addAction, text)
  }

  /// Each crash signal, with the Swift backtracer as a user may have it (unset: on and
  /// interactive in a terminal; explicitly interactive; off): the process ends within the
  /// polling deadline, never waiting at "Press space to interact".
  @Test(
    arguments: [SIGSEGV, SIGABRT, SIGBUS, SIGILL],
    [
      ["-u", "SWIFT_BACKTRACE"], ["SWIFT_BACKTRACE=enable=yes,interactive=yes"],
      [
        "SWIFT_BACKTRACE=enable=no"
      ],
    ])
  func aCrashEndsAtOnceWithTheTerminalRestoredAndTheDraftKept(
    _ signal: Int32, _ backtrace: [String]
  ) throws {
    let home = try AppHome()
    defer { home.remove() }
    let text = "Typed before signal \(signal)"
    let (app, pid) = try Self.typeIntoForm(home, .newIncident, text, environment: backtrace)
    defer { app.stop() }
    // Drafts are gathered and written on the idle tick after typing, never on the key: a
    // crash keeps what the last tick wrote (at most about a second of typing is lost).
    #expect(
      TestTools.waitUntil { AppSignalTests.draftHolds(home, text) },
      "the typed text never reached the disk on the tick after typing")
    #expect(kill(pid, signal) == 0)
    let took = try #require(
      Self.waitForEnd(pid), "the app was still running 10 s after signal \(signal)")
    let after = try #require(app.file("after"), "the wrapper never finished")
    #expect(app.file("before") == after, "stty -g differs")
    #expect(app.file("status") == "\(128 + signal)")
    #expect(AppSignalTests.draftHolds(home, text), "no draft holds the typed text")
    let state = home.directory.appendingPathComponent("state/learnlog")
    let reports = ((try? FileManager.default.contentsOfDirectory(atPath: state.path)) ?? [])
      .filter { $0.hasPrefix("crash-") }
    if backtrace.last != "SWIFT_BACKTRACE=enable=no" {
      // The backtracer ran, writing to the report file instead of the terminal.
      let report = try #require(reports.first, "no crash report in \(state.path)")
      let body = FileManager.default.contents(atPath: state.appendingPathComponent(report).path)
      #expect(
        body.map { $0.range(of: Data("crashed".utf8)) != nil } == true,
        "the report holds no backtrace")
    }
    try Self.expectOffered(home, .newIncident, text)
    print(
      "crash: signal \(signal) with \(backtrace.joined(separator: " ")): ended \(String(format: "%.2f", took)) s "
        + "after the signal (polled), terminal restored, draft kept, \(reports.count) report(s)")
  }
}
