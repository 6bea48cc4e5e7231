/// Why a value cannot be written as canonical JSON.
public struct JSONSerializeError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What was wrong, in a few words.
  public var reason: String

  public var description: String { reason }
}

/// The canonical JSON form: compact, object keys sorted by their UTF-8 bytes.
///
/// Strings escape `"` `\` and every control character below U+0020 (`\n`, `\t`… or
/// `\u00XX`), and U+2028/U+2029 (so the text is also valid JavaScript); everything
/// else is raw UTF-8. Integers are decimal; doubles use the shortest text that reads
/// back to the same value and always carry a `.` or an exponent. NaN and infinities
/// are refused. The same value always becomes the same bytes.
public enum JSONSerializer {
  /// The canonical bytes of `value`.
  public static func serialize(_ value: JSONValue, limits: JSONLimits = .store)
    throws(JSONSerializeError) -> [UInt8]
  {
    var out: [UInt8] = []
    try append(value, to: &out, depth: 0, limits: limits)
    return out
  }

  /// The canonical text of `value`.
  public static func string(_ value: JSONValue, limits: JSONLimits = .store)
    throws(JSONSerializeError) -> String
  {
    String(decoding: try serialize(value, limits: limits), as: UTF8.self)
  }

  /// Appends the canonical bytes of `value` to `out`.
  public static func append(
    _ value: JSONValue, to out: inout [UInt8], depth: Int = 0, limits: JSONLimits = .store
  ) throws(JSONSerializeError) {
    switch value {
    case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
    case .bool(let b):
      if b {
        out.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
      } else {
        out.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
      }
    case .int(let i): appendInt(i, to: &out)
    case .double(let d):
      guard d.isFinite else { throw JSONSerializeError(reason: "a number is NaN or infinite") }
      var text = d.description
      if !text.contains(".") && !text.contains("e") { text += ".0" }
      out.append(contentsOf: text.utf8)
    case .string(let s): try appendString(s, to: &out, limits: limits)
    case .array(let a):
      if depth + 1 > limits.maxDepth {
        throw JSONSerializeError(reason: "nesting deeper than \(limits.maxDepth)")
      }
      if a.count > limits.maxContainerCount {
        throw JSONSerializeError(reason: "an array has too many elements")
      }
      out.append(0x5B)
      for (i, e) in a.enumerated() {
        if i > 0 { out.append(0x2C) }
        try append(e, to: &out, depth: depth + 1, limits: limits)
      }
      out.append(0x5D)
    case .object(let o):
      if depth + 1 > limits.maxDepth {
        throw JSONSerializeError(reason: "nesting deeper than \(limits.maxDepth)")
      }
      if o.count > limits.maxContainerCount {
        throw JSONSerializeError(reason: "an object has too many members")
      }
      out.append(0x7B)
      let keys = o.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      for (i, k) in keys.enumerated() {
        if i > 0 { out.append(0x2C) }
        try appendString(k, to: &out, limits: limits)
        out.append(0x3A)
        if let v = o[k] { try append(v, to: &out, depth: depth + 1, limits: limits) }
      }
      out.append(0x7D)
    }
  }

  /// Appends the decimal digits of `i`.
  public static func appendInt(_ i: Int, to out: inout [UInt8]) {
    if i == 0 {
      out.append(0x30)
      return
    }
    if i < 0 { out.append(0x2D) }
    var m = i.magnitude
    var divisor: UInt = 1
    while m / divisor >= 10 { divisor *= 10 }
    while divisor > 0 {
      out.append(UInt8(m / divisor) + 0x30)
      m %= divisor
      divisor /= 10
    }
  }

  static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `s` as a quoted, escaped JSON string.
  public static func appendString(_ s: String, to out: inout [UInt8], limits: JSONLimits = .store)
    throws(JSONSerializeError)
  {
    var s = s
    let count = s.utf8.count
    if count > limits.maxStringBytes {
      throw JSONSerializeError(reason: "a string is longer than \(limits.maxStringBytes) bytes")
    }
    out.append(0x22)
    out.reserveCapacity(out.count + count + 1)
    s.withUTF8 { u in
      var i = 0
      var run = 0  // the start of the bytes copied as they are
      let n = u.count
      while i < n {
        let b = u[i]
        // Most bytes are copied as they are, a run at a time.
        if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0xE2 {
          i += 1
          continue
        }
        if run < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<i])) }
        switch b {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0x08: out.append(contentsOf: [0x5C, 0x62])
        case 0x0C: out.append(contentsOf: [0x5C, 0x66])
        case 0x00..<0x20:
          out.append(contentsOf: [
            0x5C, 0x75, 0x30, 0x30, hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)],
          ])
        case 0xE2 where i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9):
          // U+2028 and U+2029 are escaped so the line is also valid JavaScript.
          out.append(contentsOf: [0x5C, 0x75, 0x32, 0x30, 0x32, u[i + 2] == 0xA8 ? 0x38 : 0x39])
          i += 2
        default: out.append(b)
        }
        i += 1
        run = i
      }
      if run < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<n])) }
    }
    out.append(0x22)
  }
}
