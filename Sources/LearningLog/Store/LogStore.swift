import Dispatch
import Foundation

/// What ``LogStore/refresh()`` found.
public enum StoreChange: Equatable, Sendable {
  /// Nothing new.
  case unchanged
  /// Records other processes appended, in file order.
  case appended([Record])
  /// The file was replaced (new inode or a different prefix): every record was reloaded.
  case replaced
}

/// The append-only, checksummed JSON Lines log (see `docs/log-format.md`).
///
/// One instance belongs to one thread. Other processes may append to the same file at
/// the same time: every append takes an exclusive `flock` on `<path>.lock`, catches up
/// with what they wrote, and writes its lines with one `write()` followed by `fdatasync`.
public final class LogStore {
  /// The log file.
  public let path: String
  /// The header of the file.
  public internal(set) var header: LogHeader
  /// Every valid record, in file order.
  ///
  /// After an open that resumed from a snapshot (``LearningState/load(path:fileSystem:readOnly:cache:policy:notice:progress:)``)
  /// the records the snapshot covers are read from the file on first use.
  public var records: [Record] {
    if lazyPrefix != nil { loadPrefix() }
    return loadedRecords
  }
  /// The records read so far (after ``lazyPrefix`` when it is set).
  var loadedRecords: [Record]
  /// A prefix of the file whose records are not in memory yet.
  var lazyPrefix: LogPrefix?
  /// Whether the store was opened read-only (asked for, or the file could not be opened for
  /// writing: see ``readOnlyReason``).
  public let isReadOnly: Bool
  /// Why an open for writing fell back to reading (`Permission denied`, `Read-only file
  /// system`); nil when read-only was asked for or the store is writable.
  public internal(set) var readOnlyReason: String?
  /// Whether a failed write or sync made the store read-only for the rest of this session.
  public var isSessionReadOnly: Bool { sessionReadOnlyReason != nil }
  /// What failed when the session became read-only (the failed call and its error).
  public private(set) var sessionReadOnlyReason: String?
  /// The writer id stamped on new records; resolved by ``WriterIdentity`` when nil.
  public var writerID: String?
  /// The wall clock in milliseconds (tests may replace it).
  public var wallClock: () -> Int64 = HybridClock.wallMilliseconds
  /// The hybrid logical clock, past every record read or written.
  public internal(set) var clock: HybridClock

  let fileSystem: any FileSystem
  let permissions: UInt32
  var descriptor: FileDescriptor
  var inode: UInt64
  /// Offset after the last complete line read.
  var endOffset: Int
  /// Complete lines read, header included.
  var lineCount: Int
  var headerBytes: [UInt8]
  /// The last bytes before `endOffset`, to notice a rewritten prefix.
  var tailBytes: [UInt8]
  var lockDescriptor: FileDescriptor?
  /// Whether the last append found the file replaced (its records were all read again).
  var lastCatchUpReplaced = false
  let notice: (String) -> Void
  static let tailCheckBytes = 4096

  init(
    path: String, fileSystem: any FileSystem, readOnly: Bool, permissions: UInt32,
    notice: @escaping (String) -> Void, descriptor: FileDescriptor, inode: UInt64
  ) {
    self.path = path
    self.fileSystem = fileSystem
    self.isReadOnly = readOnly
    self.permissions = permissions
    self.notice = notice
    self.descriptor = descriptor
    self.inode = inode
    self.header = LogHeader(storeID: "", created: 0)
    self.loadedRecords = []
    self.clock = HybridClock()
    self.endOffset = 0
    self.lineCount = 0
    self.headerBytes = []
    self.tailBytes = []
  }

  deinit {
    fileSystem.close(descriptor)
    if let l = lockDescriptor { fileSystem.close(l) }
  }

