import LearningLog

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An in-memory file system that tracks synced bytes, injects faults and simulates crashes.
///
/// Like SQLite's crash-test VFS and LevelDB's fault-injection `Env`: every file keeps the
/// bytes a crash would preserve (what was last synced) beside its current bytes, and the
/// directory entries a crash would preserve (as of the last directory sync) beside the
/// current ones. ``crashImage(_:)`` returns the file system as a power loss would leave it,
/// with the unsynced bytes dropped, torn, zeroed or garbled.
public final class MemoryFileSystem: FileSystem {
  final class Node {
    let inode: UInt64
    var data: [UInt8]
    var synced: [UInt8]
    var permissions: UInt32
    var owner: UInt32
    let isDirectory: Bool

    init(inode: UInt64, permissions: UInt32, owner: UInt32, isDirectory: Bool) {
      self.inode = inode
      self.data = []
      self.synced = []
      self.permissions = permissions
      self.owner = owner
      self.isDirectory = isDirectory
    }
  }

  struct Handle {
    var node: Node
    var path: String
    var readOnly: Bool
  }

  /// What a crash does to bytes written since the last sync.
  public enum CrashMode: Hashable, Sendable {
    /// Unsynced bytes are lost.
    case drop
    /// Only the first `keeping` unsynced bytes reach the disk.
    case tear(keeping: Int)
    /// The first `keeping` unsynced bytes reach the disk, the rest become zeros.
    case tearThenZeros(keeping: Int)
    /// The unsynced bytes become zeros.
    case zeros
    /// The unsynced bytes become random bytes drawn from `seed`.
    case garble(seed: UInt64)
  }

  var names: [String: Node] = [:]
  var durableNames: [String: Node] = [:]
  var handles: [FileDescriptor: Handle] = [:]
  var exclusiveLocks: [UInt64: FileDescriptor] = [:]
  var sharedLocks: [UInt64: Set<FileDescriptor>] = [:]
  var nextDescriptor: FileDescriptor = 3
  var nextInode: UInt64 = 100

  /// Error numbers the next syncs fail with, first first (`EIO` for fsyncgate tests).
  public var pendingSyncErrors: [Int32] = []
  /// Bytes writes may still add before failing with `ENOSPC` (nil: unlimited).
  public var writeBudget: Int?
  /// The most bytes one `write` call accepts (short writes); nil: all.
  public var maxBytesPerWrite: Int?
  /// Called at every sync point (file or directory) before the sync takes effect.
  public var onSyncPoint: ((MemoryFileSystem) -> Void)?
  /// The user id reported as the current user.
  public var currentUser: UInt32 = 1000
  /// The umask reported to the store.
  public var creationMask: UInt32 = 0o022
  /// Paths (or directories, ending in `/`) whose opening for writing fails with the given
  /// error number: `EACCES` for another user's 0444 file, `EROFS` for a read-only mount.
  public var deniedWrites: [String: Int32] = [:]
  /// Error numbers the next writes fail with, first first (`EPERM`, `ENOSPC`…).
  public var pendingWriteErrors: [Int32] = []
  /// Whether ``createUnnamed(inDirectory:permissions:)`` makes unnamed files (else nil, as on a
  /// system without `O_TMPFILE`).
  public var supportsUnnamedFiles = true
  var unnamedCount = 0

  public func createUnnamed(inDirectory directory: String, permissions: UInt32)
    throws(FileSystemError) -> FileDescriptor?
  {
    guard supportsUnnamedFiles else { return nil }
    let d = normalized(directory)
    guard let dir = names[d], dir.isDirectory else {
      throw FileSystemError(operation: "open", path: directory, code: ENOENT)
    }
    if let code = denial(PathName.join(d, "x")) {
      throw FileSystemError(operation: "open", path: directory, code: code)
    }
    unnamedCount += 1
    let node = newNode(permissions: permissions, isDirectory: false)
    return open(node: node, path: PathName.join(d, "(unnamed \(unnamedCount))"), readOnly: false)
  }

  public func linkUnnamed(_ fd: FileDescriptor, to path: String) throws(FileSystemError) {
    let h = try handle(fd, "linkat")
    let t = normalized(path)
    if names[t] != nil { throw FileSystemError(operation: "linkat", path: path, code: EEXIST) }
    try requireParent(t, "linkat")
    names[t] = h.node
  }

