import CNcursesw
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Facts about the ncurses library the backend uses.
public enum CursesBackendInfo {
  /// The ncurses version the backend was linked against.
  public static var version: String { String(cString: curses_version()) }
}

/// The real terminal, through ncurses: full screen, keys, mouse, paste, colours, resizes.
///
/// Use one at a time, from one thread (ncurses is not thread-safe):
/// ```swift
/// let terminal = try CursesTerminal()
/// defer { terminal.shutdown() }
/// while running {
///   terminal.draw(view(state, terminal.size), cursor: nil)
///   guard let event = terminal.nextEvent(timeoutMilliseconds: 250) else { continue }
///   ...
/// }
/// ```
/// The terminal is restored on every way out: `shutdown()` (also run by `deinit` and `exit()`),
/// SIGINT/SIGTERM/SIGHUP (seen by `nextEvent`, which ends curses and exits with 128 + n) and
/// crashes (see `TerminalGuard`).
public final class CursesTerminal: TerminalBackend {
  /// Where the terminal comes from.
  public enum Device: Sendable {
    /// The process's standard input and output, which must be a terminal.
    case standard
    /// Files opened by path (for headless tests: "/dev/null"), with a terminal type and size.
    case files(input: String, output: String, terminalType: String, size: Size)
  }

  /// How long to wait after Esc for the rest of a sequence (on top of ncurses' own ESCDELAY).
  public var escapeWaitMilliseconds = 15
  /// How long to wait for the rest of a bracketed paste before taking what came.
  public var pasteWaitMilliseconds = 500
  /// Whether Ctrl-Z suspends the program (to the shell's job control) instead of being a key.
  public var suspendsOnCtrlZ = true

  /// How colours are shown.
  public private(set) var palette = Palette(support: .monochrome)

  private var screen: OpaquePointer?
  private var inputFile: UnsafeMutablePointer<FILE>?
  private var outputFile: UnsafeMutablePointer<FILE>?
  private let ownsFiles: Bool
  private let guardsProcess: Bool
  private var active = false
  private var pending: [RawInput] = []
  private var previous: ScreenBuffer?
  private var previousScreenSize: Size?
  private var cursorVisible: Bool?
  private var pairs: [PairKey: Int16] = [:]
  private var pairColors: [Int16: PairKey] = [:]
  private var maxPairs: Int = 0

  private struct PairKey: Hashable {
    var foreground: Int16
    var background: Int16
  }

  /// Starts full-screen mode.
  ///
  /// - Parameters:
  ///   - device: the standard terminal, or files for headless use.
  ///   - environment: where TERM and NO_COLOR are read (the process's by default).
  ///   - handleSignals: whether to install the signal handlers that restore the terminal
  ///     (on by default for `.standard`, never for `.files`).
  /// - Throws: `CursesTerminalError` when there is no usable terminal; curses is not started.
  public init(
    device: Device = .standard,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    handleSignals: Bool = true
  ) throws {
    CursesTerminal.setUTF8Locale()
    let terminalType: String?
    switch device {
    case .standard:
      if let problem = CursesTerminalError.check(
        term: environment["TERM"], inputIsTerminal: isatty(0) == 1,
        outputIsTerminal: isatty(1) == 1)
      {
        throw problem
      }
      terminalType = environment["TERM"]
      CursesTerminal.unblockTerminalSignals()
      inputFile = fdopen(0, "r")
      outputFile = fdopen(1, "w")
      ownsFiles = false
      guardsProcess = handleSignals
    case .files(let input, let output, let type, _):
      terminalType = type
      inputFile = fopen(input, "r")
      outputFile = fopen(output, "w")
      ownsFiles = true
      guardsProcess = false
      guard inputFile != nil, outputFile != nil else {
        closeFiles()
        throw CursesTerminalError.cannotOpen(inputFile == nil ? input : output)
      }
    }
    guard let outputFile, let inputFile, let terminalType else {
      throw CursesTerminalError.cannotOpen("the terminal")
    }
    // Armed before newterm: a signal while curses starts still restores the saved modes, and
    // ncurses, finding handlers in place, leaves SIGINT and SIGTERM to us.
    if guardsProcess { TerminalGuard.prepare(fd: fileno(outputFile)) }
    // newterm (unlike initscr) reports an unknown type by returning nil instead of exiting.
    guard let screen = newterm(terminalType, outputFile, inputFile) else {
      if guardsProcess { TerminalGuard.deactivate() }
      closeFiles()
      throw CursesTerminalError.unknownTerminal(terminalType)
    }
    self.screen = screen
    _ = set_term(screen)
    if guardsProcess { TerminalGuard.saveResetSequence(CursesTerminal.resetSequence()) }

    if case .files(_, _, _, let size) = device {
      _ = resizeterm(Int32(size.height), Int32(size.width))
    }
    _ = raw()
    _ = noecho()
    _ = nonl()
    _ = keypad(ll_stdscr(), true)
    _ = set_escdelay(25)
    _ = intrflush(ll_stdscr(), false)

    var colorCount = 0
    if has_colors(), start_color() == ll_ok() {
      _ = use_default_colors()
      colorCount = Int(ll_colors())
    }
    let support = ColorSupport.detect(environment: environment, terminalColors: colorCount)
    palette = Palette(support: support)
    maxPairs = min(Int(ll_color_pairs()), Int(Int16.max))

    let buttons =
      ll_button1_pressed() | ll_button1_released() | ll_button2_pressed()
      | ll_button2_released() | ll_button3_pressed() | ll_button3_released()
      | ll_button4_pressed() | ll_button5_pressed()
    _ = mousemask(mmask_t(buttons), nil)
    _ = mouseinterval(0)
    writeRaw("\u{1B}[?2004h")  // bracketed paste on
    active = true
    if case .files = device {
      // resizeterm queued a KEY_RESIZE for the size chosen above: drop it, keep real input.
      while let raw = readRaw(waitMilliseconds: 0) {
        if case .resize = raw { continue }
        pending.append(raw)
        break
      }
    }
  }

