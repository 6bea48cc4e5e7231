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

/// The one way the command line writes to standard output and standard error.
///
/// Every byte a command prints goes through here, and through the terminal sanitiser:
/// - human text (``line(_:paint:)``, ``note(_:)``, ``error(_:)``, ``prompt(_:)``) is always
///   sanitised, to a terminal, a pipe or a file alike: no raw ESC, C0 (but line feed), C1, DEL
///   or bidi control leaves it, whatever the text came from (the log, an import file, an
///   argument);
/// - data formats (``data(_:)``, ``json(_:)``, and streamed as produced ``dataStream(_:)``,
///   ``jsonArray(_:element:)``: JSON, CSV, Markdown, help) keep their exact bytes when written
///   to a pipe or a file, and are sanitised when written to a terminal;
/// - colour and the progress line are the only escape sequences written, and only to a terminal.
///
/// Nothing else in the command line writes to descriptors 1 or 2 (a test reads the sources to
/// hold that rule).
enum Out {
  /// Whether standard output is a terminal.
  static let stdoutIsTerminal: Bool = isatty(1) == 1

  /// Whether standard output is a terminal and `NO_COLOR` is unset.
  static let useColor: Bool =
    stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

  /// Whether standard error is a terminal (progress is shown only then).
  static let stderrIsTerminal: Bool = isatty(2) == 1

  /// The display columns an echoed user value keeps before it is cut with "…".
  static let echoColumns = 80

  /// The display columns an error line keeps at most: its start and its end (the advice).
  static let errorColumns = 400

  /// Writes human text and a newline to standard output, sanitised; `paint` colours it on a
  /// terminal.
  static func line(_ text: String = "", paint: Paint? = nil) {
    write(painted(safe(text), paint) + "\n", to: 1)
  }

  /// Writes one line made of differently coloured pieces, each sanitised.
  static func line(_ pieces: [(String, Paint?)]) {
    write(pieces.map { painted(safe($0.0), $0.1) }.joined() + "\n", to: 1)
  }

  /// Writes human text and a newline to standard error, sanitised.
  static func note(_ text: String) { write(safe(text) + "\n", to: 2) }

  /// Writes `error: message` as one sanitised line on standard error, cut to
  /// ``errorColumns`` (its start and its advice kept) so no echoed value floods the terminal.
  static func error(_ message: String) {
    let one = message.replacingOccurrences(of: "\r\n", with: " ")
      .replacingOccurrences(of: "\n", with: " ")
    write("error: " + capped(Sanitizer.sanitize(one), columns: errorColumns) + "\n", to: 2)
  }

  /// Writes a question on standard error without a newline (the answer is typed after it).
  static func prompt(_ text: String) { write(safe(text), to: 2) }

  /// Writes a data format (JSON, CSV, Markdown, help text) to standard output: its exact bytes
  /// to a pipe or a file; sanitised, line by line, to a terminal (CRLF shown as a line break).
  static func data(_ text: String) {
    guard stdoutIsTerminal else {
      write(text, to: 1)
      return
    }
    write(terminalSafe(text), to: 1)
  }

  /// Prints one JSON document (pretty, keys sorted) to standard output.
  static func json(_ value: JSONValue) { data(ExchangeJSON.encode(value)) }

  /// Prints a JSON array (pretty, keys sorted) to standard output one element at a time, in
  /// the bytes ``json(_:)`` gives for the whole array, building each element's value only when
  /// it is written.
  static func jsonArray<S: Sequence>(_ elements: S, element: (S.Element) -> JSONValue) {
    jsonArray(elements) { out, e in out.value(element(e), indent: 1) }
  }

  /// ``jsonArray(_:element:)`` with each element written by `write` straight into the text
  /// (at indent 1): to a pipe or a file the bytes go out as they are, in 64 KiB writes.
  static func jsonArray<S: Sequence>(_ elements: S, write: (inout JSONText, S.Element) -> Void) {
    guard stdoutIsTerminal else {
      ExchangeJSON.streamArray(elements, write: write) { text in
        text.bytes.withUnsafeBytes { Out.write($0, to: 1) }
      }
      return
    }
    dataStream { emit in ExchangeJSON.streamArray(elements, write: write) { emit($0.text) } }
  }

  /// ``jsonArray(_:write:)`` of the elements `0..<count`, written on both cores in order
  /// (``OrderedJSONArray``): `write` writes element `k` at indent 1 and runs on either thread.
  static func jsonArray(count: Int, write: @escaping @Sendable (inout JSONText, Int) -> Void) {
    let each: @Sendable (inout JSONText, Int) -> Bool = { out, k in
      write(&out, k)
      return true
    }
    byteStream { put in
      OrderedJSONArray.write(count: count, indent: 1, each) { put($0.bytes) }
      put([0x0A])
    }
  }

  /// ``dataStream(_:)`` of a data format made as UTF-8 bytes: to a pipe or a file written
  /// exactly as `produce` hands them over, never made a string; to a terminal sanitised.
  static func byteStream(_ produce: (([UInt8]) -> Void) -> Void) {
    guard stdoutIsTerminal else {
      return produce { bytes in bytes.withUnsafeBytes { Out.write($0, to: 1) } }
    }
    dataStream { emit in
      withoutActuallyEscaping(emit) { emit in
        produce { emit(String(decoding: $0, as: UTF8.self)) }
      }
    }
  }

  /// The bytes a streamed data format is written in: a write of the text gathered so far
  /// once it reaches this size.
  static let streamChunkBytes = 1 << 16

