import WorkCounting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the rows of one line of text start when it is wrapped greedily by cluster at a width:
/// computed from the line's start as far as a view needs, and kept between frames.
///
/// Every copy of a ``TextEditState`` holding the same text shares one `WrapRows`; an edit keeps
/// the row starts before it (they depend only on the text before them) and forks the rows when
/// another copy still shares them. So typing costs the rows on screen, not the line's length.
final class WrapRows: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  /// The width the rows were computed at.
  var width = -1
  /// Row starts found so far; the first is always 0.
  var starts: [Int] = [0]
  /// The next cluster to look at.
  var next = 0
  /// The cells taken on the last row so far.
  var used = 0

  init() {
    mutex = .allocate(capacity: 1)
    pthread_mutex_init(mutex, nil)
  }

  deinit {
    pthread_mutex_destroy(mutex)
    mutex.deallocate()
  }

  func locked<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return body()
  }

  /// A copy keeping the row starts up to cluster `index`.
  func prefix(through index: Int) -> WrapRows {
    let copy = WrapRows()
    locked {
      copy.width = width
      copy.starts = Array(starts[..<keptCount(through: index)])
    }
    copy.next = copy.starts.last ?? 0
    return copy
  }

  /// How many starts stay valid when the text changes from cluster `index` on.
  func keptCount(through index: Int) -> Int {
    // The last start at or before `index` (starts are increasing): a binary search.
    var lo = 0
    var hi = starts.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if starts[mid] <= index { lo = mid + 1 } else { hi = mid }
    }
    return Swift.max(1, lo)
  }

  /// Forgets what the change of the text from cluster `index` on made stale.
  func truncate(through index: Int) {
    let keep = keptCount(through: index)
    if keep < starts.count { starts.removeSubrange(keep...) }
    next = starts[starts.count - 1]
    used = 0
  }

  /// Scans `characters` at `width` until `enough` says so or the text ends; returns whether the
  /// text was scanned to its end.
  func extend(_ characters: [Character], width w: Int, until enough: (WrapRows) -> Bool) -> Bool {
    if width != w {
      width = w
      starts = [0]
      next = 0
      used = 0
    }
    let count = characters.count
    if next > count { truncate(through: count) }
    var scanned = 0
    while next < count && !enough(self) {
      let cw = TextEditState.width(of: characters[next])
      if used + cw > w && next > starts[starts.count - 1] {
        starts.append(next)
        used = 0
      }
      used += cw
      next += 1
      scanned += 1
    }
    WorkCounter.count("wrap", scanned)
    return next >= count
  }
}

/// A ``WrapRows`` held by a text, compared and hashed as nothing (it is a cache).
struct WrapRowsBox: Hashable, Sendable {
  var rows: WrapRows?

  static func == (a: WrapRowsBox, b: WrapRowsBox) -> Bool { true }
  func hash(into h: inout Hasher) {}

  /// Forgets the rows from cluster `index` on (forking them when another copy shares them).
  mutating func textChanged(from index: Int) {
    guard rows != nil else { return }
    if isKnownUniquelyReferenced(&rows) {
      rows?.truncate(through: index)
    } else {
      rows = rows?.prefix(through: index)
    }
  }
}

extension TextEditState {
  /// Rows of this line wrapped at `width`, around cluster `index`.
  struct RowWindow {
    /// The rows, as cluster ranges, in order.
    var rows: [Range<Int>]
    /// The position in `rows` of the row holding `index` (the last row starting at or before it).
    var current: Int
    /// Whether `rows` starts with the line's first row.
    var startsLine: Bool
  }

  /// The rows of this line around cluster `index`.
  ///
  /// Up to `before` rows before the row holding cluster `index`, that row, and up to `after`
  /// rows after it, wrapped greedily by cluster at `width` from the line's start (a cluster
  /// wider than the width takes a row of its own). Pass `Int.max` as `index` for the last row.
  ///
  /// The row starts are kept between calls, so only what was not seen before is measured.
  func rowWindow(width: Int, around index: Int, before: Int, after: Int) -> RowWindow {
    let w = Swift.max(1, width)
    let box = wrapRows.rows ?? WrapRows()
    let target = Swift.min(index, characters.count)
    let after = Swift.min(Swift.max(0, after), characters.count + 1)
    let before = Swift.max(0, before)
    let chars = characters
    return box.locked {
      // Scan past the target, then until `after` more rows have their ends.
      var complete = box.extend(chars, width: w) { $0.next > target }
      let through = box.keptCount(through: target)
      if !complete {
        complete = box.extend(chars, width: w) { $0.starts.count > through + after }
      }
      let starts = box.starts
      let current = box.keptCount(through: target) - 1
      let first = Swift.max(0, current - before)
      let last = Swift.min(starts.count - 1, current + after)
      var rows: [Range<Int>] = []
      rows.reserveCapacity(last - first + 1)
      for i in first...last {
        let end = i + 1 < starts.count ? starts[i + 1] : (complete ? chars.count : box.next)
        rows.append(starts[i]..<end)
      }
      return RowWindow(rows: rows, current: current - first, startsLine: first == 0)
    }
  }

  /// How many rows this line takes wrapped at `width`, and which of them holds cluster `index`.
  ///
  /// Scans what the kept rows do not cover yet: nothing for a line not edited since, the rest of
  /// the line after an edit.
  func rowPosition(width: Int, of index: Int) -> (row: Int, count: Int) {
    let w = Swift.max(1, width)
    let box = wrapRows.rows ?? WrapRows()
    let chars = characters
    return box.locked {
      _ = box.extend(chars, width: w) { _ in false }
      return (box.keptCount(through: Swift.min(index, chars.count)) - 1, box.starts.count)
    }
  }
}
