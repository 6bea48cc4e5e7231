import Foundation
import Testing

@testable import LearningLog

/// The iCalendar writer: folding, escaping, line ends, and the dated items it gathers.
@Suite("calendar export (ICS)")
struct CalendarExportTests {
  /// Unfolds RFC 5545 content lines (CRLF followed by a space continues the line).
  static func unfold(_ text: String) -> [String] {
    text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
      .filter { !$0.isEmpty }
  }

  @Test("a short line is not folded; a long ASCII line folds at 75 octets")
  func foldsASCII() {
    #expect(CalendarExport.fold("SUMMARY:short") == "SUMMARY:short")
    let line = "SUMMARY:" + String(repeating: "a", count: 200)
    let folded = CalendarExport.fold(line)
    let parts = folded.components(separatedBy: "\r\n")
    #expect(parts.count == 3)
    #expect(parts[0].utf8.count == 75)
    #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") && $0.utf8.count <= 75 })
    #expect(parts[1].utf8.count == 75)
    #expect(
      parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }
        .joined() == line)
  }

  @Test("a fold never splits a UTF-8 sequence, whatever its width, at every offset")
  func foldsMultiByte() {
    // Two-, three- and four-byte scalars placed so that each offset around the 75th octet
    // falls inside a sequence.
    for scalar in ["é", "—", "日", "🙂"] {
      for pad in 0..<5 {
        let line =
          "SUMMARY:" + String(repeating: "x", count: 60 + pad)
          + String(repeating: scalar, count: 40)
        let folded = CalendarExport.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        for part in parts {
          #expect(part.utf8.count <= 75, "\(scalar) pad \(pad): \(part.utf8.count) octets")
          // Every part is valid UTF-8 on its own: decoding and re-encoding keeps its bytes.
          let bytes = Array(part.utf8)
          #expect(String(validating: bytes, as: UTF8.self) != nil)
        }
        #expect(Self.unfold(folded + "\r\n") == [line], "\(scalar) pad \(pad)")
      }
    }
  }

  @Test("TEXT escapes backslash, semicolon, comma and newlines, and drops control characters")
  func escapes() {
    #expect(CalendarExport.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
    #expect(CalendarExport.escape("one\ntwo\r\nthree\rfour") == #"one\ntwo\nthree\nfour"#)
    #expect(CalendarExport.escape("tab\there") == "tab here")
    #expect(
      CalendarExport.escape("bell\u{07}esc\u{1B}[31mdel\u{7F}c1\u{9B}bidi\u{202E}x")
        == "bellesc[31mdelc1bidix")
    #expect(CalendarExport.escape("café — 日本") == "café — 日本")
  }

  /// RFC 5545 TEXT escaping defined a scalar at a time: what ``CalendarExport/escape(_:)``
  /// must equal however it walks the bytes.
  static func escapeByScalars(_ text: String) -> String {
    var out = ""
    var previousCR = false
    for scalar in text.unicodeScalars {
      defer { previousCR = scalar == "\r" }
      switch scalar {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\n": if !previousCR { out += "\\n" }
      case "\r": out += "\\n"
      case "\t": out += " "
      default:
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
          || (0x2066...0x2069).contains(v)
        {
          continue
        }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  @Test("escaping equals the scalar-by-scalar definition on text mixing every case")
  func escapesAsDefinedOnMixedText() {
    // Each case's neighbours: controls, C1 and bidi scalars and the scalars just outside
    // their ranges, CR/LF pairs, and one- to four-byte scalars.
    let pieces = [
      "a", "Z", " ", "\\", ";", ",", "\n", "\r", "\r\n", "\t", "\u{00}", "\u{1F}", "\u{7F}",
      "\u{80}", "\u{9F}", "\u{A0}", "é", "\u{2029}", "\u{202A}", "\u{202E}", "\u{202F}",
      "\u{2065}", "\u{2066}", "\u{2069}", "\u{206A}", "日", "🚀", "\u{FEFF}",
    ]
    var rng = SeededGenerator(seed: 5545)
    for _ in 0..<2_000 {
      let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
        pieces[Int.random(in: 0..<pieces.count, using: &rng)]
      }.joined()
      #expect(CalendarExport.escape(text) == Self.escapeByScalars(text), "\(Array(text.utf8))")
    }
  }

  @Test("every line ends in CRLF, holds at most 75 octets, and the calendar is well formed")
  func document() {
    let items = [
      CalendarItem(
        entity: "abc123", kind: "due", day: Day(year: 2026, month: 3, day: 14) ?? Day(ordinal: 0),
        summary: "Due: " + String(repeating: "é", count: 80) + "; a, b\nc", component: .todo),
      CalendarItem(
        entity: "abc123", kind: "review",
        day: Day(year: 2026, month: 3, day: 28) ?? Day(ordinal: 0), summary: "Review"),
    ]
    let text = CalendarExport.document(items, now: 1_800_000_000_000)
    #expect(text.hasSuffix("END:VCALENDAR\r\n"))
    let raw = text.components(separatedBy: "\r\n").dropLast()
    #expect(raw.allSatisfy { $0.utf8.count <= 75 && !$0.contains("\n") && !$0.contains("\r") })
    let lines = Self.unfold(text)
    #expect(lines.first == "BEGIN:VCALENDAR")
    #expect(lines.contains("UID:abc123-due@learnlog"))
    #expect(lines.contains("UID:abc123-review@learnlog"))
    #expect(lines.contains("DUE;VALUE=DATE:20260314"))
    #expect(lines.contains("DTSTART;VALUE=DATE:20260328"))
    #expect(lines.contains("DTEND;VALUE=DATE:20260329"))
    #expect(lines.contains("DTSTAMP:20270115T080000Z"))
    #expect(lines.contains("SUMMARY:Due: " + String(repeating: "é", count: 80) + #"\; a\, b\nc"#))
    #expect(lines.filter { $0.hasPrefix("BEGIN:") }.count == 3)
  }

  @Test("items: one per dated thing, stable UIDs, team and since filters")
  func items() throws {
    var h = Harness()
    let web = try h.incident("Checkout errors", team: "web")
    let api = try h.incident("Slow search", team: "api")
    let a1 = try h.action(web, due: "2026-03-10")
    _ = try h.action(api, due: "2026-02-01")
    let all = CalendarExport.items(h.state)
    // Each action has a due date and a review date (due + 14 days by default).
    #expect(all.count == 4)
    #expect(all.contains { $0.uid == "\(a1)-due@learnlog" && $0.component == .todo })
    #expect(all.contains { $0.uid == "\(a1)-review@learnlog" && $0.component == .event })
    let due = try #require(all.first { $0.uid == "\(a1)-due@learnlog" })
    #expect(due.summary.contains("Checkout errors (\(h.state.shortID(for: web)))"))
    #expect(CalendarExport.items(h.state, team: "WEB").count == 2)
    let since = try Day.parse("2026-03-01", field: "since")
    #expect(CalendarExport.items(h.state, since: since).count == 2)
    // Same state, same UIDs: a calendar that imports again updates, never duplicates.
    #expect(CalendarExport.items(h.state).map(\.uid) == all.map(\.uid))
  }

  @Test("a scheduled review is an event on its day, naming facilitator and participants")
  func scheduledReviews() throws {
    var h = Harness()
    let web = try h.incident("Checkout errors", team: "web")
    let api = try h.incident("Slow search", team: "api")
    try h.run(
      .scheduleReview(
        NewReviewSchedule(
          incident: web, on: "2026-03-12", facilitator: "sam", participants: ["ana", "lee"])))
    try h.run(.scheduleReview(NewReviewSchedule(incident: api, on: "2026-03-05")))
    let all = CalendarExport.items(h.state)
    #expect(all.count == 2)
    let item = try #require(all.first { $0.uid == "\(web)-scheduled-review@learnlog" })
    #expect(item.component == .event)
    #expect(item.day == day("2026-03-12"))
    #expect(item.summary.contains("Checkout errors (\(h.state.shortID(for: web)))"))
    #expect(item.description.contains("Facilitator: sam"))
    #expect(item.description.contains("Participants: ana, lee"))
    #expect(all.contains { $0.uid == "\(api)-scheduled-review@learnlog" })
    let text = CalendarExport.ics(h.state, now: 1_800_000_000_000)
    #expect(
      Self.unfold(text).contains(
        #"DESCRIPTION:Blameless review of incident \#(h.state.shortID(for: web))\nFacilitator: sam\nParticipants: ana\, lee"#
      ))
    // Rescheduling moves the same item: one UID per incident.
    try h.run(.scheduleReview(NewReviewSchedule(incident: web, on: "2026-03-15")))
    let moved = CalendarExport.items(h.state).filter { $0.uid == item.uid }
    #expect(moved.map(\.day) == [day("2026-03-15")])
    #expect(CalendarExport.items(h.state, team: "web").map(\.uid) == [item.uid])
    #expect(CalendarExport.items(h.state, since: day("2026-03-10")).map(\.uid) == [item.uid])
  }

  @Test("a mitigation's end day is an event until it is retired or dropped; filters apply")
  func mitigationEnds() throws {
    var h = Harness()
    let web = try h.incident("Checkout errors", team: "web")
    let api = try h.incident("Slow search", team: "api")
    let m = try h.make(
      .addAction(
        NewAction(
          incident: web, title: "roll back", owner: "sam", due: "2026-03-02", type: "mitigate",
          until: "2026-03-20")))
    let other = try h.make(
      .addAction(
        NewAction(
          incident: api, title: "rate limit", owner: "ana", due: "2026-02-02", type: "mitigate",
          until: "2026-02-10")))
    // A plain action with a due date has no end day.
    let plain = try h.action(web, due: "2026-03-10")
    func ends(_ items: [CalendarItem]) -> [String] {
      items.filter { $0.kind == "mitigation-end" }.map(\.uid)
    }
    let all = CalendarExport.items(h.state)
    #expect(
      ends(all).sorted()
        == ["\(m)-mitigation-end@learnlog", "\(other)-mitigation-end@learnlog"].sorted())
    #expect(!all.contains { $0.uid == "\(plain)-mitigation-end@learnlog" })
    let item = try #require(all.first { $0.uid == "\(m)-mitigation-end@learnlog" })
    #expect(item.day == day("2026-03-20"))
    #expect(item.component == .event)
    #expect(item.summary.contains("roll back"))
    #expect(item.summary.contains("Checkout errors (\(h.state.shortID(for: web)))"))
    #expect(ends(CalendarExport.items(h.state, team: "web")) == [item.uid])
    #expect(ends(CalendarExport.items(h.state, since: day("2026-03-01"))) == [item.uid])
    // Retired: no longer asks to be retired, so it leaves the calendar.
    try h.run(.retireAction(m, decision: "keep", reason: "it works"))
    #expect(ends(CalendarExport.items(h.state)) == ["\(other)-mitigation-end@learnlog"])
  }
}