  /// Error numbers the next truncations fail with, first first.
  public var pendingTruncateErrors: [Int32] = []

  private func denial(_ path: String) -> Int32? {
    let p = normalized(path)
    if let code = deniedWrites[p] { return code }
    for (k, code) in deniedWrites where k.hasSuffix("/") && p.hasPrefix(k) { return code }
    return nil
  }
  /// How many sync points have been reached.
  public private(set) var syncPoints = 0

  /// An empty file system holding only the root directory.
  public init() {
    let root = Node(inode: 1, permissions: 0o755, owner: 1000, isDirectory: true)
    names["/"] = root
    durableNames["/"] = root
  }

  private func newNode(permissions: UInt32, isDirectory: Bool) -> Node {
    nextInode += 1
    return Node(
      inode: nextInode, permissions: permissions, owner: currentUser, isDirectory: isDirectory)
  }

  private func normalized(_ path: String) -> String {
    var parts: [Substring] = []
    for p in path.split(separator: "/") where p != "." && !p.isEmpty {
      if p == ".." { _ = parts.popLast() } else { parts.append(p) }
    }
    return "/" + parts.joined(separator: "/")
  }

  private func handle(_ fd: FileDescriptor, _ op: String) throws(FileSystemError) -> Handle {
    guard let h = handles[fd] else {
      throw FileSystemError(operation: op, path: "fd \(fd)", code: EBADF)
    }
    return h
  }

  private func requireParent(_ path: String, _ op: String) throws(FileSystemError) {
    let parent = PathName.directory(of: path)
    guard let d = names[parent], d.isDirectory else {
      throw FileSystemError(operation: op, path: path, code: ENOENT)
    }
  }

  private func open(node: Node, path: String, readOnly: Bool) -> FileDescriptor {
    nextDescriptor += 1
    handles[nextDescriptor] = Handle(node: node, path: path, readOnly: readOnly)
    return nextDescriptor
  }

  // MARK: Test controls

  /// Writes `bytes` as the whole content of `path`, synced (creating the file if needed).
  public func setContents(_ path: String, _ bytes: [UInt8], permissions: UInt32 = 0o644) {
    let p = normalized(path)
    let node = names[p] ?? newNode(permissions: permissions, isDirectory: false)
    node.data = bytes
    node.synced = bytes
    names[p] = node
    durableNames[p] = node
  }

  /// The current bytes of `path`, or nil when it does not exist.
  public func contents(_ path: String) -> [UInt8]? { names[normalized(path)]?.data }

  /// Sets the permission bits and owner of `path`.
  public func setAttributes(_ path: String, permissions: UInt32? = nil, owner: UInt32? = nil) {
    guard let n = names[normalized(path)] else { return }
    if let permissions { n.permissions = permissions }
    if let owner { n.owner = owner }
  }

  /// Every path that exists now, sorted.
  public var allPaths: [String] { names.keys.sorted() }

  /// The file system as a power loss right now would leave it.
  public func crashImage(_ mode: CrashMode) -> MemoryFileSystem {
    let image = MemoryFileSystem()
    image.currentUser = currentUser
    image.nextInode = nextInode
    var copies: [ObjectIdentifier: Node] = [:]
    for (path, node) in durableNames {
      let copy: Node
      if let c = copies[ObjectIdentifier(node)] {
        copy = c
      } else {
        copy = Node(
          inode: node.inode, permissions: node.permissions, owner: node.owner,
          isDirectory: node.isDirectory)
        copy.data = Self.survivingBytes(node, mode)
        copy.synced = copy.data
        copies[ObjectIdentifier(node)] = copy
      }
      image.names[path] = copy
      image.durableNames[path] = copy
    }
    return image
  }

  static func survivingBytes(_ node: Node, _ mode: CrashMode) -> [UInt8] {
    let synced = node.synced
    let data = node.data
    guard data.count > synced.count, data.starts(with: synced) else {
      if case .drop = mode { return synced }
      return data
    }
    let tail = Array(data[synced.count...])
    switch mode {
    case .drop: return synced
    case .tear(let keeping): return synced + tail.prefix(max(0, keeping))
    case .tearThenZeros(let keeping):
      let k = min(max(0, keeping), tail.count)
      return synced + tail.prefix(k) + [UInt8](repeating: 0, count: tail.count - k)
    case .zeros: return synced + [UInt8](repeating: 0, count: tail.count)
    case .garble(let seed):
      var rng = SeededGenerator(seed: seed)
      return synced + tail.map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }
  }

