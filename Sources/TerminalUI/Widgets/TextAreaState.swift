/// The editing state of a multi-line text area: readline keys within a line, Enter for a new
/// line, ↑/↓ between lines keeping the display column.
public struct TextAreaState: Hashable, Sendable {
  /// The lines, each with its own cluster cursor (only the current line's cursor matters).
  public private(set) var lines: [TextEditState]
  /// The line the cursor is on.
  public private(set) var row: Int
  /// The first row shown: a line when not wrapping, a wrapped row when wrapping (either way the
  /// view moves it as little as needed to keep the cursor visible).
  public var scrollRow: Int = 0
  /// The display column ↑/↓ try to keep.
  var goalColumn: Int?
  /// Changes with every change of the text (never back to an earlier value).
  public private(set) var revision: UInt64

  /// An area holding `text` with the cursor at its end.
  public init(_ text: String = "") {
    let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
    lines = parts.map { TextEditState(String($0)) }
    if lines.isEmpty { lines = [TextEditState()] }
    row = lines.count - 1
    revision = UInt64.random(in: 0...(UInt64.max >> 1))
  }

  public static func == (a: TextAreaState, b: TextAreaState) -> Bool {
    a.row == b.row && a.scrollRow == b.scrollRow && a.goalColumn == b.goalColumn
      && a.lines == b.lines
  }

  public func hash(into h: inout Hasher) {
    h.combine(lines)
    h.combine(row)
    h.combine(scrollRow)
    h.combine(goalColumn)
  }

  /// The text, lines joined with "\n".
  public var text: String { lines.map(\.text).joined(separator: "\n") }

  /// Whether the area holds no text.
  public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

  /// Whether the text is empty or only whitespace (stops at the first other cluster).
  public var isBlank: Bool { lines.allSatisfy(\.isBlank) }

  /// The clusters of the text, line breaks counted (without joining the lines).
  public var characterCount: Int {
    lines.reduce(lines.count - 1) { $0 + $1.characters.count }
  }

  /// The cursor's cluster index in its line.
  public var column: Int { lines[row].cursor }

  /// The cursor's display column in its line.
  public var cursorColumn: Int { lines[row].cursorColumn }

  /// Whether the cursor is on the first line.
  public var isOnFirstLine: Bool { row == 0 }
  /// Whether the cursor is on the last line.
  public var isOnLastLine: Bool { row == lines.count - 1 }

  /// Inserts `string` at the cursor, breaking lines at each "\n".
  public mutating func insert(_ string: String) {
    let normalized = String(string.map { $0 == "\r\n" || $0 == "\r" ? "\n" : $0 })
    let parts = normalized.split(separator: "\n", omittingEmptySubsequences: false)
    for (i, part) in parts.enumerated() {
      if i > 0 { newline() }
      lines[row].insert(String(part))
    }
    goalColumn = nil
    revision &+= 1
  }

  /// Breaks the current line at the cursor.
  public mutating func newline() {
    let tail = lines[row].split(at: lines[row].cursor)
    lines.insert(tail, at: row + 1)
    row += 1
    revision &+= 1
  }

  /// Applies a key; returns false when it is not an editing key (the caller handles it).
  public mutating func handle(_ event: KeyEvent) -> Bool {
    let m = event.modifiers
    switch (event.key, m) {
    case (.enter, []):
      newline()
    case (.up, []):
      guard row > 0 else { return false }
      moveVertically(to: row - 1)
      return true
    case (.down, []):
      guard row < lines.count - 1 else { return false }
      moveVertically(to: row + 1)
      return true
    case (.left, []) where lines[row].cursor == 0 && row > 0:
      row -= 1
      lines[row].cursor = lines[row].characters.count
    case (.right, [])
    where lines[row].cursor == lines[row].characters.count && row < lines.count - 1:
      row += 1
      lines[row].cursor = 0
    case (.backspace, []) where lines[row].cursor == 0 && row > 0:
      joinWithNext(row - 1)
    case (.delete, []) where lines[row].cursor == lines[row].characters.count:
      if row < lines.count - 1 { joinWithNext(row) }
    case (.character("k"), .ctrl) where lines[row].cursor == lines[row].characters.count:
      // Like emacs: killing at the end of a line joins the next one.
      if row < lines.count - 1 { joinWithNext(row) }
    case (.character("d"), .ctrl) where lines[row].cursor == lines[row].characters.count:
      if row < lines.count - 1 { joinWithNext(row) }
    case (.tab, _), (.escape, _):
      return false
    default:
      let before = lines[row].revision
      guard lines[row].handle(event) else { return false }
      if lines[row].revision != before { revision &+= 1 }
    }
    goalColumn = nil
    return true
  }

