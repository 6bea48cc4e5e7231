import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A newcomer's first hour, in a real terminal: the editor, scrolling, messages, search.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct NewcomerEndToEndTests {
  /// Ctrl-E runs vim from an interactive shell (job control on): vim owns the terminal while it
  /// runs, what is typed in it comes back into the field, and the app is whole afterwards.
  @Test(
    .enabled(
      if: TestTools.executable(named: "bash") != nil && TestTools.executable(named: "vim") != nil,
      "bash or vim is not installed; skipping"))
  func ctrlEOpensVimInTheForegroundAndTheAnswerIsSaved() throws {
    let home = try AppHome()
    defer { home.remove() }
    let (shell, shellModes) = try TmuxSession.startInteractiveShell()
    defer { shell.stop() }
    try shell.type("env \(try home.shellCommand(editor: "vim")); echo exit=$?")
    try shell.press("Enter")
    try shell.loadDemo()
    try shell.press("2", "r")
    shell.expectRow(containing: "Review ·")
    try shell.press("C-e")
    // vim's empty buffer: its tildes down the left edge.
    let inVim = shell.waitForScreen { $0.filter { $0 == "~" }.count >= 5 }
    try #require(inVim.matched, "vim did not show:\n\(inVim.screen.joined(separator: "\n"))")
    try typeInVim(shell, "Written in vim")
    shell.expectRow(containing: "│   Written in vim")  // in the form, not vim's own screen
    try shell.save(expecting: "review")
    try shell.press("q")
    shell.expectRow(containing: "exit=0")
    #expect(shell.waitForModes(shellModes), "the shell's modes were not restored")
    let answers = try home.exportedIncidents().compactMap { $0["answers"] as? [String: String] }
    #expect(answers.contains { $0["expected"] == "Written in vim" })
  }

  /// The same in a pane without job control (no interactive shell): vim still gets the
  /// terminal, and the `vi` fallback (no `$VISUAL`, no `$EDITOR`) is vim too here.
  @Test(
    .enabled(if: TestTools.executable(named: "vim") != nil, "vim is not installed; skipping"),
    arguments: ["vim", ""])
  func ctrlEOpensTheEditorWithoutJobControl(_ editor: String) throws {
    try AppHome.withAppOnDemo(editor: editor) { home, app in
      try app.press("2", "r")
      app.expectRow(containing: "Review ·")
      try app.press("C-e")
      let inVim = app.waitForScreen { $0.filter { $0 == "~" }.count >= 5 }
      try #require(
        inVim.matched, "the editor did not show:\n\(inVim.screen.joined(separator: "\n"))")
      try typeInVim(app, "No job control")
      app.expectRow(containing: "│   No job control")  // in the form, not vim's own screen
      try app.save(expecting: "review")
      try app.press("q")
      #expect(app.file("status") == "0")
      let answers = try home.exportedIncidents().compactMap { $0["answers"] as? [String: String] }
      #expect(answers.contains { $0["expected"] == "No job control" })
    }
  }

  /// Closing the terminal while the editor runs ends the app too (the hang-up reaches the
  /// editor's process group, the terminal's foreground, and is passed on).
  @Test(.enabled(if: TestTools.executable(named: "vim") != nil, "vim is not installed; skipping"))
  func closingTheTerminalDuringTheEditorEndsTheApp() throws {
    let home = try AppHome()
    defer { home.remove() }
    let app = try home.start(editor: "vim")
    defer { app.stop() }
    app.expectRow(containing: "Welcome to learnlog")
    let pid = try app.programPID()
    try app.press("2", "n")
    app.expectRow(containing: "New incident")
    try app.press("C-e")
    app.expectRow(containing: ".md\"")
    try app.tmuxCommand(["kill-server"])
    // A bounded wait, not a speed bar: on the hang-up vim writes its recovery file (and syncs
    // it) before it exits, which under a full parallel test run can take more than 10 s.
    #expect(
      TestTools.waitUntil(timeout: 30) { !TmuxSession.isRunning(pid) },
      "learnlog kept running after its terminal closed")
    if TmuxSession.isRunning(pid) { kill(pid, SIGKILL) }
  }

  /// The incident detail stops at its end: a key back up moves at once after paging far
  /// past it, and End shows the last line.
  @Test func theDetailPaneStopsAtItsEnd() throws {
    try AppHome.withAppOnDemo { home, app in
      try app.press("2", "Tab")
      app.expectRow(containing: "◆")
      for _ in 0..<30 { try app.press("NPage") }
      // Settled: nothing more to come.
      let end = app.waitForScreen(timeout: 1) { _ in false }.screen
      try app.press("k")
      let moved = app.waitForScreen(timeout: 3) { $0 != end }
      #expect(moved.matched, "k did nothing after paging past the end")
      try app.press("End")
      let again = app.waitForScreen(timeout: 3) { $0 == end }
      #expect(again.matched, "End did not show the end")
      try app.press("q")
    }
  }

  /// A message leaves the status line at the next key and stays readable in the message log.
  @Test func messagesLeaveAtTheNextKeyAndMShowsThem() throws {
    try AppHome.withAppOnDemo { home, app in
      try app.press("2")
      let gone = app.waitForScreen { !$0.contains { $0.contains("demo data loaded") } }
      #expect(gone.matched, "the message stayed after a key")
      app.expectRow(containing: "12 incidents · 12 actions")
      try app.press("M")
      app.expectRow(containing: "Messages (Esc closes)")
      app.expectRow(containing: "demo data loaded")
      try app.press("Escape")
      try app.press("q")
    }
  }

  /// Types `text` into vim's buffer and writes and quits, each step once vim shows it is ready
  /// (keys sent while vim still talks with the terminal at its start can be lost).
  private func typeInVim(_ session: TmuxSession, _ text: String) throws {
    session.expectRow(containing: ".md\"")
    try session.type("i")
    session.expectRow(containing: "-- INSERT --")
    try session.type(text)
    try session.press("Escape")
    let normal = session.waitForScreen { !$0.contains { $0.contains("-- INSERT --") } }
    #expect(normal.matched, "vim stayed in insert mode")
    try session.type(":wq")
    try session.press("Enter")
  }
}
