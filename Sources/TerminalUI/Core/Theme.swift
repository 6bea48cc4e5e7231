/// How many colours the terminal can show: what themes are chosen by and what the backend maps
/// colours onto.
public enum ColorSupport: Hashable, Sendable {
  /// No colours (or `NO_COLOR` is set): only bold, reverse and underline.
  case monochrome
  /// The 8 ANSI colours (bright ones are drawn as their normal colour in bold).
  case ansi8
  /// The 16 ANSI colours, bright ones included.
  case ansi16
  /// The 256-colour palette.
  case palette256

  /// The support to use given the environment and how many colours the terminal reports (0 for
  /// a terminal without colour).
  ///
  /// `NO_COLOR` set to any non-empty value wins (https://no-color.org); fewer than 8 colours means
  /// monochrome.
  public static func detect(environment: [String: String], terminalColors: Int) -> ColorSupport {
    if let v = environment["NO_COLOR"], !v.isEmpty { return .monochrome }
    if terminalColors >= 256 { return .palette256 }
    if terminalColors >= 16 { return .ansi16 }
    if terminalColors >= 8 { return .ansi8 }
    return .monochrome
  }
}

/// Semantic styles every view draws with, so colour choices live in one place.
public struct Theme: Hashable, Sendable {
  /// Ordinary text.
  public var normal: Style
  /// Titles of panels and screens.
  public var title: Style
  /// The selected row or the focused element.
  public var selection: Style
  /// Secondary text: hints, timestamps, placeholders.
  public var dim: Style
  /// Something needs attention (yellow).
  public var warning: Style
  /// Something is wrong or destructive (red).
  public var danger: Style
  /// Something went well (green).
  public var success: Style
  /// Highlights: key names, the active tab, chart bars.
  public var accent: Style
  /// Panel borders.
  public var border: Style
  /// The support this theme was made for.
  public var colorSupport: ColorSupport

  /// The theme for `support`: colours on 8 or 256-colour terminals, attributes only otherwise.
  public static func standard(_ support: ColorSupport) -> Theme {
    switch support {
    case .monochrome:
      return Theme(
        normal: .plain, title: Style(attributes: .bold), selection: Style(attributes: .reverse),
        dim: .plain, warning: Style(attributes: .bold),
        danger: Style(attributes: [.bold, .underline]),
        success: .plain, accent: Style(attributes: .underline), border: .plain,
        colorSupport: .monochrome)
    case .ansi8, .ansi16:
      return Theme(
        normal: .plain, title: Style(foreground: .cyan, attributes: .bold),
        selection: Style(attributes: .reverse), dim: Style(attributes: .dim),
        warning: Style(foreground: .yellow), danger: Style(foreground: .red, attributes: .bold),
        success: Style(foreground: .green), accent: Style(foreground: .cyan),
        border: Style(attributes: .dim), colorSupport: support)
    case .palette256:
      return Theme(
        normal: .plain, title: Style(foreground: .indexed(81), attributes: .bold),
        selection: Style(foreground: .indexed(231), background: .indexed(24)),
        dim: Style(foreground: .indexed(245)), warning: Style(foreground: .indexed(220)),
        danger: Style(foreground: .indexed(203), attributes: .bold),
        success: Style(foreground: .indexed(114)), accent: Style(foreground: .indexed(81)),
        border: Style(foreground: .indexed(240)), colorSupport: .palette256)
    }
  }

  /// Bold, reverse and underline only: for `NO_COLOR` and terminals without colour.
  public static let monochrome = Theme.standard(.monochrome)

  /// The theme for this environment and terminal.
  public static func detect(environment: [String: String], terminalColors: Int) -> Theme {
    standard(ColorSupport.detect(environment: environment, terminalColors: terminalColors))
  }
}
