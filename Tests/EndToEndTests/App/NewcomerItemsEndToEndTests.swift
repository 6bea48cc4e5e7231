import Foundation
import LearningLog
import Testing

/// An interactive bash in a tmux pane (a real terminal: standard output is a tty), in an
/// `AppHome`, with the built programs first on PATH; each command's status is read from its
/// prompt (`[sh N rc=S] $`).
final class ShellPane {
  let session: TmuxSession
  private var prompt = 1

  init(home: AppHome, width: Int = 100, height: Int = 30, extra: [String] = []) throws {
    let d = home.directory.path
    let bin = try #require(TestTools.binDirectory).path
    let bash = try #require(TestTools.executable(named: "bash"))
    let environment =
      [
        "HOME=\(d)", "XDG_STATE_HOME=\(d)/state", "XDG_DATA_HOME=\(d)/data",
        "XDG_CONFIG_HOME=\(d)/config", "LEARNLOG_FILE=\(home.log)", "PATH=\(bin):/usr/bin:/bin",
        "TERM=xterm-256color", "LANG=C.UTF-8", "EDITOR=true", "LEARNLOG_AUTHOR=sam",
        "PROMPT_COMMAND=rc=$?; n=$((n+1))", "PS1=[sh $n rc=$rc] $ ",
      ] + extra
    let script =
      "cd " + TmuxSession.shellQuoted(d) + " && exec env -i "
      + environment.map(TmuxSession.shellQuoted).joined(separator: " ") + " "
      + TmuxSession.shellQuoted(bash) + " --norc --noprofile -i"
    session = try TmuxSession(command: ["sh", "-c", script], width: width, height: height)
    session.expectRow(containing: "[sh 1 rc=0]")
  }

  deinit { session.stop() }

  /// Runs `command` as typed; returns its exit status and the rows it printed (as the
  /// terminal shows them: wrapped rows stay separate).
  @discardableResult
  func run(_ command: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> (
    status: Int, rows: [String]
  ) {
    let start = "[sh \(prompt) rc="
    try session.type(command)
    try session.press("Enter")
    prompt += 1
    let end = "[sh \(prompt) rc="
    let result = session.waitForScreen(timeout: 20) { $0.contains { $0.contains(end) } }
    try #require(
      result.matched, "\(command) did not finish:\n\(result.screen.joined(separator: "\n"))",
      sourceLocation: sourceLocation)
    guard let output = try? session.tmuxCommand(["capture-pane", "-p", "-S", "-3000"]) else {
      return (-1, [])
    }
    let rows = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = rows.lastIndex { $0.contains(start) } ?? 0
    let last = rows.lastIndex { $0.contains(end) } ?? rows.count
    let status = rows[last].components(separatedBy: end).last.flatMap {
      Int($0.prefix { $0.isNumber })
    }
    return (status ?? -1, Array(rows[(first + 1)..<last]))
  }
}

/// The numbered items of a newcomer's first hour, each tried in a real terminal (tmux) as the
/// report found it, so a return of any of them fails here.
///
/// Items 1, 2 and 5 are in
/// `NewcomerEndToEndTests`, 11 in `ReadmeWalkTests` (the README's sharing recipe), 14 in
/// `WhereThingsLiveTests`; item 10 (forms) in the form tests.
@Suite(
  .serialized,
  .enabled(
    if: TestTools.tmux != nil && TestTools.executable(named: "bash") != nil,
    "tmux or bash is missing"))
