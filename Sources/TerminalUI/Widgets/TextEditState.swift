import WorkCounting

/// The editing state of a single-line text field, with the readline keys of the product.
///
/// The cursor moves by grapheme cluster (so "é" written as e + U+0301 and "👍🏽" are one step),
/// and columns count display cells (a CJK character takes two).
///
/// An edit costs what it inserts or removes, not the length of the text: clusters are re-formed
/// only at the seams of the edit, and the rows a wrapped view draws are kept between frames
/// (``rowWindow(width:around:before:after:)``).
public struct TextEditState: Hashable, Sendable {
  /// The text as grapheme clusters.
  public private(set) var characters: [Character]
  /// The cursor, as a cluster index from 0 (before the first) to `characters.count` (after the last).
  public var cursor: Int {
    didSet { cursor = Swift.min(Swift.max(0, cursor), characters.count) }
  }
  /// The first display column shown when the text is wider than its field.
  public var scroll: Int = 0
  /// Changes with every change of the text (never back to an earlier value), so a caller can
  /// tell whether a key edited without comparing texts.
  public private(set) var revision: UInt64
  /// The rows of this text wrapped at the width last drawn, shared by copies of the same text.
  var wrapRows = WrapRowsBox(rows: WrapRows())

  /// A field holding `text` with the cursor at its end.
  public init(_ text: String = "") {
    self.init(clusters: Array(text))
  }

  /// A field holding `clusters` (already whole grapheme clusters) with the cursor at its end.
  init(clusters: [Character]) {
    self.characters = clusters
    self.cursor = clusters.count
    self.revision = UInt64.random(in: 0...(UInt64.max >> 1))
  }

  public static func == (a: TextEditState, b: TextEditState) -> Bool {
    a.cursor == b.cursor && a.scroll == b.scroll && a.characters == b.characters
  }

  public func hash(into h: inout Hasher) {
    h.combine(characters)
    h.combine(cursor)
    h.combine(scroll)
  }

  /// The text.
  public var text: String {
    get { String(characters) }
    set {
      characters = Array(newValue)
      changed(from: 0)
      cursor = characters.count
    }
  }

  /// Whether the field holds no text.
  public var isEmpty: Bool { characters.isEmpty }

  /// Whether the text is empty or only whitespace (stops at the first other cluster).
  public var isBlank: Bool { characters.allSatisfy(\.isWhitespace) }

  /// The display column of the cursor (cells before it).
  public var cursorColumn: Int { Self.width(of: characters[0..<cursor]) }

  /// Inserts `string` at the cursor; line breaks and tabs become spaces in a single line.
  public mutating func insert(_ string: String) {
    let clean = String(
      string.map { c -> Character in c == "\n" || c == "\r\n" || c == "\r" || c == "\t" ? " " : c })
    replace(cursor..<cursor, with: clean)
  }

  /// Replaces the clusters in `range` with `string`, re-forming clusters at the seams.
  ///
  /// Only the cluster on each side of the range is re-formed with the new text (a cluster's
  /// boundary depends on its neighbours only), so the cost is that of the inserted text.
  public mutating func replace(_ range: Range<Int>, with string: String) {
    let lower = Swift.max(0, Swift.min(range.lowerBound, characters.count))
    let upper = Swift.max(lower, Swift.min(range.upperBound, characters.count))
    if lower == upper && string.isEmpty {
      cursor = lower
      return
    }
    let from = Swift.max(0, lower - 1)
    let to = Swift.min(characters.count, upper + 1)
    WorkCounter.count("text edit", (to - from) + string.utf8.count)
    let head = String(characters[from..<lower]) + string
    let seam = Array(head + String(characters[upper..<to]))
    let headCount = head.count
    characters.replaceSubrange(from..<to, with: seam)
    changed(from: from)
    cursor = from + Swift.min(headCount, seam.count)
  }

  /// Cuts the text at cluster `index`, keeping what is before it; returns what was after it.
  mutating func split(at index: Int) -> TextEditState {
    let i = Swift.max(0, Swift.min(index, characters.count))
    var tail = TextEditState(clusters: Array(characters[i...]))
    tail.cursor = 0
    WorkCounter.count("text edit", characters.count - i)
    characters.removeSubrange(i...)
    changed(from: i)
    cursor = i
    return tail
  }

  /// Appends `other`'s text, re-forming clusters at the seam; the cursor goes to the seam.
  mutating func join(_ other: TextEditState) {
    let seam = characters.count
    replace(seam..<seam, with: String(other.characters))
    cursor = seam
  }

