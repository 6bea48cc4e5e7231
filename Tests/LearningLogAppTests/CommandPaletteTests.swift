import LearningLog
import LearningLogApp
import TerminalUI
import TerminalUITesting
import Testing

/// The `:` command palette and the `/` search of help.
@Suite struct CommandPaletteTests {
  /// Every registered screen's palette lists exactly its keymap's commands, then the global
  /// ones, and running each entry does what its key does.
  @Test(arguments: ScreenRegistry.all.map(\.tab.rawValue))
  func thePaletteListsTheScreensAndTheGlobalCommands(_ key: Int) throws {
    let screen = try #require(ScreenRegistry.screen(AppTab(key)))
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("\(key)", into: &s)
    let entries = AppModel.paletteEntries(s)
    let own = screen.bindings(s).filter { !$0.keys.isEmpty }
    #expect(entries.prefix(own.count).map(\.help) == own.map(\.help))
    let global = entries.dropFirst(own.count)
    for tab in AppTab.allCases {
      #expect(global.contains { $0.keys == "\(tab.rawValue)" }, "no palette entry shows tab \(tab)")
    }
    #expect(!global.contains { $0.keys == ":" }, "the palette lists itself")
  }

  @Test func typingNarrowsAndEnterRunsTheSelectedCommand() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 :", into: &s)
    guard case .palette = s.overlay else {
      Issue.record("`:` did not open the palette: \(String(describing: s.overlay))")
      return
    }
    let all = AppModel.paletteEntries(s).count
    try app.type(words("set pattern"), into: &s)
    guard case .palette(let p) = s.overlay else {
      Issue.record("typing closed the palette")
      return
    }
    let matches = AppModel.matching(AppModel.paletteEntries(s), p.query.text)
    #expect(matches.count < all && matches.map(\.keys) == ["p"])
    #expect(app.frame(s).lines().containsLine(with: "set pattern"))
    try app.type("<Enter>", into: &s)
    #expect(s.overlay == nil)
    #expect(s.form?.kind.name.title == FormKind.setPatterns("").name.title, "Enter did not run p")
  }

  @Test func arrowsMoveEscClosesAndNothingMatchingSaysSo() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type(": <Down> <Down> <Up>", into: &s)
    guard case .palette(let p) = s.overlay else {
      Issue.record("no palette")
      return
    }
    #expect(p.selected == 1)
    try app.type("<Esc>", into: &s)
    #expect(s.overlay == nil)
    try app.type(": z z z q <Enter>", into: &s)
    #expect(s.status?.text == "error: no command matches “zzzq”")
    #expect(!s.isQuitting, "q was typed into the palette, not run")
  }

  @Test func helpIsSearchedWithSlashAndEscClearsTheSearch() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 ?", into: &s)
    let all = app.model.helpSections(s).flatMap(\.entries).count
    try app.type("/ c h e c k l i s t", into: &s)
    #expect(s.overlay == .help(scroll: 0))
    let text = app.frame(s).lines()
    #expect(text.containsLine(with: "this led to a checklist change"))
    #expect(!text.containsLine(with: "new incident"))
    let shown = AppModel.searchHelp(app.model.helpSections(s), "checklist").flatMap(\.entries)
    #expect(shown.count >= 1 && shown.count < all)
    // Enter keeps it: the help keys work again (q closes).
    try app.type("<Enter>", into: &s)
    #expect(s.helpSearch?.isTyping == false)
    #expect(app.frame(s).lines().containsLine(with: "Help /checklist"))
    try app.type("/ <Esc>", into: &s)
    #expect(s.helpSearch == nil && s.overlay == .help(scroll: 0))
    try app.type("q", into: &s)
    #expect(s.overlay == nil && !s.isQuitting)
  }

  /// A kept search (Enter) is cleared by Esc, the help staying open; Esc again closes it.
  @Test func escOnAKeptHelpSearchClearsItThenEscAgainCloses() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("? / c o p y <Enter>", into: &s)
    #expect(s.helpSearch?.isTyping == false)
    #expect(app.frame(s).lines().containsLine(with: "Help /copy"))
    try app.type("<Esc>", into: &s)
    #expect(s.helpSearch == nil, "Esc cleared the kept search")
    #expect(s.overlay == .help(scroll: 0), "Esc closed the help instead of clearing the search")
    #expect(app.frame(s).lines().containsLine(with: "Help (Esc closes)"))
    try app.type("<Esc>", into: &s)
    #expect(s.overlay == nil)
  }
}
