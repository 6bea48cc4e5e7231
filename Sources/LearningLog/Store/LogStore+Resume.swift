#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A prefix of a log that a snapshot already covers: it ends on a line boundary.
struct LogPrefix: Hashable, Sendable {
  /// Bytes covered, header included.
  var length: Int
  /// Complete lines covered, header included.
  var lines: Int
  /// The latest clock of any record in the prefix.
  var clock: HybridTimestamp?
}

extension LogStore {
  /// Opens the log; when `resume` vouches for a prefix, only the lines after it are read.
  ///
  /// `resume` sees the freshly opened store and its status, and returns the prefix a
  /// snapshot covers after checking it against the file (nil: read everything). A tail that
  /// ends in an incomplete line falls back to the full open, which repairs it under the lock.
  static func open(
    path: String, fileSystem fs: any FileSystem, readOnly: Bool,
    notice: @escaping (String) -> Void,
    resume: (LogStore, FileStatus) -> LogPrefix?
  ) throws(StoreError) -> (store: LogStore, resumed: LogPrefix?) {
    let (fd, st, fallback) = try openChecked(path: path, fileSystem: fs, readOnly: readOnly)
    let store = LogStore(
      path: path, fileSystem: fs, readOnly: readOnly || fallback != nil, permissions: 0o644,
      notice: notice, descriptor: fd, inode: st.inode)
    store.readOnlyReason = fallback
    if !store.isReadOnly { store.removeStaleRepairFile() }
    if let prefix = resume(store, st), prefix.length <= st.size,
      try store.resume(from: prefix, size: st.size)
    {
      return (store, prefix)
    }
    try store.reloadAll(locked: false, repairIfTorn: !store.isReadOnly)
    return (store, nil)
  }

  /// Reads `count` bytes at `offset` of the open log.
  func readBytes(offset: Int, count: Int) throws(StoreError) -> [UInt8] {
    let fs = fileSystem
    let fd = descriptor
    return try Self.wrap { try fs.read(fd, offset: offset, count: count) }
  }

  /// Reads up to `buffer.count` bytes at `offset` of the open log into `buffer`; how many.
  func readBytes(offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws(StoreError)
    -> Int
  {
    let fs = fileSystem
    let fd = descriptor
    return try Self.wrap { try fs.read(fd, offset: offset, into: buffer) }
  }

  /// Reads the header and the lines after `prefix`; false when the full open must decide.
  func resume(from prefix: LogPrefix, size: Int) throws(StoreError) -> Bool {
    let head = try readBytes(offset: 0, count: min(size, 64 << 10))
    guard let nl = head.firstIndex(of: 0x0A), nl + 1 <= prefix.length else { return false }
    let decoded = head.withUnsafeBytes {
      RecordCodec.decodeHeader(UnsafeRawBufferPointer(rebasing: $0[0..<nl]))
    }
    guard case .header(let h) = decoded else { return false }
    let bytes = try readBytes(offset: prefix.length, count: size - prefix.length)
    // A repeated header (what a union merge of two copies leaves) is skipped, not damage.
    let headerLine = Array(head[0..<nl])
    let scan = bytes.withUnsafeBytes { raw in
      headerLine.withUnsafeBytes {
        LogScanner.scan(raw, start: 0, lines: prefix.lines, header: $0)
      }
    }
    let start = prefix.length
    let shift = { (d: DamagedLine) -> DamagedLine in
      var d = d
      d.offset += start
      return d
    }
    try Self.refuseDamage(scan.damaged.map(shift), scan.conflicts.map(shift), path: path)
    if scan.completeEnd < bytes.count && !isReadOnly { return false }
    let end = start + scan.completeEnd
    header = h
    headerBytes = Array(head[0...nl])
    endOffset = end
    lineCount = scan.lines
    tailBytes = try readBytes(
      offset: max(0, end - Self.tailCheckBytes), count: min(end, Self.tailCheckBytes))
    loadedRecords = scan.records
    lazyPrefix = prefix.length > nl + 1 ? prefix : nil
    var c = HybridClock()
    if let pc = prefix.clock { c.observe(pc) }
    for r in scan.records { c.observe(r.clock) }
    c.observe(clock.last)
    clock = c
    return true
  }

  /// Reads the records of the prefix a resumed open skipped.
  func loadPrefix() {
    guard let p = lazyPrefix else { return }
    lazyPrefix = nil
    do {
      let bytes = try readBytes(offset: 0, count: p.length)
      let s = bytes.withUnsafeBytes { LogScanner.scanWhole($0) }
      if let d = s.damaged.first {
        notice(
          "warning: \(path) line \(d.line) (byte \(d.offset)) changed since it was read: "
            + "\(d.reason); run `learnlog check`")
      }
      loadedRecords = s.records + loadedRecords
    } catch {
      notice("warning: could not read \(path) again: \(error)")
    }
  }

  /// Drops the records held in memory; ``records`` reads them again on first use.
  ///
  /// For callers that keep replayed state instead of records (a large log's records take
  /// several times the file's size in memory).
  public func releaseRecords() {
    var c = lazyPrefix?.clock
    for r in loadedRecords where c.map({ $0 < r.clock }) ?? true { c = r.clock }
    lazyPrefix = LogPrefix(length: endOffset, lines: lineCount, clock: c)
    loadedRecords = []
  }

  /// Where the complete lines end, and how many there are (header included).
  var coveredPrefix: (length: Int, lines: Int) { (endOffset, lineCount) }
}
