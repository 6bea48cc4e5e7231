import CursesBackend
import TerminalUI
import Testing

/// One row of the decoding table: raw input and the events it must become.
struct DecodingCase: CustomTestStringConvertible, Sendable {
  let name: String
  let input: [RawInput]
  let expected: [InputEvent]
  var testDescription: String { name }
}

private func key(_ key: Key, _ modifiers: KeyModifiers = []) -> InputEvent {
  .key(KeyEvent(key, modifiers))
}
private func char(_ c: Character, _ modifiers: KeyModifiers = []) -> InputEvent {
  .key(KeyEvent(.character(c), modifiers))
}
private func row(_ name: String, _ input: [RawInput], _ expected: [InputEvent]) -> DecodingCase {
  DecodingCase(name: name, input: input, expected: expected)
}
private func seq(_ name: String, _ text: String, _ expected: [InputEvent]) -> DecodingCase {
  DecodingCase(name: name, input: RawInput.sequence(text), expected: expected)
}

// ncurses key codes (octal in curses.h), written out so the table does not depend on the header.
private let keyDown: Int32 = 0o402
private let keyUp: Int32 = 0o403
private let keyLeft: Int32 = 0o404
private let keyRight: Int32 = 0o405
private let keyHome: Int32 = 0o406
private let keyBackspace: Int32 = 0o407
private let keyF0: Int32 = 0o410
private let keyDC: Int32 = 0o512
private let keyIC: Int32 = 0o513
private let keyNPage: Int32 = 0o522
private let keyPPage: Int32 = 0o523
private let keyEnter: Int32 = 0o527
private let keyLL: Int32 = 0o533
private let keyA1: Int32 = 0o534
private let keyA3: Int32 = 0o535
private let keyC1: Int32 = 0o537
private let keyC3: Int32 = 0o540
private let keyBTab: Int32 = 0o541
private let keyEnd: Int32 = 0o550
private let keyFind: Int32 = 0o552
private let keySelect: Int32 = 0o601

