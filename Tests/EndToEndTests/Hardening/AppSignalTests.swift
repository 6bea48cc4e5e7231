import Foundation
import LearningLog
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The real app in tmux with a review form holding unsaved text, then a signal: the terminal's
/// modes come back (`stty -g` equal), the draft is on disk and restorable, the log unchanged.
///
/// SIGSEGV, SIGABRT, SIGBUS, SIGILL and SIGTRAP stand for a crash: a Swift runtime trap raises
/// SIGILL or SIGTRAP and reaches the same handler (the backend's demo provokes a real trap in
/// `TerminalEndToEndTests.aCrashRestoresTheTerminal`).
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct AppSignalTests {
  /// A session with the demo loaded and a review form holding `text` (its draft written).
  struct Prepared {
    let app: TmuxSession
    let pid: pid_t
    let log: Data
  }

  static func drafts(_ home: AppHome) -> String {
    home.directory.appendingPathComponent("state/learnlog/drafts").path
  }

  /// Whether some draft file (a kept one, not a temporary file of a write) holds `text`.
  static func draftHolds(_ home: AppHome, _ text: String) -> Bool {
    let dir = drafts(home)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.contains {
      (FileManager.default.contents(atPath: dir + "/" + $0)).map {
        $0.range(of: Data(text.utf8)) != nil
      } ?? false
    }
  }

  static func prepare(_ home: AppHome, text: String) throws -> Prepared {
    let app = try home.startOnDemo()
    let log = FileManager.default.contents(atPath: home.log) ?? Data()
    try app.press("2", "r")
    app.expectRow(containing: "Review ·")
    try app.type(text)
    app.expectRow(containing: text)
    #expect(TestTools.waitUntil { draftHolds(home, text) }, "no draft holds the typed text")
    return Prepared(app: app, pid: try app.programPID(), log: log)
  }

  /// The terminal restored, the status as expected, the log untouched and clean.
  static func expectIntact(
    _ home: AppHome, _ p: Prepared, status: Int32, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let after = try #require(p.app.file("after"), "the wrapper never finished")
    #expect(p.app.file("before") == after, "stty -g differs", sourceLocation: sourceLocation)
    #expect(p.app.file("status") == "\(status)", sourceLocation: sourceLocation)
    #expect(
      FileManager.default.contents(atPath: home.log) == p.log, "the log changed",
      sourceLocation: sourceLocation)
    #expect(try LogStore.inspect(path: home.log).isClean, sourceLocation: sourceLocation)
  }

  /// Starts the app again: it offers the draft, and restores the text.
  static func expectRestorable(_ home: AppHome, _ text: String) throws {
    let again = try home.start()
    defer { again.stop() }
    again.expectRow(containing: "Restore it?")
    try again.press("y")
    again.expectRow(containing: text)
    try again.press("Escape")
  }

  @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP])
  func aSignalWithAnUnsavedReviewLeavesTheTerminalTheDraftAndTheLog(_ signal: Int32) throws {
    let home = try AppHome()
    defer { home.remove() }
    let text = "Unsaved answer \(signal)"
    let p = try Self.prepare(home, text: text)
    defer { p.app.stop() }
    #expect(kill(p.pid, signal) == 0)
    try Self.expectIntact(home, p, status: 128 + signal)
    #expect(Self.draftHolds(home, text))
    try Self.expectRestorable(home, text)
    print(
      "app: signal \(signal) with an unsaved review: terminal restored, draft kept, log unchanged")
  }

  /// Ctrl-Z or SIGTSTP under a job-control shell (a stop signal to a process group without
  /// one is discarded by the kernel), then `fg`: the modes are the shell's while stopped, the
  /// form comes back with its text and takes more.
  @Test(
    .enabled(if: TestTools.executable(named: "bash") != nil, "bash is not installed; skipping"),
    arguments: ["ctrl-z", "SIGTSTP"])
  func stopAndContinueWithAnUnsavedReview(_ how: String) throws {
    let home = try AppHome()
    defer { home.remove() }
    let (shell, shellModes) = try TmuxSession.startInteractiveShell()
    defer { shell.stop() }
    let pid = try shell.startJob(
      "env \(try home.shellCommand())", waitingFor: "Welcome to learnlog")
    try shell.loadDemo(after: [])
    let log = FileManager.default.contents(atPath: home.log) ?? Data()
    try shell.press("2", "r")
    shell.expectRow(containing: "Review ·")
    try shell.type("Before the stop")
    shell.expectRow(containing: "Before the stop")

    // A bounded wait, not a speed: under a loaded machine the stop can take seconds to land.
    #expect(try shell.stopJob(pid, by: how, timeout: 30), "the app did not stop")
    #expect(shell.waitForModes(shellModes), "the terminal was not restored while stopped")
    shell.expectRow(containing: "Stopped")
    try shell.resumeJob()
    shell.expectRow(containing: "Review ·")
    try shell.type(" and after")
    shell.expectRow(containing: "Before the stop and after")
    #expect(TestTools.waitUntil { Self.draftHolds(home, "Before the stop and after") })
    #expect(kill(pid, SIGTERM) == 0)
    #expect(TestTools.waitUntil { !TmuxSession.isRunning(pid) }, "the app did not end")
    #expect(shell.waitForModes(shellModes), "the terminal was not restored at the end")
    #expect(FileManager.default.contents(atPath: home.log) == log, "the log changed")
    try Self.expectRestorable(home, "Before the stop and after")
    print("app: \(how) and fg with an unsaved review: modes restored, draft kept, log unchanged")
  }
}

