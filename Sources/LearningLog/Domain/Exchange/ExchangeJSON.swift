import Foundation

/// JSON text for exports and imports: keys sorted, so equal values give equal bytes.
public enum ExchangeJSON {
  /// The text of `value`; `pretty` indents by two spaces.
  public static func encode(_ value: JSONValue, pretty: Bool = true) -> String {
    var out = ""
    write(value, into: &out, indent: pretty ? 0 : -1)
    if pretty { out.append("\n") }
    return out
  }

  /// Writes a pretty JSON array one element at a time, in the bytes ``encode(_:pretty:)`` gives
  /// for the whole array: `[]` and a newline when empty, else `[`, each element on its own
  /// line indented by two spaces, `]` and a newline.
  ///
  /// `element` builds one element's value when it is reached and `emit` receives the text as
  /// it is produced, so memory holds one element, never the document.
  public static func streamArray<S: Sequence>(
    _ elements: S, element: (S.Element) -> JSONValue, emit: (String) -> Void
  ) {
    var out = ""
    var first = true
    for e in elements {
      out = first ? "[\n  " : ",\n  "
      first = false
      write(element(e), into: &out, indent: 1)
      emit(out)
    }
    emit(first ? "[]\n" : "\n]\n")
  }

  static func write(_ v: JSONValue, into out: inout String, indent: Int) {
    let nl = indent >= 0
    func pad(_ n: Int) -> String { String(repeating: "  ", count: n) }
    switch v {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.isFinite ? "\(d)" : "null"
    case .string(let s): writeString(s, into: &out)
    case .array(let a):
      if a.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (i, e) in a.enumerated() {
        if i > 0 { out += "," }
        if nl { out += "\n" + pad(indent + 1) }
        write(e, into: &out, indent: nl ? indent + 1 : -1)
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
        writeString(k, into: &out)
        out += nl ? ": " : ":"
        write(o[k] ?? .null, into: &out, indent: nl ? indent + 1 : -1)
      }
      if nl { out += "\n" + pad(indent) }
      out += "}"
    }
  }

  static func writeString(_ s: String, into out: inout String) {
    // Most texts need no escape: they are appended whole, after one scan of their bytes
    // (ASCII but the two escaped characters and controls) or of their scalars.
    if !needsEscape(s) {
      out += "\""
      out += s
      out += "\""
      return
    }
    writeStringEscaping(s, into: &out)
  }

  /// Whether ``writeString(_:into:)`` escapes any scalar of `s`.
  static func needsEscape(_ s: String) -> Bool {
    var ascii = true
    for b in s.utf8 {
      if b >= 0x80 {
        ascii = false
      } else if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F {
        return true
      }
    }
    if ascii { return false }
    // Past ASCII only C1, bidi and zero-width controls are escaped.
    for u in s.unicodeScalars where u.value >= 0x80 && Exporter.isHidden(u) { return true }
    return false
  }

  /// ``writeString(_:into:)`` scalar by scalar, escaping as it goes.
  static func writeStringEscaping(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        // C0, DEL, C1, bidi and zero-width controls are escaped, so a terminal showing the
        // file (`cat`, `jq .`) never receives them raw.
        if Exporter.isHidden(u) {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }

  /// The bounds of an imported file: the store's depth and string bounds (every string must
  /// fit a record), and containers as large as the file (an export may hold a million
  /// incidents).
  public static let importLimits = JSONLimits(
    maxDepth: JSONLimits.store.maxDepth, maxStringBytes: JSONLimits.store.maxStringBytes,
    maxContainerCount: Int.max)

  /// Parses JSON text into a ``JSONValue``, strictly per RFC 8259 (see ``JSONParser``).
  ///
  /// A leading UTF-8 byte order mark is allowed. Throws a ``DomainError`` naming the line, the
  /// column and the field where the text stops being JSON, then `advice` (how to get the file
  /// again).
  public static func decode(
    _ data: Data, advice: String = "export it again with `learnlog export --format json`"
  ) throws -> JSONValue {
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    do {
      return try JSONParser.parse(bytes, limits: importLimits)
    } catch {
      let place = location(of: error.offset, in: bytes)
      let field = place.path.isEmpty ? "" : " (\(place.path))"
      throw DomainError(
        "the file is not valid JSON: line \(place.line), column \(place.column)\(field): "
          + "\(error.reason); fix it there or \(advice)")
    }
  }

  /// The line and column (1-based, in characters) of byte `offset`, and the value's path.
  ///
  /// The path names the value holding the offset, as `incidents[3].title` (array positions
  /// 1-based).
  public static func location(of offset: Int, in bytes: [UInt8]) -> (
    line: Int, column: Int, path: String
  ) {
    let end = min(max(offset, 0), bytes.count)
    var line = 1
    var lineStart = 0
    for i in 0..<end where bytes[i] == 0x0A {
      line += 1
      lineStart = i + 1
    }
    let column =
      String(decoding: bytes[lineStart..<end], as: UTF8.self).count + 1
    // The containers open at `offset`: arrays with their element index, objects with the
    // member being read.
    enum Frame {
      case array(Int)
      case object(String?)
    }
    var stack: [Frame] = []
    var i = 0
    var expectingKey = false
    while i < end {
      let b = bytes[i]
      switch b {
      case 0x7B:
        stack.append(.object(nil))
        expectingKey = true
      case 0x5B:
        stack.append(.array(0))
        expectingKey = false
      case 0x7D, 0x5D:
        if !stack.isEmpty { stack.removeLast() }
        expectingKey = false
      case 0x2C:
        switch stack.last {
        case .array(let n): stack[stack.count - 1] = .array(n + 1)
        case .object:
          stack[stack.count - 1] = .object(nil)
          expectingKey = true
        case nil: break
        }
      case 0x22:
        // A string: find its end (escapes skipped); a member name names the frame.
        var j = i + 1
        while j < bytes.count, bytes[j] != 0x22 {
          j += bytes[j] == 0x5C ? 2 : 1
        }
        if expectingKey, case .object = stack.last {
          let raw = bytes[(i + 1)..<min(j, bytes.count)]
          stack[stack.count - 1] = .object(String(decoding: raw, as: UTF8.self))
          expectingKey = false
        }
        i = j
      default:
        break
      }
      i += 1
    }
    var path = ""
    for frame in stack {
      switch frame {
      case .array(let n): path += "[\(n + 1)]"
      case .object(let key?):
        let shown = DomainError.echo(key)
        path += path.isEmpty ? shown : "." + shown
      case .object(nil): break
      }
    }
    return (line, column, path)
  }
}
