#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A damaged line's original bytes, found elsewhere (in git history).
public struct RecoveredLine: Sendable {
  /// The line, newline excluded: a valid record with the damaged line's id.
  public var bytes: [UInt8]
  /// Where it was found, such as `commit 3f2a1c9`.
  public var source: String

  /// A recovered line found at `source`.
  public init(bytes: [UInt8], source: String) {
    self.bytes = bytes
    self.source = source
  }
}

/// What `check` and `repair` know about one damaged line beyond its reason.
public struct DamageDiagnosis: Sendable {
  /// The damaged line.
  public var damage: DamagedLine
  /// The record id the line names, when one can be read from it.
  public var recordID: String?
  /// Whether the line is valid JSON whose checksum does not match: edited by hand.
  public var looksHandEdited: Bool
  /// Whether a valid record with the same id is elsewhere in the file (nothing is lost).
  public var recordPresent: Bool
}

/// What ``LogStore/repair(path:fileSystem:recover:)`` did.
public struct RepairReport: Sendable {
  /// The repaired log.
  public var path: String
  /// Where the original was kept, when anything was changed.
  public var backupPath: String?
  /// Where the damaged lines and the torn tail were kept, byte for byte, when there were any.
  public var quarantinePath: String?
  /// Valid records kept.
  public var keptRecords: Int
  /// Damaged lines restored from their original bytes, with where those were found.
  public var restoredLines: [(line: DamagedLine, source: String)]
  /// Damaged lines whose record is valid elsewhere in the file (moved to the quarantine).
  public var duplicateLines: [DamagedLine]
  /// Damaged lines that could not be recovered (moved to the quarantine; never their text).
  public var droppedLines: [DamagedLine]
  /// Git conflict marker lines dropped.
  public var droppedConflictMarkers: Int
  /// Bytes of a torn tail cut (kept in the quarantine).
  public var cutTailBytes: Int
  /// Whether the header was damaged and written anew.
  public var headerRewritten: Bool

  /// Whether the file was changed.
  public var changed: Bool { backupPath != nil }
}

extension LogStore {
  /// Classifies every byte of the log at `path` without changing anything.
  ///
  /// Refuses a directory, a device, a FIFO or a socket (never blocking on a FIFO).
  public static func inspect(path: String, fileSystem: any FileSystem = RealFileSystem())
    throws(StoreError) -> LogInspection
  {
    try inspectBytes(path: path, fileSystem: fileSystem).inspection
  }

  /// The inspection of the log at `path` and its bytes.
  static func inspectBytes(path: String, fileSystem fs: any FileSystem) throws(StoreError)
    -> (inspection: LogInspection, bytes: [UInt8])
  {
    let (fd, _, _) = try openChecked(path: path, fileSystem: fs, readOnly: true)
    defer { fs.close(fd) }
    let bytes = try wrap { try fs.readAll(fd) }
    return (LogScanner.inspect(bytes, path: path), bytes)
  }

  /// Inspects the log at `path` and says, for each damaged line, the record id it names,
  /// whether it looks edited by hand and whether its record is valid elsewhere in the file.
  public static func diagnose(path: String, fileSystem: any FileSystem = RealFileSystem())
    throws(StoreError) -> (inspection: LogInspection, damage: [DamageDiagnosis])
  {
    let (inspection, bytes) = try inspectBytes(path: path, fileSystem: fileSystem)
    let present = Set(inspection.records.map(\.id.rawValue))
    let damage = inspection.damaged.map { d -> DamageDiagnosis in
      let line = Array(bytes[d.offset..<min(bytes.count, d.offset + d.length)])
      let id = RecordCodec.recordID(inDamagedLine: line)
      return DamageDiagnosis(
        damage: d, recordID: id, looksHandEdited: RecordCodec.looksHandEdited(line),
        recordPresent: id.map { present.contains($0) } ?? false)
    }
    return (inspection, damage)
  }

