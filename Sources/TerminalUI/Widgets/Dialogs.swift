/// A yes/no question in a centred box: "Discard changes?  y yes  n no".
public struct ConfirmDialog {
  /// The box title.
  public var title: String
  /// The question.
  public var message: String
  /// The styles used.
  public var theme: Theme
  /// Whether the action confirmed is destructive (drawn in the danger style).
  public var isDestructive: Bool

  /// A dialog asking `message`.
  public init(
    title: String, message: String, isDestructive: Bool = false, theme: Theme = .monochrome
  ) {
    self.title = title
    self.message = message
    self.theme = theme
    self.isDestructive = isDestructive
  }

  /// What a key means in a confirm dialog: y/Enter yes, n/Esc no, nil for other keys.
  public static func answer(for event: KeyEvent) -> Bool? {
    guard event.modifiers.isEmpty || event.modifiers == .shift else { return nil }
    switch event.key {
    case .character("y"), .character("Y"), .enter: return true
    case .character("n"), .character("N"), .escape: return false
    default: return nil
    }
  }

  /// Draws the dialog centred in `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let width = Swift.min(area.width, Swift.max(30, Swift.min(60, message.displayWidth + 4)))
    let text = wrap(message, width: Swift.max(1, width - 4))
    let box = area.centered(width: width, height: text.count + 4)
    let inner = Panel(
      title: title, borderStyle: isDestructive ? theme.danger : theme.border,
      titleStyle: isDestructive ? theme.danger : theme.title
    ).render(into: &buffer, area: box)
    for (i, line) in text.enumerated() where i < inner.height {
      buffer.setString(inner.x + 1, inner.y + i, line, maxWidth: inner.width - 1)
    }
    let buttons = Line([
      Span("y", style: theme.accent), Span(" yes   "), Span("n", style: theme.accent), Span(" no"),
    ])
    if inner.height > 0 {
      buffer.setLine(inner.x + 1, inner.maxY - 1, buttons, maxWidth: inner.width - 1)
    }
  }
}

/// A one-line question with a text field, such as "Reason for dropping?".
public struct TextInputDialog {
  /// The box title.
  public var title: String
  /// The prompt above the field.
  public var prompt: String
  /// The text typed so far.
  public var input: TextEditState
  /// A validation message shown under the field (nil for none).
  public var error: String?
  /// The styles used.
  public var theme: Theme

  /// A dialog asking `prompt`, with `input` in its field.
  public init(
    title: String, prompt: String, input: TextEditState, error: String? = nil,
    theme: Theme = .monochrome
  ) {
    self.title = title
    self.prompt = prompt
    self.input = input
    self.error = error
    self.theme = theme
  }

  /// Draws the dialog centred in `area` and returns the cursor position.
  @discardableResult
  public func render(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    let width = Swift.min(area.width, 50)
    let box = area.centered(width: width, height: 6)
    let inner = Panel(title: title, borderStyle: theme.border, titleStyle: theme.title)
      .render(into: &buffer, area: box)
    guard inner.height >= 2 else { return nil }
    buffer.setString(inner.x + 1, inner.y, prompt, maxWidth: inner.width - 1)
    let field = Rect(x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, height: 1)
    let cursor = TextField(input, style: Style(attributes: .underline)).render(
      into: &buffer, area: field)
    if let error, inner.height >= 3 {
      buffer.setString(
        inner.x + 1, inner.y + 2, error, style: theme.danger, maxWidth: inner.width - 1)
    }
    buffer.setLine(
      inner.x + 1, inner.maxY - 1,
      Line([
        Span("Enter", style: theme.accent), Span(" ok  "), Span("Esc", style: theme.accent),
        Span(" cancel"),
      ]),
      maxWidth: inner.width - 1)
    return cursor
  }
}

/// Says the terminal is too small and how big it must be ("now 50×12, need 60×16").
public struct TooSmallView {
  /// The terminal's current size.
  public var current: Size
  /// The smallest size the app works in.
  public var required: Size

  /// A message for a terminal of `current` size that needs `required`.
  public init(current: Size, required: Size) {
    self.current = current
    self.required = required
  }

  /// Whether `size` is too small for `required`.
  public static func isTooSmall(_ size: Size, required: Size) -> Bool {
    size.width < required.width || size.height < required.height
  }

  /// The message lines.
  public var message: [String] {
    [
      "Terminal too small",
      "now \(current.width)×\(current.height), need \(required.width)×\(required.height)",
      "Enlarge the window, or q to quit",
    ]
  }

  /// Draws the message centred in `area`, wrapped to its width.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    buffer.fill(area)
    let lines = message.flatMap { wrap($0, width: area.width) }
    let top = area.y + Swift.max(0, (area.height - lines.count) / 2)
    for (i, line) in lines.enumerated() where top + i < area.maxY {
      let x = area.x + Swift.max(0, (area.width - line.displayWidth) / 2)
      buffer.setString(
        x, top + i, line, style: i == 0 ? Style(attributes: .bold) : .plain, maxWidth: area.maxX - x
      )
    }
  }
}
