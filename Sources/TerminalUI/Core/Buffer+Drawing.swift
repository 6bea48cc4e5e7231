extension ScreenBuffer {
  /// A buffer showing `lines` (plain style), as wide as the widest line unless `width` is given.
  ///
  /// Handy in tests: `ScreenBuffer(lines: ["┌──┐", "│ab│", "└──┘"])`.
  public init(lines: [String], width: Int? = nil) {
    let w = width ?? (lines.map(\.displayWidth).max() ?? 0)
    self.init(size: Size(width: w, height: lines.count))
    for (y, line) in lines.enumerated() { setString(0, y, line) }
  }

  /// Writes `string` at (`x`, `y`) in `style`, sanitised, and returns the column after it.
  ///
  /// Text is clipped at the buffer's right edge and after `maxWidth` cells. A wide character that
  /// would not fit whole is replaced by spaces (never half a glyph); its right half becomes a
  /// continuation cell. Newlines are escaped like every other control: split lines first to draw
  /// several rows.
  @discardableResult
  public mutating func setString(
    _ x: Int, _ y: Int, _ string: String, style: Style = .plain, maxWidth: Int? = nil
  ) -> Int {
    guard y >= 0, y < size.height else { return x }
    let limit = min(size.width, maxWidth.map { x + max(0, $0) } ?? size.width)
    var col = x
    var lastDrawn: Int? = nil
    let ascii = Sanitizer.isPrintableASCII(string)
    let text = ascii ? string : Sanitizer.sanitize(string)
    var cut: String.Index? = nil
    defer {
      // Whatever is cut is marked: "…" in the last cell, unless only blanks or rules are lost.
      if let cut, limit - 1 >= Swift.max(0, x), Self.isWorthMarking(text[cut...]) {
        var at = limit - 1
        if self[at, y].isContinuation, at - 1 >= Swift.max(0, x) {
          put(Cell(" ", style: self[at, y].style), x: at, y: y)
          at -= 1
        }
        put(Cell("…", style: self[at, y].style), x: at, y: y)
      }
    }
    if ascii {
      // Printable ASCII: a byte is a character one cell wide.
      let bytes = text.utf8
      var offset = 0
      for b in bytes {
        if col >= limit {
          cut = bytes.index(bytes.startIndex, offsetBy: offset)
          break
        }
        if col >= 0 { put(Cell(Self.asciiCellText[Int(b)], style: style), x: col, y: y) }
        col += 1
        offset += 1
      }
      return col
    }
    for index in text.indices {
      let ch = text[index]
      if col >= limit {
        cut = index
        break
      }
      let w = DisplayWidth.of(ch)
      if w == 0 {
        // A lone combining mark joins the previous cell of this string, or a dotted circle.
        if let last = lastDrawn {
          var cell = self[last, y]
          cell.text.append(ch)
          self[last, y] = cell
        } else if col >= 0 {
          put(Cell("\u{25CC}" + String(ch), style: style), x: col, y: y)
          lastDrawn = col
          col += 1
        } else {
          col += 1
        }
        continue
      }
      if col + w > limit {
        // No half glyphs: pad what is left with spaces.
        while col < limit {
          if col >= 0 { put(Cell(" ", style: style), x: col, y: y) }
          col += 1
        }
        cut = index
        break
      }
      if col < 0 {
        // Partly left of the buffer: draw only the visible part as spaces.
        for c in col..<(col + w) where c >= 0 { put(Cell(" ", style: style), x: c, y: y) }
        col += w
        continue
      }
      put(Cell(String(ch), style: style), x: col, y: y)
      if w == 2 {
        put(Cell("", style: style, isContinuation: true), x: col + 1, y: y)
      }
      lastDrawn = col
      col += w
    }
    return col
  }

  /// The text of a cell holding each ASCII character, by its byte.
  static let asciiCellText: [String] = (0..<128).map { String(Unicode.Scalar(UInt8($0))) }

  /// Whether cutting `rest` loses something a reader would miss: not only blanks, rules and
  /// block elements (borders and bars drawn longer than their room).
  static func isWorthMarking(_ rest: Substring) -> Bool {
    rest.unicodeScalars.contains { s in
      !(s == " " || (0x2500...0x259F).contains(s.value)
        || s.properties.generalCategory == .nonspacingMark)
    }
  }

  /// Writes a line of styled spans at (`x`, `y`), clipped to `maxWidth`; returns the column after.
  @discardableResult
  public mutating func setLine(_ x: Int, _ y: Int, _ line: Line, maxWidth: Int? = nil) -> Int {
    var col = x
    let end = maxWidth.map { x + max(0, $0) }
    for (i, span) in line.spans.enumerated() {
      let room = end.map { max(0, $0 - col) }
      if room == 0 {
        // The spans that did not fit are cut too: marked like a cut inside one.
        let rest = line.spans[i...].map(\.text).joined()
        if let end, end - 1 >= Swift.max(0, x), y >= 0, y < size.height, end - 1 < size.width,
          Self.isWorthMarking(Sanitizer.sanitize(rest)[...])
        {
          put(Cell("…", style: self[end - 1, y].style), x: end - 1, y: y)
        }
        break
      }
      col = setString(col, y, span.text, style: span.style, maxWidth: room)
    }
    return col
  }

  /// Sets every cell of `rect` (clipped to the buffer) to `cell`.
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { put(cell, x: x, y: y) }
    }
  }

  /// Applies `style` to every cell of `rect`, keeping the text (for highlights).
  public mutating func setStyle(_ rect: Rect, _ style: Style) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX {
        var cell = self[x, y]
        cell.style = style
        self[x, y] = cell
      }
    }
  }

  /// Puts one cell, repairing wide characters it overwrites so no half glyph remains.
  mutating func put(_ cell: Cell, x: Int, y: Int) {
    guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
    let old = self[x, y]
    if old.isContinuation && !cell.isContinuation && x > 0 {
      // Overwriting the right half: the left half loses its partner.
      var left = self[x - 1, y]
      if !left.isContinuation && DisplayWidth.of(left.text) == 2 {
        left.text = " "
        self[x - 1, y] = left
      }
    }
    if !old.isContinuation && DisplayWidth.of(old.text) == 2 && x + 1 < size.width {
      // Overwriting the left half: the right half becomes a plain blank.
      var right = self[x + 1, y]
      if right.isContinuation {
        right = Cell(" ", style: right.style)
        self[x + 1, y] = right
      }
    }
    self[x, y] = cell
  }
}
