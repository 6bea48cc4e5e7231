import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Search as you type over many short texts (incident titles), case-insensitively.
///
/// The texts are lowercased once into one contiguous buffer. A query that extends the
/// previous one (the usual keystroke) only re-checks the previous matches, a backspace returns
/// the matches kept for the shorter query, and any other query scans every text. All stay well
/// under a frame's budget at 100k texts.
public struct IncrementalSearch: Sendable {
  var bytes: [UInt8] = []
  var starts: [Int] = [0]
  /// Queries typed one after another (each extending the one before) and their matches.
  var history: [(query: [UInt8], matches: [Int])] = []

  /// Prepares `texts` for searching; results are indices into it.
  public init(_ texts: [String]) {
    starts.reserveCapacity(texts.count + 1)
    for t in texts {
      addField(t)
      endText()
    }
  }

  /// An empty search, to be filled with ``addField(_:)`` and ``endText()``: `capacity` texts
  /// of about `bytes` bytes in all (reserved at once: growing the buffer would copy it and
  /// briefly hold both).
  public init(capacity: Int, bytes byteCount: Int = 0) {
    bytes.reserveCapacity(byteCount + byteCount / 16)
    starts.reserveCapacity(capacity + 1)
  }

  /// Adds a field to the text being built, after a newline when it is not the first (a query
  /// never holds a newline, so no match spans two fields).
  public mutating func addField(_ field: String) {
    if bytes.count > starts[starts.count - 1] { bytes.append(0x0A) }
    Self.appendFolded(field, to: &bytes)
  }

  /// Ends the text being built; it is the next index.
  public mutating func endText() {
    starts.append(bytes.count)
    history.removeAll()
  }

  /// Appends `text` folded for search, scalar by scalar (ASCII by arithmetic), as UTF-8:
  /// lowercased, accents dropped (`Résumé` → `resume`), typographic quotes made plain
  /// (`’` → `'`, `“` → `"`).
  ///
  /// The app's search and the command line's `--search` fold alike.
  static func appendFolded(_ text: String, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { appendFolded(bytes: UnsafeRawBufferPointer($0), to: &out) }
  }

