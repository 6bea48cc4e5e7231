#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A derived, rebuildable snapshot of replayed state, kept outside git (store.md 13).
///
/// One file per log: `<directory>/<store id>-<hash of the log's path>.snapshot`, holding the
/// state of the records in a prefix of the log, tied to the log's store id, path, inode and a
/// fingerprint of the prefix it covers (its length and sampled blocks, the last block before
/// the covered end among them), and sealed by a checksum of the whole snapshot. Any mismatch
/// means "rebuild": the snapshot is ignored and written again. Deleting it is always safe.
/// Private notes never enter it. See `docs/performance.md` for the trade-offs.
public final class SnapshotCache {
  /// What the last ``LearningState/load(path:fileSystem:readOnly:cache:policy:notice:progress:)`` did with the cache.
  public enum Use: Equatable, Sendable {
    /// Not consulted yet.
    case none
    /// The snapshot covered the log up to `tailRecords` records before its end.
    case hit(tailRecords: Int)
    /// The snapshot could not be used (`reason`); state was replayed from the log.
    case rebuilt(reason: String)
  }

  /// The directory the snapshots live in.
  public let directory: String
  /// The file system the snapshots are read and written through.
  public let fileSystem: any FileSystem
  /// What the last load did with the cache.
  public internal(set) var lastUse: Use = .none
  /// Whether the last load wrote a new snapshot.
  public internal(set) var lastSaveSucceeded: Bool?
  /// Why the last save failed, when it did.
  public internal(set) var lastSaveError: String?

  static let magic: [UInt8] = Array("LLSNAP\u{0}\u{2}".utf8)
  static let formatVersion: UInt64 = 4
  static let sampleBlock = 4096
  static let sampleCount = 32

  /// A cache in `directory` (created on first save, mode 0700).
  public init(directory: String, fileSystem: any FileSystem = RealFileSystem()) {
    self.directory = directory
    self.fileSystem = fileSystem
  }

  /// The standard cache: `$XDG_CACHE_HOME/learnlog` (`~/.cache/learnlog`).
  public static func standard(environment: [String: String]) -> SnapshotCache {
    let base: String
    if let x = environment["XDG_CACHE_HOME"], x.hasPrefix("/") {
      base = x
    } else {
      base = PathName.join(environment["HOME"] ?? "/tmp", ".cache")
    }
    return SnapshotCache(directory: PathName.join(base, "learnlog"))
  }

