import WorkCounting

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
  ///
  /// Reads the log in chunks and keeps no records: the inspection's ``LogInspection/records``
  /// is empty and ``LogInspection/validCount`` counts them, so a large log is diagnosed in
  /// about a chunk's memory beside the damaged lines (`learnlog check` of a damaged log).
  public static func diagnose(path: String, fileSystem fs: any FileSystem = RealFileSystem())
    throws(StoreError) -> (inspection: LogInspection, damage: [DamageDiagnosis])
  {
    let (fd, _, _) = try openChecked(path: path, fileSystem: fs, readOnly: true)
    defer { fs.close(fd) }
    let found = try inspectStreaming(fd, path: path, fileSystem: fs)
    return (found.inspection, found.damage)
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
  ///
  /// The log is read `chunkBytes` at a time, twice (to judge every line, then to copy what
  /// stays), and never held whole: a large log is repaired in about a chunk's memory beside
  /// its damaged lines.
  public static func repair(
    path: String, fileSystem fs: any FileSystem = RealFileSystem(),
    chunkBytes: Int = streamChunkBytes,
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
    // Read in chunks twice (to judge every line, then to copy what stays), never whole.
    let (found, st) = try wrap { () throws -> (StreamedInspection, FileStatus) in
      let (fd, st, _) = try openChecked(path: path, fileSystem: fs, readOnly: true)
      defer { fs.close(fd) }
      let found = try inspectStreaming(
        fd, path: path, fileSystem: fs, keepLines: true, chunkBytes: chunkBytes)
      return (found, st)
    }
    let inspection = found.inspection
    if let v = inspection.newerFormat {
      throw StoreError.unsupportedVersion(path: path, version: v)
    }
    var report = RepairReport(
      path: path, backupPath: nil, quarantinePath: nil, keptRecords: inspection.validCount,
      restoredLines: [], duplicateLines: [], droppedLines: [],
      droppedConflictMarkers: inspection.conflictMarkers.count,
      cutTailBytes: inspection.tornTail?.count ?? 0, headerRewritten: inspection.header == nil)
    if inspection.isClean { return report }

    // Every line that stays is a valid record as it is, or a restored line at its place.
    var restored: [(offset: Int, bytes: [UInt8])] = []
    var restoredIDs = Set<String>()
    var quarantine: [UInt8] = []
    for (dx, line) in zip(found.damage, found.damagedBytes) {
      let d = dx.damage
      guard let id = dx.recordID else {
        report.droppedLines.append(d)
        quarantine += line + [0x0A]
        continue
      }
      if dx.recordPresent || restoredIDs.contains(id) {
        report.duplicateLines.append(d)
        quarantine += line + [0x0A]
        continue
      }
      if let found = recover?(id, d), Self.isRecord(found.bytes, id: id) {
        restoredIDs.insert(id)
        restored.append((d.offset, found.bytes + [0x0A]))
        report.restoredLines.append((d, found.source))
        // The hand-edited bytes are kept too: someone may want to see what was changed.
        quarantine += line + [0x0A]
        continue
      }
      report.droppedLines.append(d)
      quarantine += line + [0x0A]
    }
    if inspection.tornTail != nil { quarantine += found.tailBytes + [0x0A] }
    restored.sort { $0.offset < $1.offset }
    report.keptRecords = inspection.validCount + restored.count

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
        defer { fs.close(fd) }
        try writeRepaired(
          found, restored: restored, to: fd, temp: temp, from: path, fileSystem: fs,
          chunkBytes: chunkBytes)
        try wrap {
          try fs.sync(fd)
          try fs.linkUnnamed(fd, to: temp)
        }
      } else {
        let fd = try wrap { try fs.createExclusive(temp, permissions: mode) }
        defer { fs.close(fd) }
        try writeRepaired(
          found, restored: restored, to: fd, temp: temp, from: path, fileSystem: fs,
          chunkBytes: chunkBytes)
        try wrap { try fs.sync(fd) }
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

  /// Writes the repaired log to `fd` (the file `temp`): the header (or a new one when it was
  /// damaged), then every line of the log at `path` that stays, read again in chunks: valid
  /// records byte for byte and `restored` lines at their places; damaged lines, conflict
  /// markers, repeated headers and the torn tail are left out.
  ///
  /// The log must still be the one `found` describes (the caller holds the lock): a log of
  /// another size is refused.
  static func writeRepaired(
    _ found: StreamedInspection, restored: [(offset: Int, bytes: [UInt8])], to fd: FileDescriptor,
    temp: String, from path: String, fileSystem fs: any FileSystem,
    chunkBytes: Int = streamChunkBytes
  ) throws(StoreError) {
    let source = try wrap { try fs.open(path, readOnly: true) }
    defer { fs.close(source) }
    let size = try wrap { try fs.status(source).size }
    if size != found.inspection.fileSize {
      throw StoreError.io("\(path) changed while it was being repaired; run the repair again")
    }
    let skipped = (found.inspection.damaged + found.inspection.conflictMarkers).map(\.offset)
      .sorted()
    var skip = 0
    var next = 0
    var out: [UInt8] = []
    out.reserveCapacity(min(size, 2 * chunkBytes))
    var written = 0
    func flush() throws(StoreError) {
      try wrap { try fs.writeAll(fd, out, offset: written, path: temp) }
      written += out.count
      out.removeAll(keepingCapacity: true)
    }
    if found.inspection.header != nil {
      out += found.headerLine
    } else {
      let now = HybridClock.wallMilliseconds()
      out += RecordCodec.encode(LogHeader(storeID: UUIDv7.make(milliseconds: now), created: now))
    }
    let header = Array(found.headerLine.dropLast())
    var offset = 0
    var chunk = chunkBytes
    var peakBytes = 0
    defer { WorkCounter.count("log bytes held at peak", peakBytes) }
    while offset < found.completeEnd {
      let bytes = try wrap {
        try fs.read(source, offset: offset, count: min(chunk, found.completeEnd - offset))
      }
      guard let lastNL = bytes.lastIndex(of: 0x0A) else {
        if !bytes.isEmpty && offset + bytes.count < found.completeEnd {
          chunk *= 2  // a line longer than the chunk
          continue
        }
        throw StoreError.io("\(path) changed while it was being repaired; run the repair again")
      }
      chunk = chunkBytes
      peakBytes = max(peakBytes, bytes.count + out.count)
      bytes.withUnsafeBytes { raw in
        guard let base = raw.baseAddress else { return }
        var pos = 0
        while pos <= lastNL, let nl = memchr(base + pos, 0x0A, lastNL + 1 - pos) {
          let lf = base.distance(to: UnsafeRawPointer(nl))
          let at = offset + pos
          let line = UnsafeRawBufferPointer(start: base + pos, count: lf - pos)
          pos = lf + 1
          while skip < skipped.count && skipped[skip] < at { skip += 1 }
          // Line 1 is the header written above; damaged lines and conflict markers go.
          if at == 0 || (skip < skipped.count && skipped[skip] == at) { continue }
          // A repeated header (a union merge of two copies) goes too.
          if !header.isEmpty && line.elementsEqual(header) { continue }
          while next < restored.count && restored[next].offset < at {
            out += restored[next].bytes
            next += 1
          }
          out += UnsafeRawBufferPointer(start: line.baseAddress, count: line.count + 1)
        }
      }
      if out.count >= chunkBytes { try flush() }
      offset += lastNL + 1
    }
    while next < restored.count {
      out += restored[next].bytes
      next += 1
    }
    try flush()
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
