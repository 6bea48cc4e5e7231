import TerminalUI
import TerminalUITesting
import Testing

/// Hands out rows and counts how many were asked for.
final class CountingRows: @unchecked Sendable {
  var calls = 0
  func row(_ i: Int) -> Line {
    calls += 1
    return Line("row \(i)")
  }
}

@Suite struct ListAndTableTests {
  @Test func listShowsVisibleRowsAndHighlightsSelection() {
    let rows = ["alpha", "beta", "gamma", "delta", "epsilon"]
    var state = ListState()
    state.select(3, count: rows.count, height: 3)
    #expect(state.offset == 1)
    let b = render(width: 10, height: 3) { buf, area in
      ListView(count: rows.count, selectionSymbol: "> ") { Line(rows[$0]) }
        .render(into: &buf, area: area, state: state)
    }
    expectLines(b, ["  beta", "  gamma", "> delta"])
    #expect(b[0, 2].style.attributes.contains(.reverse))
    #expect(b[9, 2].style.attributes.contains(.reverse))
    #expect(!b[0, 1].style.attributes.contains(.reverse))
  }

  @Test func navigationKeysKeepSelectionVisible() {
    var s = ListState()
    let count = 50
    for _ in 0..<12 { _ = s.handle(.char("j"), count: count, height: 10) }
    #expect(s.selected == 12 && s.offset == 3)
    _ = s.handle(KeyEvent(.pageDown), count: count, height: 10)
    #expect(s.selected == 21 && s.offset == 12)
    _ = s.handle(.char("G"), count: count, height: 10)
    #expect(s.selected == 49 && s.offset == 40)
    _ = s.handle(.char("k"), count: count, height: 10)
    #expect(s.selected == 48 && s.offset == 40)
    _ = s.handle(KeyEvent(.home), count: count, height: 10)
    #expect(s.selected == 0 && s.offset == 0)
    _ = s.handle(KeyEvent(.up), count: count, height: 10)
    #expect(s.selected == 0)
    let handled = s.handle(.char("x"), count: count, height: 10)
    #expect(!handled)
  }

  @Test func staleOffsetStillShowsTheSelection() {
    let s = ListState(selected: 90, offset: 0)
    #expect(s.visibleOffset(count: 100, height: 10) == 81)
    #expect(ListState(selected: 5, offset: 95).visibleOffset(count: 100, height: 10) == 5)
    #expect(ListState(selected: 3, offset: 0).visibleOffset(count: 0, height: 10) == 0)
  }

  @Test func hundredThousandRowsRenderOnlyTheVisibleOnes() {
    let rows = CountingRows()
    var state = ListState()
    state.select(73_456, count: 100_000, height: 20)
    let b = render(width: 20, height: 20) { buf, area in
      ListView(count: 100_000, row: rows.row).render(into: &buf, area: area, state: state)
    }
    #expect(rows.calls == 20)
    #expect(b.lines().last == "row 73456")
    let table = CountingRows()
    _ = render(width: 20, height: 21) { buf, area in
      TableView(columns: [TableColumn("Row", width: .fill(1))], count: 100_000) {
        [table.row($0).spans[0].text]
      }
      .render(into: &buf, area: area, state: state)
    }
    #expect(table.calls == 20)
  }

  @Test func emptyListSaysSo() {
    let b = render(width: 20, height: 2) { buf, area in
      ListView(count: 0, emptyText: "no incidents yet") { _ in "" }.render(
        into: &buf, area: area, state: ListState())
    }
    expectLines(b, ["no incidents yet"])
  }

  @Test func tableHasHeaderAlignedColumnsAndTruncation() {
    let data = [["INC-1", "Database failover took too long", "3"], ["INC-22", "日本語のタイトル", "12"]]
    let b = render(width: 30, height: 4) { buf, area in
      TableView(
        columns: [
          TableColumn("ID", width: .length(6)), TableColumn("Title", width: .fill(1)),
          TableColumn("Acts", width: .length(4), alignment: .right),
        ], count: data.count
      ) { data[$0] }.render(into: &buf, area: area, state: ListState(selected: 1))
    }
    expectLines(
      b,
      [
        "ID     Title              Acts",
        "INC-1  Database failover…    3",
        "INC-22 日本語のタイトル     12",
      ])
    #expect(b[0, 0].style.attributes.contains(.bold))
    #expect(b[0, 2].style.attributes.contains(.reverse))
  }
}

@Suite struct SmallWidgetTests {
  @Test func panelDrawsBorderAndTitle() {
    var inner = Rect(x: 0, y: 0, width: 0, height: 0)
    let b = render(width: 12, height: 4) { buf, area in
      inner = Panel(title: "Incidents\u{1B}[2J").render(into: &buf, area: area)
      buf.setString(inner.x, inner.y, "body")
    }
    #expect(inner == Rect(x: 1, y: 1, width: 10, height: 2))
    expectLines(b, ["┌ Inciden… ┐", "│body      │", "│          │", "└──────────┘"])
  }