  /// The snapshot file of the log at `logPath` with store id `storeID`.
  public func snapshotPath(storeID: String, logPath: String) -> String {
    let safeID = String(
      storeID.unicodeScalars.filter {
        $0.isASCII && ($0 == "-" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
      }.prefix(64))
    let h = FastHash.hash(Array(logPath.utf8))
    let hex = String(h, radix: 16)
    let padded = String(repeating: "0", count: 16 - hex.count) + hex
    return PathName.join(directory, "\(safeID.isEmpty ? "log" : safeID)-\(padded).snapshot")
  }

  // MARK: Reading

  /// What a lookup found.
  enum Lookup {
    case hit(LogPrefix, LearningState)
    case miss(String)
  }

  /// The snapshot of the log `store` has open, checked against the file, or why not.
  func lookup(store: LogStore, status: FileStatus, policy: PolicySettings, lazy: Bool = false)
    -> Lookup
  {
    let storeID: String
    do {
      let head = try store.readBytes(offset: 0, count: min(status.size, 64 << 10))
      guard let nl = head.firstIndex(of: 0x0A) else { return .miss("the log has no header yet") }
      let decoded = head.withUnsafeBytes {
        RecordCodec.decodeHeader(UnsafeRawBufferPointer(rebasing: $0[0..<nl]))
      }
      guard case .header(let h) = decoded else { return .miss("the log header is not readable") }
      storeID = h.storeID
    } catch {
      return .miss("the log cannot be read: \(error)")
    }
    let file = snapshotPath(storeID: storeID, logPath: store.path)
    do {
      guard try fileSystem.status(path: file) != nil else { return .miss("no snapshot") }
    } catch {
      return .miss("the snapshot cannot be read: \(error)")
    }
    let storage: SnapshotBacking.Storage
    if fileSystem is RealFileSystem, let mapped = MappedFile(path: file) {
      // Mapped: a lazy open reads only the pages it needs; an eager one gives pages back as
      // it decodes, so the snapshot never sits in memory whole beside the state.
      storage = SnapshotBacking.Storage(mapped: mapped)
    } else {
      do {
        let fd = try fileSystem.open(file, readOnly: true)
        defer { fileSystem.close(fd) }
        let bytes = try fileSystem.readAll(fd)
        storage = bytes.withUnsafeBytes { SnapshotBacking.Storage(copying: $0) }
      } catch {
        return .miss("the snapshot cannot be read: \(error)")
      }
    }
    return check(
      storage, store: store, storeID: storeID, status: status, policy: policy, lazy: lazy)
  }

  /// Checks the snapshot in `storage` against the log and decodes it (see ``lookup``).
  func check(
    _ storage: SnapshotBacking.Storage, store: LogStore, storeID: String, status: FileStatus,
    policy: PolicySettings, lazy: Bool
  ) -> Lookup {
    do {
      var meta = try Self.open(storage.bytes)
      guard meta.storeID == storeID, meta.logPath == store.path else {
        return .miss("the snapshot belongs to another log")
      }
      guard meta.inode == status.inode, meta.device == status.device else {
        return .miss("the log file was replaced")
      }
      guard meta.prefix.length <= status.size else {
        return .miss("the log is shorter")
      }
      let fingerprint = try Self.fingerprint(length: meta.prefix.length) { o, c in
        try store.readBytes(offset: o, count: c)
      }
      guard fingerprint == meta.fingerprint else {
        return .miss("the log's prefix changed")
      }
      let length = meta.prefix.length
      let replay = SnapshotBacking.ReplayBox { [store] in
        Self.replayPrefix(of: store, length: length, fingerprint: fingerprint, policy: policy)
      }
      let state = try StateCoding.decode(
        &meta.reader, storage: storage, lazyStart: meta.lazyStart, lazy: lazy, replay: replay,
        policy: policy)
      guard meta.reader.isAtEnd else { return .miss("the snapshot has trailing bytes") }
      return .hit(meta.prefix, state)
    } catch let e as SnapshotFormatError {
      return .miss("the snapshot is damaged: \(e.reason)")
    } catch {
      return .miss("the log cannot be read: \(error)")
    }
  }

  /// The state of the first `length` bytes of `store`'s log, replayed from the log itself.
  static func replayPrefix(
    of store: LogStore, length: Int, fingerprint: UInt64, policy: PolicySettings
  ) -> Result<LearningState, StoreError> {
    do {
      let again = try Self.fingerprint(length: length) { o, c in
        try store.readBytes(offset: o, count: c)
      }
      guard again == fingerprint else { return .failure(.io("the log's prefix changed")) }
      let bytes = try store.readBytes(offset: 0, count: length)
      let scan = bytes.withUnsafeBytes { LogScanner.scanWhole($0) }
      guard scan.header != nil, scan.damaged.isEmpty, scan.conflicts.isEmpty,
        scan.completeEnd == length
      else { return .failure(.io("the log's prefix is not readable")) }
      return .success(LearningState.replay(scan.records, policy: policy))
    } catch let e as StoreError {
      return .failure(e)
    } catch {
      return .failure(.io("\(error)"))
    }
  }

  /// The ties of a snapshot and a reader at the start of its state.
  struct Meta {
    var storeID: String
    var logPath: String
    var inode: UInt64
    var device: UInt64
    var prefix: LogPrefix
    var fingerprint: UInt64
    /// A reader over the head, after the ties.
    var reader: BinaryReader
    /// Where the lazily read region starts.
    var lazyStart: Int
  }

  /// Checks the magic number and the head's sum, and reads the ties.
  ///
  /// The layout: magic (8 bytes), head length (8), head sum (8), the head, the lazy region.
  static func open(_ raw: UnsafeRawBufferPointer) throws(SnapshotFormatError) -> Meta {
    guard raw.count >= 24, raw.starts(with: magic) else {
      throw SnapshotFormatError("not a learnlog snapshot")
    }
    var r = try BinaryReader(raw, from: 8)
    let headLength = try r.fixed64()
    let sealed = try r.fixed64()
    guard headLength <= UInt64(raw.count - 24) else { throw SnapshotFormatError("head too long") }
    let lazyStart = 24 + Int(headLength)
    let head = UnsafeRawBufferPointer(rebasing: raw[24..<lazyStart])
    guard FastHash.chunked(head) == sealed else { throw SnapshotFormatError("checksum mismatch") }
    r = try BinaryReader(UnsafeRawBufferPointer(rebasing: raw[0..<lazyStart]), from: 24)
    guard try r.uint() == formatVersion else { throw SnapshotFormatError("another version") }
    let storeID = try r.string()
    let logPath = try r.string()
    let inode = try r.uint()
    let device = try r.uint()
    // Sizes of the log, not of this file: checked against the log by the caller.
    let length = Int(truncatingIfNeeded: try r.uint() & 0x7FFF_FFFF_FFFF_FFFF)
    let lines = Int(truncatingIfNeeded: try r.uint() & 0x7FFF_FFFF_FFFF_FFFF)
    var clock: HybridTimestamp?
    if try r.bool() { clock = HybridTimestamp(wall: try r.int64(), logical: try r.int32()) }
    let fingerprint = try r.fixed64()
    return Meta(
      storeID: storeID, logPath: logPath, inode: inode, device: device,
      prefix: LogPrefix(length: length, lines: lines, clock: clock), fingerprint: fingerprint,
      reader: r, lazyStart: lazyStart)
  }

  static func fingerprint(length: Int, read: (Int, Int) throws -> [UInt8]) throws -> UInt64 {
    var offsets: [Int] = [0]
    if length > sampleBlock {
      for k in 1..<sampleCount - 1 {
        let o = (length / (sampleCount - 1) * k) / sampleBlock * sampleBlock
        if o > offsets[offsets.count - 1] && o < length - sampleBlock { offsets.append(o) }
      }
      offsets.append(length - sampleBlock)
    }
    var h = FastHash.mix(UInt64(length))
    for o in offsets {
      let n = min(sampleBlock, length - o)
      let block = try read(o, n)
      h = FastHash.hash(block, seed: h ^ UInt64(o))
      if block.count != n { h = ~h }
    }
    return h
  }

  // MARK: Writing

  /// The snapshot of `state`, the replay of the log prefix `prefix` of `store`, in two
  /// pieces written one after the other: the magic, head length, head sum and head; then the
  /// lazy region (kept apart so the large part is never copied).
  func encode(
    state: LearningState, store: LogStore, prefix: LogPrefix, inode: UInt64,
    device: UInt64
  ) throws -> (head: [UInt8], lazy: [UInt8]) {
    var w = BinaryWriter(capacity: 1 << 20)
    w.uint(Self.formatVersion)
    w.string(store.header.storeID)
    w.string(store.path)
    w.uint(inode)
    w.uint(device)
    w.uint(UInt64(prefix.length))
    w.uint(UInt64(prefix.lines))
    w.bool(prefix.clock != nil)
    if let c = prefix.clock {
      w.int64(c.wall)
      w.int64(Int64(c.logical))
    }
    w.fixed64(
      try Self.fingerprint(length: prefix.length) { o, c in
        try store.readBytes(offset: o, count: c)
      })
    // The snapshot is about a third of the log: the log's length is never too little.
    let lazy = try StateCoding.encode(state, head: &w, capacity: max(1 << 20, prefix.length))
    var out = Self.magic
    out.reserveCapacity(24 + w.bytes.count)
    let sum = w.bytes.withUnsafeBytes { FastHash.chunked($0) }
    withUnsafeBytes(of: UInt64(w.bytes.count).littleEndian) { out.append(contentsOf: $0) }
    withUnsafeBytes(of: sum.littleEndian) { out.append(contentsOf: $0) }
    out.append(contentsOf: w.bytes)
    return (out, lazy)
  }

  /// Writes a snapshot of `state` covering every complete line `store` has read.
  ///
  /// Under a temporary name created with `O_CREAT|O_EXCL` (mode 0600), synced, renamed
  /// into place, the directory synced: a crash leaves the old snapshot, the new one, or a
  /// stray temporary file, never a partial snapshot under the real name.
  public func save(_ state: LearningState, of store: LogStore) throws {
    let fs = fileSystem
    let st = try fs.status(store.descriptor)
    var clock: HybridTimestamp?
    if let last = state.lastClock { clock = last }
    let (length, lines) = store.coveredPrefix
    let prefix = LogPrefix(length: length, lines: lines, clock: clock)
    let (head, lazy) = try encode(
      state: state, store: store, prefix: prefix, inode: st.inode, device: st.device)
    try fs.makeDirectories(directory, permissions: 0o700)
    let final = snapshotPath(storeID: store.header.storeID, logPath: store.path)
    var rng = SystemRandomNumberGenerator()
    let temp = PathName.join(
      directory, ".\(PathName.lastComponent(of: final)).\(rng.next() & 0xFFFF_FFFF).tmp")
    let fd = try fs.createExclusive(temp, permissions: 0o600)
    do {
      defer { fs.close(fd) }
      try fs.writeAll(fd, head, offset: 0, path: temp)
      try fs.writeAll(fd, lazy, offset: head.count, path: temp)
      try fs.sync(fd)
    } catch {
      try? fs.remove(temp)
      throw error
    }
    do {
      try fs.rename(temp, to: final)
    } catch {
      try? fs.remove(temp)
      throw error
    }
    try fs.syncDirectory(directory)
  }

  /// Deletes the snapshot of the log `store` has open (always safe).
  public func remove(for store: LogStore) throws {
    let p = snapshotPath(storeID: store.header.storeID, logPath: store.path)
    if try fileSystem.status(path: p) != nil { try fileSystem.remove(p) }
  }
}

/// A file mapped read-only, whose pages can be given back as reading moves on.
final class MappedFile {
  let base: UnsafeMutableRawPointer?
  let count: Int

  init?(path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_size > 0 else { return nil }
    count = Int(st.st_size)
    guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
      return nil
    }
    base = p
  }

  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  /// Gives back the whole pages inside `range` (they are read from the file again if used).
  func drop(_ range: Range<Int>) {
    guard let base else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = (max(0, range.lowerBound) + page - 1) / page * page
    let end = min(range.upperBound, count) / page * page
    if end > start { madvise(base + start, end - start, MADV_DONTNEED) }
  }

  func unmap() {
    if let base { munmap(base, count) }
  }
}
