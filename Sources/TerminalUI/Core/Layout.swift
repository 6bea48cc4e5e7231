/// How much of the available length one part of a split takes.
public enum Constraint: Hashable, Sendable {
  /// Exactly `n` cells (shrinks only when the area is too small for all fixed parts).
  case length(Int)
  /// A percentage (0–100) of the whole length.
  case percentage(Int)
  /// At least `n` cells; grows like a `fill(1)` when no `fill` part is present.
  case min(Int)
  /// A share of what is left after the fixed parts, in proportion to `weight`.
  case fill(Int)
}

/// The direction a rectangle is split in.
public enum Direction: Hashable, Sendable {
  /// Parts side by side, left to right.
  case horizontal
  /// Parts stacked, top to bottom.
  case vertical
}

/// Splits rectangles into parts by constraints, like ratatui's `Layout`.
public enum Layout {
  /// Splits `total` cells into lengths by `constraints`, leaving `spacing` cells between parts.
  ///
  /// Fixed parts (`length`, `percentage`, `min`) are served first; what remains goes to `fill`
  /// parts by weight (or to `min` parts when there is no `fill`). If the fixed parts do not fit,
  /// the last parts shrink first. The lengths always sum to at most `total`.
  public static func lengths(total: Int, constraints: [Constraint], spacing: Int = 0) -> [Int] {
    guard !constraints.isEmpty else { return [] }
    let gaps = max(0, spacing) * (constraints.count - 1)
    let available = max(0, total - gaps)
    var sizes = constraints.map { c -> Int in
      switch c {
      case .length(let n): return max(0, n)
      case .percentage(let p): return available * Swift.min(100, Swift.max(0, p)) / 100
      case .min(let n): return max(0, n)
      case .fill: return 0
      }
    }
    let used = sizes.reduce(0, +)
    if used > available {
      // Shrink from the end until it fits.
      var excess = used - available
      for i in sizes.indices.reversed() where excess > 0 {
        let cut = Swift.min(sizes[i], excess)
        sizes[i] -= cut
        excess -= cut
      }
      return sizes
    }
    let remaining = available - used
    var growers: [(index: Int, weight: Int)] = []
    for (i, c) in constraints.enumerated() {
      if case .fill(let w) = c { growers.append((i, Swift.max(0, w))) }
    }
    if growers.isEmpty {
      for (i, c) in constraints.enumerated() {
        if case .min = c { growers.append((i, 1)) }
      }
    }
    let totalWeight = growers.reduce(0) { $0 + $1.weight }
    if totalWeight > 0 {
      var given = 0
      for g in growers {
        let share = remaining * g.weight / totalWeight
        sizes[g.index] += share
        given += share
      }
      // Hand out rounding leftovers one by one, first parts first.
      var left = remaining - given
      for g in growers where left > 0 && g.weight > 0 {
        sizes[g.index] += 1
        left -= 1
      }
    }
    return sizes
  }

  /// Splits `rect` in `direction` by `constraints`, with `spacing` cells between the parts.
  ///
  /// ```swift
  /// let rows = Layout.split(area, .vertical, [.length(1), .fill(1), .length(1)])
  /// ```
  public static func split(
    _ rect: Rect, _ direction: Direction, _ constraints: [Constraint], spacing: Int = 0
  ) -> [Rect] {
    let total = direction == .horizontal ? rect.width : rect.height
    let sizes = lengths(total: total, constraints: constraints, spacing: spacing)
    var result: [Rect] = []
    var offset = 0
    for size in sizes {
      switch direction {
      case .horizontal:
        result.append(Rect(x: rect.x + offset, y: rect.y, width: size, height: rect.height))
      case .vertical:
        result.append(Rect(x: rect.x, y: rect.y + offset, width: rect.width, height: size))
      }
      offset += size + max(0, spacing)
    }
    return result
  }
}

extension Rect {
  /// The rectangle shrunk by `horizontal` cells on the left and right and `vertical` on top and bottom.
  public func inset(horizontal: Int = 0, vertical: Int = 0) -> Rect {
    Rect(
      x: x + horizontal, y: y + vertical, width: width - 2 * horizontal,
      height: height - 2 * vertical)
  }

  /// The rectangle shrunk by `margin` cells on every side.
  public func inset(_ margin: Int) -> Rect { inset(horizontal: margin, vertical: margin) }

  /// A rectangle of at most `width` × `height` centred in this one (for overlays and dialogs).
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = Swift.min(Swift.max(0, w), width)
    let ch = Swift.min(Swift.max(0, h), height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }

  /// The overlap of two rectangles (empty when they do not meet).
  public func intersection(_ other: Rect) -> Rect {
    let nx = Swift.max(x, other.x)
    let ny = Swift.max(y, other.y)
    let mx = Swift.min(maxX, other.maxX)
    let my = Swift.min(maxY, other.maxY)
    return Rect(x: nx, y: ny, width: mx - nx, height: my - ny)
  }

  /// The single row `offset` rows below the top (empty if outside).
  public func row(_ offset: Int) -> Rect {
    guard offset >= 0, offset < height else {
      return Rect(x: x, y: y + offset, width: 0, height: 0)
    }
    return Rect(x: x, y: y + offset, width: width, height: 1)
  }
}