  static func wrap<T>(_ body: () throws -> T) throws(StoreError) -> T {
    do {
      return try body()
    } catch let e as StoreError {
      throw e
    } catch let e as FileSystemError {
      if e.code == ENOENT && e.operation == "open" { throw StoreError.notFound(path: e.path) }
      throw StoreError.io(e.description)
    } catch {
      throw StoreError.io("\(error)")
    }
  }

  // MARK: Create and open

  /// Opens `path` for reading and writing, falling back to reading alone when the file's mode,
  /// owner or mount forbids writing; refuses anything but a regular file.
  ///
  /// The kind is checked by `stat` before the open and by `fstat` after it (the open never
  /// blocks: a FIFO is refused, not waited on). Returns the descriptor, its status and, when
  /// the open fell back to reading, why.
  static func openChecked(path: String, fileSystem fs: any FileSystem, readOnly: Bool)
    throws(StoreError) -> (FileDescriptor, FileStatus, String?)
  {
    try wrap { () throws -> (FileDescriptor, FileStatus, String?) in
      if let st = try fs.status(path: path), !st.isRegular {
        throw StoreError.notRegularFile(path: path, kind: st.kind)
      }
      var fallback: String?
      let fd: FileDescriptor
      if readOnly {
        fd = try fs.open(path, readOnly: true)
      } else {
        do {
          fd = try fs.open(path, readOnly: false)
        } catch let e as FileSystemError where [EACCES, EPERM, EROFS, ETXTBSY].contains(e.code) {
          fd = try fs.open(path, readOnly: true)
          fallback = String(cString: strerror(e.code))
        }
      }
      let st: FileStatus
      do {
        st = try fs.status(fd)
      } catch {
        fs.close(fd)
        throw error
      }
      if !st.isRegular {
        fs.close(fd)
        throw StoreError.notRegularFile(path: path, kind: st.kind)
      }
      return (fd, st, fallback)
    }
  }

  /// The name of the temporary file `repair` writes beside `path` (one name, so a repair
  /// killed midway leaves at most one, removed by the next repair or writable open).
  static func repairTemporaryPath(_ path: String) -> String {
    PathName.join(
      PathName.directory(of: path), ".\(PathName.lastComponent(of: path)).repair.tmp")
  }

  /// Removes what a repair killed midway left (its temporary file), under the lock.
  func removeStaleRepairFile() {
    let fs = fileSystem
    let temp = Self.repairTemporaryPath(path)
    // One `stat` on every writable open; the lock is taken only when a file is there.
    guard case .some(.some) = try? fs.status(path: temp) else { return }
    _ = try? withExclusiveLock { () throws(StoreError) in
      try? fs.remove(temp)
    }
  }

  /// Creates a new, empty log at `path` (an error if anything is there).
  ///
  /// The file is written under a temporary name with `O_CREAT|O_EXCL`, synced, linked into
  /// place (never replacing a file another process made meanwhile), and the directory synced.
  public static func create(path: String, fileSystem: any FileSystem = RealFileSystem())
    throws(StoreError) -> LogStore
  {
    // The shared log honours the umask, as every file a tool creates (0644 under 022,
    // 0600 under 077).
    try create(path: path, fileSystem: fileSystem, permissions: 0o666 & ~fileSystem.creationMask)
  }

  static func create(path: String, fileSystem fs: any FileSystem, permissions: UInt32)
    throws(StoreError) -> LogStore
  {
    try wrap {
      if try fs.status(path: path) != nil { throw StoreError.alreadyExists(path: path) }
      let dir = PathName.directory(of: path)
      try fs.makeDirectories(dir, permissions: 0o755)
      let now = HybridClock.wallMilliseconds()
      let header = LogHeader(storeID: UUIDv7.make(milliseconds: now), created: now)
      var rng = SystemRandomNumberGenerator()
      let temp = PathName.join(
        dir, ".\(PathName.lastComponent(of: path)).\(rng.next() & 0xFFFF_FFFF).tmp")
      let fd = try fs.createExclusive(temp, permissions: permissions)
      do {
        defer { fs.close(fd) }
        try fs.writeAll(fd, RecordCodec.encode(header), offset: 0, path: temp)
        try fs.sync(fd)
        try fs.link(temp, to: path)
      } catch let e as FileSystemError where e.code == EEXIST {
        try? fs.remove(temp)
        throw StoreError.alreadyExists(path: path)
      } catch {
        try? fs.remove(temp)
        throw error
      }
      try fs.remove(temp)
      try fs.syncDirectory(dir)
    }
    return try open(path: path, fileSystem: fs, readOnly: false, permissions: permissions)
  }