  mutating func moveVertically(to target: Int) {
    let goal = goalColumn ?? cursorColumn
    row = target
    var i = 0
    var col = 0
    let chars = lines[row].characters
    while i < chars.count {
      let w = TextEditState.width(of: chars[i])
      if col + w > goal { break }
      col += w
      i += 1
    }
    lines[row].cursor = i
    goalColumn = goal
  }

  mutating func joinWithNext(_ index: Int) {
    let second = lines.remove(at: index + 1)
    lines[index].join(second)
    row = index
    revision &+= 1
  }

  /// This state with the kept rows of its lines forgotten (to check them against new ones).
  func withFreshRowCaches() -> TextAreaState {
    var copy = self
    for i in copy.lines.indices { copy.lines[i].wrapRows = WrapRowsBox(rows: WrapRows()) }
    return copy
  }

  /// The first line to show in an area `height` rows high so the cursor's line is visible.
  public func visibleScrollRow(height: Int) -> Int {
    guard height > 0 else { return 0 }
    var s = Swift.max(0, Swift.min(scrollRow, lines.count - 1))
    if row < s { s = row }
    if row >= s + height { s = row - height + 1 }
    return s
  }

  /// Moves the scroll positions so the cursor is visible in an area of `size`.
  public mutating func keepCursorVisible(size: Size) {
    scrollRow = visibleScrollRow(height: size.height)
    lines[row].keepCursorVisible(width: size.width)
  }
}

/// A multi-line text area: draws a ``TextAreaState``, scrolled to keep the cursor visible.
///
/// With `wraps` (the default) long lines continue on the next row, broken by cluster at the width;
/// otherwise the area scrolls sideways with the cursor.
public struct TextArea {
  /// The text and cursor.
  public var state: TextAreaState
  /// The style of the text.
  public var style: Style
  /// Whether the area has focus (only then is a cursor reported).
  public var isFocused: Bool
  /// Whether long lines wrap onto the next rows instead of scrolling sideways.
  public var wraps: Bool

  /// An area showing `state`.
  public init(
    _ state: TextAreaState, style: Style = .plain, isFocused: Bool = true, wraps: Bool = true
  ) {
    self.state = state
    self.style = style
    self.isFocused = isFocused
    self.wraps = wraps
  }