  deinit { shutdown() }

  /// Ends full-screen mode and restores the terminal; safe to call more than once.
  public func shutdown() {
    guard active else { return }
    active = false
    if let screen { _ = set_term(screen) }
    writeRaw("\u{1B}[?2004l")
    _ = mousemask(0, nil)
    _ = curs_set(1)
    _ = endwin()
    if guardsProcess { TerminalGuard.deactivate() }
    if let screen { delscreen(screen) }
    screen = nil
    closeFiles()
  }

  /// The terminal's current size.
  public var size: Size {
    guard active else { return Size(width: 0, height: 0) }
    return Size(width: Int(getmaxx(ll_stdscr())), height: Int(getmaxy(ll_stdscr())))
  }

  // MARK: - Drawing

  /// Shows `buffer`: writes only the cells that changed since the last frame, then one update.
  public func draw(_ buffer: ScreenBuffer, cursor: Point?) {
    guard active else { return }
    let window = ll_stdscr()
    let screenSize = size
    // A new buffer size or a resized screen (ncurses may have moved or cleared cells) repaints.
    let full = previous?.size != buffer.size || previousScreenSize != screenSize
    previousScreenSize = screenSize
    if full { _ = werase(window) }
    let width = min(buffer.size.width, screenSize.width)
    let height = min(buffer.size.height, screenSize.height)
    for y in 0..<max(0, height) {
      for x in 0..<max(0, width) {
        let cell = buffer[x, y]
        if cell.isContinuation { continue }
        if !full, let previous, previous[x, y] == cell,
          previous[x + 1, y] == buffer[x + 1, y] || !buffer[x + 1, y].isContinuation
        {
          continue
        }
        put(cell, x: x, y: y, wide: buffer[x + 1, y].isContinuation)
      }
    }
    if let cursor, cursor.x >= 0, cursor.y >= 0, cursor.x < width, cursor.y < height {
      setCursorVisible(true)
      _ = wmove(window, Int32(cursor.y), Int32(cursor.x))
    } else {
      setCursorVisible(false)
    }
    _ = wnoutrefresh(window)
    _ = doupdate()
    previous = buffer
  }

  /// Repaints the whole screen on the next `draw` (Ctrl-L: the screen got garbled).
  public func redrawAll() {
    guard active else { return }
    _ = clearok(ll_stdscr(), true)
    previous = nil
  }

