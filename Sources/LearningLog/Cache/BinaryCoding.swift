/// A malformed snapshot: the cache is rebuilt, never trusted.
struct SnapshotFormatError: Error, Equatable {
  var reason: String
  init(_ reason: String) { self.reason = reason }
}

/// Appends compact binary values: LEB128 varints, length-prefixed UTF-8, shared strings.
struct BinaryWriter {
  var bytes: [UInt8] = []
  /// Short strings that repeat (writers, owners, teams, keys) are written once and then
  /// referred to by number.
  var table: [String: Int] = [:]
  /// When set, ``shared(_:)`` always writes a number into ``strings`` (read in any order).
  var refsOnly = false
  /// The shared strings in number order, when ``refsOnly``.
  var strings: [String] = []

  init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

  mutating func byte(_ b: UInt8) { bytes.append(b) }

  mutating func uint(_ v: UInt64) {
    var v = v
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func int(_ v: Int) { int64(Int64(v)) }

  mutating func int64(_ v: Int64) {
    uint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
  }

  mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }

  mutating func fixed64(_ v: UInt64) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

  /// A string written in full.
  mutating func string(_ s: String) {
    var s = s
    s.withUTF8 { u in
      uint(UInt64(u.count))
      bytes.append(contentsOf: u)
    }
  }

  /// A string that likely repeats: its number when seen before, else it in full.
  mutating func shared(_ s: String) {
    if let k = table[s] {
      uint(UInt64(k) << 1 | 1)
      return
    }
    if refsOnly {
      table[s] = table.count
      strings.append(s)
      uint(UInt64(table.count - 1) << 1 | 1)
      return
    }
    table[s] = table.count
    var s = s
    s.withUTF8 { u in
      uint(UInt64(u.count) << 1)
      bytes.append(contentsOf: u)
    }
  }

  mutating func optionalString(_ s: String?) {
    bool(s != nil)
    if let s { string(s) }
  }

  mutating func strings(_ a: [String]) {
    uint(UInt64(a.count))
    for s in a { shared(s) }
  }

  /// Strings written in full, never shared (ids: mostly distinct).
  mutating func plainStrings(_ a: [String]) {
    uint(UInt64(a.count))
    for s in a { string(s) }
  }

  mutating func day(_ d: Day?) {
    bool(d != nil)
    if let d { int(d.ordinal) }
  }
}

/// Reads what ``BinaryWriter`` wrote, checking every bound.
struct BinaryReader {
  let base: UnsafeRawPointer
  let end: Int
  var position: Int
  var table: [String] = []
  /// Told, now and then, that the bytes before an offset are no longer needed.
  var release: ((Int) -> Void)?

  init(_ buffer: UnsafeRawBufferPointer, from: Int = 0) throws(SnapshotFormatError) {
    guard let b = buffer.baseAddress else { throw SnapshotFormatError("empty snapshot") }
    base = b
    end = buffer.count
    position = from
  }

  var isAtEnd: Bool { position >= end }

  mutating func byte() throws(SnapshotFormatError) -> UInt8 {
    guard position < end else { throw SnapshotFormatError("snapshot ends early") }
    let b = base.load(fromByteOffset: position, as: UInt8.self)
    position += 1
    return b
  }

