#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Limits a parsed or serialized JSON value must stay within; over a limit is an error.
public struct JSONLimits: Sendable, Hashable {
  /// The deepest nesting of arrays and objects.
  public var maxDepth: Int
  /// The longest string, in UTF-8 bytes after unescaping.
  public var maxStringBytes: Int
  /// The most elements of one array or members of one object.
  public var maxContainerCount: Int

  /// The store's bounds: depth 32, strings 256 KiB, 65,536 members per container.
  public static let store = JSONLimits(
    maxDepth: 32, maxStringBytes: 256 * 1024, maxContainerCount: 65_536)

  /// Limits of the given sizes.
  public init(maxDepth: Int, maxStringBytes: Int, maxContainerCount: Int) {
    self.maxDepth = maxDepth
    self.maxStringBytes = maxStringBytes
    self.maxContainerCount = maxContainerCount
  }
}

/// Why a JSON text was rejected, with the byte offset where it went wrong.
public struct JSONParseError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Byte offset into the parsed text.
  public var offset: Int
  /// What was wrong, in a few words.
  public var reason: String

  public var description: String { "\(reason) at byte \(offset)" }
}

/// A fast recursive-descent JSON parser working directly on UTF-8 bytes.
///
/// Strict RFC 8259: no comments, no trailing commas, no raw control characters in
/// strings, valid UTF-8 only, `\uXXXX` surrogate pairs joined (a lone surrogate is an
/// error). Integers that fit `Int` become `.int`; numbers with a fraction or exponent
/// become `.double`. A repeated object key is an error.
public struct JSONParser {
  let base: UnsafeRawPointer
  let end: Int
  /// The current byte offset.
  public var position: Int
  let limits: JSONLimits

  /// A parser over `bytes` starting at offset `start`.
  public init(bytes: UnsafeRawBufferPointer, start: Int = 0, limits: JSONLimits = .store) {
    // An empty buffer may have no base address; point at a static byte instead.
    self.base = bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
    self.end = bytes.baseAddress == nil ? 0 : bytes.count
    self.position = start
    self.limits = limits
  }

  /// Parses one complete JSON text (whitespace around it allowed).
  public static func parse(_ bytes: [UInt8], limits: JSONLimits = .store) throws(JSONParseError)
    -> JSONValue
  {
    do {
      return try bytes.withUnsafeBytes { raw in
        var p = JSONParser(bytes: raw, limits: limits)
        p.skipWhitespace()
        let v = try p.parseValue(depth: 0)
        p.skipWhitespace()
        if p.position != p.end { throw p.error("unexpected bytes after the value") }
        return v
      }
    } catch let e as JSONParseError {
      throw e
    } catch {
      throw JSONParseError(offset: 0, reason: "\(error)")
    }
  }

  /// Parses one complete JSON text given as a string.
  public static func parse(_ text: String, limits: JSONLimits = .store) throws(JSONParseError)
    -> JSONValue
  {
    try parse(Array(text.utf8), limits: limits)
  }

  /// The reason given for a string over ``JSONLimits/maxStringBytes``.
  var stringTooLong: String { "a string is longer than \(limits.maxStringBytes) bytes" }