  /// Suspends to the shell's job control (Ctrl-Z); returns once the program is continued.
  ///
  /// The next `draw` repaints everything.
  public func suspend() {
    guard active else { return }
    writeRaw("\u{1B}[?2004l")
    _ = endwin()
    if guardsProcess { TerminalGuard.deactivate() }
    // Stop the whole job the way the shell's Ctrl-Z would.
    let previousAction = signal(SIGTSTP, SIG_DFL)
    _ = kill(0, SIGTSTP)
    _ = signal(SIGTSTP, previousAction)
    if guardsProcess { TerminalGuard.activate() }
    writeRaw("\u{1B}[?2004h")
    _ = doupdate()
    redrawAll()
  }

  /// Leaves full-screen mode while `body` runs another program (`$EDITOR`, a pager), then
  /// comes back; the next `draw` repaints everything.
  ///
  /// During `body` the terminal is in the user's normal modes, and Ctrl-C or Ctrl-\\ reach
  /// only the other program: this process catches them with a handler that does nothing (a
  /// caught signal, unlike an ignored one, is back to its default in a program started with
  /// `exec`, so the other program can still be interrupted).
  public func withFullScreenSuspended<T>(_ body: () throws -> T) rethrows -> T {
    guard active else { return try body() }
    writeRaw("\u{1B}[?2004l")
    // Keep this program's modes (taken back below), then hand the user's normal modes over.
    _ = def_prog_mode()
    _ = endwin()
    if guardsProcess { TerminalGuard.deactivate() }
    var previousInterrupt = sigaction()
    var previousQuit = sigaction()
    _ = ll_install_handler(SIGINT, ignoreSignal, 0, &previousInterrupt)
    _ = ll_install_handler(SIGQUIT, ignoreSignal, 0, &previousQuit)
    defer {
      _ = ll_restore_handler(SIGINT, &previousInterrupt)
      _ = ll_restore_handler(SIGQUIT, &previousQuit)
      if guardsProcess { TerminalGuard.activate() }
      // Whatever the other program left, this program's modes come back.
      _ = reset_prog_mode()
      writeRaw("\u{1B}[?2004h")
      _ = doupdate()
      redrawAll()
    }
    return try body()
  }

  /// The cell ncurses holds at (`x`, `y`), read back from its screen (for tests).
  public func cellOnScreen(x: Int, y: Int) -> Cell? {
    guard active else { return nil }
    var value = cchar_t()
    guard mvwin_wch(ll_stdscr(), Int32(y), Int32(x), &value) != ll_err() else { return nil }
    var text = [wchar_t](repeating: 0, count: 8)
    var attributes: attr_t = 0
    var pair: Int32 = 0
    guard ll_getcchar(&value, &text, &attributes, &pair) != ll_err() else { return nil }
    var scalars = String.UnicodeScalarView()
    for code in text {
      guard code != 0 else { break }
      if let scalar = Unicode.Scalar(UInt32(bitPattern: code)) { scalars.append(scalar) }
    }
    var style = Style(attributes: textAttributes(from: attributes))
    if let key = pairColors[Int16(pair)] {
      style.foreground = color(fromNumber: key.foreground)
      style.background = color(fromNumber: key.background)
    }
    return Cell(String(scalars), style: style)
  }

  /// Writes one cell; `wide` says the buffer gave it two cells (the next is a continuation).
  ///
  /// Where the buffer's width and the C library's (`wcwidth`, which ncurses uses) disagree, the
  /// layout wins: a character ncurses would draw over two cells in a one-cell slot becomes U+FFFD,
  /// and a two-cell slot holding a character ncurses draws narrow gets a blank in its right half.
  private func put(_ cell: Cell, x: Int, y: Int, wide: Bool) {
    var text: [wchar_t] = []
    for scalar in cell.text.unicodeScalars.prefix(5) {
      text.append(wchar_t(bitPattern: scalar.value < 0x20 ? 0x20 : scalar.value))
    }
    if text.isEmpty { text = [0x20] }
    let cursesWidth = wcwidth(text[0])
    if !wide, cursesWidth > 1 { text = [0xFFFD] }
    text.append(0)
    let attributes = cursesAttributes(palette.attributes(for: cell.style))
    let pair = colorPair(for: cell.style)
    var value = cchar_t()
    _ = ll_setcchar(&value, text, attributes, Int32(pair))
    _ = mvwadd_wch(ll_stdscr(), Int32(y), Int32(x), &value)
    if wide, cursesWidth < 2 {
      var blank = cchar_t()
      _ = ll_setcchar(&blank, [0x20, 0], attributes, Int32(pair))
      _ = mvwadd_wch(ll_stdscr(), Int32(y), Int32(x + 1), &blank)
    }
  }