  /// Writes a repaired log that keeps everything it can: every valid record byte for byte,
  /// each damaged line restored from its original bytes when `recover` finds them, the rest
  /// moved to a quarantine file beside the log.
  ///
  /// `recover` is asked for each damaged line that names a record id not valid elsewhere in
  /// the file (in git, ``GitHistory`` looks in history); what it returns is used only if it
  /// is a valid record with that id, at the damaged line's place. Unrecovered damaged lines
  /// and a torn tail go to `<path>.<ms>.quarantine` byte for byte; conflict markers are
  /// dropped. Under the exclusive lock the repaired file is written under one temporary name
  /// (`.<name>.repair.tmp`, removed first if a killed repair left it) and synced, the
  /// original is kept beside it as `<path>.<ms>.bak` (a hard link, so it is byte-for-byte the
  /// old file), the new file renamed into place and the directory synced. A clean log is
  /// left alone; a non-regular file is refused, never replaced.
  public static func repair(
    path: String, fileSystem fs: any FileSystem = RealFileSystem(),
    recover: ((_ recordID: String, _ damage: DamagedLine) -> RecoveredLine?)? = nil
  ) throws(StoreError) -> RepairReport {
    if let st = try wrap({ try fs.status(path: path) }), !st.isRegular {
      throw StoreError.notRegularFile(path: path, kind: st.kind)
    }
    let lock: FileDescriptor
    do {
      lock = try fs.openLockFile(path + ".lock", permissions: 0o644)
    } catch {
      if [EACCES, EPERM, EROFS].contains(error.code) {
        throw StoreError.notWritable(path: path, reason: String(cString: strerror(error.code)))
      }
      throw StoreError.io(error.description)
    }
    defer { fs.close(lock) }
    try wrap { try fs.lock(lock, exclusive: true) }
    defer { fs.unlock(lock) }
    let dir = PathName.directory(of: path)
    let temp = repairTemporaryPath(path)
    // A repair killed midway left its temporary file: the lock is ours, so it is stale.
    if (try wrap { try fs.status(path: temp) }) != nil { try wrap { try fs.remove(temp) } }
    let (bytes, st) = try wrap { () throws -> ([UInt8], FileStatus) in
      let (fd, st, _) = try openChecked(path: path, fileSystem: fs, readOnly: true)
      defer { fs.close(fd) }
      return (try fs.readAll(fd), st)
    }
    let scan = bytes.withUnsafeBytes { LogScanner.scan($0, start: 0, lines: 0) }
    let inspection = LogScanner.inspect(bytes, path: path)
    if let v = inspection.newerFormat {
      throw StoreError.unsupportedVersion(path: path, version: v)
    }
    var report = RepairReport(
      path: path, backupPath: nil, quarantinePath: nil, keptRecords: scan.records.count,
      restoredLines: [], duplicateLines: [], droppedLines: [],
      droppedConflictMarkers: inspection.conflictMarkers.count,
      cutTailBytes: inspection.tornTail?.count ?? 0, headerRewritten: scan.header == nil)
    if inspection.isClean { return report }

    // Every line that stays, by its offset: valid records as they are, restored lines.
    var present = Set(scan.records.map(\.id.rawValue))
    var kept: [(offset: Int, bytes: ArraySlice<UInt8>)] = scan.recordLines.map {
      ($0.lowerBound, bytes[$0])
    }
    var quarantine: [UInt8] = []
    for d in inspection.damaged {
      let line = Array(bytes[d.offset..<min(bytes.count, d.offset + d.length)])
      guard let id = RecordCodec.recordID(inDamagedLine: line) else {
        report.droppedLines.append(d)
        quarantine += line + [0x0A]
        continue
      }
      if present.contains(id) {
        report.duplicateLines.append(d)
        quarantine += line + [0x0A]
        continue
      }
      if let found = recover?(id, d), Self.isRecord(found.bytes, id: id) {
        present.insert(id)
        kept.append((d.offset, ArraySlice(found.bytes + [0x0A])))
        report.restoredLines.append((d, found.source))
        // The hand-edited bytes are kept too: someone may want to see what was changed.
        quarantine += line + [0x0A]
        continue
      }
      report.droppedLines.append(d)
      quarantine += line + [0x0A]
    }
    if let tail = inspection.tornTail { quarantine += bytes[tail] + [0x0A] }
    kept.sort { $0.offset < $1.offset }
    report.keptRecords = kept.count

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
    for k in kept { out.append(contentsOf: k.bytes) }

    let stamp = HybridClock.wallMilliseconds()
    func free(_ suffix: String) throws(StoreError) -> String {
      var name = "\(path).\(stamp).\(suffix)"
      var n = 1
      while (try wrap { try fs.status(path: name) }) != nil {
        name = "\(path).\(stamp)-\(n).\(suffix)"
        n += 1
      }
      return name
    }
    let backup = try free("bak")
    let mode = st.permissions & 0o666
    if !quarantine.isEmpty {
      let name = try free("quarantine")
      try writeWhole(quarantine, to: name, permissions: mode, fileSystem: fs)
      report.quarantinePath = name
    }
    do {
      // The repaired file is written unnamed where the system allows (a kill leaves nothing)
      // and named only once whole and synced, just before the rename.
      if let fd = try wrap({ try fs.createUnnamed(inDirectory: dir, permissions: mode) }) {
        try wrap {
          defer { fs.close(fd) }
          try fs.writeAll(fd, out, offset: 0, path: temp)
          try fs.sync(fd)
          try fs.linkUnnamed(fd, to: temp)
        }
      } else {
        try writeWhole(out, to: temp, permissions: mode, fileSystem: fs)
      }
      try wrap {
        try fs.link(path, to: backup)
        try fs.rename(temp, to: path)
        try fs.syncDirectory(dir)
      }
    } catch {
      try? fs.remove(temp)
      throw error
    }
    report.backupPath = backup
    return report
  }

