#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A record decoded on a worker thread into the values `apply` stores, so the thread that
/// applies records in order only looks up and mutates.
///
/// The common event types are read straight from the line's bytes into the entity or
/// field they set; anything else (other types, unknown or repeated members, a value of an
/// unexpected JSON kind) is decoded the usual way into a ``Record`` and applied by the usual
/// rules. A prepared record is made only when the usual decoder would accept the line and
/// read the same values from it.
///
/// The record itself is small (72 bytes): what it sets waits in its batch's table for its
/// kind (``PreparedBatch``), in file order, and is moved out from there once, by the thread
/// that applies it. A record that held its values inline was 304 bytes, copied several times
/// on that thread and written to fresh pages on the workers.
struct PreparedRecord {
  /// The record's clock.
  var clock: HybridTimestamp
  /// The writer id, as its place in the strings of the scan that read it
  /// (``LogScanner/Scan/names``): the thread applying records never retains it.
  var writer: Int
  /// The id's 128 bits (its canonical text, packed as ``AppliedIDs`` keeps it).
  var idHi: UInt64
  var idLo: UInt64
  /// The entity the record concerns.
  var entity: String
  /// Where the line sits in the bytes it was read from (to decode it again the usual way).
  var lineStart: Int
  var lineCount: Int32
  /// Which table of its batch holds what applying it stores (the next value not yet taken).
  var kind: PreparedKind
}

/// What a prepared record sets, naming the table of ``PreparedBatch`` that holds it.
enum PreparedKind: UInt8 {
  /// Any other record, decoded the usual way (``PreparedBatch/records``).
  case record
  /// `incident.created`: the new incident (``PreparedBatch/incidents``).
  case incidentCreated
  /// `incident.field-set`: the field and its value (``PreparedBatch/fieldSets``).
  case incidentFieldSet
  /// `review.answered`: the answer version (``PreparedBatch/answers``).
  case reviewAnswered
  /// `action.created`: the new action (``PreparedBatch/actions``).
  case actionCreated
  /// `action.status-set`: the status, drop reason and time (``PreparedBatch/statuses``).
  case actionStatusSet
  /// `action.verified`: the verification (``PreparedBatch/verifications``).
  case actionVerified
}

/// `incident.field-set`: the field and its value (a string or an array of strings).
struct PreparedFieldSet {
  var field: String
  var value: JSONValue
}

/// `action.status-set`: the status, the drop reason (empty unless dropped) and the time.
struct PreparedStatus {
  var status: ActionStatus
  var reason: String
  var at: Int64
}

/// The records one scan prepared, in file order, and the values they set, one table a kind.
///
/// The k-th record of a kind sets the k-th value of its table. The thread applying them
/// takes each value out of its table (``Optional/take()``, no copy of its strings), so what
/// is left to free afterwards is the emptied tables.
struct PreparedBatch {
  var records: [PreparedRecord] = []
  var incidents: [Incident?] = []
  var fieldSets: [PreparedFieldSet?] = []
  var answers: [AnswerVersion?] = []
  var actions: [Action?] = []
  var statuses: [PreparedStatus?] = []
  var verifications: [Verification?] = []
  var usual: [Record?] = []

  /// Room for about `lines` records (the common shape's mix: a tenth created incidents and
  /// actions, two fifths answers, a fifth status changes).
  mutating func reserve(lines: Int) {
    records.reserveCapacity(lines)
    incidents.reserveCapacity(lines / 8)
    fieldSets.reserveCapacity(lines / 8)
    answers.reserveCapacity(lines / 2)
    actions.reserveCapacity(lines / 8)
    statuses.reserveCapacity(lines / 4)
    verifications.reserveCapacity(lines / 8)
  }

  /// Where the thread applying a batch is in each table.
  struct Cursors {
    var incidents = 0
    var fieldSets = 0
    var answers = 0
    var actions = 0
    var statuses = 0
    var verifications = 0
    var usual = 0
  }
}

