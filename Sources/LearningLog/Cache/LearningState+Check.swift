/// What `learnlog check` learns about a log: its problems, or its replayed state.
public struct LogCheck: Sendable {
  /// The log's classification, with no records (``LogInspection/validCount`` counts them).
  public var inspection: LogInspection
  /// What is known about each damaged line.
  public var damage: [DamageDiagnosis]
  /// The replay of every record when the log is clean; nil when it is not.
  public var state: LearningState?
}

extension LearningState {
  /// Checks every line of the log at `path` and, when it is clean, replays it, changing
  /// nothing and never holding every record.
  ///
  /// A clean log in replay order (what learnlog writes) is checked and replayed in one pass
  /// of chunks, as an open without a snapshot does (``streamReplay(_:size:policy:chunkBytes:_:)``);
  /// anything else is diagnosed in a streaming pass (``LogStore/diagnose(path:fileSystem:)``)
  /// and, only when that finds it clean (records out of replay order, as a union merge
  /// leaves), replayed the usual way. The state equals ``replay(_:policy:)`` of every record.
  public static func check(
    path: String, fileSystem fs: any FileSystem = RealFileSystem(),
    policy: PolicySettings = PolicySettings()
  ) throws(StoreError) -> LogCheck {
    if let clean = try checkInOnePass(path: path, fileSystem: fs, policy: policy) {
      return clean
    }
    let (inspection, damage) = try LogStore.diagnose(path: path, fileSystem: fs)
    guard inspection.isClean, inspection.newerFormat == nil else {
      return LogCheck(inspection: inspection, damage: damage, state: nil)
    }
    let store = try LogStore.open(path: path, fileSystem: fs, readOnly: true)
    let state = replay(store.records, policy: policy)
    store.releaseRecords()
    return LogCheck(inspection: inspection, damage: damage, state: state)
  }

  /// The check of a clean log in replay order, in one streaming pass; nil when the log is
  /// anything else (damaged, torn, out of order, of a newer format).
  static func checkInOnePass(
    path: String, fileSystem fs: any FileSystem, policy: PolicySettings,
    chunkBytes: Int = 2 << 20
  ) throws(StoreError) -> LogCheck? {
    let (fd, st, _) = try LogStore.openChecked(path: path, fileSystem: fs, readOnly: true)
    let store = LogStore(
      path: path, fileSystem: fs, readOnly: true, permissions: 0o644, notice: { _ in },
      descriptor: fd, inode: st.inode)
    guard
      let (covered, state) = streamReplay(
        store, size: st.size, policy: policy, chunkBytes: chunkBytes, { _, _, _ in }),
      covered.length == st.size, try store.resume(from: covered, size: st.size),
      store.loadedRecords.isEmpty
    else { return nil }
    let inspection = LogInspection(
      path: path, fileSize: st.size, header: store.header, newerFormat: nil, records: [],
      validCount: state.appliedIDs.count, validEnd: covered.length, tornTail: nil, damaged: [],
      conflictMarkers: [])
    return LogCheck(inspection: inspection, damage: [], state: state)
  }
}
