import Testing

@testable import TerminalUI

/// A choice row always shows the chosen option, with "…" where options are cut off.
@Suite struct ChoiceRowTests {
  static let options = [
    "—", "(new)", "release-retro", "ab", "dup", "a-really-long-template-name-number-one",
    "a-really-long-template-name-number-two", "zeta",
  ]

  @Test func theLastOptionChosenInANarrowRowShowsWithAMarkOnTheCutSide() {
    let c = ChoiceState(options: Self.options, index: Self.options.count - 1)
    let row = c.row(width: 40)
    #expect(row.contains("[zeta]"), "\(row)")
    #expect(row.hasPrefix("…") && !row.hasSuffix("…"), "\(row)")
    #expect(row.displayWidth == 40, "\(row)")
  }

  @Test func everyOptionChosenShowsWholeAtEveryWidth() {
    for width in [12, 20, 33, 40, 60] {
      for i in Self.options.indices {
        let row = ChoiceState(options: Self.options, index: i).row(width: width)
        #expect(row.displayWidth <= width, "\(width) \(i): \(row)")
        let chosen = "[\(Self.options[i])]"
        if chosen.displayWidth <= width - 2 {
          #expect(row.contains(chosen), "\(width) \(i): \(row)")
        } else {
          #expect(row.contains("[" + Self.options[i].prefix(5)), "\(width) \(i): \(row)")
        }
        let all = Self.options.joined(separator: " ").displayWidth + 2
        if all > width { #expect(row.contains("…"), "\(width) \(i): \(row)") }
      }
    }
  }

  @Test func aRowThatFitsShowsEveryOptionWithoutMarks() {
    let row = ChoiceState(options: ["a", "b", "c"], index: 2).row(width: 20)
    #expect(row == "a b [c]")
  }
}

/// A text area's "more" count is of display rows hidden, and a field left that cuts its text
/// ends with "…".
@Suite struct HiddenRowsTests {
  @Test func oneLongLineInAThreeRowAreaCountsTheWrappedRowsHidden() {
    let text = String(repeating: "abcdefghij", count: 43)  // 430 clusters
    let area = Rect(x: 0, y: 0, width: 40, height: 3)
    // 430 / 40: 11 rows, 3 shown.
    var state = TextAreaState(text)
    state.keepCursorVisible(size: area.size)
    let focused = TextArea(state, isFocused: true).hiddenRows(in: area)
    #expect(focused.above == 8 && focused.below == 0, "\(focused)")
    let left = TextArea(state, isFocused: false).hiddenRows(in: area)
    #expect(left.above == 0 && left.below == 8, "\(left)")
  }

  @Test func aLongPasteCountsEveryRowHiddenAboveTheCursor() {
    var state = TextAreaState()
    state.insert(String(repeating: "x", count: 12_000))
    let area = Rect(x: 0, y: 0, width: 96, height: 3)
    let hidden = TextArea(state).hiddenRows(in: area)
    // 12,000 / 96 = 125 rows, the cursor after the last full one on a row of its own.
    #expect(hidden.above == 125 - 2 && hidden.below == 0, "\(hidden)")
  }

  @Test func rowsOfSeveralLinesAddUp() {
    let state = TextAreaState("short\n" + String(repeating: "y", count: 95) + "\nend")
    let area = Rect(x: 0, y: 0, width: 10, height: 2)
    let left = TextArea(state, isFocused: false).hiddenRows(in: area)
    // 1 + 10 + 1 rows, 2 shown.
    #expect(left.above == 0 && left.below == 10, "\(left)")
  }

  @Test func aFieldLeftThatCutsItsTextEndsWithAnEllipsis() {
    var buffer = ScreenBuffer(size: Size(width: 20, height: 2))
    TextArea(TextAreaState(String(repeating: "word ", count: 20)), isFocused: false).render(
      into: &buffer, area: buffer.area)
    #expect(buffer.lines()[1].hasSuffix("…"), "\(buffer.lines())")
    var whole = ScreenBuffer(size: Size(width: 20, height: 2))
    TextArea(TextAreaState("fits"), isFocused: false).render(into: &whole, area: whole.area)
    #expect(!whole.lines().joined().contains("…"))
  }
}
