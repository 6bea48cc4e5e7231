/// One cell of the screen: a grapheme cluster and its style.
///
/// A wide character occupies its own cell and marks the next one as a continuation
/// (`isContinuation`), so every row always has exactly `width` cells.
public struct Cell: Hashable, Sendable {
  /// The text drawn in the cell (one grapheme cluster, already sanitised), or "" for a continuation.
  public var text: String
  public var style: Style
  /// Whether this cell is the right half of a wide character drawn in the cell before.
  public var isContinuation: Bool
  /// A cell showing `text` in `style`.
  public init(_ text: String = " ", style: Style = .plain, isContinuation: Bool = false) {
    self.text = text
    self.style = style
    self.isContinuation = isContinuation
  }
  /// An empty cell in the default style.
  public static let blank = Cell()
}

/// A grid of cells that views draw into; the backend sends what changed to the terminal.
public struct ScreenBuffer: Hashable, Sendable {
  /// The size of the grid.
  public private(set) var size: Size
  /// Cells row by row.
  public private(set) var cells: [Cell]

  /// A blank grid of `size`.
  public init(size: Size) {
    self.size = size
    self.cells = Array(repeating: .blank, count: max(0, size.width) * max(0, size.height))
  }

  /// The cell at column `x`, row `y`; out of range reads a blank and writes nothing.
  public subscript(x: Int, y: Int) -> Cell {
    get {
      guard x >= 0, y >= 0, x < size.width, y < size.height else { return .blank }
      return cells[y * size.width + x]
    }
    set {
      guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
      cells[y * size.width + x] = newValue
    }
  }

  /// The whole grid as an area.
  public var area: Rect { Rect(size: size) }

  /// The rows as text with trailing spaces trimmed (continuation cells add nothing).
  public func lines() -> [String] {
    var result: [String] = []
    result.reserveCapacity(size.height)
    for y in 0..<size.height {
      var line = ""
      for x in 0..<size.width {
        let cell = cells[y * size.width + x]
        if !cell.isContinuation { line += cell.text }
      }
      while line.last == " " { line.removeLast() }
      result.append(line)
    }
    return result
  }
}

/// The terminal as the program loop sees it: tests use an in-memory one, the app ncurses.
public protocol TerminalBackend: AnyObject {
  /// The terminal's current size.
  var size: Size { get }
  /// Waits up to `timeoutMilliseconds` (negative: forever) for the next input event.
  func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
  /// Shows `buffer` (sending only cells that changed since the last frame) and places the cursor.
  func draw(_ buffer: ScreenBuffer, cursor: Point?)
}