/// Reads record lines into ``PreparedRecord``s.
enum PreparedDecoder {
  /// Appends the record of `line` (newline excluded) to `out`, prepared when it is a common
  /// type in the common shape, else decoded the usual way; the reason when the line is
  /// damaged (nothing appended).
  static func decode(
    _ line: UnsafeRawBufferPointer, at offset: Int, interner: inout StringInterner,
    into out: inout PreparedBatch
  ) -> LineReason? {
    if prepare(line, at: offset, interner: &interner, into: &out) { return nil }
    switch RecordCodec.decodeRecord(line, interner: &interner) {
    case .failure(let why): return why
    case .success(let record):
      let (hi, lo) = AppliedIDs.pack(record.id.rawValue) ?? (0, 0)
      out.records.append(
        PreparedRecord(
          clock: record.clock, writer: interner.index(of: record.writer), idHi: hi, idLo: lo,
          entity: record.entity, lineStart: offset, lineCount: Int32(line.count), kind: .record))
      out.usual.append(record)
      return nil
    }
  }

  /// Appends the prepared record of `line` to `out`; false (nothing appended) when it is not
  /// a common type in the common shape (or is damaged): the usual decoder then decides.
  static func prepare(
    _ line: UnsafeRawBufferPointer, at offset: Int, interner: inout StringInterner,
    into out: inout PreparedBatch
  ) -> Bool {
    guard case .success(let e) = RecordCodec.decodeEnvelope(line, interner: &interner),
      let code = e.code, e.namesInBounds
    else { return false }
    let writer = e.writerIndex ?? interner.index(of: e.writer)
    let allowed = Members.allowed(code)
    guard allowed != 0 else { return false }
    let end = line.count - RecordCodec.crcSuffixCount
    var p = JSONParser(bytes: UnsafeRawBufferPointer(rebasing: line[..<end]), start: e.bodyStart)
    return withUnsafeTemporaryAllocation(of: Members.Slot.self, capacity: Members.Key.count) {
      buffer -> Bool in
      guard let slots = buffer.baseAddress else { return false }
      var m = Members(slots: slots)
      defer { m.deinitialize() }
      guard m.read(&p, allowed: allowed), p.position == end,
        let kind = add(code, &m, e, into: &out)
      else { return false }
      out.records.append(
        PreparedRecord(
          clock: e.clock, writer: writer, idHi: e.idHi, idLo: e.idLo, entity: e.entity,
          lineStart: offset, lineCount: Int32(line.count), kind: kind))
      return true
    }
  }

