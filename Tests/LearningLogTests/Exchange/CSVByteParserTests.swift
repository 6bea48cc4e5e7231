import Foundation
import Testing
import WorkCounting

@testable import LearningLog

/// The CSV reader over UTF-8 bytes against the reader it replaced (a walk over the text's
/// scalars, kept here as the oracle): the same rows, or the same error, for every text.
@Suite struct CSVByteParserTests {
  /// The former reader, scalar by scalar, unchanged.
  static func oracle(_ text: String) throws(CSV.ParseError) -> [CSV.Row] {
    var rows: [CSV.Row] = []
    var row: [String] = []
    var field = ""
    var line = 1
    var rowLine = 1
    var it = Array(text.unicodeScalars)
    if it.first == "\u{FEFF}" { it.removeFirst() }
    var i = 0
    var fieldStarted = false
    func fail(_ reason: String, line l: Int? = nil) -> CSV.ParseError {
      CSV.ParseError(
        row: rows.count + 1, line: l ?? line, column: row.count + 1, reason: reason,
        firstRow: rows.first?.cells)
    }
    while i < it.count {
      let c = it[i]
      if c == "\"" {
        guard !fieldStarted else {
          throw fail(
            "a quote inside an unquoted cell; quote the whole cell and double the quote (\"a\"\"b\")"
          )
        }
        let openLine = line
        fieldStarted = true
        i += 1
        var closed = false
        while i < it.count {
          let q = it[i]
          if q == "\"" {
            if i + 1 < it.count && it[i + 1] == "\"" {
              field.unicodeScalars.append("\"")
              i += 2
              continue
            }
            closed = true
            i += 1
            break
          }
          if q == "\n" { line += 1 }
          field.unicodeScalars.append(q)
          i += 1
        }
        guard closed else {
          throw fail("a quoted cell is never closed; add the closing \"", line: openLine)
        }
        if i < it.count, it[i] != ",", it[i] != "\n", it[i] != "\r" {
          throw fail(
            "text after the closing quote of a cell; put the whole cell in quotes and double "
              + "the quotes inside it")
        }
        continue
      }
      if c == "," {
        row.append(field)
        field = ""
        fieldStarted = false
        i += 1
        continue
      }
      if c == "\n" || c == "\r" {
        if c == "\r", i + 1 < it.count, it[i + 1] == "\n" { i += 1 }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
          row.append(field)
          rows.append(CSV.Row(line: rowLine, cells: row))
        }
        line += 1
        rowLine = line
        row = []
        field = ""
        fieldStarted = false
        i += 1
        continue
      }
      field.unicodeScalars.append(c)
      fieldStarted = true
      i += 1
    }
    if fieldStarted || !field.isEmpty || !row.isEmpty {
      row.append(field)
      rows.append(CSV.Row(line: rowLine, cells: row))
    }
    return rows
  }

  /// The pieces generated texts are made of: every byte the grammar reads, text around them,
  /// multi-byte scalars (two, three and four bytes), a BOM, spaces of other scripts.
  static let pieces: [String] = [
    ",", "\"", "\"\"", "\n", "\r", "\r\n", "a", "title", " ", "\t", "é", "検索", "🚀", "\u{FEFF}",
    "\u{00A0}", "\u{3000}", "x\"y", "\"q,\"", "'=1", ";", "e\u{301}",
  ]

  static func outcome(_ r: () throws(CSV.ParseError) -> [CSV.Row]) -> String {
    do {
      return "\(try r())"
    } catch {
      return "error \(error)"
    }
  }

  @Test func generatedTextsReadTheSameAsTheScalarReader() {
    var rng = SystemRandomNumberGenerator()
    var seed = UInt64.random(in: 0...UInt64.max, using: &rng)
    let start = seed
    func next() -> UInt64 {
      seed &+= 0x9E37_79B9_7F4A_7C15
      var z = seed
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    var checked = 0
    var failures = 0
    for _ in 0..<4_000 {
      var text = next() % 8 == 0 ? "\u{FEFF}" : ""
      for _ in 0..<Int(next() % 40) { text += Self.pieces[Int(next() % UInt64(Self.pieces.count))] }
      let mine = Self.outcome { () throws(CSV.ParseError) in try CSV.rows(text) }
      let theirs = Self.outcome { () throws(CSV.ParseError) in try Self.oracle(text) }
      if mine != theirs {
        failures += 1
        if failures <= 3 {
          Issue.record("seed \(start): \(text.debugDescription): \(mine) ≠ \(theirs)")
        }
      }
      checked += 1
    }
    #expect(checked == 4_000 && failures == 0)
  }

  @Test func rowsAndErrorsOfHandWrittenTexts() {
    let texts = [
      "", "\u{FEFF}", "a,b\r\nc,d", "\"a\"\"b\",c\n", "\"open", "a\"b", "\"a\"b", "a,\n\n,b",
      "\"line\nbreak\",x\r\ny", "\u{FEFF}title\n検索,🚀", ",", "\r\r\n\n", "\"\"", "x,\"\"",
    ]
    for t in texts {
      let mine = Self.outcome { () throws(CSV.ParseError) in try CSV.rows(t) }
      let theirs = Self.outcome { () throws(CSV.ParseError) in try Self.oracle(t) }
      #expect(mine == theirs, "\(t.debugDescription)")
    }
  }

  @Test func readingIsLinearInTheText() {
    func text(_ rows: Int) -> String {
      var t = "title,what\n"
      for i in 0..<rows { t += "\"row \(i), quoted\",plain text of row \(i) 検索\n" }
      return t
    }
    expectLinearGrowth("reading CSV", n: 2_000) { n in
      let t = text(n)
      var rows = 0
      let counter = WorkCounter.measure { rows = (try? CSV.rows(t).count) ?? -1 }
      #expect(rows == n + 1)
      return counter["csv.bytes"]
    }
  }
}

