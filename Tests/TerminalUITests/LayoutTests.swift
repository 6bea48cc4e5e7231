import TerminalUI
import Testing

@Suite struct LayoutTests {
  @Test func fixedAndFillSplitVertically() {
    let rows = Layout.split(
      Rect(x: 0, y: 0, width: 80, height: 24), .vertical, [.length(1), .fill(1), .length(1)])
    #expect(
      rows == [
        Rect(x: 0, y: 0, width: 80, height: 1),
        Rect(x: 0, y: 1, width: 80, height: 22),
        Rect(x: 0, y: 23, width: 80, height: 1),
      ])
  }

  @Test func percentagesAndWeightsSplitHorizontally() {
    let cols = Layout.split(
      Rect(x: 2, y: 3, width: 100, height: 5), .horizontal, [.percentage(30), .fill(1), .fill(3)])
    #expect(cols.map(\.width) == [30, 18, 52])
    #expect(cols.map(\.x) == [2, 32, 50])
    #expect(cols.allSatisfy { $0.y == 3 && $0.height == 5 })
  }

  @Test func spacingLeavesGapsAndLengthsNeverExceedTotal() {
    #expect(
      Layout.lengths(total: 20, constraints: [.length(5), .fill(1), .length(5)], spacing: 1) == [
        5, 8, 5,
      ])
    #expect(Layout.lengths(total: 10, constraints: [.length(8), .length(8)]) == [8, 2])
    #expect(Layout.lengths(total: 0, constraints: [.fill(1), .min(3)]) == [0, 0])
    for total in 0..<40 {
      let sizes = Layout.lengths(
        total: total, constraints: [.min(3), .percentage(50), .fill(2), .length(4)], spacing: 1)
      #expect(sizes.reduce(0, +) + 3 <= max(total, 3))
    }
  }

  @Test func minGrowsWhenNoFillPresent() {
    #expect(Layout.lengths(total: 30, constraints: [.length(10), .min(5)]) == [10, 20])
    #expect(Layout.lengths(total: 30, constraints: [.min(5), .fill(1)]) == [5, 25])
  }

  @Test func centeredAndInset() {
    let area = Rect(x: 0, y: 0, width: 80, height: 24)
    #expect(area.centered(width: 40, height: 10) == Rect(x: 20, y: 7, width: 40, height: 10))
    #expect(area.centered(width: 200, height: 50) == area)
    #expect(area.inset(1) == Rect(x: 1, y: 1, width: 78, height: 22))
    #expect(Rect(x: 0, y: 0, width: 1, height: 1).inset(1).isEmpty)
    #expect(
      area.intersection(Rect(x: 70, y: 20, width: 20, height: 20))
        == Rect(x: 70, y: 20, width: 10, height: 4))
  }
}
