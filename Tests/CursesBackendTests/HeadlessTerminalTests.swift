import CNcursesw
import CursesBackend
import Glibc
import TerminalUI
import Testing

/// Real ncurses on /dev/null: draw a buffer, read the cells back from ncurses' screen.
///
/// Serialized: ncurses keeps process-wide state and is not thread-safe.
@Suite(.serialized) struct HeadlessTerminalTests {
  private func makeTerminal(_ size: Size = Size(width: 20, height: 5)) throws -> CursesTerminal {
    try CursesTerminal(
      device: .files(
        input: "/dev/null", output: "/dev/null", terminalType: "xterm-256color", size: size),
      environment: ["TERM": "xterm-256color"], handleSignals: false)
  }

  @Test func startsWithTheRequestedSizeAndColours() throws {
    let terminal = try makeTerminal(Size(width: 33, height: 7))
    defer { terminal.shutdown() }
    #expect(terminal.size == Size(width: 33, height: 7))
    #expect(terminal.palette.support == .palette256)
  }

  @Test func roundTripsTextWideCharactersAttributesAndColours() throws {
    let terminal = try makeTerminal()
    defer { terminal.shutdown() }
    var buffer = ScreenBuffer(size: terminal.size)
    let bold = Style(attributes: [.bold])
    let alert = Style(foreground: .red, background: .default, attributes: [.underline])
    let selected = Style(foreground: .indexed(208), background: .blue, attributes: [.reverse])
    for (offset, character) in "abc".enumerated() { buffer[offset, 0] = Cell(String(character)) }
    buffer[0, 1] = Cell("日", style: bold)
    buffer[1, 1] = Cell("", style: bold, isContinuation: true)
    buffer[2, 1] = Cell("x", style: alert)
    buffer[5, 2] = Cell("é", style: selected)
    buffer[19, 4] = Cell("Z")  // bottom-right corner
    terminal.draw(buffer, cursor: nil)

    #expect(terminal.cellOnScreen(x: 0, y: 0)?.text == "a")
    #expect(terminal.cellOnScreen(x: 2, y: 0)?.text == "c")
    let wide = try #require(terminal.cellOnScreen(x: 0, y: 1))
    #expect(wide.text == "日")
    #expect(wide.style.attributes == [.bold])
    let colored = try #require(terminal.cellOnScreen(x: 2, y: 1))
    #expect(colored.text == "x")
    #expect(colored.style == alert)
    let reversed = try #require(terminal.cellOnScreen(x: 5, y: 2))
    #expect(reversed.text == "é")
    #expect(reversed.style == selected)
    #expect(terminal.cellOnScreen(x: 19, y: 4)?.text == "Z")
    #expect(terminal.cellOnScreen(x: 7, y: 3)?.text == " ")
  }

  @Test func laterFramesChangeOnlyWhatDiffers() throws {
    let terminal = try makeTerminal()
    defer { terminal.shutdown() }
    var buffer = ScreenBuffer(size: terminal.size)
    buffer[0, 0] = Cell("1")
    buffer[1, 0] = Cell("2")
    terminal.draw(buffer, cursor: Point(x: 1, y: 0))
    buffer[1, 0] = Cell("9", style: Style(attributes: [.dim]))
    buffer[0, 2] = Cell("語")
    buffer[1, 2] = Cell("", isContinuation: true)
    terminal.draw(buffer, cursor: nil)
    #expect(terminal.cellOnScreen(x: 0, y: 0)?.text == "1")
    #expect(terminal.cellOnScreen(x: 1, y: 0)?.text == "9")
    #expect(terminal.cellOnScreen(x: 1, y: 0)?.style.attributes == [.dim])
    #expect(terminal.cellOnScreen(x: 0, y: 2)?.text == "語")
    // Replacing the wide character by two narrow ones redraws both halves.
    buffer[0, 2] = Cell("p")
    buffer[1, 2] = Cell("q")
    terminal.draw(buffer, cursor: nil)
    #expect(terminal.cellOnScreen(x: 0, y: 2)?.text == "p")
    #expect(terminal.cellOnScreen(x: 1, y: 2)?.text == "q")
  }