  /// Writes a data format to standard output as `produce` emits it, in writes of about
  /// ``streamChunkBytes``, with the bytes ``data(_:)`` gives for the whole text: exact to a
  /// pipe or a file; sanitised to a terminal, each chunk cut after a line feed so every line is
  /// sanitised whole.
  static func dataStream(_ produce: (_ emit: (String) -> Void) -> Void) {
    var pending = ""
    pending.reserveCapacity(streamChunkBytes * 2)
    func flush(final: Bool) {
      guard !pending.isEmpty else { return }
      guard stdoutIsTerminal else {
        write(pending, to: 1)
        pending.removeAll(keepingCapacity: true)
        return
      }
      if final {
        write(terminalSafe(pending), to: 1)
        pending.removeAll(keepingCapacity: true)
        return
      }
      // Only whole lines to a terminal: the rest waits for its line feed.
      guard let nl = pending.utf8.lastIndex(of: 0x0A) else { return }
      let cut = pending.utf8.index(after: nl)
      write(terminalSafe(String(pending[..<cut])), to: 1)
      pending = String(pending[cut...])
    }
    produce { text in
      pending += text
      if pending.utf8.count >= streamChunkBytes { flush(final: false) }
    }
    flush(final: true)
  }

  /// Shows `text` on the progress line of standard error (a terminal only); nil clears it.
  static func progress(_ text: String?) {
    guard stderrIsTerminal else { return }
    write("\r\u{1B}[K" + (text.map(safe) ?? ""), to: 2)
  }

  /// Text from the log made safe for a terminal: controls and bidi characters escaped.
  static func clean(_ text: String) -> String { Sanitizer.sanitize(text) }

  /// The terminal cells `text` takes once sanitised.
  static func width(_ text: String) -> Int { DisplayWidth.of(clean(text)) }

  /// A user value quoted in a message: sanitised and cut to ``echoColumns`` with "…".
  static func echo(_ value: String) -> String {
    capped(Sanitizer.sanitize(value), columns: echoColumns)
  }

  /// Human text made safe: every control but the line feed escaped.
  static func safe(_ text: String) -> String { Sanitizer.sanitize(text, keepNewlines: true) }

  /// A data format made safe for a terminal, line by line (plain ASCII lines cost one scan);
  /// a CRLF line end becomes a line feed.
  static func terminalSafe(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var first = true
    // By bytes: "\r\n" is one Character, which a split by Character would not break at.
    for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
      if !first { out += "\n" }
      first = false
      let body = line.last == 0x0D ? line.dropLast() : line
      out += Sanitizer.sanitize(String(Substring(body)))
    }
    return out
  }

  /// `text` cut to `columns` display columns: an echoed value keeps its start and "…"; a
  /// longer line keeps its start, "…" and its last fifth (where the advice is).
  static func capped(_ text: String, columns: Int) -> String {
    guard DisplayWidth.of(text) > columns else { return text }
    if columns <= echoColumns { return text.truncated(toWidth: columns) }
    let tailColumns = columns / 5
    var tail: [Character] = []
    var used = 0
    for c in text.reversed() {
      let w = DisplayWidth.of(c)
      if used + w > tailColumns { break }
      tail.append(c)
      used += w
    }
    return text.truncated(toWidth: columns - tailColumns) + String(tail.reversed())
  }

  /// SGR colours, or nothing when colour is off.
  enum Paint: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case yellow = "33"
    case green = "32"
    case cyan = "36"
  }

  /// Already sanitised `text` in `paint` when colour is on.
  fileprivate static func painted(_ text: String, _ paint: Paint?) -> String {
    guard useColor, let paint else { return text }
    return "\u{1B}[\(paint.rawValue)m\(text)\u{1B}[0m"
  }

  /// Writes bytes to a descriptor, looping on short writes; the only write to 1 and 2.
  fileprivate static func write(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd) }
  }

  /// Writes `bytes` to a descriptor, looping on short writes.
  fileprivate static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
    guard let base = bytes.baseAddress else { return }
    var done = 0
    while done < bytes.count {
      let n = sysWrite(fd, base + done, bytes.count - done)
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      done += n
    }
  }
}

/// An aligned text table; readable without colour.
struct Table {
  var headers: [String]
  var rows: [[String]] = []
  var paints: [Out.Paint?] = []

  init(_ headers: [String]) { self.headers = headers.map { Out.clean($0) } }

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
    // Cells are sanitised, so the lines are built as bytes and written in 64 KiB pieces.
    var out: [UInt8] = []
    out.reserveCapacity(1 << 17)
    func append(_ cells: [String], _ ws: [Int], _ paint: Out.Paint?) {
      let sgr = Out.useColor ? paint?.rawValue : nil
      if let sgr {
        out += [0x1B, 0x5B]
        out += sgr.utf8
        out.append(0x6D)
      }
      for (i, cell) in cells.enumerated() {
        if i > 0 { out += [0x20, 0x20] }
        out += cell.utf8
        if i < cells.count - 1, widths[i] > ws[i] {
          out.append(contentsOf: repeatElement(0x20, count: widths[i] - ws[i]))
        }
      }
      if sgr != nil { out += [0x1B, 0x5B, 0x30, 0x6D] }
      out.append(0x0A)
      if out.count >= 1 << 16 {
        out.withUnsafeBytes { Out.write($0, to: 1) }
        out.removeAll(keepingCapacity: true)
      }
    }
    append(headers, headers.map { DisplayWidth.of($0) }, .bold)
    for (k, row) in rows.enumerated() { append(row, cellWidths[k], paints[k]) }
    out.withUnsafeBytes { Out.write($0, to: 1) }
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
    Out.progress("\(label): \(text)")
  }

  /// Ends the progress line.
  func finish(_ text: String) {
    guard enabled else { return }
    Out.progress("\(label): \(text)\n")
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
