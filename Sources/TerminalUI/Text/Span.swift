/// A piece of text in one style.
public struct Span: Hashable, Sendable, ExpressibleByStringLiteral {
  public var text: String
  public var style: Style
  /// `text` drawn in `style`.
  public init(_ text: String, style: Style = .plain) {
    self.text = text
    self.style = style
  }
  /// A plain span from a literal.
  public init(stringLiteral value: String) { self.init(value) }
}

/// One line of styled spans, drawn left to right.
public struct Line: Hashable, Sendable, ExpressibleByStringLiteral {
  public var spans: [Span]
  /// A line made of `spans`.
  public init(_ spans: [Span]) { self.spans = spans }
  /// A line of plain `text` in `style`.
  public init(_ text: String, style: Style = .plain) { self.spans = [Span(text, style: style)] }
  /// A plain line from a literal.
  public init(stringLiteral value: String) { self.init(value) }
  /// The cells the line takes once sanitised.
  public var displayWidth: Int {
    spans.reduce(0) { $0 + Sanitizer.sanitize($1.text).displayWidth }
  }
}
