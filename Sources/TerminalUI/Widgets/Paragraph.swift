/// Read-only text wrapped to its area, with a scroll offset: detail views, narratives, lessons.
///
/// Newlines in the text break lines; every other control is shown escaped.
public struct Paragraph {
  /// The text (from the log: sanitised when drawn).
  public var text: String
  /// The style of the text.
  public var style: Style
  /// The first wrapped line shown.
  public var scroll: Int

  /// A paragraph of `text`, scrolled down by `scroll` lines.
  public init(_ text: String, style: Style = .plain, scroll: Int = 0) {
    self.text = text
    self.style = style
    self.scroll = scroll
  }

  /// The number of lines the text takes when wrapped to `width` (for scroll limits).
  public func lineCount(width: Int) -> Int { wrap(text, width: width).count }

  /// Draws the visible wrapped lines into `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard !area.isEmpty else { return }
    let lines = wrap(text, width: area.width)
    let top = Swift.max(0, Swift.min(scroll, lines.count - area.height))
    for i in 0..<area.height where top + i < lines.count {
      buffer.setString(area.x, area.y + i, lines[top + i], style: style, maxWidth: area.width)
    }
  }
}
