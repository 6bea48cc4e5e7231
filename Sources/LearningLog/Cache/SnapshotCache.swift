import Dispatch
import WorkCounting

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A derived, rebuildable snapshot of replayed state, kept outside git (store.md 13).
///
/// One file per log: `<directory>/<store id>-<hash of the log's path>.snapshot`, holding the
/// state of the records in a prefix of the log, tied to the log's store id, path and the
/// content of the prefix it covers: its length, a hash of every byte of it, and a fingerprint
/// of sampled blocks (the last block before the covered end among them); sealed by a checksum
/// of the whole snapshot.
///
/// The snapshot also notes the inode the log had when it was checked. While the log keeps that
/// inode (the store only ever appends to it) the sampled fingerprint is the check; a log with
/// another inode — replaced by `git pull`, a copy, a restore — has its whole covered prefix
/// hashed (a sequential read, on a second core while the snapshot decodes) and, when it is
/// the same, the snapshot is used and only the records after the prefix are read; the noted
/// inode is then updated in place. Any mismatch means "rebuild": the snapshot is ignored and
/// written again. Deleting it is always safe. Private notes never enter it. See
/// `docs/performance.md` for the trade-offs.
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
  /// Whether the last lookup hashed the whole covered prefix (the log had another inode).
  public internal(set) var lastLookupHashedPrefix = false

  static let magic: [UInt8] = Array("LLSNAP\u{0}\u{3}".utf8)
  static let formatVersion: UInt64 = 7
  /// Where the noted inode, device and their sum sit: after the magic, head length and sum.
  static let tiesOffset = 24
  /// Where the head starts: after the ties.
  static let headOffset = 48
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
    lastLookupHashedPrefix = false
    do {
      var meta = try Self.open(storage.bytes)
      guard meta.storeID == storeID, meta.logPath == store.path else {
        return .miss("the snapshot belongs to another log")
      }
      guard meta.prefix.length <= status.size else {
        return .miss("the log is shorter")
      }
      let length = meta.prefix.length
      let sameFile = meta.ties == Ties(inode: status.inode, device: status.device)
      // Another file (or ties unreadable): hash its whole covered prefix, on a second core
      // while the snapshot decodes on this one when the file system allows it.
      var hashed: PrefixHashJob?
      if !sameFile {
        lastLookupHashedPrefix = true
        hashed = PrefixHashJob(store: store, length: length, parallel: fileSystem is RealFileSystem)
      } else {
        let fingerprint = try Self.fingerprint(length: length) { o, c in
          try store.readBytes(offset: o, count: c)
        }
        guard fingerprint == meta.fingerprint else {
          return .miss("the log's prefix changed")
        }
      }
      let fingerprint = meta.fingerprint
      let replay = SnapshotBacking.ReplayBox { [store] in
        Self.replayPrefix(of: store, length: length, fingerprint: fingerprint, policy: policy)
      }
      let state = try StateCoding.decode(
        &meta.reader, storage: storage, lazyStart: meta.lazyStart, lazy: lazy, replay: replay,
        policy: policy)
      guard meta.reader.isAtEnd else { return .miss("the snapshot has trailing bytes") }
      if let job = hashed {
        guard let h = job.result() else {
          return .miss("the log cannot be read")
        }
        guard h == meta.prefixHash else {
          return .miss("the log file was replaced by one whose prefix differs")
        }
        noteTies(Ties(inode: status.inode, device: status.device), store: store, storeID: storeID)
      }
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

  /// The file a snapshot was last checked against.
  struct Ties: Equatable {
    var inode: UInt64
    var device: UInt64

    /// The 24 bytes kept at ``SnapshotCache/tiesOffset``: inode, device and their sum.
    var bytes: [UInt8] {
      var out: [UInt8] = []
      for v in [inode, device, sum] { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
      return out
    }

    var sum: UInt64 { FastHash.mix(inode ^ FastHash.mix(device ^ 0x5449_4553)) }

    /// The ties in `raw` (24 bytes), or nil when their sum does not match (a torn update).
    static func read(_ raw: UnsafeRawBufferPointer) -> Ties? {
      guard raw.count >= 24 else { return nil }
      let v = (0..<3).map {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
      }
      let t = Ties(inode: v[0], device: v[1])
      return t.sum == v[2] ? t : nil
    }
  }

  /// Notes in the snapshot the file it was just checked against, in place (24 bytes with
  /// their own sum; a torn write only means the next open hashes the prefix again).
  func noteTies(_ ties: Ties, store: LogStore, storeID: String) {
    let file = snapshotPath(storeID: storeID, logPath: store.path)
    guard let fd = try? fileSystem.open(file, readOnly: false) else { return }
    defer { fileSystem.close(fd) }
    try? fileSystem.writeAll(fd, ties.bytes, offset: Self.tiesOffset, path: file)
  }

  /// The hash of every byte of the first `length` bytes of `store`'s log.
  ///
  /// Each 8 MiB block is hashed on its own (``prefixBlockHashes(length:blocks:into:)``) and the
  /// blocks' hashes are then chained in order, so blocks can be hashed on several threads.
  /// Each block is read into one buffer (`read` fills it from an offset and says how many
  /// bytes it read).
  static func prefixHash(
    length: Int, into read: (Int, UnsafeMutableRawBufferPointer) throws -> Int
  ) rethrows -> UInt64 {
    combine(
      try prefixBlockHashes(length: length, blocks: 0..<prefixBlocks(length), into: read),
      length: length)
  }

  /// The size of a block of ``prefixHash(length:into:)``.
  static let prefixBlock = 8 << 20

  /// How many blocks a prefix of `length` bytes has (one when it is empty).
  static func prefixBlocks(_ length: Int) -> Int {
    max(1, (length + prefixBlock - 1) / prefixBlock)
  }

  /// The hashes of the blocks `blocks` of a prefix of `length` bytes; a block read short
  /// hashes to the complement of its bytes' hash (never what the whole block gives).
  static func prefixBlockHashes(
    length: Int, blocks: Range<Int>, into read: (Int, UnsafeMutableRawBufferPointer) throws -> Int
  ) rethrows -> [UInt64] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(1, min(prefixBlock, length)), alignment: 16)
    defer { buffer.deallocate() }
    var out: [UInt64] = []
    out.reserveCapacity(blocks.count)
    for k in blocks {
      let i = k * prefixBlock
      let n = max(0, min(prefixBlock, length - i))
      let got = min(n, max(0, try read(i, UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]))))
      let h = blockHash(UnsafeRawBufferPointer(rebasing: buffer[0..<got]), index: k)
      out.append(got == n ? h : ~h)
      WorkCounter.count("prefix bytes hashed", n)
    }
    return out
  }

  /// The hash of block number `index` holding `bytes`.
  static func blockHash(_ bytes: UnsafeRawBufferPointer, index: Int) -> UInt64 {
    FastHash.hash(bytes, seed: FastHash.mix(UInt64(index) &+ 0x5851_F42D_4C95_7F2D))
  }

  /// The blocks' hashes chained in order, with the prefix's length.
  static func combine(_ blocks: [UInt64], length: Int) -> UInt64 {
    var h = FastHash.mix(UInt64(length))
    for b in blocks { h = FastHash.mix(h ^ b) &* 0x9E37_79B9_7F4A_7C15 }
    return FastHash.mix(h)
  }

  /// ``prefixHash(length:into:)`` of bytes in memory.
  static func prefixHash(of bytes: UnsafeRawBufferPointer) -> UInt64 {
    let blocks = (0..<prefixBlocks(bytes.count)).map { k in
      let i = k * prefixBlock
      return blockHash(
        UnsafeRawBufferPointer(rebasing: bytes[i..<min(bytes.count, i + prefixBlock)]), index: k)
    }
    return combine(blocks, length: bytes.count)
  }

  /// A prefix hash computed on worker threads, the blocks split between two (or at once on
  /// this thread when `parallel` is false).
  final class PrefixHashJob: @unchecked Sendable {
    /// The hashes of the first and the second half of the blocks, each written by one thread
    /// before it signals and read after both did.
    private var first: [UInt64]?
    private var second: [UInt64]?
    private let done = DispatchSemaphore(value: 0)
    private let length: Int

    /// The store, read by the workers only through `pread`-like positioned reads.
    private struct Reader: @unchecked Sendable { let store: LogStore }

    init(store: LogStore, length: Int, parallel: Bool) {
      self.length = length
      let reader = Reader(store: store)
      let count = SnapshotCache.prefixBlocks(length)
      let middle = parallel ? count / 2 : count
      let parts = [0..<middle, middle..<count]
      for (k, blocks) in parts.enumerated() {
        let work: @Sendable () -> Void = { [self] in
          let hashes = try? SnapshotCache.prefixBlockHashes(length: length, blocks: blocks) {
            o, buffer in try reader.store.readBytes(offset: o, into: buffer)
          }
          if k == 0 { first = hashes } else { second = hashes }
          done.signal()
        }
        if parallel && !blocks.isEmpty {
          DispatchQueue.global(qos: .userInitiated).async(execute: work)
        } else {
          work()
        }
      }
    }

    /// The hash, once computed; nil when the log could not be read.
    func result() -> UInt64? {
      done.wait()
      done.wait()
      guard let first, let second else { return nil }
      return SnapshotCache.combine(first + second, length: length)
    }
  }

  /// The ties of a snapshot and a reader at the start of its state.
  struct Meta {
    var storeID: String
    var logPath: String
    /// The file it was last checked against; nil when unreadable.
    var ties: Ties?
    var prefix: LogPrefix
    var fingerprint: UInt64
    /// The hash of every byte of the covered prefix (``prefixHash(length:into:)``).
    var prefixHash: UInt64
    /// A reader over the head, after the ties.
    var reader: BinaryReader
    /// Where the lazily read region starts.
    var lazyStart: Int
  }

  /// Checks the magic number and the head's sum, and reads the ties.
  ///
  /// The layout: magic (8 bytes), head length (8), head sum (8), the file last checked
  /// against (inode, device, their sum: 24, updated in place), the head, the lazy region.
  static func open(_ raw: UnsafeRawBufferPointer) throws(SnapshotFormatError) -> Meta {
    guard raw.count >= headOffset, raw.starts(with: magic) else {
      throw SnapshotFormatError("not a learnlog snapshot")
    }
    var r = try BinaryReader(raw, from: 8)
    let headLength = try r.fixed64()
    let sealed = try r.fixed64()
    guard headLength <= UInt64(raw.count - headOffset) else {
      throw SnapshotFormatError("head too long")
    }
    let lazyStart = headOffset + Int(headLength)
    let ties = Ties.read(UnsafeRawBufferPointer(rebasing: raw[tiesOffset..<headOffset]))
    let head = UnsafeRawBufferPointer(rebasing: raw[headOffset..<lazyStart])
    guard FastHash.chunked(head) == sealed else { throw SnapshotFormatError("checksum mismatch") }
    r = try BinaryReader(UnsafeRawBufferPointer(rebasing: raw[0..<lazyStart]), from: headOffset)
    guard try r.uint() == formatVersion else { throw SnapshotFormatError("another version") }
    let storeID = try r.string()
    let logPath = try r.string()
    // Sizes of the log, not of this file: checked against the log by the caller.
    let length = Int(truncatingIfNeeded: try r.uint() & 0x7FFF_FFFF_FFFF_FFFF)
    let lines = Int(truncatingIfNeeded: try r.uint() & 0x7FFF_FFFF_FFFF_FFFF)
    var clock: HybridTimestamp?
    if try r.bool() { clock = HybridTimestamp(wall: try r.int64(), logical: try r.int32()) }
    let fingerprint = try r.fixed64()
    let prefixHash = try r.fixed64()
    return Meta(
      storeID: storeID, logPath: logPath, ties: ties,
      prefix: LogPrefix(length: length, lines: lines, clock: clock), fingerprint: fingerprint,
      prefixHash: prefixHash, reader: r, lazyStart: lazyStart)
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
  ///
  /// `encoded`, when given, is `state` encoded already (``encodeState(_:capacity:)``).
  func encode(
    state: LearningState, store: LogStore, prefix: LogPrefix, inode: UInt64,
    device: UInt64, encoded: EncodedState? = nil
  ) throws -> (head: [UInt8], lazy: [UInt8]) {
    var w = BinaryWriter(capacity: 1 << 20)
    w.uint(Self.formatVersion)
    w.string(store.header.storeID)
    w.string(store.path)
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
    w.fixed64(
      try Self.prefixHash(length: prefix.length) { o, buffer in
        try store.readBytes(offset: o, into: buffer)
      })
    // The snapshot is about a third of the log: the log's length is never too little.
    let lazy: [UInt8]
    if let encoded {
      // What the state writes into the head depends on nothing written before it.
      w.bytes.append(contentsOf: encoded.head)
      lazy = encoded.lazy
    } else {
      lazy = try StateCoding.encode(state, head: &w, capacity: max(1 << 20, prefix.length))
    }
    var out = Self.magic
    out.reserveCapacity(Self.headOffset + w.bytes.count)
    let sum = w.bytes.withUnsafeBytes { FastHash.chunked($0) }
    withUnsafeBytes(of: UInt64(w.bytes.count).littleEndian) { out.append(contentsOf: $0) }
    withUnsafeBytes(of: sum.littleEndian) { out.append(contentsOf: $0) }
    out += Ties(inode: inode, device: device).bytes
    out.append(contentsOf: w.bytes)
    return (out, lazy)
  }

  /// A state encoded for its snapshot ahead of the write (on another thread, while the log
  /// is written): ``save(_:of:encoded:)`` then only adds what ties it to the log.
  ///
  /// Its lazy region (most of the snapshot) is either in memory or, made by
  /// ``encodeForSave(_:capacity:)``, in a file with no name.
  public struct EncodedState: Sendable {
    let head: [UInt8]
    let lazy: [UInt8]
    /// The lazy region in a file with no name, when it was handed there as it was encoded.
    let spilled: SpilledRegion?

    init(head: [UInt8], lazy: [UInt8], spilled: SpilledRegion? = nil) {
      self.head = head
      self.lazy = lazy
      self.spilled = spilled
    }
  }

  /// A lazy region written to a file with no name; the file is closed, and so gone, with
  /// the last reference to this.
  final class SpilledRegion: @unchecked Sendable {
    // Unchecked: the descriptor is read by one thread at a time (the save, after the encoding
    // thread handed it over), and closed once.
    let fileSystem: any FileSystem
    let descriptor: FileDescriptor
    /// How many bytes the region has.
    var count = 0

    init(_ fileSystem: any FileSystem, _ descriptor: FileDescriptor) {
      self.fileSystem = fileSystem
      self.descriptor = descriptor
    }

    deinit { fileSystem.close(descriptor) }
  }

  /// Encodes `state` for ``save(_:of:encoded:)`` in memory (`capacity`: about the log's size).
  public static func encodeState(_ state: LearningState, capacity: Int = 1 << 20) throws
    -> EncodedState
  {
    var w = BinaryWriter(capacity: 1 << 20)
    let lazy = try StateCoding.encode(state, head: &w, capacity: max(1 << 20, capacity))
    return EncodedState(head: w.bytes, lazy: lazy)
  }

  /// Encodes `state` for ``save(_:of:encoded:)`` with its lazy region handed, as it is
  /// encoded, to a file with no name in the cache's directory, so memory never holds the
  /// region whole beside the state; in memory (``encodeState(_:capacity:)``) where the system
  /// makes no unnamed files or the streamed encoding gave up.
  ///
  /// A process killed meanwhile leaves nothing behind.
  public func encodeForSave(_ state: LearningState, capacity: Int = 1 << 20) throws
    -> EncodedState
  {
    let fs = fileSystem
    try fs.makeDirectories(directory, permissions: 0o700)
    if let fd = try fs.createUnnamed(inDirectory: directory, permissions: 0o600) {
      let region = SpilledRegion(fs, fd)
      let path = PathName.join(directory, "(unnamed snapshot region)")
      let sink = StateCoding.LazyRegionSink(blockSize: StateCoding.blockSize) { bytes, offset in
        try fs.writeAll(fd, bytes, offset: offset, path: path)
      }
      var head = BinaryWriter(capacity: 1 << 20)
      if try StateCoding.encode(state, head: &head, sink: sink) {
        if let failure = sink.failure { throw failure }
        region.count = sink.count
        return EncodedState(head: head.bytes, lazy: [], spilled: region)
      }
    }
    return try Self.encodeState(state, capacity: capacity)
  }

  /// ``save(_:of:)`` of a state encoded already by ``encodeState(_:capacity:)`` or
  /// ``encodeForSave(_:capacity:)`` (the same bytes as encoding it now).
  public func save(_ state: LearningState, of store: LogStore, encoded: EncodedState?) throws {
    try save(state, of: store, encodedState: encoded)
  }

  /// Writes a snapshot of `state` covering every complete line `store` has read.
  ///
  /// Under a temporary name created with `O_CREAT|O_EXCL` (mode 0600), synced, renamed
  /// into place, the directory synced: a crash leaves the old snapshot, the new one, or a
  /// stray temporary file, never a partial snapshot under the real name.
  public func save(_ state: LearningState, of store: LogStore) throws {
    try save(state, of: store, encodedState: nil)
  }

  private func save(_ state: LearningState, of store: LogStore, encodedState: EncodedState?)
    throws
  {
    let fs = fileSystem
    let st = try fs.status(store.descriptor)
    var clock: HybridTimestamp?
    if let last = state.lastClock { clock = last }
    let (length, lines) = store.coveredPrefix
    let prefix = LogPrefix(length: length, lines: lines, clock: clock)
    // The lazy region (most of the snapshot) goes to a file with no name as it is encoded
    // (``encodeForSave(_:capacity:)``); the snapshot is then its head and a copy of that file.
    let encoded = try encodedState ?? encodeForSave(state, capacity: prefix.length)
    let final = snapshotPath(storeID: store.header.storeID, logPath: store.path)
    var rng = SystemRandomNumberGenerator()
    let name = ".\(PathName.lastComponent(of: final)).\(rng.next() & 0xFFFF_FFFF)"
    let temp = PathName.join(directory, name + ".tmp")
    try fs.makeDirectories(directory, permissions: 0o700)
    let (head, lazy) = try encode(
      state: state, store: store, prefix: prefix, inode: st.inode, device: st.device,
      encoded: encoded)
    try write(temp, head: head) { fd in
      if let spilled = encoded.spilled {
        try Self.copy(
          fs, from: spilled.descriptor, of: spilled.fileSystem, count: spilled.count, to: fd,
          at: head.count, path: temp)
        WorkCounter.count("snapshot region streamed", spilled.count)
      } else {
        try fs.writeAll(fd, lazy, offset: head.count, path: temp)
      }
    }
    try place(temp, as: final)
  }

  /// Creates `temp` (mode 0600), writes `head` at its start and the rest through `rest`, and
  /// syncs it; removed when anything fails.
  private func write(
    _ temp: String, head: [UInt8], rest: (FileDescriptor) throws -> Void
  ) throws {
    let fs = fileSystem
    let fd = try fs.createExclusive(temp, permissions: 0o600)
    do {
      defer { fs.close(fd) }
      try fs.writeAll(fd, head, offset: 0, path: temp)
      try rest(fd)
      try fs.sync(fd)
    } catch {
      try? fs.remove(temp)
      throw error
    }
  }

  /// Copies the first `count` bytes of `source` (a descriptor of `sourceFS`, else of `fs`) to
  /// `target` at `offset`, a mebibyte at a time.
  static func copy(
    _ fs: any FileSystem, from source: FileDescriptor, of sourceFS: (any FileSystem)? = nil,
    count: Int, to target: FileDescriptor, at offset: Int, path: String
  ) throws {
    let sourceFS = sourceFS ?? fs
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    var copied = 0
    while copied < count {
      let want = min(buffer.count, count - copied)
      let n = try sourceFS.read(
        source, offset: copied, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
      if n <= 0 { throw FileSystemError(operation: "read", path: path, code: EIO) }
      try fs.writeAll(
        target, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), offset: offset + copied,
        path: path)
      copied += n
    }
  }

  /// Renames the written `temp` to `final` and syncs the directory; `temp` is removed when
  /// the rename fails.
  private func place(_ temp: String, as final: String) throws {
    let fs = fileSystem
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