  /// Draws into `area`; returns the cursor position when focused.
  @discardableResult
  public func render(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area, with: Cell(" ", style: style))
    return wraps
      ? renderWrapped(into: &buffer, area: area) : renderScrolled(into: &buffer, area: area)
  }

  func renderScrolled(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    let top = state.visibleScrollRow(height: area.height)
    let hscroll = state.lines[state.row].visibleScroll(width: area.width)
    for i in 0..<area.height {
      let index = top + i
      guard index < state.lines.count else { break }
      buffer.drawScrolled(
        state.lines[index].characters, scroll: hscroll, x: area.x, y: area.y + i,
        width: area.width, style: style)
    }
    guard isFocused else { return nil }
    return Point(x: area.x + state.cursorColumn - hscroll, y: area.y + state.row - top)
  }

  /// One wrapped row: which line, and the cluster range of it shown.
  struct VisualRow {
    var line: Int
    var range: Range<Int>
  }

  /// Draws the rows around the cursor: the cursor's row as low as needed to show it, with as
  /// many rows above it as fit (the text's first row at the top while the cursor's row is
  /// among the first `area.height`).
  ///
  /// Only the rows on screen are looked at: the rows of each line are kept between frames
  /// (``TextEditState/rowWindow(width:around:before:after:)``), so a key costs the height of
  /// the area, not the length of the text.
  func renderWrapped(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    let height = area.height
    let layout = wrappedLayout(width: area.width, height: height)
    let lines = state.lines
    for i in 0..<height where layout.top + i < layout.shown.count {
      let r = layout.shown[layout.top + i]
      buffer.drawScrolled(
        lines[r.line].characters[r.range], scroll: 0, x: area.x, y: area.y + i,
        width: area.width, style: style)
    }
    let cursorX = layout.cursorX
    let cursorRow = layout.cursorRow
    let top = layout.top
    guard isFocused else {
      // A field without focus that cuts its text ends with "…".
      let last = top + height - 1
      if last < layout.shown.count {
        let r = layout.shown[last]
        if last + 1 < layout.shown.count || r.range.upperBound < lines[r.line].characters.count
          || r.line < lines.count - 1
        {
          buffer.setString(area.maxX - 1, area.maxY - 1, "…", style: style)
        }
      }
      return nil
    }
    return Point(x: area.x + cursorX, y: area.y + cursorRow - top)
  }

  /// The wrapped rows around the cursor (or, unfocused, from the text's start), which of them
  /// is the top row on screen, and where the cursor is.
  func wrappedLayout(width: Int, height: Int) -> (
    shown: [VisualRow], top: Int, cursorRow: Int, cursorX: Int
  ) {
    let lines = state.lines
    // A field without focus shows its text from the start, not where the cursor was left.
    let cursorLine = isFocused ? state.row : 0
    let column = isFocused ? state.column : 0
    let window = lines[cursorLine].rowWindow(
      width: width, around: column, before: height, after: height)
    let current = window.rows[window.current]
    // The cursor after a full row sits at the start of the next row.
    var cursorX = TextEditState.width(
      of: lines[cursorLine].characters[current.lowerBound..<column])
    let extraRow = cursorX >= width
    if extraRow { cursorX = 0 }
    // Rows above the cursor's row, nearest first, until a screenful or the text's start.
    var above: [VisualRow] = []
    for i in stride(from: window.current - 1, through: 0, by: -1) where above.count < height {
      above.append(VisualRow(line: cursorLine, range: window.rows[i]))
    }
    var line = cursorLine - 1
    while above.count < height && line >= 0 {
      let rows = lines[line].rowWindow(
        width: width, around: Int.max, before: height - above.count - 1, after: 0
      ).rows
      for r in rows.reversed() { above.append(VisualRow(line: line, range: r)) }
      line -= 1
    }
    var shown: [VisualRow] = above.reversed()
    let cursorIndex = shown.count
    for r in window.rows[window.current...] { shown.append(VisualRow(line: cursorLine, range: r)) }
    line = cursorLine + 1
    while shown.count - cursorIndex <= height && line < lines.count {
      let rows = lines[line].rowWindow(width: width, around: 0, before: 0, after: height).rows
      for r in rows { shown.append(VisualRow(line: line, range: r)) }
      line += 1
    }
    let cursorRow = cursorIndex + (extraRow ? 1 : 0)
    let top = cursorRow >= height ? cursorRow - height + 1 : 0
    return (shown, top, cursorRow, cursorX)
  }

  /// How many display rows (wrapped rows, or lines when not wrapping) of the text are hidden
  /// above and below `area`: what a "more" sign says.
  ///
  /// Each line's rows are kept between frames, so a frame scans only a line edited since.
  public func hiddenRows(in area: Rect) -> (above: Int, below: Int) {
    let lines = state.lines
    guard !area.isEmpty else { return (0, lines.count) }
    guard wraps else { return hiddenLines(in: area) }
    let layout = wrappedLayout(width: area.width, height: area.height)
    guard layout.top < layout.shown.count else { return (0, 0) }
    let first = layout.shown[layout.top]
    let visible = Swift.min(layout.shown.count, layout.top + area.height) - layout.top
    var total = 0
    var above = 0
    for (i, line) in lines.enumerated() {
      let p = line.rowPosition(width: area.width, of: i == first.line ? first.range.lowerBound : 0)
      if i < first.line { above += p.count }
      if i == first.line { above += p.row }
      total += p.count
    }
    return (above, Swift.max(0, total - above - visible))
  }

  /// How many of the text's lines are not (wholly) shown above and below `area`.
  ///
  /// What a "more" sign says; costs what drawing costs.
  public func hiddenLines(in area: Rect) -> (above: Int, below: Int) {
    guard !area.isEmpty else { return (0, state.lines.count) }
    let lines = state.lines
    guard wraps else {
      let top = state.visibleScrollRow(height: area.height)
      return (top, Swift.max(0, lines.count - top - area.height))
    }
    let layout = wrappedLayout(width: area.width, height: area.height)
    guard layout.top < layout.shown.count else { return (0, 0) }
    let first = layout.shown[layout.top]
    let last = layout.shown[Swift.min(layout.shown.count, layout.top + area.height) - 1]
    let above = first.line + (first.range.lowerBound > 0 ? 1 : 0)
    let cut = last.range.upperBound < lines[last.line].characters.count ? 1 : 0
    return (above, lines.count - 1 - last.line + cut)
  }
}
