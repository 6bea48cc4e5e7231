import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A line that is not a valid record: where it is and why.
public struct DamagedLine: Hashable, Sendable {
  /// 1-based line number (the header is line 1).
  public var line: Int
  /// Byte offset of the line's first byte.
  public var offset: Int
  /// Length in bytes, newline excluded.
  public var length: Int
  /// Why it is damaged.
  public var reason: String
}

/// The full classification of a log file, for `learnlog check`.
public struct LogInspection: Sendable {
  /// The file inspected.
  public var path: String
  /// Its size in bytes.
  public var fileSize: Int
  /// The header, when line 1 is a valid header.
  public var header: LogHeader?
  /// The format version, when the file is from a newer learnlog.
  public var newerFormat: Int?
  /// Every valid record, in file order; empty from ``LogStore/diagnose(path:fileSystem:)``,
  /// which reads the log in chunks and keeps none (``validCount`` still counts them).
  public var records: [Record]
  /// The number of valid records.
  public var validCount: Int
  /// Byte offset just after the last valid line: where a torn tail would be cut.
  public var validEnd: Int
  /// Bytes after the last newline (an interrupted append, or one in flight).
  public var tornTail: Range<Int>?
  /// Newline-terminated lines that fail their checksum or schema (the header included).
  public var damaged: [DamagedLine]
  /// Git conflict marker lines.
  public var conflictMarkers: [DamagedLine]

  /// Whether the file has no damage, no conflict markers and no torn tail.
  public var isClean: Bool {
    header != nil && damaged.isEmpty && conflictMarkers.isEmpty && tornTail == nil
  }
}

/// Splits log bytes into valid records, damaged lines, conflict markers and a tail.
struct LogScanner {
  /// The outcome of scanning a byte range.
  struct Scan {
    var header: LogHeader?
    var headerBytes: [UInt8] = []
    var newerFormat: Int?
    var records: [Record] = []
    /// The records, prepared for applying, when the scan was asked to prepare them
    /// (``records`` and ``recordLines`` are then empty).
    var prepared = PreparedBatch()
    /// The writer ids (and event types) the prepared records name by place.
    var names: [String] = []
    var recordLines: [Range<Int>] = []
    var damaged: [DamagedLine] = []
    var conflicts: [DamagedLine] = []
    /// Offset after the last newline scanned.
    var completeEnd: Int
    /// Offset after the last valid line (header included).
    var validEnd: Int
    /// Lines consumed so far (the next line's number is `lines + 1`).
    var lines: Int
  }

  static func isConflictMarker(_ line: UnsafeRawBufferPointer) -> Bool {
    // `<<<<<<<`, `>>>>>>>`, `|||||||` followed by nothing or a space; `=======` alone.
    guard line.count >= 7 else { return false }
    let c = line[0]
    guard c == 0x3C || c == 0x3E || c == 0x3D || c == 0x7C else { return false }
    var i = 1
    while i < 7 {
      if line[i] != c { return false }
      i += 1
    }
    if c == 0x3D { return line.count == 7 }
    return line.count == 7 || line[7] == 0x20
  }

  /// Scans `bytes` from `start`; `lines` complete lines precede `start`.
  ///
  /// With `start == 0` line 1 is read as the header. Scanning stops at the last newline:
  /// the bytes after it are the caller's to judge (torn or in flight).
  ///
  /// A later line identical to the header (`header`, or line 1 when scanning from 0) is what
  /// a union merge of two copies of one log can leave: it is skipped, neither a record nor
  /// damage.
  ///
  /// With `prepare`, records go to ``Scan/prepared`` (``PreparedDecoder``), each line's
  /// offset relative to `bytes`.
  static func scan(
    _ bytes: UnsafeRawBufferPointer, start: Int, lines: Int, end: Int? = nil,
    header: UnsafeRawBufferPointer? = nil, prepare: Bool = false
  ) -> Scan {
    var s = Scan(completeEnd: start, validEnd: start, lines: lines)
    guard let base = bytes.baseAddress else { return s }
    var headerLine = header
    let n = end ?? bytes.count
    var pos = start
    var interner = StringInterner()
    if prepare {
      s.prepared.reserve(lines: max(0, (n - start) / 200))
    } else {
      s.records.reserveCapacity(max(0, (n - start) / 200))
    }
    while pos < n {
      guard let nl = memchr(base + pos, 0x0A, n - pos) else { break }
      let lf = base.distance(to: UnsafeRawPointer(nl))
      let line = UnsafeRawBufferPointer(start: base + pos, count: lf - pos)
      s.lines += 1
      if s.lines == 1 {
        switch RecordCodec.decodeHeader(line) {
        case .header(let h):
          s.header = h
          s.headerBytes = Array(UnsafeRawBufferPointer(start: base, count: lf + 1))
          s.validEnd = lf + 1
          headerLine = line
        case .newerFormat(let v):
          s.newerFormat = v
          s.completeEnd = lf + 1
          return s
        case .damaged(let reason):
          if isConflictMarker(line) {
            s.conflicts.append(
              DamagedLine(line: 1, offset: pos, length: line.count, reason: "git conflict marker"))
          } else {
            s.damaged.append(DamagedLine(line: 1, offset: pos, length: line.count, reason: reason))
          }
        }
      } else if isConflictMarker(line) {
        s.conflicts.append(
          DamagedLine(line: s.lines, offset: pos, length: line.count, reason: "git conflict marker")
        )
      } else if let h = headerLine, h.count == line.count, let hb = h.baseAddress,
        memcmp(hb, base + pos, line.count) == 0
      {
        s.validEnd = lf + 1
      } else {
        let failure: LineReason
        if prepare {
          guard
            let why = PreparedDecoder.decode(
              line, at: pos, interner: &interner, into: &s.prepared)
          else {
            s.validEnd = lf + 1
            pos = lf + 1
            continue
          }
          failure = why
        } else {
          switch RecordCodec.decodeRecord(line, interner: &interner) {
          case .success(let r):
            s.records.append(r)
            s.recordLines.append(pos..<lf + 1)
            s.validEnd = lf + 1
            pos = lf + 1
            continue
          case .failure(let why): failure = why
          }
        }
        var reason = failure.text
        if case .header(let other) = RecordCodec.decodeHeader(line) {
          reason =
            "the header of another log (store \(other.storeID)): two separately created "
            + "logs were merged"
        }
        s.damaged.append(
          DamagedLine(line: s.lines, offset: pos, length: line.count, reason: reason))
      }
      pos = lf + 1
    }
    s.completeEnd = pos
    if prepare { s.names = interner.strings }
    return s
  }

