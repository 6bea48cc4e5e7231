import Foundation
import LearningLog

/// A session over the log file: every write is an append through the store (under its lock,
/// planned against the state including what other processes appended), private drafts go
/// to the private file, and `refresh` follows the file for live updates.
public final class StoreSession: LogSession {
  /// The shared log.
  public let store: LogStore
  /// The user's private file (notes, growth items); nil keeps private records out entirely.
  public let privateStore: PrivateStore?
  public private(set) var state: LearningState
  /// The day commands are planned on.
  public var today: () -> Day
  /// Who the records name as author, when set.
  public var author: String?
  var lastClock: HybridTimestamp?

  /// A session over `store`, replaying what it holds.
  public init(
    store: LogStore, privateStore: PrivateStore?, today: @escaping () -> Day = { Day(date: Date()) }
  ) {
    self.store = store
    self.privateStore = privateStore
    self.today = today
    self.state = LearningState.replay(store.records)
    self.lastClock = store.records.map(\.clock).max()
  }

  /// A session over `store` whose state is already replayed (by `LearningState.load`, which
  /// can start from the snapshot cache instead of every record).
  public init(
    store: LogStore, state: LearningState, privateStore: PrivateStore?,
    today: @escaping () -> Day = { Day(date: Date()) }
  ) {
    self.store = store
    self.privateStore = privateStore
    self.today = today
    self.state = state
    // The store's clock is past every record it has read: the latest applied.
    self.lastClock = store.clock.last
  }

  /// Brings the state up to date with `records` read from the file: applied in place when
  /// they all come after what was applied, else the whole log is replayed (replay order
  /// decides, never file order).
  func absorb(_ records: [Record]) {
    guard !records.isEmpty else { return }
    let sorted = records.sorted(by: Record.replayOrder)
    if let last = lastClock, let first = sorted.first, first.clock <= last {
      state = LearningState.replay(store.records)
    } else {
      for r in sorted { state.apply(r) }
    }
    lastClock = Swift.max(
      lastClock ?? sorted[sorted.count - 1].clock, sorted[sorted.count - 1].clock)
  }

  public func perform(_ command: Command) throws -> PerformOutcome {
    var plan = Plan()
    let written = try store.append { caughtUp in
      self.absorb(caughtUp)
      let now = Int64(Date().timeIntervalSince1970 * 1000)
      plan = try self.state.plan(
        command, context: CommandContext(today: self.today(), now: now, author: self.author))
      return plan.shared
    }
    absorb(written)
    if !plan.private.isEmpty {
      guard let privateStore else {
        throw DomainError("a private note needs the private file; none is configured")
      }
      for d in plan.private { _ = try privateStore.append(d) }
    }
    return PerformOutcome(records: written, createdID: plan.createdID)
  }

  /// Why the store refuses writes: the open fell back to reading (`Permission denied`,
  /// `Read-only file system`), it was opened read-only, or an earlier write or sync failed.
  public var readOnlyReason: String? {
    if store.isReadOnly { return store.readOnlyReason ?? "opened read-only" }
    return store.sessionReadOnlyReason
  }

  public func refresh() throws -> Bool {
    switch try store.refresh() {
    case .unchanged: return false
    case .appended(let records):
      absorb(records)
      return true
    case .replaced:
      state = LearningState.replay(store.records)
      lastClock = store.records.map(\.clock).max()
      return true
    }
  }

  /// The notes and growth items of the private file (none when it does not exist yet).
  public func privateNotes() throws -> [PrivateNote] {
    guard let privateStore, FileManager.default.fileExists(atPath: privateStore.path) else {
      return []
    }
    return LearningState.replay(try privateStore.records()).noteList
  }

  public func loadDemo() throws {
    let day = today()
    let written = try store.append { caughtUp in
      self.absorb(caughtUp)
      guard self.state.incidents.isEmpty else {
        throw DomainError("the log is not empty any more; the demo loads only into an empty log")
      }
      return try DemoData.drafts(today: day)
    }
    absorb(written)
  }
}