let decodingTable: [DecodingCase] = [
  // Printable characters, including wide and non-Latin ones.
  seq("ascii letter", "a", [char("a")]),
  seq("uppercase", "Q", [char("Q")]),
  seq("space", " ", [char(" ")]),
  seq("wide CJK", "日本語", [char("日"), char("本"), char("語")]),
  seq("accented", "é", [char("é")]),
  seq("emoji", "🙂", [char("🙂")]),
  // Control characters.
  row("Ctrl-A", [.character(0x01)], [char("a", [.ctrl])]),
  row("Ctrl-E", [.character(0x05)], [char("e", [.ctrl])]),
  row("Ctrl-S", [.character(0x13)], [char("s", [.ctrl])]),
  row("Ctrl-Z", [.character(0x1A)], [char("z", [.ctrl])]),
  row("Ctrl-Space", [.character(0x00)], [char(" ", [.ctrl])]),
  row("Ctrl-underscore", [.character(0x1F)], [char("_", [.ctrl])]),
  row("Tab is not Ctrl-I", [.character(0x09)], [key(.tab)]),
  row("Enter CR", [.character(0x0D)], [key(.enter)]),
  row("Enter LF", [.character(0x0A)], [key(.enter)]),
  row("KEY_ENTER", [.keyCode(keyEnter)], [key(.enter)]),
  row("Backspace DEL", [.character(0x7F)], [key(.backspace)]),
  row("Backspace BS", [.character(0x08)], [key(.backspace)]),
  row("KEY_BACKSPACE", [.keyCode(keyBackspace)], [key(.backspace)]),
  row("C1 control ignored", [.character(0x85)], []),
  // Esc and Alt.
  row("lone Esc", [.character(0x1B)], [key(.escape)]),
  row("Esc Esc", [.character(0x1B), .character(0x1B)], [key(.escape), key(.escape)]),
  seq("Alt-b", "\u{1B}b", [char("b", [.alt])]),
  seq("Alt-f", "\u{1B}f", [char("f", [.alt])]),
  seq("Alt-Shift-B", "\u{1B}B", [char("b", [.alt, .shift])]),
  row("Ctrl-Alt-a", [.character(0x1B), .character(0x01)], [char("a", [.ctrl, .alt])]),
  row("Alt-Up", [.character(0x1B), .keyCode(keyUp)], [key(.up, [.alt])]),
  row("Alt-Backspace", [.character(0x1B), .character(0x7F)], [key(.backspace, [.alt])]),
  seq("Esc then [ then nothing is Alt-[", "\u{1B}[", [char("[", [.alt])]),
  // ncurses key codes.
  row("KEY_UP", [.keyCode(keyUp)], [key(.up)]),
  row("KEY_DOWN", [.keyCode(keyDown)], [key(.down)]),
  row("KEY_LEFT", [.keyCode(keyLeft)], [key(.left)]),
  row("KEY_RIGHT", [.keyCode(keyRight)], [key(.right)]),
  row("KEY_HOME", [.keyCode(keyHome)], [key(.home)]),
  row("KEY_END", [.keyCode(keyEnd)], [key(.end)]),
  row("KEY_FIND (screen Home)", [.keyCode(keyFind)], [key(.home)]),
  row("KEY_SELECT (screen End)", [.keyCode(keySelect)], [key(.end)]),
  row("KEY_A1 (keypad Home)", [.keyCode(keyA1)], [key(.home)]),
  row("KEY_C1 (keypad End)", [.keyCode(keyC1)], [key(.end)]),
  row("KEY_LL", [.keyCode(keyLL)], [key(.end)]),
  row("KEY_A3", [.keyCode(keyA3)], [key(.pageUp)]),
  row("KEY_C3", [.keyCode(keyC3)], [key(.pageDown)]),
  row("KEY_PPAGE", [.keyCode(keyPPage)], [key(.pageUp)]),
  row("KEY_NPAGE", [.keyCode(keyNPage)], [key(.pageDown)]),
  row("KEY_IC", [.keyCode(keyIC)], [key(.insert)]),
  row("KEY_DC", [.keyCode(keyDC)], [key(.delete)]),
  row("KEY_BTAB", [.keyCode(keyBTab)], [key(.tab, [.shift])]),
  row("F1", [.keyCode(keyF0 + 1)], [key(.function(1))]),
  row("F12", [.keyCode(keyF0 + 12)], [key(.function(12))]),
  row("F13 is Shift-F1", [.keyCode(keyF0 + 13)], [key(.function(1), [.shift])]),
  row("F29 is Ctrl-F5", [.keyCode(keyF0 + 29)], [key(.function(5), [.ctrl])]),
  row("unknown key code", [.keyCode(0o536)], []),
  row("kUP5 is Ctrl-Up", [.namedKey("kUP5")], [key(.up, [.ctrl])]),
  row("kRIT3 is Alt-Right", [.namedKey("kRIT3")], [key(.right, [.alt])]),
  row("kDC6 is Ctrl-Shift-Delete", [.namedKey("kDC6")], [key(.delete, [.ctrl, .shift])]),
  row("kHOM is Shift-Home", [.namedKey("kHOM")], [key(.home, [.shift])]),
  row("unknown name", [.namedKey("kFOO5")], []),
  // Raw sequences when keypad does not map them (xterm, tmux, screen, rxvt, Linux console).
  seq("CSI 1~ Home", "\u{1B}[1~", [key(.home)]),
  seq("CSI 4~ End", "\u{1B}[4~", [key(.end)]),
  seq("CSI 7~ rxvt Home", "\u{1B}[7~", [key(.home)]),
  seq("CSI 8~ rxvt End", "\u{1B}[8~", [key(.end)]),
  seq("CSI H Home", "\u{1B}[H", [key(.home)]),
  seq("CSI F End", "\u{1B}[F", [key(.end)]),
  seq("SS3 H Home", "\u{1B}OH", [key(.home)]),
  seq("SS3 F End", "\u{1B}OF", [key(.end)]),
  seq("CSI 5~ PgUp", "\u{1B}[5~", [key(.pageUp)]),
  seq("CSI 6~ PgDn", "\u{1B}[6~", [key(.pageDown)]),
  seq("CSI 2~ Insert", "\u{1B}[2~", [key(.insert)]),
  seq("CSI 3~ Delete", "\u{1B}[3~", [key(.delete)]),
  seq("CSI A Up", "\u{1B}[A", [key(.up)]),
  seq("SS3 B Down", "\u{1B}OB", [key(.down)]),
  seq("CSI 1;5C Ctrl-Right", "\u{1B}[1;5C", [key(.right, [.ctrl])]),
  seq("CSI 1;2D Shift-Left", "\u{1B}[1;2D", [key(.left, [.shift])]),
  seq("CSI 3;3~ Alt-Delete", "\u{1B}[3;3~", [key(.delete, [.alt])]),
  seq("CSI Z Shift-Tab", "\u{1B}[Z", [key(.tab, [.shift])]),
  seq("SS3 P F1", "\u{1B}OP", [key(.function(1))]),
  seq("CSI 15~ F5", "\u{1B}[15~", [key(.function(5))]),
  seq("CSI 17~ F6", "\u{1B}[17~", [key(.function(6))]),
  seq("CSI 24~ F12", "\u{1B}[24~", [key(.function(12))]),
  seq("Linux console F3", "\u{1B}[[C", [key(.function(3))]),
  seq("unknown CSI ignored, next key kept", "\u{1B}[99xq", [char("q")]),
  seq("focus report ignored", "\u{1B}[I", []),
  // Bracketed paste.
  seq("paste", "\u{1B}[200~hello 日本\u{1B}[201~", [.paste("hello 日本")]),
  seq("paste CR becomes newline", "\u{1B}[200~a\rb\u{1B}[201~", [.paste("a\nb")]),
  seq("paste keeps Esc-free keys literal", "\u{1B}[200~q\u{1B}[201~x", [.paste("q"), char("x")]),
  seq("paste without end takes what came", "\u{1B}[200~abc", [.paste("abc")]),
  seq("stray paste end ignored", "\u{1B}[201~z", [char("z")]),
  // Mouse reports in raw form.
  seq(
    "SGR left press", "\u{1B}[<0;5;3M",
    [.mouse(MouseEvent(action: .press(button: 1), position: Point(x: 4, y: 2)))]),
  seq(
    "SGR release", "\u{1B}[<0;5;3m",
    [.mouse(MouseEvent(action: .release, position: Point(x: 4, y: 2)))]),
  seq(
    "SGR wheel down", "\u{1B}[<65;1;1M",
    [.mouse(MouseEvent(action: .wheelDown, position: Point(x: 0, y: 0)))]),
  seq(
    "X10 right press", "\u{1B}[M\u{22}!!",
    [.mouse(MouseEvent(action: .press(button: 3), position: Point(x: 0, y: 0)))]),
  // Resize.
  row("resize", [.resize(Size(width: 70, height: 20))], [.resize(Size(width: 70, height: 20))]),
]