  /// Writes `bytes` to a new file `name` and syncs it; removes it again on any failure (a
  /// full disk leaves no empty or partial file).
  static func writeWhole(
    _ bytes: [UInt8], to name: String, permissions: UInt32, fileSystem fs: any FileSystem
  ) throws(StoreError) {
    try wrap {
      let fd = try fs.createExclusive(name, permissions: permissions)
      do {
        defer { fs.close(fd) }
        try fs.writeAll(fd, bytes, offset: 0, path: name)
        try fs.sync(fd)
      } catch {
        try? fs.remove(name)
        throw error
      }
    }
  }

  /// Whether `line` (newline excluded) is a valid record with id `id`.
  static func isRecord(_ line: [UInt8], id: String) -> Bool {
    if line.contains(0x0A) { return false }
    let decoded = line.withUnsafeBytes { RecordCodec.decodeRecord($0) }
    if case .success(let r) = decoded { return r.id.rawValue == id }
    return false
  }
}

extension RecordCodec {
  /// The record id a damaged line names (`{"id":"<uuid>"` at its start, or an `"id"` member
  /// anywhere), or nil.
  public static func recordID(inDamagedLine line: [UInt8]) -> String? {
    let key = Array(#""id":""#.utf8)
    guard line.count >= key.count + 37 else { return nil }
    var i = 0
    while i + key.count + 37 <= line.count {
      if line[i] == key[0] && Array(line[i..<i + key.count]) == key {
        let start = i + key.count
        let text = line[start..<start + 36]
        if line[start + 36] == 0x22,
          text.withUnsafeBytes({ UUIDv7.isValidText(UnsafeRawBufferPointer($0)) })
        {
          return String(decoding: text, as: UTF8.self)
        }
      }
      i += 1
    }
    return nil
  }

  /// Whether a damaged line is one JSON object with a checksum that does not match: what a
  /// hand edit (a text editor, `sed`) leaves.
  public static func looksHandEdited(_ line: [UInt8]) -> Bool {
    let reason = line.withUnsafeBytes { checksumProblem($0) }
    guard reason == "checksum mismatch" else { return false }
    return line.withUnsafeBytes { raw -> Bool in
      var p = JSONParser(bytes: raw)
      guard (try? p.parseValue(depth: 0)) != nil else { return false }
      return p.position == raw.count
    }
  }
}
