/// UUIDv7 ids: 48 bits of Unix milliseconds, version 7, then random bits.
public enum UUIDv7 {
  /// A new id for `milliseconds` since the epoch, lowercase text form.
  public static func make(milliseconds: Int64) -> String {
    var rng = SystemRandomNumberGenerator()
    return make(milliseconds: milliseconds, using: &rng)
  }

  /// A new id for `milliseconds` drawn from `rng`, lowercase text form.
  public static func make(milliseconds: Int64, using rng: inout some RandomNumberGenerator)
    -> String
  {
    var bytes = [UInt8](repeating: 0, count: 16)
    let ms = UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF
    for i in 0..<6 { bytes[i] = UInt8((ms >> UInt64(40 - 8 * i)) & 0xFF) }
    let r1 = rng.next()
    let r2 = rng.next()
    for i in 6..<16 {
      let r = i < 14 ? r1 : r2
      bytes[i] = UInt8((r >> UInt64((i % 8) * 8)) & 0xFF)
    }
    bytes[6] = 0x70 | (bytes[6] & 0x0F)
    bytes[8] = 0x80 | (bytes[8] & 0x3F)
    return format(bytes)
  }

  /// The 8-4-4-4-12 lowercase text of 16 bytes.
  static func format(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(36)
    for (i, b) in bytes.enumerated() {
      if i == 4 || i == 6 || i == 8 || i == 10 { out.append(0x2D) }
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether `bytes` is a lowercase 8-4-4-4-12 hex UUID text.
  static func isValidText(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard bytes.count == 36 else { return false }
    var i = 0
    while i < 36 {
      let b = bytes[i]
      if i == 8 || i == 13 || i == 18 || i == 23 {
        if b != 0x2D { return false }
      } else if !((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66)) {
        return false
      }
      i += 1
    }
    return true
  }
}
