#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A record decoded on a worker thread into the values `apply` stores, so the thread that
/// applies records in order only looks up and mutates.
///
/// The common event types are read straight from the line's bytes into the entity or
/// field they set (``PreparedBody``); anything else (other types, unknown or repeated
/// members, a value of an unexpected JSON kind) is decoded the usual way into a ``Record``
/// and applied by the usual rules. A prepared record is made only when the usual decoder
/// would accept the line and read the same values from it.
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
  var lineCount: Int
  /// What applying it stores.
  var body: PreparedBody

  /// An empty record, left in a buffer's slot once its record has been moved out.
  static let empty = PreparedRecord(
    clock: HybridTimestamp(wall: 0, logical: 0), writer: 0, idHi: 0, idLo: 0, entity: "",
    lineStart: 0, lineCount: 0, body: .none)

  /// Takes the body out, leaving ``PreparedBody/none`` (no copy of its values).
  @inline(__always)
  mutating func takeBody() -> PreparedBody {
    var b = PreparedBody.none
    swap(&b, &body)
    return b
  }
}

/// The values one record sets, read from its line.
enum PreparedBody {
  /// A slot emptied after its record was applied.
  case none
  /// `incident.created`: the new incident.
  case incidentCreated(Incident)
  /// `incident.field-set`: the field and its value (a string or an array of strings).
  case incidentFieldSet(field: String, value: JSONValue)
  /// `review.answered`: the answer version.
  case reviewAnswered(AnswerVersion)
  /// `action.created`: the new action.
  case actionCreated(Action)
  /// `action.status-set`: the status, the drop reason (empty unless dropped) and the time.
  case actionStatusSet(ActionStatus, reason: String, at: Int64)
  /// `action.verified`: the verification.
  case actionVerified(Verification)
  /// Any other record, decoded the usual way.
  case record(Record)
}

/// Reads record lines into ``PreparedRecord``s.
enum PreparedDecoder {
  /// Appends the record of `line` (newline excluded) to `out`, prepared when it is a common
  /// type in the common shape, else decoded the usual way; the reason when the line is
  /// damaged (nothing appended).
  static func decode(
    _ line: UnsafeRawBufferPointer, at offset: Int, interner: inout StringInterner,
    into out: inout [PreparedRecord]
  ) -> LineReason? {
    if prepare(line, at: offset, interner: &interner, into: &out) { return nil }
    switch RecordCodec.decodeRecord(line, interner: &interner) {
    case .failure(let why): return why
    case .success(let record):
      let (hi, lo) = AppliedIDs.pack(record.id.rawValue) ?? (0, 0)
      out.append(
        PreparedRecord(
          clock: record.clock, writer: interner.index(of: record.writer), idHi: hi, idLo: lo,
          entity: record.entity,
          lineStart: offset, lineCount: line.count, body: .record(record)))
      return nil
    }
  }