  /// Scans a whole file, in two halves on two threads when it is large.
  static func scanWhole(_ bytes: UnsafeRawBufferPointer) -> Scan {
    scanInTwo(bytes, end: bytes.count, lines: 0, header: nil)
  }

  /// Scans `bytes[..<end]`, in two halves on two threads when it holds at least `minimum`
  /// bytes; `lines` complete lines precede it (0: it starts with the header).
  ///
  /// A chunk after the first is scanned with `lines > 0` and the log's `header` line, so its
  /// line numbers and repeated headers come out as in a scan of the whole file.
  static func scanInTwo(
    _ bytes: UnsafeRawBufferPointer, end n: Int, lines: Int, header: UnsafeRawBufferPointer?,
    minimum: Int = 4 << 20
  ) -> Scan {
    let whole = { scan(bytes, start: 0, lines: lines, end: n, header: header) }
    guard n >= minimum, let base = bytes.baseAddress,
      let nl = memchr(base + n / 2, 0x0A, n - n / 2)
    else { return whole() }
    let mid = base.distance(to: UnsafeRawPointer(nl)) + 1
    if mid >= n { return whole() }
    /// The two threads read the same immutable bytes and write disjoint slots.
    struct Shared: @unchecked Sendable {
      let bytes: UnsafeRawBufferPointer
      let given: UnsafeRawBufferPointer?
      let header: UnsafeRawBufferPointer?
      let out: UnsafeMutablePointer<Scan?>
    }
    let out = UnsafeMutablePointer<Scan?>.allocate(capacity: 2)
    out.initialize(repeating: nil, count: 2)
    defer {
      out.deinitialize(count: 2)
      out.deallocate()
    }
    var firstLine = header
    if lines == 0 {
      let firstEnd = memchr(base, 0x0A, n).map { base.distance(to: UnsafeRawPointer($0)) } ?? 0
      firstLine = UnsafeRawBufferPointer(start: base, count: firstEnd)
      if let f = firstLine, case .header = RecordCodec.decodeHeader(f) {} else { firstLine = nil }
    }
    let shared = Shared(bytes: bytes, given: header, header: firstLine, out: out)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      // The second half starts mid-chunk: line numbers are fixed up once the first is counted.
      shared.out[i] =
        i == 0
        ? scan(shared.bytes, start: 0, lines: lines, end: mid, header: shared.given)
        : scan(shared.bytes, start: mid, lines: 1, end: n, header: shared.header)
    }
    guard var a = out[0], let b = out[1] else { return whole() }
    if a.newerFormat != nil || a.completeEnd != mid { return whole() }
    let shift = a.lines - 1
    a.records.append(contentsOf: b.records)
    a.recordLines.append(contentsOf: b.recordLines)
    a.damaged += b.damaged.map {
      DamagedLine(line: $0.line + shift, offset: $0.offset, length: $0.length, reason: $0.reason)
    }
    a.conflicts += b.conflicts.map {
      DamagedLine(line: $0.line + shift, offset: $0.offset, length: $0.length, reason: $0.reason)
    }
    if !b.records.isEmpty { a.validEnd = b.validEnd }
    a.completeEnd = b.completeEnd
    a.lines = b.lines + shift
    return a
  }

  /// A full inspection of `bytes` read from `path`.
  static func inspect(_ bytes: [UInt8], path: String) -> LogInspection {
    let s = bytes.withUnsafeBytes { scanWhole($0) }
    var damaged = s.damaged
    if bytes.isEmpty {
      damaged.append(DamagedLine(line: 1, offset: 0, length: 0, reason: "empty file: no header"))
    } else if s.lines == 0 && s.newerFormat == nil {
      damaged.append(
        DamagedLine(line: 1, offset: 0, length: bytes.count, reason: "incomplete header"))
    }
    let tail: Range<Int>? =
      s.newerFormat == nil && s.lines > 0 && s.completeEnd < bytes.count
      ? s.completeEnd..<bytes.count : nil
    return LogInspection(
      path: path, fileSize: bytes.count, header: s.header, newerFormat: s.newerFormat,
      records: s.records, validCount: s.records.count, validEnd: s.validEnd, tornTail: tail,
      damaged: damaged,
      conflictMarkers: s.conflicts)
  }
}