  @Test func confirmDialogAndAnswers() {
    let b = render(width: 40, height: 7) { buf, area in
      ConfirmDialog(title: "Cancel", message: "Discard your changes?").render(
        into: &buf, area: area)
    }
    expectLines(
      b,
      [
        "",
        "     ┌ Cancel ────────────────────┐",
        "     │ Discard your changes?      │",
        "     │                            │",
        "     │ y yes   n no               │",
        "     └────────────────────────────┘",
      ])
    #expect(ConfirmDialog.answer(for: .char("y")) == true)
    #expect(ConfirmDialog.answer(for: KeyEvent(.escape)) == false)
    #expect(ConfirmDialog.answer(for: .char("x")) == nil)
  }

  @Test func textInputDialogShowsPromptFieldAndError() {
    var cursor: Point?
    let b = render(width: 40, height: 8) { buf, area in
      cursor = TextInputDialog(
        title: "Drop action", prompt: "Reason?", input: TextEditState("no longer"),
        error: "reason is required"
      ).render(into: &buf, area: area)
    }
    expectLines(
      b,
      [
        "",
        "┌ Drop action ─────────────────────────┐",
        "│ Reason?                              │",
        "│ no longer                            │",
        "│ reason is required                   │",
        "│ Enter ok  Esc cancel                 │",
        "└──────────────────────────────────────┘",
      ])
    #expect(cursor == Point(x: 11, y: 3))
  }

  @Test func barChartScalesToTheLargestValue() {
    let b = render(width: 24, height: 3) { buf, area in
      BarChart(bars: [
        Bar(label: "deploy", value: 8), Bar(label: "config", value: 4), Bar(label: "dns", value: 1),
      ])
      .render(into: &buf, area: area)
    }
    expectLines(
      b,
      [
        "deploy ███████████████ 8",
        "config ███████▌ 4",
        "dns    █▉ 1",
      ])
    #expect(BarChart.barText(value: 0, maximum: 10, width: 5) == "")
    #expect(BarChart.barText(value: .nan, maximum: 10, width: 5) == "")
    #expect(BarChart.barText(value: 50, maximum: 10, width: 5) == "█████")
  }

  @Test func sparklineUsesEightLevels() {
    #expect(Sparkline.text([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
    #expect(Sparkline.text([3, 3]) == "██")
    #expect(Sparkline.text([0, 0]) == "▁▁")
    let b = render(width: 3, height: 1) { buf, area in
      Sparkline(values: [7, 0, 0, 7]).render(into: &buf, area: area)
    }
    expectLines(b, ["▁▁█"])
  }

  @Test func tooSmallViewNamesBothSizes() {
    let b = render(width: 40, height: 5) { buf, area in
      TooSmallView(current: Size(width: 40, height: 5), required: Size(width: 60, height: 16))
        .render(into: &buf, area: area)
    }
    expectLines(
      b,
      [
        "",
        "           Terminal too small",
        "          now 40×5, need 60×16",
        "    Enlarge the window, or q to quit",
      ])
    #expect(
      TooSmallView.isTooSmall(Size(width: 59, height: 30), required: Size(width: 60, height: 16)))
    #expect(
      !TooSmallView.isTooSmall(Size(width: 60, height: 16), required: Size(width: 60, height: 16)))
  }

  @Test func wrapBreaksAtSpacesAndCutsLongWords() {
    #expect(wrap("the quick brown fox", width: 10) == ["the quick", "brown fox"])
    #expect(wrap("abcdefghijkl", width: 5) == ["abcde", "fghij", "kl"])
    #expect(wrap("a\nb", width: 5) == ["a", "b"])
    #expect(wrap("日本語日本語", width: 5) == ["日本", "語日", "本語"])
  }
}

@Suite struct ListMouseTests {
  @Test func clickSelectsTheRowUnderItAndWheelScrolls() {
    var s = ListState(selected: 11, offset: 10)
    let area = Rect(x: 0, y: 2, width: 20, height: 5)
    let clicked = s.handle(
      MouseEvent(action: .press(button: 1), position: Point(x: 3, y: 4)), area: area, count: 100)
    #expect(clicked && s.selected == 12)
    let wheeled = s.handle(
      MouseEvent(action: .wheelDown, position: Point(x: 3, y: 4)), area: area, count: 100)
    #expect(wheeled && s.selected == 15)
    let outside = s.handle(
      MouseEvent(action: .press(button: 1), position: Point(x: 3, y: 0)), area: area, count: 100)
    #expect(!outside && s.selected == 15)
    var short = ListState()
    let pastEnd = short.handle(
      MouseEvent(action: .press(button: 1), position: Point(x: 0, y: 6)), area: area, count: 2)
    #expect(!pastEnd && short.selected == 0)
  }
}