  /// Appends what the rule of `code` would store from the members `m` to its table.
  ///
  /// Names the table; nil (nothing appended) when the rule would not store it as is (a
  /// missing or wrong member: the usual rule then reports the record). The members' values
  /// are moved out of `m`.
  static func add(
    _ code: EventCode, _ m: inout Members, _ e: RecordEnvelope, into out: inout PreparedBatch
  ) -> PreparedKind? {
    let at = m.int(.at).map(Int64.init) ?? e.clock.wall
    switch code {
    case .incidentCreated:
      guard let title = m.take(.title), !e.entity.isEmpty,
        let kind: IncidentKind = m.choice(.kind, default: .other),
        let severity: Severity = m.choice(.severity, default: .medium),
        let status: IncidentStatus = m.choice(.status, default: .open)
      else { return nil }
      out.incidents.append(
        Incident(
          id: e.entity, title: title, what: m.take(.what) ?? "", kind: kind,
          severity: severity, occurred: m.day(.occurred) ?? Day(utcMilliseconds: at),
          team: m.take(.team) ?? "", owner: m.take(.owner) ?? "", tags: m.strings(.tags),
          triggers: m.strings(.triggers), patterns: m.strings(.patterns), status: status,
          template: ReviewTemplate.defaultName, answers: [:], createdAt: at,
          createdBy: m.take(.by) ?? ""))
      return .incidentCreated
    case .incidentFieldSet:
      guard let field = m.take(.field), let value = m.value(.value) else { return nil }
      out.fieldSets.append(PreparedFieldSet(field: field, value: value))
      return .incidentFieldSet
    case .reviewAnswered:
      guard let key = m.take(.key), let value = m.take(.value) else { return nil }
      out.answers.append(
        AnswerVersion(
          key: key, value: key == "gap" ? SharedGap.shown(value) : value,
          template: m.take(.template) ?? ReviewTemplate.defaultName, at: at,
          by: m.take(.by) ?? "", revision: m.int(.revision) ?? 0))
      return .reviewAnswered
    case .actionCreated:
      guard let incident = m.take(.incident), let title = m.take(.title),
        let type: ActionType = m.choice(.type, default: .prevent), !e.entity.isEmpty
      else { return nil }
      out.actions.append(
        Action(
          id: e.entity, incident: incident, title: title, owner: m.take(.owner) ?? "",
          due: m.day(.due), review: m.day(.review), type: type, signal: m.take(.signal) ?? "",
          status: .open, dropReason: "", verifications: [], createdAt: at, doneAt: nil,
          until: type == .mitigate ? m.day(.until) : nil))
      return .actionCreated
    case .actionStatusSet:
      guard let status: ActionStatus = m.choice(.status, default: nil) else { return nil }
      out.statuses.append(
        PreparedStatus(
          status: status, reason: status == .dropped ? m.take(.reason) ?? "" : "", at: at))
      return .actionStatusSet
    case .actionVerified:
      guard let outcome: VerificationOutcome = m.choice(.outcome, default: nil) else {
        return nil
      }
      out.verifications.append(
        Verification(
          outcome: outcome, evidence: m.take(.evidence) ?? "", at: at,
          by: m.take(.by) ?? ""))
      return .actionVerified
    default:
      return nil
    }
  }
}

/// The members of one body read by name, for the types ``PreparedDecoder`` prepares.
///
/// Only the members the type's rule reads are accepted, each at most once and of the JSON
/// kind the rule takes (a string, an array of strings, an integer); anything else makes
/// ``read(_:allowed:)`` return false, and the line is decoded the usual way.
struct Members {
  /// A member name the prepared types read.
  enum Key: Int {
    case at, by, title, what, kind, severity, occurred, team, owner, tags, triggers, patterns
    case status, field, value, key, template, revision, incident, type, due, review, signal
    case until, reason, outcome, evidence

    /// How many keys there are.
    static let count = 27

    /// The JSON kind the rule reads from it.
    var kind: Kind {
      switch self {
      case .at, .revision: .int
      case .tags, .triggers, .patterns: .strings
      case .value: .any
      default: .string
      }
    }

    var bit: UInt64 { 1 << UInt64(rawValue) }
  }

  /// The JSON kind of a member's value.
  enum Kind { case string, strings, int, any }

  /// A member's value as read.
  enum Slot {
    case string(String)
    case strings([String])
    case int(Int)
    case value(JSONValue)
  }

  /// The members each prepared type reads, as bits of ``Key`` (0: a type not prepared).
  static func allowed(_ code: EventCode) -> UInt64 {
    switch code {
    case .incidentCreated: incidentCreated
    case .incidentFieldSet: incidentFieldSet
    case .reviewAnswered: reviewAnswered
    case .actionCreated: actionCreated
    case .actionStatusSet: actionStatusSet
    case .actionVerified: actionVerified
    default: 0
    }
  }

  static func bits(_ keys: [Key]) -> UInt64 { keys.reduce(0) { $0 | $1.bit } }
  static let incidentCreated = bits([
    .at, .by, .title, .what, .kind, .severity, .occurred, .team, .owner, .tags, .triggers,
    .patterns, .status,
  ])
  static let incidentFieldSet = bits([.at, .by, .field, .value])
  static let reviewAnswered = bits([.at, .by, .key, .value, .template, .revision])
  static let actionCreated = bits([
    .at, .by, .incident, .title, .type, .owner, .due, .review, .signal, .until,
  ])
  static let actionStatusSet = bits([.at, .by, .status, .reason])
  static let actionVerified = bits([.at, .by, .outcome, .evidence])

