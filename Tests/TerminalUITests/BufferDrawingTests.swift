import TerminalUI
import TerminalUITesting
import Testing

@Suite struct BufferDrawingTests {
  @Test func setStringClipsAtEdgeAndMaxWidth() {
    var b = ScreenBuffer(size: Size(width: 6, height: 2))
    let end = b.setString(2, 0, "abcdef")
    #expect(end == 6)
    b.setString(0, 1, "abcdef", maxWidth: 3)
    // A cut is marked: "…" in the last cell.
    expectLines(b, ["  abc…", "ab…"])
  }

  /// Printable ASCII (drawn a byte a cell) lands where the rules of any text put it: clipped
  /// at both edges and at the width given, a cut that loses more than blanks marked "…".
  @Test func asciiIsDrawnByTheRulesOfAnyText() {
    for t in ["", "a", "abc", "ab   ", "a b c d", "  x", "abcdefghijkl"] {
      for x in -4...9 {
        for maxWidth in [nil, 0, 1, 2, 3, 5, 8] as [Int?] {
          var b = ScreenBuffer(size: Size(width: 8, height: 1))
          let end = b.setString(x, 0, t, maxWidth: maxWidth)
          let chars = Array(t)
          let limit = Swift.min(8, maxWidth.map { x + $0 } ?? 8)
          var want = Array(repeating: " ", count: 8)
          for (i, c) in chars.enumerated() where x + i >= 0 && x + i < limit {
            want[x + i] = String(c)
          }
          let cut = x + chars.count > limit
          if cut, limit - 1 >= Swift.max(0, x),
            chars[Swift.max(0, limit - x)...].contains(where: { $0 != " " })
          {
            want[limit - 1] = "…"
          }
          let label = "\(t) at \(x) in \(String(describing: maxWidth))"
          #expect((0..<8).map { b[$0, 0].text } == want, "\(label)")
          #expect(end == (cut ? Swift.max(x, limit) : x + chars.count), "\(label)")
        }
      }
    }
  }

  @Test func wideCharacterTakesTwoCellsAndNeverHalf() {
    var b = ScreenBuffer(size: Size(width: 5, height: 2))
    b.setString(0, 0, "日本語")
    #expect(b[0, 0].text == "日")
    #expect(b[1, 0].isContinuation)
    #expect(b[4, 0].text == "…")
    #expect(!b[4, 0].isContinuation)
    b.setString(0, 1, "a日本", maxWidth: 4)
    expectLines(b, ["日本…", "a日…"])
    #expect(b[3, 1].text == "…")
  }

  @Test func overwritingHalfAWideCharacterClearsTheOtherHalf() {
    var b = ScreenBuffer(size: Size(width: 4, height: 1))
    b.setString(0, 0, "日本")
    b.setString(1, 0, "x")
    #expect(b[0, 0].text == " ")
    #expect(b[1, 0].text == "x")
    #expect(!b[1, 0].isContinuation)
    b.setString(0, 0, "日本")
    b.setString(2, 0, "y")
    #expect(b[3, 0].text == " " && !b[3, 0].isContinuation)
    expectLines(b, ["日y"])
  }

  @Test func combiningMarksJoinTheirBase() {
    var b = ScreenBuffer(size: Size(width: 4, height: 1))
    b.setString(0, 0, "e\u{301}x")
    #expect(b[0, 0].text == "e\u{301}")
    #expect(b[1, 0].text == "x")
  }

  @Test func fillAndStyle() {
    var b = ScreenBuffer(size: Size(width: 4, height: 3))
    b.fill(Rect(x: 1, y: 1, width: 10, height: 1), with: Cell("#"))
    expectLines(b, ["", " ###"])
    b.setStyle(Rect(x: 0, y: 1, width: 2, height: 1), Style(attributes: .reverse))
    #expect(b[1, 1].style.attributes == .reverse)
    #expect(b[1, 1].text == "#")
  }

  @Test func themePicksMonochromeForNoColor() {
    #expect(ColorSupport.detect(environment: ["NO_COLOR": "1"], terminalColors: 256) == .monochrome)
    #expect(ColorSupport.detect(environment: ["NO_COLOR": ""], terminalColors: 256) == .palette256)
    #expect(ColorSupport.detect(environment: [:], terminalColors: 16) == .ansi16)
    #expect(ColorSupport.detect(environment: [:], terminalColors: 8) == .ansi8)
    #expect(ColorSupport.detect(environment: [:], terminalColors: 2) == .monochrome)
    let mono = Theme.detect(environment: ["NO_COLOR": "yes"], terminalColors: 256)
    for style in [
      mono.title, mono.selection, mono.dim, mono.warning, mono.danger, mono.success, mono.accent,
      mono.border,
    ] {
      #expect(style.foreground == .default && style.background == .default)
      #expect(style.attributes.isSubset(of: [.bold, .reverse, .underline]))
    }
    #expect(Theme.standard(.ansi8).warning.foreground == .yellow)
    #expect(Theme.standard(.ansi8).danger.foreground == .red)
    #expect(Theme.standard(.ansi8).success.foreground == .green)
    if case .indexed = Theme.standard(.palette256).warning.foreground {
    } else {
      Issue.record("256-colour theme uses palette colours")
    }
  }

  @Test func aCutIsMarkedUnlessOnlyBlanksOrRulesAreLost() {
    var b = ScreenBuffer(size: Size(width: 6, height: 4))
    b.setString(0, 0, "abc   ", maxWidth: 4)
    b.setString(0, 1, "──────────", maxWidth: 4)
    b.setLine(0, 2, Line([Span("abcd"), Span("ef")]), maxWidth: 4)
    b.setString(0, 3, "ab日本", maxWidth: 5)
    expectLines(b, ["abc", "────", "abc…", "ab日…"])
  }
}
