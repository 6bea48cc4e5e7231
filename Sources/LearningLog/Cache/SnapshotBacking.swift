import Foundation
import Synchronization
import WorkCounting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where one kind of entity sits in a snapshot: its records and its sorted id index.
struct SnapshotSection: Sendable, Equatable {
  /// How many entities.
  var count: Int
  /// Absolute offset of the first record; the records run up to the index, in the order
  /// they were written (creation order).
  var records: Int
  /// Absolute offset (in the snapshot file) of the index: `count` entries of ``SnapshotSection/entrySize`` bytes,
  /// sorted by the first 16 bytes of the id, then the whole id.
  var index: Int

  /// Bytes an index entry takes: 16 of id, its length (4), the record's length (4), its
  /// offset from the start of the lazy region (8).
  static let entrySize = 32
  /// Id bytes kept in an index entry.
  static let keySize = 16

  /// The byte range of the whole index.
  var indexRange: Range<Int> { index..<(index + count * Self.entrySize) }
}

/// The bytes of a snapshot opened lazily: checked one block at a time as they are first read.
///
/// The head of the snapshot (ties, string table, small entities, orders) is checked and decoded
/// when the log is opened; the large sections (incidents, actions, the action index, applied
/// ids) are read later, through ``reader(section:slot:)`` and friends, each 64 KiB block checked
/// against its sum on first use. A block that fails its sum — a snapshot damaged after it was
/// checked at the open, or never fully checked — makes the backing ``recover()``: it replays the
/// log's prefix the snapshot stood for, from the log file opened at the time, and every lazy
/// entity is served from that state from then on. So damage never yields a wrong entity.
///
/// Immutable bytes plus a lock-guarded record of checked blocks: safe to share across threads.
final class SnapshotBacking: StateSource, @unchecked Sendable {
  /// The mapped or read snapshot (never written).
  let storage: Storage
  private let base: UnsafeRawPointer
  let size: Int
  /// The first byte of the lazily checked region, and its block sums.
  let lazyStart: Int
  let blockSize: Int
  let blockSums: [UInt64]
  /// The shared strings entity records refer to by number.
  let table: [String]
  private let lock = NSLock()
  private var checked: [Bool]
  /// Indexes (by offset) whose every block has been checked.
  private var checkedIndexes: Set<Int> = []
  private var recovery: Recovery
  /// Whether `recovery` holds a replayed state: read on every entity read, without the lock.
  private let replayed = Atomic<Bool>(false)
  private let replayPrefix: ReplayBox

  /// What the backing has turned to after damage.
  private enum Recovery {
    case none
    case replayed(LearningState)
    case failed(String)
  }

  /// The replay of the log prefix, kept for damage found after the open.
  struct ReplayBox: @unchecked Sendable {
    let run: () -> Result<LearningState, StoreError>
  }

  /// The snapshot's bytes, mapped or copied, freed when the last user lets go.
  final class Storage: @unchecked Sendable {
    /// The bytes (read only).
    let bytes: UnsafeRawBufferPointer
    private let mapped: MappedFile?
    private let owned: UnsafeMutableRawBufferPointer?

    /// The bytes of a mapped file.
    init(mapped: MappedFile) {
      self.mapped = mapped
      self.owned = nil
      bytes = mapped.bytes
    }