  /// ``appendFolded(_:to:)`` of a text's UTF-8 bytes (a `String`'s storage or a copy of it).
  ///
  /// Written in place while each scalar folds to no more bytes than it takes (ASCII runs,
  /// Latin letters from a flat table, scalars that fold to themselves); from the first one
  /// that does not, the rest scalar by scalar (``appendFoldedScalars(_:from:to:)``).
  static func appendFolded(bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
    let n = bytes.count
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: n))
    let latin = latinFlat
    var (i, w) = (0, 0)
    // The folds of the block of the last scalar read outside Latin, kept for the next one.
    var (blockNumber, block) = (UInt32.max, [[UInt8]]())
    out.withUnsafeMutableBytes { o in
      guard let to = o.baseAddress.map({ $0 + start }) else { return }
      latin.bytes.withUnsafeBufferPointer { table in
        guard let tb = table.baseAddress else { return }
        while i < n {
          let b = base.load(fromByteOffset: i, as: UInt8.self)
          if b < 0x80 {
            // A run of ASCII, found eight bytes at a time: copied whole, capitals lowered.
            var j = i + 1
            while j + 8 <= n,
              base.loadUnaligned(fromByteOffset: j, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
              j += 8
            }
            while j < n, base.load(fromByteOffset: j, as: UInt8.self) < 0x80 { j += 1 }
            (to + w).copyMemory(from: base + i, byteCount: j - i)
            lowerASCII(UnsafeMutableRawBufferPointer(start: to + w, count: j - i), from: 0)
            w += j - i
            i = j
            continue
          }
          let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
          guard b >= 0xC2, i + length <= n else { return }
          var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
          for k in 1..<length {
            v = v << 6 | UInt32(base.load(fromByteOffset: i + k, as: UInt8.self) & 0x3F)
          }
          if Self.foldsToItself(v) {
            (to + w).copyMemory(from: base + i, byteCount: length)
            w += length
          } else if v >= 0x80, v < latinEnd {
            let k = Int(v) - 0x80
            let (from, count) = (
              Int(latin.offsets[k]), Int(latin.offsets[k + 1] - latin.offsets[k])
            )
            // Never past the bytes read: the rest then goes scalar by scalar.
            guard w + count <= i + length else { return }
            (to + w).copyMemory(from: tb + from, byteCount: count)
            w += count
          } else {
            if v >> 8 != blockNumber {
              blockNumber = v >> 8
              block = FoldBlocks.shared.block(blockNumber)
            }
            let folded = block[Int(v & 0xFF)]
            // Never past the bytes read: the rest then goes scalar by scalar.
            guard w + folded.count <= i + length else { return }
            folded.withUnsafeBytes { f in
              if let from = f.baseAddress { (to + w).copyMemory(from: from, byteCount: f.count) }
            }
            w += folded.count
          }
          i += length
        }
      }
    }
    out.removeLast(n - w)
    if i < n { appendFoldedScalars(bytes, from: i, to: &out) }
  }

  /// ``latinTable`` in one buffer: the folded bytes of U+0080 + k are
  /// `bytes[offsets[k]..<offsets[k + 1]]`.
  static let latinFlat: (bytes: [UInt8], offsets: [UInt32]) = {
    var bytes: [UInt8] = []
    var offsets: [UInt32] = [0]
    for folded in latinTable {
      bytes += folded
      offsets.append(UInt32(bytes.count))
    }
    return (bytes, offsets)
  }()

  /// Folds the scalars of `bytes` from `i` on, one at a time, appending each to `out`.
  static func appendFoldedScalars(
    _ bytes: UnsafeRawBufferPointer, from i: Int, to out: inout [UInt8]
  ) {
    guard let base = bytes.baseAddress else { return }
    out.reserveCapacity(out.count + bytes.count - i)
    var i = i
    let n = bytes.count
    while i < n {
      let b = bytes[i]
      if b < 0x80 {
        // A run of ASCII, found eight bytes at a time: copied whole, then its capitals lowered
        // in place.
        var j = i + 1
        while j + 8 <= n,
          base.loadUnaligned(fromByteOffset: j, as: UInt64.self) & 0x8080_8080_8080_8080 == 0
        {
          j += 8
        }
        while j < n, bytes[j] < 0x80 { j += 1 }
        let start = out.count
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
        out.withUnsafeMutableBytes { lowerASCII($0, from: start) }
        i = j
        continue
      }
      // Valid UTF-8 (a String's storage): the lead byte gives the length.
      let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
      var v = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
      for k in 1..<length where i + k < n { v = v << 6 | UInt32(bytes[i + k] & 0x3F) }
      if i + length <= n, Self.foldsToItself(v) {
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + length)]))
      } else if let scalar = Unicode.Scalar(v) {
        appendFoldedNonASCII(scalar, to: &out)
      }
      i += length
    }
  }

  /// Eight ASCII bytes with their capitals lowered.
  @inline(__always)
  static func lowered(_ w: UInt64) -> UInt64 {
    // Every byte is below 0x80, so no sum carries into the next byte: the top bit of each
    // byte of `a` says it is at least "A", of `z` at least "[" (one past "Z").
    let a = w &+ 0x3F3F_3F3F_3F3F_3F3F
    let z = w &+ 0x2525_2525_2525_2525
    return w | ((a & ~z & 0x8080_8080_8080_8080) >> 2)
  }

  /// Lowers the capitals of the ASCII bytes of `p` from `start` on, eight bytes at a time.
  @inline(__always)
  static func lowerASCII(_ p: UnsafeMutableRawBufferPointer, from start: Int) {
    var k = start
    let end = p.count
    while k + 8 <= end {
      let w = p.loadUnaligned(fromByteOffset: k, as: UInt64.self)
      p.storeBytes(of: lowered(w), toByteOffset: k, as: UInt64.self)
      k += 8
    }
    while k < end {
      if p[k] &- 0x41 < 26 { p[k] |= 0x20 }
      k += 1
    }
  }

  /// One scalar past ASCII, folded as ``appendFolded(_:to:)`` says: Latin letters from a
  /// table made once, scalars that neither case nor decomposition changes (CJK ideographs,
  /// dingbats, emoji) as they are, others by their Unicode properties.
  static func appendFoldedNonASCII(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    let v = scalar.value
    if v < 0x80 {
      // Only from bytes that are not UTF-8 (an overlong form): folded as the ASCII it names.
      out.append(UInt8(v) &- 0x41 < 26 ? UInt8(v) | 0x20 : UInt8(v))
      return
    }
    if v < latinEnd {
      out.append(contentsOf: latinTable[Int(v) - 0x80])
      return
    }
    if foldsToItself(v) {
      out.append(contentsOf: String(scalar).utf8)
      return
    }
    FoldBlocks.shared.append(scalar, to: &out)
  }

  /// Whether the scalar `v` is one that neither case nor decomposition changes: CJK
  /// ideographs, dingbats, emoji.
  static func foldsToItself(_ v: UInt32) -> Bool {
    (0x4E00...0x9FFF).contains(v) || (0x2700...0x27BF).contains(v)
      || (0x1F300...0x1FAFF).contains(v)
  }

  /// The end of the scalars ``latinTable`` folds.
  static let latinEnd: UInt32 = 0x250

  /// The folded bytes of each scalar from U+0080 to U+024F (Latin-1 and Latin Extended).
  static let latinTable: [[UInt8]] = (UInt32(0x80)..<latinEnd).map { v in
    var out: [UInt8] = []
    if let u = Unicode.Scalar(v) { appendFoldedByProperties(u, to: &out) }
    return out
  }

  /// One scalar folded from its Unicode properties (slow: a few string operations).
  static func appendFoldedByProperties(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    switch scalar.value {
    case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x02BC, 0x00B4, 0xFF07: out.append(0x27)
    case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB, 0xFF02: out.append(0x22)
    default:
      // Canonical decomposition parts a base letter from its accents, which are dropped.
      let lower = String(scalar.properties.lowercaseMapping).decomposedStringWithCanonicalMapping
      for part in lower.unicodeScalars where part.properties.generalCategory != .nonspacingMark {
        if part.value < 0x80 {
          out.append(UInt8(part.value))
        } else {
          out.append(contentsOf: String(part).utf8)
        }
      }
    }
  }

  /// Whether `text`, folded for search, contains `needle` folded the same way (`resume` is in
  /// `Résumé`, `tucows'` in `Tucows’`).
  public static func text(_ text: String, contains needle: [UInt8]) -> Bool {
    var scratch: [UInt8] = []
    return self.text(text, contains: needle, scratch: &scratch)
  }

  /// ``text(_:contains:)`` folding into `scratch`, a buffer reused from one call to the next.
  public static func text(_ text: String, contains needle: [UInt8], scratch hay: inout [UInt8])
    -> Bool
  {
    guard !needle.isEmpty else { return true }
    // Native strings are contiguous: ASCII is searched in place, as the bytes are.
    let inPlace = text.utf8.withContiguousStorageIfAvailable { u in
      asciiContains(UnsafeRawBufferPointer(u), needle)
    }
    if let found = inPlace ?? nil { return found }
    hay.removeAll(keepingCapacity: true)
    appendFolded(text, to: &hay)
    guard hay.count >= needle.count else { return false }
    return hay.withUnsafeBytes { h in
      needle.withUnsafeBytes { n in
        guard let hb = h.baseAddress, let nb = n.baseAddress else { return false }
        return contains(hb, hay.count, nb, needle.count)
      }
    }
  }

  /// Whether the UTF-8 bytes `text`, folded for search, contain `needle` (see
  /// ``text(_:contains:scratch:)``), read in place.
  public static func bytes(
    _ text: UnsafeRawBufferPointer, contains needle: [UInt8], scratch hay: inout [UInt8]
  ) -> Bool {
    guard !needle.isEmpty else { return true }
    if let found = asciiContains(text, needle) { return found }
    hay.removeAll(keepingCapacity: true)
    appendFolded(bytes: text, to: &hay)
    guard hay.count >= needle.count else { return false }
    return hay.withUnsafeBytes { h in
      needle.withUnsafeBytes { n in
        guard let hb = h.baseAddress, let nb = n.baseAddress else { return false }
        return contains(hb, hay.count, nb, needle.count)
      }
    }
  }

  /// `text` lowercased the way the texts are.
  public static func folded(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    appendFolded(text, to: &out)
    return out
  }

  /// The number of texts.
  public var count: Int { starts.count - 1 }

  /// The indices, in order, of the texts that contain `query` (ignoring case); all for "".
  ///
  /// The matches of each query typed since the last unrelated one are kept: typing narrows the
  /// longest kept query the new one extends, and a backspace finds its answer kept.
  public mutating func update(_ query: String) -> [Int] {
    let q = Self.folded(query)
    if q.isEmpty {
      history.removeAll()
      return Array(0..<count)
    }
    while let last = history.last, !q.starts(with: last.query) { history.removeLast() }
    if let last = history.last, last.query == q { return last.matches }
    let candidates = history.last?.matches ?? Array(0..<count)
    var out: [Int] = []
    out.reserveCapacity(min(candidates.count, 1024))
    bytes.withUnsafeBytes { all in
      q.withUnsafeBytes { needle in
        guard let base = all.baseAddress, let n = needle.baseAddress else { return }
        for i in candidates {
          let s = starts[i]
          let len = starts[i + 1] - s
          if len >= q.count, Self.contains(base + s, len, n, q.count) { out.append(i) }
        }
      }
    }
    if history.count >= 64 { history.removeFirst() }
    history.append((q, out))
    return out
  }

  /// Whether ASCII `text`, folded for search, contains the folded ASCII `needle`.
  ///
  /// The text is read in place, its capitals lowered as it is compared, never copied (folding
  /// ASCII only lowers capitals). Nil when either holds a byte past ASCII (fold it then).
  static func asciiContains(_ text: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool? {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    guard let first = needle.first, needle.allSatisfy({ $0 < 0x80 }) else { return nil }
    let n = text.count
    guard let base = text.baseAddress else { return n == 0 ? false : nil }
    func lower(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }
    var i = 0
    while i + 8 <= n {
      if base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highs != 0 { return nil }
      i += 8
    }
    while i < n {
      if base.load(fromByteOffset: i, as: UInt8.self) >= 0x80 { return nil }
      i += 1
    }
    let count = needle.count
    guard n >= count else { return false }
    let last = n - count
    return needle.withUnsafeBufferPointer { nb -> Bool in
      func matches(at k: Int) -> Bool {
        var j = 1
        while j < count {
          if lower(base.load(fromByteOffset: k + j, as: UInt8.self)) != nb[j] { return false }
          j += 1
        }
        return true
      }
      let wanted = UInt64(first) &* ones
      var k = 0
      while k + 8 <= n {
        // Bytes equal to the first byte of the needle: zero bytes of `x` (a borrow may flag a
        // byte above a true one too; each flagged place is checked).
        let x = lowered(base.loadUnaligned(fromByteOffset: k, as: UInt64.self)) ^ wanted
        var found = (x &- ones) & ~x & highs
        while found != 0 {
          let at = k + found.trailingZeroBitCount >> 3
          if at > last { return false }
          if lower(base.load(fromByteOffset: at, as: UInt8.self)) == first, matches(at: at) {
            return true
          }
          found &= found &- 1
        }
        k += 8
      }
      while k <= last {
        if lower(base.load(fromByteOffset: k, as: UInt8.self)) == first, matches(at: k) {
          return true
        }
        k += 1
      }
      return false
    }
  }

  /// Whether `needle` occurs in `hay`: `memchr` to each candidate first byte, then `memcmp`.
  static func contains(
    _ hay: UnsafeRawPointer, _ hayCount: Int, _ needle: UnsafeRawPointer, _ needleCount: Int
  ) -> Bool {
    let first = Int32(needle.load(as: UInt8.self))
    var p = hay
    let last = hay + (hayCount - needleCount)
    while p <= last {
      guard let hit = memchr(p, first, last - p + 1) else { return false }
      let h = UnsafeRawPointer(hit)
      if memcmp(h, needle, needleCount) == 0 { return true }
      p = h + 1
    }
    return false
  }
}

