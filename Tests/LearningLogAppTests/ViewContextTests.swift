import LearningLog
import LearningLogApp
import TerminalUI
import Testing

@Test func viewContextDerivesTodayFromTheDomain() throws {
  let today = try #require(Day("2026-11-25"))
  let empty = ViewContext(domain: LearningState(), today: today, theme: .standard(.monochrome))
  #expect(empty.todayItems.isEmpty)
  #expect(empty.patterns.isEmpty)
}

@Test func derivedFiguresOnDemandEqualTheDomainsAndFollowItsChanges() throws {
  var ctx = try ScreensFixture.context()
  let domain = ctx.domain
  let day = ScreensFixture.today
  // One pattern or one short id asked first equals what the whole lists say.
  let keys = domain.patterns(on: day).map(\.key)
  #expect(!keys.isEmpty)
  for key in keys { #expect(ctx.pattern(key) == domain.pattern(key, on: day)) }
  #expect(ctx.pattern("no-such-pattern") == nil)
  let all = domain.shortIDs()
  for id in domain.ids(of: nil) { #expect(ctx.shortID(id) == all[id]) }
  #expect(ctx.todayItems == domain.today(on: day))
  #expect(ctx.patterns == domain.patterns(on: day))
  #expect(ctx.stats == domain.stats(on: day))
  #expect(ctx.shortIDs == all)
  for key in keys { #expect(ctx.pattern(key) == ctx.patterns.first { $0.key == key }) }
  // Laid-out lines are kept until the log changes.
  var made = 0
  let first = ctx.laidOut("x", width: 10) {
    made += 1; return [Line("a")]
  }
  let again = ctx.laidOut("x", width: 10) {
    made += 1; return [Line("b")]
  }
  #expect(first == again && made == 1)
  // A changed domain is derived again, not served from before.
  ctx.domain = LearningState()
  #expect(ctx.todayItems.isEmpty)
  #expect(ctx.patterns.isEmpty)
  #expect(ctx.shortIDs.isEmpty)
  let fresh = ctx.laidOut("x", width: 10) {
    made += 1; return [Line("c")]
  }
  #expect(fresh == [Line("c")] && made == 2)
}

@Test func queueCountComesWithoutBuildingTheQueueAndEqualsItsSize() throws {
  var ctx = try ScreensFixture.context()
  let expected = ctx.domain.today(on: ScreensFixture.today)
  #expect(!expected.isEmpty)
  // The status line's count leaves the items unbuilt.
  #expect(ctx.todayCount == expected.count)
  #expect(ctx.todayItemsIfKnown == nil)
  #expect(ctx.todayItems == expected)
  #expect(ctx.todayItemsIfKnown == expected)
  #expect(ctx.todayCount == expected.count)
  // Another day is counted again.
  ctx.today = ScreensFixture.today.adding(days: 400)
  #expect(ctx.todayItemsIfKnown == nil)
  #expect(ctx.todayCount == ctx.domain.today(on: ctx.today).count)
}
