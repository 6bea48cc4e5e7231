import Foundation
import Testing

@testable import LearningLog

/// Hostile text in every field: each export escapes it as its format requires.
@Suite struct ExportEscapingTests {
  /// `text` without its code spans (a run of backticks up to the next run as long).
  static func droppingCodeSpans(_ text: String) -> String {
    let c = Array(text)
    var out = ""
    var i = 0
    while i < c.count {
      guard c[i] == "`" else {
        out.append(c[i])
        i += 1
        continue
      }
      var n = 0
      while i + n < c.count && c[i + n] == "`" { n += 1 }
      var j = i + n
      var close: Int?
      while j < c.count {
        if c[j] == "`" {
          var m = 0
          while j + m < c.count && c[j + m] == "`" { m += 1 }
          if m == n {
            close = j + m
            break
          }
          j += m
        } else {
          j += 1
        }
      }
      if let close {
        i = close
      } else {
        out += String(repeating: "`", count: n)
        i += n
      }
    }
    return out
  }

  @Test func fixtureReallyHoldsTheHostileStrings() throws {
    let h = try HostileText.harness()
    let raw = Exporter.jsonValue(h.state, on: h.today, includePrivate: true)
    var strings: [String] = []
    func collect(_ v: JSONValue) {
      switch v {
      case .string(let s): strings.append(s)
      case .array(let a): a.forEach(collect)
      case .object(let o): o.values.forEach(collect)
      default: break
      }
    }
    collect(raw)
    // Every attack reached the state (a fixture that lost them would prove nothing).
    for attack in HostileText.strings {
      let probe = String(attack.prefix(12))
      #expect(strings.contains { $0.contains(probe) }, "missing: \(probe.debugDescription)")
    }
    #expect(h.privateRecords.count == HostileText.strings.count)
  }

  @Test func jsonExportIsValidEscapedAndRoundTrips() throws {
    var h = try HostileText.harness()
    for r in h.privateRecords { h.state.apply(r) }
    for includePrivate in [false, true] {
      let text = Exporter.json(h.state, on: h.today, includePrivate: includePrivate)
      #expect(HostileText.forbidden(in: text).isEmpty, "raw controls in the JSON export")
      // Valid JSON for a strict parser and for Foundation.
      _ = try JSONParser.parse(
        Array(text.utf8),
        limits: JSONLimits(
          maxDepth: 64, maxStringBytes: 1 << 24, maxContainerCount: 1 << 20))
      _ = try JSONSerialization.jsonObject(with: Data(text.utf8))
      let plan = try Importer.json(
        Data(text.utf8), into: LearningState(), includePrivate: includePrivate)
      var st = Stamper(writer: "back", wall: 1)
      let back = LearningState.replay((plan.shared + plan.private).map { st.stamp($0) })
      #expect(
        Exporter.json(back, on: h.today, includePrivate: includePrivate) == text,
        "the JSON export does not round-trip (includePrivate: \(includePrivate))")
    }
  }

  @Test func csvExportIsQuotedGuardedAndImportsBack() throws {
    let h = try HostileText.harness()
    let guardChars: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
    for table in CSVTable.allCases {
      let text = Exporter.csv(h.state, table: table)
      let rows = try CSV.parse(text)
      let width = rows.first?.count ?? 0
      #expect(rows.count > 10)
      for (n, row) in rows.enumerated() {
        #expect(row.count == width, "\(table) row \(n + 1) has \(row.count) cells")
        for cell in row {
          if let first = cell.unicodeScalars.first {
            #expect(!guardChars.contains(first), "unguarded formula cell: \(cell.prefix(20))")
          }
        }
      }
    }
    // Every incident comes back with its hostile title, text and lists intact.
    let text = Exporter.csv(h.state)
    let plan = try Importer.csv(Data(text.utf8), into: LearningState(), context: h.context)
    var st = Stamper(writer: "csv")
    let back = LearningState.replay(plan.shared.map { st.stamp($0) })
    let trim = { (s: String) in s.trimmingCharacters(in: .whitespacesAndNewlines) }
    #expect(
      back.incidentList.map { trim($0.title) }.sorted()
        == h.state.incidentList.map { trim($0.title) }.sorted())
    #expect(
      Set(back.incidentList.map(\.what)) == Set(h.state.incidentList.map(\.what)),
      "a hostile 'what' did not survive CSV")
  }

  @Test func markdownDigestCarriesNoRawControl() throws {
    let h = try HostileText.harness()
    let md = Exporter.markdown(h.state, since: h.today.adding(days: -60), until: h.today)
    #expect(md.contains("## Incidents"))
    #expect(
      HostileText.forbidden(in: md).isEmpty,
      "raw controls in Markdown: \(HostileText.forbidden(in: md))")
    // Each line is one Markdown block: no data broke a table row or a list item apart.
    for line in md.split(separator: "\n") where line.hasPrefix("|") {
      #expect(line.hasSuffix("|"), "a table row was broken: \(line.prefix(60))")
    }
    // Outside code spans (where Markdown shows everything as typed), HTML and entity
    // references are escaped and stay text.
    let prose = Self.droppingCodeSpans(md)
    #expect(md.count > prose.count)
    #expect(!prose.contains("<script>"))
    #expect(!prose.contains(" &#27;"))
    #expect(prose.contains("\\<script\\>"))
    // The control characters are shown, not dropped.
    #expect(md.contains("\\u{1B}"))
    #expect(md.contains("\\u{202E}"))
    // And every team digest, too.
    for team in Set(h.state.incidentList.map(\.team)) {
      let t = Exporter.markdown(
        h.state, team: team, since: h.today.adding(days: -60), until: h.today)
      #expect(HostileText.forbidden(in: t).isEmpty)
    }
  }
}

