import Synchronization

/// The sorted ids that ``LearningState/shortID(for:)`` reads, kept for one set of live ids.
///
/// A state and its copies share one memo; the memo holds the ids of one stamp
/// (``LearningState/idStamp``), and a state whose stamp differs — it made or deleted an
/// entity since — never reads them. Stamps come from one counter for the whole process, so two
/// states with the same stamp have the same ids. Safe to share across threads.
final class ShortIDMemo: Sendable {
  private struct Entry {
    var stamp: UInt64
    var sorted: [String]?
  }

  private let entry = Mutex<Entry?>(nil)
  private static let stamps = Atomic<UInt64>(0)

  /// An empty memo.
  init() {}

  /// A stamp never given before.
  static func nextStamp() -> UInt64 {
    stamps.add(1, ordering: .relaxed).newValue
  }

  /// The ids `build` sorts, for the ids of `stamp`: nil the first time a stamp asks (one
  /// short id costs less by a scan than by a sort), built the second time and kept.
  func sortedIDs(stamp: UInt64, build: () -> [String]) -> [String]? {
    enum Found {
      case firstAsk
      case sorted([String])
      case toSort
    }
    let found = entry.withLock { e -> Found in
      guard let current = e, current.stamp == stamp else {
        e = Entry(stamp: stamp, sorted: nil)
        return .firstAsk
      }
      return current.sorted.map(Found.sorted) ?? .toSort
    }
    switch found {
    case .firstAsk: return nil
    case .sorted(let sorted): return sorted
    case .toSort:
      // Sorted outside the lock; a thread that raced to the same sort keeps its own.
      let sorted = build()
      entry.withLock { e in
        if e?.stamp == stamp { e = Entry(stamp: stamp, sorted: sorted) }
      }
      return sorted
    }
  }
}

extension LearningState {
  /// Notes that the live ids may have changed: a fresh stamp, so no copy's memo is read.
  @inline(__always)
  mutating func idsChanged() { idStamp = ShortIDMemo.nextStamp() }
}
