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
