import Foundation
import LearningLog
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

private typealias Dashboard = DashboardScreen

@Test func dashboardKeymapHasNoConflictsAndEveryKeyHasHelp() {
  let map = Keymap([Dashboard.keymap])
  #expect(map.conflicts().isEmpty, "\(map.conflicts())")
  for b in Dashboard.keymap.bindings { #expect(!b.help.isEmpty) }
  let global: [KeyEvent] = [.char("q"), .char("?"), .ctrl("l")] + "123456".map { .char($0) }
  for key in global { #expect(!Dashboard.keymap.bindings.contains { $0.keys.contains(key) }) }
  #expect(Dashboard.action(for: .char("c"), state: Dashboard.State()) == .toggleRecognition)
}

@Test func dashboardShowsEveryMetricAndNeverSkill() throws {
  let ctx = try ScreensFixture.context()
  let text = ScreensFixture.draw(Dashboard.self, Dashboard.State(), ctx, width: 120, height: 40)
    .lines().joined(separator: "\n")
  for needle in [
    "Incidents per week", "repeat rate", "verified effective", "specific plans",
    "median time from incident to first action", "Gap types", "By team", "By pattern",
    Dashboard.percent(ctx.stats.repeatRate), Dashboard.percent(ctx.stats.verifiedEffectiveShare),
  ] {
    #expect(text.contains(needle), "\(needle)")
  }
  for team in ctx.stats.byTeam { #expect(text.contains(team.team)) }
  for p in ctx.stats.byPattern { #expect(text.contains(p.key)) }
  let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
  #expect(lines.contains { $0.hasPrefix("process ") }, "gap bars are drawn")
  #expect(!lines.contains { $0.hasPrefix("skill") }, "skill gaps are never a team statistic")
  // No person appears on the charts.
  for person in Dashboard.people(context: ctx) {
    #expect(!text.contains(" \(person) "), "\(person) on the charts")
  }
}

@Test func dashboardScrollsAndClampsOnSmallTerminals() throws {
  let ctx = try ScreensFixture.context()
  var state = Dashboard.State()
  _ = Dashboard.reduce(&state, .up, context: ctx)
  #expect(state.scroll == 0)
  _ = Dashboard.reduce(&state, .down, context: ctx)
  #expect(state.scroll == 1)
  _ = Dashboard.reduce(&state, .pageDown, context: ctx)
  #expect(state.scroll == 1 + Dashboard.visibleRows(ctx))
  _ = Dashboard.reduce(&state, .pageUp, context: ctx)
  #expect(state.scroll == 1)
  _ = Dashboard.reduce(&state, .bottom, context: ctx)
  let bottom = state.scroll
  #expect(bottom == Dashboard.maxScroll(state, context: ctx) && bottom > 0)
  _ = Dashboard.reduce(&state, .up, context: ctx)
  #expect(state.scroll == bottom - 1, "k from the bottom moves at once")
  _ = Dashboard.reduce(&state, .top, context: ctx)
  #expect(state.scroll == 0)
  let wheel = MouseEvent(action: .wheelDown, position: Point(x: 3, y: 3))
  let area = Rect(x: 0, y: 0, width: 60, height: 16)
  _ = Dashboard.reduce(
    &state, try #require(Dashboard.action(for: wheel, area: area, state: state)), context: ctx)
  #expect(state.scroll == 3)
  // Scrolled at 60×16, the roll-ups come into view.
  _ = Dashboard.reduce(&state, .bottom, context: ctx)
  let text = ScreensFixture.draw(Dashboard.self, state, ctx, width: 60, height: 16).lines().joined(
    separator: "\n")
  #expect(text.contains("By pattern"))
}

@Test func dashboardRecognitionListsContributionsOnly() throws {
  let ctx = try ScreensFixture.context()
  let people = Dashboard.people(context: ctx)
  #expect(people.count >= 2)
  #expect(people == people.sorted { $0.lowercased() < $1.lowercased() }, "alphabetical, not ranked")
  var state = Dashboard.State()
  #expect(
    ScreensFixture.status(Dashboard.reduce(&state, .nextPerson, context: ctx))?.contains("c opens")
      == true)
  _ = ScreensFixture.press(Dashboard.self, .char("c"), &state, ctx)
  #expect(state.showRecognition)
  _ = ScreensFixture.press(Dashboard.self, KeyEvent(.right), &state, ctx)
  #expect(state.person == 1)
  _ = ScreensFixture.press(Dashboard.self, KeyEvent(.left), &state, ctx)
  _ = ScreensFixture.press(Dashboard.self, KeyEvent(.left), &state, ctx)
  #expect(state.person == people.count - 1, "wraps around")
  for (i, person) in people.enumerated() {
    state.person = i
    let text = ScreensFixture.draw(Dashboard.self, state, ctx, width: 120, height: 40).lines()
      .joined(separator: "\n")
    let r = ctx.domain.recognition(person: person)
    #expect(text.contains(person))
    for l in r.lessons { #expect(text.contains(String(l.text.prefix(30)))) }
    for a in r.verifiedFixes { #expect(text.contains(String(a.title.prefix(30)))) }
    for e in r.experiments { #expect(text.contains(String(e.hypothesis.prefix(30)))) }
    // Never their failures: no incident they own, no action of theirs that was not verified.
    for inc in ctx.domain.incidentList where inc.owner == person {
      #expect(!text.contains(inc.title), "\(person)'s incident shown")
    }
    for a in ctx.domain.actionList where a.owner == person && a.outcome != .verified {
      #expect(!text.contains(a.title), "\(person)'s unverified action shown")
    }
  }
  _ = Dashboard.reduce(&state, .toggleRecognition, context: ctx)
  #expect(!state.showRecognition)
}

@Test func dashboardGoldenScreens() throws {
  let ctx = try ScreensFixture.context()
  for (w, h) in ScreensFixture.sizes {
    let buffer = ScreensFixture.draw(Dashboard.self, Dashboard.State(), ctx, width: w, height: h)
    #expect(unsafeScalars(in: buffer).isEmpty)
    expectGolden(buffer, named: "dashboard-\(w)x\(h)")
  }
  var state = Dashboard.State(showRecognition: true)
  expectGolden(
    ScreensFixture.draw(Dashboard.self, state, ctx, width: 80, height: 24),
    named: "dashboard-recognition-80x24")
  state = Dashboard.State()
  _ = Dashboard.reduce(&state, .bottom, context: ctx)
  expectGolden(
    ScreensFixture.draw(Dashboard.self, state, ctx, width: 60, height: 16),
    named: "dashboard-scrolled-60x16")
}

@Test func screensDrawHostileTextFromTheLogSafely() throws {
  let base = try ScreensFixture.context()
  let incident = try #require(base.domain.incidentList.first)
  let hostile = "\u{1b}]52;c;aGk=\u{07}evil\u{202E}txt\u{200B} \u{1b}[2J"
  let ctx = try ScreensFixture.context(adding: [
    .addLesson(NewLesson(text: hostile, incidents: [incident.id], teams: [hostile], tags: ["x"])),
    .addAction(NewAction(incident: incident.id, title: hostile, owner: hostile, due: "2026-11-20")),
  ])
  #expect(ctx.domain.lessonList.contains { $0.text == hostile })
  var board = BoardScreen.State()
  board.owner = String(hostile.prefix(3))
  var lessons = LessonsScreen.State()
  lessons.list.selected = try #require(
    LessonsScreen.lessons(state: lessons, context: ctx).firstIndex { $0.text == hostile })
  for (w, h) in ScreensFixture.sizes {
    let buffers = [
      ScreensFixture.draw(BoardScreen.self, BoardScreen.State(), ctx, width: w, height: h),
      ScreensFixture.draw(BoardScreen.self, board, ctx, width: w, height: h),
      ScreensFixture.draw(LessonsScreen.self, lessons, ctx, width: w, height: h),
      ScreensFixture.draw(PatternsScreen.self, PatternsScreen.State(), ctx, width: w, height: h),
      ScreensFixture.draw(DashboardScreen.self, DashboardScreen.State(), ctx, width: w, height: h),
      ScreensFixture.draw(
        DashboardScreen.self, DashboardScreen.State(showRecognition: true), ctx, width: w, height: h
      ),
    ]
    for b in buffers { #expect(unsafeScalars(in: b).isEmpty) }
    #expect(buffers[2].lines().joined().contains("^[]52;c;aGk="), "escapes drawn visibly")
  }
}

@Test func dashboardRollupsStayDashboardSizedOnALongLog() throws {
  let extra = (0..<20).map { i in
    Command.addIncident(
      NewIncident(title: "Drill \(i)", team: "team-\(i)", patterns: ["drill/case-\(i)"]))
  }
  let ctx = try ScreensFixture.context(adding: extra)
  #expect(ctx.stats.byPattern.count > Dashboard.rollupLimit)
  let text = ScreensFixture.draw(Dashboard.self, Dashboard.State(), ctx, width: 120, height: 40)
    .lines().joined(separator: "\n")
  #expect(text.contains("By pattern (\(Dashboard.rollupLimit) of \(ctx.stats.byPattern.count)"))
  #expect(text.contains("By team (\(Dashboard.rollupLimit) busiest of \(ctx.stats.byTeam.count))"))
  // The patterns most seen in the window are the ones kept.
  #expect(text.contains("deploy/config-drift"))
  let (left, right) = Dashboard.sections(context: ctx)
  #expect(right.map(\.height).reduce(0, +) == 2 * (Dashboard.rollupLimit + 1))
  #expect(left.count == 3)
}