  private func setCursorVisible(_ visible: Bool) {
    guard cursorVisible != visible else { return }
    cursorVisible = visible
    _ = curs_set(visible ? 1 : 0)
  }

  private func cursesAttributes(_ attributes: TextAttributes) -> attr_t {
    var result = ll_a_normal()
    if attributes.contains(.bold) { result |= ll_a_bold() }
    if attributes.contains(.dim) { result |= ll_a_dim() }
    if attributes.contains(.reverse) { result |= ll_a_reverse() }
    if attributes.contains(.underline) { result |= ll_a_underline() }
    return result
  }

  private func textAttributes(from attributes: attr_t) -> TextAttributes {
    var result: TextAttributes = []
    if attributes & ll_a_bold() != 0 { result.insert(.bold) }
    if attributes & ll_a_dim() != 0 { result.insert(.dim) }
    if attributes & ll_a_reverse() != 0 { result.insert(.reverse) }
    if attributes & ll_a_underline() != 0 { result.insert(.underline) }
    return result
  }

  /// The colour pair for a style's colours, allocated on first use (0: terminal defaults).
  private func colorPair(for style: Style) -> Int16 {
    guard palette.colorCount != nil else { return 0 }
    let key = PairKey(
      foreground: palette.colorNumber(style.foreground),
      background: palette.colorNumber(style.background))
    if key.foreground == -1, key.background == -1 { return 0 }
    if let pair = pairs[key] { return pair }
    let next = Int16(pairs.count + 1)
    guard Int(next) < maxPairs, init_pair(next, key.foreground, key.background) != ll_err()
    else { return 0 }
    pairs[key] = next
    pairColors[next] = key
    return next
  }

  private func color(fromNumber number: Int16) -> Color {
    guard number >= 0 else { return .default }
    if palette.support == .palette256, number >= 16 {
      return .indexed(UInt8(number))
    }
    return .ansi(UInt8(number & 15))
  }

  // MARK: - Input