  /// Opens the log at `path`, reading and checking every line.
  ///
  /// A torn tail (an interrupted append) is repaired unless `readOnly`: under the
  /// exclusive lock the whole file is copied to `<path>.torn-<ms>.bak`, the tail cut,
  /// the file synced, and `notice` told in one line. Any other damage throws
  /// ``StoreError/damaged(path:line:offset:reason:moreLines:)``. A read-only open treats
  /// an incomplete last line as an append in flight and leaves it alone.
  public static func open(
    path: String, fileSystem: any FileSystem = RealFileSystem(), readOnly: Bool = false,
    notice: @escaping (String) -> Void = { _ in }
  ) throws(StoreError) -> LogStore {
    try open(
      path: path, fileSystem: fileSystem, readOnly: readOnly, permissions: 0o644, notice: notice)
  }

  static func open(
    path: String, fileSystem fs: any FileSystem, readOnly: Bool, permissions: UInt32,
    notice: @escaping (String) -> Void = { _ in }
  ) throws(StoreError) -> LogStore {
    let (fd, st, fallback) = try openChecked(path: path, fileSystem: fs, readOnly: readOnly)
    let store = LogStore(
      path: path, fileSystem: fs, readOnly: readOnly || fallback != nil, permissions: permissions,
      notice: notice, descriptor: fd, inode: st.inode)
    store.readOnlyReason = fallback
    if !store.isReadOnly { store.removeStaleRepairFile() }
    try store.reloadAll(locked: false, repairIfTorn: !store.isReadOnly)
    return store
  }

  // MARK: Reading

  /// Reads the whole file again and replaces the in-memory state.
  func reloadAll(locked: Bool, repairIfTorn: Bool) throws(StoreError) {
    let bytes = try Self.wrap { try fileSystem.readAll(descriptor) }
    let inspection = LogScanner.inspect(bytes, path: path)
    if let v = inspection.newerFormat {
      throw StoreError.unsupportedVersion(path: path, version: v)
    }
    try Self.refuseDamage(inspection.damaged, inspection.conflictMarkers, path: path)
    guard let header = inspection.header else {
      throw StoreError.damaged(path: path, line: 1, offset: 0, reason: "no header", moreLines: 0)
    }
    var completeEnd = bytes.count
    if let tail = inspection.tornTail {
      completeEnd = tail.lowerBound
      if repairIfTorn && !isReadOnly {
        if !locked {
          // Another process may be mid-append: judge again while holding the lock.
          try withExclusiveLock { () throws(StoreError) in
            try reloadAll(locked: true, repairIfTorn: true)
          }
          return
        }
        try cutTornTail(at: tail.lowerBound, fileBytes: bytes)
      }
    }
    self.header = header
    self.loadedRecords = inspection.records
    self.lazyPrefix = nil
    self.headerBytes = Array(bytes[0..<min(bytes.count, firstLineEnd(bytes))])
    self.endOffset = completeEnd
    self.lineCount = 1 + inspection.records.count
    self.tailBytes = Array(bytes[max(0, completeEnd - Self.tailCheckBytes)..<completeEnd])
    var c = HybridClock()
    for r in inspection.records { c.observe(r.clock) }
    c.observe(clock.last)
    self.clock = c
  }