/// Importing a CSV grows linearly in its rows: reading the text, planning and applying
/// the incidents (all on one pattern, the corner that was quadratic in a replay).
@Suite struct ImportGrowthTests {
  @Test func importingRowsOnOnePatternIsLinear() throws {
    let day = Day(year: 2026, month: 6, day: 1) ?? Day(ordinal: 0)
    try expectLinearGrowth("importing CSV rows on one pattern", n: 500) { n in
      var text = "title,what,owner,patterns,occurred\n"
      for i in 0..<n {
        text +=
          "\"Row \(i), quoted\",what happened in row \(i) 検索,owner\(i % 3),area/cause,2026-05-01\n"
      }
      var state = LearningState()
      let counter = try WorkCounter.measure {
        let plan = try Importer.csv(
          Data(text.utf8), into: LearningState(), context: .seeded(7, today: day))
        var st = Stamper(writer: "import", wall: 1)
        state = LearningState.replay(plan.shared.map { st.stamp($0) })
      }
      #expect(state.incidents.count == n)
      #expect(counter["csv.bytes"] >= text.utf8.count - 2 * n, "every byte read once")
      return counter["csv.bytes"] + counter["pattern index"]
    }
  }
}

/// A large CSV is planned in two halves on two threads: the same drafts, ids included, and
/// the same first error, as planning one row after another.
@Suite struct ParallelImportTests {
  static let day = Day(year: 2026, month: 6, day: 1) ?? Day(ordinal: 0)

  static func csv(_ n: Int, bad: [Int: String] = [:]) -> Data {
    var text = "title,what,owner,severity,patterns,occurred\n"
    for i in 0..<n {
      let severity = bad[i] ?? ["low", "medium", "high"][i % 3]
      text +=
        "\"Row \(i), quoted\",what happened \(i),owner\(i % 4),\(severity),area/c\(i % 9),2026-05-01\n"
      if i % 1_000 == 7 { text += " ,,,,,\n" }  // a row of blank cells is no row
    }
    return Data(text.utf8)
  }

  static func outcome(_ body: () throws -> Plan) -> String {
    do {
      return "\(try body().shared)"
    } catch {
      return "error \(error)"
    }
  }

