/// A command was refused: a one-line message naming the problem and the fix.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The message, without any "error:" prefix.
  public let message: String

  /// An error with `message`.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

extension DomainError {
  /// The characters of an echoed value kept before it is cut with "…".
  public static let echoCharacters = 80

  /// A value quoted in a message (a typed argument, a cell of an imported file, an id from a
  /// teammate's records): control, bidi and zero-width characters shown as `\u{1B}`, and cut
  /// to ``echoCharacters`` characters with "…", so no message carries raw control bytes or a
  /// whole 100 KB argument.
  public static func echo(_ value: String) -> String {
    var out = ""
    var count = 0
    for c in value {
      if count == echoCharacters {
        out += "…"
        break
      }
      count += 1
      for u in c.unicodeScalars {
        if Exporter.isHidden(u) { out += Exporter.shown(u) } else { out.unicodeScalars.append(u) }
      }
    }
    return out
  }
}
