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

  /// The rows of `text`; throws naming the line of an unterminated quote.
  public static func parse(_ text: String) throws -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var line = 1
    var quoteLine = 1
    var it = Array(text.unicodeScalars)
    if it.first == "\u{FEFF}" { it.removeFirst() }
    var i = 0
    var fieldStarted = false
    while i < it.count {
      let c = it[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < it.count && it[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          if c == "\n" { line += 1 }
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" && field.isEmpty {
        inQuotes = true
        quoteLine = line
        fieldStarted = true
      } else if c == "," {
        row.append(field)
        field = ""
        fieldStarted = true
      } else if c == "\n" || c == "\r" {
        if c == "\r", i + 1 < it.count, it[i + 1] == "\n" { i += 1 }
        line += 1
        if fieldStarted || !field.isEmpty || !row.isEmpty {
          row.append(field)
          rows.append(row)
        }
        row = []
        field = ""
        fieldStarted = false
      } else {
        field.unicodeScalars.append(c)
        fieldStarted = true
      }
      i += 1
    }
    if inQuotes {
      throw DomainError("CSV line \(quoteLine): a quoted cell is never closed; add the closing \"")
    }
    if fieldStarted || !field.isEmpty || !row.isEmpty {
      row.append(field)
      rows.append(row)
    }
    return rows
  }
}
