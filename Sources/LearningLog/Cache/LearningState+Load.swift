import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How far opening a log has got, for a progress line on long opens.
public struct LoadProgress: Sendable, Hashable {
  /// The step under way.
  public enum Phase: String, Sendable, Hashable {
    /// Checking the snapshot cache against the log.
    case checkingCache = "checking the cache"
    /// Reading and checking the log's lines.
    case reading = "reading"
    /// Replaying records into state.
    case replaying = "replaying"
    /// Writing a new snapshot.
    case savingCache = "saving the cache"
    /// Ready.
    case done = "done"
  }

  /// The step under way.
  public var phase: Phase
  /// Units done in this step (bytes while reading, records while replaying).
  public var completed: Int
  /// Units in this step.
  public var total: Int
  /// Seconds since the open began: show progress only once this passes a moment (~0.2 s).
  public var elapsed: Double

  /// A progress report.
  public init(phase: Phase, completed: Int, total: Int, elapsed: Double) {
    self.phase = phase
    self.completed = completed
    self.total = total
    self.elapsed = elapsed
  }

  /// `completed / total`, between 0 and 1.
  public var fraction: Double { total > 0 ? min(1, Double(completed) / Double(total)) : 1 }

  /// One line for people: `opening the log: reading 45% (1.2 s)`.
  public var line: String {
    "opening the log: \(phase.rawValue) \(Int(fraction * 100))% "
      + "(\(Int(elapsed * 10) / 10).\(Int(elapsed * 10) % 10) s)"
  }

  /// Whether an open has taken long enough that people should see how far it is (0.2 s).
  public var isWorthShowing: Bool { elapsed >= 0.2 && phase != .done }
}

extension LearningState {
  /// Opens the log at `path` and returns it with its replayed state: the one entry point.
  ///
  /// With a `cache`, a snapshot that matches the log (store id, path, inode, a fingerprint
  /// of the prefix it covers) gives the state of that prefix and only the records after it
  /// are read and applied; without one, or when it does not match, every record is read
  /// and replayed and a new snapshot written. A tail holding records that sort before the
  /// snapshot's last one (a merge brought older records) replays everything, so the state
  /// always equals ``replay(_:policy:)`` of every record. Errors are those of
  /// ``LogStore/open(path:fileSystem:readOnly:notice:)``; cache problems are never errors.
  /// The store's records are not kept in memory afterwards: ``LogStore/records`` reads them
  /// again on first use.
  ///
  /// With `lazy`, a matching snapshot is not decoded whole: incidents, actions and the
  /// action index stay in it and decode one by one as they are read (``EntityMap``), each
  /// block of the snapshot checked on first use. A command that touches a few entities
  /// (`action done`) then costs a fraction of a full open; walking every entity still works
  /// and decodes as it goes, and ``materialize()`` decodes everything at once.
  public static func load(
    path: String, fileSystem: any FileSystem = RealFileSystem(), readOnly: Bool = false,
    lazy: Bool = false, cache: SnapshotCache? = nil, policy: PolicySettings = PolicySettings(),
    notice: @escaping (String) -> Void = { _ in },
    progress: ((LoadProgress) -> Void)? = nil
  ) throws -> (store: LogStore, state: LearningState) {
    let started = monotonicSeconds()
    func report(_ phase: LoadProgress.Phase, _ done: Int, _ total: Int) {
      progress?(
        LoadProgress(
          phase: phase, completed: done, total: total, elapsed: monotonicSeconds() - started))
    }
    var cached: LearningState?
    var fromSnapshot = false
    var missReason = "no cache"
    var fileSize = 0
    let (store, resumed) = try LogStore.open(
      path: path, fileSystem: fileSystem, readOnly: readOnly, notice: notice
    ) { store, status in
      fileSize = status.size
      if let cache {
        report(.checkingCache, 0, status.size)
        switch cache.lookup(store: store, status: status, policy: policy, lazy: lazy) {
        case .hit(let covered, let state):
          cached = state
          fromSnapshot = true
          report(.reading, covered.length, status.size)
          return covered
        case .miss(let reason):
          missReason = reason
        }
      }
      // No snapshot: read and apply the log chunk by chunk, keeping no records.
      guard let (covered, state) = streamReplay(store, size: status.size, policy: policy, report)
      else { return nil }
      cached = state
      return covered
    }
    report(.reading, fileSize, fileSize)
    var state: LearningState
    var tailBytes = 0
    if let resumed, cached?.acceptsInOrder(store.loadedRecords) == true,
      var s = cached.take()
    {
      // `cached` is emptied first: a second reference would make the first change to an
      // entity copy its whole dictionary.
      for r in store.loadedRecords { s.apply(r) }
      state = s
      tailBytes = store.coveredPrefix.length - resumed.length
      cache?.lastUse =
        fromSnapshot ? .hit(tailRecords: store.loadedRecords.count) : .rebuilt(reason: missReason)
    } else {
      if resumed != nil && fromSnapshot {
        missReason = "records older than the snapshot were merged in"
      }
      let records = store.records
      state = replay(records, policy: policy) { done in
        report(.replaying, done, records.count)
      }
      cache?.lastUse = .rebuilt(reason: missReason)
    }
    report(.replaying, 1, 1)
    if let cache {
      let covered = store.coveredPrefix.length
      let stale = !fromSnapshot || tailBytes > max(1 << 20, covered / 8)
      cache.lastSaveSucceeded = nil
      cache.lastSaveError = nil
      if stale {
        report(.savingCache, 0, 1)
        do {
          try cache.save(state, of: store)
          cache.lastSaveSucceeded = true
        } catch {
          cache.lastSaveSucceeded = false
          cache.lastSaveError = "\(error)"
        }
      }
    }
    store.releaseRecords()
    report(.done, 1, 1)
    return (store, state)
  }

