import Dispatch
import Foundation
import WorkCounting

/// A CSV of incidents imported straight from its bytes to record lines and incidents.
///
/// The same records, bytes for bytes, and the same state as ``Importer/csv(_:into:context:parallelFrom:)``
/// planned and written through ``Workspace/perform(_:)``, without the drafts, the JSON trees
/// and the replay in between. It takes only what it can vouch for: a file that is well formed
/// and whose every row would be accepted. Anything else (a bad row, a byte order mark, an
/// unusual header, a cell near a record's size) gives nil, and the caller runs the general
/// import, which gives the same error or the same records.
enum CSVEncodedImport {
  /// One cell: its bytes in the file, and whether it holds doubled quotes to undo.
  struct Cell: Sendable {
    var start: Int
    var end: Int
    var doubled: Bool
  }

  /// The cells of every row, in order (`rows[k]` is where row `k`'s cells start in `cells`).
  struct Table: Sendable {
    var cells: [Cell] = []
    var rows: [Int] = []

    func cellRange(_ row: Int) -> Range<Int> {
      rows[row]..<(row + 1 < rows.count ? rows[row + 1] : cells.count)
    }
  }

  /// The rows of `bytes` as ``CSV/rows(utf8:)`` reads them, or nil where it would throw or
  /// where the text starts with a byte order mark.
  static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Table? {
    let quote: UInt8 = 0x22
    let comma: UInt8 = 0x2C
    let lf: UInt8 = 0x0A
    let cr: UInt8 = 0x0D
    let n = bytes.count
    if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return nil }
    guard let base = bytes.baseAddress else { return Table() }
    var t = Table()
    t.cells.reserveCapacity(n / 40)
    t.rows.reserveCapacity(n / 300)
    var rowStart = 0
    var i = 0
    // Bytes counted for growth tests, a line at a time.
    var counted = 0
    while i < n {
      // At the start of a cell.
      var cell: Cell
      var quoted = false
      if bytes[i] == quote {
        quoted = true
        var j = i + 1
        var doubled = false
        while true {
          guard j < n, let p = memchr(base + j, Int32(quote), n - j) else { return nil }
          let q = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
          if q + 1 < n && bytes[q + 1] == quote {
            doubled = true
            j = q + 2
            continue
          }
          cell = Cell(start: i + 1, end: q, doubled: doubled)
          i = q + 1
          break
        }
        if i < n, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { return nil }
      } else {
        var j = i
        while j < n {
          let b = bytes[j]
          if b == comma || b == lf || b == cr { break }
          if b == quote { return nil }
          j += 1
        }
        cell = Cell(start: i, end: j, doubled: false)
        i = j
      }
      if i < n, bytes[i] == comma {
        if t.cells.count == rowStart { t.rows.append(rowStart) }
        t.cells.append(cell)
        i += 1
        // A comma at the very end leaves an empty last cell.
        if i == n {
          t.cells.append(Cell(start: n, end: n, doubled: false))
          rowStart = t.cells.count
        }
        continue
      }
      // A line end, or the end of the text: an empty line is no row.
      if quoted || cell.end > cell.start || t.cells.count > rowStart {
        if t.cells.count == rowStart { t.rows.append(rowStart) }
        t.cells.append(cell)
        rowStart = t.cells.count
      }
      if i < n {
        if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
        i += 1
      }
      WorkCounter.count("csv.bytes", i - counted)
      counted = i
    }
    WorkCounter.count("csv.bytes", n - counted)
    return t
  }

  /// The text of `cell`, doubled quotes undone; the bytes are checked UTF-8 (``isUTF8(_:)``).
  static func text(_ cell: Cell, _ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let raw = UnsafeBufferPointer(rebasing: bytes[cell.start..<cell.end])
    guard cell.doubled else { return String(decoding: raw, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(raw.count)
    var k = 0
    while k < raw.count {
      out.append(raw[k])
      k += raw[k] == 0x22 ? 2 : 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether `bytes` is well-formed UTF-8: what `String(data:encoding: .utf8)` accepts.
  ///
  /// No overlong forms, surrogates or scalars past U+10FFFF; eight ASCII bytes at a time.
  static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = bytes.count
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i < n {
      if i + 8 <= n {
        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        if word & 0x8080_8080_8080_8080 == 0 {
          i += 8
          continue
        }
      }
      let b = bytes[i]
      if b < 0x80 {
        i += 1
        continue
      }
      func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
        k < n && bytes[k] >= low && bytes[k] <= high
      }
      switch b {
      case 0xC2...0xDF:
        guard cont(i + 1) else { return false }
        i += 2
      case 0xE0:
        guard cont(i + 1, 0xA0), cont(i + 2) else { return false }
        i += 3
      case 0xE1...0xEC, 0xEE...0xEF:
        guard cont(i + 1), cont(i + 2) else { return false }
        i += 3
      case 0xED:
        guard cont(i + 1, 0x80, 0x9F), cont(i + 2) else { return false }
        i += 3
      case 0xF0:
        guard cont(i + 1, 0x90), cont(i + 2), cont(i + 3) else { return false }
        i += 4
      case 0xF1...0xF3:
        guard cont(i + 1), cont(i + 2), cont(i + 3) else { return false }
        i += 4
      case 0xF4:
        guard cont(i + 1, 0x80, 0x8F), cont(i + 2), cont(i + 3) else { return false }
        i += 4
      default: return false
      }
    }
    return true
  }

  /// Whether `cell` trims to nothing (`trimmedSpaces().isEmpty`).
  static func isBlank(_ cell: Cell, _ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    if cell.start == cell.end { return true }
    // A visible ASCII character is never trimmed.
    for k in cell.start..<cell.end where bytes[k] > 0x20 && bytes[k] < 0x7F { return false }
    return text.trimmedSpaces().isEmpty
  }

  /// One row's incident, as ``LearningState/planAddIncident(_:_:)`` makes it.
  struct Row: Sendable {
    var title: String
    var what: String
    var kind: IncidentKind
    var severity: Severity
    var occurred: Day
    /// `occurred` as the record writes it.
    var occurredText: String
    var team: String
    var owner: String
    var tags: [String]
    var triggers: [String]
    var patterns: [String]
  }

  /// The columns the importer reads, by their index in a row (nil: not in the file).
  struct Columns: Sendable {
    var title: Int?
    var what: Int?
    var kind: Int?
    var severity: Int?
    var team: Int?
    var owner: Int?
    var tags: Int?
    var triggers: Int?
    var patterns: Int?
    var occurred: Int?
    var count: Int
  }

  /// The columns of a header the general import accepts, or nil.
  static func columns(_ header: [String]) -> Columns? {
    var c = Columns(count: header.count)
    let ignored: Set<String> = ["id", "status", "root-cause", "gap"]
    var seen: Set<String> = []
    for (i, raw) in header.enumerated() {
      // Only plain ASCII names: the general import trims and lowercases any other itself.
      guard raw.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
      let n = raw.lowercased()
      guard seen.insert(n).inserted else { return nil }
      switch n {
      case "title": c.title = i
      case "what": c.what = i
      case "kind": c.kind = i
      case "severity": c.severity = i
      case "team": c.team = i
      case "owner": c.owner = i
      case "tags": c.tags = i
      case "triggers": c.triggers = i
      case "patterns": c.patterns = i
      case "occurred": c.occurred = i
      default: guard ignored.contains(n) else { return nil }
      }
    }
    return c.title == nil ? nil : c
  }

  /// Row `k`'s incident, or nil when the general import would refuse the row (or skip it:
  /// `blank` is then set).
  static func row(
    _ cells: ArraySlice<Cell>, _ bytes: UnsafeBufferPointer<UInt8>, _ cols: Columns,
    _ state: LearningState, today: Day, blank: inout Bool, texts: inout [String]
  ) -> Row? {
    WorkCounter.count("csv.cells", cells.count)
    texts.removeAll(keepingCapacity: true)
    var total = 0
    var allBlank = true
    for c in cells {
      let raw = text(c, bytes)
      let t = CSV.unguard(raw)
      let size = t.utf8.count
      guard size <= JSONLimits.store.maxStringBytes else { return nil }
      total += size
      if allBlank && !isBlank(c, raw, bytes) { allBlank = false }
      texts.append(t)
    }
    // A row of one blank cell is skipped unchecked; a blank row of every column, checked.
    if allBlank && cells.count == 1 {
      blank = true
      return nil
    }
    guard cells.count == cols.count, total <= Importer.recordRoom else { return nil }
    if allBlank {
      blank = true
      return nil
    }
    func cell(_ i: Int?) -> String { i.map { texts[$0] } ?? "" }
    func list(_ i: Int?) -> [String] {
      let t = cell(i)
      if t.isEmpty { return [] }
      // In ASCII text a `;` is always a character of its own: split the bytes.
      if t.utf8.allSatisfy({ $0 < 0x80 }) {
        return t.utf8.split(separator: 0x3B).map {
          String(decoding: $0, as: UTF8.self).trimmedSpaces()
        }.filter { !$0.isEmpty }
      }
      return t.split(separator: ";").map { String($0).trimmedSpaces() }.filter { !$0.isEmpty }
    }
    func opt(_ i: Int?) -> String? {
      let v = cell(i).trimmedSpaces()
      return v.isEmpty ? nil : v
    }
    do {
      let title = try state.required(cell(cols.title), "title", "")
      let kind = try opt(cols.kind).map { try IncidentKind.parse($0, field: "kind") } ?? .other
      let severity =
        try opt(cols.severity).map { try Severity.parse($0, field: "severity") } ?? .medium
      let occurred =
        try opt(cols.occurred).map { try Day.parse($0, field: "occurred") } ?? today
      guard occurred <= today else { return nil }
      let patterns = try state.normalisedPatterns(list(cols.patterns))
      return Row(
        title: title, what: cell(cols.what), kind: kind, severity: severity,
        occurred: occurred, occurredText: occurred.description,
        team: cell(cols.team).trimmedSpaces(),
        owner: try state.onePerson(cell(cols.owner)), tags: state.cleanList(list(cols.tags)),
        triggers: state.normalisedTriggers(list(cols.triggers)), patterns: patterns)
    } catch {
      return nil
    }
  }

  /// The body ``LearningState/planAddIncident(_:_:)`` gives `row`, signed by `author`.
  static func body(_ row: Row, author: String) -> JSONValue {
    var body: [String: JSONValue] = [
      "title": .string(row.title), "what": .string(row.what),
      "kind": .string(row.kind.rawValue), "severity": .string(row.severity.rawValue),
      "occurred": .string(row.occurredText), "team": .string(row.team),
      "owner": .string(row.owner), "tags": .array(row.tags.map { .string($0) }),
      "triggers": .array(row.triggers.map { .string($0) }),
      "patterns": .array(row.patterns.map { .string($0) }),
    ]
    if !author.isEmpty { body["by"] = .string(author) }
    return .object(body)
  }

  /// Whether ``Importer/checkFits(_:_:)`` passes `row`'s body without encoding it: every
  /// string within the store's bound and its upper bound of the encoded size within a
  /// record's room. (A row it would measure by encoding is left to the general import.)
  static func fits(_ row: Row, author: String, entity: String) -> Bool {
    guard entity.utf8.count <= LogBounds.maxNameBytes else { return false }
    let bound = JSONLimits.store.maxStringBytes
    var most = 3  // the object: its comma and braces
    var ok = true
    func member(_ key: Int, _ text: String) {
      let n = text.utf8.count
      if n > bound { ok = false }
      most += 3 + 6 * key + 1 + 2 + 6 * n
    }
    func member(_ key: Int, _ list: [String]) {
      if list.count > 1_000 { ok = false }
      most += 3 + 6 * key + 1 + 2
      for t in list {
        let n = t.utf8.count
        if n > bound { ok = false }
        most += 1 + 2 + 6 * n
      }
    }
    member(5, row.title)
    member(4, row.what)
    member(4, row.kind.rawValue)
    member(8, row.severity.rawValue)
    member(8, row.occurredText)
    member(4, row.team)
    member(5, row.owner)
    member(4, row.tags)
    member(8, row.triggers)
    member(8, row.patterns)
    if !author.isEmpty { member(2, author) }
    return ok && most <= Importer.recordRoom
  }

  /// Appends the record line of `row` to `out`: what ``RecordCodec/encode(_:)-(Record)``
  /// writes for its record, byte for byte.
  static func appendLine(
    _ row: Row, entity: String, id: String, clock: HybridTimestamp, writer: String,
    author: String, to out: inout [UInt8]
  ) throws(JSONSerializeError) {
    let start = out.count
    func key(_ k: StaticString) {
      out.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
    }
    func list(_ values: [String]) throws(JSONSerializeError) {
      out.append(0x5B)
      for (i, v) in values.enumerated() {
        if i > 0 { out.append(0x2C) }
        try JSONSerializer.appendString(v, to: &out)
      }
      out.append(0x5D)
    }
    key(#"{"id":"#)
    try JSONSerializer.appendString(id, to: &out)
    key(#","ts":"#)
    JSONSerializer.appendInt(Int(clock.wall), to: &out)
    key(#","lc":"#)
    JSONSerializer.appendInt(Int(clock.logical), to: &out)
    key(#","w":"#)
    try JSONSerializer.appendString(writer, to: &out)
    key(#","type":"incident.created","v":1,"e":"#)
    try JSONSerializer.appendString(entity, to: &out)
    // The body's keys in the order of their bytes, as the serializer sorts them.
    key(#","d":{"#)
    if !author.isEmpty {
      key(#""by":"#)
      try JSONSerializer.appendString(author, to: &out)
      out.append(0x2C)
    }
    key(#""kind":"#)
    try JSONSerializer.appendString(row.kind.rawValue, to: &out)
    key(#","occurred":"#)
    try JSONSerializer.appendString(row.occurredText, to: &out)
    key(#","owner":"#)
    try JSONSerializer.appendString(row.owner, to: &out)
    key(#","patterns":"#)
    try list(row.patterns)
    key(#","severity":"#)
    try JSONSerializer.appendString(row.severity.rawValue, to: &out)
    key(#","tags":"#)
    try list(row.tags)
    key(#","team":"#)
    try JSONSerializer.appendString(row.team, to: &out)
    key(#","title":"#)
    try JSONSerializer.appendString(row.title, to: &out)
    key(#","triggers":"#)
    try list(row.triggers)
    key(#","what":"#)
    try JSONSerializer.appendString(row.what, to: &out)
    out.append(0x7D)
    let crc = out.withUnsafeBytes {
      CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...]))
    }
    key(#","crc":""#)
    out.append(contentsOf: CRC32C.hex(crc))
    out.append(contentsOf: [0x22, 0x7D, 0x0A])
    if out.count - start - 1 > LogBounds.maxLineBytes {
      throw JSONSerializeError(reason: "the record is longer than 1 MiB")
    }
  }

  /// What one run over some rows made: their lines and their incidents, or nil when a row
  /// is left to the general import.
  struct Part: Sendable {
    var bytes: [UInt8] = []
    var incidents: [Incident] = []
    var ids: [EventID] = []
  }

  /// Checks and reads rows of a table; two threads run disjoint ranges of rows.
  struct RowJob: @unchecked Sendable {
    let table: Table
    let bytes: UnsafeBufferPointer<UInt8>
    let cols: Columns
    let state: LearningState
    let today: Day
    /// Each row's incident, once read.
    let rows: UnsafeMutableBufferPointer<Row?>
    /// Whether each row is blank (skipped).
    let blank: UnsafeMutableBufferPointer<Bool>
    /// Whether each part met a row left to the general import.
    let bad: UnsafeMutablePointer<Bool>

    /// Reads the rows of `range`; stops at the first left to the general import.
    func run(_ part: Int, _ range: Range<Int>) {
      var texts: [String] = []
      texts.reserveCapacity(cols.count)
      for k in range {
        var b = false
        rows[k] = row(
          table.cells[table.cellRange(k)], bytes, cols, state, today: today, blank: &b,
          texts: &texts)
        blank[k] = b
        if rows[k] == nil && !b {
          bad[part] = true
          return
        }
      }
    }
  }

  /// Encodes rows read by ``RowJob`` into lines and incidents.
  struct EncodeJob: @unchecked Sendable {
    /// The rows ``RowJob`` read (only read here).
    let rows: UnsafeMutableBufferPointer<Row?>
    let todo: [Int]
    /// About how many bytes a row's line takes.
    let perRow: Int
    let entities: [String]
    let clocks: [HybridTimestamp]
    let writer: String
    let author: String

    /// The lines and incidents of `todo[range]`, or nil when one is left to the general
    /// import.
    func run(_ range: Range<Int>) -> Part? {
      var part = Part()
      part.bytes.reserveCapacity(range.count * perRow)
      part.incidents.reserveCapacity(range.count)
      part.ids.reserveCapacity(range.count)
      var rng = BufferedRandom()
      for j in range {
        guard let r = rows[todo[j]], fits(r, author: author, entity: entities[j]) else {
          return nil
        }
        let c = clocks[j]
        let id = UUIDv7.make(milliseconds: c.wall, using: &rng)
        do {
          try appendLine(
            r, entity: entities[j], id: id, clock: c, writer: writer, author: author,
            to: &part.bytes)
        } catch {
          return nil
        }
        part.ids.append(EventID(rawValue: id))
        part.incidents.append(
          Incident(
            id: entities[j], title: r.title, what: r.what, kind: r.kind, severity: r.severity,
            occurred: r.occurred, team: r.team, owner: r.owner, tags: r.tags,
            triggers: r.triggers, patterns: r.patterns, status: .open,
            template: ReviewTemplate.defaultName, answers: [:], createdAt: c.wall,
            createdBy: author))
      }
      return part
    }
  }

  /// The plan of a CSV import of `data` into `state`: nil when the general import must run.
  ///
  /// `ids` draws the new incidents' ids, one a row in row order, as the general import does.
  static func plan(
    _ data: Data, into state: LearningState, today: Day, author: String?,
    stamp: AppendStamp, parallelFrom: Int = Importer.parallelRows, ids draw: () -> String
  ) -> EncodedPlan? {
    let author = author ?? ""
    let writer = stamp.writer
    guard !writer.isEmpty, writer.utf8.count <= LogBounds.maxNameBytes else { return nil }
    return data.withUnsafeBytes { raw -> EncodedPlan? in
      let bytes = raw.bindMemory(to: UInt8.self)
      guard isUTF8(bytes), let table = scan(bytes), !table.rows.isEmpty else { return nil }
      let header = table.cells[table.cellRange(0)].map { text($0, bytes) }
      guard let cols = columns(header) else { return nil }
      // Which rows become incidents (blank ones are skipped), checked before any id is drawn.
      let count = table.rows.count
      let job = RowJob(
        table: table, bytes: bytes, cols: cols, state: state, today: today,
        rows: .allocate(capacity: count), blank: .allocate(capacity: count),
        bad: .allocate(capacity: 2))
      job.rows.initialize(repeating: nil)
      job.blank.initialize(repeating: false)
      job.bad.initialize(repeating: false, count: 2)
      defer {
        _ = job.rows.deinitialize()
        job.rows.deallocate()
        job.blank.deallocate()
        job.bad.deallocate()
      }
      if count - 1 >= parallelFrom {
        let mid = 1 + (count - 1) / 2
        DispatchQueue.concurrentPerform(iterations: 2) { i in
          job.run(i, i == 0 ? 1..<mid : mid..<count)
        }
      } else {
        job.run(0, 1..<count)
      }
      guard !job.bad[0], !job.bad[1] else { return nil }
      var todo: [Int] = []
      todo.reserveCapacity(count)
      for k in 1..<count where !job.blank[k] { todo.append(k) }
      guard !todo.isEmpty else { return nil }
      // The new ids, in row order; every one must be free.
      var entities: [String] = []
      entities.reserveCapacity(todo.count)
      for _ in todo {
        let id = draw()
        guard state.kind(of: id) == nil, !state.tombstones.contains(id) else { return nil }
        entities.append(id)
      }
      var clock = stamp.clock
      var clocks: [HybridTimestamp] = []
      clocks.reserveCapacity(todo.count)
      for _ in todo { clocks.append(clock.tick(now: stamp.now)) }
      // Each row's line and incident; in two halves on two threads for a large file.
      let encoder = EncodeJob(
        rows: job.rows, todo: todo, perRow: bytes.count / max(1, count) + 320, entities: entities,
        clocks: clocks, writer: writer,
        author: author)
      let parts: [Part?]
      let total = todo.count
      if total >= parallelFrom {
        let mid = total / 2
        let out = UnsafeMutablePointer<Part?>.allocate(capacity: 2)
        out.initialize(repeating: nil, count: 2)
        defer {
          out.deinitialize(count: 2)
          out.deallocate()
        }
        struct Out: @unchecked Sendable { let p: UnsafeMutablePointer<Part?> }
        let o = Out(p: out)
        DispatchQueue.concurrentPerform(iterations: 2) { i in
          o.p[i] = encoder.run(i == 0 ? 0..<mid : mid..<total)
        }
        parts = [out[0], out[1]]
      } else {
        parts = [encoder.run(0..<todo.count)]
      }
      var done: [Part] = []
      for p in parts {
        guard let p else { return nil }
        done.append(p)
      }
      let lines = EncodedLines(chunks: done.map(\.bytes), count: todo.count, clock: clock)
      for k in done.indices { done[k].bytes = [] }
      return EncodedPlan(lines: lines) { [done] state in
        state.applyCreated(
          done.map(\.incidents), ids: done.map(\.ids), clocks: clocks, writer: writer)
      }
    }
  }
}

extension LearningState {
  /// Applies the `incident.created` records of `parts` (incidents, one after another), as
  /// ``apply(_:)`` of each record would: the `k`th has id `ids` (in the same parts), clock
  /// `clocks[k]` and writer `writer`.
  ///
  /// A new incident after every record applied is inserted as it is; any other record (one
  /// that sorts earlier, an id already there, a deleted id) goes through ``apply(_:)``.
  mutating func applyCreated(
    _ parts: [[Incident]], ids: [[EventID]], clocks: [HybridTimestamp], writer: String
  ) {
    let total = clocks.count
    self.incidents.reserveCapacity(self.incidents.count + total)
    _incidentOrder.reserveCapacity(_incidentOrder.count + total)
    appliedIDs.reserveCapacity(total)
    var n = 0
    for (incidents, partIDs) in zip(parts, ids) {
      for k in incidents.indices {
        applyCreated(incidents[k], id: partIDs[k], clock: clocks[n], writer: writer)
        n += 1
      }
    }
  }

  /// Applies one `incident.created` record of `inc` (see ``applyCreated(_:ids:clocks:writer:)``).
  private mutating func applyCreated(
    _ inc: Incident, id: EventID, clock: HybridTimestamp, writer: String
  ) {
    var after = true
    if let last = lastClock {
      if clock != last {
        after = last < clock
      } else if writer != lastWriter {
        after = lastWriter < writer
      } else {
        after = lastID < id
      }
    }
    guard after, lateSeen == nil, !inc.id.isEmpty, !tombstones.contains(inc.id),
      !self.incidents.contains(inc.id)
    else {
      let row = CSVEncodedImport.Row(
        title: inc.title, what: inc.what, kind: inc.kind, severity: inc.severity,
        occurred: inc.occurred, occurredText: inc.occurred.description, team: inc.team,
        owner: inc.owner, tags: inc.tags,
        triggers: inc.triggers, patterns: inc.patterns)
      apply(
        Record(
          id: id, clock: clock, writer: writer, type: EventType.incidentCreated, schema: 1,
          entity: inc.id, body: CSVEncodedImport.body(row, author: inc.createdBy)))
      return
    }
    lastClock = clock
    lastWriter = writer
    lastID = id
    appliedIDs.append(id)
    self.incidents[inc.id] = inc
    appendToIncidentOrder(inc.id)
    if !inc.patterns.isEmpty { indexPatterns(inc.id, old: [], new: inc.patterns) }
    released(inc.id)
  }
}