    /// A copy of `bytes`.
    init(copying source: UnsafeRawBufferPointer) {
      let buffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: max(1, source.count), alignment: 16)
      if let from = source.baseAddress, let to = buffer.baseAddress {
        to.copyMemory(from: from, byteCount: source.count)
      }
      mapped = nil
      owned = buffer
      bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<source.count])
    }

    deinit {
      mapped?.unmap()
      owned?.deallocate()
    }

    /// Gives the whole pages inside `range` back to the kernel (mapped files only).
    func release(_ range: Range<Int>) { mapped?.drop(range) }
  }

  init(
    storage: Storage, lazyStart: Int, blockSize: Int, blockSums: [UInt64], table: [String],
    replayPrefix: ReplayBox
  ) throws(SnapshotFormatError) {
    self.storage = storage
    guard let b = storage.bytes.baseAddress else { throw SnapshotFormatError("empty snapshot") }
    base = b
    size = storage.bytes.count
    guard blockSize > 0, lazyStart <= size,
      blockSums.count == (size - lazyStart + blockSize - 1) / blockSize
    else { throw SnapshotFormatError("bad block table") }
    self.lazyStart = lazyStart
    self.blockSize = blockSize
    self.blockSums = blockSums
    self.table = table
    self.checked = Array(repeating: false, count: blockSums.count)
    self.recovery = .none
    self.replayPrefix = replayPrefix
  }

  /// Every byte of the snapshot, for a reader that checks nothing (use after ``check(_:)``).
  var whole: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: size) }

  /// Checks the blocks under `range` not checked before; throws on the first bad one.
  func check(_ range: Range<Int>) throws(SnapshotFormatError) {
    guard range.lowerBound >= lazyStart, range.upperBound <= size else {
      throw SnapshotFormatError("reference outside the snapshot")
    }
    if range.isEmpty { return }
    let first = (range.lowerBound - lazyStart) / blockSize
    let last = (range.upperBound - 1 - lazyStart) / blockSize
    lock.lock()
    defer { lock.unlock() }
    for b in first...last where !checked[b] {
      let start = lazyStart + b * blockSize
      let n = min(blockSize, size - start)
      let sum = FastHash.hash(UnsafeRawBufferPointer(start: base + start, count: n))
      guard sum == blockSums[b] else { throw SnapshotFormatError("block \(b) checksum mismatch") }
      WorkCounter.count("snapshot blocks checked")
      checked[b] = true
    }
  }

  /// Treats every block as checked (fuzzing the decoder behind the sums).
  func trustAll() {
    lock.lock()
    defer { lock.unlock() }
    for i in checked.indices { checked[i] = true }
  }

  /// Checks every lazy block not checked yet (an eager open).
  func checkAll() throws(SnapshotFormatError) {
    try check(lazyStart..<size)
  }

  /// Gives the pages inside `range` back to the kernel.
  func release(_ range: Range<Int>) { storage.release(range) }

  /// A reader over `count` bytes at `offset`, checked first.
  func reader(at offset: Int, count: Int) throws(SnapshotFormatError) -> BinaryReader {
    try check(offset..<(offset + count))
    var r = try BinaryReader(
      UnsafeRawBufferPointer(start: base, count: offset + count), from: offset)
    r.table = table
    return r
  }

  // MARK: the id index

  /// Checks the whole index of `section` once (a walk of every entry; a search checks the
  /// entries it reads).
  func checkIndex(_ section: SnapshotSection) throws(SnapshotFormatError) {
    lock.lock()
    let done = checkedIndexes.contains(section.index)
    lock.unlock()
    if done { return }
    try check(section.indexRange)
    lock.lock()
    checkedIndexes.insert(section.index)
    lock.unlock()
  }

  /// A reader over the record at `position`, its 4-byte length first.
  ///
  /// The record must end by `limit`; the reader's ``BinaryReader/end`` is where the next
  /// record starts. Checks nothing: check the records' blocks first.
  func record(at position: Int, before limit: Int) throws(SnapshotFormatError) -> BinaryReader {
    guard position >= lazyStart, limit <= size, limit - position >= 4 else {
      throw SnapshotFormatError("record out of range")
    }
    let length = Int(
      UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
    guard length <= limit - position - 4 else { throw SnapshotFormatError("record out of range") }
    var r = try BinaryReader(
      UnsafeRawBufferPointer(start: base, count: position + 4 + length), from: position + 4)
    r.table = table
    return r
  }

  /// The index entry of `id` in `section`, or nil.
  func find(_ id: String, in section: SnapshotSection) throws(SnapshotFormatError) -> Int? {
    guard section.count > 0 else { return nil }
    let key = StateCoding.sortKey(id)
    let idLength = id.utf8.count
    var i = try lowerBound(id, in: section)
    while i < section.count {
      let e = try checkedEntry(section, i)
      guard compareKey(e, key) == 0 else { return nil }
      let n = Int(e.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian)
      if n == idLength {
        if n <= SnapshotSection.keySize { return i }
        if try entityID(section, i) == id { return i }
      }
      i += 1
    }
    return nil
  }

  /// The first index entry whose key is not below the zero-padded key of `text`.
  ///
  /// Only the blocks of the entries the search reads are checked (about a tenth of a large
  /// index), each once.
  func lowerBound(_ text: String, in section: SnapshotSection) throws(SnapshotFormatError) -> Int {
    let key = StateCoding.sortKey(text)
    var lo = 0
    var hi = section.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if compareKey(try checkedEntry(section, mid), key) < 0 { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The ids of `section` that start with `prefix`, in index order.
  func ids(withPrefix prefix: String, in section: SnapshotSection) throws(SnapshotFormatError)
    -> [String]
  {
    var out: [String] = []
    var i = try lowerBound(prefix, in: section)
    let long = prefix.utf8.count > SnapshotSection.keySize
    let key = StateCoding.sortKey(prefix)
    // Ids sharing a prefix sit together; a prefix of more than 16 bytes may start inside a
    // run of equal keys, so that run is read to its end.
    while i < section.count {
      let id = try entityID(section, i)
      if id.hasPrefix(prefix) {
        out.append(id)
      } else if !long || StateCoding.sortKey(id) != key {
        break
      }
      i += 1
    }
    return out
  }

  /// The ids just before and after where `id` sorts in `section` (not `id` itself), walking
  /// past those `skip` says are gone.
  func neighbours(of id: String, in section: SnapshotSection, skip: (String) -> Bool)
    throws(SnapshotFormatError) -> [String]
  {
    var out: [String] = []
    let at = try lowerBound(id, in: section)
    var i = at - 1
    while i >= 0 {
      let other = try entityID(section, i)
      if other != id, !skip(other) {
        out.append(other)
        break
      }
      i -= 1
    }
    i = at
    while i < section.count {
      let other = try entityID(section, i)
      if other != id, !skip(other) {
        out.append(other)
        // Equal 16-byte keys do not sort by the rest of the id: keep looking past them.
        if StateCoding.sortKey(other) != StateCoding.sortKey(id) { break }
      }
      i += 1
    }
    return out
  }

  /// The id of index entry `i`.
  func entityID(_ section: SnapshotSection, _ i: Int) throws(SnapshotFormatError) -> String {
    try entityID(section, i, at: try checkedEntry(section, i))
  }

  /// ``entityID(_:_:)`` of the entry at `e`, whose bytes were checked.
  private func entityID(_ section: SnapshotSection, _ i: Int, at e: UnsafeRawPointer)
    throws(SnapshotFormatError) -> String
  {
    let n = Int(e.loadUnaligned(fromByteOffset: 16, as: UInt32.self).littleEndian)
    if n <= SnapshotSection.keySize {
      return String(decoding: UnsafeRawBufferPointer(start: e, count: n), as: UTF8.self)
    }
    var r = try reader(section: section, slot: i)
    return try r.string()
  }

  /// Every id of `section`, in index order.
  func ids(in section: SnapshotSection) throws(SnapshotFormatError) -> [String] {
    try checkIndex(section)
    var out: [String] = []
    out.reserveCapacity(section.count)
    for i in 0..<section.count { out.append(try entityID(section, i, at: entry(section, i))) }
    return out
  }

  /// A reader at the record of index entry `slot`, its id first.
  func reader(section: SnapshotSection, slot: Int) throws(SnapshotFormatError) -> BinaryReader {
    let e = try checkedEntry(section, slot)
    let length = Int(e.loadUnaligned(fromByteOffset: 20, as: UInt32.self).littleEndian)
    let relative = UInt64(littleEndian: e.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    guard relative <= UInt64(size) else { throw SnapshotFormatError("index entry out of range") }
    let offset = lazyStart + Int(relative)
    guard length >= 0, offset <= size - length else {
      throw SnapshotFormatError("index entry out of range")
    }
    return try reader(at: offset, count: length)
  }

  private func entry(_ section: SnapshotSection, _ i: Int) -> UnsafeRawPointer {
    base + section.index + i * SnapshotSection.entrySize
  }

  /// Index entry `i` of `section`, the blocks under it checked first (each once).
  private func checkedEntry(_ section: SnapshotSection, _ i: Int) throws(SnapshotFormatError)
    -> UnsafeRawPointer
  {
    guard i >= 0, i < section.count else { throw SnapshotFormatError("index entry out of range") }
    let start = section.index + i * SnapshotSection.entrySize
    try check(start..<(start + SnapshotSection.entrySize))
    return entry(section, i)
  }

  private func compareKey(_ e: UnsafeRawPointer, _ key: StateCoding.SortKey) -> Int {
    let k = StateCoding.SortKey(
      hi: UInt64(bigEndian: e.loadUnaligned(as: UInt64.self)),
      lo: UInt64(bigEndian: e.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    return k == key ? 0 : k < key ? -1 : 1
  }

  // MARK: recovery

  /// Whether damage made the backing replay the log (then ``recoveredState()`` has the state).
  var isReplayed: Bool { replayed.load(ordering: .acquiring) }

  /// The state replayed after damage, if it came to that.
  func recoveredState() -> LearningState? {
    lock.lock()
    defer { lock.unlock() }
    if case .replayed(let s) = recovery { return s }
    return nil
  }

  /// Why recovery failed, if it did (the lazy entities then read as absent).
  var failure: String? {
    lock.lock()
    defer { lock.unlock() }
    if case .failed(let why) = recovery { return why }
    return nil
  }

  /// What `fromSnapshot` reads; after damage (met now or before), what `fromReplay` takes
  /// from the replayed log's state (from an empty state when that replay failed too).
  ///
  /// Every read of the lazy region goes through this rule, so damage never yields a wrong
  /// value.
  func read<R>(
    _ fromSnapshot: () throws(SnapshotFormatError) -> R, else fromReplay: (LearningState) -> R
  ) -> R {
    // The flag first: it is read without a lock, on every read.
    if isReplayed, let s = recoveredState() { return fromReplay(s) }
    do {
      return try fromSnapshot()
    } catch {
      return fromReplay(recover() ?? LearningState())
    }
  }

  /// Replays the log's prefix once, after damage; nil when that fails too.
  @discardableResult
  func recover() -> LearningState? {
    lock.lock()
    defer { lock.unlock() }
    switch recovery {
    case .replayed(let s): return s
    case .failed: return nil
    case .none:
      switch replayPrefix.run() {
      case .success(let s):
        recovery = .replayed(s)
        replayed.store(true, ordering: .releasing)
        return s
      case .failure(let e):
        recovery = .failed("the snapshot was damaged and the log could not be replayed: \(e)")
        return nil
      }
    }
  }
}
