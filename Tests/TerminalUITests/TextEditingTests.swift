import TerminalUI
import TerminalUITesting
import Testing

/// Applies a key script to a single-line field.
func edit(_ state: TextEditState, _ script: String) throws -> TextEditState {
  var s = state
  for event in try KeyScript.parse(script) {
    if case .key(let k) = event { _ = s.handle(k) }
  }
  return s
}

@Suite struct TextEditingTests {
  @Test func typingInsertsAtTheCursor() throws {
    let s = try edit(TextEditState(), "hello <Left> <Left> X")
    #expect(s.text == "helXlo")
    #expect(s.cursor == 4)
  }

  @Test func homeEndAndCtrlAE() throws {
    var s = try edit(TextEditState("abc"), "<Home> x")
    #expect(s.text == "xabc")
    s = try edit(s, "<C-a> <C-e> y")
    #expect(s.text == "xabcy")
    s = try edit(s, "<C-a> <Right> <End> z")
    #expect(s.text == "xabcyz")
  }

  @Test func ctrlWDeletesTheWordBeforeTheCursor() throws {
    #expect(try edit(TextEditState("deploy the fix  "), "<C-w>").text == "deploy the ")
    #expect(try edit(TextEditState("one two"), "<C-w> <C-w>").text == "")
    #expect(try edit(TextEditState("a-b c"), "<Left> <Left> <C-w>").text == " c")
  }

  @Test func ctrlUAndCtrlKKill() throws {
    #expect(try edit(TextEditState("abcdef"), "<Left> <Left> <C-u>").text == "ef")
    let k = try edit(TextEditState("abcdef"), "<Home> <Right> <Right> <C-k>")
    #expect(k.text == "ab")
    #expect(k.cursor == 2)
  }

  @Test func altBAndAltFMoveByWords() throws {
    var s = try edit(TextEditState("rollback db-migration now"), "<M-b>")
    #expect(s.cursor == 22)
    s = try edit(s, "<M-b>")
    #expect(s.cursor == 12)
    s = try edit(s, "<M-b>")
    #expect(s.cursor == 9)
    s = try edit(s, "<Home> <M-f>")
    #expect(s.cursor == 8)
    s = try edit(s, "<M-f> X")
    #expect(s.text == "rollback dbX-migration now")
  }

  @Test func backspaceAndDelete() throws {
    #expect(try edit(TextEditState("abc"), "<BS>").text == "ab")
    #expect(try edit(TextEditState("abc"), "<Home> <Del>").text == "bc")
    #expect(try edit(TextEditState(""), "<BS> <Del>").text == "")
    #expect(try edit(TextEditState("abc"), "<End> <Del>").text == "abc")
  }

  @Test func cursorMovesByGraphemeClusterAndCountsWideColumns() throws {
    var s = TextEditState("cafe\u{301}日本👍🏽")
    #expect(s.characters.count == 7)
    #expect(s.cursorColumn == 4 + 4 + 2)
    s = try edit(s, "<Left>")
    #expect(s.cursorColumn == 8)
    s = try edit(s, "<BS>")
    #expect(s.text == "cafe\u{301}日👍🏽")
    s = try edit(s, "<Left> <BS>")
    #expect(s.text == "caf日👍🏽")
  }

  @Test func combiningMarkTypedAfterItsBaseJoinsIt() {
    var s = TextEditState("cafe")
    s.insert("\u{301}")
    #expect(s.text == "cafe\u{301}")
    #expect(s.characters.count == 4)
    #expect(s.cursor == 4)
  }

  @Test func unknownKeysAreLeftToTheCaller() {
    var s = TextEditState("x")
    let handled = [.ctrl("s"), KeyEvent(.escape), KeyEvent(.up), KeyEvent(.enter)].map {
      s.handle($0)
    }
    #expect(handled == [false, false, false, false])
    #expect(s.text == "x")
  }

  @Test func pasteIntoOneLineFlattensLineBreaks() {
    var s = TextEditState()
    s.insert("a\nb\tc")
    #expect(s.text == "a b c")
  }

  @Test func fieldScrollsToKeepTheCursorVisible() throws {
    let s = TextEditState("abcdefghij")
    let b = render(width: 5, height: 1) { buf, area in
      let cursor = TextField(s).render(into: &buf, area: area)
      #expect(cursor == Point(x: 4, y: 0))
    }
    expectLines(b, ["ghij"])
    var t = s
    t.keepCursorVisible(width: 5)
    t = try edit(t, "<Left> <Left> <Left> <Left> <Left> <Left>")
    #expect(t.visibleScroll(width: 5) == 4)
    let b2 = render(width: 5, height: 1) { buf, area in
      let cursor = TextField(t).render(into: &buf, area: area)
      #expect(cursor == Point(x: 0, y: 0))
    }
    expectLines(b2, ["efghi"])
  }

