/// A key on the keyboard, without modifiers.
public enum Key: Hashable, Sendable {
  /// A printable character (for Ctrl and Alt combinations, the base letter in lowercase).
  case character(Character)
  case enter, tab, backspace, delete, escape, insert
  case up, down, left, right, home, end, pageUp, pageDown
  /// F1–F24.
  case function(Int)
}

/// Modifier keys held with a key.
public struct KeyModifiers: OptionSet, Hashable, Sendable {
  public let rawValue: UInt8
  /// Wraps raw modifier bits.
  public init(rawValue: UInt8) { self.rawValue = rawValue }
  public static let shift = KeyModifiers(rawValue: 1 << 0)
  public static let alt = KeyModifiers(rawValue: 1 << 1)
  public static let ctrl = KeyModifiers(rawValue: 1 << 2)
}

/// A key press: Ctrl-S is `KeyEvent(.character("s"), [.ctrl])`, Shift-Tab `KeyEvent(.tab, [.shift])`.
public struct KeyEvent: Hashable, Sendable {
  public var key: Key
  public var modifiers: KeyModifiers
  /// A press of `key` with `modifiers` held.
  public init(_ key: Key, _ modifiers: KeyModifiers = []) {
    self.key = key
    self.modifiers = modifiers
  }
}

/// What a mouse did.
public enum MouseAction: Hashable, Sendable {
  case press(button: Int)
  case release
  case wheelUp
  case wheelDown
}

/// A mouse report at a cell.
public struct MouseEvent: Hashable, Sendable {
  public var action: MouseAction
  public var position: Point
  /// A mouse report of `action` at `position`.
  public init(action: MouseAction, position: Point) {
    self.action = action
    self.position = position
  }
}

/// An input event from the terminal.
public enum InputEvent: Hashable, Sendable {
  case key(KeyEvent)
  /// Text pasted in one piece (bracketed paste).
  case paste(String)
  case mouse(MouseEvent)
  /// The terminal now has this size.
  case resize(Size)
}