  /// Records a change of the text from cluster `index` on.
  mutating func changed(from index: Int) {
    revision &+= 1
    wrapRows.textChanged(from: index)
  }

  /// Applies a key; returns false when the key is not an editing key (the caller handles it).
  public mutating func handle(_ event: KeyEvent) -> Bool {
    let m = event.modifiers
    switch event.key {
    case .left where m.isEmpty || m == .ctrl: cursor -= 1
    case .right where m.isEmpty || m == .ctrl: cursor += 1
    case .left where m == .alt: cursor = wordStart(before: cursor)
    case .right where m == .alt: cursor = wordEnd(after: cursor)
    case .home where m.isEmpty: cursor = 0
    case .end where m.isEmpty: cursor = characters.count
    case .backspace where m.isEmpty || m == .shift:
      if cursor > 0 { replace((cursor - 1)..<cursor, with: "") }
    case .backspace where m == .alt:
      replace(wordStart(before: cursor)..<cursor, with: "")
    case .delete where m.isEmpty:
      if cursor < characters.count { replace(cursor..<(cursor + 1), with: "") }
    case .character(let c) where m == .ctrl:
      switch c {
      case "a": cursor = 0
      case "e": cursor = characters.count
      case "b": cursor -= 1
      case "f": cursor += 1
      case "d": if cursor < characters.count { replace(cursor..<(cursor + 1), with: "") }
      case "h": if cursor > 0 { replace((cursor - 1)..<cursor, with: "") }
      case "w": replace(spaceWordStart(before: cursor)..<cursor, with: "")
      case "u": replace(0..<cursor, with: "")
      case "k": replace(cursor..<characters.count, with: "")
      default: return false
      }
    case .character(let c) where m == .alt:
      switch c {
      case "b": cursor = wordStart(before: cursor)
      case "f": cursor = wordEnd(after: cursor)
      case "d": replace(cursor..<wordEnd(after: cursor), with: "")
      default: return false
      }
    case .character(let c) where m.isEmpty || m == .shift:
      insert(String(c))
    default:
      return false
    }
    return true
  }

  /// The first display column to show in a field `width` cells wide so the cursor is visible,
  /// moving `scroll` as little as possible.
  public func visibleScroll(width: Int) -> Int {
    guard width > 0 else { return 0 }
    let col = cursorColumn
    var s = Swift.max(0, scroll)
    if col < s { s = col }
    if col >= s + width { s = col - width + 1 }
    return s
  }

  /// Moves `scroll` so the cursor is visible in a field `width` cells wide.
  public mutating func keepCursorVisible(width: Int) { scroll = visibleScroll(width: width) }

  /// The cells one cluster takes when drawn (escapes are wider; a lone mark takes one).
  public static func width(of c: Character) -> Int {
    if let a = c.asciiValue, a >= 0x20, a < 0x7F { return 1 }
    let w = DisplayWidth.of(Sanitizer.sanitize(String(c)))
    return Swift.max(1, w)
  }

  /// The cells a run of clusters takes when drawn.
  public static func width(of cs: some Sequence<Character>) -> Int {
    cs.reduce(0) { $0 + width(of: $1) }
  }

  func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }

  /// Readline's backward-word: skip non-word clusters, then word clusters.
  func wordStart(before index: Int) -> Int {
    var i = index
    while i > 0 && !isWordCharacter(characters[i - 1]) { i -= 1 }
    while i > 0 && isWordCharacter(characters[i - 1]) { i -= 1 }
    return i
  }

  /// Readline's forward-word: skip non-word clusters, then word clusters.
  func wordEnd(after index: Int) -> Int {
    var i = index
    while i < characters.count && !isWordCharacter(characters[i]) { i += 1 }
    while i < characters.count && isWordCharacter(characters[i]) { i += 1 }
    return i
  }

  /// Readline's unix-word-rubout boundary: whitespace-delimited.
  func spaceWordStart(before index: Int) -> Int {
    var i = index
    while i > 0 && characters[i - 1].isWhitespace { i -= 1 }
    while i > 0 && !characters[i - 1].isWhitespace { i -= 1 }
    return i
  }
}