  func firstLineEnd(_ bytes: [UInt8]) -> Int {
    (bytes.firstIndex(of: 0x0A) ?? (bytes.count - 1)) + 1
  }

  static func refuseDamage(_ damaged: [DamagedLine], _ conflicts: [DamagedLine], path: String)
    throws(StoreError)
  {
    if let c = conflicts.first, damaged.first.map({ $0.offset > c.offset }) ?? true {
      throw StoreError.conflictMarkers(
        path: path, line: c.line, offset: c.offset, count: conflicts.count)
    }
    if let d = damaged.first {
      throw StoreError.damaged(
        path: path, line: d.line, offset: d.offset, reason: d.reason, moreLines: damaged.count - 1)
    }
  }

  /// Backs the whole file up beside it, then cuts it at `offset` and syncs (lock held).
  ///
  /// A backup that cannot be written whole (a full disk) is removed again: no empty or
  /// partial `.torn-*.bak` is left, and the log is not cut.
  func cutTornTail(at offset: Int, fileBytes: [UInt8]) throws(StoreError) {
    let fs = fileSystem
    let backup = try Self.wrap { () -> String in
      let st = try fs.status(descriptor)
      let stamp = HybridClock.wallMilliseconds()
      var name = "\(path).torn-\(stamp).bak"
      var n = 1
      while try fs.status(path: name) != nil {
        name = "\(path).torn-\(stamp)-\(n).bak"
        n += 1
      }
      let fd = try fs.createExclusive(name, permissions: st.permissions & 0o666)
      do {
        defer { fs.close(fd) }
        try fs.writeAll(fd, fileBytes, offset: 0, path: name)
        try fs.sync(fd)
      } catch {
        try? fs.remove(name)
        throw error
      }
      try fs.syncDirectory(PathName.directory(of: path))
      return name
    }
    do {
      try fileSystem.truncate(descriptor, size: offset)
      try fileSystem.sync(descriptor)
    } catch {
      sessionReadOnlyReason = error.description
      throw StoreError.syncFailed(path: path, reason: error.description)
    }
    let line = fileBytes[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + 1
    notice(
      "repaired: \(path) ended in an interrupted write; cut \(fileBytes.count - offset) bytes "
        + "at line \(line) (byte \(offset)); the whole file was saved to \(backup)")
  }

  /// Reads what was appended since the last read; reloads everything if the file was replaced.
  func catchUp(locked: Bool) throws(StoreError) -> StoreChange {
    let fs = fileSystem
    let (current, size, prefixMatches) = try Self.wrap {
      () -> (FileStatus?, Int, Bool) in
      let current = try fs.status(path: path)
      let size = try fs.status(descriptor).size
      if size < endOffset { return (current, size, false) }
      let head = try fs.read(descriptor, offset: 0, count: headerBytes.count)
      let tail = try fs.read(
        descriptor, offset: endOffset - tailBytes.count, count: tailBytes.count)
      return (current, size, head == headerBytes && tail == tailBytes)
    }
    guard let current else { throw StoreError.notFound(path: path) }
    if current.inode != inode || !prefixMatches {
      try reopen(locked: locked)
      return .replaced
    }
    if size == endOffset { return .unchanged }
    let bytes = try Self.wrap {
      try fs.read(descriptor, offset: endOffset, count: size - endOffset)
    }
    let scan = bytes.withUnsafeBytes { LogScanner.scan($0, start: 0, lines: lineCount) }
    let shift = { (d: DamagedLine) -> DamagedLine in
      var d = d
      d.offset += self.endOffset
      return d
    }
    try Self.refuseDamage(scan.damaged.map(shift), scan.conflicts.map(shift), path: path)
    if scan.completeEnd < bytes.count && locked && !isReadOnly {
      let all = try Self.wrap { try fs.readAll(descriptor) }
      try cutTornTail(at: endOffset + scan.completeEnd, fileBytes: all)
    }
    let newEnd = endOffset + scan.completeEnd
    if scan.completeEnd > 0 {
      var window = tailBytes + bytes[0..<scan.completeEnd]
      if window.count > Self.tailCheckBytes {
        window.removeFirst(window.count - Self.tailCheckBytes)
      }
      tailBytes = window
    }
    endOffset = newEnd
    lineCount = scan.lines
    loadedRecords.append(contentsOf: scan.records)
    for r in scan.records { clock.observe(r.clock) }
    return scan.records.isEmpty ? .unchanged : .appended(scan.records)
  }

  func reopen(locked: Bool) throws(StoreError) {
    let fs = fileSystem
    let (fd, st, _) = try Self.openChecked(path: path, fileSystem: fs, readOnly: isReadOnly)
    let old = (descriptor, inode)
    descriptor = fd
    inode = st.inode
    do {
      try reloadAll(locked: locked, repairIfTorn: locked)
      fs.close(old.0)
    } catch {
      fs.close(fd)
      (descriptor, inode) = old
      throw error
    }
  }

  /// Follows the file: records appended by others, or `.replaced` after a rewrite.
  ///
  /// Never repairs: an incomplete last line is an append in flight and is read later.
  public func refresh() throws(StoreError) -> StoreChange {
    try catchUp(locked: false)
  }

  // MARK: Appending

  func withExclusiveLock<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
    let fs = fileSystem
    let lock: FileDescriptor
    if let l = lockDescriptor {
      lock = l
    } else {
      do {
        lock = try fs.openLockFile(path + ".lock", permissions: permissions)
      } catch {
        // The lock beside the log cannot be made (its directory's mode, a read-only mount).
        if [EACCES, EPERM, EROFS].contains(error.code) {
          throw StoreError.notWritable(
            path: path, reason: "\(path).lock: \(String(cString: strerror(error.code)))")
        }
        throw StoreError.io(error.description)
      }
      lockDescriptor = lock
    }
    try Self.wrap { try fs.lock(lock, exclusive: true) }
    defer { fs.unlock(lock) }
    return try body()
  }

