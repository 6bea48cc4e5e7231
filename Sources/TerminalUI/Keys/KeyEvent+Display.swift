extension KeyEvent {
  /// A printable character key with no modifiers.
  public static func char(_ c: Character) -> KeyEvent { KeyEvent(.character(c)) }
  /// Ctrl with a letter: `.ctrl("s")` is Ctrl-S.
  public static func ctrl(_ c: Character) -> KeyEvent { KeyEvent(.character(c), [.ctrl]) }
  /// Alt with a letter: `.alt("b")` is Alt-B.
  public static func alt(_ c: Character) -> KeyEvent { KeyEvent(.character(c), [.alt]) }

  /// The name shown in help and hints: "Ctrl-S", "Shift-Tab", "↑", "PgDn", "F1", "Space", "q".
  public var displayName: String {
    var parts: [String] = []
    if modifiers.contains(.ctrl) { parts.append("Ctrl") }
    if modifiers.contains(.alt) { parts.append("Alt") }
    let isLetter: Bool
    if case .character(let c) = key { isLetter = c.isLetter } else { isLetter = false }
    if modifiers.contains(.shift) && !(isLetter && parts.isEmpty) { parts.append("Shift") }
    let base: String
    switch key {
    case .character(let c):
      if c == " " {
        base = "Space"
      } else if !parts.isEmpty && c.isLetter {
        base = c.uppercased()
      } else {
        base = Sanitizer.sanitize(String(c))
      }
    case .enter: base = "Enter"
    case .tab: base = "Tab"
    case .backspace: base = "Backspace"
    case .delete: base = "Del"
    case .escape: base = "Esc"
    case .insert: base = "Ins"
    case .up: base = "↑"
    case .down: base = "↓"
    case .left: base = "←"
    case .right: base = "→"
    case .home: base = "Home"
    case .end: base = "End"
    case .pageUp: base = "PgUp"
    case .pageDown: base = "PgDn"
    case .function(let n): base = "F\(n)"
    }
    parts.append(base)
    return parts.joined(separator: "-")
  }
}
