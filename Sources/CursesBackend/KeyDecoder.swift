import CNcursesw
import TerminalUI

/// What the decoder made of the start of the pending input.
public enum DecodeResult: Hashable, Sendable {
  /// An event, made of the first `consumed` inputs.
  case event(InputEvent, consumed: Int)
  /// The first `consumed` inputs mean nothing to the app (an unknown sequence, a stray paste end).
  case ignored(consumed: Int)
  /// The input so far is the start of a longer sequence; wait for more, then decode again.
  /// `paste` says a bracketed paste is open (worth waiting longer for).
  case incomplete(paste: Bool)
}

/// Turns raw ncurses input into `InputEvent`s; pure, so every mapping is table-tested.
///
/// Handles what `keypad` decodes (`KEY_*` codes) and what it leaves as raw characters: Esc versus
/// Alt (Esc then a key), CSI and SS3 sequences of xterm, tmux, screen, rxvt and the Linux console,
/// bracketed paste and SGR or X10 mouse reports.
public enum KeyDecoder {
  /// Decodes the first event of `input`.
  ///
  /// `paused` says no more input arrived within the escape delay, so a lone Esc is the Esc key
  /// and an unfinished sequence is taken as what it is so far. With `paused` true the result is
  /// never `.incomplete` for non-empty input, so a caller always makes progress.
  public static func decode(_ input: ArraySlice<RawInput>, paused: Bool) -> DecodeResult {
    guard let first = input.first else { return .incomplete(paste: false) }
    switch first {
    case .resize(let size):
      return .event(.resize(size), consumed: 1)
    case .mouse(let x, let y, let buttons):
      guard let event = mouseEvent(x: x, y: y, buttons: buttons) else {
        return .ignored(consumed: 1)
      }
      return .event(.mouse(event), consumed: 1)
    case .keyCode(let code):
      guard let key = keyEvent(forCode: code) else { return .ignored(consumed: 1) }
      return .event(.key(key), consumed: 1)
    case .namedKey(let name):
      guard let key = keyEvent(forName: name) else { return .ignored(consumed: 1) }
      return .event(.key(key), consumed: 1)
    case .character(0x1B):
      return decodeEscape(input, paused: paused)
    case .character(let code):
      guard let key = keyEvent(forCharacter: code) else { return .ignored(consumed: 1) }
      return .event(.key(key), consumed: 1)
    }
  }

  /// Decodes all of `input` as if the input then paused; what the table tests use.
  public static func decodeAll(_ input: [RawInput]) -> [InputEvent] {
    var events: [InputEvent] = []
    var rest = input[...]
    while !rest.isEmpty {
      switch decode(rest, paused: true) {
      case .event(let event, let consumed):
        events.append(event)
        rest = rest.dropFirst(max(1, consumed))
      case .ignored(let consumed):
        rest = rest.dropFirst(max(1, consumed))
      case .incomplete:
        rest = rest.dropFirst()
      }
    }
    return events
  }

  // MARK: - Characters

  /// The key for a character code `wget_wch` returned with `OK`, or nil for codes that mean nothing.
  public static func keyEvent(forCharacter code: UInt32) -> KeyEvent? {
    switch code {
    case 0x0D, 0x0A: return KeyEvent(.enter)
    case 0x09: return KeyEvent(.tab)
    case 0x7F, 0x08: return KeyEvent(.backspace)
    case 0x1B: return KeyEvent(.escape)
    case 0x00: return KeyEvent(.character(" "), [.ctrl])
    case 0x01...0x1A:
      guard let scalar = Unicode.Scalar(code + 0x60) else { return nil }
      return KeyEvent(.character(Character(scalar)), [.ctrl])
    case 0x1C: return KeyEvent(.character("\\"), [.ctrl])
    case 0x1D: return KeyEvent(.character("]"), [.ctrl])
    case 0x1E: return KeyEvent(.character("^"), [.ctrl])
    case 0x1F: return KeyEvent(.character("_"), [.ctrl])
    case 0x80...0x9F: return nil
    default:
      guard let scalar = Unicode.Scalar(code) else { return nil }
      return KeyEvent(.character(Character(scalar)))
    }
  }

  // MARK: - ncurses key codes

