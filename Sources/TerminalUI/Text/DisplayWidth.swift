/// How many terminal cells text takes, from one table used in tests and in production.
///
/// Rules, per grapheme cluster: East Asian Wide and Fullwidth characters (CJK, Hangul syllables,
/// fullwidth forms) and emoji with emoji presentation take 2 cells; combining marks, zero-width
/// characters and controls take 0; everything else takes 1. A cluster takes the widest of its
/// scalars, 2 with an emoji presentation selector (U+FE0F), 1 with a text selector (U+FE0E), and a
/// pair of regional indicators (a flag) takes 2.
public enum DisplayWidth {
  /// The cells one scalar takes on its own.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if v < 0x300 { return v == 0xAD ? 0 : 1 }
    if isZeroWidth(v) { return 0 }
    if isWide(v) { return 2 }
    return 1
  }

  /// The cells one grapheme cluster takes.
  public static func of(_ character: Character) -> Int {
    let scalars = character.unicodeScalars
    if scalars.count == 1, let only = scalars.first { return of(only) }
    var widest = 0
    var regionalIndicators = 0
    var emojiSelector = false
    var textSelector = false
    for s in scalars {
      widest = max(widest, of(s))
      if (0x1F1E6...0x1F1FF).contains(s.value) { regionalIndicators += 1 }
      if s.value == 0xFE0F { emojiSelector = true }
      if s.value == 0xFE0E { textSelector = true }
    }
    if regionalIndicators >= 2 { return 2 }
    if emojiSelector, widest > 0 { return 2 }
    if textSelector, widest > 0 { return 1 }
    return widest
  }

  /// The cells a whole string takes (sum over its grapheme clusters).
  public static func of(_ string: some StringProtocol) -> Int {
    // Printable ASCII: one cell a byte, no grapheme breaking needed.
    if Sanitizer.isPrintableASCII(string) { return string.utf8.count }
    var total = 0
    for c in string { total += of(c) }
    return total
  }

  static func isZeroWidth(_ v: UInt32) -> Bool {
    // Hangul medial vowels and final consonants combine with the leading consonant.
    if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }
    // Zero-width space, joiners, direction marks, word joiner and invisible operators, BOM.
    if (0x200B...0x200F).contains(v) || (0x2060...0x2064).contains(v) || v == 0xFEFF { return true }
    // Variation selectors.
    if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return true }
    // Tag characters (subdivision flags).
    if (0xE0000...0xE007F).contains(v) { return true }
    guard let scalar = Unicode.Scalar(v) else { return true }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return true
    default: return false
    }
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges, including emoji with emoji presentation.
  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
    0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
    0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
    0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
    0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
    0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
    0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
    0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
    0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
    0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
    0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
    0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
    0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
    0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
    0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440, 0x1F442...0x1F4FC,
    0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
    0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5,
    0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF,
    0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0,
    0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
    0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]

  static func isWide(_ v: UInt32) -> Bool {
    var lo = 0
    var hi = wideRanges.count - 1
    while lo <= hi {
      let mid = (lo + hi) / 2
      let r = wideRanges[mid]
      if v < r.lowerBound {
        hi = mid - 1
      } else if v > r.upperBound {
        lo = mid + 1
      } else {
        return true
      }
    }
    return false
  }
}

extension StringProtocol {
  /// The number of terminal cells the string takes (see ``DisplayWidth``).
  public var displayWidth: Int { DisplayWidth.of(self) }
}

extension String {
  /// The longest prefix that fits in `width` cells, with `ellipsis` when something was cut.
  public func truncated(toWidth width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    if displayWidth <= width { return self }
    let room = width - ellipsis.displayWidth
    guard room >= 0 else { return "" }
    var result = ""
    var used = 0
    for c in self {
      let w = DisplayWidth.of(c)
      if used + w > room { break }
      result.append(c)
      used += w
    }
    return result + ellipsis
  }

  /// The string padded with spaces (or cut) to exactly `width` cells.
  public func padded(toWidth width: Int) -> String {
    let t = truncated(toWidth: width, ellipsis: "")
    return t + String(repeating: " ", count: max(0, width - t.displayWidth))
  }
}
