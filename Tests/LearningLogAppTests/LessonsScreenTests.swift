import LearningLog
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

private typealias Lessons = LessonsScreen

@Test func lessonsKeymapHasNoConflictsAndEveryKeyHasHelp() {
  let map = Keymap([Lessons.keymap, Lessons.searchKeymap, Lessons.revalidateKeymap])
  #expect(map.conflicts().isEmpty, "\(map.conflicts())")
  for ctx in map.contexts { for b in ctx.bindings { #expect(!b.help.isEmpty) } }
  let global: [KeyEvent] = [.char("q"), .char("?"), .ctrl("l")] + "123456".map { .char($0) }
  for key in global { #expect(!Lessons.keymap.bindings.contains { $0.keys.contains(key) }) }
  #expect(Lessons.action(for: .char("R"), state: Lessons.State()) == .revalidate)
  #expect(Lessons.action(for: .char("v"), state: Lessons.State()) == .revalidate)
  #expect(Lessons.action(for: KeyEvent(.tab), state: Lessons.State()) == .switchFocus)
}

@Test func lessonsListPutsDueRevalidationsFirstAndNavigates() throws {
  let ctx = try ScreensFixture.context()
  var state = Lessons.State()
  let list = Lessons.lessons(state: state, context: ctx)
  #expect(list.count == ctx.domain.lessonList.count && list.count >= 2)
  let dueCount = list.filter { Lessons.isDue($0, today: ctx.today) }.count
  #expect(list.prefix(dueCount).allSatisfy { Lessons.isDue($0, today: ctx.today) })
  _ = Lessons.reduce(&state, .down, context: ctx)
  #expect(state.list.selected == 1)
  _ = Lessons.reduce(&state, .bottom, context: ctx)
  #expect(state.list.selected == list.count - 1)
  _ = Lessons.reduce(&state, .top, context: ctx)
  #expect(state.list.selected == 0)
  _ = Lessons.reduce(&state, .pageDown, context: ctx)
  #expect(state.list.selected == min(list.count - 1, Lessons.visibleRows(ctx).list - 1))
  _ = Lessons.reduce(&state, .pageUp, context: ctx)
  _ = Lessons.reduce(&state, .up, context: ctx)
  #expect(state.list.selected == 0)
  // Enter opens the detail; j/k then scroll it; Tab goes back.
  _ = Lessons.reduce(&state, .open, context: ctx)
  #expect(state.focus == .detail)
  _ = Lessons.reduce(&state, .down, context: ctx)
  #expect(state.detailScroll == 1 && state.list.selected == 0)
  _ = Lessons.reduce(&state, .up, context: ctx)
  #expect(state.detailScroll == 0)
  _ = Lessons.reduce(&state, .switchFocus, context: ctx)
  #expect(state.focus == .list)
}

@Test func lessonsSearchAsYouTypeKeepsOnEnterAndClearsOnEsc() throws {
  let ctx = try ScreensFixture.context()
  let all = ctx.domain.lessonList
  let target = try #require(all.first)
  let word = try #require(target.text.split(separator: " ").max { $0.count < $1.count })
  var state = Lessons.State()
  _ = ScreensFixture.press(Lessons.self, .char("/"), &state, ctx)
  #expect(Lessons.isCapturingInput(state))
  _ = ScreensFixture.type(Lessons.self, String(word).uppercased(), &state, ctx)
  let found = Lessons.lessons(state: state, context: ctx)
  #expect(found.contains { $0.id == target.id })
  let needle = String(word).lowercased()
  #expect(
    found.allSatisfy { l in
      ([l.text] + l.teams + l.tags + l.patterns).contains { $0.lowercased().contains(needle) }
    })
  #expect(found.count < all.count, "the search narrows the list")
  _ = ScreensFixture.press(Lessons.self, KeyEvent(.enter), &state, ctx)
  #expect(state.dialog == nil && state.search == String(word).uppercased())
  _ = ScreensFixture.press(Lessons.self, .char("/"), &state, ctx)
  _ = ScreensFixture.type(Lessons.self, "zzzz-nothing", &state, ctx)
  #expect(Lessons.lessons(state: state, context: ctx).isEmpty)
  _ = ScreensFixture.press(Lessons.self, KeyEvent(.escape), &state, ctx)
  #expect(state.search.isEmpty && state.dialog == nil)
  #expect(Lessons.lessons(state: state, context: ctx).count == all.count)
}

@Test func lessonsRevalidateAsksAValidLaterDay() throws {
  let ctx = try ScreensFixture.context()
  var state = Lessons.State()
  let lesson = try #require(Lessons.lessons(state: state, context: ctx).first)
  _ = ScreensFixture.press(Lessons.self, .char("R"), &state, ctx)
  guard case .revalidate(let id, let next, nil)? = state.dialog else {
    Issue.record("no revalidate dialog")
    return
  }
  #expect(id == lesson.id)
  #expect(next.text == ctx.today.adding(days: 90).description, "suggests a day")
  // A bad day and a day not after today are refused with a message.
  _ = ScreensFixture.press(Lessons.self, .ctrl("u"), &state, ctx)
  _ = ScreensFixture.type(Lessons.self, "2026-02-30", &state, ctx)
  #expect(ScreensFixture.press(Lessons.self, KeyEvent(.enter), &state, ctx).isEmpty)
  guard case .revalidate(_, _, let error?)? = state.dialog else {
    Issue.record("bad day accepted")
    return
  }
  #expect(error.contains("not a day"))
  _ = ScreensFixture.press(Lessons.self, .ctrl("u"), &state, ctx)
  _ = ScreensFixture.type(Lessons.self, ctx.today.description, &state, ctx)
  #expect(ScreensFixture.press(Lessons.self, KeyEvent(.enter), &state, ctx).isEmpty)
  if case .revalidate(_, _, let error?)? = state.dialog {
    #expect(error.contains("not after today"))
  } else {
    Issue.record("today accepted as the next day")
  }
  _ = ScreensFixture.press(Lessons.self, .ctrl("u"), &state, ctx)
  _ = ScreensFixture.type(Lessons.self, "2027-03-01", &state, ctx)
  #expect(
    ScreensFixture.press(Lessons.self, KeyEvent(.enter), &state, ctx) == [
      .perform(.revalidateLesson(lesson.id, next: "2027-03-01"), purpose: "revalidate lesson")
    ])
  #expect(state.dialog == nil)
  // Empty means no next day; Esc cancels.
  _ = Lessons.reduce(&state, .revalidate, context: ctx)
  _ = ScreensFixture.press(Lessons.self, .ctrl("u"), &state, ctx)
  #expect(
    Lessons.reduce(&state, .submit, context: ctx) == [
      .perform(.revalidateLesson(lesson.id, next: nil), purpose: "revalidate lesson")
    ])
  _ = Lessons.reduce(&state, .revalidate, context: ctx)
  #expect(Lessons.reduce(&state, .cancel, context: ctx).isEmpty && state.dialog == nil)
}

