import LearningLog
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

/// The action board as a newcomer uses it: the selection follows a moved card, and a card says
/// which action it is, whether it was reopened, and when a done one is reviewed.
@Suite struct NewcomerBoardTests {
  @Test func afterStartTheSelectionFollowsTheCard() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: Size(width: 100, height: 30))
    try harness.type("3", into: &state)
    let chosen = try #require(BoardScreen.selectedAction(state.board, context: state.context))
    #expect(chosen.status == .open)
    try harness.type("s", into: &state)
    #expect(state.context.domain.actions[chosen.id]?.status == .doing)
    #expect(state.board.column == .doing, "the selection stayed in the open column")
    #expect(BoardScreen.selectedAction(state.board, context: state.context)?.id == chosen.id)
    try harness.type("x", into: &state)
    #expect(state.board.column == .done)
    #expect(BoardScreen.selectedAction(state.board, context: state.context)?.id == chosen.id)
  }

  @Test func cardsNameTheirActionSayIneffectiveAndShowTheReviewDay() throws {
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let context = ViewContext(domain: appLog.state, today: testToday, theme: .monochrome)
    for a in context.domain.actionList {
      let meta = BoardScreen.cardDetail(a, context: context).spans.map(\.text).joined()
      #expect(meta.contains(context.shortID(a.id)), "no action id on the card: \(meta)")
      if a.status != .done, a.outcome == .ineffective {
        #expect(meta.contains("ineffective"), "a reopened action's card: \(meta)")
      }
      if a.status == .done, a.outcome == nil, let review = a.review {
        guard review > testToday else {
          #expect(meta.contains("verify due"), "\(meta)")
          continue
        }
        let (_, m, d) = review.components
        #expect(
          meta.contains("review \(BoardScreen.format2(m))-\(BoardScreen.format2(d))"),
          "a done card without its review day: \(meta)")
      }
    }
    #expect(context.domain.actionList.contains { $0.status != .done && $0.outcome == .ineffective })
    #expect(context.domain.actionList.contains { $0.status == .done && $0.outcome == nil })
  }

  /// However narrow the column, a card's meta line fits it and still ends with the action's id
  /// (the words before it are cut, marked "…").
  @Test(arguments: [12, 20, 31, 40])
  func aNarrowCardKeepsItsIdAndMarksTheCut(width: Int) throws {
    let session = try InMemoryAppLog.demo(today: testToday)
    let context = ViewContext(domain: session.state, today: testToday, theme: .monochrome)
    for a in context.domain.actionList {
      let full = BoardScreen.cardDetail(a, context: context).spans.map(\.text).joined()
      let line = BoardScreen.cardDetail(a, context: context, width: width)
      let meta = line.spans.map(\.text).joined()
      #expect(line.displayWidth <= width, "wider than \(width): \(meta)")
      #expect(meta.hasSuffix(" " + context.shortID(a.id)), "the id is cut: \(meta)")
      if full.displayWidth > width { #expect(meta.contains("…"), "a cut not marked: \(meta)") }
    }
  }

  @Test func boardErrorsNameTheIdTheCardShows() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: Size(width: 100, height: 30))
    try harness.type("3 l", into: &state)
    let doing = try #require(BoardScreen.selectedAction(state.board, context: state.context))
    try harness.type("s", into: &state)
    let message = try #require(state.status?.text)
    #expect(message.hasPrefix("error:"))
    #expect(message.contains(state.context.shortID(doing.id)), "\(message)")
  }
}
