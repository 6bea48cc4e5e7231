import Foundation
import LearningLog

/// The app's connection to the log file: a ``Workspace`` (the one write path), the day and
/// author commands are planned with, and `refresh` to follow the file for live updates.
public final class FileAppLog: AppLog {
  /// The log and its private file, opened for work; every write goes through it.
  public let workspace: Workspace
  /// The shared log.
  public var store: LogStore { workspace.store }
  /// The user's private file (notes, growth items); nil keeps private records out entirely.
  public var privateStore: PrivateStore? { workspace.privateStore }
  public var state: LearningState { workspace.state }
  /// The day commands are planned on.
  public var today: () -> Day
  /// Who the records name as author, when set.
  public var author: String?

  /// An app log over `store`, replaying what it holds.
  public init(
    store: LogStore, privateStore: PrivateStore?, today: @escaping () -> Day = { Day(date: Date()) }
  ) {
    self.workspace = Workspace(store: store, privateStore: privateStore)
    self.today = today
  }

  /// An app log over `store` whose state is already replayed (by `LearningState.load`, which
  /// can start from the snapshot cache instead of every record).
  public init(
    store: LogStore, state: LearningState, privateStore: PrivateStore?,
    today: @escaping () -> Day = { Day(date: Date()) }
  ) {
    self.workspace = Workspace(store: store, state: state, privateStore: privateStore)
    self.today = today
  }

  public func perform(_ commands: [Command]) throws -> Plan {
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    return try workspace.perform(
      commands, context: CommandContext(today: today(), now: now, author: author))
  }

  /// Why the store refuses writes: the open fell back to reading (`Permission denied`,
  /// `Read-only file system`), it was opened read-only, or an earlier write or sync failed.
  public var readOnlyReason: String? {
    if store.isReadOnly { return store.readOnlyReason ?? "opened read-only" }
    return store.sessionReadOnlyReason
  }

  public func refresh() throws -> Bool {
    try workspace.refresh() != .unchanged
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
    try workspace.perform { state in
      guard state.incidents.isEmpty else {
        throw DomainError("the log is not empty any more; the demo loads only into an empty log")
      }
      return Plan(shared: try DemoData.drafts(today: day))
    }
  }
}