  /// Reads the log in chunks and applies each record as it is read, keeping none.
  ///
  /// A worker thread checks and decodes the next chunk while this one applies the current
  /// one. Nil (the caller then opens the usual way, which reports damage precisely and
  /// sorts) when a line is damaged or a record is out of replay order. Stops at the last
  /// newline.
  static func streamReplay(
    _ store: LogStore, size: Int, policy: PolicySettings,
    _ report: (LoadProgress.Phase, Int, Int) -> Void
  ) -> (LogPrefix, LearningState)? {
    var state = LearningState(policy: policy)
    // Sizes guessed from the file (about 250 bytes a record, ten records an incident).
    state.appliedIDs.reserveCapacity(size / 250)
    state.incidents.reserveCapacity(size / 3000)
    state.incidentOrder.reserveCapacity(size / 3000)
    state.actions.reserveCapacity(size / 3000)
    state.actionOrder.reserveCapacity(size / 3000)
    state.actionsByIncident.reserveCapacity(size / 3000)
    var pos = 0
    var lines = 0
    var last: (clock: HybridTimestamp, writer: String, id: EventID)?
    var chunk = 8 << 20
    var pending: (slot: ScanSlot, end: Int, first: Bool)?
    var headerLine: [UInt8] = []
    while true {
      var next: (slot: ScanSlot, end: Int, first: Bool)?
      if pos < size {
        guard let bytes = try? store.readBytes(offset: pos, count: min(chunk, size - pos)),
          !bytes.isEmpty
        else { return nil }
        if let lastNL = bytes.lastIndex(of: 0x0A) {
          let first = pos == 0
          if first, let nl = bytes.firstIndex(of: 0x0A) { headerLine = Array(bytes[0..<nl]) }
          next = (
            ScanSlot.start(bytes, end: lastNL + 1, first: first, header: headerLine),
            pos + lastNL + 1, first
          )
          pos += lastNL + 1
        } else if pos + bytes.count < size {
          chunk *= 2  // a line longer than the chunk
          continue
        } else {
          pos = size  // an incomplete last line: left to the store
        }
      }
      if let p = pending {
        p.slot.done.wait()
        guard p.slot.isClean(first: p.first) else { return nil }
        var inOrder = true
        var lastRecord: (clock: HybridTimestamp, writer: String, id: EventID)? = last
        for part in p.slot.parts.indices {
          // Borrow each record from the slot's buffer: no copy, no retain per field.
          inOrder = p.slot.parts[part].records.withUnsafeBufferPointer { b -> Bool in
            for i in b.indices {
              if let l = lastRecord {
                let c = b[i].clock
                let after =
                  c != l.clock
                  ? l.clock < c
                  : (b[i].writer != l.writer ? l.writer < b[i].writer : l.id < b[i].id)
                if !after { return false }
              }
              state.apply(b[i])
              lastRecord = (b[i].clock, b[i].writer, b[i].id)
            }
            return true
          }
          if !inOrder { break }
        }
        if !inOrder { return nil }
        last = lastRecord
        lines += p.slot.lines(first: p.first)
        // The decoded records (a JSON tree each) are freed on a worker thread, not this one.
        p.slot.releaseInBackground()
        report(.reading, p.end, size)
      }
      guard let n = next else { break }
      pending = n
    }
    guard lines > 0, let end = pending?.end else { return nil }
    return (LogPrefix(length: end, lines: lines, clock: last?.clock), state)
  }

