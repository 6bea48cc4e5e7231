/// A text to write as a JSON string: a `String`, or UTF-8 bytes read in place (a long text of a
/// snapshot's record, never made a string when it is plain ASCII).
enum JSONFieldText {
  case string(String)
  case bytes(UnsafeRawBufferPointer)
}

/// One version of an answer as ``IncidentJSONFields`` holds it: its value as a field text.
struct AnswerVersionFields {
  var key: String
  var value: JSONFieldText
  var template: String
  var at: Int64
  var by: String
  var revision: Int

  /// Whether `a` is written before `b` in an incident's answer history (as
  /// ``Incident/understandingHistory`` orders it: time, writer, key).
  static func precedes(_ a: Self, _ b: Self) -> Bool {
    (a.at, a.by, a.key) < (b.at, b.by, b.key)
  }
}

/// What ``Exporter/incidentJSON(_:review:)`` writes of an incident, read from an ``Incident``
/// or straight from its snapshot record: both then go through one writer, so the two give the
/// same bytes.
struct IncidentJSONFields {
  var id: String
  var title: JSONFieldText
  var what: JSONFieldText
  var kind: IncidentKind
  var severity: Severity
  var occurred: Day
  var team: String
  var owner: String
  var tags: [String]
  var triggers: [String]
  var patterns: [String]
  var status: IncidentStatus
  var template: String
  var createdAt: Int64
  var createdBy: String
  /// The current answer to each question, sorted by key.
  var answers: [(key: String, value: JSONFieldText)]
  /// Every version of every answer, in ``AnswerVersionFields/precedes(_:_:)`` order.
  var history: [AnswerVersionFields]

  /// The fields of `inc`.
  init(_ inc: Incident) {
    id = inc.id
    title = .string(inc.title)
    what = .string(inc.what)
    kind = inc.kind
    severity = inc.severity
    occurred = inc.occurred
    team = inc.team
    owner = inc.owner
    tags = inc.tags
    triggers = inc.triggers
    patterns = inc.patterns
    status = inc.status
    template = inc.template
    createdAt = inc.createdAt
    createdBy = inc.createdBy
    answers = inc.answers.compactMap { k, versions in versions.last.map { (k, .string($0.value)) } }
      .sorted { $0.key < $1.key }
    history = inc.understandingHistory.map {
      AnswerVersionFields(
        key: $0.key, value: .string($0.value), template: $0.template, at: $0.at, by: $0.by,
        revision: $0.revision)
    }
  }

  /// Fields read one by one (the snapshot's reader): `answers` and `history` are sorted here.
  init(
    id: String, title: JSONFieldText, what: JSONFieldText, kind: IncidentKind,
    severity: Severity, occurred: Day, team: String, owner: String, tags: [String],
    triggers: [String], patterns: [String], status: IncidentStatus, template: String,
    createdAt: Int64, createdBy: String, answers: [(key: String, value: JSONFieldText)],
    history: [AnswerVersionFields]
  ) {
    self.id = id
    self.title = title
    self.what = what
    self.kind = kind
    self.severity = severity
    self.occurred = occurred
    self.team = team
    self.owner = owner
    self.tags = tags
    self.triggers = triggers
    self.patterns = patterns
    self.status = status
    self.template = template
    self.createdAt = createdAt
    self.createdBy = createdBy
    self.answers = answers.sorted { $0.key < $1.key }
    self.history = history.sorted(by: AnswerVersionFields.precedes)
  }
}

extension JSONText {
  /// A field text as a JSON string, in the bytes ``string(_:)`` writes for the same text.
  mutating func string(_ t: JSONFieldText) {
    switch t {
    case .string(let s): string(s)
    case .bytes(let b):
      if ExchangeJSON.isVerbatim(b) {
        bytes.append(0x22)
        bytes.append(contentsOf: b)
        bytes.append(0x22)
      } else {
        // What decoding the record would have made of the bytes, escaped as ever.
        string(String(decoding: b, as: UTF8.self))
      }
    }
  }
}

