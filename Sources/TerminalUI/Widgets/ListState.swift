/// Selection and scroll position of a list or table; lives in the screen's state, not the widget.
public struct ListState: Hashable, Sendable {
  /// The selected row (clamped to the row count when used).
  public var selected: Int
  /// The first row shown.
  public var offset: Int

  /// A list with `selected` selected, scrolled to `offset`.
  public init(selected: Int = 0, offset: Int = 0) {
    self.selected = selected
    self.offset = offset
  }

  /// The selected row clamped to `count` rows (nil when there are none).
  public func selection(count: Int) -> Int? {
    count > 0 ? Swift.min(Swift.max(0, selected), count - 1) : nil
  }

  /// The first row to show in `height` rows so the selection is visible, moving the stored
  /// offset as little as possible.
  public func visibleOffset(count: Int, height: Int) -> Int {
    guard height > 0, count > 0 else { return 0 }
    var o = Swift.max(0, Swift.min(offset, count - 1))
    let sel = selection(count: count) ?? 0
    if sel < o { o = sel }
    if sel >= o + height { o = sel - height + 1 }
    // Do not leave blank rows at the bottom when rows above could fill them.
    o = Swift.min(o, Swift.max(0, count - height))
    return o
  }

  /// Selects `index` (clamped) and scrolls so it is visible in `height` rows.
  public mutating func select(_ index: Int, count: Int, height: Int) {
    selected = count > 0 ? Swift.min(Swift.max(0, index), count - 1) : 0
    offset = visibleOffset(count: count, height: height)
  }

  /// Moves the selection by `delta` rows.
  public mutating func move(by delta: Int, count: Int, height: Int) {
    select((selection(count: count) ?? 0) + delta, count: count, height: height)
  }

  /// Applies a list navigation key (j/k or ↓/↑, g/G or Home/End, PgUp/PgDn).
  ///
  /// Returns false for other keys.
  public mutating func handle(_ event: KeyEvent, count: Int, height: Int) -> Bool {
    guard event.modifiers.isEmpty || event.modifiers == .shift else { return false }
    let page = Swift.max(1, height - 1)
    switch event.key {
    case .down, .character("j"): move(by: 1, count: count, height: height)
    case .up, .character("k"): move(by: -1, count: count, height: height)
    case .home, .character("g"): select(0, count: count, height: height)
    case .end, .character("G"): select(count - 1, count: count, height: height)
    case .pageDown: move(by: page, count: count, height: height)
    case .pageUp: move(by: -page, count: count, height: height)
    default: return false
    }
    return true
  }
}

extension ListState {
  /// Applies a mouse report over a list drawn in `area` (rows start at `firstRowY`, below any
  /// header): a click selects the row under it, the wheel moves by three rows.
  ///
  /// Returns false when the report is outside the list or not a click or wheel.
  public mutating func handle(
    _ mouse: MouseEvent, area: Rect, firstRowY: Int? = nil, count: Int
  ) -> Bool {
    let top = firstRowY ?? area.y
    let body = Rect(x: area.x, y: top, width: area.width, height: area.maxY - top)
    guard body.contains(mouse.position) else { return false }
    switch mouse.action {
    case .press(button: 1):
      let index = visibleOffset(count: count, height: body.height) + (mouse.position.y - body.y)
      guard index < count else { return false }
      select(index, count: count, height: body.height)
    case .wheelDown: move(by: 3, count: count, height: body.height)
    case .wheelUp: move(by: -3, count: count, height: body.height)
    default: return false
    }
    return true
  }
}

/// A scrolling list that asks for rows by index, so only the visible rows are ever produced.
///
/// ```swift
/// ListView(count: incidents.count) { i in Line(incidents[i].title) }
///   .render(into: &frame.buffer, area: area, state: state.list)
/// ```
public struct ListView {
  /// The number of rows.
  public var count: Int
  /// The row at an index (called only for visible rows).
  public var row: (Int) -> Line
  /// The style of the selected row (nil: no highlight).
  public var highlight: Style?
  /// Drawn before the selected row ("▶ "), and as many spaces before the others.
  public var selectionSymbol: String
  /// Shown when there are no rows.
  public var emptyText: String

  /// A list of `count` rows made by `row`.
  public init(
    count: Int, highlight: Style? = Style(attributes: .reverse), selectionSymbol: String = "",
    emptyText: String = "", row: @escaping (Int) -> Line
  ) {
    self.count = count
    self.row = row
    self.highlight = highlight
    self.selectionSymbol = selectionSymbol
    self.emptyText = emptyText
  }

