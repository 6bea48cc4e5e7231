import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

/// The registry is the one place the root learns its screens from: every registered screen is
/// reachable, drawn, helped and hinted from its own keymap, and pages by the area it is drawn in.
@Suite struct ScreenRegistryTests {
  /// The text of the rows of `buffer` from `top` to `bottom` (exclusive).
  static func text(_ buffer: ScreenBuffer, rows: Range<Int>) -> String {
    buffer.lines()[rows].joined(separator: "\n")
  }

  @Test func everyTabHasOneScreenAndOneKey() {
    let tabs = ScreenRegistry.all.map(\.tab)
    #expect(Set(tabs).count == tabs.count, "two screens under one tab")
    #expect(AppTab.allCases == tabs)
    // The global keymap's number keys are exactly the registered tabs.
    let shown = AppKeymaps.global.bindings.compactMap { b -> AppTab? in
      if case .global(.show(let tab)) = b.action { return tab }
      return nil
    }
    #expect(shown == tabs)
  }

  @Test(arguments: ScreenRegistry.all.map(\.tab.rawValue))
  func everyRegisteredScreenIsReachableDrawnHelpedAndHinted(_ key: Int) throws {
    let screen = try #require(ScreenRegistry.screen(AppTab(key)))
    let app = try AppHarness()
    var s = app.initialState()
    if key != AppTab.today.rawValue { #expect(s.tab != screen.tab) }
    try app.type("\(key)", into: &s)
    #expect(s.tab == screen.tab, "key \(key) does not show \(screen.name)")

    // Drawn: the tabs bar names it, and its body is not blank.
    let frame = app.frame(s)
    #expect(
      frame.lines()[0].contains("\(key) \(screen.title)"), "\(screen.name) not in the tabs bar")
    let body = Self.text(frame, rows: 1..<(s.size.height - 2))
    #expect(
      !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(screen.name) draws nothing")

    // Help: the screen's section first, generated from the keys it dispatches.
    let bindings = screen.bindings(s)
    #expect(!bindings.isEmpty, "\(screen.name) has no keys")
    let sections = app.model.helpSections(s)
    let own = try #require(sections.first)
    #expect(own.entries.map(\.help) == bindings.map(\.help))
    #expect(own.entries.map(\.keys) == bindings.map(\.keyNames))
    #expect(sections.last?.title == AppKeymaps.global.name)

    // Hints: the screen's own hints are in the bar, between help and quit.
    let hints = screen.hints(s)
    #expect(!hints.isEmpty, "\(screen.name) has no hints")
    let bar = app.model.hints(s)
    for hint in hints { #expect(bar.contains(hint), "\(hint) missing from \(screen.name)'s bar") }
    #expect(bar.first?.label == "help" && bar.last?.label == "quit")

    // Every key shown in its help dispatches one of its actions.
    for binding in bindings {
      for k in binding.keys {
        #expect(
          screen.action(for: k, in: s) != nil,
          "\(screen.name): \(binding.keyNames) (\(binding.help)) does nothing")
      }
    }

    // Help on screen: `?` draws the screen's own section.
    try app.type("?", into: &s)
    let help = Self.text(app.frame(s), rows: 1..<(s.size.height - 2))
    #expect(help.contains(own.title), "help of \(screen.name) does not show \(own.title)")
  }

  /// A log of `count` incidents (enough that a page never reaches the end).
  static func longLog(_ count: Int) throws -> InMemoryAppLog {
    let appLog = InMemoryAppLog(today: testToday)
    _ = try appLog.perform(
      (0..<count).map { i in
        .addIncident(
          NewIncident(
            title: "Incident \(i)", what: "what \(i)", team: "core", occurred: "2026-11-01"))
      })
    return appLog
  }

  @Test(arguments: [24, 40])
  func pagingMovesByTheHeightOfTheListOnScreen(_ height: Int) throws {
    let app = try AppHarness(appLog: try Self.longLog(120))
    let size = Size(width: 100, height: height)
    var s = app.initialState(size: size)
    try app.type("2", into: &s)
    let before = app.frame(s)
    // The list's rows: the body (all but the tabs bar, status and hint rows) below its header.
    let rows = height - 3 - 1
    try app.type("<PgDn>", into: &s)
    #expect(s.incidents.list.selected == rows - 1, "page down moved \(s.incidents.list.selected)")
    // One page: the first row is still on top and the selection is on the last row shown.
    // The list pane: each row up to the divider before the detail.
    func list(_ lines: [String]) -> [Substring] { lines.map { $0.prefix { $0 != "│" } } }
    let after = list(app.frame(s).lines())
    #expect(
      after[2] == list(before.lines())[2], "the list scrolled instead of moving the selection")
    #expect(after[2 + rows - 1].contains("Incident"))
    #expect(s.incidents.list.offset == 0)
    try app.type("<PgDn>", into: &s)
    #expect(s.incidents.list.selected == 2 * (rows - 1))
    try app.type("<PgUp>", into: &s)
    #expect(s.incidents.list.selected == rows - 1)
  }

  @Test(arguments: [(80, 21), (120, 37)])
  func screensPageByTheViewportTheyAreGiven(_ width: Int, _ height: Int) throws {
    var ctx = try ScreensFixture.context(
      adding: (0..<60).map { i in
        .addLesson(NewLesson(text: "Lesson \(i)", teams: ["core"]))
      })
    ctx.viewport = Size(width: width, height: height)
    // Lessons: the list is a bordered pane below a header row.
    var lessons = LessonsScreen.State()
    _ = LessonsScreen.reduce(&lessons, .pageDown, context: ctx)
    let lessonRows = height - 1 - 2
    #expect(lessons.list.selected == lessonRows - 1)
    // Dashboard: the body below the header scrolls by its height.
    var dashboard = DashboardScreen.State()
    _ = DashboardScreen.reduce(&dashboard, .pageDown, context: ctx)
    var bottom = DashboardScreen.State()
    _ = DashboardScreen.reduce(&bottom, .bottom, context: ctx)
    #expect(dashboard.scroll == min(height - 1, bottom.scroll))
  }
}
