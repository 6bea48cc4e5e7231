import Foundation

/// A hybrid logical clock: never goes backwards, and passes every reading it has seen.
public struct HybridClock: Sendable, Hashable {
  /// The latest reading issued or observed.
  public private(set) var last: HybridTimestamp

  /// A clock that has seen nothing later than `last`.
  public init(last: HybridTimestamp = HybridTimestamp(wall: 0, logical: 0)) { self.last = last }

  /// Moves the clock past `reading` if it is later.
  public mutating func observe(_ reading: HybridTimestamp) {
    if last < reading { last = reading }
  }

  /// A new reading: the wall clock if it is ahead, else the last wall with the counter bumped.
  public mutating func tick(now: Int64) -> HybridTimestamp {
    if now > last.wall {
      last = HybridTimestamp(wall: now, logical: 0)
    } else if last.logical < Int32.max {
      last.logical += 1
    } else {
      last = HybridTimestamp(wall: last.wall + 1, logical: 0)
    }
    return last
  }

  /// Milliseconds since the Unix epoch, from the system clock.
  public static func wallMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
  }
}
