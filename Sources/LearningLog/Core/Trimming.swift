import Foundation

extension String {
  /// The text without leading and trailing spaces and tabs: `trimmingCharacters(in:
  /// .whitespaces)`, answered without Foundation when there is nothing to trim.
  ///
  /// Most cells and fields start and end with a visible ASCII character; for them this
  /// returns the string itself, with no copy and no bridging (the Foundation call costs a
  /// microsecond or more on Linux, a CSV import makes several a row).
  @inline(__always)
  public func trimmedSpaces() -> String {
    if Self.nothingToTrim(self) { return self }
    return trimmingCharacters(in: .whitespaces)
  }

  /// `trimmingCharacters(in: .whitespacesAndNewlines)`, answered at once when there is
  /// nothing to trim (see ``trimmedSpaces()``).
  @inline(__always)
  public func trimmedSpacesAndNewlines() -> String {
    if Self.nothingToTrim(self) { return self }
    return trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Whether the first and last bytes are ASCII and neither white space nor a line end
  /// (TAB, LF, VT, FF, CR, space): then no white space of any kind can be trimmed, since
  /// every other white space is not ASCII.
  ///
  /// The empty string trims to itself.
  ///
  /// A text that starts or ends with a letter or digit of another script (`données`, `検索`)
  /// has nothing to trim either: no letter or digit is white space.
  static func nothingToTrim(_ s: String) -> Bool {
    let u = s.utf8
    guard let first = u.first, let last = u.last else { return true }
    func plain(_ b: UInt8) -> Bool { b < 0x80 && b != 0x20 && !(0x09...0x0D).contains(b) }
    if plain(first) && plain(last) { return true }
    func solid(_ c: Unicode.Scalar?) -> Bool {
      guard let c, c.value >= 0x80 else { return false }
      return c.properties.isAlphabetic || c.properties.numericType != nil
    }
    return (plain(first) || solid(s.unicodeScalars.first))
      && (plain(last) || solid(s.unicodeScalars.last))
  }
}
