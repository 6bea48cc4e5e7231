import Foundation
import Testing

@testable import LearningLog

/// ``ExchangeJSON/streamArray(_:element:emit:)`` gives the bytes of the whole array encoded
/// at once, element by element.
@Suite struct StreamedArrayTests {
  /// The streamed text of `values` and how many pieces it came in.
  static func streamed(_ values: [JSONValue]) -> (text: String, pieces: Int) {
    var text = ""
    var pieces = 0
    ExchangeJSON.streamArray(values, element: { $0 }) {
      text += $0
      pieces += 1
    }
    return (text, pieces)
  }

  @Test("empty, one and several elements, nested and scalar, match the whole encoding")
  func shapes() {
    let shapes: [[JSONValue]] = [
      [], [.null], [.int(1), .string("a\n\"b\""), .bool(false)],
      [
        .object([:]), .array([]),
        .object(["b": .array([.int(2), .object(["z": .null])]), "a": .double(1.5)]),
      ],
    ]
    for values in shapes {
      let s = Self.streamed(values)
      #expect(s.text == ExchangeJSON.encode(.array(values)))
    }
  }

  @Test("a large array comes in pieces of about 64 KiB: nothing waits for the whole array")
  func piecesAreBounded() {
    let values = (0..<3000).map {
      JSONValue.string("element \($0) " + String(repeating: "x", count: 90))
    }
    var pieces: [String] = []
    ExchangeJSON.streamArray(values, element: { $0 }) { pieces.append($0) }
    #expect(pieces.joined() == ExchangeJSON.encode(.array(values)))
    #expect(pieces.count >= 4)
    #expect(pieces.allSatisfy { $0.utf8.count < (1 << 16) + 200 })
  }

  @Test("every hostile entity of every kind streams to the whole encoding's bytes")
  func hostileEntities() throws {
    let h = try HostileText.harness()
    let state = h.state
    let incidents = state.incidentList
    #expect(!incidents.isEmpty)
    let reviews = state.reviewStatuses(of: incidents)
    let arrays: [[JSONValue]] = [
      zip(incidents, reviews).map { Exporter.incidentJSON($0, review: $1) },
      state.actionList.map(Exporter.actionJSON), state.lessonList.map(Exporter.lessonJSON),
    ]
    for values in arrays {
      #expect(!values.isEmpty)
      #expect(Self.streamed(values).text == ExchangeJSON.encode(.array(values)))
    }
  }
}

/// Strings are written whole when nothing in them needs an escape, and scalar by scalar
/// otherwise: both ways give the same bytes.
@Suite struct JSONStringFastPathTests {
  @Test("every hostile string, and plain, accented, wide and emoji text, is written as escaped")
  func sameBytesAsEscapingEveryScalar() {
    var texts =
      HostileText.strings + [
        "", "plain ascii", "données naïve 検索 ✓ 🚀", "tab\there", "quote \" and \\ backslash",
        "del \u{7F}", "c1 \u{85}", "bidi \u{202E}x", "zero width \u{200B}", "bom \u{FEFF}",
        "line sep \u{2028}", "arabic mark \u{061C}",
      ]
    // Every scalar below 0x100 and the escaped ranges past it, one string each.
    for v in Array(0..<0x100) + Array(0x2000...0x2070) + [0xFEFF, 0x061C, 0x1F680] {
      if let u = Unicode.Scalar(v) { texts.append("a\(Character(u))b") }
    }
    // The same scalars at every place of a longer text, where whole words are scanned.
    for v in Array(0..<0x100) + [0x200B, 0x202E, 0xFEFF, 0x1F680] {
      guard let u = Unicode.Scalar(v) else { continue }
      for at in 0..<20 {
        texts.append(
          String(repeating: "p", count: at) + String(u) + String(repeating: "q", count: 19 - at))
      }
    }
    for t in texts {
      var fast = ""
      ExchangeJSON.writeString(t, into: &fast)
      var slow = ""
      ExchangeJSON.writeStringEscaping(t, into: &slow)
      #expect(fast == slow, "\(t.unicodeScalars.map { $0.value })")
    }
  }