extension Exporter {
  /// Writes ``incidentJSON(_:review:)`` pretty at `indent` into `out`, field by field, in the
  /// bytes ``ExchangeJSON`` writes that value in (keys sorted), without building the value.
  public static func writeIncidentJSON(
    _ inc: Incident, review rs: ReviewStatus, extra: [String: JSONValue] = [:],
    into out: inout JSONText, indent d: Int
  ) {
    writeIncidentJSON(IncidentJSONFields(inc), review: rs, extra: extra, into: &out, indent: d)
  }

  /// ``writeIncidentJSON(_:review:extra:into:indent:)`` of an incident's fields, however they
  /// were read.
  static func writeIncidentJSON(
    _ inc: IncidentJSONFields, review rs: ReviewStatus, extra: [String: JSONValue] = [:],
    into out: inout JSONText, indent d: Int
  ) {
    // `extra`'s members (an export's follow-up) go in among the incident's, in key order.
    var pending = extra.sorted { $0.key < $1.key }[...]
    var first = true
    func flush(before key: String?) {
      while let e = pending.first, key.map({ e.key < $0 }) ?? true {
        if !first { out.bytes.append(0x2C) }
        first = false
        out.newline(d + 1)
        out.string(e.key)
        out.raw(": ")
        out.value(e.value, indent: d + 1)
        pending.removeFirst()
      }
    }
    func member(_ key: StaticString) {
      // Compared as UTF-8 bytes, no string made: the keys are ASCII, whose byte order is the
      // order of strings.
      if let e = pending.first,
        e.key.utf8.lexicographicallyPrecedes(
          UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
      {
        flush(before: key.description)
      }
      out.member(key, first: first, indent: d)
      first = false
    }
    out.raw("{")
    member("answerHistory")
    out.objects(inc.history, indent: d + 1) { out, v in
      out.member("at", first: true, indent: d + 2)
      out.time(v.at)
      out.member("by", first: false, indent: d + 2)
      out.string(v.by)
      out.member("key", first: false, indent: d + 2)
      out.string(v.key)
      out.member("revision", first: false, indent: d + 2)
      out.int(v.revision)
      out.member("template", first: false, indent: d + 2)
      out.string(v.template)
      out.member("value", first: false, indent: d + 2)
      out.string(v.value)
    }
    member("answers")
    if inc.answers.isEmpty {
      out.raw("{}")
    } else {
      out.raw("{")
      for (i, a) in inc.answers.enumerated() {
        if i > 0 { out.bytes.append(0x2C) }
        out.newline(d + 2)
        out.string(a.key)
        out.raw(": ")
        out.string(a.value)
      }
      out.newline(d + 1)
      out.raw("}")
    }
    member("created")
    out.time(inc.createdAt)
    member("createdBy")
    out.string(inc.createdBy)
    member("id")
    out.string(inc.id)
    member("kind")
    out.string(inc.kind.rawValue)
    member("occurred")
    out.string(inc.occurred.description)
    member("owner")
    out.string(inc.owner)
    member("patterns")
    out.strings(inc.patterns, indent: d + 1)
    member("reviewComplete")
    if rs.isComplete { out.raw("true") } else { out.raw("false") }
    member("reviewMissing")
    out.strings(rs.missing, indent: d + 1)
    member("severity")
    out.string(inc.severity.rawValue)
    member("status")
    out.string(inc.status.rawValue)
    member("tags")
    out.strings(inc.tags, indent: d + 1)
    member("team")
    out.string(inc.team)
    member("template")
    out.string(inc.template)
    member("title")
    out.string(inc.title)
    member("triggers")
    out.strings(inc.triggers, indent: d + 1)
    member("what")
    out.string(inc.what)
    flush(before: nil)
    out.newline(d)
    out.raw("}")
  }
}
