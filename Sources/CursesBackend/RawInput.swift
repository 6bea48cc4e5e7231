import TerminalUI

/// One unit of input as ncurses delivers it, before it becomes an `InputEvent`.
///
/// The terminal turns each `wget_wch` result into one of these (and asks ncurses for the mouse
/// report or the new size where needed), so the decoder that follows is pure and testable.
public enum RawInput: Hashable, Sendable {
  /// A character code (`wget_wch` returned `OK`): a Unicode scalar value or a control code.
  case character(UInt32)
  /// A function key code (`wget_wch` returned `KEY_CODE_YES`), such as `KEY_UP`.
  case keyCode(Int32)
  /// An extended key ncurses knows by its terminfo name only, such as `kUP5` (Ctrl-Up).
  case namedKey(String)
  /// A mouse report: cell position and the ncurses button state bits (`MEVENT.bstate`).
  case mouse(x: Int, y: Int, buttons: UInt32)
  /// The terminal has been resized to this size (`KEY_RESIZE`).
  case resize(Size)
}

extension RawInput {
  /// The inputs for the characters of `text`, as a terminal without keypad decoding sends them.
  ///
  /// `RawInput.sequence("\u{1B}[1~")` is Esc, `[`, `1`, `~`.
  public static func sequence(_ text: String) -> [RawInput] {
    text.unicodeScalars.map { .character($0.value) }
  }

  /// Reads fuzz bytes as inputs, the encoding of the key decoder's fuzz target and its corpus.
  ///
  /// 0xF0 hi lo: a key code · 0xF1 x y b: a mouse report · 0xF2 w h: a resize ·
  /// 0xF3 n: a named key · 0xF4 a b c: a 24-bit character code (surrogates and values past
  /// Unicode included) · any other byte: that character code.
  static func fromFuzzBytes(_ b: [UInt8]) -> [RawInput] {
    var inputs: [RawInput] = []
    var i = 0
    let names = [
      "kUP5", "kDN5", "kLFT3", "kRIT5", "kHOM5", "kEND3", "kDC5", "kxIN", "kxOUT", "kUP",
    ]
    while i < b.count {
      let op = b[i]
      i += 1
      switch op {
      case 0xF0 where i + 1 < b.count:
        inputs.append(.keyCode(Int32(b[i]) << 8 | Int32(b[i + 1])))
        i += 2
      case 0xF1 where i + 2 < b.count:
        inputs.append(
          .mouse(x: Int(b[i]) - 8, y: Int(b[i + 1]) - 8, buttons: UInt32(b[i + 2]) << 3))
        i += 3
      case 0xF2 where i + 1 < b.count:
        inputs.append(.resize(Size(width: Int(b[i]), height: Int(b[i + 1]))))
        i += 2
      case 0xF3 where i < b.count:
        inputs.append(.namedKey(names[Int(b[i]) % names.count]))
        i += 1
      case 0xF4 where i + 2 < b.count:
        inputs.append(.character(UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])))
        i += 3
      default:
        inputs.append(.character(UInt32(op)))
      }
    }
    return inputs
  }
}
