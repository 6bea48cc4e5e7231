/// JSON text being written, as UTF-8 bytes: what ``ExchangeJSON`` writes values into, in the
/// same bytes whether a value is written from a ``JSONValue`` or field by field.
public struct JSONText: Sendable {
  /// The text written so far.
  public var bytes: [UInt8] = []

  /// An empty text.
  public init() {}

  /// The text as a string.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Appends `s` as it is (punctuation, numbers, keywords).
  mutating func raw(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// A line break and `indent` levels of two spaces.
  mutating func newline(_ indent: Int) {
    let spaces: StaticString = "\n                                "
    if indent <= 16 {
      spaces.withUTF8Buffer { bytes.append(contentsOf: $0.prefix(1 + 2 * indent)) }
      return
    }
    bytes.append(0x0A)
    for _ in 0..<indent { bytes.append(contentsOf: [0x20, 0x20]) }
  }

  /// `s` as a JSON string: quoted, with quotes, backslashes and controls escaped (C0, DEL, C1,
  /// bidi and zero-width controls as `\uXXXX`, so a terminal showing the file never receives
  /// them raw).
  public mutating func string(_ s: String) {
    // Text with nothing to escape, in contiguous storage (every native string): copied.
    let copied =
      s.utf8.withContiguousStorageIfAvailable { u -> Bool in
        let raw = UnsafeRawBufferPointer(u)
        guard ExchangeJSON.isVerbatim(raw) else { return false }
        bytes.append(0x22)
        bytes.append(contentsOf: raw)
        bytes.append(0x22)
        return true
      } ?? false
    if copied { return }
    if ExchangeJSON.needsEscape(s) {
      var escaped = ""
      ExchangeJSON.writeStringEscaping(s, into: &escaped)
      bytes += escaped.utf8
      return
    }
    bytes.append(0x22)
    bytes += s.utf8
    bytes.append(0x22)
  }

  /// An integer.
  mutating func int(_ i: Int) { bytes += String(i).utf8 }

  /// `value`, pretty at `indent` (a negative indent writes it on one line).
  public mutating func value(_ v: JSONValue, indent: Int) {
    let nl = indent >= 0
    switch v {
    case .null: raw("null")
    case .bool(let b): if b { raw("true") } else { raw("false") }
    case .int(let i): int(i)
    case .double(let d): bytes += (d.isFinite ? "\(d)" : "null").utf8
    case .string(let s): string(s)
    case .array(let a):
      if a.isEmpty {
        raw("[]")
        return
      }
      raw("[")
      for (i, e) in a.enumerated() {
        if i > 0 { raw(",") }
        if nl { newline(indent + 1) }
        value(e, indent: nl ? indent + 1 : -1)
      }
      if nl { newline(indent) }
      raw("]")
    case .object(let o):
      if o.isEmpty {
        raw("{}")
        return
      }
      raw("{")
      // The members sorted once, each with its value: no lookup by key.
      for (i, m) in o.sorted(by: { $0.key < $1.key }).enumerated() {
        if i > 0 { raw(",") }
        if nl { newline(indent + 1) }
        string(m.key)
        if nl { raw(": ") } else { raw(":") }
        value(m.value, indent: nl ? indent + 1 : -1)
      }
      if nl { newline(indent) }
      raw("}")
    }
  }
}

extension JSONText {
  /// Starts member `key` of a pretty object at `indent`: a comma after the first, the line
  /// break, the key and its colon.
  mutating func member(_ key: StaticString, first: Bool, indent: Int) {
    if !first { bytes.append(0x2C) }
    newline(indent + 1)
    bytes.append(0x22)
    raw(key)
    raw("\": ")
  }

  /// Strings as a pretty array at `indent`.
  mutating func strings(_ a: [String], indent: Int) {
    if a.isEmpty {
      raw("[]")
      return
    }
    raw("[")
    for (i, s) in a.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      newline(indent + 1)
      string(s)
    }
    newline(indent)
    raw("]")
  }

  /// `items` as a pretty array at `indent`, each a pretty object whose members `members` writes
  /// (at `indent + 1`, the first with `first: true`).
  mutating func objects<S: Collection>(
    _ items: S, indent: Int, members: (inout JSONText, S.Element) -> Void
  ) {
    if items.isEmpty {
      raw("[]")
      return
    }
    raw("[")
    for (i, item) in items.enumerated() {
      if i > 0 { bytes.append(0x2C) }
      newline(indent + 1)
      raw("{")
      members(&self, item)
      newline(indent + 1)
      raw("}")
    }
    newline(indent)
    raw("]")
  }

  /// A time as ISO 8601 text, or null.
  mutating func time(_ ms: Int64?) {
    guard let ms else { return raw("null") }
    // The common case written digit by digit in place, without making a string.
    if !ISOTime.append(ms, quotedTo: &bytes) { string(ISOTime.string(ms)) }
  }
}

extension JSONText {
  /// A day as `YYYY-MM-DD`, or null.
  mutating func day(_ d: Day?) {
    if let d { string(d.description) } else { raw("null") }
  }
}

extension Exporter {
  /// Writes ``actionJSON(_:)`` pretty at `indent` into `out`, field by field, in the bytes
  /// ``ExchangeJSON`` writes that value in (keys sorted), without building the value.
  public static func writeActionJSON(_ a: Action, into out: inout JSONText, indent d: Int) {
    let mitigate = a.type == .mitigate
    out.raw("{")
    out.member("created", first: true, indent: d)
    out.time(a.createdAt)
    out.member("done", first: false, indent: d)
    out.time(a.doneAt)
    out.member("dropReason", first: false, indent: d)
    out.string(a.dropReason)
    out.member("due", first: false, indent: d)
    out.day(a.due)
    out.member("id", first: false, indent: d)
    out.string(a.id)
    out.member("incident", first: false, indent: d)
    out.string(a.incident)
    out.member("owner", first: false, indent: d)
    out.string(a.owner)
    if mitigate {
      out.member("retirement", first: false, indent: d)
      if let r = a.retirement {
        out.raw("{")
        out.member("at", first: true, indent: d + 1)
        out.time(r.at)
        out.member("by", first: false, indent: d + 1)
        out.string(r.by)
        out.member("decision", first: false, indent: d + 1)
        out.string(r.decision.rawValue)
        out.member("reason", first: false, indent: d + 1)
        out.string(r.reason)
        out.newline(d + 1)
        out.raw("}")
      } else {
        out.raw("null")
      }
    }
    out.member("review", first: false, indent: d)
    out.day(a.review)
    out.member("signal", first: false, indent: d)
    out.string(a.signal)
    out.member("status", first: false, indent: d)
    out.string(a.status.rawValue)
    out.member("title", first: false, indent: d)
    out.string(a.title)
    out.member("type", first: false, indent: d)
    out.string(a.type.rawValue)
    if mitigate {
      out.member("until", first: false, indent: d)
      out.day(a.until)
    }
    out.member("verifications", first: false, indent: d)
    out.objects(a.verifications, indent: d + 1) { out, v in
      out.member("at", first: true, indent: d + 2)
      out.time(v.at)
      out.member("by", first: false, indent: d + 2)
      out.string(v.by)
      out.member("evidence", first: false, indent: d + 2)
      out.string(v.evidence)
      out.member("outcome", first: false, indent: d + 2)
      out.string(v.outcome.rawValue)
    }
    out.newline(d)
    out.raw("}")
  }
}
