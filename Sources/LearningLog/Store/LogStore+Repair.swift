/// What ``LogStore/repair(path:fileSystem:)`` did.
public struct RepairReport: Sendable {
  /// The repaired log.
  public var path: String
  /// Where the original was kept, when anything was changed.
  public var backupPath: String?
  /// Valid records kept.
  public var keptRecords: Int
  /// Damaged lines dropped (line, byte offset, reason; never their text).
  public var droppedLines: [DamagedLine]
  /// Git conflict marker lines dropped.
  public var droppedConflictMarkers: Int
  /// Bytes of a torn tail cut.
  public var cutTailBytes: Int
  /// Whether the header was damaged and written anew.
  public var headerRewritten: Bool

  /// Whether the file was changed.
  public var changed: Bool { backupPath != nil }
}

extension LogStore {
  /// Classifies every byte of the log at `path` without changing anything.
  public static func inspect(path: String, fileSystem: any FileSystem = RealFileSystem())
    throws(StoreError) -> LogInspection
  {
    let bytes = try wrap {
      let fd = try fileSystem.open(path, readOnly: true)
      defer { fileSystem.close(fd) }
      return try fileSystem.readAll(fd)
    }
    return LogScanner.inspect(bytes, path: path)
  }

  /// Writes a repaired log: every valid record kept, damaged lines, conflict markers and a
  /// torn tail dropped.
  ///
  /// Under the exclusive lock the repaired file is written under a temporary name and
  /// synced, the original is kept beside it as `<path>.<ms>.bak` (a hard link, so it is
  /// byte-for-byte the old file), the new file is renamed into place and the directory
  /// synced. A clean log is left alone.
  public static func repair(path: String, fileSystem fs: any FileSystem = RealFileSystem())
    throws(StoreError) -> RepairReport
  {
    let lock = try wrap { try fs.openLockFile(path + ".lock", permissions: 0o644) }
    defer { fs.close(lock) }
    try wrap { try fs.lock(lock, exclusive: true) }
    defer { fs.unlock(lock) }
    let (bytes, st) = try wrap { () -> ([UInt8], FileStatus) in
      let fd = try fs.open(path, readOnly: true)
      defer { fs.close(fd) }
      return (try fs.readAll(fd), try fs.status(fd))
    }
    let scan = bytes.withUnsafeBytes { LogScanner.scan($0, start: 0, lines: 0) }
    let inspection = LogScanner.inspect(bytes, path: path)
    if let v = inspection.newerFormat {
      throw StoreError.unsupportedVersion(path: path, version: v)
    }
    var report = RepairReport(
      path: path, backupPath: nil, keptRecords: scan.records.count,
      droppedLines: inspection.damaged, droppedConflictMarkers: inspection.conflictMarkers.count,
      cutTailBytes: inspection.tornTail?.count ?? 0, headerRewritten: scan.header == nil)
    if inspection.isClean { return report }

    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    if scan.header != nil {
      out.append(contentsOf: scan.headerBytes)
    } else {
      let now = HybridClock.wallMilliseconds()
      out.append(
        contentsOf: RecordCodec.encode(
          LogHeader(storeID: UUIDv7.make(milliseconds: now), created: now)))
    }
    for r in scan.recordLines { out.append(contentsOf: bytes[r]) }

    let dir = PathName.directory(of: path)
    let stamp = HybridClock.wallMilliseconds()
    var backup = "\(path).\(stamp).bak"
    var n = 1
    while (try wrap { try fs.status(path: backup) }) != nil {
      backup = "\(path).\(stamp)-\(n).bak"
      n += 1
    }
    let temp = PathName.join(dir, ".\(PathName.lastComponent(of: path)).\(stamp).repair.tmp")
    try wrap {
      let fd = try fs.createExclusive(temp, permissions: st.permissions & 0o666)
      do {
        defer { fs.close(fd) }
        try fs.writeAll(fd, out, offset: 0, path: temp)
        try fs.sync(fd)
      } catch {
        try? fs.remove(temp)
        throw error
      }
      try fs.link(path, to: backup)
      try fs.rename(temp, to: path)
      try fs.syncDirectory(dir)
    }
    report.backupPath = backup
    return report
  }
}