@Test(arguments: decodingTable)
func decodesRawInput(_ row: DecodingCase) {
  #expect(KeyDecoder.decodeAll(row.input) == row.expected)
}

@Test func loneEscWaitsUntilInputPauses() {
  #expect(KeyDecoder.decode([.character(0x1B)][...], paused: false) == .incomplete(paste: false))
  #expect(
    KeyDecoder.decode([.character(0x1B)][...], paused: true)
      == .event(.key(KeyEvent(.escape)), consumed: 1))
}

@Test func unfinishedSequenceWaitsThenResolves() {
  let partial = RawInput.sequence("\u{1B}[1;5")[...]
  #expect(KeyDecoder.decode(partial, paused: false) == .incomplete(paste: false))
  #expect(
    KeyDecoder.decode(partial, paused: true)
      == .event(.key(KeyEvent(.character("["), [.alt])), consumed: 2))
}

@Test func openPasteAsksToWaitLonger() {
  let partial = RawInput.sequence("\u{1B}[200~some text")[...]
  #expect(KeyDecoder.decode(partial, paused: false) == .incomplete(paste: true))
}

@Test func mouseReportsFromNcurses() {
  // Bits of MEVENT.bstate for mouse version 2: button n's events start at bit 5 * (n - 1).
  let press1: UInt32 = 0o2
  let release1: UInt32 = 0o1
  let press3: UInt32 = 0o2 << 10
  let wheelUp: UInt32 = 0o2 << 15
  let wheelDown: UInt32 = 0o2 << 20
  let at = Point(x: 3, y: 4)
  #expect(
    KeyDecoder.mouseEvent(x: 3, y: 4, buttons: press1)
      == MouseEvent(action: .press(button: 1), position: at))
  #expect(
    KeyDecoder.mouseEvent(x: 3, y: 4, buttons: release1)
      == MouseEvent(action: .release, position: at))
  #expect(
    KeyDecoder.mouseEvent(x: 3, y: 4, buttons: press3)
      == MouseEvent(action: .press(button: 3), position: at))
  #expect(
    KeyDecoder.mouseEvent(x: 3, y: 4, buttons: wheelUp)
      == MouseEvent(action: .wheelUp, position: at))
  #expect(
    KeyDecoder.mouseEvent(x: 3, y: 4, buttons: wheelDown)
      == MouseEvent(action: .wheelDown, position: at))
  #expect(KeyDecoder.mouseEvent(x: 3, y: 4, buttons: 0) == nil)
}

@Test func everyPrintableASCIICharacterIsItself() {
  for code in UInt32(0x20)...UInt32(0x7E) {
    let scalar = Unicode.Scalar(code)
    #expect(KeyDecoder.decodeAll([.character(code)]) == [char(Character(scalar ?? " "))])
  }
}