extension ScreenBuffer {
  /// Draws clusters starting from display column `scroll` into one row of `area`, clipping wide
  /// characters cut by either edge to spaces; returns nothing.
  mutating func drawScrolled(
    _ characters: some Sequence<Character>, scroll: Int, x: Int, y: Int, width: Int, style: Style
  ) {
    var col = 0
    for c in characters {
      let w = TextEditState.width(of: c)
      let start = col - scroll
      col += w
      if start + w <= 0 { continue }
      if start >= width { break }
      if start < 0 || start + w > width {
        for i in Swift.max(0, start)..<Swift.min(width, start + w) {
          setString(x + i, y, " ", style: style, maxWidth: 1)
        }
        continue
      }
      setString(x + start, y, String(c), style: style, maxWidth: w)
    }
  }
}

/// A single-line text field: draws a ``TextEditState`` into one row.
public struct TextField {
  /// The text and cursor.
  public var state: TextEditState
  /// The style of the text (the whole row is filled with it).
  public var style: Style
  /// Shown dimmed when the field is empty.
  public var placeholder: String
  /// The style of the placeholder.
  public var placeholderStyle: Style
  /// Whether the field has focus (only then is a cursor reported).
  public var isFocused: Bool

  /// A field showing `state`.
  public init(
    _ state: TextEditState, style: Style = .plain, placeholder: String = "",
    placeholderStyle: Style = Style(attributes: .dim), isFocused: Bool = true
  ) {
    self.state = state
    self.style = style
    self.placeholder = placeholder
    self.placeholderStyle = placeholderStyle
    self.isFocused = isFocused
  }

  /// Draws into the first row of `area`; returns the cursor position when focused.
  ///
  /// Measures only the clusters on screen (and, when the field keeps a scroll position, those
  /// before it), however long the text.
  @discardableResult
  public func render(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area.row(0), with: Cell(" ", style: style))
    if state.isEmpty && !placeholder.isEmpty {
      buffer.setString(area.x, area.y, placeholder, style: placeholderStyle, maxWidth: area.width)
    }
    // A field without focus shows its text from the start, not where it was left scrolled,
    // and marks a cut with "…".
    guard isFocused else {
      buffer.drawScrolled(
        state.characters, scroll: 0, x: area.x, y: area.y, width: area.width, style: style)
      if area.width > 1, Self.isWider(state.characters, than: area.width) {
        buffer.setString(area.maxX - 1, area.y, "…", style: style)
      }
      return nil
    }
    let view = state.visibleWindow(width: area.width)
    buffer.drawScrolled(
      state.characters[view.start...], scroll: view.skip, x: area.x, y: area.y,
      width: area.width, style: style)
    return Point(x: area.x + view.cursorX, y: area.y)
  }

  /// Whether `characters` take more than `width` cells (measuring at most `width` + 1 clusters).
  static func isWider(_ characters: [Character], than width: Int) -> Bool {
    var w = 0
    for c in characters.prefix(width + 1) {
      w += TextEditState.width(of: c)
      if w > width { return true }
    }
    return false
  }
}

extension TextEditState {
  /// What a field `width` cells wide shows, as ``visibleScroll(width:)`` places it.
  ///
  /// The first cluster drawn, the cells of it cut off by the left edge, and the cursor's column in the
  /// field. Measures at most the clusters up to `scroll` + `width` cells, and `width` cells
  /// back from the cursor.
  func visibleWindow(width: Int) -> (start: Int, skip: Int, cursorX: Int) {
    guard width > 0 else { return (cursor, 0, 0) }
    let s0 = Swift.max(0, scroll)
    var col = 0
    var i = 0
    while i < cursor && col < s0 + width {
      col += Self.width(of: characters[i])
      i += 1
    }
    WorkCounter.count("field measure", i)
    if i == cursor && col < s0 + width {
      // The cursor is within the kept scroll position's view (or left of it).
      let s = Swift.min(s0, col)
      var start = 0
      var at = 0
      while start < characters.count {
        let w = Self.width(of: characters[start])
        if at + w > s { break }
        at += w
        start += 1
      }
      WorkCounter.count("field measure", start)
      return (start, s - at, col - s)
    }
    // The cursor is past the right edge: it shows in the last column, the text before it
    // filling the field leftwards.
    var j = cursor
    var used = 0
    while j > 0 {
      let w = Self.width(of: characters[j - 1])
      if used + w > width - 1 {
        WorkCounter.count("field measure", cursor - j + 1)
        return (j - 1, w - (width - 1 - used), width - 1)
      }
      used += w
      j -= 1
    }
    WorkCounter.count("field measure", cursor)
    return (0, 0, used)
  }
}
