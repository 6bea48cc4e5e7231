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

  /// Parses JSON text into a ``JSONValue``; throws a ``DomainError`` when it is not JSON.
  public static func decode(_ data: Data) throws -> JSONValue {
    do {
      return try JSONDecoder().decode(Node.self, from: data).value
    } catch {
      throw DomainError(
        "the file is not valid JSON; export it again with `learnlog export --format json`")
    }
  }

  struct Node: Decodable {
    var value: JSONValue
    init(from decoder: Decoder) throws {
      if var a = try? decoder.unkeyedContainer() {
        var items: [JSONValue] = []
        while !a.isAtEnd { items.append(try a.decode(Node.self).value) }
        value = .array(items)
        return
      }
      if let o = try? decoder.container(keyedBy: Key.self) {
        var d: [String: JSONValue] = [:]
        for k in o.allKeys { d[k.stringValue] = try o.decode(Node.self, forKey: k).value }
        value = .object(d)
        return
      }
      let c = try decoder.singleValueContainer()
      if c.decodeNil() {
        value = .null
      } else if let b = try? c.decode(Bool.self) {
        value = .bool(b)
      } else if let i = try? c.decode(Int.self) {
        value = .int(i)
      } else if let d = try? c.decode(Double.self) {
        value = .double(d)
      } else {
        value = .string(try c.decode(String.self))
      }
    }
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