  @Test func wideCharactersCutByTheFieldEdgeBecomeSpaces() {
    var s = TextEditState("日本語x")
    s.cursor = 1
    s.scroll = 1
    let b = render(width: 4, height: 1) { buf, area in
      TextField(s).render(into: &buf, area: area)
    }
    #expect(b[0, 0].text == " ")
    #expect(b[1, 0].text == "本")
    #expect(b[3, 0].text == " ")
  }

  @Test func controlCharactersInFieldTextAreDrawnEscapedAndCounted() {
    let s = TextEditState("a\u{1B}b")
    #expect(s.cursorColumn == 4)
    let b = render(width: 10, height: 1) { buf, area in
      let cursor = TextField(s).render(into: &buf, area: area)
      #expect(cursor == Point(x: 4, y: 0))
    }
    expectLines(b, ["a^[b"])
  }
}

@Suite struct TextAreaTests {
  func edit(_ state: TextAreaState, _ script: String) throws -> TextAreaState {
    var s = state
    for event in try KeyScript.parse(script) {
      if case .key(let k) = event { _ = s.handle(k) }
    }
    return s
  }

  @Test func enterBreaksLinesAndArrowsMoveBetweenThem() throws {
    var s = try edit(TextAreaState(), "first <Enter> second <Enter> 3")
    #expect(s.text == "first\nsecond\n3")
    s = try edit(s, "<Up> <Up> X")
    #expect(s.text == "fXirst\nsecond\n3")
    s = try edit(s, "<End> <Down> Y")
    #expect(s.text == "fXirst\nsecondY\n3")
  }

  @Test func upDownKeepTheDisplayColumnAcrossWideText() throws {
    var s = TextAreaState("日本語\nabcdef")
    s = try edit(s, "<Left> <Left> <Up>")
    // Column 4 on the second line is after "本".
    #expect(s.row == 0 && s.column == 2)
    s = try edit(s, "<Down>")
    #expect(s.row == 1 && s.column == 4)
  }

  @Test func backspaceAtLineStartJoinsLines() throws {
    var s = TextAreaState("ab\ncd")
    s = try edit(s, "<Home> <BS>")
    #expect(s.text == "abcd")
    #expect(s.column == 2)
    s = try edit(s, "<C-k> <C-k>")
    #expect(s.text == "ab")
  }

  @Test func ctrlKAtLineEndJoinsTheNextLine() throws {
    var s = TextAreaState("ab\ncd")
    s = try edit(s, "<Up> <End> <C-k>")
    #expect(s.text == "abcd")
  }

  @Test func readlineKeysWorkWithinALine() throws {
    let s = try edit(TextAreaState("one two\nthree four"), "<C-w> <M-b> <C-a> <C-k>")
    #expect(s.text == "one two\n")
    let u = try edit(TextAreaState("one\ntwo three"), "<C-u>")
    #expect(u.text == "one\n")
  }

  @Test func pasteKeepsLineBreaks() {
    var s = TextAreaState("x")
    s.insert("a\r\nb\nc")
    #expect(s.text == "xa\nb\nc")
    #expect(s.row == 2)
  }

  @Test func rendersScrolledToTheCursorLine() {
    let s = TextAreaState("l1\nl2\nl3\nl4")
    let b = render(width: 6, height: 2) { buf, area in
      let cursor = TextArea(s, wraps: false).render(into: &buf, area: area)
      #expect(cursor == Point(x: 2, y: 1))
    }
    expectLines(b, ["l3", "l4"])
  }

  @Test func longLinesWrapAndTheCursorFollows() {
    var s = TextAreaState("abcdefgh\n日本語です")
    var cursor: Point?
    let b = render(width: 5, height: 4) { buf, area in
      cursor = TextArea(s).render(into: &buf, area: area)
    }
    // The cursor after "です" is on the fifth row: the view scrolls by one to show it.
    expectLines(b, ["fgh", "日本", "語で", "す"])
    #expect(cursor == Point(x: 2, y: 3))
    _ = s.handle(KeyEvent(.up))
    let top = render(width: 5, height: 4) { buf, area in
      cursor = TextArea(s).render(into: &buf, area: area)
    }
    expectLines(top, ["abcde", "fgh", "日本", "語で"])
    #expect(cursor == Point(x: 3, y: 1))
    var full = TextAreaState("abcde")
    full.scrollRow = 0
    let exact = render(width: 5, height: 2) { buf, area in
      cursor = TextArea(full).render(into: &buf, area: area)
    }
    expectLines(exact, ["abcde"])
    #expect(cursor == Point(x: 0, y: 1))
  }
}
