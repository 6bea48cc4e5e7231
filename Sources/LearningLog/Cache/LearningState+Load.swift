import Dispatch
import Foundation
import WorkCounting

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
    #if canImport(Glibc)
      // A first open of a large log freed the chunks it read and the records it prepared: that
      // memory goes back before the caller builds on the state (the allocator keeps it
      // otherwise: the app held 54 MB more at rest after a first open of 1M events).
      if !fromSnapshot, store.coveredPrefix.length >= 16 << 20 { _ = releaseFreedMemory(0) }
    #endif
    report(.done, 1, 1)
    return (store, state)
  }

  /// Reads the log in chunks and applies each record as it is read, keeping none.
  ///
  /// Worker threads check each chunk and decode its records into the values applying them
  /// stores (``PreparedRecord``), on both cores, while this thread applies the chunk before
  /// in order. Nil (the caller then opens the usual way, which reports damage precisely and
  /// sorts) when a line is damaged or a record is out of replay order. Stops at the last
  /// newline.
  ///
  /// Up to four chunks are held at once (applied, decoded, being decoded, being freed), each
  /// with its decoded records: 2 MiB chunks keep that near 20 MB beside the state. (With 8 MiB
  /// the first open of a 284 MB log peaked at 451–457 MB, with 2 MiB at 407 MB, no slower.)
  static func streamReplay(
    _ store: LogStore, size: Int, policy: PolicySettings, chunkBytes: Int = 2 << 20,
    _ report: (LoadProgress.Phase, Int, Int) -> Void
  ) -> (LogPrefix, LearningState)? {
    var state = LearningState(policy: policy)
    // Sizes guessed from the file (about 280 bytes a record, ten records an incident).
    state.appliedIDs.reserveCapacity(size / 250)
    state.incidents.reserveCapacity(size / 2500)
    state.incidentOrder.reserveCapacity(size / 2500)
    state.actions.reserveCapacity(size / 2500)
    state.actionOrder.reserveCapacity(size / 2500)
    state.actionsByIncident.reserveCapacity(size / 2500)
    var lines = 0
    // The last record applied: its clock, id and writer (a place in `lastNames`).
    var last: (clock: HybridTimestamp, writer: Int, hi: UInt64, lo: UInt64)?
    var lastNames: [String] = []
    var chunk = chunkBytes
    let reader = ScanSlot.Reader(store: store)
    // Each chunk is read and checked on a worker; this thread applies the one before.
    var slot = ScanSlot.start(reader, offset: 0, count: min(chunk, size), header: nil)
    var covered = 0
    var hot = HotEntities()
    var following: ScanSlot?
    // The most records decoded in one chunk: about what is held beside the state.
    var peakHeld = 0
    // The bytes of the chunk applied last, handed back for a later read once nothing here
    // holds them (a buffer shared with a live copy would be copied, not reused).
    var spent: [UInt8]?
    while true {
      if let s = spent {
        spent = nil
        reader.buffers.give(s)
      }
      slot.done.wait()
      guard let bytes = slot.bytes, !bytes.isEmpty else { return nil }
      guard let chunkEnd = slot.end else {
        if slot.offset + bytes.count < size {
          chunk *= 2  // a line longer than the chunk
          slot = ScanSlot.start(
            reader, offset: slot.offset, count: min(chunk, size - slot.offset),
            header: slot.header)
          continue
        }
        break  // an incomplete last line: left to the store
      }
      let end = slot.offset + chunkEnd
      // The chunk after this one may have been started while the one before was applied.
      let next: ScanSlot? =
        following
        ?? (end < size
          ? ScanSlot.start(reader, offset: end, count: min(chunk, size - end), header: slot.header)
          : nil)
      following = nil
      // Once the next chunk is read (its last newline known), the one after it is started
      // too: the workers then have a chunk to decode for as long as this thread applies one
      // (two chunks ahead at most; one read at a time).
      func startFollowing() {
        guard following == nil, let n = next, n.isRead(), n.bytes != nil, let e = n.end else {
          return
        }
        let start = n.offset + e
        if start < size {
          following = ScanSlot.start(
            reader, offset: start, count: min(chunk, size - start), header: n.header)
        }
      }
      guard slot.isClean(first: slot.offset == 0) else { return nil }
      let current = slot
      // A record the worker did not prepare whole is decoded again the usual way.
      let usual = { (start: Int, count: Int) -> Record? in
        bytes.withUnsafeBytes { raw -> Record? in
          guard start >= 0, count >= 0, start + count <= raw.count,
            case .success(let r) = RecordCodec.decodeRecord(
              UnsafeRawBufferPointer(rebasing: raw[start..<start + count]))
          else { return nil }
          return r
        }
      }
      var inOrder = true
      peakHeld = max(peakHeld, current.parts.reduce(0) { $0 + $1.prepared.records.count })
      for part in current.parts.indices {
        // Taken out of the slot: a local batch is surely unique, so taking values out of its
        // tables never copies them.
        var batch = PreparedBatch()
        swap(&batch, &current.parts[part].prepared)
        let names = current.parts[part].names
        defer { current.parts[part].prepared = batch }
        var cursors = PreparedBatch.Cursors()
        for i in batch.records.indices {
          let r = batch.records[i]
          if let l = last {
            let after: Bool
            if r.clock != l.clock {
              after = l.clock < r.clock
            } else {
              let w = names[r.writer]
              let lw = lastNames[l.writer]
              after = w != lw ? lw < w : (l.hi != r.idHi ? l.hi < r.idHi : l.lo < r.idLo)
            }
            if !after {
              inOrder = false
              break
            }
          }
          last = (r.clock, r.writer, r.idHi, r.idLo)
          if i == 0 { lastNames = names }
          state.appliedIDs.appendPacked(r.idHi, r.idLo)
          if i & 4095 == 0 { startFollowing() }
          if !state.applyPrepared(r, from: &batch, at: &cursors, hot: &hot, usual: usual) {
            inOrder = false
            break
          }
        }
        if !inOrder { break }
      }
      if !inOrder { return nil }
      lines += current.lines(first: current.offset == 0)
      covered = end
      // What is left of the chunk is freed on a worker thread, not this one.
      current.releaseInBackground()
      spent = current.takeBytes()
      report(.reading, end, size)
      guard let n = next else { break }
      slot = n
    }
    guard lines > 0, covered > 0 else { return nil }
    WorkCounter.count("log records held at peak", peakHeld)
    WorkCounter.count("chunk buffers made", reader.buffers.made)
    let end = covered
    if let last {
      state.lastClock = last.clock
      state.lastWriter = lastNames[last.writer]
      state.lastID = EventID(rawValue: AppliedIDs.unpack(last.hi, last.lo))
    }
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
  /// Reads the log on a worker thread (one read at a time: each waits for the one before).
  struct Reader: @unchecked Sendable {
    let store: LogStore
    /// The buffers of chunks already applied, read into again.
    let buffers = ChunkBuffers()
  }

  /// Chunk buffers handed back once their chunk is applied and taken for the next read.
  ///
  /// Reading every chunk into a fresh buffer left the allocator's heap fragmented by 2 MiB
  /// holes among the state's entities (an open's peak about 10 MB higher at 250k events) and
  /// had every chunk's pages faulted in anew.
  final class ChunkBuffers: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [[UInt8]] = []
    /// How many buffers are kept at most: as many as chunks are held at once.
    static let kept = 4

    private var madeCount = 0

    /// A buffer to read into: empty, or the bytes of a chunk already applied.
    func take() -> [UInt8] {
      lock.withLock { free.popLast() } ?? []
    }

    /// Notes that a chunk was read into a buffer made for it.
    func noteMade() { lock.withLock { madeCount += 1 } }

    /// How many chunks were read into a buffer made for them.
    var made: Int { lock.withLock { madeCount } }

    /// Hands `buffer` back for a later chunk.
    func give(_ buffer: [UInt8]) {
      lock.withLock {
        if free.count < Self.kept { free.append(buffer) }
      }
    }
  }

  /// Where the chunk starts in the file.
  let offset: Int
  /// Set by the worker before `done` is signalled; read only after waiting on it.
  var parts: [LogScanner.Scan] = []
  /// The chunk's bytes (prepared records point into them); nil when the read failed.
  var bytes: [UInt8]?
  /// Offset after the chunk's last newline, nil when it holds none.
  var end: Int?
  /// The log's first line (the header), from the first chunk on.
  var header: [UInt8]?
  let done = DispatchSemaphore(value: 0)
  /// Signalled once ``bytes`` and ``end`` are set (before the chunk is decoded).
  let read = DispatchSemaphore(value: 0)
  /// Whether ``read`` was seen signalled (by the one thread that asks ``isRead()``).
  private var readSeen = false

  init(offset: Int, header: [UInt8]?) {
    self.offset = offset
    self.header = header
  }

  /// Whether the chunk has been read (``bytes`` and ``end`` may be used), without waiting.
  func isRead() -> Bool {
    if !readSeen, read.wait(timeout: .now()) == .success { readSeen = true }
    return readSeen
  }

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

  /// Frees what is left of the decoded records on a worker thread: the caller's thread is
  /// the one every record waits on.
  func releaseInBackground() {
    let taken = Box(parts)
    parts = []
    DispatchQueue.global(qos: .utility).async { taken.value = [] }
  }

  /// The chunk's bytes, taken out of the slot (for ``ChunkBuffers``).
  func takeBytes() -> [UInt8]? {
    var out: [UInt8]?
    swap(&out, &bytes)
    return out
  }

  /// Holds what one thread hands to another to free.
  private final class Box: @unchecked Sendable {
    var value: [LogScanner.Scan]
    init(_ value: [LogScanner.Scan]) { self.value = value }
  }

  /// Reads `count` bytes at `offset` and scans them up to their last newline; a line equal
  /// to `header` (after the first chunk) is skipped.
  ///
  /// The chunk is cut at a newline near its middle and the halves are checked and decoded on
  /// two threads (both cores), while the caller applies the chunk before.
  static func start(_ reader: Reader, offset: Int, count: Int, header: [UInt8]?) -> ScanSlot {
    let slot = ScanSlot(offset: offset, header: header)
    DispatchQueue.global(qos: .userInitiated).async {
      defer { slot.done.signal() }
      var readSignalled = false
      defer { if !readSignalled { slot.read.signal() } }
      guard let bytes = read(reader, offset: offset, count: count) else { return }
      slot.bytes = bytes
      guard let lastNL = bytes.lastIndex(of: 0x0A) else { return }
      let first = offset == 0
      if first, let nl = bytes.firstIndex(of: 0x0A) { slot.header = Array(bytes[0..<nl]) }
      slot.end = lastNL + 1
      slot.read.signal()
      readSignalled = true
      let header = slot.header ?? []
      slot.parts = bytes.withUnsafeBytes { raw in
        header.withUnsafeBytes { h in
          scanInHalves(raw, end: lastNL + 1, first: first, header: h.isEmpty ? nil : h)
        }
      }
    }
    return slot
  }

  /// `count` bytes at `offset` (fewer at the end of the file), read into a buffer of an
  /// applied chunk when there is one; nil when the read fails.
  private static func read(_ reader: Reader, offset: Int, count: Int) -> [UInt8]? {
    var buffer = reader.buffers.take()
    guard buffer.capacity >= count else {
      reader.buffers.noteMade()
      return try? reader.store.readBytes(offset: offset, count: count)
    }
    // The bytes of the chunk before are read over, not cleared first.
    if buffer.count < count {
      buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
    } else if buffer.count > count {
      buffer.removeLast(buffer.count - count)
    }
    let n = buffer.withUnsafeMutableBytes { raw in
      try? reader.store.readBytes(offset: offset, into: raw)
    }
    guard let n else { return nil }
    buffer.removeLast(count - n)
    return buffer
  }

  /// Scans `raw[..<end]` in two halves on two threads (one when it is small), in file order.
  static func scanInHalves(
    _ raw: UnsafeRawBufferPointer, end: Int, first: Bool, header: UnsafeRawBufferPointer?
  ) -> [LogScanner.Scan] {
    let whole = {
      [
        LogScanner.scan(
          raw, start: 0, lines: first ? 0 : 1, end: end, header: first ? nil : header,
          prepare: true)
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
          header: first ? nil : shared.header, prepare: true)
        : LogScanner.scan(
          shared.raw, start: mid, lines: 1, end: end, header: shared.header, prepare: true)
    }
    guard let a = out[0].take(), let b = out[1].take(), a.newerFormat == nil, a.completeEnd == mid
    else {
      return whole()
    }
    return [a, b]
  }
}

#if canImport(Glibc)
  /// glibc's `malloc_trim`: gives the allocator's free memory back to the system (not exported
  /// by the Glibc module).
  @_silgen_name("malloc_trim")
  private func releaseFreedMemory(_ pad: Int) -> Int32
#endif