  @Test("past ASCII the byte scan finds exactly the hidden scalars, of every length in UTF-8")
  func byteScanFindsEveryHiddenScalar() {
    var wrong: [UInt32] = []
    // Every scalar of the first plane (where every hidden one is) and one in 61 past it,
    // alone after accented text (so the scan past ASCII runs) and before it.
    for v in Array(UInt32(0x80)...0xFFFF)
      + Array(stride(from: UInt32(0x10000), to: 0x110000, by: 61))
    {
      guard let u = Unicode.Scalar(v) else { continue }
      let c = Character(u)
      for t in ["é\(c)", "\(c)é"] where ExchangeJSON.needsEscape(t) != Exporter.isHidden(u) {
        wrong.append(v)
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(20).map { String($0, radix: 16) })")
  }
}

/// `export` streams JSON, CSV and Markdown a piece at a time in the bytes of the whole
/// document built at once.
@Suite struct StreamedExportTests {
  /// The pieces `produce` emits.
  static func pieces(_ produce: ((String) -> Void) -> Void) -> [String] {
    var out: [String] = []
    produce { out.append($0) }
    return out
  }

  @Test("the hostile log streams to the whole document's bytes in every format")
  func hostileLog() throws {
    let state = try HostileText.harness().state
    let day = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
    for includePrivate in [false, true] {
      let whole = ExchangeJSON.encode(
        Exporter.jsonValue(state, on: day, includePrivate: includePrivate))
      let streamed = Self.pieces {
        Exporter.streamJSON(state, on: day, includePrivate: includePrivate, emit: $0)
      }
      #expect(streamed.joined() == whole)
    }
    for table in [CSVTable.incidents, .actions] {
      #expect(
        Self.pieces { Exporter.streamCSV(state, table: table, emit: $0) }.joined()
          == Exporter.csv(state, table: table))
    }
    #expect(
      Self.pieces { Exporter.streamMarkdown(state, since: Day(ordinal: 0), until: day, emit: $0) }
        .joined().contains("# What we learned"))
  }

  @Test("a large log is emitted in bounded pieces, each under 64 KiB and one entity")
  func boundedPieces() throws {
    var h = Harness()
    let what = String(repeating: "a long description of what happened; ", count: 20)
    for n in 0..<600 {
      try h.run(
        .addIncident(
          NewIncident(
            title: "incident \(n)", what: what, kind: "production", severity: "low",
            team: "web", owner: "ana", tags: [], triggers: [], patterns: [],
            occurred: "2026-02-01")))
    }
    let day = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
    let json = Self.pieces { Exporter.streamJSON(h.state, on: day, emit: $0) }
    let csv = Self.pieces { Exporter.streamCSV(h.state, emit: $0) }
    for pieces in [json, csv] {
      // 600 incidents of about 1 KiB each: several pieces, none much past 64 KiB.
      #expect(pieces.count >= 5)
      #expect(pieces.allSatisfy { $0.utf8.count < (1 << 16) + 8192 })
    }
    #expect(json.joined() == ExchangeJSON.encode(Exporter.jsonValue(h.state, on: day)))
  }
}