  /// One slot a key, in memory the caller owns; a slot is initialized once its bit is in
  /// ``seen``.
  let slots: UnsafeMutablePointer<Slot>
  /// The keys read, as bits.
  var seen: UInt64 = 0

  init(slots: UnsafeMutablePointer<Slot>) { self.slots = slots }

  /// Deinitializes the slots read.
  mutating func deinitialize() {
    var bits = seen
    while bits != 0 {
      let k = bits.trailingZeroBitCount
      (slots + k).deinitialize(count: 1)
      bits &= bits - 1
    }
    seen = 0
  }

  @inline(__always)
  func slot(_ k: Key) -> Slot? { seen & k.bit != 0 ? slots[k.rawValue] : nil }

  func string(_ k: Key) -> String? {
    switch slot(k) {
    case .string(let s), .value(.string(let s)): return s
    default: return nil
    }
  }
  /// The string of `k`, moved out of its slot (read once: the slot is then empty).
  mutating func take(_ k: Key) -> String? {
    guard seen & k.bit != 0 else { return nil }
    seen &= ~k.bit
    switch (slots + k.rawValue).move() {
    case .string(let s), .value(.string(let s)): return s
    default: return nil
    }
  }
  func strings(_ k: Key) -> [String] {
    if case .strings(let a) = slot(k) { return a }
    return []
  }
  func int(_ k: Key) -> Int? {
    if case .int(let v) = slot(k) { return v }
    return nil
  }
  func value(_ k: Key) -> JSONValue? {
    if case .value(let v) = slot(k) { return v }
    return nil
  }
  func day(_ k: Key) -> Day? { string(k).flatMap { Day($0) } }

  /// The choice named by `k`: `fallback` when absent (nil when there is none), nil when it
  /// names no case (the usual rule then reports the record).
  func choice<T: DomainChoice>(_ k: Key, default fallback: T?) -> T? {
    guard let s = string(k) else { return fallback }
    return T(rawValue: s)
  }

  /// Reads the object at `p` (its `{`); false when it holds anything but `allowed` keys,
  /// each once, of its kind, or is not valid JSON.
  mutating func read(_ p: inout JSONParser, allowed: UInt64) -> Bool {
    guard p.peek() == 0x7B else { return false }
    p.position += 1
    p.skipWhitespace()
    if p.peek() == 0x7D { return false }
    do throws(JSONParseError) {
      while true {
        p.skipWhitespace()
        guard let k = Self.key(&p), allowed & k.bit != 0, seen & k.bit == 0 else {
          return false
        }
        p.skipWhitespace()
        guard p.peek() == 0x3A else { return false }
        p.position += 1
        p.skipWhitespace()
        let value: Slot
        switch k.kind {
        case .string:
          guard p.peek() == 0x22 else { return false }
          value = .string(try p.parseString())
        case .int:
          guard let c = p.peek(), c == 0x2D || (c >= 0x30 && c <= 0x39),
            case .int(let v) = try p.parseNumber()
          else { return false }
          value = .int(v)
        case .strings:
          guard let a = try Self.stringArray(&p) else { return false }
          value = .strings(a)
        case .any:
          if p.peek() == 0x22 {
            value = .value(.string(try p.parseString()))
          } else if let a = try Self.stringArray(&p) {
            value = .value(.array(a.map { .string($0) }))
          } else {
            return false
          }
        }
        (slots + k.rawValue).initialize(to: value)
        seen |= k.bit
        p.skipWhitespace()
        guard let c = p.peek() else { return false }
        p.position += 1
        if c == 0x2C { continue }
        return c == 0x7D
      }
    } catch {
      return false
    }
  }

