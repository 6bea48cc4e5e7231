import WorkCounting

/// What one streaming pass over a log keeps: what `check` and `repair` report, no records.
struct StreamedInspection {
  /// The classification, with no records (``LogInspection/validCount`` counts them).
  var inspection: LogInspection
  /// What is known about each damaged line, in the order of `inspection.damaged`.
  var damage: [DamageDiagnosis]
  /// Each damaged line's bytes (newline excluded), when the pass was asked to keep them.
  var damagedBytes: [[UInt8]] = []
  /// The torn tail's bytes, when the pass was asked to keep them.
  var tailBytes: [UInt8] = []
  /// Line 1 with its newline, when it is a valid header.
  var headerLine: [UInt8] = []
  /// Offset after the last newline read: where the complete lines end.
  var completeEnd = 0
}

extension LogStore {
  /// The bytes read at a time by a streaming pass over a log.
  public static let streamChunkBytes = 4 << 20

  /// Classifies every line of the open file `fd` reading it `chunkBytes` at a time.
  ///
  /// Keeps no record and never the whole file: only the damaged lines (with their record id,
  /// whether they look edited by hand and whether their record is valid elsewhere in the file),
  /// the conflict markers, a count of valid records and each valid record's id packed in two
  /// words. Reports the same lines, reasons and offsets as ``LogScanner/inspect(_:path:)`` of
  /// the whole file. With `keepLines`, the damaged lines' and the torn tail's bytes are kept
  /// too (for the quarantine).
  static func inspectStreaming(
    _ fd: FileDescriptor, path: String, fileSystem fs: any FileSystem, keepLines: Bool = false,
    chunkBytes: Int = streamChunkBytes
  ) throws(StoreError) -> StreamedInspection {
    var out = StreamedInspection(
      inspection: LogInspection(
        path: path, fileSize: 0, header: nil, newerFormat: nil, records: [], validCount: 0,
        validEnd: 0, tornTail: nil, damaged: [], conflictMarkers: []),
      damage: [])
    var ids = AppliedIDs()
    var offset = 0
    var lines = 0
    var chunk = chunkBytes
    var peakHeld = 0
    var peakBytes = 0
    var last: [UInt8] = []
    while true {
      let bytes = try wrap { try fs.read(fd, offset: offset, count: chunk) }
      last = bytes
      peakBytes = max(peakBytes, bytes.count)
      if bytes.isEmpty { break }
      guard let lastNL = bytes.lastIndex(of: 0x0A) else {
        if bytes.count == chunk {
          chunk *= 2  // a line longer than the chunk
          continue
        }
        break  // the end of the file: what is left is a torn tail
      }
      let end = lastNL + 1
      let s = bytes.withUnsafeBytes { raw in
        out.headerLine.withUnsafeBytes { h in
          let header = h.isEmpty ? nil : UnsafeRawBufferPointer(rebasing: h.dropLast())
          return LogScanner.scanInTwo(raw, end: end, lines: lines, header: header, minimum: 1 << 20)
        }
      }
      peakHeld = max(peakHeld, s.records.count)
      if lines == 0 {
        out.inspection.header = s.header
        out.inspection.newerFormat = s.newerFormat
        if s.header != nil { out.headerLine = s.headerBytes }
      }
      for d in s.damaged {
        var d = d
        let line = Array(bytes[d.offset..<d.offset + d.length])
        d.offset += offset
        out.inspection.damaged.append(d)
        out.damage.append(Self.diagnosis(of: d, line: line))
        if keepLines { out.damagedBytes.append(line) }
      }
      for c in s.conflicts {
        var c = c
        c.offset += offset
        out.inspection.conflictMarkers.append(c)
      }
      for r in s.records { ids.append(r.id) }
      out.inspection.validCount += s.records.count
      if s.validEnd > 0 { out.inspection.validEnd = offset + s.validEnd }
      lines = s.lines
      offset += s.completeEnd
      if s.newerFormat != nil {
        last = []
        break
      }
      chunk = chunkBytes
    }
    WorkCounter.count("log records held at peak", peakHeld)
    WorkCounter.count("log bytes held at peak", peakBytes)
    out.completeEnd = offset
    var size = offset + last.count
    if out.inspection.newerFormat != nil { size = try wrap { try fs.status(fd).size } }
    out.inspection.fileSize = size
    if size == 0 {
      let d = DamagedLine(line: 1, offset: 0, length: 0, reason: "empty file: no header")
      out.inspection.damaged.append(d)
      out.damage.append(Self.diagnosis(of: d, line: []))
      if keepLines { out.damagedBytes.append([]) }
    } else if lines == 0 && out.inspection.newerFormat == nil {
      let d = DamagedLine(line: 1, offset: 0, length: size, reason: "incomplete header")
      out.inspection.damaged.append(d)
      out.damage.append(Self.diagnosis(of: d, line: last))
      if keepLines { out.damagedBytes.append(last) }
    } else if out.inspection.newerFormat == nil && !last.isEmpty {
      out.inspection.tornTail = offset..<size
      if keepLines { out.tailBytes = last }
    }
    // Whether each damaged line's record is valid elsewhere: one walk of the ids kept.
    let present = ids.containing(out.damage.compactMap(\.recordID))
    for i in out.damage.indices {
      out.damage[i].recordPresent = out.damage[i].recordID.map { present.contains($0) } ?? false
    }
    return out
  }

  /// What is known about one damaged line from its bytes (whether its record is valid
  /// elsewhere is settled once the whole file is read).
  static func diagnosis(of d: DamagedLine, line: [UInt8]) -> DamageDiagnosis {
    DamageDiagnosis(
      damage: d, recordID: RecordCodec.recordID(inDamagedLine: line),
      looksHandEdited: RecordCodec.looksHandEdited(line), recordPresent: false)
  }
}

extension AppliedIDs {
  /// Which of `wanted` are among these ids, in one walk of them.
  func containing(_ wanted: [String]) -> Set<String> {
    guard !wanted.isEmpty else { return [] }
    /// A packed id, hashable.
    struct Key: Hashable {
      var hi: UInt64
      var lo: UInt64
    }
    var byKey: [Key: [String]] = [:]
    var others: Set<String> = []
    for id in wanted {
      if let (hi, lo) = Self.pack(id) {
        byKey[Key(hi: hi, lo: lo), default: []].append(id)
      } else {
        others.insert(id)
      }
    }
    var found = Set<String>()
    for o in other where others.contains(o) { found.insert(o) }
    guard !byKey.isEmpty else { return found }
    let words = packedWords()
    var i = 0
    while i + 1 < words.count {
      if let names = byKey[Key(hi: words[i], lo: words[i + 1])] { found.formUnion(names) }
      i += 2
    }
    return found
  }
}