  @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }

  @inline(__always) func peek() -> UInt8? { position < end ? byte(position) : nil }

  func error(_ reason: String) -> JSONParseError {
    JSONParseError(offset: position, reason: reason)
  }

  /// Skips JSON whitespace.
  public mutating func skipWhitespace() {
    while position < end {
      let b = byte(position)
      if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { position += 1 } else { return }
    }
  }

  /// Consumes `literal` exactly or returns false (position unchanged).
  public mutating func consume(_ literal: StaticString) -> Bool {
    let n = literal.utf8CodeUnitCount
    guard end - position >= n else { return false }
    let lp = literal.utf8Start
    for i in 0..<n where byte(position + i) != lp[i] { return false }
    position += n
    return true
  }

  /// Parses any JSON value at the current position (no leading whitespace skipped).
  public mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
    guard let b = peek() else { throw error("unexpected end of text") }
    switch b {
    case 0x7B: return try parseObject(depth: depth + 1)
    case 0x5B: return try parseArray(depth: depth + 1)
    case 0x22: return .string(try parseString())
    case 0x74:
      if consume("true") { return .bool(true) }
      throw error("invalid literal")
    case 0x66:
      if consume("false") { return .bool(false) }
      throw error("invalid literal")
    case 0x6E:
      if consume("null") { return .null }
      throw error("invalid literal")
    case 0x2D, 0x30...0x39: return try parseNumber()
    default: throw error("unexpected character")
    }
  }

  mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
    if depth > limits.maxDepth { throw error("nesting deeper than \(limits.maxDepth)") }
    position += 1
    skipWhitespace()
    if peek() == 0x7D {
      position += 1
      return .object([:])
    }
    // Collect first, then build the dictionary at its final size (no rehashing as it grows,
    // no spare room kept). Room for sixteen members up front: one allocation an array for
    // most objects, instead of one each time an array doubles.
    var keys: [String] = []
    var values: [JSONValue] = []
    var keyOffsets: [Int] = []
    keys.reserveCapacity(16)
    values.reserveCapacity(16)
    keyOffsets.reserveCapacity(16)
    while true {
      skipWhitespace()
      guard peek() == 0x22 else { throw error("expected a member name") }
      keyOffsets.append(position)
      keys.append(try parseString())
      skipWhitespace()
      guard peek() == 0x3A else { throw error("expected ':'") }
      position += 1
      skipWhitespace()
      values.append(try parseValue(depth: depth))
      if keys.count > limits.maxContainerCount { throw error("too many members") }
      skipWhitespace()
      guard let c = peek() else { throw error("unexpected end of text") }
      position += 1
      if c == 0x2C { continue }
      if c == 0x7D { break }
      position -= 1
      throw error("expected ',' or '}'")
    }
    var members = [String: JSONValue](minimumCapacity: keys.count)
    for i in keys.indices where members.updateValue(values[i], forKey: keys[i]) != nil {
      throw JSONParseError(offset: keyOffsets[i], reason: "repeated member name")
    }
    return .object(members)
  }

  mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
    if depth > limits.maxDepth { throw error("nesting deeper than \(limits.maxDepth)") }
    position += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if peek() == 0x5D {
      position += 1
      return .array(elements)
    }
    while true {
      skipWhitespace()
      elements.append(try parseValue(depth: depth))
      if elements.count > limits.maxContainerCount { throw error("too many elements") }
      skipWhitespace()
      guard let c = peek() else { throw error("unexpected end of text") }
      position += 1
      if c == 0x2C { continue }
      if c == 0x5D { return .array(elements) }
      position -= 1
      throw error("expected ',' or ']'")
    }
  }

  /// ``parseNumber()``, with a shortcut for a plain integer of up to 18 digits (no sign,
  /// fraction or exponent): the same value and position either way.
  @inline(__always)
  public mutating func parseInteger() throws(JSONParseError) -> JSONValue {
    var i = position
    guard i < end else { return try parseNumber() }
    var d = byte(i) &- 0x30
    guard d < 10 else { return try parseNumber() }
    var v = Int(d)
    i += 1
    if d != 0 {
      while i < end, i - position < 18 {
        d = byte(i) &- 0x30
        if d >= 10 { break }
        v = v &* 10 &+ Int(d)
        i += 1
      }
    }
    if i < end {
      let next = byte(i)
      // Another digit (a 19th, or after a leading zero), a fraction or an exponent: the
      // full reader decides.
      if next &- 0x30 < 10 || next == 0x2E || next == 0x65 || next == 0x45 {
        return try parseNumber()
      }
    }
    position = i
    return .int(v)
  }

  /// Parses a JSON number; integers that fit become `.int`.
  public mutating func parseNumber() throws(JSONParseError) -> JSONValue {
    let start = position
    var negative = false
    if peek() == 0x2D {
      negative = true
      position += 1
    }
    guard let first = peek(), first >= 0x30, first <= 0x39 else { throw error("invalid number") }
    var magnitude: UInt64 = 0
    var overflow = false
    if first == 0x30 {
      position += 1
    } else {
      while let d = peek(), d >= 0x30, d <= 0x39 {
        let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
        let (m2, o2) = m1.addingReportingOverflow(UInt64(d - 0x30))
        magnitude = m2
        overflow = overflow || o1 || o2
        position += 1
      }
    }
    var isInteger = true
    if peek() == 0x2E {
      isInteger = false
      position += 1
      guard let d = peek(), d >= 0x30, d <= 0x39 else { throw error("invalid number") }
      while let d = peek(), d >= 0x30, d <= 0x39 { position += 1 }
    }
    if let e = peek(), e == 0x65 || e == 0x45 {
      isInteger = false
      position += 1
      if let s = peek(), s == 0x2B || s == 0x2D { position += 1 }
      guard let d = peek(), d >= 0x30, d <= 0x39 else { throw error("invalid number") }
      while let d = peek(), d >= 0x30, d <= 0x39 { position += 1 }
    }
    if isInteger && !overflow {
      if negative {
        if magnitude <= UInt64(Int64.max) + 1 {
          return .int(Int(truncatingIfNeeded: 0 &- magnitude))
        }
      } else if magnitude <= UInt64(Int.max) {
        return .int(Int(magnitude))
      }
    }
    let text = String(
      decoding: UnsafeRawBufferPointer(start: base + start, count: position - start),
      as: UTF8.self)
    guard let d = Double(text), d.isFinite else {
      throw JSONParseError(offset: start, reason: "number out of range")
    }
    return .double(d)
  }

  /// Parses a JSON string starting at its opening quote.
  public mutating func parseString() throws(JSONParseError) -> String {
    position += 1
    let start = position
    // Fast path: no escapes. The bytes are or-ed together on the way: ASCII needs no
    // further check.
    var bits: UInt8 = 0
    // Eight bytes at a time while none is a quote, a backslash or a control character (a
    // word that might hold one goes on byte by byte).
    var wide: UInt64 = 0
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    while end - position >= 8 {
      let w = (base + position).loadUnaligned(as: UInt64.self)
      let quote = w ^ (ones &* 0x22)
      let slash = w ^ (ones &* 0x5C)
      let stop =
        ((quote &- ones) & ~quote) | ((slash &- ones) & ~slash) | ((w &- ones &* 0x20) & ~w)
      if stop & highs != 0 { break }
      wide |= w
      position += 8
    }
    if wide & highs != 0 { bits = 0x80 }
    while position < end {
      let b = byte(position)
      if b == 0x22 {
        let count = position - start
        if count > limits.maxStringBytes { throw error(stringTooLong) }
        let raw = UnsafeRawBufferPointer(start: base + start, count: count)
        position += 1
        if bits < 0x80 { return String(decoding: raw, as: UTF8.self) }
        return try validatedUTF8(raw, at: start)
      }
      if b == 0x5C { break }
      if b < 0x20 { throw error("raw control character in a string") }
      bits |= b
      position += 1
    }
    if position >= end { throw error("unterminated string") }
    // Slow path: copy with escapes decoded.
    var out: [UInt8] = []
    out.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: position - start))
    while position < end {
      let b = byte(position)
      if b == 0x22 {
        position += 1
        if out.count > limits.maxStringBytes { throw error(stringTooLong) }
        let result = out.withUnsafeBytes { raw in
          Result { () throws(JSONParseError) in try validated(raw, at: start) }
        }
        return try result.get()
      }
      if b < 0x20 { throw error("raw control character in a string") }
      if b != 0x5C {
        out.append(b)
        position += 1
        if out.count > limits.maxStringBytes { throw error(stringTooLong) }
        continue
      }
      position += 1
      guard let e = peek() else { break }
      position += 1
      switch e {
      case 0x22: out.append(0x22)
      case 0x5C: out.append(0x5C)
      case 0x2F: out.append(0x2F)
      case 0x62: out.append(0x08)
      case 0x66: out.append(0x0C)
      case 0x6E: out.append(0x0A)
      case 0x72: out.append(0x0D)
      case 0x74: out.append(0x09)
      case 0x75:
        var scalar = try hex4()
        if scalar >= 0xD800 && scalar <= 0xDBFF {
          guard consume("\\u") else { throw error("lone high surrogate") }
          let low = try hex4()
          guard low >= 0xDC00 && low <= 0xDFFF else { throw error("invalid low surrogate") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
          throw error("lone low surrogate")
        }
        guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
        out.append(contentsOf: UTF8.encode(u).map { Array($0) } ?? [])
      default:
        position -= 1
        throw error("invalid escape")
      }
    }
    throw error("unterminated string")
  }

  mutating func hex4() throws(JSONParseError) -> UInt32 {
    guard end - position >= 4 else { throw error("short \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = byte(position)
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      default: throw error("invalid \\u escape")
      }
      v = v << 4 | d
      position += 1
    }
    return v
  }

  func validated(_ raw: UnsafeRawBufferPointer, at offset: Int) throws(JSONParseError) -> String {
    // ASCII needs no validation; anything else must be valid UTF-8.
    var ascii = true
    var i = 0
    let n = raw.count
    while i < n {
      if raw[i] >= 0x80 {
        ascii = false
        break
      }
      i += 1
    }
    if ascii { return String(decoding: raw, as: UTF8.self) }
    return try validatedUTF8(raw, at: offset)
  }

  /// `raw` as a string when it is valid UTF-8.
  ///
  /// Decoding repairs invalid bytes (each bad sequence becomes U+FFFD, `EF BF BD`), so the
  /// bytes are valid exactly when the string holds them unchanged: one decoding pass and one
  /// comparison, where `String(validating:as:)` walks the bytes one at a time.
  func validatedUTF8(_ raw: UnsafeRawBufferPointer, at offset: Int) throws(JSONParseError)
    -> String
  {
    var s = String(decoding: raw, as: UTF8.self)
    let same = s.withUTF8 { u in
      guard u.count == raw.count else { return false }
      guard let a = u.baseAddress, let b = raw.baseAddress else { return true }
      return memcmp(a, b, raw.count) == 0
    }
    guard same else { throw JSONParseError(offset: offset, reason: "invalid UTF-8 in a string") }
    return s
  }
}