  /// The writer appends go out as, once the log is known to be writable: throws when it is
  /// read-only (for good or for the session).
  private func writableAs() throws -> String {
    if isReadOnly {
      if let readOnlyReason { throw StoreError.notWritable(path: path, reason: readOnlyReason) }
      throw StoreError.readOnly(path: path)
    }
    if let sessionReadOnlyReason {
      throw StoreError.sessionReadOnly(path: path, reason: sessionReadOnlyReason)
    }
    let writer =
      try writerID
      ?? WriterIdentity.resolve(
        environment: ProcessInfo.processInfo.environment, fileSystem: fileSystem)
    writerID = writer
    return writer
  }

  /// Appends the records `build` returns, atomically with respect to other writers.
  ///
  /// Under the exclusive lock: catches up with records others appended (passed to `build`
  /// so it validates against fresh state; after a replacement, every record), stamps each
  /// draft with an id, a clock reading and the writer, writes all lines with one `write()`
  /// (looping on short writes), `fdatasync`s, and only then returns the new records. A
  /// failed write cuts the file back and throws; a failed sync throws and leaves the store
  /// read-only for the session. No drafts: nothing is written.
  @discardableResult
  public func append(_ build: (_ caughtUp: [Record]) throws -> [RecordDraft]) throws -> [Record] {
    let writer = try writableAs()
    var buildError: (any Error)?
    let result = try withExclusiveLock { () throws(StoreError) -> [Record] in
      let caughtUp: [Record]
      let change = try catchUp(locked: true)
      lastCatchUpReplaced = change == .replaced
      switch change {
      case .unchanged: caughtUp = []
      case .appended(let r): caughtUp = r
      case .replaced: caughtUp = records
      }
      let drafts: [RecordDraft]
      do {
        drafts = try build(caughtUp)
      } catch {
        buildError = error
        return []
      }
      if drafts.isEmpty { return [] }
      return try write(drafts, writer: writer)
    }
    if let buildError { throw buildError }
    return result
  }