  @Test func widthDisagreementsKeepTheLayout() throws {
    let terminal = try makeTerminal()
    defer { terminal.shutdown() }
    var buffer = ScreenBuffer(size: terminal.size)
    // Given one cell, a character the C library draws over two becomes U+FFFD …
    buffer[0, 0] = Cell("日")
    buffer[1, 0] = Cell("b")
    // … and given two cells, a narrow one gets a blank right half, not what was there before.
    buffer[0, 1] = Cell("z")
    buffer[1, 1] = Cell("y")
    terminal.draw(buffer, cursor: nil)
    buffer[0, 1] = Cell("a")
    buffer[1, 1] = Cell("", isContinuation: true)
    terminal.draw(buffer, cursor: nil)
    #expect(terminal.cellOnScreen(x: 0, y: 0)?.text == "\u{FFFD}")
    #expect(terminal.cellOnScreen(x: 1, y: 0)?.text == "b")
    #expect(terminal.cellOnScreen(x: 0, y: 1)?.text == "a")
    #expect(terminal.cellOnScreen(x: 1, y: 1)?.text == " ")
  }

  @Test func redrawAllRepaintsEveryCell() throws {
    let terminal = try makeTerminal()
    defer { terminal.shutdown() }
    var buffer = ScreenBuffer(size: terminal.size)
    buffer[3, 3] = Cell("k")
    terminal.draw(buffer, cursor: nil)
    // Something else writes over the screen behind the program's back (a garbled terminal).
    _ = mvwaddch(ll_stdscr(), 3, 3, chtype(UInt8(ascii: "X")))
    _ = mvwaddch(ll_stdscr(), 0, 0, chtype(UInt8(ascii: "Y")))
    // The same frame again sends only what changed since the last one: nothing, so the garbage
    // stays (what Ctrl-L is for).
    terminal.draw(buffer, cursor: nil)
    #expect(terminal.cellOnScreen(x: 3, y: 3)?.text == "X")
    terminal.redrawAll()
    terminal.draw(buffer, cursor: nil)
    #expect(terminal.cellOnScreen(x: 3, y: 3)?.text == "k")
    #expect(terminal.cellOnScreen(x: 0, y: 0)?.text == " ")
  }

  @Test func noColorTurnsColoursIntoAttributes() throws {
    let terminal = try CursesTerminal(
      device: .files(
        input: "/dev/null", output: "/dev/null", terminalType: "xterm-256color",
        size: Size(width: 10, height: 3)),
      environment: ["TERM": "xterm-256color", "NO_COLOR": "1"], handleSignals: false)
    defer { terminal.shutdown() }
    #expect(terminal.palette.support == .monochrome)
    var buffer = ScreenBuffer(size: terminal.size)
    buffer[0, 0] = Cell("s", style: Style(foreground: .black, background: .yellow))
    terminal.draw(buffer, cursor: nil)
    let cell = try #require(terminal.cellOnScreen(x: 0, y: 0))
    #expect(cell.style == Style(attributes: [.reverse]))
  }

  @Test func queuedInputIsDecodedThroughTheTerminal() throws {
    let terminal = try makeTerminal()
    defer { terminal.shutdown() }
    terminal.enqueue(RawInput.sequence("\u{1B}[4~x"))
    #expect(terminal.nextEvent(timeoutMilliseconds: 0) == .key(KeyEvent(.end)))
    #expect(terminal.nextEvent(timeoutMilliseconds: 0) == .key(KeyEvent(.character("x"))))
    #expect(terminal.nextEvent(timeoutMilliseconds: 20) == nil)
  }

