import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real programs in a real terminal (tmux): screens, keys, resizes, and the terminal's modes
/// restored on every way out.
///
/// Serialized to keep the load low on small machines; each test has its own tmux server.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct TerminalEndToEndTests {
  /// What the app shows first on a fresh log.
  private let title = "Welcome to learnlog"

  /// Starts `learnlog` on a fresh log in a home of its own, waits for its first screen, runs
  /// `body` with the session and the first screen's rows, and cleans up.
  private func withApp(_ body: (TmuxSession, [String]) throws -> Void) throws {
    let home = try AppHome()
    let session = try home.start()
    defer {
      session.stop()
      home.remove()
    }
    try body(session, session.expectRow(containing: title))
  }

  /// Starts the toolkit demo, waits for a row containing `firstRow`, runs `body` with the
  /// session, then quits with a lone Esc (after the escape delay, not an Alt combination) and
  /// checks the terminal was restored.
  private func withToolkitDemo(firstRow: String, _ body: (TmuxSession) throws -> Void) throws {
    let session = try TmuxSession.startToolkitDemo()
    defer { session.stop() }
    session.expectRow(containing: firstRow)
    try body(session)
    try session.press("Escape")
    try expectRestored(session, status: 0)
  }

  /// Checks that the program ended with `status` and left the terminal as it found it.
  private func expectRestored(_ session: TmuxSession, status: Int32) throws {
    let after = try #require(session.file("after"), "the wrapper never finished")
    let before = try #require(session.file("before"))
    #expect(!before.isEmpty)
    #expect(before == after, "stty -g differs after the program ended")
    #expect(session.file("status") == "\(status)")
  }

  @Test func appShowsItsFirstScreenAndQuitsOnQ() throws {
    try withApp { session, screen in
      #expect(screen.first?.contains("1 Today") == true)
      #expect(screen.last { !$0.isEmpty }?.contains("q quit") == true)
      try session.press("q")
      try expectRestored(session, status: 0)
    }
  }

  @Test func appFollowsResizesAndSaysWhenTooSmall() throws {
    try withApp { session, _ in
      try session.resize(width: 70, height: 20)
      // Narrow: the tabs bar drops its padding.
      session.expectRow(containing: "1 Today 2 Incidents 3 Actions 4 Lessons 5 Patterns 6 Dash")

      try session.resize(width: 59, height: 16)
      session.expectRow(containing: "Terminal too small")
      let tooSmall = session.expectRow(containing: "now 59×16, need 60×16")
      #expect(!tooSmall.contains { $0.contains(title) })

      try session.resize(width: 60, height: 15)
      session.expectRow(containing: "now 60×15, need 60×16")

      try session.resize(width: 60, height: 16)
      let minimum = session.expectRow(containing: title)
      #expect(!minimum.contains { $0.contains("too small") })
      try session.press("q")
      try expectRestored(session, status: 0)
    }
  }

  @Test func textFieldAcceptsTypedAndPastedTextIncludingWideCharacters() throws {
    try withToolkitDemo(firstRow: "Text:") { session in
      try session.type("日本語 abc")
      session.expectRow(containing: "Text: 日本語 abc")
      try session.press("Home")
      try session.type("q→")
      session.expectRow(containing: "Text: q→日本語 abc")
      try session.press("End", "BSpace")
      session.expectRow(containing: "Text: q→日本語 ab")
      try session.paste("pasted 貼り付け")
      session.expectRow(containing: "Last: paste 11 characters")
      session.expectRow(containing: "Text: q→日本語 abpasted 貼り付け")
    }
  }

  @Test func keysArriveDecoded() throws {
    try withToolkitDemo(firstRow: "Last: none") { session in
      let cases: [(tmuxKey: String, shown: String)] = [
        ("Home", "key home"), ("End", "key end"), ("PPage", "key pageUp"),
        ("NPage", "key pageDown"), ("IC", "key insert"), ("DC", "key delete"),
        ("Up", "key up"), ("F5", "key f5"), ("F12", "key f12"), ("BTab", "key shift+tab"),
        ("C-a", "key ctrl+a"), ("C-s", "key ctrl+s"), ("M-b", "key alt+b"), ("Tab", "key tab"),
        ("Enter", "key enter"), ("BSpace", "key backspace"), ("C-Right", "key ctrl+right"),
      ]
      for (tmuxKey, shown) in cases {
        try session.press(tmuxKey)
        session.expectRow(containing: "Last: \(shown)")
        try session.press("x")  // a different event between checks, so each one is fresh
        session.expectRow(containing: "Last: key x")
      }
    }
  }

  @Test func ctrlZAndResumeLeaveTheProgramWorking() throws {
    try withToolkitDemo(firstRow: "Text:") { session in
      // The pane's job has no job control (its process group is orphaned), so the stop is
      // discarded and the program redraws at once: it must come back fully working.
      try session.press("C-z")
      session.expectRow(containing: "Last: resize 100x30")
      try session.type("after")
      session.expectRow(containing: "Text: after")
    }
  }

  @Test(
    .enabled(if: TestTools.executable(named: "bash") != nil, "bash is not installed; skipping"),
    arguments: ["ctrl-z", "SIGTSTP"])
  func jobControlSuspendsAndResumesWithTheTerminalRestored(_ how: String) throws {
    let (session, shellModes) = try TmuxSession.startInteractiveShell()
    defer { session.stop() }
    let demo = TmuxSession.shellQuoted(try TestTools.binary("learnlog-tui-demo"))
    let pid = try session.startJob(demo, waitingFor: "Text:")
    #expect(try session.paneModes() != shellModes, "curses should have changed the modes")

    #expect(try session.stopJob(pid, by: how), "the program did not stop")
    #expect(session.waitForModes(shellModes), "modes not restored while stopped")
    session.expectRow(containing: "Stopped")

    try session.resumeJob()
    session.expectRow(containing: "learnlog toolkit demo")
    try session.type("ok")
    session.expectRow(containing: "Text: ok")
    try session.press("Escape")
    #expect(TestTools.waitUntil { !TmuxSession.isRunning(pid) }, "the program did not quit")
    #expect(session.waitForModes(shellModes), "modes not restored at the end")
  }

  @Test func ctrlCQuitsAndCtrlLRedraws() throws {
    try withApp { session, _ in
      try session.press("C-l")
      session.expectRow(containing: title)
      try session.press("C-c")
      try expectRestored(session, status: 0)
    }
  }

  @Test func closingTheTerminalEndsTheProgram() throws {
    try withApp { session, _ in
      let pid = try session.programPID()
      try session.tmuxCommand(["kill-session"])
      #expect(
        TestTools.waitUntil { !TmuxSession.isRunning(pid) },
        "learnlog kept running after its terminal closed")
    }
  }

  @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
  func signalsRestoreTheTerminal(_ signal: Int32) throws {
    try withApp { session, _ in
      let pid = try session.programPID()
      #expect(kill(pid, signal) == 0)
      try expectRestored(session, status: 128 + signal)
    }
  }

  /// Starts the demo with a 3-second stall on "!" that creates a mark file (a fresh path) when
  /// it is over, types "!", waits until the demo is sleeping rather than reading input, and runs
  /// `body` with the session, the demo's pid and the mark's path.
  private func withStallingDemo(_ body: (TmuxSession, pid_t, String) throws -> Void) throws {
    let mark = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-stall-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: mark) }
    let session = try TmuxSession.startToolkitDemo(
      arguments: ["--stall-on", "!", "--stall-mark", mark])
    defer { session.stop() }
    session.expectRow(containing: "Text:")
    let pid = try session.programPID()
    try session.type("!")
    usleep(300_000)  // the demo is now sleeping, not reading input
    try body(session, pid, mark)
  }

  @Test func aSecondSignalWhileBusyRestoresAtOnce() throws {
    try withStallingDemo { session, pid, mark in
      #expect(kill(pid, SIGTERM) == 0)
      usleep(100_000)
      #expect(kill(pid, SIGTERM) == 0)
      try expectRestored(session, status: 128 + SIGTERM)
      // Ended inside the stall: it never got to say the stall was over.
      #expect(
        !FileManager.default.fileExists(atPath: mark),
        "the program ran to the end of its stall: the second signal did not end it")
    }
  }

  @Test func oneSignalWhileBusyIsActedOnWhenTheLoopReturns() throws {
    try withStallingDemo { session, pid, mark in
      #expect(!FileManager.default.fileExists(atPath: mark), "the stall ended before the signal")
      #expect(kill(pid, SIGINT) == 0)
      try expectRestored(session, status: 128 + SIGINT)
      // Acted on only once the stall ends and the loop asks for input again.
      #expect(FileManager.default.fileExists(atPath: mark), "the signal cut the stall short")
    }
  }

  @Test func anotherProgramRunsInTheNormalModesAndTheScreenComesBack() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-outside-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let inside = directory.appendingPathComponent("inside").path
    let session = try TmuxSession.startToolkitDemo(arguments: [
      "--run", "stty -g > \(TmuxSession.shellQuoted(inside)); printf 'outside'; sleep 0.3",
    ])
    defer { session.stop() }
    session.expectRow(containing: "Text:")
    try session.press("C-e")
    session.expectRow(containing: "Last: ran command, status 0")
    let modes = try String(contentsOfFile: inside, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(modes == session.file("before"), "the other program did not get the normal modes")
    try session.type("ok")
    let screen = session.expectRow(containing: "Text: ok")
    #expect(!screen.contains { $0.contains("outside") }, "the full screen was not repainted")
    try session.press("Escape")
    try expectRestored(session, status: 0)
  }

  @Test func aCrashRestoresTheTerminal() throws {
    let session = try TmuxSession.startToolkitDemo(arguments: ["--crash-on", "!"])
    defer { session.stop() }
    session.expectRow(containing: "Text:")
    try session.type("!")
    let after = try #require(session.file("after"), "the wrapper never finished")
    #expect(session.file("before") == after, "stty -g differs after the crash")
    let status = try #require(session.file("status").flatMap { Int32($0) })
    // Killed by the trap's signal: SIGILL (132) or SIGTRAP (133).
    #expect(status == 128 + SIGILL || status == 128 + SIGTRAP, "status \(status)")
  }
}

@Test func withoutATerminalTheFullScreenRefusesClearly() throws {
  let learnlog = try TestTools.binary("learnlog")
  let withArgument = try TestTools.run(learnlog, ["list"], withErrors: true)
  #expect(withArgument.status != 0)
  #expect(withArgument.status == 2)
  #expect(
    withArgument.output.hasPrefix("error: unknown command 'list'; did you mean 'incident list', "))
  for command in [
    "action list", "experiment list", "lesson list", "template list", "checklist list",
    "note list", "win list",
  ] {
    #expect(withArgument.output.contains("'\(command)'"), "\(command)")
  }
  #expect(withArgument.output.hasSuffix(" see `learnlog --help`\n"))
  #expect(withArgument.output.split(separator: "\n").count == 1)
  // Standard input is /dev/null and output a file here: no terminal, so no full screen.
  let noTerminal = try TestTools.run(learnlog, [], withErrors: true)
  #expect(noTerminal.status == 1)
  #expect(
    noTerminal.output.hasPrefix(
      "error: learnlog needs a terminal; use the command line: learnlog --help"))
  #expect(noTerminal.output.split(separator: "\n").count == 1)
}