  /// Appends one draft; a convenience over ``append(_:)``.
  @discardableResult
  public func append(_ draft: RecordDraft) throws -> Record {
    let written = try append { _ in [draft] }
    guard let r = written.first else { throw StoreError.io("nothing was written") }
    return r
  }

  func write(_ drafts: [RecordDraft], writer: String) throws(StoreError) -> [Record] {
    var newClock = clock
    var newRecords: [Record] = []
    newRecords.reserveCapacity(drafts.count)
    let now = wallClock()
    for d in drafts {
      let ts = newClock.tick(now: now)
      newRecords.append(
        Record(
          id: EventID(rawValue: UUIDv7.make(milliseconds: ts.wall)), clock: ts, writer: writer,
          type: d.type, schema: d.schema, entity: d.entity, body: d.body))
    }
    let bytes = try Self.encodeLines(newRecords)
    try writeLines([bytes], count: newRecords.count, clock: newClock)
    loadedRecords.append(contentsOf: newRecords)
    return newRecords
  }

  /// Writes `chunks`, `count` complete lines in all, at the end of the file one after
  /// another and syncs them once; then takes `newClock` and moves the end past them.
  ///
  /// A failed write cuts the file back and throws; a failed sync throws and leaves the store
  /// read-only for the session.
  func writeLines(_ chunks: [[UInt8]], count: Int, clock newClock: HybridClock)
    throws(StoreError)
  {
    let start = endOffset
    var written = 0
    do {
      for bytes in chunks where !bytes.isEmpty {
        try fileSystem.writeAll(descriptor, bytes, offset: start + written, path: path)
        written += bytes.count
      }
    } catch {
      do {
        try fileSystem.truncate(descriptor, size: start)
      } catch let cut {
        sessionReadOnlyReason = "\(error.description); cutting it back: \(cut.description)"
      }
      throw StoreError.writeFailed(path: path, reason: error.description)
    }
    do {
      try fileSystem.dataSync(descriptor)
    } catch {
      // Never retry a failed sync: the kernel may have dropped the pages and will not say so.
      sessionReadOnlyReason = error.description
      try? fileSystem.truncate(descriptor, size: start)
      throw StoreError.syncFailed(path: path, reason: error.description)
    }
    clock = newClock
    endOffset = start + written
    lineCount += count
    for bytes in chunks {
      if bytes.count >= Self.tailCheckBytes {
        tailBytes = Array(bytes[(bytes.count - Self.tailCheckBytes)...])
      } else {
        var window = tailBytes + bytes
        if window.count > Self.tailCheckBytes {
          window.removeFirst(window.count - Self.tailCheckBytes)
        }
        tailBytes = window
      }
    }
  }

