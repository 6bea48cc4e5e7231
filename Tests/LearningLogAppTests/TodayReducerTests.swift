import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import Testing

@Suite struct TodayReducerTests {
  let context: ViewContext

  init() throws {
    let appLog = try InMemoryAppLog.demo(today: testToday)
    context = ViewContext(domain: appLog.state, today: testToday, theme: .monochrome)
  }

  @Test func navigationMovesAndClampsTheSelection() {
    var s = TodayScreen.State()
    _ = TodayScreen.reduce(&s, .navigate(.char("j")), context: context)
    #expect(s.list.selected == 1)
    _ = TodayScreen.reduce(&s, .navigate(.char("G")), context: context)
    #expect(s.list.selected == context.todayItems.count - 1)
    _ = TodayScreen.reduce(&s, .navigate(.char("j")), context: context)
    #expect(s.list.selected == context.todayItems.count - 1)
    _ = TodayScreen.reduce(&s, .navigate(.char("g")), context: context)
    #expect(s.list.selected == 0)
  }

  @Test func selectAndScrollComeFromTheMouse() {
    var s = TodayScreen.State()
    _ = TodayScreen.reduce(&s, .select(3), context: context)
    #expect(s.list.selected == 3)
    _ = TodayScreen.reduce(&s, .select(999), context: context)
    #expect(s.list.selected == 3)
    _ = TodayScreen.reduce(&s, .scroll(3), context: context)
    #expect(s.list.selected == 6)
    _ = TodayScreen.reduce(&s, .scroll(-30), context: context)
    #expect(s.list.selected == 0)
  }

  @Test func enterGoesToWhatResolvesEachKindOfItem() throws {
    let items = context.todayItems
    for kind in TodayKind.allCases {
      guard let index = items.firstIndex(where: { $0.kind == kind }) else { continue }
      var s = TodayScreen.State()
      _ = TodayScreen.reduce(&s, .select(index), context: context)
      let effects = TodayScreen.reduce(&s, .open, context: context)
      let item = items[index]
      let expected: Destination
      switch kind {
      case .overdueAction, .verificationDue: expected = .action(item.subject)
      case .reviewIncomplete: expected = .review(item.subject)
      case .escalatedPattern: expected = .pattern(item.subject)
      case .lessonRevalidation: expected = .revalidateLesson(item.subject)
      case .mitigationToRetire: expected = .action(item.subject)
      case .reviewScheduled: expected = .incident(item.subject)
      case .experimentCheckDue:
        _ = try #require(context.domain.experiments[item.subject])
        expected = .form(.decideExperiment(item.subject))
      }
      #expect(effects == [.show(expected)], "\(kind)")
    }
    // The demo has at least the four most common kinds.
    let kinds = Set(items.map(\.kind))
    #expect(
      kinds.isSuperset(of: [
        .overdueAction, .reviewIncomplete, .verificationDue, .lessonRevalidation,
      ]))
  }

  @Test func enterOnAnEmptyQueueDoesNothing() throws {
    let empty = ViewContext(domain: LearningState(), today: testToday, theme: .monochrome)
    var s = TodayScreen.State()
    #expect(TodayScreen.reduce(&s, .open, context: empty).isEmpty)
  }

  @Test func keysMapToActions() {
    let s = TodayScreen.State()
    #expect(TodayScreen.action(for: KeyEvent(.enter), state: s) == .open)
    #expect(
      TodayScreen.action(for: KeyEvent(.pageDown), state: s) == .navigate(KeyEvent(.pageDown)))
    #expect(TodayScreen.action(for: .char("z"), state: s) == nil)
  }
}