struct NewcomerItemsEndToEndTests {
  /// Item 3: `incident show` in a terminal prints a line break as a new line, in the column of
  /// the text above, never as `^J`.
  @Test func item03ShowPrintsLineBreaksAsLines() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home)
    try shell.run("learnlog init")
    try shell.run(
      #"I=$(learnlog incident add --title Outage --what "$(printf 'first line\nsecond line')")"#)
    let shown = try shell.run(#"learnlog incident show "$I""#)
    #expect(shown.status == 0)
    #expect(!shown.rows.contains { $0.contains("^J") }, "\(shown.rows)")
    let first = try #require(shown.rows.first { $0.hasSuffix("first line") }, "\(shown.rows)")
    let second = try #require(shown.rows.first { $0.hasSuffix("second line") }, "\(shown.rows)")
    #expect(first.count - "first line".count == second.count - "second line".count)
  }

  /// Item 4: the ◆ scroll marker has a column of its own: the detail's title, read from its
  /// rows, is whole (the marker took none of its characters), and no detail text is drawn in
  /// the marker's column; for the first incident and the last (whose title reaches the marker).
  @Test func item04TheScrollMarkerOverwritesNothing() throws {
    try AppHome.withAppOnDemo { home, app in
      let titles = try home.exportedIncidents().compactMap { $0["title"] as? String }
      try app.press("2")
      app.expectRow(containing: "12 of 12 incidents")
      for (key, position) in [("g", "1/12"), ("G", "12/12")] {
        // Select in the list (g/G there), then focus the detail, where the marker shows.
        try app.press(key)
        app.expectRow(containing: position)
        try app.press("Tab")
        let screen = app.expectRow(containing: "◆")
        defer { try? app.press("Tab") }
        let top = try #require(screen.firstIndex { $0.contains("◆") })
        let column = Array(screen[top]).firstIndex(of: "◆") ?? 0
        // The title: the detail's rows from the marker's row down to the id line.
        var words: [String] = []
        for row in screen[top...] {
          let detail =
            row.split(separator: "│", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
          if detail.contains(" · ") { break }
          words.append(
            detail.replacingOccurrences(of: "◆", with: "").trimmingCharacters(in: .whitespaces))
        }
        let title = words.joined(separator: " ")
        #expect(titles.contains(title), "the title reads \"\(title)\": the marker took a character")
        for line in screen[(top + 1)..<(screen.count - 3)] {
          let cells = Array(line)
          #expect(
            cells.count <= column || cells[column] == " ", "text in the marker's column: \(line)")
        }
      }
    }
  }

  /// Item 6: the Patterns tab names each pattern's step with the command line's word.
  @Test func item06PatternStepsAreNamedOneWay() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home)
    try shell.run("learnlog demo > /dev/null")
    let env = try #require(TestTools.executable(named: "env"))
    let json = try TestTools.run(
      env, home.arguments(try TestTools.binary("learnlog")) + ["patterns", "--json"])
    let patterns = try #require(
      try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
    #expect(patterns.count >= 3)
    let app = try home.start()
    defer { app.stop() }
    try app.press("5")
    let screen = app.expectRow(containing: "Failure patterns")
    for p in patterns {
      let key = try #require(p["key"] as? String)
      let step = try #require(p["step"] as? String)
      let row = screen.first { $0.hasPrefix(key + " ") }
      #expect(
        row?.contains(" \(step) ") == true,
        "\(key): the CLI says \(step); the tab: \(row ?? "no row")")
    }
    #expect(!screen.joined().contains("why-didn't-fix-hold"))
  }

  /// Item 7: an owner is one person in the app's form too; the board's error names an id the
  /// board shows on a card.
  @Test func item07OneOwnerAndTheIdsTheBoardShows() throws {
    try AppHome.withAppOnDemo { home, app in
      let before = try home.exported()["actions"] as? [[String: Any]]
      try app.press("2", "a")
      app.expectRow(containing: "Owner (one person)")
      try app.type("Diff the configs")
      try app.press("Tab")
      try app.type("lena, omar")
      try app.press("C-s")
      app.expectRow(containing: "error: action not saved: owner:")
      #expect((try home.exported()["actions"] as? [[String: Any]])?.count == before?.count)
      try app.press("Escape")
      app.expectRow(containing: "keep as draft")
      try app.press("d")
      // A card in the doing column cannot be started: the error names the card's id.
      try app.press("3", "l", "s")
      let named = app.waitForScreen {
        $0.contains { $0.hasPrefix("error:") && $0.firstMatch(of: /action [0-9a-z]{4,}/) != nil }
      }
      let screen = named.screen
      let message = try #require(
        screen.first { $0.hasPrefix("error:") }, "\(screen.joined(separator: "\n"))")
      let id = try #require(message.firstMatch(of: /action ([0-9a-z]{4,})/)?.1, "\(message)")
      #expect(
        screen.contains {
          $0.hasPrefix("│") && $0.contains(" \(id)│") || $0.contains(" \(id) ")
        },
        "the id \(id) is on no card:\n\(screen.joined(separator: "\n"))")
    }
  }

  /// Item 8: every cut title is marked "…", and a wide terminal gives the detail its width.
  @Test func item08CutsAreMarkedAndTheDetailUsesTheWidth() throws {
    try AppHome.withAppOnDemo { home, app in
      let titles = try home.exportedIncidents().compactMap { $0["title"] as? String }
      try app.press("2")
      let screen = app.expectRow(containing: "12 of 12 incidents")
      var rows = 0
      for line in screen where line.contains("│") {
        let cell = String(line.split(separator: "│", maxSplits: 1)[0])
        guard cell.count > 13, !cell.hasPrefix(" ") else { continue }
        let shown = String(cell.dropFirst(13)).trimmingCharacters(in: .whitespaces)
        rows += 1
        let whole = titles.contains(shown)
        let cut = shown.hasSuffix("…") && titles.contains { $0.hasPrefix(shown.dropLast()) }
        #expect(whole || cut, "a title cut without …: \(shown)")
      }
      #expect(rows == 12)
      try app.resize(width: 140, height: 30)
      let wide = app.waitForScreen { $0.first?.count ?? 0 > 120 }
      #expect(wide.matched)
      let widest = wide.screen.dropFirst(2).map { $0.count }.max() ?? 0
      #expect(widest > 125, "the detail stops at column \(widest) of 140")
    }
  }

  /// Item 9: keys move the list while a search is typed, the header says where the selection
  /// is, and the search ignores accents and the shape of quotes.
  @Test func item09SearchMovesFoldsAndCounts() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home)
    try shell.run("learnlog init")
    try shell.run(#"learnlog incident add --title "Résumé parser drops a field" > /dev/null"#)
    try shell.run(#"learnlog incident add --title "Tucows’ DNS outage" > /dev/null"#)
    try shell.run(#"learnlog incident add --title "Resume upload is slow" > /dev/null"#)
    let app = try home.start()
    defer { app.stop() }
    try app.press("2", "/")
    try app.type("resume")
    app.expectRow(containing: "2 of 3")
    app.expectRow(containing: "1/2")
    try app.press("Down")
    app.expectRow(containing: "2/2")
    #expect(app.screen()[1].hasPrefix("/resume"), "the search stopped while moving")
    // Tab keeps the search and goes to the detail.
    try app.press("Tab")
    app.expectRow(containing: "◆")
    #expect(app.screen()[1].hasPrefix("/resume") || app.screen()[1].contains("2 of 3"))
    try app.press("Tab")
    try app.press("Escape")
    app.expectRow(containing: "3 of 3 incidents")
    try app.press("/")
    try app.type("tucows'")
    app.expectRow(containing: "1 of 3")
    app.expectRow(containing: "Tucows’ DNS outage")
  }

  /// Item 12: the command line's manners, in a terminal.
  @Test func item12TheCommandLinesManners() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home, width: 80)
    let version = try shell.run("learnlog --version")
    #expect(version.rows.first?.hasPrefix("learnlog ") == true && version.status == 0)
    let typo = try shell.run("learnlog incidnet list")
    #expect(typo.status == 2)
    #expect(typo.rows.joined().contains("unknown command 'incidnet'; did you mean 'incident'?"))
    try shell.run("learnlog init")
    let negative = try shell.run("learnlog incident list --limit -3")
    #expect(negative.status == 2 && negative.rows.joined().contains("-3"))
    #expect(!negative.rows.joined().contains("missing value"))
    let export = try shell.run("learnlog export --format xml")
    #expect(!export.rows.joined().contains(".;"), "\(export.rows)")
    try shell.run("I=$(learnlog incident add --title Outage)")
    try shell.run("A=$(learnlog action add $I --title 'Diff configs' --owner sam --due 2099-01-01)")
    let done = try shell.run("learnlog action done $A")
    #expect(done.rows.joined().contains("Diff configs"), "done said nothing: \(done.rows)")
    let late = try shell.run("learnlog action add $I --title Late --owner sam --due 2020-01-01")
    #expect(late.rows.contains { $0.hasPrefix("warning: ") }, "\(late.rows)")
    // Help at 80 columns: an example is never wrapped (a row starting with an option).
    for command in ["", "import", "review", "incident add", "action add", "export"] {
      let help = try shell.run("learnlog \(command) --help")
      #expect(help.status == 0)
      for row in help.rows where !row.hasPrefix("USAGE:") {
        #expect(!row.hasPrefix("--"), "learnlog \(command) --help wraps an example: \(row)")
      }
    }
  }

  /// Item 13: incidents of one day are in the same order in the app as on the command line.
  @Test func item13OneOrderEverywhere() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home)
    try shell.run("learnlog init")
    for title in ["Alpha outage", "Bravo outage", "Charlie outage", "Delta outage"] {
      try shell.run("learnlog incident add --title '\(title)' --occurred 2026-01-05 > /dev/null")
    }
    let listed = try shell.run("learnlog incident list")
    let cli = listed.rows.compactMap { row in
      ["Alpha", "Bravo", "Charlie", "Delta"].first { row.contains($0 + " outage") }
    }
    #expect(cli == ["Delta", "Charlie", "Bravo", "Alpha"])
    let app = try home.start()
    defer { app.stop() }
    try app.press("2")
    // Wait for the footer and all four rows: a capture can land between two rows' drawing.
    func shownOrder(_ screen: [String]) -> [String] {
      screen.compactMap { row in
        ["Alpha", "Bravo", "Charlie", "Delta"].first { row.hasPrefix("○") && row.contains($0) }
      }
    }
    let drawn = app.waitForScreen { screen in
      screen.contains { $0.contains("4 of 4 incidents") } && shownOrder(screen).count == 4
    }
    #expect(
      drawn.matched, "the table never showed four rows:\n\(drawn.screen.joined(separator: "\n"))")
    #expect(shownOrder(drawn.screen) == cli)
  }

  /// Item 15: after `s` the selection follows the card (the next `x` marks that card done).
  @Test func item15TheBoardSelectionFollowsTheCard() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home)
    try shell.run("learnlog init")
    try shell.run("I=$(learnlog incident add --title Outage)")
    try shell.run("learnlog action add $I --title 'First card' --owner sam --due 2099-01-01")
    try shell.run("learnlog action add $I --title 'Second card' --owner ana --due 2099-02-01")
    let app = try home.start()
    defer { app.stop() }
    try app.press("3")
    app.expectRow(containing: "open (2)")
    try app.press("s")
    app.expectRow(containing: "doing (1)")
    try app.press("x")
    app.expectRow(containing: "done (1)")
    let actions = try #require(try home.exported()["actions"] as? [[String: Any]])
    let first = actions.first { $0["title"] as? String == "First card" }
    #expect(first?["status"] as? String == "done", "x did not act on the started card")
  }

  /// Item 16: pattern keys in any script, in the app's pattern form.
  @Test func item16PatternKeysInAnyScript() throws {
    let home = try AppHome()
    defer { home.remove() }
    let shell = try ShellPane(home: home)
    try shell.run("learnlog init")
    try shell.run("learnlog incident add --title 'Search timed out' > /dev/null")
    let app = try home.start()
    defer { app.stop() }
    try app.press("2", "p")
    app.expectRow(containing: "Pattern")
    try app.type("検索/タイムアウト, Données/Perte")
    try app.press("C-s")
    app.expectRow(containing: "saved:")
    let incident = try #require(try home.exportedIncidents().first)
    #expect(incident["patterns"] as? [String] == ["検索/タイムアウト", "données/perte"])
  }

  /// Beyond: `y` puts the selected id on the clipboard with exactly the OSC 52 sequence (the
  /// id in base64), and only when `LEARNLOG_OSC52=1`; tmux (`set-clipboard on`) reads it back.
  @Test(arguments: [true, false])
  func yCopiesTheIdWithOSC52OnlyWhenTurnedOn(_ enabled: Bool) throws {
    let home = try AppHome()
    defer { home.remove() }
    let app = try home.start(environment: enabled ? ["LEARNLOG_OSC52=1"] : [])
    defer { app.stop() }
    let bytes = app.directory.appendingPathComponent("bytes").path
    try app.tmuxCommand(["set-option", "-g", "set-clipboard", "on"])
    try app.tmuxCommand(["pipe-pane", "-o", "cat >> " + TmuxSession.shellQuoted(bytes)])
    try app.loadDemo()
    try app.press("2", "y")
    let screen = app.expectRow(containing: enabled ? "copied incident " : "LEARNLOG_OSC52=1")
    let message = try #require(screen.first { $0.contains("incident ") && $0.contains(": ") })
    let id = try #require(message.firstMatch(of: /: ([0-9a-z]{8,})/)?.1, "\(message)")
    let wanted = Array("\u{1B}]52;c;\(Data(String(id).utf8).base64EncodedString())\u{07}".utf8)
    // tmux decoded what it was sent into a paste buffer (none when nothing was sent).
    let buffer = (try? app.tmuxCommand(["show-buffer"])) ?? ""
    #expect(buffer == (enabled ? String(id) : ""), "tmux read back \(buffer)")
    try app.press("q")
    _ = app.file("status")
    let written = [UInt8](FileManager.default.contents(atPath: bytes) ?? Data())
    #expect(written.count > 1000, "the pane's output was not captured")
    let osc52 = Array("\u{1B}]52;".utf8)
    let found = (0...max(0, written.count - wanted.count)).contains {
      Array(written[$0..<min(written.count, $0 + wanted.count)]) == wanted
    }
    let any = (0...max(0, written.count - osc52.count)).contains {
      Array(written[$0..<min(written.count, $0 + osc52.count)]) == osc52
    }
    if enabled {
      #expect(found, "the exact OSC 52 sequence for \(id) was not written")
    } else {
      #expect(!any, "an OSC 52 sequence was written without LEARNLOG_OSC52=1")
    }
  }
}
