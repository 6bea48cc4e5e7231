import TerminalUI

/// A key script could not be read.
public struct KeyScriptError: Error, Hashable, CustomStringConvertible {
  /// One line naming the bad token and how to write it.
  public var description: String
}

/// Turns a key script into input events, for driving screens in tests.
///
/// Tokens are separated by spaces. A token in angle brackets is one key: `<Enter>`, `<Esc>`,
/// `<Tab>`, `<S-Tab>`, `<BS>`, `<Del>`, `<Space>`, `<Up>` `<Down>` `<Left>` `<Right>`, `<Home>`,
/// `<End>`, `<PgUp>`, `<PgDn>`, `<F1>`…, `<C-s>` (Ctrl), `<M-b>` or `<A-b>` (Alt), `<lt>` for "<".
/// Any other token types its characters one by one: `"j j <Enter> <C-s> <Esc>"`, `"hello <Enter>"`.
public enum KeyScript {
  /// The events of `script`; throws on an unknown `<…>` name.
  public static func parse(_ script: String) throws -> [InputEvent] {
    var events: [InputEvent] = []
    for token in script.split(separator: " ", omittingEmptySubsequences: true) {
      if token.hasPrefix("<") && token.hasSuffix(">") && token.count > 2 {
        let name = String(token.dropFirst().dropLast())
        events.append(.key(try key(named: name)))
      } else {
        for c in token { events.append(.key(KeyEvent(.character(c)))) }
      }
    }
    return events
  }

  /// The key event a `<…>` name stands for.
  public static func key(named name: String) throws -> KeyEvent {
    var mods: KeyModifiers = []
    var rest = Substring(name)
    while rest.count > 2, rest.dropFirst().first == "-" {
      switch rest.first?.lowercased() {
      case "c": mods.insert(.ctrl)
      case "m", "a": mods.insert(.alt)
      case "s": mods.insert(.shift)
      default:
        throw KeyScriptError(description: "unknown modifier in <\(name)>: use C-, M-/A- or S-")
      }
      rest = rest.dropFirst(2)
    }
    let base: Key
    switch rest.lowercased() {
    case "enter", "cr", "return": base = .enter
    case "esc", "escape": base = .escape
    case "tab": base = .tab
    case "bs", "backspace": base = .backspace
    case "del", "delete": base = .delete
    case "ins", "insert": base = .insert
    case "space": base = .character(" ")
    case "lt": base = .character("<")
    case "gt": base = .character(">")
    case "up": base = .up
    case "down": base = .down
    case "left": base = .left
    case "right": base = .right
    case "home": base = .home
    case "end": base = .end
    case "pgup", "pageup": base = .pageUp
    case "pgdn", "pagedown": base = .pageDown
    default:
      if rest.count == 1, let c = rest.first {
        base = .character(mods.isEmpty ? c : Character(c.lowercased()))
      } else if rest.lowercased().hasPrefix("f"), let n = Int(rest.dropFirst()),
        (1...24).contains(n)
      {
        base = .function(n)
      } else {
        throw KeyScriptError(
          description: "unknown key <\(name)>: use a name like <Enter>, <Esc>, <C-s>, <S-Tab>, <F1>"
        )
      }
    }
    return KeyEvent(base, mods)
  }
}