  @Test func halvesPlanWhatOneRowAfterAnotherPlans() throws {
    let data = Self.csv(5_000)
    let halves = try Importer.csv(data, into: LearningState(), context: .seeded(7, today: Self.day))
    let oneByOne = try Importer.csv(
      data, into: LearningState(), context: .seeded(7, today: Self.day), parallelFrom: .max)
    #expect(halves.shared.count == 5_000)
    #expect(halves == oneByOne)
  }

  @Test func theFirstRefusedRowIsTheOneReported() {
    for bad in [
      [10: "huge"], [4_000: "huge"], [4_000: "huge", 10: "tiny"], [2_500: "x", 2_501: "y"],
    ] {
      let data = Self.csv(5_000, bad: bad)
      let halves = Self.outcome {
        try Importer.csv(data, into: LearningState(), context: .seeded(7, today: Self.day))
      }
      let oneByOne = Self.outcome {
        try Importer.csv(
          data, into: LearningState(), context: .seeded(7, today: Self.day), parallelFrom: .max)
      }
      #expect(halves.hasPrefix("error") && halves == oneByOne, "\(bad)")
    }
  }

  /// When an id the generator gives is already taken, rows are planned one after another
  /// from the ids drawn: still the drafts of a plain run.
  @Test func aTakenIdGivesTheDraftsOfOneRowAfterAnother() throws {
    let taken = CommandContext.seeded(7, today: Self.day).makeID()
    var stamper = Stamper()
    let state = LearningState.replay([
      stamper.stamp(
        RecordDraft(
          type: EventType.incidentCreated, entity: taken,
          body: .object(["title": "already here", "occurred": "2026-05-01"])))
    ])
    let data = Self.csv(5_000)
    let halves = try Importer.csv(data, into: state, context: .seeded(7, today: Self.day))
    let oneByOne = try Importer.csv(
      data, into: state, context: .seeded(7, today: Self.day), parallelFrom: .max)
    #expect(halves == oneByOne)
    #expect(!halves.shared.contains { $0.entity == taken })
  }
}

/// The trimming shortcuts answer as Foundation does.
@Suite struct TrimmingTests {
  static let pieces = [
    "", " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2003}", "\u{3000}",
    "\u{2028}", "a", "é", "検", "🚀", "x y", "e\u{301}", ",",
  ]

  @Test func trimmedSpacesEqualsFoundation() {
    var count = 0
    for a in Self.pieces {
      for b in Self.pieces {
        for c in Self.pieces {
          let s = a + b + c
          #expect(
            s.trimmedSpaces() == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
          #expect(
            s.trimmedSpacesAndNewlines() == s.trimmingCharacters(in: .whitespacesAndNewlines),
            "\(s.debugDescription)")
          count += 1
        }
      }
    }
    #expect(count == Self.pieces.count * Self.pieces.count * Self.pieces.count)
  }

  /// An owner without a separator is returned as given; one with a separator still goes
  /// through the full check.
  @Test func theOwnerShortcutSeesEverySeparator() throws {
    let state = LearningState()
    for owner in ["lena", "Lena Ortiz", "sandra", "Andrea", "band leader", "ana@example.org"] {
      #expect(!LearningState.mayJoinNames(owner))
      #expect(try state.onePerson(owner) == owner)
    }
    for owner in [
      "lena, omar", "lena;omar", "lena & omar", "lena/omar", "lena+omar", "lena AND omar",
      "lena And omar",
    ] {
      #expect(LearningState.mayJoinNames(owner))
      #expect(throws: DomainError.self) { try state.onePerson(owner) }
    }
    // Every split the full check makes finds one part when the shortcut says no separator.
    for owner in ["a", "anders", "x and", "and y", "a.nd", "日本 and", "dan", "ändern"] {
      let lower = owner.lowercased()
      let splits = [",", ";", "&", "/", "+", " and "].map {
        lower.components(separatedBy: $0).count
      }
      #expect(LearningState.mayJoinNames(owner) == splits.contains { $0 > 1 }, "\(owner)")
    }
  }
}