  /// The key for an ncurses key code (`KEY_UP`, `KEY_F(5)`…), or nil for codes the app ignores.
  public static func keyEvent(forCode code: Int32) -> KeyEvent? {
    let functionBase = Int32(ll_key_f(0))
    if code > functionBase, code <= functionBase + 60 {
      // xterm-style terminfo: kf13–kf24 are Shift-F1…F12, kf25–36 Ctrl, kf37–48 Ctrl-Shift,
      // kf49–60 Alt.
      let n = Int(code - functionBase)
      let groups: [KeyModifiers] = [[], [.shift], [.ctrl], [.ctrl, .shift], [.alt]]
      return KeyEvent(.function((n - 1) % 12 + 1), groups[(n - 1) / 12])
    }
    switch code {
    case KEY_UP: return KeyEvent(.up)
    case KEY_DOWN: return KeyEvent(.down)
    case KEY_LEFT: return KeyEvent(.left)
    case KEY_RIGHT: return KeyEvent(.right)
    case KEY_SR: return KeyEvent(.up, [.shift])
    case KEY_SF: return KeyEvent(.down, [.shift])
    case KEY_SLEFT: return KeyEvent(.left, [.shift])
    case KEY_SRIGHT: return KeyEvent(.right, [.shift])
    // Home and End come as KEY_HOME/KEY_END (xterm), KEY_FIND/KEY_SELECT (screen and tmux send
    // \e[1~ and \e[4~), the keypad's corners KEY_A1/KEY_C1, or KEY_LL ("home down").
    case KEY_HOME, KEY_FIND, KEY_A1: return KeyEvent(.home)
    case KEY_END, KEY_SELECT, KEY_C1, KEY_LL: return KeyEvent(.end)
    case KEY_SHOME: return KeyEvent(.home, [.shift])
    case KEY_SEND: return KeyEvent(.end, [.shift])
    case KEY_PPAGE, KEY_A3: return KeyEvent(.pageUp)
    case KEY_NPAGE, KEY_C3: return KeyEvent(.pageDown)
    case KEY_SPREVIOUS: return KeyEvent(.pageUp, [.shift])
    case KEY_SNEXT: return KeyEvent(.pageDown, [.shift])
    case KEY_IC: return KeyEvent(.insert)
    case KEY_SIC: return KeyEvent(.insert, [.shift])
    case KEY_DC: return KeyEvent(.delete)
    case KEY_SDC: return KeyEvent(.delete, [.shift])
    case KEY_BACKSPACE: return KeyEvent(.backspace)
    case KEY_ENTER: return KeyEvent(.enter)
    case KEY_BTAB: return KeyEvent(.tab, [.shift])
    default: return nil
    }
  }

  /// The key for an extended terminfo key name such as `kUP5` (Ctrl-Up) or `kDC3` (Alt-Delete).
  public static func keyEvent(forName name: String) -> KeyEvent? {
    let bases: [(String, Key)] = [
      ("kUP", .up), ("kDN", .down), ("kLFT", .left), ("kRIT", .right), ("kHOM", .home),
      ("kEND", .end), ("kDC", .delete), ("kIC", .insert), ("kNXT", .pageDown),
      ("kPRV", .pageUp),
    ]
    for (prefix, key) in bases where name.hasPrefix(prefix) {
      let suffix = name.dropFirst(prefix.count)
      if suffix.isEmpty { return KeyEvent(key, [.shift]) }
      guard let parameter = Int(suffix), (2...8).contains(parameter) else { return nil }
      return KeyEvent(key, modifiers(fromParameter: parameter))
    }
    return nil
  }

  /// The modifiers an xterm modifier parameter stands for (2 Shift, 3 Alt, 5 Ctrl, sums + 1).
  static func modifiers(fromParameter parameter: Int) -> KeyModifiers {
    let bits = max(0, parameter - 1)
    var result: KeyModifiers = []
    if bits & 1 != 0 { result.insert(.shift) }
    if bits & 2 != 0 || bits & 8 != 0 { result.insert(.alt) }
    if bits & 4 != 0 { result.insert(.ctrl) }
    return result
  }

  // MARK: - Mouse

  /// The mouse event for an ncurses mouse report, or nil for reports the app ignores (motion).
  public static func mouseEvent(x: Int, y: Int, buttons: UInt32) -> MouseEvent? {
    let position = Point(x: x, y: y)
    let bits = buttons
    if bits & ll_button4_pressed() != 0 { return MouseEvent(action: .wheelUp, position: position) }
    if bits & ll_button5_pressed() != 0 {
      return MouseEvent(action: .wheelDown, position: position)
    }
    let presses: [(UInt32, Int)] = [
      (ll_button1_pressed() | ll_button1_clicked(), 1),
      (ll_button2_pressed() | ll_button2_clicked(), 2),
      (ll_button3_pressed() | ll_button3_clicked(), 3),
    ]
    for (mask, button) in presses where bits & mask != 0 {
      return MouseEvent(action: .press(button: button), position: position)
    }
    if bits & (ll_button1_released() | ll_button2_released() | ll_button3_released()) != 0 {
      return MouseEvent(action: .release, position: position)
    }
    return nil
  }

  // MARK: - Escape sequences

