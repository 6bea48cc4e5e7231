import Foundation
import LearningLog
import TerminalUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Exit statuses of the command line (documented in docs/commands.md).
enum ExitStatus {
  /// A domain or user error: unknown id, bad date, bad choice, missing log….
  static let userError: Int32 = 1
  /// A usage error: unknown command or option, missing required option.
  static let usage: Int32 = 2
  /// The log is damaged (a bad line, git conflict markers, a newer format).
  static let damagedLog: Int32 = 3
  /// The disk failed (a write or sync failed, an unreadable file).
  static let ioError: Int32 = 4
}

/// An error the command line reports as one `error:` line with its exit status.
struct CLIError: Error, CustomStringConvertible {
  var message: String
  var status: Int32 = ExitStatus.userError
  var description: String { message }
}

/// Writing to standard output and standard error, with colour only on a terminal.
enum Out {
  /// Whether standard output is a terminal and `NO_COLOR` is unset.
  static let useColor: Bool =
    isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

  /// Whether standard error is a terminal (progress is shown only then).
  static let stderrIsTerminal: Bool = isatty(2) == 1

  /// Writes `text` and a newline to standard output.
  static func line(_ text: String = "") { emit(text + "\n", to: 1) }

  /// Writes `text` as is to standard output.
  static func raw(_ text: String) { emit(text, to: 1) }

  /// Writes `text` and a newline to standard error.
  static func note(_ text: String) { emit(text + "\n", to: 2) }

  /// Writes bytes to a descriptor, looping on short writes.
  static func emit(_ text: String, to fd: Int32) {
    let bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeBytes { buffer in
        sysWrite(fd, buffer.baseAddress.map { $0 + done }, buffer.count - done)
      }
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      done += n
    }
  }

  /// Prints one JSON document (pretty, keys sorted) to standard output.
  static func json(_ value: JSONValue) { raw(ExchangeJSON.encode(value)) }

  /// Text from the log made safe for a terminal: controls and bidi characters escaped.
  static func clean(_ text: String) -> String { Sanitizer.sanitize(text) }

  /// SGR colours, or nothing when colour is off.
  enum Paint: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case yellow = "33"
    case green = "32"
    case cyan = "36"
  }

  /// `text` in `paint` when colour is on.
  static func paint(_ text: String, _ paint: Paint?) -> String {
    guard useColor, let paint else { return text }
    return "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m"
  }
}

/// An aligned text table; readable without colour.
struct Table {
  var headers: [String]
  var rows: [[String]] = []
  var paints: [Out.Paint?] = []

  init(_ headers: [String]) { self.headers = headers }

  /// Adds a row (cells are sanitised); `paint` colours the whole row on a terminal.
  mutating func add(_ cells: [String], paint: Out.Paint? = nil) {
    rows.append(cells.map { Out.clean($0) })
    paints.append(paint)
  }

  /// Prints the table to standard output, columns aligned by display width (wide characters
  /// take two cells), in one write per 64 KiB.
  func print() {
    var widths = headers.map { DisplayWidth.of($0) }
    var cellWidths: [[Int]] = []
    cellWidths.reserveCapacity(rows.count)
    for row in rows {
      var ws: [Int] = []
      ws.reserveCapacity(row.count)
      for (i, cell) in row.enumerated() {
        // The last column is not padded, so its width never matters.
        let w = i < widths.count - 1 ? DisplayWidth.of(cell) : 0
        ws.append(w)
        if i < widths.count { widths[i] = max(widths[i], w) }
      }
      cellWidths.append(ws)
    }
    var out = ""
    out.reserveCapacity(1 << 16)
    let spaces = String(repeating: " ", count: (widths.max() ?? 0) + 1)
    func append(_ cells: [String], _ ws: [Int], _ paint: Out.Paint?) {
      var line = ""
      for (i, cell) in cells.enumerated() {
        if i > 0 { line += "  " }
        line += cell
        if i < cells.count - 1, widths[i] > ws[i] {
          line += spaces.prefix(widths[i] - ws[i])
        }
      }
      out += Out.paint(line, paint)
      out += "\n"
      if out.utf8.count >= 1 << 16 {
        Out.raw(out)
        out.removeAll(keepingCapacity: true)
      }
    }
    append(headers, headers.map { DisplayWidth.of($0) }, .bold)
    for (k, row) in rows.enumerated() { append(row, cellWidths[k], paints[k]) }
    Out.raw(out)
  }
}

/// Progress on standard error for long work, shown only when standard error is a terminal.
struct Progress {
  let label: String
  let enabled: Bool

  init(_ label: String, total: Int, threshold: Int = 1000) {
    self.label = label
    self.enabled = Out.stderrIsTerminal && total >= threshold
  }

  /// Reports one step.
  func step(_ text: String) {
    guard enabled else { return }
    Out.emit("\r\u{1B}[K\(label): \(text)", to: 2)
  }

  /// Ends the progress line.
  func finish(_ text: String) {
    guard enabled else { return }
    Out.emit("\r\u{1B}[K\(label): \(text)\n", to: 2)
  }
}

/// The C library's `write(2)`.
private func sysWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
  #else
    return Darwin.write(fd, buffer, count)
  #endif
}

/// Ends the process with `status` (outside any type, where `exit` is the C function).
func terminate(_ status: Int32) -> Never {
  exit(status)
}
