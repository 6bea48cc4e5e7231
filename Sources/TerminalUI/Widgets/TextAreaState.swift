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

  /// An area holding `text` with the cursor at its end.
  public init(_ text: String = "") {
    let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
    lines = parts.map { TextEditState(String($0)) }
    if lines.isEmpty { lines = [TextEditState()] }
    row = lines.count - 1
  }

  /// The text, lines joined with "\n".
  public var text: String { lines.map(\.text).joined(separator: "\n") }

  /// Whether the area holds no text.
  public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

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
  }

  /// Breaks the current line at the cursor.
  public mutating func newline() {
    let line = lines[row]
    let head = String(line.characters[0..<line.cursor])
    let tail = String(line.characters[line.cursor...])
    lines[row] = TextEditState(head)
    var next = TextEditState(tail)
    next.cursor = 0
    lines.insert(next, at: row + 1)
    row += 1
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
      guard lines[row].handle(event) else { return false }
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
    let first = lines[index]
    let second = lines[index + 1]
    var merged = TextEditState(first.text + second.text)
    merged.cursor = first.characters.count
    lines[index] = merged
    lines.remove(at: index + 1)
    row = index
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

  /// The rows the lines take at `width`; a cluster wider than the width gets a row of its own.
  static func visualRows(_ lines: [TextEditState], width: Int) -> [VisualRow] {
    var rows: [VisualRow] = []
    for (l, line) in lines.enumerated() {
      var start = 0
      var col = 0
      for (i, c) in line.characters.enumerated() {
        let w = TextEditState.width(of: c)
        if col + w > width && i > start {
          rows.append(VisualRow(line: l, range: start..<i))
          start = i
          col = 0
        }
        col += w
      }
      rows.append(VisualRow(line: l, range: start..<line.characters.count))
    }
    return rows
  }

  func renderWrapped(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    let rows = TextArea.visualRows(state.lines, width: area.width)
    // The cursor's row: the last row of its line that starts at or before the cursor, moved to a
    // fresh row when the cursor sits after a full row.
    var cursorRow = 0
    var cursorX = 0
    for (i, r) in rows.enumerated() where r.line == state.row && r.range.lowerBound <= state.column
    {
      cursorRow = i
      cursorX = TextEditState.width(
        of: state.lines[r.line].characters[r.range.lowerBound..<state.column])
    }
    var extraRow = false
    if cursorX >= area.width {
      extraRow = true
      cursorRow += 1
      cursorX = 0
    }
    let total = rows.count + (extraRow ? 1 : 0)
    var top = Swift.max(0, Swift.min(state.scrollRow, total - 1))
    if cursorRow < top { top = cursorRow }
    if cursorRow >= top + area.height { top = cursorRow - area.height + 1 }
    for i in 0..<area.height where top + i < rows.count {
      let r = rows[top + i]
      buffer.drawScrolled(
        state.lines[r.line].characters[r.range], scroll: 0, x: area.x, y: area.y + i,
        width: area.width, style: style)
    }
    guard isFocused else { return nil }
    return Point(x: area.x + cursorX, y: area.y + cursorRow - top)
  }
}
