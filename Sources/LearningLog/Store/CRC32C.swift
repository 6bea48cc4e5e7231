import CCRC32C

/// CRC-32C (Castagnoli), the checksum of every header and record line.
///
/// With the CPU's CRC-32C instruction where it has one (SSE 4.2), else table-driven,
/// slicing-by-8: eight bytes per step through eight 256-entry tables. Both give the same value.
public enum CRC32C {
  /// Whether the CPU's instruction is used.
  static let usesInstruction = ccrc32c_available() != 0

  /// The reflected Castagnoli polynomial.
  static let polynomial: UInt32 = 0x82F6_3B78

  /// Eight tables of 256 entries, flattened: `tables[k * 256 + b]`.
  static let tables: [UInt32] = {
    var t = [UInt32](repeating: 0, count: 8 * 256)
    for i in 0..<256 {
      var c = UInt32(i)
      for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1 }
      t[i] = c
    }
    for i in 0..<256 {
      var c = t[i]
      for k in 1..<8 {
        c = t[Int(c & 0xFF)] ^ (c >> 8)
        t[k * 256 + i] = c
      }
    }
    return t
  }()

  /// The checksum of `bytes`.
  public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    update(0, bytes)
  }

  /// The checksum of `bytes`.
  public static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
    if let r = bytes.withContiguousStorageIfAvailable({ update(0, UnsafeRawBufferPointer($0)) }) {
      return r
    }
    return Array(bytes).withUnsafeBytes { update(0, $0) }
  }

  /// Continues the checksum `crc` over `bytes`.
  public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    if usesInstruction, let base = bytes.baseAddress {
      return ccrc32c_update(crc, base, bytes.count)
    }
    return updateByTable(crc, bytes)
  }

  /// ``update(_:_:)`` by the tables, whatever the CPU.
  static func updateByTable(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
    tables.withUnsafeBufferPointer { tp in
      guard let t = tp.baseAddress, let base = bytes.baseAddress else { return crc }
      var c = ~crc
      var p = base
      var n = bytes.count
      while n >= 8 {
        let lo = UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)) ^ c
        let hi = UInt32(littleEndian: (p + 4).loadUnaligned(as: UInt32.self))
        c =
          t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
          ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
          ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
        p += 8
        n -= 8
      }
      while n > 0 {
        c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
        p += 1
        n -= 1
      }
      return ~c
    }
  }

  /// Eight lowercase hex digits of `crc`.
  public static func hex(_ crc: UInt32) -> [UInt8] {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8](repeating: 0, count: 8)
    for i in 0..<8 { out[i] = digits[Int((crc >> UInt32(28 - 4 * i)) & 0xF)] }
    return out
  }

  /// Parses exactly eight lowercase hex digits; nil otherwise.
  static func parseHex(_ p: UnsafeRawBufferPointer) -> UInt32? {
    guard p.count == 8, let base = p.baseAddress else { return nil }
    return HexWord.value(HexWord.load(base, 0))
  }
}
