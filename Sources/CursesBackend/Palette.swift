import TerminalUI

/// Maps `Style`s onto what the terminal can show; pure, so it is tested without a terminal.
public struct Palette: Hashable, Sendable {
  /// The terminal's colour support.
  public var support: ColorSupport

  /// A palette for `support`.
  public init(support: ColorSupport) { self.support = support }

  /// How many colours the terminal has, nil without colour.
  public var colorCount: Int? {
    switch support {
    case .monochrome: return nil
    case .ansi8: return 8
    case .ansi16: return 16
    case .palette256: return 256
    }
  }

  /// The curses colour number for `color`: -1 is the terminal's default.
  ///
  /// Bright ANSI colours fall back to their normal colour on 8-colour terminals (the style gains
  /// bold instead, see `attributes(for:)`); 256-colour indices fall back to the nearest ANSI colour.
  public func colorNumber(_ color: Color) -> Int16 {
    guard let count = colorCount else { return -1 }
    switch color {
    case .default: return -1
    case .ansi(let n):
      let index = Int(n & 15)
      return Int16(count >= 16 ? index : index & 7)
    case .indexed(let n):
      if count >= 256 { return Int16(n) }
      let ansi = Palette.nearestANSI(n)
      return Int16(count >= 16 ? ansi : ansi & 7)
    }
  }

  /// The attributes to draw `style` with: its own, plus what stands in for colour where the
  /// terminal lacks it (reverse for a background, bold for a foreground or a bright colour).
  public func attributes(for style: Style) -> TextAttributes {
    var result = style.attributes
    switch support {
    case .monochrome:
      if style.background != .default { result.insert(.reverse) }
      if style.foreground != .default, style.background == .default { result.insert(.bold) }
    case .ansi8:
      if isBright(style.foreground) { result.insert(.bold) }
    case .ansi16, .palette256:
      break
    }
    return result
  }

  private func isBright(_ color: Color) -> Bool {
    switch color {
    case .default: return false
    case .ansi(let n): return n & 15 >= 8
    case .indexed(let n): return Palette.nearestANSI(n) >= 8
    }
  }

  /// The ANSI colour (0–15) closest to a 256-colour palette index.
  public static func nearestANSI(_ index: UInt8) -> Int {
    switch index {
    case 0...15:
      return Int(index)
    case 16...231:
      let value = Int(index) - 16
      let (r, g, b) = (value / 36, (value / 6) % 6, value % 6)
      let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
      let bright = max(r, g, b) >= 5 || (bits == 0 && max(r, g, b) >= 2)
      return bits | (bright ? 8 : 0)
    default:
      let level = Int(index) - 232  // 0 (near black) … 23 (near white)
      switch level {
      case 0..<6: return 0
      case 6..<12: return 8
      case 12..<20: return 7
      default: return 15
      }
    }
  }
}