  /// Draws the visible rows into `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect, state: ListState) {
    guard !area.isEmpty else { return }
    if count <= 0 {
      buffer.setString(
        area.x, area.y, emptyText, style: Style(attributes: .dim), maxWidth: area.width)
      return
    }
    let top = state.visibleOffset(count: count, height: area.height)
    let sel = state.selection(count: count)
    let symbolWidth = selectionSymbol.displayWidth
    for i in 0..<Swift.min(area.height, count - top) {
      let index = top + i
      let y = area.y + i
      var x = area.x
      if symbolWidth > 0 {
        let symbol = index == sel ? selectionSymbol : String(repeating: " ", count: symbolWidth)
        x = buffer.setString(x, y, symbol, maxWidth: area.width)
      }
      buffer.setLine(x, y, row(index), maxWidth: Swift.max(0, area.maxX - x))
      if index == sel, let highlight {
        buffer.setStyle(area.row(i), highlight)
      }
    }
  }
}

/// How a table column's text sits in its width.
public enum Alignment: Hashable, Sendable {
  case left, right, center
}

/// A table column: header title, width constraint and alignment.
public struct TableColumn: Hashable, Sendable {
  /// The header text.
  public var title: String
  /// The width, resolved with ``Layout`` (spacing 1 between columns).
  public var width: Constraint
  /// How cell text is aligned.
  public var alignment: Alignment
  /// A column titled `title`.
  public init(_ title: String, width: Constraint, alignment: Alignment = .left) {
    self.title = title
    self.width = width
    self.alignment = alignment
  }
}

/// A scrolling table with a header row; rows are asked for by index, only for visible rows.
public struct TableView {
  /// The columns.
  public var columns: [TableColumn]
  /// The number of rows.
  public var count: Int
  /// The cells of the row at an index (called only for visible rows).
  public var row: (Int) -> [String]
  /// The style of the header row.
  public var headerStyle: Style
  /// The style of the selected row (nil: no highlight).
  public var highlight: Style?
  /// Shown under the header when there are no rows.
  public var emptyText: String

  /// A table of `count` rows under `columns`.
  public init(
    columns: [TableColumn], count: Int, headerStyle: Style = Style(attributes: .bold),
    highlight: Style? = Style(attributes: .reverse), emptyText: String = "",
    row: @escaping (Int) -> [String]
  ) {
    self.columns = columns
    self.count = count
    self.row = row
    self.headerStyle = headerStyle
    self.highlight = highlight
    self.emptyText = emptyText
  }

  /// The number of body rows visible in `area` (its height minus the header).
  public static func bodyHeight(_ area: Rect) -> Int { Swift.max(0, area.height - 1) }

  /// Draws the header and the visible rows into `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect, state: ListState) {
    guard !area.isEmpty else { return }
    let rects = Layout.split(area.row(0), .horizontal, columns.map(\.width), spacing: 1)
    drawCells(columns.map(\.title), rects: rects, y: area.y, buffer: &buffer, style: headerStyle)
    let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
    guard !body.isEmpty else { return }
    if count <= 0 {
      buffer.setString(
        body.x, body.y, emptyText, style: Style(attributes: .dim), maxWidth: body.width)
      return
    }
    let top = state.visibleOffset(count: count, height: body.height)
    let sel = state.selection(count: count)
    for i in 0..<Swift.min(body.height, count - top) {
      let index = top + i
      drawCells(row(index), rects: rects, y: body.y + i, buffer: &buffer, style: .plain)
      if index == sel, let highlight { buffer.setStyle(body.row(i), highlight) }
    }
  }

  func drawCells(
    _ texts: [String], rects: [Rect], y: Int, buffer: inout ScreenBuffer, style: Style
  ) {
    for (c, rect) in rects.enumerated() where c < texts.count && rect.width > 0 {
      let text = Sanitizer.sanitize(texts[c]).truncated(toWidth: rect.width)
      let pad = rect.width - text.displayWidth
      let x: Int
      switch columns[c].alignment {
      case .left: x = rect.x
      case .right: x = rect.x + pad
      case .center: x = rect.x + pad / 2
      }
      buffer.setString(x, y, text, style: style, maxWidth: rect.maxX - x)
    }
  }
}