/// A quote followed by a combining mark is doubled, and the cell reads back.
///
/// Found by the import-csv fuzz target: the two are one Character, which the doubling passed
/// over. Every kind of scalar that extends a grapheme after a quote, and the fuzz input itself
/// through export and import.
@Test func csvQuoteBeforeACombiningMarkIsDoubledAndImportsBack() throws {
  for mark in ["\u{301}", "\u{64E}", "\u{20DD}", "\u{200D}", "\u{FE0F}", "\u{1F3FB}", "\u{E0100}"] {
    for text in ["\"\(mark)", "a,\"\(mark)\"", "x\"\(mark)\"\"\(mark)y", "\"\(mark)\n\""] {
      let row = CSV.row([text, "z"])
      #expect(try CSV.parse(row) == [[text, "z"]], "\(text.unicodeScalars.map(\.value))")
    }
  }
  let found =
    "\u{FEFF}title,what,tags,severity\n\"a,\u{1C}b\",\"Dine\nbreakx;y,highgh\n'=cmd,\"\"\u{64E}\"\"\",,low\n"
  var h = Harness()
  let plan = try Importer.csv(Data(found.utf8), into: LearningState(), context: h.context)
  #expect(plan.shared.count == 1)
  for d in plan.shared { h.state.apply(h.stamper.stamp(d)) }
  #expect(h.state.incidentList.first?.what.unicodeScalars.contains("\u{64E}") == true)
  let again = try Importer.csv(
    Data(Exporter.csv(h.state).utf8), into: LearningState(), context: h.context)
  #expect(again.shared.count == plan.shared.count)
}

/// Found by the import-csv fuzz target: a cell holding CRLF was written unquoted, because
/// "\r\n" is one Character in Swift, and the row split in two.
@Test func csvCellWithCRLFIsQuotedAndImportsBack() throws {
  #expect(CSV.cell("a\r\nb") == "\"a\r\nb\"")
  #expect(try CSV.parse(CSV.row(["x\r\ny", "z"])) == [["x\r\ny", "z"]])
  var h = Harness()
  _ = try h.incident("first line\r\n+second", occurred: "2026-02-01")
  let csv = Exporter.csv(h.state)
  let plan = try Importer.csv(Data(csv.utf8), into: LearningState(), context: h.context)
  #expect(plan.shared.count == 1)
}