  /// How many bytes of `path` are not yet synced (appended since the last sync).
  public func unsyncedByteCount(_ path: String) -> Int {
    guard let n = names[normalized(path)] else { return 0 }
    return max(0, n.data.count - n.synced.count)
  }

  private func syncPoint(_ path: String, _ op: String) throws(FileSystemError) {
    syncPoints += 1
    onSyncPoint?(self)
    if !pendingSyncErrors.isEmpty {
      let code = pendingSyncErrors.removeFirst()
      throw FileSystemError(operation: op, path: path, code: code)
    }
  }

  // MARK: FileSystem

  public func open(_ path: String, readOnly: Bool) throws(FileSystemError) -> FileDescriptor {
    let p = normalized(path)
    guard let node = names[p] else {
      throw FileSystemError(operation: "open", path: path, code: ENOENT)
    }
    if node.isDirectory { throw FileSystemError(operation: "open", path: path, code: EISDIR) }
    if !readOnly, let code = denial(p) {
      throw FileSystemError(operation: "open", path: path, code: code)
    }
    return open(node: node, path: p, readOnly: readOnly)
  }

  public func createExclusive(_ path: String, permissions: UInt32) throws(FileSystemError)
    -> FileDescriptor
  {
    let p = normalized(path)
    try requireParent(p, "create")
    if let code = denial(p) { throw FileSystemError(operation: "create", path: path, code: code) }
    if names[p] != nil { throw FileSystemError(operation: "create", path: path, code: EEXIST) }
    let node = newNode(permissions: permissions, isDirectory: false)
    names[p] = node
    return open(node: node, path: p, readOnly: false)
  }

  public func openLockFile(_ path: String, permissions: UInt32) throws(FileSystemError)
    -> FileDescriptor
  {
    let p = normalized(path)
    if let code = denial(p) { throw FileSystemError(operation: "open", path: path, code: code) }
    if let node = names[p] { return open(node: node, path: p, readOnly: false) }
    return try createExclusive(p, permissions: permissions)
  }

  public func close(_ fd: FileDescriptor) {
    unlock(fd)
    handles[fd] = nil
  }

  public func read(_ fd: FileDescriptor, offset: Int, count: Int) throws(FileSystemError)
    -> [UInt8]
  {
    let h = try handle(fd, "read")
    let data = h.node.data
    if offset >= data.count || count <= 0 { return [] }
    return Array(data[offset..<min(data.count, offset + count)])
  }

  public func write(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, offset: Int)
    throws(FileSystemError) -> Int
  {
    let h = try handle(fd, "write")
    if h.readOnly { throw FileSystemError(operation: "write", path: h.path, code: EBADF) }
    if !pendingWriteErrors.isEmpty {
      throw FileSystemError(
        operation: "write", path: h.path, code: pendingWriteErrors.removeFirst())
    }
    var n = bytes.count
    if let m = maxBytesPerWrite { n = min(n, m) }
    if let budget = writeBudget {
      if budget <= 0 && n > 0 {
        throw FileSystemError(operation: "write", path: h.path, code: ENOSPC)
      }
      n = min(n, budget)
      writeBudget = budget - n
    }
    let node = h.node
    if node.data.count < offset {
      node.data.append(contentsOf: [UInt8](repeating: 0, count: offset - node.data.count))
    }
    let overlap = min(n, node.data.count - offset)
    if overlap > 0 {
      node.data.replaceSubrange(offset..<offset + overlap, with: bytes.prefix(overlap))
    }
    if n > overlap { node.data.append(contentsOf: bytes[overlap..<n]) }
    return n
  }

  public func sync(_ fd: FileDescriptor) throws(FileSystemError) {
    let h = try handle(fd, "fsync")
    try syncPoint(h.path, "fsync")
    h.node.synced = h.node.data
  }

  public func dataSync(_ fd: FileDescriptor) throws(FileSystemError) {
    let h = try handle(fd, "fdatasync")
    try syncPoint(h.path, "fdatasync")
    h.node.synced = h.node.data
  }

