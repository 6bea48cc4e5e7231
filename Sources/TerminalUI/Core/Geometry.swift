/// A cell position: column `x`, row `y`, from the top left, zero-based.
public struct Point: Hashable, Sendable {
  public var x: Int
  public var y: Int
  /// The position at column `x`, row `y`.
  public init(x: Int, y: Int) {
    self.x = x
    self.y = y
  }
}

/// A size in cells.
public struct Size: Hashable, Sendable {
  public var width: Int
  public var height: Int
  /// A size of `width` columns by `height` rows.
  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int
  /// The rectangle with its top left at (`x`, `y`).
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }
  /// The rectangle at the origin covering `size`.
  public init(size: Size) { self.init(x: 0, y: 0, width: size.width, height: size.height) }
  /// The size of the rectangle.
  public var size: Size { Size(width: width, height: height) }
  /// Whether it covers no cell.
  public var isEmpty: Bool { width <= 0 || height <= 0 }
  /// One past the last column.
  public var maxX: Int { x + width }
  /// One past the last row.
  public var maxY: Int { y + height }
  /// Whether `p` lies inside.
  public func contains(_ p: Point) -> Bool { p.x >= x && p.x < maxX && p.y >= y && p.y < maxY }
}
