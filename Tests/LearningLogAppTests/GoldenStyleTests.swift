import Foundation
import LearningLog
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

/// Whether this run re-records goldens (the tests below would then overwrite them with the
/// broken screens they build, so they do not run).
private let recording = ProcessInfo.processInfo.environment["LEARNLOG_RECORD_GOLDEN"] == "1"

/// Goldens hold cell styles beside the text: a screen with the same words but a lost highlight or
/// a wrong colour fails its golden.
@Suite(.disabled(if: recording, "re-recording goldens")) struct GoldenStyleTests {
  @Test func aLostSelectionHighlightFailsTheGolden() throws {
    let ctx = try ScreensFixture.context()
    var buffer = ScreensFixture.draw(
      BoardScreen.self, BoardScreen.State(), ctx, width: 80, height: 24)
    let text = buffer.lines()
    var lost = 0
    for y in 0..<buffer.size.height {
      for x in 0..<buffer.size.width where buffer[x, y].style.attributes.contains(.reverse) {
        buffer[x, y].style.attributes.remove(.reverse)
        lost += 1
      }
    }
    #expect(lost > 0, "the selected card is drawn reversed")
    #expect(buffer.lines() == text, "only the highlight changed")
    withKnownIssue("the highlight is gone, the words are the same") {
      expectGolden(buffer, named: "board-80x24")
    }
  }

  @Test func aWrongColourFailsTheGolden() throws {
    let app = try AppHarness()
    let size = Size(width: 80, height: 24)
    let (terminal, _) = try app.run(
      "", size: size, from: app.initialState(size: size, theme: AppGoldenTests.theme))
    var buffer = try #require(terminal.lastFrame)
    let title = AppGoldenTests.theme.title
    var changed = 0
    for y in 0..<buffer.size.height {
      for x in 0..<buffer.size.width where buffer[x, y].style == title {
        buffer[x, y].style.foreground = .indexed(82)
        changed += 1
      }
    }
    #expect(changed > 0, "the screen draws titles")
    withKnownIssue("a title in the wrong colour") {
      expectGolden(buffer, named: "today-80x24")
    }
  }

  @Test func theUntouchedScreensMatch() throws {
    let ctx = try ScreensFixture.context()
    expectGolden(
      ScreensFixture.draw(BoardScreen.self, BoardScreen.State(), ctx, width: 80, height: 24),
      named: "board-80x24")
  }
}
