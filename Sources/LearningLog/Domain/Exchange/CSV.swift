import Foundation
import WorkCounting

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
      // Quotes doubled by scalar too: a quote followed by a combining mark is one Character,
      // which a replacement by Character would pass over (the cell would not read back).
      var out = String.UnicodeScalarView()
      out.append("\"")
      for u in t.unicodeScalars {
        out.append(u)
        if u == "\"" { out.append(u) }
      }
      out.append("\"")
      return String(out)
    }
    return t
  }

  /// A line of cells ending in CRLF.
  public static func row(_ cells: [String]) -> String {
    cells.map(cell).joined(separator: ",") + "\r\n"
  }

  /// Undoes the formula guard of ``cell(_:)``.
  public static func unguard(_ text: String) -> String {
    // The first two scalars only (counting them all would walk the whole cell).
    let s = text.unicodeScalars
    if s.first == "'", let second = s.dropFirst().first,
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
    var text = text
    let result = text.withUTF8 { bytes in
      Result { () throws(ParseError) in try rows(utf8: bytes) }
    }
    return try result.get()
  }

  /// The rows of UTF-8 `bytes` (see ``rows(_:)``), read a byte at a time.
  ///
  /// Every byte the grammar looks at (quote, comma, CR, LF) is ASCII, and no byte of a
  /// multi-byte UTF-8 sequence is, so cells are cut exactly where a walk over the text's
  /// scalars would cut them; a run of plain bytes is copied at once.
  static func rows(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> [Row] {
    var rows: [Row] = []
    var row: [String] = []
    var field: [UInt8] = []
    var line = 1
    var rowLine = 1
    let n = bytes.count
    var i = 0
    if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
    // Whether the current cell holds anything yet (an empty quoted cell counts).
    var fieldStarted = false
    let quote: UInt8 = 0x22
    let comma: UInt8 = 0x2C
    let lf: UInt8 = 0x0A
    let cr: UInt8 = 0x0D
    func fail(_ reason: String, line l: Int? = nil) -> ParseError {
      ParseError(
        row: rows.count + 1, line: l ?? line, column: row.count + 1, reason: reason,
        firstRow: rows.first?.cells)
    }
    func take(_ field: inout [UInt8]) -> String {
      let s = String(decoding: field, as: UTF8.self)
      field.removeAll(keepingCapacity: true)
      return s
    }
    while i < n {
      let c = bytes[i]
      if c == quote {
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
        while i < n {
          var j = i
          while j < n, bytes[j] != quote {
            if bytes[j] == lf { line += 1 }
            j += 1
          }
          field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
          WorkCounter.count("csv.bytes", j - i + 1)
          i = j
          guard i < n else { break }
          if i + 1 < n && bytes[i + 1] == quote {
            field.append(quote)
            i += 2
            continue
          }
          closed = true
          i += 1
          break
        }
        guard closed else {
          throw fail("a quoted cell is never closed; add the closing \"", line: openLine)
        }
        if i < n, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr {
          throw fail(
            "text after the closing quote of a cell; put the whole cell in quotes and double "
              + "the quotes inside it")
        }
        continue
      }
      WorkCounter.count("csv.bytes")
      if c == comma {
        // The cell ends; the next one starts empty (a row ending in a comma ends with an
        // empty cell: the row is not empty, so the line end adds it).
        row.append(take(&field))
        fieldStarted = false
        i += 1
        continue
      }
      if c == lf || c == cr {
        if c == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
          row.append(take(&field))
          rows.append(Row(line: rowLine, cells: row))
        }
        line += 1
        rowLine = line
        row = []
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
        i += 1
        continue
      }
      // A run of plain bytes.
      var j = i + 1
      while j < n {
        let b = bytes[j]
        if b == quote || b == comma || b == lf || b == cr { break }
        j += 1
      }
      field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
      WorkCounter.count("csv.bytes", j - i)
      fieldStarted = true
      i = j
    }
    if fieldStarted || !field.isEmpty || !row.isEmpty {
      row.append(take(&field))
      rows.append(Row(line: rowLine, cells: row))
    }
    return rows
  }
}