  mutating func uint() throws(SnapshotFormatError) -> UInt64 {
    var v: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try byte()
      if shift == 63 && b > 1 { throw SnapshotFormatError("number too large") }
      v |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return v }
      shift += 7
      if shift > 63 { throw SnapshotFormatError("number too large") }
    }
  }

  mutating func count(limit: Int = 1 << 30) throws(SnapshotFormatError) -> Int {
    let v = try uint()
    guard v <= UInt64(limit), v <= UInt64(end - position) * 8 + 64 else {
      throw SnapshotFormatError("count out of range")
    }
    return Int(v)
  }

  mutating func int64() throws(SnapshotFormatError) -> Int64 {
    let u = try uint()
    return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
  }

  mutating func int() throws(SnapshotFormatError) -> Int { Int(try int64()) }

  mutating func int32() throws(SnapshotFormatError) -> Int32 {
    let v = try int64()
    guard let r = Int32(exactly: v) else { throw SnapshotFormatError("number out of range") }
    return r
  }

  mutating func bool() throws(SnapshotFormatError) -> Bool {
    switch try byte() {
    case 0: return false
    case 1: return true
    default: throw SnapshotFormatError("bad flag")
    }
  }

  mutating func fixed64() throws(SnapshotFormatError) -> UInt64 {
    guard end - position >= 8 else { throw SnapshotFormatError("snapshot ends early") }
    let v = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
    position += 8
    return UInt64(littleEndian: v)
  }

  mutating func rawBytes(_ n: Int) throws(SnapshotFormatError) -> UnsafeRawBufferPointer {
    guard n >= 0, end - position >= n else { throw SnapshotFormatError("snapshot ends early") }
    let r = UnsafeRawBufferPointer(start: base + position, count: n)
    position += n
    return r
  }

  mutating func utf8(_ n: Int) throws(SnapshotFormatError) -> String {
    let r = try rawBytes(n)
    return String(decoding: r, as: UTF8.self)
  }

  mutating func string() throws(SnapshotFormatError) -> String {
    try utf8(try count(limit: LogBounds.maxLineBytes))
  }

  mutating func shared() throws(SnapshotFormatError) -> String {
    let v = try uint()
    if v & 1 == 1 {
      let k = Int(v >> 1)
      guard k < table.count else { throw SnapshotFormatError("bad string reference") }
      return table[k]
    }
    guard v >> 1 <= UInt64(LogBounds.maxLineBytes) else {
      throw SnapshotFormatError("string too long")
    }
    let s = try utf8(Int(v >> 1))
    table.append(s)
    return s
  }

  mutating func optionalString() throws(SnapshotFormatError) -> String? {
    try bool() ? try string() : nil
  }

  mutating func plainStrings() throws(SnapshotFormatError) -> [String] {
    let n = try count(limit: 1 << 24)
    var out: [String] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try string()) }
    return out
  }

  /// Passes over a ``string()`` without making it.
  mutating func skipString() throws(SnapshotFormatError) {
    _ = try rawBytes(try count(limit: LogBounds.maxLineBytes))
  }

  /// Passes over ``strings()``, keeping each string written in place in the table (a later
  /// reference may name it) and making no array.
  mutating func skipStrings() throws(SnapshotFormatError) {
    let n = try count(limit: 1 << 24)
    for _ in 0..<n { _ = try shared() }
  }

  mutating func strings() throws(SnapshotFormatError) -> [String] {
    let n = try count(limit: 1 << 24)
    var out: [String] = []
    out.reserveCapacity(n)
    for _ in 0..<n { out.append(try shared()) }
    return out
  }

  mutating func day() throws(SnapshotFormatError) -> Day? {
    try bool() ? Day(ordinal: try int()) : nil
  }

  mutating func choice<T: DomainChoice>(_: T.Type) throws(SnapshotFormatError) -> T {
    let i = try count(limit: 255)
    let all = T.ordered
    guard i < all.count else { throw SnapshotFormatError("bad choice") }
    return all[i]
  }
}

extension BinaryWriter {
  mutating func choice<T: DomainChoice>(_ v: T) {
    let i = T.ordered.firstIndex(of: v) ?? 0
    uint(UInt64(i))
  }
}

/// A fast 64-bit checksum of bytes, eight at a time (not cryptographic).
///
/// Each step is a bijection of a lane's running value for a fixed word, and lanes are folded
/// through bijections, so any change confined to one 8-byte word always changes the result;
/// corruption and truncation (the length is hashed in) are caught.
enum FastHash {
  static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    var h = seed ^ 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return mix(h) }
    let n = bytes.count
    var i = 0
    // Four independent lanes keep the multiplier busy; they are folded in at the end.
    var l0 = h
    var l1 = h ^ 0x1319_8A2E_0370_7344
    var l2 = h ^ 0xA409_3822_299F_31D0
    var l3 = h ^ 0x082E_FA98_EC4E_6C89
    while i + 32 <= n {
      l0 = (l0 ^ base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      l1 =
        (l1 ^ base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      l2 =
        (l2 ^ base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      l3 =
        (l3 ^ base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
      l0 ^= l0 >> 29
      l1 ^= l1 >> 29
      l2 ^= l2 >> 29
      l3 ^= l3 >> 29
      i += 32
    }
    h = mix(l0) ^ (mix(l1) &* 3) ^ (mix(l2) &* 5) ^ (mix(l3) &* 7)
    while i + 8 <= n {
      let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ w) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
      i += 8
    }
    var last: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      last |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
      shift += 8
      i += 1
    }
    h = (h ^ last) &* 0x9E37_79B9_7F4A_7C15
    return mix(h)
  }

  static func mix(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The hash of `bytes` taken 8 MiB at a time, each chunk seeded with the hash so far;
  /// `done` is told where each chunk ends (so a caller can drop pages it will not need).
  static func chunked(_ bytes: UnsafeRawBufferPointer, done: ((Int) -> Void)? = nil) -> UInt64 {
    let step = 8 << 20
    var h = mix(UInt64(bytes.count))
    var i = 0
    repeat {
      let end = min(bytes.count, i + step)
      h = hash(UnsafeRawBufferPointer(rebasing: bytes[i..<end]), seed: h)
      done?(end)
      i = end
    } while i < bytes.count
    return h
  }

  static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
    bytes.withUnsafeBytes { hash($0, seed: seed) }
  }
}