  /// The member name at `p` (its opening quote) when it is a ``Key`` written plainly (no
  /// escapes), the position moved past it.
  ///
  /// Every key is at most eight ASCII bytes: the name is read as one word (its bytes in
  /// memory order, zeros after a shorter one) and matched as a number.
  static func key(_ p: inout JSONParser) -> Key? {
    guard p.peek() == 0x22 else { return nil }
    let start = p.position + 1
    let n: Int
    let word: UInt64
    if start + 8 < p.end {
      // The closing quote is found in the word itself: the lowest byte the zero-byte test
      // flags is exactly the first quote. A name that matches a key is plain lowercase
      // ASCII, so its bytes need no other check but for zeros (equal to the padding).
      let all = UInt64(littleEndian: (p.base + start).loadUnaligned(as: UInt64.self))
      let ones: UInt64 = 0x0101_0101_0101_0101
      let x = all ^ (ones &* 0x22)
      let quotes = (x &- ones) & ~x & (ones &* 0x80)
      if quotes != 0 {
        n = quotes.trailingZeroBitCount >> 3
        word = all & ((1 << UInt64(8 * n)) &- 1)
      } else if p.byte(start + 8) == 0x22 {
        n = 8
        word = all
      } else {
        return nil
      }
      // A zero byte before the quote would read as the padding of a shorter name.
      let zeros = (all &- ones) & ~all & (ones &* 0x80)
      if zeros != 0 && zeros.trailingZeroBitCount >> 3 < n { return nil }
    } else {
      var i = start
      while i < p.end {
        let b = p.byte(i)
        if b == 0x22 { break }
        if b == 0x5C || b < 0x20 || b >= 0x80 || i - start == 8 { return nil }
        i += 1
      }
      guard i < p.end else { return nil }
      n = i - start
      word = UInt64(littleEndian: StringInterner.head(p.base + start, n))
    }
    let i = start + n
    let k: Key? =
      switch word {
      case 0x7461: .at
      case 0x7962: .by
      case 0x656C_7469_74: .title
      case 0x7461_6877: .what
      case 0x646E_696B: .kind
      case 0x7974_6972_6576_6573: .severity
      case 0x6465_7272_7563_636F: .occurred
      case 0x6D61_6574: .team
      case 0x7265_6E77_6F: .owner
      case 0x7367_6174: .tags
      case 0x7372_6567_6769_7274: .triggers
      case 0x736E_7265_7474_6170: .patterns
      case 0x7375_7461_7473: .status
      case 0x646C_6569_66: .field
      case 0x6575_6C61_76: .value
      case 0x79_656B: .key
      case 0x6574_616C_706D_6574: .template
      case 0x6E6F_6973_6976_6572: .revision
      case 0x746E_6564_6963_6E69: .incident
      case 0x6570_7974: .type
      case 0x65_7564: .due
      case 0x7765_6976_6572: .review
      case 0x6C61_6E67_6973: .signal
      case 0x6C69_746E_75: .until
      case 0x6E6F_7361_6572: .reason
      case 0x65_6D6F_6374_756F: .outcome
      case 0x6563_6E65_6469_7665: .evidence
      default: nil
      }
    if k != nil { p.position = i + 1 }
    return k
  }

  /// The array of strings at `p` (its `[`), as the usual parser reads it; nil when the value
  /// is not an array or holds anything but strings.
  static func stringArray(_ p: inout JSONParser) throws(JSONParseError) -> [String]? {
    guard p.peek() == 0x5B else { return nil }
    p.position += 1
    var out: [String] = []
    p.skipWhitespace()
    if p.peek() == 0x5D {
      p.position += 1
      return out
    }
    while true {
      p.skipWhitespace()
      guard p.peek() == 0x22 else { return nil }
      out.append(try p.parseString())
      if out.count > p.limits.maxContainerCount { return nil }
      p.skipWhitespace()
      guard let c = p.peek() else { return nil }
      p.position += 1
      if c == 0x2C { continue }
      return c == 0x5D ? out : nil
    }
  }
}
