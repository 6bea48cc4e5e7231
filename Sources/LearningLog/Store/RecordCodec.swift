#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The first line of every log: format version, store id and creation time.
public struct LogHeader: Hashable, Sendable {
  /// The format version this build reads and writes.
  public static let currentFormat = 1

  /// The format version of the file.
  public var format: Int
  /// A UUID naming this store (caches are tied to it).
  public var storeID: String
  /// Creation time, milliseconds since the Unix epoch.
  public var created: Int64

  /// A header with every field given.
  public init(format: Int = LogHeader.currentFormat, storeID: String, created: Int64) {
    self.format = format
    self.storeID = storeID
    self.created = created
  }
}

/// Bounds on what one line may hold; over a bound is damage, never a crash.
public enum LogBounds {
  /// The longest line, newline excluded: 1 MiB.
  public static let maxLineBytes = 1 << 20
  /// The longest writer id, type or entity id in bytes.
  public static let maxNameBytes = 256
}

/// Encodes and decodes header and record lines (see `docs/log-format.md`).
public enum RecordCodec {
  static let crcSuffixCount = 18  // ,"crc":"xxxxxxxx"}

  /// Appends `,"crc":"<crc of line so far>"}` and a newline to `line`.
  static func seal(_ line: inout [UInt8]) {
    let crc = line.withUnsafeBytes { CRC32C.checksum($0) }
    line.append(contentsOf: Array(#","crc":""#.utf8))
    line.append(contentsOf: CRC32C.hex(crc))
    line.append(contentsOf: [0x22, 0x7D, 0x0A])
  }

  /// The header line, newline included.
  public static func encode(_ header: LogHeader) -> [UInt8] {
    var line = Array(#"{"learnlog":"#.utf8)
    JSONSerializer.appendInt(header.format, to: &line)
    line.append(contentsOf: Array(#","store":"#.utf8))
    try? JSONSerializer.appendString(header.storeID, to: &line)
    line.append(contentsOf: Array(#","created":"#.utf8))
    JSONSerializer.appendInt(Int(header.created), to: &line)
    seal(&line)
    return line
  }

  /// The record line, newline included; throws when the record is over a bound.
  public static func encode(_ record: Record) throws(StoreError) -> [UInt8] {
    for (name, value) in [
      ("writer", record.writer), ("type", record.type), ("entity", record.entity),
    ]
    where value.utf8.count > LogBounds.maxNameBytes {
      throw StoreError.invalidDraft("the \(name) is longer than \(LogBounds.maxNameBytes) bytes")
    }
    if record.writer.isEmpty || record.type.isEmpty {
      throw StoreError.invalidDraft("a record needs a writer and a type")
    }
    guard case .object = record.body else {
      throw StoreError.invalidDraft("a record body must be a JSON object")
    }
    var line: [UInt8] = []
    line.reserveCapacity(256)
    do {
      line.append(contentsOf: Array(#"{"id":"#.utf8))
      try JSONSerializer.appendString(record.id.rawValue, to: &line)
      line.append(contentsOf: Array(#","ts":"#.utf8))
      JSONSerializer.appendInt(Int(record.clock.wall), to: &line)
      line.append(contentsOf: Array(#","lc":"#.utf8))
      JSONSerializer.appendInt(Int(record.clock.logical), to: &line)
      line.append(contentsOf: Array(#","w":"#.utf8))
      try JSONSerializer.appendString(record.writer, to: &line)
      line.append(contentsOf: Array(#","type":"#.utf8))
      try JSONSerializer.appendString(record.type, to: &line)
      line.append(contentsOf: Array(#","v":"#.utf8))
      JSONSerializer.appendInt(record.schema, to: &line)
      line.append(contentsOf: Array(#","e":"#.utf8))
      try JSONSerializer.appendString(record.entity, to: &line)
      line.append(contentsOf: Array(#","d":"#.utf8))
      try JSONSerializer.append(record.body, to: &line, depth: 1)
    } catch {
      throw StoreError.invalidDraft(error.reason)
    }
    seal(&line)
    if line.count - 1 > LogBounds.maxLineBytes {
      throw StoreError.invalidDraft("the record is longer than 1 MiB")
    }
    return line
  }

  /// Checks the trailing checksum of a line (newline excluded); nil when it holds.
  static func checksumProblem(_ line: UnsafeRawBufferPointer) -> String? {
    let n = line.count
    guard n > crcSuffixCount else { return "no checksum" }
    let s = UnsafeRawBufferPointer(rebasing: line[(n - crcSuffixCount)...])
    // `,"crc":"`
    guard s[0] == 0x2C, s[1] == 0x22, s[2] == 0x63, s[3] == 0x72, s[4] == 0x63, s[5] == 0x22,
      s[6] == 0x3A, s[7] == 0x22
    else { return "no checksum" }
    guard s[16] == 0x22, s[17] == 0x7D else { return "no checksum" }
    guard let stored = CRC32C.parseHex(UnsafeRawBufferPointer(rebasing: s[8..<16])) else {
      return "malformed checksum"
    }
    let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: line[..<(n - crcSuffixCount)]))
    return stored == actual ? nil : "checksum mismatch"
  }

  /// The outcome of decoding a header line.
  enum HeaderResult {
    case header(LogHeader)
    case newerFormat(Int)
    case damaged(String)
  }

  /// Decodes the header line (newline excluded).
  static func decodeHeader(_ line: UnsafeRawBufferPointer) -> HeaderResult {
    // The version is read before the checksum: a newer format may seal differently.
    let value: JSONValue
    do {
      var p = JSONParser(bytes: line)
      value = try p.parseValue(depth: 0)
      if p.position != line.count { return .damaged("header is not one JSON object") }
    } catch {
      return .damaged("header is not valid JSON (\(error.reason))")
    }
    guard let version = value["learnlog"]?.intValue else {
      return .damaged("not a learnlog header")
    }
    if version > LogHeader.currentFormat { return .newerFormat(version) }
    if version < 1 { return .damaged("unknown format version \(version)") }
    if let problem = checksumProblem(line) { return .damaged("header \(problem)") }
    guard let store = value["store"]?.stringValue, let created = value["created"]?.intValue else {
      return .damaged("header lacks store or created")
    }
    return .header(LogHeader(format: version, storeID: store, created: Int64(created)))
  }

  /// Decodes a record line (newline excluded), or says why it is damaged.
  static func decodeRecord(_ line: UnsafeRawBufferPointer) -> Result<Record, LineReason> {
    var interner = StringInterner()
    return decodeRecord(line, interner: &interner)
  }

  /// Decodes a record line, sharing the writer and type strings through `interner`.
  static func decodeRecord(_ line: UnsafeRawBufferPointer, interner: inout StringInterner)
    -> Result<Record, LineReason>
  {
    let e: RecordEnvelope
    switch decodeEnvelope(line, interner: &interner) {
    case .failure(let why): return .failure(why)
    case .success(let decoded): e = decoded
    }
    var p = JSONParser(
      bytes: UnsafeRawBufferPointer(rebasing: line[..<(line.count - crcSuffixCount)]),
      start: e.bodyStart)
    do throws(JSONParseError) {
      let body = try p.parseValue(depth: 0)
      guard p.position == line.count - crcSuffixCount else {
        return .failure(.init("unexpected bytes after d"))
      }
      if !e.namesInBounds { return .failure(.init("writer, type or entity out of bounds")) }
      let id = String(
        decoding: UnsafeRawBufferPointer(rebasing: line[e.idStart..<e.idStart + 36]),
        as: UTF8.self)
      return .success(
        Record(
          id: EventID(rawValue: id), clock: e.clock, writer: e.writer, type: e.type,
          schema: e.schema, entity: e.entity, body: body))
    } catch {
      return .failure(.init("invalid JSON: \(error.reason)"))
    }
  }

  /// Decodes everything of a record line before its body (the checksum checked first), or
  /// says why the line is damaged; the body is left to the caller at ``RecordEnvelope/bodyStart``.
  static func decodeEnvelope(_ line: UnsafeRawBufferPointer, interner: inout StringInterner)
    -> Result<RecordEnvelope, LineReason>
  {
    if line.count > LogBounds.maxLineBytes { return .failure(.init("line longer than 1 MiB")) }
    if let problem = checksumProblem(line) { return .failure(.init(problem)) }
    var p = JSONParser(
      bytes: UnsafeRawBufferPointer(rebasing: line[..<(line.count - crcSuffixCount)]))
    do throws(JSONParseError) {
      guard p.consume(#"{"id":""#) else { return .failure(.init("not a record: no id")) }
      let idStart = p.position
      // Packing checks the id as `UUIDv7.isValidText` does: lowercase 8-4-4-4-12 hex.
      guard line.count > idStart + 37, line[idStart + 36] == 0x22,
        let (idHi, idLo) = AppliedIDs.pack(
          UnsafeRawBufferPointer(rebasing: line[idStart..<idStart + 36]))
      else { return .failure(.init("invalid record id")) }
      p.position = idStart + 37
      guard p.consume(#","ts":"#), case .int(let ts) = try p.parseInteger(), ts >= 0 else {
        return .failure(.init("invalid ts"))
      }
      guard p.consume(#","lc":"#), case .int(let lc) = try p.parseInteger(), lc >= 0,
        lc <= Int(Int32.max)
      else { return .failure(.init("invalid lc")) }
      guard p.consume(#","w":"#), p.peek() == 0x22 else { return .failure(.init("invalid w")) }
      let writer = try interner.string(&p)
      let writerIndex = interner.lastIndex
      guard p.consume(#","type":"#), p.peek() == 0x22 else {
        return .failure(.init("invalid type"))
      }
      let type = try interner.string(&p)
      let code = interner.lastCode
      guard p.consume(#","v":"#), case .int(let v) = try p.parseInteger(), v >= 0 else {
        return .failure(.init("invalid v"))
      }
      guard p.consume(#","e":"#), p.peek() == 0x22 else { return .failure(.init("invalid e")) }
      let entity = try p.parseString()
      guard p.consume(#","d":"#), p.peek() == 0x7B else { return .failure(.init("invalid d")) }
      return .success(
        RecordEnvelope(
          idStart: idStart, idHi: idHi, idLo: idLo,
          clock: HybridTimestamp(wall: Int64(ts), logical: Int32(lc)),
          writer: writer, writerIndex: writerIndex, type: type, code: code, schema: v,
          entity: entity, bodyStart: p.position))
    } catch {
      return .failure(.init("invalid JSON: \(error.reason)"))
    }
  }
}

/// What a record line holds before its body.
struct RecordEnvelope {
  /// Offset of the id's 36 characters in the line.
  var idStart: Int
  /// The id's 128 bits (``AppliedIDs/pack(_:)-(UnsafeRawBufferPointer)``).
  var idHi: UInt64
  var idLo: UInt64
  var clock: HybridTimestamp
  var writer: String
  /// Where the writer is in the interner's strings, when it is shared.
  var writerIndex: Int?
  var type: String
  /// The event type's code, when it is a known type read without escapes.
  var code: EventCode?
  var schema: Int
  var entity: String
  /// Offset of the body's `{` in the line.
  var bodyStart: Int

  /// Whether the writer, type and entity are within ``LogBounds/maxNameBytes`` and the
  /// writer and type are not empty.
  var namesInBounds: Bool {
    !(writer.isEmpty || type.isEmpty || writer.utf8.count > LogBounds.maxNameBytes
      || type.utf8.count > LogBounds.maxNameBytes || entity.utf8.count > LogBounds.maxNameBytes)
  }
}

/// Why a line is damaged.
struct LineReason: Error {
  var text: String
  init(_ text: String) { self.text = text }
}

/// Shares the few distinct writer and type strings of a log among its records.
///
/// A log has a handful of writers and event types but a million records: one `String`
/// each instead of one a record saves an allocation (and its memory) per field.
struct StringInterner {
  /// The bytes of every shared string, one after another.
  var flat: [UInt8] = []
  /// Where each shared string's bytes are in ``flat``.
  var spans: [(start: Int, count: Int)] = []
  /// The first eight bytes of each shared string (zeros after a shorter one's end).
  var heads: [UInt64] = []
  var strings: [String] = []
  /// The event code of each shared string that names a known event type.
  var codes: [EventCode?] = []
  /// The event code of the string last read when it was shared, else nil.
  var lastCode: EventCode?
  /// Where the string last read is in ``strings``, when it is there.
  var lastIndex: Int?
  static let capacity = 64

  /// The first `min(n, 8)` bytes at `p`, zeros after them.
  @inline(__always)
  static func head(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
    if n >= 8 { return p.loadUnaligned(as: UInt64.self) }
    var h: UInt64 = 0
    withUnsafeMutableBytes(of: &h) {
      $0.copyMemory(from: UnsafeRawBufferPointer(start: p, count: n))
    }
    return h
  }

  /// Where the first quote, backslash or control byte at or after `from` is (`end` when
  /// there is none): eight bytes at a time while a word holds none of them.
  @inline(__always)
  static func plainEnd(_ base: UnsafeRawPointer, from: Int, end: Int) -> Int {
    var i = from
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while end - i >= 8 {
      let w = (base + i).loadUnaligned(as: UInt64.self)
      let quote = w ^ (ones &* 0x22)
      let slash = w ^ (ones &* 0x5C)
      // A byte that may be one of them sets its top bit (some false alarms: the bytes are
      // then checked one by one).
      let stop =
        ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((w &- ones &* 0x20) & ~w)
      if stop & highs != 0 { break }
      i += 8
    }
    while i < end {
      let b = base.load(fromByteOffset: i, as: UInt8.self)
      if b == 0x22 || b == 0x5C || b < 0x20 { return i }
      i += 1
    }
    return end
  }

  /// Where each string is in ``strings``.
  var positions: [String: Int] = [:]

  /// Where `s` is in ``strings`` (added when it is not): one hash lookup, however many
  /// writers a log has.
  mutating func index(of s: String) -> Int {
    if let i = positions[s] { return i }
    positions[s] = strings.count
    strings.append(s)
    codes.append(nil)
    spans.append((0, -1))  // never matched: shared strings are found by their bytes
    heads.append(0)
    return strings.count - 1
  }

  /// The JSON string at the parser's position (its opening quote), shared when seen before.
  mutating func string(_ p: inout JSONParser) throws(JSONParseError) -> String {
    let start = p.position + 1
    let i = Self.plainEnd(p.base, from: start, end: p.end)
    lastCode = nil
    lastIndex = nil
    // Only plain strings (no escapes) are shared.
    guard i < p.end, p.byte(i) == 0x22 else { return try p.parseString() }
    let raw = UnsafeRawPointer(p.base + start)
    let n = i - start
    // Candidates are told apart by length and first eight bytes before any `memcmp`.
    let head = Self.head(raw, n)
    let found = flat.withUnsafeBytes { f -> Int? in
      guard let fb = f.baseAddress else { return nil }
      for k in spans.indices where spans[k].count == n && heads[k] == head {
        if n <= 8 || memcmp(fb + spans[k].start + 8, raw + 8, n - 8) == 0 { return k }
      }
      return nil
    }
    if let k = found {
      p.position = i + 1
      lastCode = codes[k]
      lastIndex = k
      return strings[k]
    }
    let s = try p.parseString()
    if strings.count < Self.capacity {
      spans.append((flat.count, n))
      heads.append(head)
      flat.append(contentsOf: UnsafeRawBufferPointer(start: raw, count: n))
      positions[s] = strings.count
      strings.append(s)
      codes.append(EventCode.byType[s])
      lastCode = codes[codes.count - 1]
      lastIndex = strings.count - 1
    }
    return s
  }
}
