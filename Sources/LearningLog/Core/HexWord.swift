/// Eight hex digits read at once from the word that holds them.
enum HexWord {
  /// The value of the eight lowercase hex digits in `w` (the first digit in its lowest
  /// byte, as they lie in memory), or nil when any byte is not `0`–`9` or `a`–`f`.
  ///
  /// Every byte is checked and converted together (SWAR): about twenty operations for
  /// eight digits instead of a test and a shift a digit.
  @inline(__always)
  static func value(_ w: UInt64) -> UInt32? {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    guard w & highs == 0 else { return nil }
    // Every byte is below 0x80, so adding at most 0x50 carries into no other byte: a byte's
    // top bit then tells whether it reached 0x80.
    let digit = (w &+ ones &* 0x50) & ~(w &+ ones &* 0x46) & highs  // 0x30 ..< 0x3A
    let letter = (w &+ ones &* 0x1F) & ~(w &+ ones &* 0x19) & highs  // 0x61 ..< 0x67
    guard digit | letter == highs else { return nil }
    // A digit's low four bits are its value; a letter's (bit 6 set) its value less 9.
    let nibbles = (w & (ones &* 0x0F)) &+ ((w >> 6) & ones) &* 9
    // Two digits a byte, then the four bytes together, the first digit the highest.
    let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF_00FF_00FF_00FF
    let quads = (pairs | (pairs >> 8)) & 0x0000_FFFF_0000_FFFF
    return UInt32(truncatingIfNeeded: quads | (quads >> 16)).byteSwapped
  }

  /// The eight bytes at `p + offset` as a word, the first in its lowest byte.
  @inline(__always)
  static func load(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: (p + offset).loadUnaligned(as: UInt64.self))
  }

  /// The four bytes at `p + a`, then the four at `p + b`, as one word.
  @inline(__always)
  static func load(_ p: UnsafeRawPointer, _ a: Int, _ b: Int) -> UInt64 {
    UInt64(UInt32(littleEndian: (p + a).loadUnaligned(as: UInt32.self)))
      | UInt64(UInt32(littleEndian: (p + b).loadUnaligned(as: UInt32.self))) << 32
  }
}