/// Another process damages the log while the app is open.
///
/// An app that has the log open checks only the header, the last 4 KiB it read and what was
/// appended since (a full read on every write would cost the write's bound), so a byte changed
/// in the middle is noticed at the next open, not at once. What holds: the damaged bytes are never
/// cut or rewritten, a record written meanwhile is appended whole after them, the next start
/// refuses to write and names the damage, and `repair` keeps every valid record.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct AppDamagedLogTests {
  @Test func aLogDamagedUnderTheAppIsNeverCutAndRepairKeepsEverything() throws {
    try AppHome.withAppOnDemo { home, app in
      let pid = try app.programPID()
      // Flip one byte in the middle of a record: its checksum no longer matches.
      var bytes = [UInt8](FileManager.default.contents(atPath: home.log) ?? Data())
      bytes[bytes.count / 2] ^= 0x01
      try Data(bytes).write(to: URL(fileURLWithPath: home.log))
      usleep(1_200_000)  // more than two ticks: the app has looked at the file
      try app.press("2", "n")
      app.expectRow(containing: "New incident")
      try app.type("Written over damage")
      try app.press("C-s")
      usleep(800_000)
      #expect(TmuxSession.isRunning(pid), "the app ended on a damaged log")
      let afterSave = [UInt8](FileManager.default.contents(atPath: home.log) ?? Data())
      #expect(afterSave.starts(with: bytes), "the damaged bytes were cut or rewritten")
      let inspection = try LogStore.inspect(path: home.log)
      #expect(inspection.damaged.count == 1 && inspection.tornTail == nil)
      #expect(kill(pid, SIGTERM) == 0)
      let after = try #require(app.file("after"), "the wrapper never finished")
      #expect(app.file("before") == after, "stty -g differs")

      // The next start refuses (the app does not open a damaged log for writing) and writes
      // nothing; `check` names the line.
      let again = try home.start()
      defer { again.stop() }
      let status = try #require(again.file("status"), "the app kept running on a damaged log")
      #expect(status != "0", "the app opened a damaged log")
      #expect(again.file("before") == again.file("after"), "stty -g differs")
      #expect([UInt8](FileManager.default.contents(atPath: home.log) ?? Data()) == afterSave)
      let env = try #require(TestTools.executable(named: "env"))
      let check = try TestTools.run(
        env, home.arguments(try TestTools.binary("learnlog")) + ["check"], withErrors: true)
      #expect(check.status != 0 && check.output.contains("damaged"), "\(check.output)")

      // Repair keeps every valid record, the one written over the damage too.
      let report = try LogStore.repair(path: home.log)
      #expect(report.droppedLines.count == 1 && report.keptRecords == inspection.records.count)
      let titles = try home.replayedLog().incidentList.map(\.title)
      #expect(titles.contains("Written over damage"))
      print(
        "damaged under the app: damaged bytes kept, 1 record appended after them, "
          + "the next start refused (status \(status)), repair kept \(report.keptRecords) records")
    }
  }
}