/// The byte writer gives the text of the writer it replaced, and an incident written field by
/// field gives the bytes of its value.
@Suite struct JSONTextTests {
  /// The string writer the byte writer replaced, kept here as the oracle.
  static func reference(_ v: JSONValue, into out: inout String, indent: Int) {
    let nl = indent >= 0
    func pad(_ n: Int) -> String { String(repeating: "  ", count: n) }
    switch v {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.isFinite ? "\(d)" : "null"
    case .string(let s): ExchangeJSON.writeStringEscaping(s, into: &out)
    case .array(let a):
      if a.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, e) in a.enumerated() {
        if i > 0 { out += "," }
        if nl { out += "\n" + pad(indent + 1) }
        reference(e, into: &out, indent: nl ? indent + 1 : -1)
      }
      if nl { out += "\n" + pad(indent) }
      out += "]"
    case .object(let o):
      if o.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (i, k) in o.keys.sorted().enumerated() {
        if i > 0 { out += "," }
        if nl { out += "\n" + pad(indent + 1) }
        ExchangeJSON.writeStringEscaping(k, into: &out)
        out += nl ? ": " : ":"
        reference(o[k] ?? .null, into: &out, indent: nl ? indent + 1 : -1)
      }
      if nl { out += "\n" + pad(indent) }
      out += "}"
    }
  }

  /// Incidents of the hostile log and of the demo, with answers edited and reviews pending.
  static func incidents() throws -> [(Incident, ReviewStatus)] {
    let hostile = try HostileText.harness().state
    let today = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
    var n: Int64 = 0
    let demo = LearningState.replay(
      try DemoData.drafts(today: today).map { d in
        n += 1
        return Record(
          id: EventID(rawValue: "demo-\(n)"),
          clock: HybridTimestamp(
            wall: today.utcMilliseconds - 86_400_000 * 400 + n * 1000, logical: 0),
          writer: "demo", type: d.type, schema: d.schema, entity: d.entity, body: d.body)
      })
    var out: [(Incident, ReviewStatus)] = []
    for state in [hostile, demo] {
      let list = state.incidentList
      out += zip(list, state.reviewStatuses(of: list)).map { ($0, $1) }
    }
    return out
  }

  @Test("every value of every hostile entity encodes to the old writer's text")
  func encodeMatchesTheStringWriter() throws {
    let state = try HostileText.harness().state
    let day = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
    let values =
      [Exporter.jsonValue(state, on: day, includePrivate: true)]
      + (try Self.incidents()).map { Exporter.incidentJSON($0, review: $1) }
    for v in values {
      for pretty in [true, false] {
        var expected = ""
        Self.reference(v, into: &expected, indent: pretty ? 0 : -1)
        if pretty { expected += "\n" }
        #expect(ExchangeJSON.encode(v, pretty: pretty) == expected)
      }
    }
  }

  @Test("an action written field by field gives its value's bytes at every indent")
  func actionFieldByField() throws {
    var actions = try HostileText.harness().state.actionList
    // Every kind of action, with and without verifications, a retirement and dates.
    if let base = actions.first {
      for type in ActionType.allCases {
        var a = base
        a.type = type
        actions.append(a)
        a.retirement = Retirement(decision: .keep, reason: "kept \u{1B}[31m", at: 1, by: "reviewer")
        actions.append(a)
        a.due = nil
        a.review = nil
        a.verifications = []
        a.retirement = nil
        a.until = nil
        actions.append(a)
      }
    }
    #expect(actions.contains { $0.type == .mitigate && $0.retirement != nil })
    #expect(actions.contains { !$0.verifications.isEmpty })
    for a in actions {
      for indent in [0, 1, 3] {
        var whole = JSONText()
        whole.value(Exporter.actionJSON(a), indent: indent)
        var direct = JSONText()
        Exporter.writeActionJSON(a, into: &direct, indent: indent)
        #expect(direct.text == whole.text, "\(a.id) \(a.type) at indent \(indent)")
      }
    }
  }

  @Test("an incident written field by field gives its value's bytes at every indent")
  func incidentFieldByField() throws {
    let incidents = try Self.incidents()
    #expect(incidents.count > 10)
    #expect(incidents.contains { !$0.0.answers.isEmpty && !$0.0.tags.isEmpty })
    #expect(incidents.contains { !$0.1.missing.isEmpty })
    for (inc, review) in incidents {
      for indent in [0, 1, 3] {
        var whole = JSONText()
        whole.value(Exporter.incidentJSON(inc, review: review), indent: indent)
        var direct = JSONText()
        Exporter.writeIncidentJSON(inc, review: review, into: &direct, indent: indent)
        #expect(direct.text == whole.text, "\(inc.id) at indent \(indent)")
      }
      // With members of an export's follow-up among its own, before, between and after them.
      let extra: [String: JSONValue] = [
        "aaa": .array([.int(1), .object(["k": "v"])]), "factors": .array([]), "ledTo": .null,
        "reviewSchedule": .object(["on": "2026-03-01"]), "timeline": .array(["x"]),
        "zzz": .string("last \u{1B}"),
      ]
      guard case .object(var merged) = Exporter.incidentJSON(inc, review: review) else {
        Issue.record("an incident is an object")
        continue
      }
      merged.merge(extra) { $1 }
      var whole = JSONText()
      whole.value(.object(merged), indent: 2)
      var direct = JSONText()
      Exporter.writeIncidentJSON(inc, review: review, extra: extra, into: &direct, indent: 2)
      #expect(direct.text == whole.text, "\(inc.id) with follow-up members")
    }
  }
}
