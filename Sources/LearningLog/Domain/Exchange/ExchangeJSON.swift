import Foundation

/// JSON text for exports and imports: keys sorted, so equal values give equal bytes.
public enum ExchangeJSON {
  /// The text of `value`; `pretty` indents by two spaces.
  public static func encode(_ value: JSONValue, pretty: Bool = true) -> String {
    var out = JSONText()
    out.value(value, indent: pretty ? 0 : -1)
    if pretty { out.bytes.append(0x0A) }
    return out.text
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
    streamArray(elements, write: { $0.value(element($1), indent: 1) }) { emit($0.text) }
  }

  /// ``streamArray(_:element:emit:)`` with each element written by `write` (at indent 1)
  /// straight into the text, and the text handed to `emit` in pieces of about 64 KiB.
  public static func streamArray<S: Sequence>(
    _ elements: S, write: (inout JSONText, S.Element) -> Void, emit: (JSONText) -> Void
  ) {
    var out = JSONText()
    out.bytes.reserveCapacity(1 << 17)
    var first = true
    for e in elements {
      out.raw(first ? "[\n  " : ",\n  ")
      first = false
      write(&out, e)
      if out.bytes.count >= 1 << 16 {
        emit(out)
        out.bytes.removeAll(keepingCapacity: true)
      }
    }
    out.raw(first ? "[]\n" : "\n]\n")
    emit(out)
  }

  static func write(_ v: JSONValue, into out: inout String, indent: Int) {
    var text = JSONText()
    text.value(v, indent: indent)
    out += text.text
  }

  static func writeString(_ s: String, into out: inout String) {
    var text = JSONText()
    text.string(s)
    out += text.text
  }

  /// Whether `bytes` are text a JSON string holds as they are.
  ///
  /// That is valid UTF-8 (the same bytes as the string decoded from them) with no scalar
  /// ``writeString(_:into:)`` escapes: no control, quote, backslash or DEL, no C1, bidi or
  /// zero-width control. ASCII is passed eight bytes at a time.
  static func isVerbatim(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let n = bytes.count
    guard let base = bytes.baseAddress else { return true }
    func at(_ k: Int) -> UInt8 { k < n ? base.load(fromByteOffset: k, as: UInt8.self) : 0 }
    var i = 0
    while i < n {
      if i + 8 <= n {
        let w = (base + i).loadUnaligned(as: UInt64.self).littleEndian
        let q = w ^ (ones &* 0x22)
        let b = w ^ (ones &* 0x5C)
        let d = w ^ (ones &* 0x7F)
        // A byte past ASCII, below 0x20, or equal to a quote, a backslash or DEL.
        let found =
          w | ((w &- ones &* 0x20) & ~w) | ((q &- ones) & ~q) | ((b &- ones) & ~b)
          | ((d &- ones) & ~d)
        if found & highs == 0 {
          i += 8
          continue
        }
        // The lowest flagged byte is a true one (a borrow only flags bytes above a true one):
        // the bytes before it are plain.
        i += (found & highs).trailingZeroBitCount >> 3
      }
      let c = at(i)
      if c < 0x80 {
        if c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F { return false }
        i += 1
        continue
      }
      // One scalar past ASCII: well formed (no overlong form, surrogate or value past
      // U+10FFFF) and not hidden: U+0080–U+009F (C2 80–9F), U+061C (D8 9C), U+200B–U+200F and
      // U+2028–U+202E (E2 80 8B–8F, A8–AE), U+2060–U+2069 (E2 81 A0–A9), U+FEFF (EF BB BF).
      let c1 = at(i + 1)
      let c2 = at(i + 2)
      func isTail(_ x: UInt8) -> Bool { x & 0xC0 == 0x80 }
      switch c {
      case 0xC2...0xDF:
        guard isTail(c1), !(c == 0xC2 && c1 <= 0x9F), !(c == 0xD8 && c1 == 0x9C) else {
          return false
        }
        i += 2
      case 0xE0...0xEF:
        guard isTail(c1), isTail(c2) else { return false }
        if c == 0xE0, c1 < 0xA0 { return false }
        if c == 0xED, c1 > 0x9F { return false }
        if c == 0xE2, c1 == 0x80, (0x8B...0x8F).contains(c2) || (0xA8...0xAE).contains(c2) {
          return false
        }
        if c == 0xE2, c1 == 0x81, (0xA0...0xA9).contains(c2) { return false }
        if c == 0xEF, c1 == 0xBB, c2 == 0xBF { return false }
        i += 3
      case 0xF0...0xF4:
        guard isTail(c1), isTail(c2), isTail(at(i + 3)) else { return false }
        if c == 0xF0, c1 < 0x90 { return false }
        if c == 0xF4, c1 > 0x8F { return false }
        i += 4
      default: return false
      }
    }
    return i == n
  }

  /// Whether ``writeString(_:into:)`` escapes any scalar of `s`.
  static func needsEscape(_ s: String) -> Bool {
    var s = s
    // nil when a scalar to escape was found, else true.
    let clean = s.withUTF8 { u -> Bool? in
      // Eight bytes at a time: a word with no control, quote, backslash or DEL (exact tests
      // for a byte below 0x20 and for a byte equal to each) is passed whole.
      let ones: UInt64 = 0x0101_0101_0101_0101
      let highs: UInt64 = 0x8080_8080_8080_8080
      var seen: UInt64 = 0
      var i = 0
      if let base = u.baseAddress {
        while i + 8 <= u.count {
          let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
          seen |= w
          let q = w ^ (ones &* 0x22)
          let b = w ^ (ones &* 0x5C)
          let d = w ^ (ones &* 0x7F)
          let found =
            ((w &- ones &* 0x20) & ~w) | ((q &- ones) & ~q) | ((b &- ones) & ~b)
            | ((d &- ones) & ~d)
          if found & highs != 0 { return nil }
          i += 8
        }
      }
      var ascii = seen & highs == 0
      while i < u.count {
        let b = u[i]
        if b >= 0x80 {
          ascii = false
        } else if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F {
          return nil
        }
        i += 1
      }
      if ascii { return true }
      // Past ASCII only C1, bidi and zero-width controls are escaped (``Exporter/isHidden(_:)``):
      // found by their UTF-8 bytes, U+0080–U+009F (C2 80–9F), U+061C (D8 9C), U+200B–U+200F
      // and U+2028–U+202E (E2 80 8B–8F, A8–AE), U+2060–U+2069 (E2 81 A0–A9), U+FEFF (EF BB BF).
      let n = u.count
      var k = 0
      while k < n {
        let b = u[k]
        k += 1
        guard b >= 0xC2 else { continue }
        let c1 = k < n ? u[k] : 0
        let c2 = k + 1 < n ? u[k + 1] : 0
        switch b {
        case 0xC2: if c1 <= 0x9F { return nil }
        case 0xD8: if c1 == 0x9C { return nil }
        case 0xE2:
          if c1 == 0x80, (0x8B...0x8F).contains(c2) || (0xA8...0xAE).contains(c2) { return nil }
          if c1 == 0x81, (0xA0...0xA9).contains(c2) { return nil }
        case 0xEF: if c1 == 0xBB, c2 == 0xBF { return nil }
        default: break
        }
      }
      return true
    }
    return clean == nil
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
