/// Makes text from files safe to draw: control and invisible characters become visible escapes.
///
/// Every string written into a ``ScreenBuffer`` passes through ``sanitize(_:keepNewlines:)``, so
/// data can never move the cursor, change colours, set the clipboard (OSC 52), make links (OSC 8),
/// reorder text (bidi overrides) or hide text (zero-width characters).
///
/// - C0 controls U+0000–U+001F and DEL become caret notation: ESC is `^[`, U+0001 is `^A`, DEL `^?`.
/// - C1 controls U+0080–U+009F, bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
///   U+061C), zero-width and other format characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, soft
///   hyphen…) and line/paragraph separators become `\u{XXXX}`.
/// - A zero-width joiner or tag character inside an emoji sequence is kept, because it is part of
///   one visible glyph.
public enum Sanitizer {
  /// Whether every byte of `text` is printable ASCII (U+0020–U+007E): text that neither
  /// sanitising nor measuring changes, read in place where the string is contiguous.
  public static func isPrintableASCII(_ text: some StringProtocol) -> Bool {
    let scanned = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      for b in bytes where b < 0x20 || b >= 0x7F { return false }
      return true
    }
    return scanned ?? text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
  }

  /// The escaped form of `text`; with `keepNewlines`, "\n" stays (the caller breaks lines there).
  public static func sanitize(_ text: String, keepNewlines: Bool = false) -> String {
    // Fast path: plain printable ASCII needs no work.
    if isPrintableASCII(text) { return text }
    // No scalar the loop below changes: the text as it is, with nothing copied.
    if !text.unicodeScalars.contains(where: { s in
      let v = s.value
      return v < 0x20
        ? !(v == 0x0A && keepNewlines)
        : v == 0x7F || v == 0x200D || (0xE0020...0xE007F).contains(v) || isEscapedAlways(v)
    }) {
      return text
    }
    return rewritten(text, keepNewlines: keepNewlines)
  }

  /// ``sanitize(_:keepNewlines:)`` scalar by scalar, every scalar looked at and copied.
  static func rewritten(_ text: String, keepNewlines: Bool) -> String {
    var out = String.UnicodeScalarView()
    var previous: Unicode.Scalar?
    let scalars = Array(text.unicodeScalars)
    for (i, s) in scalars.enumerated() {
      defer { previous = s }
      let v = s.value
      if v == 0x0A, keepNewlines {
        out.append(s)
        continue
      }
      if v < 0x20 {
        out.append("^")
        out.append(Unicode.Scalar(UInt8(v + 0x40)))
        continue
      }
      if v == 0x7F {
        out.append(contentsOf: "^?".unicodeScalars)
        continue
      }
      if isEscapedAlways(v) {
        out.append(contentsOf: escaped(v).unicodeScalars)
        continue
      }
      if v == 0x200D {
        // A joiner is part of one glyph only between two emoji (a ZWJ sequence).
        let next = i + 1 < scalars.count ? scalars[i + 1] : nil
        if let p = previous, let n = next, isEmojiPart(p), isEmojiPart(n) {
          out.append(s)
        } else {
          out.append(contentsOf: escaped(v).unicodeScalars)
        }
        continue
      }
      if (0xE0020...0xE007F).contains(v) {
        // Tags spell a subdivision flag only right after the black flag or another tag.
        if let p = previous, p.value == 0x1F3F4 || (0xE0020...0xE007F).contains(p.value) {
          out.append(s)
        } else {
          out.append(contentsOf: escaped(v).unicodeScalars)
        }
        continue
      }
      out.append(s)
    }
    return String(out)
  }

  /// Whether `scalar` may never reach the terminal as-is.
  public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v < 0x20 || v == 0x7F || isEscapedAlways(v)
  }

  static func escaped(_ v: UInt32) -> String {
    let hex = String(v, radix: 16, uppercase: true)
    return "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
  }

  static func isEscapedAlways(_ v: UInt32) -> Bool {
    if v >= 0x80 && v <= 0x9F { return true }  // C1, including CSI (U+009B) and OSC (U+009D)
    switch v {
    case 0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF:
      return true
    case 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFFF9...0xFFFB:
      return true
    case 0x0600...0x0605, 0x06DD, 0x070F, 0x08E2, 0x110BD, 0x110CD, 0x13430...0x1343F:
      return true
    case 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0001:
      return true
    default:
      return false
    }
  }

  static func isEmojiPart(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v == 0xFE0F || (0x1F3FB...0x1F3FF).contains(v) { return true }
    return s.properties.isEmoji && v > 0xFF
  }
}
