import LearningLog
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

private typealias Board = BoardScreen

/// Selects the first card of `column` and returns its action.
private func select(
  _ column: Board.Column, _ state: inout Board.State, _ ctx: ViewContext
) throws -> LearningLog.Action {
  state.column = column
  state.lists[column.rawValue] = ListState()
  return try #require(Board.cards(column, state: state, context: ctx).first)
}

@Test func boardKeymapHasNoConflictsAndEveryKeyHasHelp() {
  let map = Keymap([
    Board.keymap, Board.filterKeymap, Board.dropKeymap, Board.verifyOutcomeKeymap,
  ])
  #expect(map.conflicts().isEmpty, "\(map.conflicts())")
  #expect(Keymap([Board.verifyEvidenceKeymap]).conflicts().isEmpty)
  for ctx in map.contexts + [Board.verifyEvidenceKeymap] {
    for b in ctx.bindings { #expect(!b.help.isEmpty && !b.keys.isEmpty) }
  }
  // The app-wide keys stay free for the root.
  let global: [KeyEvent] = [.char("q"), .char("?"), .ctrl("l")] + "123456".map { .char($0) }
  for key in global { #expect(!Board.keymap.bindings.contains { $0.keys.contains(key) }) }
  // The contract's board keys are bound exactly.
  let expected: [(KeyEvent, Board.Action)] = [
    (.char("h"), .columnLeft), (KeyEvent(.left), .columnLeft), (.char("l"), .columnRight),
    (KeyEvent(.right), .columnRight), (.char("j"), .down), (.char("k"), .up),
    (.char(" "), .markDone), (.char("x"), .markDone), (.char("s"), .start),
    (.char(">"), .moveRight), (.char("<"), .moveLeft), (.char("d"), .drop), (.char("v"), .verify),
  ]
  for (key, action) in expected {
    #expect(Board.action(for: key, state: Board.State()) == action, "\(key.displayName)")
  }
}

@Test func boardColumnsHoldActionsByStatusWithDroppedOnlyOnRequest() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  for column in [Board.Column.open, .doing, .done] {
    let cards = Board.cards(column, state: state, context: ctx)
    #expect(!cards.isEmpty, "demo has \(column) actions")
    #expect(cards.allSatisfy { $0.status == column.status })
  }
  #expect(Board.visibleColumns(state) == [.open, .doing, .done])
  _ = Board.reduce(&state, .toggleDropped, context: ctx)
  #expect(Board.visibleColumns(state).contains(.dropped))
  state.column = .dropped
  _ = Board.reduce(&state, .toggleDropped, context: ctx)
  #expect(state.column == .done, "hiding dropped leaves its column")
}

@Test func boardColumnAndCardNavigation() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  _ = Board.reduce(&state, .columnLeft, context: ctx)
  #expect(state.column == .open)
  _ = Board.reduce(&state, .columnRight, context: ctx)
  _ = Board.reduce(&state, .columnRight, context: ctx)
  _ = Board.reduce(&state, .columnRight, context: ctx)
  #expect(state.column == .done, "stops at the last visible column")
  let count = Board.cards(.done, state: state, context: ctx).count
  _ = Board.reduce(&state, .down, context: ctx)
  #expect(state.lists[2].selected == min(1, count - 1))
  _ = Board.reduce(&state, .bottom, context: ctx)
  #expect(state.lists[2].selected == count - 1)
  _ = Board.reduce(&state, .up, context: ctx)
  #expect(state.lists[2].selected == max(0, count - 2))
  _ = Board.reduce(&state, .top, context: ctx)
  #expect(state.lists[2].selected == 0)
  _ = Board.reduce(&state, .pageDown, context: ctx)
  #expect(state.lists[2].selected == min(count - 1, Board.visibleCards(state, context: ctx) - 1))
  _ = Board.reduce(&state, .pageUp, context: ctx)
  #expect(state.lists[2].selected == 0)
}

@Test func boardMarkDoneStartAndMoveEmitCommands() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  let doing = try select(.doing, &state, ctx)
  #expect(
    Board.reduce(&state, .markDone, context: ctx) == [
      .perform(.finishAction(doing.id), purpose: "mark action done")
    ])
  #expect(
    Board.reduce(&state, .moveRight, context: ctx) == [
      .perform(.finishAction(doing.id), purpose: "mark action done")
    ])
  #expect(
    Board.reduce(&state, .moveLeft, context: ctx) == [
      .perform(.moveActionBack(doing.id), purpose: "move action back")
    ])
  let start = Board.reduce(&state, .start, context: ctx)
  #expect(ScreensFixture.isError(start), "only open actions start: \(start)")

  let open = try select(.open, &state, ctx)
  #expect(
    Board.reduce(&state, .start, context: ctx) == [
      .perform(.startAction(open.id), purpose: "start action")
    ])
  #expect(
    Board.reduce(&state, .moveRight, context: ctx) == [
      .perform(.startAction(open.id), purpose: "start action")
    ])
  #expect(
    Board.reduce(&state, .markDone, context: ctx) == [
      .perform(.finishAction(open.id), purpose: "mark action done")
    ])

  let done = try select(.done, &state, ctx)
  let again = Board.reduce(&state, .markDone, context: ctx)
  #expect(!again.contains { if case .run(.perform) = $0 { return true } else { return false } })
  #expect(
    Board.reduce(&state, .moveLeft, context: ctx) == [
      .perform(.moveActionBack(done.id), purpose: "move action back")
    ])
}