  /// Whether `records`, in file order, all replay after what this state has applied and
  /// in order among themselves (so applying them one by one equals a full replay).
  func acceptsInOrder(_ records: [Record]) -> Bool {
    guard var last = lastClock.map({ (clock: $0, writer: lastWriter, id: lastID) }) else {
      return records.isEmpty
        || zip(records, records.dropFirst()).allSatisfy { Record.replayOrder($0, $1) }
    }
    for r in records {
      let after: Bool
      if r.clock != last.clock {
        after = last.clock < r.clock
      } else if r.writer != last.writer {
        after = last.writer < r.writer
      } else {
        after = last.id < r.id
      }
      if !after { return false }
      last = (r.clock, r.writer, r.id)
    }
    return true
  }

  static func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
  }
}

/// One chunk of a log, checked and decoded on worker threads.
///
/// The chunk is decoded in up to two parts (halves on two threads), kept apart in file order:
/// joining them would copy every record once more.
final class ScanSlot: @unchecked Sendable {
  /// Set by the workers before `done` is signalled; read only after waiting on it.
  var parts: [LogScanner.Scan] = []
  let done = DispatchSemaphore(value: 0)

  /// Whether every part decoded without damage, conflict or newer format (and the first
  /// chunk had its header).
  func isClean(first: Bool) -> Bool {
    guard !parts.isEmpty else { return false }
    for p in parts where p.newerFormat != nil || !p.damaged.isEmpty || !p.conflicts.isEmpty {
      return false
    }
    return !first || parts[0].header != nil
  }

  /// Complete lines in the chunk (a chunk after the first counts its lines from 1).
  func lines(first: Bool) -> Int {
    var n = 0
    for (i, p) in parts.enumerated() {
      n += (i == 0 && first) ? p.lines : p.lines - 1
    }
    return n
  }

  /// Frees the decoded records on a worker thread: a million JSON trees take as long to
  /// free as to apply, and the caller's thread is the one every record waits on.
  func releaseInBackground() {
    let taken = Box(parts)
    parts = []
    DispatchQueue.global(qos: .utility).async { taken.value = [] }
  }

  /// Holds what one thread hands to another to free.
  private final class Box: @unchecked Sendable {
    var value: [LogScanner.Scan]
    init(_ value: [LogScanner.Scan]) { self.value = value }
  }

  /// Scans `bytes[..<end]`; a line equal to `header` (after the first chunk) is skipped.
  ///
  /// The chunk is cut at a newline near its middle and the halves are checked and decoded on
  /// two threads (both cores), while the caller applies the chunk before.
  static func start(_ bytes: [UInt8], end: Int, first: Bool, header: [UInt8]) -> ScanSlot {
    let slot = ScanSlot()
    DispatchQueue.global(qos: .userInitiated).async {
      slot.parts = bytes.withUnsafeBytes { raw in
        header.withUnsafeBytes { h in
          scanInHalves(raw, end: end, first: first, header: h.isEmpty ? nil : h)
        }
      }
      slot.done.signal()
    }
    return slot
  }

  /// Scans `raw[..<end]` in two halves on two threads (one when it is small), in file order.
  static func scanInHalves(
    _ raw: UnsafeRawBufferPointer, end: Int, first: Bool, header: UnsafeRawBufferPointer?
  ) -> [LogScanner.Scan] {
    let whole = {
      [
        LogScanner.scan(
          raw, start: 0, lines: first ? 0 : 1, end: end, header: first ? nil : header)
      ]
    }
    guard end >= 1 << 20, let base = raw.baseAddress, header != nil,
      let nl = memchr(base + end / 2, 0x0A, end - end / 2)
    else { return whole() }
    let mid = base.distance(to: UnsafeRawPointer(nl)) + 1
    guard mid < end else { return whole() }
    /// The two threads read the same immutable bytes and write disjoint slots.
    struct Shared: @unchecked Sendable {
      let raw: UnsafeRawBufferPointer
      let header: UnsafeRawBufferPointer?
      let out: UnsafeMutablePointer<LogScanner.Scan?>
    }
    let out = UnsafeMutablePointer<LogScanner.Scan?>.allocate(capacity: 2)
    out.initialize(repeating: nil, count: 2)
    defer {
      out.deinitialize(count: 2)
      out.deallocate()
    }
    let shared = Shared(raw: raw, header: header, out: out)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      shared.out[i] =
        i == 0
        ? LogScanner.scan(
          shared.raw, start: 0, lines: first ? 0 : 1, end: mid,
          header: first ? nil : shared.header)
        : LogScanner.scan(shared.raw, start: mid, lines: 1, end: end, header: shared.header)
    }
    guard let a = out[0].take(), let b = out[1].take(), a.newerFormat == nil, a.completeEnd == mid
    else {
      return whole()
    }
    return [a, b]
  }
}