  /// Appends lines the caller encodes itself, atomically with respect to other writers.
  ///
  /// For large batches of one kind (an import) whose lines are cheaper to write straight
  /// from their values than through ``RecordDraft`` and ``RecordCodec``. Under the exclusive
  /// lock, as ``append(_:)``: catches up (passing what others appended to `build`), gives
  /// `build` the writer, the clock to tick once a line and the wall clock, writes what it
  /// returns with one `write()` and one `fdatasync`. `build` must return canonical record
  /// lines (``RecordCodec/encode(_:)-(Record)`` bytes, newline included), stamped by
  /// ticking the clock it was given once a line, in order; nil writes nothing. The records
  /// written are not kept in memory: ``records`` reads them from the file on first use.
  @discardableResult
  public func appendEncoded(
    _ build: (_ caughtUp: [Record], _ stamp: AppendStamp) throws -> EncodedLines?
  ) throws -> EncodedLines? {
    let writer = try writableAs()
    var buildError: (any Error)?
    let result = try withExclusiveLock { () throws(StoreError) -> EncodedLines? in
      let caughtUp: [Record]
      let change = try catchUp(locked: true)
      lastCatchUpReplaced = change == .replaced
      switch change {
      case .unchanged: caughtUp = []
      case .appended(let r): caughtUp = r
      case .replaced: caughtUp = records
      }
      let lines: EncodedLines?
      do {
        lines = try build(caughtUp, AppendStamp(writer: writer, clock: clock, now: wallClock()))
      } catch {
        buildError = error
        return nil
      }
      guard let lines, lines.count > 0 else { return nil }
      guard lines.chunks.last(where: { !$0.isEmpty })?.last == 0x0A, clock.last < lines.clock.last
      else {
        throw StoreError.invalidDraft("encoded lines must end in a newline and tick the clock")
      }
      // Held records stay a prefix of the file: the new ones are read from it when asked for.
      var latest = lazyPrefix?.clock
      for r in loadedRecords where latest.map({ $0 < r.clock }) ?? true { latest = r.clock }
      try writeLines(lines.chunks, count: lines.count, clock: lines.clock)
      if latest.map({ $0 < lines.clock.last }) ?? true { latest = lines.clock.last }
      lazyPrefix = LogPrefix(length: endOffset, lines: lineCount, clock: latest)
      loadedRecords = []
      return lines
    }
    if let buildError { throw buildError }
    return result
  }

  /// Batches of at least this many records are encoded in two halves on two threads.
  static let parallelEncodeRecords = 4_096

  /// The lines of `records`, in order; throws the error of the first record that cannot be
  /// encoded, as encoding them one by one would.
  ///
  /// A large batch (an import) is encoded in two halves on two threads, then joined.
  static func encodeLines(_ records: [Record]) throws(StoreError) -> [UInt8] {
    @Sendable func encode(_ slice: ArraySlice<Record>) -> Result<[UInt8], StoreError> {
      var out: [UInt8] = []
      out.reserveCapacity(slice.count * 320)
      for r in slice {
        do {
          out.append(contentsOf: try RecordCodec.encode(r))
        } catch {
          return .failure(error)
        }
      }
      return .success(out)
    }
    guard records.count >= parallelEncodeRecords else { return try encode(records[...]).get() }
    let mid = records.count / 2
    /// The two threads read the same immutable records and write disjoint slots.
    struct Shared: @unchecked Sendable {
      let records: [Record]
      let out: UnsafeMutablePointer<Result<[UInt8], StoreError>?>
    }
    let out = UnsafeMutablePointer<Result<[UInt8], StoreError>?>.allocate(capacity: 2)
    out.initialize(repeating: nil, count: 2)
    defer {
      out.deinitialize(count: 2)
      out.deallocate()
    }
    let shared = Shared(records: records, out: out)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      shared.out[i] = encode(i == 0 ? shared.records[..<mid] : shared.records[mid...])
    }
    guard let first = out[0], let second = out[1] else {
      return try encode(records[...]).get()
    }
    var bytes = try first.get()
    bytes.append(contentsOf: try second.get())
    return bytes
  }

  // MARK: Replay

  /// The records in replay order `(clock, writer, id)`, each id once.
  public func sortedForReplay() -> [Record] { Self.replayOrder(records) }

  /// `records` in replay order `(clock, writer, id)` with repeated ids dropped.
  ///
  /// Any permutation of the same records gives the same sequence.
  public static func replayOrder(_ records: [Record]) -> [Record] {
    let sorted = records.sorted { a, b in
      if Record.replayOrder(a, b) { return true }
      if Record.replayOrder(b, a) { return false }
      // Same clock, writer and id: only a damaged merge does this; order by content.
      return (a.type, a.entity, a.schema) < (b.type, b.entity, b.schema)
    }
    var seen = Set<EventID>()
    seen.reserveCapacity(sorted.count)
    return sorted.filter { seen.insert($0.id).inserted }
  }
}
