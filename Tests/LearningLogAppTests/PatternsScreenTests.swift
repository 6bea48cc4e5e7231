import LearningLog
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

private typealias Patterns = PatternsScreen

private func escalatedIndex(_ ctx: ViewContext) throws -> Int {
  try #require(ctx.patterns.firstIndex { $0.step == .escalated })
}

@Test func patternsKeymapHasNoConflictsAndEveryKeyHasHelp() {
  let map = Keymap([Patterns.keymap, Patterns.formKeymap])
  #expect(map.conflicts().isEmpty, "\(map.conflicts())")
  for ctx in map.contexts { for b in ctx.bindings { #expect(!b.help.isEmpty) } }
  let global: [KeyEvent] = [.char("q"), .char("?"), .ctrl("l")] + "123456".map { .char($0) }
  for key in global { #expect(!Patterns.keymap.bindings.contains { $0.keys.contains(key) }) }
}

@Test func patternsTableShowsTheLadderAndRecurrence() throws {
  let ctx = try ScreensFixture.context()
  let drift = try #require(ctx.patterns.first { $0.key == "deploy/config-drift" })
  #expect(drift.step == .escalated && drift.recurredAfterVerifiedFix)
  #expect(Patterns.stepText(.logged) == "logged")
  #expect(Patterns.stepText(.repeated) == "repeated")
  #expect(Patterns.recurrenceText(drift) == "after verified fix")
  let text = ScreensFixture.draw(Patterns.self, Patterns.State(), ctx, width: 120, height: 40)
    .lines().joined(separator: "\n")
  #expect(text.contains("deploy/config-drift"))
  #expect(text.contains("escalated"))
  #expect(text.contains("after verified fix"))
  #expect(text.contains(drift.firstSeen.description) && text.contains(drift.lastSeen.description))
  #expect(text.contains(Sparkline.text(drift.weekly.map(Double.init))))
}

@Test func patternsNavigationAndFocus() throws {
  let ctx = try ScreensFixture.context()
  var state = Patterns.State()
  let n = ctx.patterns.count
  #expect(n >= 2)
  _ = Patterns.reduce(&state, .down, context: ctx)
  #expect(state.table.selected == 1)
  _ = Patterns.reduce(&state, .bottom, context: ctx)
  #expect(state.table.selected == n - 1)
  _ = Patterns.reduce(&state, .top, context: ctx)
  _ = Patterns.reduce(&state, .pageDown, context: ctx)
  #expect(state.table.selected == min(n - 1, Patterns.visibleRows(ctx).table - 1))
  _ = Patterns.reduce(&state, .pageUp, context: ctx)
  _ = Patterns.reduce(&state, .up, context: ctx)
  #expect(state.table.selected == 0)
  _ = Patterns.reduce(&state, .switchFocus, context: ctx)
  #expect(state.focus == .detail)
  _ = Patterns.reduce(&state, .switchFocus, context: ctx)
  #expect(state.focus == .table)
}

@Test func patternsEnterOnAnIncidentShowsIt() throws {
  let ctx = try ScreensFixture.context()
  var state = Patterns.State()
  state.table.selected = try escalatedIndex(ctx)
  let p = ctx.patterns[state.table.selected]
  #expect(Patterns.reduce(&state, .open, context: ctx).isEmpty)
  #expect(state.focus == .detail)
  #expect(Patterns.reduce(&state, .open, context: ctx) == [.show(.incident(p.incidents[0]))])
  _ = Patterns.reduce(&state, .down, context: ctx)
  #expect(state.incident == 1)
  #expect(Patterns.reduce(&state, .open, context: ctx) == [.show(.incident(p.incidents[1]))])
  _ = Patterns.reduce(&state, .bottom, context: ctx)
  #expect(state.incident == p.incidents.count - 1)
}

@Test func patternsDetailListsIncidentsActionsOutcomesAndExperiments() throws {
  let ctx = try ScreensFixture.context()
  let p = try #require(ctx.patterns.first { $0.key == "deploy/config-drift" })
  let rows = Patterns.detailRows(p, context: ctx)
  let text = rows.map { $0.line.spans.map(\.text).joined() }.joined(separator: "\n")
  #expect(rows.compactMap(\.incident) == Array(p.incidents.indices))
  for id in p.incidents {
    #expect(text.contains(try #require(ctx.domain.incidents[id]?.title)))
    for a in ctx.domain.actions(of: id) {
      #expect(text.contains(a.title))
      if let o = a.outcome { #expect(text.contains(o.rawValue)) }
    }
  }
  for e in Patterns.experiments(for: p, context: ctx) { #expect(text.contains(e.hypothesis)) }
}

@Test func patternsExperimentFormValidatesAndAdds() throws {
  let ctx = try ScreensFixture.context()
  var state = Patterns.State()
  // Only an escalated pattern asks for an experiment.
  state.table.selected = try #require(ctx.patterns.firstIndex { $0.step != .escalated })
  #expect(ScreensFixture.isError(Patterns.reduce(&state, .addExperiment, context: ctx)))
  #expect(state.form == nil)
  state.table.selected = try escalatedIndex(ctx)
  let key = ctx.patterns[state.table.selected].key
  _ = ScreensFixture.press(Patterns.self, .char("e"), &state, ctx)
  #expect(Patterns.isCapturingInput(state))
  // Saving empty is refused, naming the missing field.
  #expect(ScreensFixture.press(Patterns.self, .ctrl("s"), &state, ctx).isEmpty)
  #expect(state.form?.error?.contains("hypothesis") == true)
  _ = ScreensFixture.type(Patterns.self, "Checksums in CI catch drift", &state, ctx)
  _ = ScreensFixture.press(Patterns.self, KeyEvent(.enter), &state, ctx)
  #expect(state.form?.focus == .criteria)
  _ = ScreensFixture.press(Patterns.self, KeyEvent(.enter), &state, ctx)
  #expect(ScreensFixture.press(Patterns.self, KeyEvent(.enter), &state, ctx).isEmpty)
  #expect(state.form?.error?.contains("criteria") == true && state.form?.focus == .criteria)
  _ = ScreensFixture.type(Patterns.self, "no drift incident in 8 weeks", &state, ctx)
  _ = ScreensFixture.press(Patterns.self, KeyEvent(.tab), &state, ctx)
  #expect(state.form?.focus == .check)
  _ = ScreensFixture.press(Patterns.self, .ctrl("u"), &state, ctx)
  _ = ScreensFixture.type(Patterns.self, "2026-13-01", &state, ctx)
  #expect(ScreensFixture.press(Patterns.self, KeyEvent(.enter), &state, ctx).isEmpty)
  #expect(state.form?.error?.contains("not a day") == true)
  _ = ScreensFixture.press(Patterns.self, .ctrl("u"), &state, ctx)
  _ = ScreensFixture.type(Patterns.self, "2027-01-20", &state, ctx)
  _ = ScreensFixture.press(Patterns.self, KeyEvent(.tab, .shift), &state, ctx)
  #expect(state.form?.focus == .criteria)
  let effects = ScreensFixture.press(Patterns.self, .ctrl("s"), &state, ctx)
  #expect(
    effects == [
      .perform(
        .addExperiment(
          NewExperiment(
            pattern: key, hypothesis: "Checksums in CI catch drift",
            criteria: "no drift incident in 8 weeks", check: "2027-01-20")),
        purpose: "add experiment")
    ])
  #expect(state.form == nil)
  _ = Patterns.reduce(&state, .addExperiment, context: ctx)
  #expect(Patterns.reduce(&state, .cancel, context: ctx).isEmpty && state.form == nil)
}

@Test func patternsMouseSelectsARow() throws {
  let ctx = try ScreensFixture.context()
  var state = Patterns.State()
  let area = Rect(x: 0, y: 0, width: 80, height: 24)
  // Row 0 is the title, row 1 the table header, row 2 the first pattern.
  let click = MouseEvent(action: .press(button: 1), position: Point(x: 3, y: 3))
  _ = Patterns.reduce(
    &state, try #require(Patterns.action(for: click, area: area, state: state)), context: ctx)
  #expect(state.table.selected == 1)
}

@Test func patternsGoldenScreens() throws {
  let ctx = try ScreensFixture.context()
  var state = Patterns.State()
  state.table.selected = try escalatedIndex(ctx)
  for (w, h) in ScreensFixture.sizes {
    let buffer = ScreensFixture.draw(Patterns.self, state, ctx, width: w, height: h)
    #expect(unsafeScalars(in: buffer).isEmpty)
    expectGolden(buffer, named: "patterns-\(w)x\(h)")
  }
  _ = Patterns.reduce(&state, .addExperiment, context: ctx)
  expectGolden(
    ScreensFixture.draw(Patterns.self, state, ctx, width: 80, height: 24),
    named: "patterns-experiment-80x24")
}