  public func truncate(_ fd: FileDescriptor, size: Int) throws(FileSystemError) {
    let h = try handle(fd, "ftruncate")
    if h.readOnly { throw FileSystemError(operation: "ftruncate", path: h.path, code: EBADF) }
    if !pendingTruncateErrors.isEmpty {
      throw FileSystemError(
        operation: "ftruncate", path: h.path, code: pendingTruncateErrors.removeFirst())
    }
    if size < h.node.data.count {
      h.node.data.removeSubrange(size...)
    } else {
      h.node.data.append(contentsOf: [UInt8](repeating: 0, count: size - h.node.data.count))
    }
  }

  private func status(of node: Node) -> FileStatus {
    FileStatus(
      size: node.data.count, inode: node.inode, permissions: node.permissions, owner: node.owner,
      isDirectory: node.isDirectory)
  }

  public func status(_ fd: FileDescriptor) throws(FileSystemError) -> FileStatus {
    status(of: try handle(fd, "fstat").node)
  }

  public func status(path: String) throws(FileSystemError) -> FileStatus? {
    names[normalized(path)].map(status(of:))
  }

  public func rename(_ from: String, to: String) throws(FileSystemError) {
    let f = normalized(from)
    let t = normalized(to)
    guard let node = names[f] else {
      throw FileSystemError(operation: "rename", path: from, code: ENOENT)
    }
    try requireParent(t, "rename")
    names[f] = nil
    names[t] = node
  }

  public func link(_ from: String, to: String) throws(FileSystemError) {
    let f = normalized(from)
    let t = normalized(to)
    guard let node = names[f] else {
      throw FileSystemError(operation: "link", path: from, code: ENOENT)
    }
    if names[t] != nil { throw FileSystemError(operation: "link", path: to, code: EEXIST) }
    try requireParent(t, "link")
    names[t] = node
  }

  public func remove(_ path: String) throws(FileSystemError) {
    let p = normalized(path)
    guard names[p] != nil else {
      throw FileSystemError(operation: "unlink", path: path, code: ENOENT)
    }
    names[p] = nil
  }

  public func makeDirectory(_ path: String, permissions: UInt32) throws(FileSystemError) {
    let p = normalized(path)
    if names[p] != nil { throw FileSystemError(operation: "mkdir", path: path, code: EEXIST) }
    try requireParent(p, "mkdir")
    names[p] = newNode(permissions: permissions, isDirectory: true)
  }

  public func syncDirectory(_ path: String) throws(FileSystemError) {
    let d = normalized(path)
    guard names[d]?.isDirectory == true else {
      throw FileSystemError(operation: "open", path: path, code: ENOENT)
    }
    try syncPoint(d, "fsync")
    // Entries directly inside `d` become durable as they are now.
    func inDirectory(_ p: String) -> Bool { p != d && PathName.directory(of: p) == d }
    for p in durableNames.keys where inDirectory(p) && names[p] == nil { durableNames[p] = nil }
    for (p, n) in names where inDirectory(p) { durableNames[p] = n }
    // The directory itself becomes durable once its parent holds it; keep it simple and
    // treat a synced directory as reachable.
    var cur = d
    while cur != "/" {
      if durableNames[cur] == nil { durableNames[cur] = names[cur] }
      cur = PathName.directory(of: cur)
    }
  }

  public func lock(_ fd: FileDescriptor, exclusive: Bool) throws(FileSystemError) {
    let h = try handle(fd, "flock")
    let i = h.node.inode
    let ex = exclusiveLocks[i]
    let sh = sharedLocks[i, default: []].subtracting([fd])
    if (ex != nil && ex != fd) || (exclusive && !sh.isEmpty) {
      // One thread cannot wait for itself: a conflicting lock here is a bug in the caller.
      throw FileSystemError(operation: "flock", path: h.path, code: EWOULDBLOCK)
    }
    if exclusive {
      sharedLocks[i]?.remove(fd)
      exclusiveLocks[i] = fd
    } else {
      if ex == fd { exclusiveLocks[i] = nil }
      sharedLocks[i, default: []].insert(fd)
    }
  }

  public func unlock(_ fd: FileDescriptor) {
    guard let h = handles[fd] else { return }
    let i = h.node.inode
    if exclusiveLocks[i] == fd { exclusiveLocks[i] = nil }
    sharedLocks[i]?.remove(fd)
  }
}