@Test func boardDropAsksAReasonAndRefusesAnEmptyOne() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  let open = try select(.open, &state, ctx)
  #expect(ScreensFixture.press(Board.self, .char("d"), &state, ctx).isEmpty)
  #expect(Board.isCapturingInput(state))
  // Enter with nothing (or only spaces) typed is refused and the dialog stays.
  _ = ScreensFixture.type(Board.self, "  ", &state, ctx)
  #expect(ScreensFixture.press(Board.self, KeyEvent(.enter), &state, ctx).isEmpty)
  guard case .drop(_, _, let error)? = state.dialog else {
    Issue.record("drop dialog closed on an empty reason")
    return
  }
  #expect(error?.contains("reason is required") == true)
  // q and 1 are typed into the reason, not taken as app keys.
  _ = ScreensFixture.type(Board.self, "q1 superseded by the new runbook", &state, ctx)
  let effects = ScreensFixture.press(Board.self, KeyEvent(.enter), &state, ctx)
  #expect(
    effects == [
      .perform(
        .dropAction(open.id, reason: "q1 superseded by the new runbook"), purpose: "drop action")
    ])
  #expect(state.dialog == nil)
  // Esc cancels without an effect.
  _ = Board.reduce(&state, .drop, context: ctx)
  #expect(Board.reduce(&state, .cancel, context: ctx).isEmpty)
  #expect(state.dialog == nil)
  // Only open or doing actions can be dropped.
  _ = try select(.done, &state, ctx)
  #expect(ScreensFixture.isError(Board.reduce(&state, .drop, context: ctx)))
  #expect(state.dialog == nil)
}

@Test func boardVerifyDialogCyclesOutcomeAndSavesEvidence() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  _ = try select(.open, &state, ctx)
  #expect(
    ScreensFixture.status(Board.reduce(&state, .verify, context: ctx))?.contains(
      "only a done action") == true)
  let done = try select(.done, &state, ctx)
  _ = ScreensFixture.press(Board.self, .char("v"), &state, ctx)
  guard case .verify(let form)? = state.dialog else {
    Issue.record("no verify dialog")
    return
  }
  #expect(form.outcome == .verified && form.focus == .outcome)
  _ = ScreensFixture.press(Board.self, .char(" "), &state, ctx)
  _ = ScreensFixture.press(Board.self, KeyEvent(.right), &state, ctx)
  _ = ScreensFixture.press(Board.self, KeyEvent(.right), &state, ctx)
  _ = ScreensFixture.press(Board.self, KeyEvent(.left), &state, ctx)
  // verified → ineffective → unknown → verified → unknown
  if case .verify(let f)? = state.dialog { #expect(f.outcome == .unknown) }
  _ = ScreensFixture.press(Board.self, KeyEvent(.tab), &state, ctx)
  _ = ScreensFixture.type(Board.self, "no alerts in 3 weeks", &state, ctx)
  let effects = ScreensFixture.press(Board.self, KeyEvent(.enter), &state, ctx)
  #expect(
    effects == [
      .perform(
        .verifyAction(done.id, outcome: "unknown", evidence: "no alerts in 3 weeks"),
        purpose: "verify action")
    ])
  #expect(state.dialog == nil)
}

