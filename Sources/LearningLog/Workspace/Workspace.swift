import Dispatch
import Foundation

/// One log opened for work: the store, its replayed state, and the private notes beside it.
///
/// The one write path: the command line and the app perform every write through
/// ``perform(_:context:)`` (a list of commands, one write). Under the store's lock, once, the
/// state catches up with what other processes appended, every command is planned against that
/// fresh state (each one seeing the drafts of those before it), all shared lines go to the log
/// in one `write` and one `fdatasync`, and the private drafts (notes, growth items) to the
/// private file only — never to the shared log. A refused command writes nothing.
public final class Workspace {
  /// The log file.
  public var path: String { store.path }
  /// The open store.
  public let store: LogStore
  /// The state: the replay of every shared record (private notes are not in it).
  public private(set) var state: LearningState
  /// Where private notes are kept; nil keeps private records out entirely (a command that
  /// plans one is refused, and nothing is written).
  public let privateStore: PrivateStore?

  /// The log path for `explicit` (`--file`), the environment and the current directory.
  public static func locate(
    explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> String {
    LogLocator.resolve(
      explicit: explicit, environment: environment, currentDirectory: currentDirectory)
  }

  /// The private store for `environment` (`$XDG_DATA_HOME/learnlog/private`).
  public static func defaultPrivateStore(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> PrivateStore {
    PrivateStore(directory: PrivateStore.defaultDirectory(environment: environment))
  }

  /// Creates a new, empty log at `path` (parent directories too) and opens it.
  public static func create(
    path: String, privateStore: PrivateStore = defaultPrivateStore(),
    fileSystem: any FileSystem = RealFileSystem()
  ) throws -> Workspace {
    let store = try LogStore.create(path: path, fileSystem: fileSystem)
    return Workspace(store: store, privateStore: privateStore)
  }

  /// Opens the log at `path` and replays it.
  ///
  /// A torn tail is repaired (unless `readOnly`) and `notice` told in one line; damage throws
  /// ``StoreError``.
  public convenience init(
    path: String, readOnly: Bool = false, privateStore: PrivateStore = defaultPrivateStore(),
    fileSystem: any FileSystem = RealFileSystem(), notice: @escaping (String) -> Void = { _ in },
    cache: SnapshotCache? = nil, lazy: Bool = false, progress: ((LoadProgress) -> Void)? = nil
  ) throws {
    // Through the snapshot cache when one is given; never keeps every record in memory.
    let (store, state) = try LearningState.load(
      path: path, fileSystem: fileSystem, readOnly: readOnly, lazy: lazy, cache: cache,
      notice: notice, progress: progress)
    self.init(store: store, state: state, privateStore: privateStore)
  }

  /// A workspace over `store` whose replayed state is already `state` (from
  /// `LearningState.load`, which can start from the snapshot cache).
  public init(store: LogStore, state: LearningState, privateStore: PrivateStore?) {
    self.store = store
    self.privateStore = privateStore
    self.state = state
  }

  /// A workspace over an open store.
  public init(store: LogStore, privateStore: PrivateStore?) {
    self.store = store
    self.privateStore = privateStore
    self.state = LearningState.replay(store.records)
  }

  /// Picks up records other processes appended since the last read.
  @discardableResult
  public func refresh() throws -> StoreChange {
    let change = try store.refresh()
    switch change {
    case .unchanged: break
    case .appended(let records) where state.acceptsInOrder(records):
      for r in records { state.apply(r) }
    default: state = LearningState.replay(store.records)
    }
    return change
  }

  /// Plans `commands` against the freshest state and writes them as one append: shared drafts
  /// to the log, private drafts to the private file.
  ///
  /// Returns the plan that was written. All or nothing: when any command is refused, or the
  /// write fails, no line of any of them is in the log.
  @discardableResult
  public func perform(_ commands: [Command], context: CommandContext) throws -> Plan {
    try perform { state in try state.plan(commands, context: context) }
  }

  /// Plans `command` against the freshest state and writes it; ``perform(_:context:)`` of one.
  @discardableResult
  public func perform(_ command: Command, context: CommandContext) throws -> Plan {
    try perform([command], context: context)
  }

  /// Writes the plan `planner` makes from the freshest state (under the log's lock).
  ///
  /// The private part is written after the shared append succeeds, or alone when the plan is
  /// private-only; it never reaches the shared log.
  @discardableResult
  public func perform(_ planner: (LearningState) throws -> Plan) throws -> Plan {
    var made: Plan?
    let written = try store.append { caughtUp in
      if !caughtUp.isEmpty {
        if !self.store.lastCatchUpReplaced && self.state.acceptsInOrder(caughtUp) {
          for r in caughtUp { self.state.apply(r) }
        } else {
          self.state = LearningState.replay(self.store.records)
        }
      }
      let plan = try planner(self.state)
      made = plan
      for draft in plan.shared where EventType.privateOnly.contains(draft.type) {
        throw DomainError(
          "refusing to write a private \(draft.type) record to the shared log")
      }
      if !plan.private.isEmpty && self.privateStore == nil {
        throw DomainError("a private note needs the private file; none is configured")
      }
      return plan.shared
    }
    guard let plan = made else { throw StoreError.io("nothing was planned") }
    for record in written { state.apply(record) }
    if let privateStore {
      for draft in plan.private { try privateStore.append(draft) }
    }
    return plan
  }

  /// Writes lines `planner` encodes itself from the freshest state (under the log's lock),
  /// then applies them to the state as the plan says.
  ///
  /// ``perform(_:)`` for large batches of one kind (see ``LogStore/appendEncoded(_:)``):
  /// `planner` returns nil to write nothing. All or nothing, as there: when `planner`
  /// throws or the write fails, no line is in the log and the state is unchanged.
  ///
  /// The plan is applied to a copy of the state on a second thread while the lines are
  /// written and synced, and with a `snapshotCache` that state is encoded for its snapshot
  /// there too (``EncodedPlan/snapshot``, by ``SnapshotCache/encodeForSave(_:capacity:)``, for
  /// ``SnapshotCache/save(_:of:encoded:)``); the copy becomes the state once the lines are
  /// synced. The plan's lines are let go once written (``EncodedLines/count`` stays).
  @discardableResult
  public func performEncoded(
    snapshotCache: SnapshotCache? = nil,
    _ planner: (LearningState, AppendStamp) throws -> EncodedPlan?
  ) throws -> EncodedPlan? {
    /// The state after the plan, made on the second thread.
    final class Ahead: @unchecked Sendable {
      var state: LearningState
      let apply: (inout LearningState) -> Void
      // Used by the second thread only until the group is waited for.
      let cache: SnapshotCache?
      /// Whether the cache writes through the store's own file system, which the first thread
      /// uses meanwhile.
      let sharesFileSystem: Bool
      var snapshot: SnapshotCache.EncodedState?
      init(
        _ state: LearningState, _ apply: @escaping (inout LearningState) -> Void,
        cache: SnapshotCache?, sharesFileSystem: Bool
      ) {
        self.state = state
        self.apply = apply
        self.cache = cache
        self.sharesFileSystem = sharesFileSystem
      }
    }
    var made: EncodedPlan?
    var ahead: Ahead?
    let group = DispatchGroup()
    do {
      try store.appendEncoded { caughtUp, stamp in
        if !caughtUp.isEmpty {
          if !self.store.lastCatchUpReplaced && self.state.acceptsInOrder(caughtUp) {
            for r in caughtUp { self.state.apply(r) }
          } else {
            self.state = LearningState.replay(self.store.records)
          }
        }
        guard let plan = try planner(self.state, stamp), plan.lines.count > 0 else { return nil }
        made = plan
        let a = Ahead(
          self.state, plan.apply, cache: snapshotCache,
          sharesFileSystem: snapshotCache.map { $0.fileSystem === self.store.fileSystem } ?? false)
        ahead = a
        let capacity =
          self.store.coveredPrefix.length + plan.lines.chunks.reduce(0) { $0 + $1.count }
        DispatchQueue.global().async(group: group) {
          a.apply(&a.state)
          // A file system is not assumed safe to use from two threads at once (the real one
          // keeps the paths of its descriptors; a test's keeps the files): through the
          // store's own one the region is encoded in memory instead of to an unnamed file.
          if a.sharesFileSystem {
            a.snapshot = try? SnapshotCache.encodeState(a.state, capacity: capacity)
          } else {
            a.snapshot = try? a.cache?.encodeForSave(a.state, capacity: capacity)
          }
        }
        return plan.lines
      }
    } catch {
      group.wait()
      throw error
    }
    // Written: the lines' bytes are not needed while the snapshot is still being encoded.
    made?.lines.chunks = []
    group.wait()
    guard var plan = made, let a = ahead else { return nil }
    state = a.state
    plan.snapshot = a.snapshot
    return plan
  }

  /// Every private record (notes and growth items), in file order.
  public func privateRecords() throws -> [Record] {
    let fm = FileManager.default
    guard let privateStore, fm.fileExists(atPath: privateStore.path) else { return [] }
    return try privateStore.records()
  }

  /// The state with the private notes replayed in too (for an export that asks for them).
  public func stateWithPrivate() throws -> LearningState {
    let priv = try privateRecords()
    if priv.isEmpty { return state }
    if let mine = state.withPrivate(priv) { return mine }
    return LearningState.replay(store.records + priv)
  }

  /// The state of the shared records whose entity is in `keep`, the factors and timeline
  /// entries of those incidents, and every template and checklist.
  ///
  /// Used to export one team or period with the same encoders as the whole log.
  public func state(keeping keep: Set<String>, includePrivate: Bool = false) throws
    -> LearningState
  {
    let templates = Set(state.templateRevisions.keys).union(state.checklists.keys)
    let followUp: Set<String> = [EventType.factorAdded, EventType.timelineAdded]
    var records = store.records.filter {
      keep.contains($0.entity) || templates.contains($0.entity)
        || (followUp.contains($0.type)
          && ($0.body["incident"]?.stringValue.map { keep.contains($0) } ?? false))
    }
    if includePrivate {
      records += try privateRecords().filter { r in
        r.body["incident"]?.stringValue.map { keep.contains($0) } ?? false
      }
    }
    return LearningState.replay(records)
  }
}

/// Lines a planner encoded itself and what applying them does to the state (see
/// ``Workspace/performEncoded(_:)``).
public struct EncodedPlan {
  /// The lines to append.
  public var lines: EncodedLines
  /// Applies the written lines to a state, as replaying them would.
  public var apply: (inout LearningState) -> Void
  /// The state after the lines encoded for its snapshot, when asked for.
  public var snapshot: SnapshotCache.EncodedState?

  /// A plan of every part given.
  public init(lines: EncodedLines, apply: @escaping (inout LearningState) -> Void) {
    self.lines = lines
    self.apply = apply
  }
}
