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
}