  /// Waits up to `timeoutMilliseconds` (negative: forever) for the next input event.
  ///
  /// Also where a pending SIGINT, SIGTERM or SIGHUP is acted on: curses ends and the process
  /// exits with 128 + the signal number.
  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    guard active else { return nil }
    let start = DispatchTime.now().uptimeNanoseconds
    let limit = UInt64(max(0, timeoutMilliseconds)) * 1_000_000
    while true {
      if exitIfSignalled() { return nil }
      if !pending.isEmpty {
        var result = KeyDecoder.decode(pending[...], paused: false)
        if case .incomplete(let paste) = result {
          // Take everything already typed or pasted before decoding again (a long paste is
          // then decoded a few times, not once per character); wait only if nothing is there.
          var arrived = false
          while let raw = readRaw(waitMilliseconds: 0) {
            pending.append(raw)
            arrived = true
          }
          let wait = paste ? pasteWaitMilliseconds : escapeWaitMilliseconds
          if !arrived, let raw = readRaw(waitMilliseconds: wait) {
            pending.append(raw)
            arrived = true
          }
          if arrived { continue }
          result = KeyDecoder.decode(pending[...], paused: true)
        }
        switch result {
        case .event(let event, let consumed):
          pending.removeFirst(min(max(1, consumed), pending.count))
          if suspendsOnCtrlZ, event == .key(KeyEvent(.character("z"), [.ctrl])) {
            suspend()
            return .resize(size)
          }
          return event
        case .ignored(let consumed):
          pending.removeFirst(min(max(1, consumed), pending.count))
          continue
        case .incomplete:
          pending.removeFirst()
          continue
        }
      }
      let elapsed = DispatchTime.now().uptimeNanoseconds - start
      if timeoutMilliseconds >= 0, elapsed >= limit {
        // Out of time, but input that is already there still counts (a timeout of 0 polls).
        guard let raw = readRaw(waitMilliseconds: 0) else { return nil }
        pending.append(raw)
        continue
      }
      let remaining = timeoutMilliseconds < 0 ? 100 : Int((limit - elapsed) / 1_000_000)
      if let raw = readRaw(waitMilliseconds: min(100, max(1, remaining))) {
        pending.append(raw)
      }
    }
  }

  /// Queues input as if typed (for tests of the decoding path through the terminal).
  public func enqueue(_ input: [RawInput]) { pending.append(contentsOf: input) }

  /// The signal taken while ``returnsOnSignal`` is set: the caller ends the process with it.
  public private(set) var takenSignal: Int32?
  /// Whether a pending SIGINT, SIGTERM or SIGHUP ends the input (``takenSignal``) instead of
  /// the process, so the caller can keep what it holds before it exits with 128 + the signal.
  public var returnsOnSignal = false

  /// Acts on a pending signal: exits, or (``returnsOnSignal``) ends the input; true then.
  private func exitIfSignalled() -> Bool {
    if takenSignal != nil { return true }
    guard guardsProcess, let signal = TerminalGuard.takePendingSignal() else { return false }
    if returnsOnSignal {
      takenSignal = signal
      return true
    }
    TerminalGuard.writePendingFile()
    shutdown()
    exit(128 + signal)
  }

  /// One `wget_wch` result as raw input, waiting at most `waitMilliseconds`.
  private func readRaw(waitMilliseconds: Int) -> RawInput? {
    let window = ll_stdscr()
    wtimeout(window, Int32(waitMilliseconds))
    let before = DispatchTime.now().uptimeNanoseconds
    var character: wint_t = 0
    let status = wget_wch(window, &character)
    if status == ll_err() {
      // End of input or an interrupted read returns at once: don't spin.
      let spent = DispatchTime.now().uptimeNanoseconds - before
      if waitMilliseconds > 5, spent < 1_000_000 { usleep(10_000) }
      return nil
    }
    if status == ll_key_code_yes() {
      let code = Int32(bitPattern: character)
      if code == ll_key_resize() { return .resize(size) }
      if code == ll_key_mouse() {
        var event = MEVENT()
        guard getmouse(&event) == ll_ok() else { return nil }
        return .mouse(x: Int(event.x), y: Int(event.y), buttons: UInt32(event.bstate))
      }
      if code > KEY_MAX, let name = keyname(code) { return .namedKey(String(cString: name)) }
      return .keyCode(code)
    }
    return .character(UInt32(character))
  }

  /// Puts `text` on the terminal's clipboard with OSC 52 (see ``Clipboard``); the text goes as
  /// base64, so nothing in it can act on the terminal.
  public func copyToClipboard(_ text: String) {
    writeRaw(Clipboard.osc52(text))
  }

  // MARK: - Setup helpers

  private func writeRaw(_ text: String) {
    guard let outputFile else { return }
    _ = fflush(outputFile)
    _ = fputs(text, outputFile)
    _ = fflush(outputFile)
  }

  private func closeFiles() {
    guard ownsFiles else {
      inputFile = nil
      outputFile = nil
      return
    }
    if let inputFile { fclose(inputFile) }
    if let outputFile { fclose(outputFile) }
    inputFile = nil
    outputFile = nil
  }

  /// The bytes that undo curses' changes when it cannot end properly (a signal, a crash).
  static func resetSequence() -> [UInt8] {
    var bytes: [UInt8] = []
    for capability in ["sgr0", "cnorm", "rmkx", "rmcup"] {
      if let value = ll_tigetstr(capability) {
        bytes.append(contentsOf: Array(String(cString: value).utf8))
      }
    }
    bytes.append(contentsOf: Array("\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1006l\u{1B}[?2004l".utf8))
    return bytes
  }

  /// Unblocks, on this thread, the signals full-screen mode relies on: a program started with
  /// them blocked (some launchers do) would otherwise never see resizes, Ctrl-Z or termination.
  static func unblockTerminalSignals() {
    var signals = sigset_t()
    sigemptyset(&signals)
    for signal in [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGWINCH] {
      sigaddset(&signals, signal)
    }
    _ = pthread_sigmask(SIG_UNBLOCK, &signals, nil)
  }

  /// Selects the user's locale, falling back to C.UTF-8 so wide characters work.
  static func setUTF8Locale() {
    _ = setlocale(LC_ALL, "")
    let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
    if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
      _ = setlocale(LC_CTYPE, "C.UTF-8")
    }
  }
}

/// A handler that does nothing: the signal is caught (so it is reset by `exec`), not acted on.
private let ignoreSignal: @convention(c) (Int32) -> Void = { _ in }

extension CursesTerminal: FiniteInput {
  /// Whether a signal ended the input (see ``CursesTerminal/returnsOnSignal``).
  public var isInputExhausted: Bool { takenSignal != nil }
}