  private static func character(_ input: ArraySlice<RawInput>, _ index: Int) -> UInt32? {
    guard index < input.endIndex, case .character(let code) = input[index] else { return nil }
    return code
  }

  private static func decodeEscape(_ input: ArraySlice<RawInput>, paused: Bool) -> DecodeResult {
    let start = input.startIndex
    guard input.count > 1 else {
      return paused ? .event(.key(KeyEvent(.escape)), consumed: 1) : .incomplete(paste: false)
    }
    let lone = DecodeResult.event(.key(KeyEvent(.escape)), consumed: 1)
    switch input[start + 1] {
    case .character(0x5B):  // "["
      return decodeCSI(input, paused: paused)
    case .character(0x4F):  // "O"
      guard let final = character(input, start + 2) else {
        if input.count > 2 { return altKey(0x4F) }
        return paused ? altKey(0x4F) : .incomplete(paste: false)
      }
      guard let key = ss3Key(final) else { return .ignored(consumed: 3) }
      return .event(.key(key), consumed: 3)
    case .character(0x1B):
      return lone
    case .character(let code):
      return altKey(code)
    case .keyCode(let code):
      guard var key = keyEvent(forCode: code) else { return lone }
      key.modifiers.insert(.alt)
      return .event(.key(key), consumed: 2)
    case .namedKey(let name):
      guard var key = keyEvent(forName: name) else { return lone }
      key.modifiers.insert(.alt)
      return .event(.key(key), consumed: 2)
    case .mouse, .resize:
      return lone
    }
  }

  /// Esc followed by a character: that character with Alt (a letter in lowercase, plus Shift
  /// when it was uppercase).
  private static func altKey(_ code: UInt32) -> DecodeResult {
    guard var key = keyEvent(forCharacter: code) else {
      return .event(.key(KeyEvent(.escape)), consumed: 1)
    }
    if case .character(let character) = key.key, character.isUppercase, key.modifiers.isEmpty {
      key = KeyEvent(.character(Character(character.lowercased())), [.shift])
    }
    key.modifiers.insert(.alt)
    return .event(.key(key), consumed: 2)
  }

  private static func ss3Key(_ final: UInt32) -> KeyEvent? {
    switch final {
    case 0x41: return KeyEvent(.up)  // A
    case 0x42: return KeyEvent(.down)  // B
    case 0x43: return KeyEvent(.right)  // C
    case 0x44: return KeyEvent(.left)  // D
    case 0x48: return KeyEvent(.home)  // H
    case 0x46: return KeyEvent(.end)  // F
    case 0x50: return KeyEvent(.function(1))  // P
    case 0x51: return KeyEvent(.function(2))  // Q
    case 0x52: return KeyEvent(.function(3))  // R
    case 0x53: return KeyEvent(.function(4))  // S
    case 0x4D: return KeyEvent(.enter)  // M: keypad Enter
    default: return nil
    }
  }

  /// Decodes `Esc [ parameters final`, where `input` starts with Esc.
  private static func decodeCSI(_ input: ArraySlice<RawInput>, paused: Bool) -> DecodeResult {
    let start = input.startIndex
    var index = start + 2
    var parameters = ""
    while true {
      guard index < input.endIndex else {
        return paused ? altKey(0x5B) : .incomplete(paste: false)
      }
      guard let code = character(input, index), (0x20...0x7E).contains(code),
        let scalar = Unicode.Scalar(code)
      else { return altKey(0x5B) }
      if code == 0x5B, index == start + 2 {
        // "Esc [ [" is the Linux console's prefix for F1–F5.
        guard let next = character(input, index + 1) else {
          if index + 1 < input.endIndex || paused { return altKey(0x5B) }
          return .incomplete(paste: false)
        }
        guard (0x41...0x45).contains(next) else { return .ignored(consumed: index + 2 - start) }
        return .event(.key(KeyEvent(.function(Int(next - 0x40)))), consumed: index + 2 - start)
      }
      if (0x40...0x7E).contains(code) {
        return finishCSI(
          input, parameters: parameters, final: scalar, consumed: index + 1 - start, paused: paused)
      }
      parameters.unicodeScalars.append(scalar)
      index += 1
    }
  }