  /// Appends the prepared record of `line` to `out`; false (nothing appended) when it is not
  /// a common type in the common shape (or is damaged): the usual decoder then decides.
  static func prepare(
    _ line: UnsafeRawBufferPointer, at offset: Int, interner: inout StringInterner,
    into out: inout [PreparedRecord]
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
      guard m.read(&p, allowed: allowed), p.position == end, let body = body(code, m, e)
      else { return false }
      out.append(
        PreparedRecord(
          clock: e.clock, writer: writer, idHi: e.idHi, idLo: e.idLo, entity: e.entity,
          lineStart: offset, lineCount: line.count, body: body))
      return true
    }
  }

  /// What the rule of `code` would store from the members `m`, or nil when it would not
  /// store it as is (a missing or wrong member: the usual rule then reports the record).
  static func body(_ code: EventCode, _ m: Members, _ e: RecordEnvelope) -> PreparedBody? {
    let at = m.int(.at).map(Int64.init) ?? e.clock.wall
    let by = m.string(.by) ?? ""
    switch code {
    case .incidentCreated:
      guard let title = m.string(.title), !e.entity.isEmpty,
        let kind: IncidentKind = m.choice(.kind, default: .other),
        let severity: Severity = m.choice(.severity, default: .medium),
        let status: IncidentStatus = m.choice(.status, default: .open)
      else { return nil }
      return .incidentCreated(
        Incident(
          id: e.entity, title: title, what: m.string(.what) ?? "", kind: kind,
          severity: severity, occurred: m.day(.occurred) ?? Day(utcMilliseconds: at),
          team: m.string(.team) ?? "", owner: m.string(.owner) ?? "", tags: m.strings(.tags),
          triggers: m.strings(.triggers), patterns: m.strings(.patterns), status: status,
          template: ReviewTemplate.defaultName, answers: [:], createdAt: at, createdBy: by))
    case .incidentFieldSet:
      guard let field = m.string(.field), let value = m.value(.value) else { return nil }
      return .incidentFieldSet(field: field, value: value)
    case .reviewAnswered:
      guard let key = m.string(.key), let value = m.string(.value) else { return nil }
      return .reviewAnswered(
        AnswerVersion(
          key: key, value: key == "gap" ? SharedGap.shown(value) : value,
          template: m.string(.template) ?? ReviewTemplate.defaultName, at: at, by: by,
          revision: m.int(.revision) ?? 0))
    case .actionCreated:
      guard let incident = m.string(.incident), let title = m.string(.title),
        let type: ActionType = m.choice(.type, default: .prevent), !e.entity.isEmpty
      else { return nil }
      return .actionCreated(
        Action(
          id: e.entity, incident: incident, title: title, owner: m.string(.owner) ?? "",
          due: m.day(.due), review: m.day(.review), type: type, signal: m.string(.signal) ?? "",
          status: .open, dropReason: "", verifications: [], createdAt: at, doneAt: nil,
          until: type == .mitigate ? m.day(.until) : nil))
    case .actionStatusSet:
      guard let status: ActionStatus = m.choice(.status, default: nil) else { return nil }
      return .actionStatusSet(
        status, reason: status == .dropped ? m.string(.reason) ?? "" : "", at: at)
    case .actionVerified:
      guard let outcome: VerificationOutcome = m.choice(.outcome, default: nil) else {
        return nil
      }
      return .actionVerified(
        Verification(outcome: outcome, evidence: m.string(.evidence) ?? "", at: at, by: by))
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
  static func key(_ p: inout JSONParser) -> Key? {
    guard p.peek() == 0x22 else { return nil }
    let start = p.position + 1
    var i = start
    while i < p.end {
      let b = p.byte(i)
      if b == 0x22 { break }
      if b == 0x5C || b < 0x20 || b >= 0x80 { return nil }
      i += 1
    }
    guard i < p.end else { return nil }
    let s = p.base + start
    let n = i - start
    func eq(_ name: StaticString) -> Bool { memcmp(s, name.utf8Start, n) == 0 }
    let k: Key?
    switch n {
    case 2: k = eq("at") ? .at : eq("by") ? .by : nil
    case 3: k = eq("key") ? .key : eq("due") ? .due : nil
    case 4:
      k =
        eq("what")
        ? .what
        : eq("kind") ? .kind : eq("team") ? .team : eq("tags") ? .tags : eq("type") ? .type : nil
    case 5:
      k =
        eq("title")
        ? .title
        : eq("owner")
          ? .owner : eq("field") ? .field : eq("value") ? .value : eq("until") ? .until : nil
    case 6:
      k =
        eq("status")
        ? .status : eq("review") ? .review : eq("signal") ? .signal : eq("reason") ? .reason : nil
    case 7: k = eq("outcome") ? .outcome : nil
    case 8:
      k =
        eq("severity")
        ? .severity
        : eq("occurred")
          ? .occurred
          : eq("triggers")
            ? .triggers
            : eq("patterns")
              ? .patterns
              : eq("template")
                ? .template
                : eq("revision")
                  ? .revision : eq("incident") ? .incident : eq("evidence") ? .evidence : nil
    default: k = nil
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