  @Test func pipedBytesAreDecodedThroughNcursesKeypad() throws {
    var fds: [Int32] = [0, 0]
    try #require(pipe(&fds) == 0)
    defer { close(fds[0]) }
    // xterm-256color's keypad sends \eOA for Up and \eOH for Home; the rest is raw.
    let bytes = Array("a日\u{1B}OA\u{1B}OH\u{1B}[200~x\ry\u{1B}[201~\u{1B}b\u{7F}\u{1B}[4~".utf8)
    try #require(write(fds[1], bytes, bytes.count) == bytes.count)
    close(fds[1])
    let terminal = try CursesTerminal(
      device: .files(
        input: "/dev/fd/\(fds[0])", output: "/dev/null", terminalType: "xterm-256color",
        size: Size(width: 20, height: 5)),
      environment: ["TERM": "xterm-256color"], handleSignals: false)
    defer { terminal.shutdown() }
    var events: [InputEvent] = []
    // A timeout of 0 still reads what is already there.
    while let event = terminal.nextEvent(timeoutMilliseconds: 0) { events.append(event) }
    #expect(
      events == [
        .key(KeyEvent(.character("a"))), .key(KeyEvent(.character("日"))), .key(KeyEvent(.up)),
        .key(KeyEvent(.home)), .paste("x\ny"), .key(KeyEvent(.character("b"), [.alt])),
        .key(KeyEvent(.backspace)), .key(KeyEvent(.end)),
      ])
  }

  @Test func shutdownIsIdempotentAndEndsDrawing() throws {
    let terminal = try makeTerminal()
    terminal.shutdown()
    terminal.shutdown()
    #expect(terminal.size == Size(width: 0, height: 0))
    #expect(terminal.nextEvent(timeoutMilliseconds: 0) == nil)
    #expect(terminal.cellOnScreen(x: 0, y: 0) == nil)
  }

  @Test func unknownTerminalTypeIsAClearError() {
    #expect(throws: CursesTerminalError.unknownTerminal("no-such-terminal-xyz")) {
      _ = try CursesTerminal(
        device: .files(
          input: "/dev/null", output: "/dev/null", terminalType: "no-such-terminal-xyz",
          size: Size(width: 10, height: 3)),
        environment: [:], handleSignals: false)
    }
  }
}

@Test func refusesWithoutATerminal() {
  #expect(
    CursesTerminalError.check(term: "xterm", inputIsTerminal: false, outputIsTerminal: true)
      == .notATerminal)
  #expect(
    CursesTerminalError.check(term: "xterm", inputIsTerminal: true, outputIsTerminal: false)
      == .notATerminal)
  #expect(
    CursesTerminalError.check(term: nil, inputIsTerminal: true, outputIsTerminal: true)
      == .dumbTerminal(nil))
  #expect(
    CursesTerminalError.check(term: "dumb", inputIsTerminal: true, outputIsTerminal: true)
      == .dumbTerminal("dumb"))
  #expect(
    CursesTerminalError.check(term: "xterm-256color", inputIsTerminal: true, outputIsTerminal: true)
      == nil)
  #expect(
    CursesTerminalError.notATerminal.description.hasPrefix(
      "learnlog needs a terminal; use the command line: learnlog --help"))
}

@Test func paletteMapsColoursToWhatTheTerminalHas() {
  let full = Palette(support: .palette256)
  let sixteen = Palette(support: .ansi16)
  let eight = Palette(support: .ansi8)
  #expect(full.colorNumber(.default) == -1)
  #expect(full.colorNumber(.indexed(208)) == 208)
  #expect(sixteen.colorNumber(.ansi(9)) == 9)
  #expect(eight.colorNumber(.ansi(9)) == 1)
  #expect(eight.attributes(for: Style(foreground: .ansi(9))) == [.bold])
  #expect(sixteen.attributes(for: Style(foreground: .ansi(9))) == [])
  #expect(Palette.nearestANSI(196) == 9)  // pure red
  #expect(Palette.nearestANSI(21) == 12)  // pure blue
  #expect(Palette.nearestANSI(232) == 0)
  #expect(Palette.nearestANSI(255) == 15)
  #expect(eight.colorNumber(.indexed(196)) == 1)
  let mono = Palette(support: .monochrome)
  #expect(mono.colorNumber(.red) == -1)
  #expect(mono.attributes(for: Style(foreground: .red)) == [.bold])
  #expect(
    mono.attributes(for: Style(background: .blue, attributes: [.underline])) == [
      .reverse, .underline,
    ])
  #expect(ColorSupport.detect(environment: ["NO_COLOR": "1"], terminalColors: 256) == .monochrome)
  #expect(ColorSupport.detect(environment: ["NO_COLOR": ""], terminalColors: 256) == .palette256)
  #expect(ColorSupport.detect(environment: [:], terminalColors: 16) == .ansi16)
  #expect(ColorSupport.detect(environment: [:], terminalColors: 0) == .monochrome)
}
