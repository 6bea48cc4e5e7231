import Foundation

/// RFC 4180 CSV: quoting on write, parsing with quoted fields and embedded line breaks.
public enum CSV {
  /// One cell, quoted when needed; a cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
  /// leading `'` so a spreadsheet does not run it as a formula.
  public static func cell(_ text: String) -> String {
    var t = text
    if let f = t.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(f) {
      t = "'" + t
    }
    // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
    if t.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return t
  }

  /// A line of cells ending in CRLF.
  public static func row(_ cells: [String]) -> String {
    cells.map(cell).joined(separator: ",") + "\r\n"
  }

  /// Undoes the formula guard of ``cell(_:)``.
  public static func unguard(_ text: String) -> String {
    let s = text.unicodeScalars
    if s.count >= 2, s.first == "'", let second = s.dropFirst().first,
      ["=", "+", "-", "@", "\t", "\r"].contains(second)
    {
      return String(text.dropFirst())
    }
    return text
  }

  /// The rows of `text` (see ``rows(_:)``); throws a ``DomainError`` naming the row, line and
  /// cell of a stray or unclosed quote.
  public static func parse(_ text: String) throws -> [[String]] {
    do {
      return try rows(text).map(\.cells)
    } catch {
      throw DomainError(error.description)
    }
  }

  /// One row of a CSV file and the line it starts on (a quoted cell may span lines).
  public struct Row: Hashable, Sendable {
    /// The line the row starts on, 1-based.
    public var line: Int
    /// Its cells.
    public var cells: [String]
  }

  /// Where a CSV text breaks RFC 4180, and why.
  public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The row (1 = the first, usually the header).
    public var row: Int
    /// The line of the problem, 1-based.
    public var line: Int
    /// The cell, 1-based.
    public var column: Int
    /// What is wrong and how to fix it.
    public var reason: String
    /// The first row, when the problem is after it (it names the columns of a header).
    public var firstRow: [String]?

    public var description: String { "CSV row \(row) (line \(line)), cell \(column): \(reason)" }
  }

  /// The rows of `text`, strictly per RFC 4180.
  ///
  /// A quote opens a cell only at its start, a closing quote is followed by a comma or the end
  /// of the line, a quote inside a quoted cell is doubled. Line ends are CRLF or LF; a leading byte order mark is skipped; an empty line
  /// is no row.
  ///
  /// - Throws: ``ParseError`` naming the row, line and cell of a stray or unclosed quote.
  public static func rows(_ text: String) throws(ParseError) -> [Row] {
    var rows: [Row] = []
    var row: [String] = []
    var field = ""
    var line = 1
    var rowLine = 1
    var it = Array(text.unicodeScalars)
    if it.first == "\u{FEFF}" { it.removeFirst() }
    var i = 0
    // Whether the current cell holds anything yet (an empty quoted cell counts).
    var fieldStarted = false
    func fail(_ reason: String, line l: Int? = nil) -> ParseError {
      ParseError(
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
        // A quoted cell, to its closing quote.
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
        // The cell ends; the next one starts empty (a row ending in a comma ends with an
        // empty cell: the row is not empty, so the line end adds it).
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
          rows.append(Row(line: rowLine, cells: row))
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
      rows.append(Row(line: rowLine, cells: row))
    }
    return rows
  }
}
