/// A bordered box with an optional title in the top border.
public struct Panel {
  /// The title drawn in the top border (sanitised, cut to fit).
  public var title: String?
  /// The style of the border.
  public var borderStyle: Style
  /// The style of the title.
  public var titleStyle: Style

  /// A panel titled `title`.
  public init(
    title: String? = nil, borderStyle: Style = .plain, titleStyle: Style = Style(attributes: .bold)
  ) {
    self.title = title
    self.borderStyle = borderStyle
    self.titleStyle = titleStyle
  }

  /// The area inside the border.
  public static func inner(_ area: Rect) -> Rect { area.inset(1) }

  /// Clears `area`, draws the border and title, and returns the inner area.
  @discardableResult
  public func render(into buffer: inout ScreenBuffer, area: Rect) -> Rect {
    guard area.width >= 2, area.height >= 2 else {
      return Rect(x: area.x, y: area.y, width: 0, height: 0)
    }
    buffer.fill(area)
    let b = borderStyle
    for x in (area.x + 1)..<(area.maxX - 1) {
      buffer.setString(x, area.y, "─", style: b)
      buffer.setString(x, area.maxY - 1, "─", style: b)
    }
    for y in (area.y + 1)..<(area.maxY - 1) {
      buffer.setString(area.x, y, "│", style: b)
      buffer.setString(area.maxX - 1, y, "│", style: b)
    }
    buffer.setString(area.x, area.y, "┌", style: b)
    buffer.setString(area.maxX - 1, area.y, "┐", style: b)
    buffer.setString(area.x, area.maxY - 1, "└", style: b)
    buffer.setString(area.maxX - 1, area.maxY - 1, "┘", style: b)
    if let title, !title.isEmpty, area.width > 4 {
      let text = " " + Sanitizer.sanitize(title).truncated(toWidth: area.width - 4) + " "
      buffer.setString(area.x + 1, area.y, text, style: titleStyle, maxWidth: area.width - 2)
    }
    return Panel.inner(area)
  }
}

/// Text wrapped into lines of at most `width` cells, breaking at spaces where possible.
public func wrap(_ text: String, width: Int) -> [String] {
  guard width > 0 else { return [] }
  var result: [String] = []
  for paragraph in Sanitizer.sanitize(text, keepNewlines: true).split(
    separator: "\n", omittingEmptySubsequences: false)
  {
    var line = ""
    var lineWidth = 0
    for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
      var w = String(word)
      var ww = w.displayWidth
      let sep = line.isEmpty ? 0 : 1
      if lineWidth + sep + ww <= width {
        if sep == 1 { line += " " }
        line += w
        lineWidth += sep + ww
        continue
      }
      if !line.isEmpty { result.append(line) }
      line = ""
      lineWidth = 0
      // A word longer than the line is cut into pieces, in one pass (a long word stays linear).
      if ww > width {
        var piece = ""
        var pieceWidth = 0
        for c in w {
          let cw = DisplayWidth.of(c)
          if pieceWidth + cw > width, !piece.isEmpty {
            result.append(piece)
            piece = ""
            pieceWidth = 0
          }
          piece.append(c)
          pieceWidth += cw
        }
        w = piece
        ww = pieceWidth
      }
      line = w
      lineWidth = ww
    }
    result.append(line)
  }
  return result
}

/// The bottom line of key hints ("q quit  ? help"), cut at the last item that fits whole.
public struct HintBar {
  /// The hints, most important first.
  public var items: [HintItem]
  /// The style of the key names.
  public var keyStyle: Style
  /// The style of the labels.
  public var labelStyle: Style

  /// A bar of `items`.
  public init(
    items: [HintItem], keyStyle: Style = Style(attributes: .bold), labelStyle: Style = .plain
  ) {
    self.items = items
    self.keyStyle = keyStyle
    self.labelStyle = labelStyle
  }

  /// Draws into the first row of `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard !area.isEmpty else { return }
    var x = area.x
    for (i, item) in items.enumerated() {
      let sep = i == 0 ? 0 : 2
      let width = item.keys.displayWidth + 1 + item.label.displayWidth
      if x + sep + width > area.maxX { break }
      x += sep
      x = buffer.setString(x, area.y, item.keys, style: keyStyle)
      x = buffer.setString(x, area.y, " " + item.label, style: labelStyle)
    }
  }
}

/// The help overlay: every binding of the active contexts, in a centred panel.
public struct HelpOverlay {
  /// The sections to list (from ``KeymapContext/helpSection``).
  public var sections: [HelpSection]
  /// The first line shown (for scrolling long help).
  public var scroll: Int
  /// The styles used.
  public var theme: Theme
  /// The frame's title.
  public var title: String

  /// An overlay listing `sections`, framed under `title`.
  public init(
    sections: [HelpSection], scroll: Int = 0, theme: Theme = .monochrome,
    title: String = "Help (Esc closes)"
  ) {
    self.sections = sections
    self.scroll = scroll
    self.theme = theme
    self.title = title
  }

  /// The overlay's lines: a heading per section, then "keys  help" aligned.
  public func lines() -> [Line] {
    let keyWidth = sections.flatMap(\.entries).map { $0.keys.displayWidth }.max() ?? 0
    var result: [Line] = []
    for (i, section) in sections.enumerated() {
      if i > 0 { result.append("") }
      result.append(Line(section.title, style: theme.title))
      for e in section.entries {
        result.append(
          Line([Span(e.keys.padded(toWidth: keyWidth), style: theme.accent), Span("  " + e.help)]))
      }
    }
    return result
  }

  /// Draws the overlay centred in `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    let content = lines()
    let width = (content.map(\.displayWidth).max() ?? 0) + 4
    let box = area.centered(width: width, height: content.count + 2)
    let inner = Panel(
      title: title, borderStyle: theme.border, titleStyle: theme.title
    )
    .render(into: &buffer, area: box)
    let top = Swift.max(0, Swift.min(scroll, content.count - inner.height))
    for i in 0..<inner.height where top + i < content.count {
      buffer.setLine(inner.x + 1, inner.y + i, content[top + i], maxWidth: inner.width - 1)
    }
  }
}