  private static func finishCSI(
    _ input: ArraySlice<RawInput>, parameters: String, final: Unicode.Scalar, consumed: Int,
    paused: Bool
  ) -> DecodeResult {
    if final == "M", parameters.isEmpty {
      return decodeX10Mouse(input, headerLength: consumed, paused: paused)
    }
    if parameters.hasPrefix("<"), final == "M" || final == "m" {
      guard let event = sgrMouse(String(parameters.dropFirst()), released: final == "m") else {
        return .ignored(consumed: consumed)
      }
      return .event(.mouse(event), consumed: consumed)
    }
    let numbers = parameters.split(separator: ";", omittingEmptySubsequences: false).map {
      Int($0)
    }
    let modifierParameter = numbers.count > 1 ? (numbers[1] ?? 1) : 1
    let modifiers = modifiers(fromParameter: modifierParameter)
    var key: Key?
    switch final {
    case "A": key = .up
    case "B": key = .down
    case "C": key = .right
    case "D": key = .left
    case "H": key = .home
    case "F": key = .end
    case "P": key = .function(1)
    case "Q": key = .function(2)
    case "R": key = .function(3)
    case "S": key = .function(4)
    case "Z": return .event(.key(KeyEvent(.tab, [.shift])), consumed: consumed)
    case "~":
      let number = numbers.first.flatMap { $0 } ?? 0
      if number == 200 { return decodePaste(input, headerLength: consumed, paused: paused) }
      key = tildeKey(number)
    default: key = nil
    }
    guard let key else { return .ignored(consumed: consumed) }
    return .event(.key(KeyEvent(key, modifiers)), consumed: consumed)
  }

  /// The key of `Esc [ n ~` (vt220, xterm, rxvt, screen, tmux).
  private static func tildeKey(_ number: Int) -> Key? {
    switch number {
    case 1, 7: return .home
    case 2: return .insert
    case 3: return .delete
    case 4, 8: return .end
    case 5: return .pageUp
    case 6: return .pageDown
    case 11...15: return .function(number - 10)
    case 17...21: return .function(number - 11)
    case 23, 24: return .function(number - 12)
    default: return nil
    }
  }

  /// `Esc [ M b x y`: the old X10 mouse report, each value offset by 32.
  private static func decodeX10Mouse(
    _ input: ArraySlice<RawInput>, headerLength: Int, paused: Bool
  ) -> DecodeResult {
    let start = input.startIndex + headerLength
    guard let b = character(input, start), let x = character(input, start + 1),
      let y = character(input, start + 2)
    else {
      if paused || input.count >= headerLength + 3 { return .ignored(consumed: headerLength) }
      return .incomplete(paste: false)
    }
    let consumed = headerLength + 3
    let position = Point(x: Int(x) - 33, y: Int(y) - 33)
    let code = Int(b) - 32
    let action: MouseAction
    if code & 64 != 0 {
      action = code & 1 == 0 ? .wheelUp : .wheelDown
    } else if code & 32 != 0 {
      return .ignored(consumed: consumed)
    } else if code & 3 == 3 {
      action = .release
    } else {
      action = .press(button: code & 3 + 1)
    }
    return .event(.mouse(MouseEvent(action: action, position: position)), consumed: consumed)
  }

  /// `Esc [ < b ; x ; y M|m`: the SGR mouse report, 1-based positions.
  private static func sgrMouse(_ parameters: String, released: Bool) -> MouseEvent? {
    let fields = parameters.split(separator: ";").compactMap { Int($0) }
    guard fields.count == 3 else { return nil }
    let code = fields[0]
    let position = Point(x: fields[1] - 1, y: fields[2] - 1)
    if code & 32 != 0 { return nil }  // motion
    if code & 64 != 0 {
      return MouseEvent(action: code & 1 == 0 ? .wheelUp : .wheelDown, position: position)
    }
    if released { return MouseEvent(action: .release, position: position) }
    return MouseEvent(action: .press(button: code & 3 + 1), position: position)
  }

  /// Collects the text of a bracketed paste up to `Esc [ 201 ~`.
  private static func decodePaste(
    _ input: ArraySlice<RawInput>, headerLength: Int, paused: Bool
  ) -> DecodeResult {
    let end: [UInt32] = [0x1B, 0x5B, 0x32, 0x30, 0x31, 0x7E]  // Esc [ 2 0 1 ~
    var text = String.UnicodeScalarView()
    var index = input.startIndex + headerLength
    while index < input.endIndex {
      if character(input, index) == 0x1B {
        var matched = 0
        while matched < end.count, character(input, index + matched) == end[matched] {
          matched += 1
        }
        if matched == end.count {
          return .event(.paste(String(text)), consumed: index + end.count - input.startIndex)
        }
        if index + matched >= input.endIndex {
          // The end marker may be arriving; wait unless the input has stopped.
          break
        }
      }
      switch input[index] {
      case .character(0x0D): text.append("\n")
      case .character(let code):
        if let scalar = Unicode.Scalar(code), code >= 0x20 || code == 0x0A || code == 0x09 {
          text.append(scalar)
        }
      case .keyCode(KEY_ENTER): text.append("\n")
      default: break
      }
      index += 1
    }
    guard paused else { return .incomplete(paste: true) }
    return .event(.paste(String(text)), consumed: input.count)
  }
}