@Test func boardFiltersByOwnerTeamOverdueAndSearch() throws {
  let ctx = try ScreensFixture.context()
  let all = ctx.domain.actionList
  let owner = try #require(all.first { !$0.owner.isEmpty }?.owner)
  var state = Board.State()
  _ = ScreensFixture.press(Board.self, .char("o"), &state, ctx)
  _ = ScreensFixture.type(Board.self, owner.uppercased(), &state, ctx)
  #expect(state.owner == owner.uppercased(), "typing filters at once")
  _ = ScreensFixture.press(Board.self, KeyEvent(.enter), &state, ctx)
  #expect(state.dialog == nil && !state.owner.isEmpty, "Enter keeps")
  for column in Board.Column.allCases {
    #expect(
      Board.cards(column, state: state, context: ctx).allSatisfy {
        $0.owner.lowercased().contains(owner.lowercased())
      })
  }
  _ = Board.reduce(&state, .clearFilters, context: ctx)
  #expect(state.owner.isEmpty)

  let team = try #require(ctx.domain.incidentList.first?.team)
  _ = Board.reduce(&state, .editFilter(.team), context: ctx)
  _ = ScreensFixture.type(Board.self, team, &state, ctx)
  let teamCards = Board.Column.allCases.flatMap { Board.cards($0, state: state, context: ctx) }
  #expect(!teamCards.isEmpty)
  #expect(teamCards.allSatisfy { ctx.domain.incidents[$0.incident]?.team == team })
  _ = ScreensFixture.press(Board.self, KeyEvent(.escape), &state, ctx)
  #expect(state.team.isEmpty, "Esc clears")

  _ = ScreensFixture.press(Board.self, .char("O"), &state, ctx)
  let overdue = Board.Column.allCases.flatMap { Board.cards($0, state: state, context: ctx) }
  let expectedOverdue = all.filter { Board.isOverdue($0, today: ctx.today) }
  #expect(!expectedOverdue.isEmpty, "the demo has overdue actions")
  #expect(Set(overdue.map(\.id)) == Set(expectedOverdue.map(\.id)))
  _ = ScreensFixture.press(Board.self, .char("O"), &state, ctx)

  let word = try #require(all.first?.title.split(separator: " ").last.map(String.init))
  _ = ScreensFixture.press(Board.self, .char("/"), &state, ctx)
  _ = ScreensFixture.type(Board.self, word, &state, ctx)
  let found = Board.Column.allCases.flatMap { Board.cards($0, state: state, context: ctx) }
  #expect(found.contains { $0.id == all.first?.id })
  #expect(found.count < all.count)
}

@Test func boardMarksOverdueSoonAndVerifyDue() throws {
  let ctx = try ScreensFixture.context()
  let today = ctx.today
  let acts = ctx.domain.actionList
  #expect(acts.contains { Board.isVerifyDue($0, today: today) }, "demo has a verification due")
  let verifyDue = ctx.todayItems.filter { $0.kind == .verificationDue }.map(\.subject)
  #expect(Set(acts.filter { Board.isVerifyDue($0, today: today) }.map(\.id)) == Set(verifyDue))
  let buffer = ScreensFixture.draw(Board.self, Board.State(), ctx, width: 120, height: 40)
  let text = buffer.lines().joined(separator: "\n")
  #expect(text.contains("verify due"))
  #expect(text.contains("overdue"))
  #expect(unsafeScalars(in: buffer).isEmpty)
}

@Test func boardEnterOpensTheIncidentAndMouseSelects() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  let first = try select(.open, &state, ctx)
  #expect(Board.reduce(&state, .openIncident, context: ctx) == [.show(.incident(first.incident))])
  let area = Rect(x: 0, y: 0, width: 90, height: 24)
  // Column two (doing), second card: rows 2-4 are the first card, 5-7 the second.
  let click = MouseEvent(action: .press(button: 1), position: Point(x: 40, y: 5))
  let action = try #require(Board.action(for: click, area: area, state: state))
  _ = Board.reduce(&state, action, context: ctx)
  #expect(state.column == .doing)
  let doingCount = Board.cards(.doing, state: state, context: ctx).count
  #expect(state.lists[1].selected == min(1, doingCount - 1))
}

@Test func boardGoldenScreens() throws {
  let ctx = try ScreensFixture.context()
  for (w, h) in ScreensFixture.sizes {
    let buffer = ScreensFixture.draw(Board.self, Board.State(), ctx, width: w, height: h)
    #expect(unsafeScalars(in: buffer).isEmpty)
    expectGolden(buffer, named: "board-\(w)x\(h)")
  }
  var state = Board.State(showDropped: true)
  state.column = .done
  _ = Board.reduce(&state, .verify, context: ctx)
  expectGolden(
    ScreensFixture.draw(Board.self, state, ctx, width: 80, height: 24), named: "board-verify-80x24")
  state = Board.State()
  _ = Board.reduce(&state, .drop, context: ctx)
  expectGolden(
    ScreensFixture.draw(Board.self, state, ctx, width: 80, height: 24), named: "board-drop-80x24")
}

@Test func boardKeySessionMarksTheSelectedCardDone() throws {
  let ctx = try ScreensFixture.context()
  var state = Board.State()
  var effects: [ScreenEffect] = []
  // l to the doing column, j to its second card, x marks it done.
  for key in try KeyScript.parse("l j x") {
    guard case .key(let k) = key else { continue }
    effects += ScreensFixture.press(Board.self, k, &state, ctx)
  }
  let doing = Board.cards(.doing, state: state, context: ctx)
  let target = doing[min(1, doing.count - 1)]
  #expect(effects == [.perform(.finishAction(target.id), purpose: "mark action done")])
  // The card is drawn selected on screen.
  let screen = ScreensFixture.draw(Board.self, state, ctx, width: 80, height: 24)
  #expect(screen.lines().joined().contains(String(target.title.prefix(10))))
}
