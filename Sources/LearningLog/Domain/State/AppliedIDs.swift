/// The ids of every applied record, kept compactly: a canonical UUID text as 16 bytes.
///
/// Needed only when a record arrives out of order (to apply each id once), so a million ids
/// take 16 MB instead of a string each.
struct AppliedIDs: Sendable {
  /// Words still in a snapshot (read only when a late record needs every id).
  var base: (any WordSource)?
  /// Two words per canonical id (its 32 hex digits).
  var packed: [UInt64] = []
  /// Ids that are not canonical UUID text, as they are.
  var other: [String] = []

  var count: Int { ((base?.count ?? 0) + packed.count) / 2 + other.count }

  /// Every packed word: the snapshot's, then those appended since.
  func packedWords() -> [UInt64] {
    guard let base else { return packed }
    return base.load() + packed
  }

  mutating func reserveCapacity(_ n: Int) { packed.reserveCapacity(2 * n) }

  mutating func append(_ id: EventID) {
    if let (hi, lo) = Self.pack(id.rawValue) {
      packed.append(hi)
      packed.append(lo)
    } else {
      other.append(id.rawValue)
    }
  }

  /// Appends an id already packed by ``pack(_:)-(UnsafeRawBufferPointer)``.
  mutating func appendPacked(_ hi: UInt64, _ lo: UInt64) {
    packed.append(hi)
    packed.append(lo)
  }

  /// The 128 bits of a lowercase 8-4-4-4-12 hex UUID text, or nil.
  static func pack(_ text: String) -> (UInt64, UInt64)? {
    var t = text
    return t.withUTF8 { pack(UnsafeRawBufferPointer($0)) }
  }

  /// The 128 bits of a lowercase 8-4-4-4-12 hex UUID text given as its bytes, or nil.
  ///
  /// Packing keeps the order: two canonical ids compare as their texts do.
  static func pack(_ u: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
    guard u.count == 36, let p = u.baseAddress, u[8] == 0x2D, u[13] == 0x2D, u[18] == 0x2D,
      u[23] == 0x2D
    else { return nil }
    // The digit groups: 8-4-4 make the high word, 4-12 the low one; eight digits at a time.
    guard let a = HexWord.value(HexWord.load(p, 0)),
      let b = HexWord.value(HexWord.load(p, 9, 14)),
      let c = HexWord.value(HexWord.load(p, 19, 24)),
      let d = HexWord.value(HexWord.load(p, 28))
    else { return nil }
    return (UInt64(a) << 32 | UInt64(b), UInt64(c) << 32 | UInt64(d))
  }

  static func unpack(_ hi: UInt64, _ lo: UInt64) -> String {
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    var out = [UInt8](repeating: 0x2D, count: 36)
    var k = 0
    for i in 0..<36 where i != 8 && i != 13 && i != 18 && i != 23 {
      let w = k < 16 ? hi : lo
      let shift = UInt64(60 - 4 * (k % 16))
      out[i] = hex[Int((w >> shift) & 0xF)]
      k += 1
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Every id, as a set.
  func set() -> Set<EventID> {
    var s = Set<EventID>(minimumCapacity: count)
    let packed = packedWords()
    var i = 0
    while i + 1 < packed.count {
      s.insert(EventID(rawValue: Self.unpack(packed[i], packed[i + 1])))
      i += 2
    }
    for o in other { s.insert(EventID(rawValue: o)) }
    return s
  }
}
