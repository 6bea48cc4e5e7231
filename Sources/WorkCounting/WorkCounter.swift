/// Counts units of work done by code whose cost must grow linearly, for growth tests.
///
/// Code on such a path reports each unit of work it does (an element visited, a cluster
/// measured, a record decoded) with ``count(_:_:)``; a test binds a counter with
/// `WorkCounter.$current.withValue(counter) { … }`, runs the same work at n and 4n, and
/// compares the totals. Unbound, counting costs one task-local read and nothing else. A counter
/// is meant for the one thread that bound it (work on other threads is not seen).
public final class WorkCounter: @unchecked Sendable {
  /// The counter the current task counts into, if any.
  @TaskLocal public static var current: WorkCounter?

  /// Units counted, by kind.
  public private(set) var counts: [String: Int] = [:]

  /// An empty counter.
  public init() {}

  /// Units counted of `kind` (0 when none).
  public subscript(kind: String) -> Int { counts[kind] ?? 0 }

  /// Units counted of every kind.
  public var total: Int { counts.values.reduce(0, +) }

  /// Adds `units` of `kind` to the bound counter, if there is one.
  @inline(__always)
  public static func count(_ kind: StaticString, _ units: Int = 1) {
    guard let c = current else { return }
    c.counts[kind.description, default: 0] += units
  }

  /// Runs `body` with a fresh counter bound and returns the counter.
  public static func measure(_ body: () throws -> Void) rethrows -> WorkCounter {
    let counter = WorkCounter()
    try $current.withValue(counter) { try body() }
    return counter
  }
}