/// The folds of scalars past ``IncrementalSearch/latinTable``, worked out from their Unicode
/// properties a block of 256 scalars at a time, on first use, and kept: a text in kana,
/// Greek or Cyrillic folds at table speed after its first few scalars.
final class FoldBlocks: @unchecked Sendable {
  /// The one set of blocks of the process.
  static let shared = FoldBlocks()
  /// Guards ``blocks``.
  private let lock = NSLock()
  /// The folded bytes of each scalar of a block, by block number (`scalar >> 8`).
  private var blocks: [UInt32: [[UInt8]]] = [:]

  /// Appends the fold of `scalar`, as ``IncrementalSearch/appendFoldedByProperties(_:to:)``
  /// gives it.
  func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    out.append(contentsOf: block(scalar.value >> 8)[Int(scalar.value & 0xFF)])
  }

  /// The folded bytes of each of the 256 scalars of block `number` (`scalar >> 8`), made
  /// the first time any of them is asked for.
  func block(_ number: UInt32) -> [[UInt8]] {
    lock.lock()
    defer { lock.unlock() }
    if let known = blocks[number] { return known }
    let block = (0..<256).map { k in
      var folded: [UInt8] = []
      if let u = Unicode.Scalar(number << 8 | UInt32(k)) {
        IncrementalSearch.appendFoldedByProperties(u, to: &folded)
      }
      return folded
    }
    blocks[number] = block
    return block
  }
}