@Test func lessonsExportHintNamesTheCommandLine() throws {
  let ctx = try ScreensFixture.context()
  var state = Lessons.State()
  let lesson = try #require(Lessons.lessons(state: state, context: ctx).first)
  let effects = Lessons.reduce(&state, .exportHint, context: ctx)
  let team = try #require(lesson.teams.first)
  #expect(effects.count == 1)
  guard case .delegate(.status(let text)) = effects.first else {
    Issue.record("the hint is not a status line: \(effects)")
    return
  }
  #expect(text.hasPrefix("digests are made on the command line: "))
  #expect(text.contains("learnlog export --format markdown --team \(team)"))
}

@Test func lessonsDetailShowsLinksTeamsTagsAndRevalidation() throws {
  let ctx = try ScreensFixture.context()
  let lesson = try #require(ctx.domain.lessonList.first { !$0.incidents.isEmpty })
  let text = Lessons.detailLines(lesson, width: 60, context: ctx).map {
    $0.spans.map(\.text).joined()
  }
  .joined(separator: "\n")
  for id in lesson.incidents {
    #expect(text.contains(try #require(ctx.shortIDs[id])))
    #expect(text.contains(try #require(ctx.domain.incidents[id]?.title)))
  }
  for team in lesson.teams { #expect(text.contains(team)) }
  for tag in lesson.tags { #expect(text.contains(tag)) }
  if let r = lesson.revalidate { #expect(text.contains(r.description)) }
}

@Test func lessonsMouseSelectsAndScrolls() throws {
  let ctx = try ScreensFixture.context()
  var state = Lessons.State()
  let area = Rect(x: 0, y: 0, width: 80, height: 24)
  let click = MouseEvent(action: .press(button: 1), position: Point(x: 5, y: 3))
  _ = Lessons.reduce(
    &state, try #require(Lessons.action(for: click, area: area, state: state)), context: ctx)
  #expect(state.list.selected == 1 && state.focus == .list)
  let wheel = MouseEvent(action: .wheelDown, position: Point(x: 60, y: 10))
  _ = Lessons.reduce(
    &state, try #require(Lessons.action(for: wheel, area: area, state: state)), context: ctx)
  #expect(state.focus == .detail && state.detailScroll == 3)
}

@Test func lessonsGoldenScreens() throws {
  let ctx = try ScreensFixture.context()
  for (w, h) in ScreensFixture.sizes {
    let buffer = ScreensFixture.draw(Lessons.self, Lessons.State(), ctx, width: w, height: h)
    #expect(unsafeScalars(in: buffer).isEmpty)
    expectGolden(buffer, named: "lessons-\(w)x\(h)")
  }
  var state = Lessons.State()
  _ = Lessons.reduce(&state, .revalidate, context: ctx)
  expectGolden(
    ScreensFixture.draw(Lessons.self, state, ctx, width: 80, height: 24),
    named: "lessons-revalidate-80x24")
}
