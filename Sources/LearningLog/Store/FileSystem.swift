#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open file of a ``FileSystem``.
public typealias FileDescriptor = Int32

/// What kind of file a path names.
public enum FileKind: String, Hashable, Sendable {
  case regular = "a regular file"
  case directory = "a directory"
  case characterDevice = "a character device"
  case blockDevice = "a block device"
  case fifo = "a FIFO (named pipe)"
  case socket = "a socket"
  case symbolicLink = "a symbolic link"
  case other = "not a regular file"

  /// The kind of a `st_mode`.
  public init(mode: UInt32) {
    switch mode & UInt32(S_IFMT) {
    case UInt32(S_IFREG): self = .regular
    case UInt32(S_IFDIR): self = .directory
    case UInt32(S_IFCHR): self = .characterDevice
    case UInt32(S_IFBLK): self = .blockDevice
    case UInt32(S_IFIFO): self = .fifo
    case UInt32(S_IFSOCK): self = .socket
    case UInt32(S_IFLNK): self = .symbolicLink
    default: self = .other
    }
  }
}

/// What `stat` tells the store about a file.
public struct FileStatus: Hashable, Sendable {
  /// Size in bytes.
  public var size: Int
  /// The inode number: a new file at the same path has a new one.
  public var inode: UInt64
  /// The device holding the file.
  public var device: UInt64
  /// Permission bits (`0o777` mask).
  public var permissions: UInt32
  /// The owning user id.
  public var owner: UInt32
  /// Whether this is a directory.
  public var isDirectory: Bool
  /// The kind of file (regular, directory, device, FIFO…).
  public var kind: FileKind

  /// Whether this is a regular file (the only kind a log, a backup or an export may be).
  public var isRegular: Bool { kind == .regular }

  /// A status with every field given; `kind` defaults to a directory or a regular file.
  public init(
    size: Int, inode: UInt64, device: UInt64 = 0, permissions: UInt32, owner: UInt32,
    isDirectory: Bool, kind: FileKind? = nil
  ) {
    self.size = size
    self.inode = inode
    self.device = device
    self.permissions = permissions
    self.owner = owner
    self.isDirectory = isDirectory
    self.kind = kind ?? (isDirectory ? .directory : .regular)
  }
}

/// A failed file-system call: the operation, the path and the `errno`.
public struct FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The call that failed, such as `fdatasync`.
  public var operation: String
  /// The path it was about.
  public var path: String
  /// The error number.
  public var code: Int32

  /// An error of `operation` on `path` with `code`.
  public init(operation: String, path: String, code: Int32) {
    self.operation = operation
    self.path = path
    self.code = code
  }

  public var description: String {
    "\(operation) \(path): \(String(cString: strerror(code)))"
  }
}

/// The few file-system calls the store makes, so tests can swap in a faulty disk.
///
/// Modelled on SQLite's VFS and LevelDB's `Env`: ``RealFileSystem`` makes the POSIX
/// calls; `MemoryFileSystem` (in LearningLogTesting) keeps files in memory, tracks what was synced, injects
/// errors and simulates crashes.
public protocol FileSystem: AnyObject {
  /// Opens an existing file for reading (and writing unless `readOnly`).
  func open(_ path: String, readOnly: Bool) throws(FileSystemError) -> FileDescriptor
  /// Creates a new file with `O_CREAT|O_EXCL` and sets `permissions` before any byte.
  func createExclusive(_ path: String, permissions: UInt32) throws(FileSystemError)
    -> FileDescriptor
  /// Opens or creates a lock file (never truncating it).
  func openLockFile(_ path: String, permissions: UInt32) throws(FileSystemError) -> FileDescriptor
  /// Closes a descriptor.
  func close(_ fd: FileDescriptor)
  /// Reads up to `count` bytes at `offset` (fewer only at the end of the file).
  func read(_ fd: FileDescriptor, offset: Int, count: Int) throws(FileSystemError) -> [UInt8]
  /// Reads up to `buffer.count` bytes at `offset` into `buffer` (fewer only at the end of the
  /// file) and returns how many; a buffer reused from one read to the next is never allocated
  /// again.
  func read(_ fd: FileDescriptor, offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(FileSystemError) -> Int
  /// Writes `bytes` at `offset` with one call; returns how many were written (maybe fewer).
  func write(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, offset: Int)
    throws(FileSystemError) -> Int
  /// Flushes the file's data and metadata (`fsync`).
  func sync(_ fd: FileDescriptor) throws(FileSystemError)
  /// Flushes the file's data (`fdatasync`).
  func dataSync(_ fd: FileDescriptor) throws(FileSystemError)
  /// Cuts or extends the file to `size` bytes.
  func truncate(_ fd: FileDescriptor, size: Int) throws(FileSystemError)
  /// The status of an open file.
  func status(_ fd: FileDescriptor) throws(FileSystemError) -> FileStatus
  /// The status of a path, or nil when nothing is there.
  func status(path: String) throws(FileSystemError) -> FileStatus?
  /// Renames `from` to `to`, replacing `to`.
  func rename(_ from: String, to: String) throws(FileSystemError)
  /// Links `from` as `to`, failing with `EEXIST` if `to` exists.
  func link(_ from: String, to: String) throws(FileSystemError)
  /// Removes a file.
  func remove(_ path: String) throws(FileSystemError)
  /// Creates a directory with `permissions` (set regardless of the umask).
  func makeDirectory(_ path: String, permissions: UInt32) throws(FileSystemError)
  /// Syncs a directory, making renames and creations in it durable.
  func syncDirectory(_ path: String) throws(FileSystemError)
  /// Takes an exclusive or shared `flock` on `fd`, waiting for it.
  func lock(_ fd: FileDescriptor, exclusive: Bool) throws(FileSystemError)
  /// Releases the `flock` on `fd`.
  func unlock(_ fd: FileDescriptor)
  /// The effective user id of this process.
  var currentUser: UInt32 { get }
  /// The file-mode creation mask of this process (`umask`).
  var creationMask: UInt32 { get }
  /// Creates a file with no name in `directory` (`O_TMPFILE`), or nil where the system has
  /// none: a process killed before ``linkUnnamed(_:to:)`` leaves nothing behind.
  func createUnnamed(inDirectory directory: String, permissions: UInt32) throws(FileSystemError)
    -> FileDescriptor?
  /// Gives a file made by ``createUnnamed(inDirectory:permissions:)`` the name `path`.
  func linkUnnamed(_ fd: FileDescriptor, to path: String) throws(FileSystemError)
}

extension FileSystem {
  /// ``read(_:offset:into:)`` by ``read(_:offset:count:)`` and a copy.
  public func read(_ fd: FileDescriptor, offset: Int, into buffer: UnsafeMutableRawBufferPointer)
    throws(FileSystemError) -> Int
  {
    let bytes = try read(fd, offset: offset, count: buffer.count)
    bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    return bytes.count
  }

  /// Reads the whole file from offset `from` to its current end.
  public func readAll(_ fd: FileDescriptor, from: Int = 0) throws(FileSystemError) -> [UInt8] {
    let size = try status(fd).size
    if size <= from { return [] }
    var out = try read(fd, offset: from, count: size - from)
    // The file may have grown meanwhile; take what is there now.
    while true {
      let more = try read(fd, offset: from + out.count, count: 1 << 20)
      if more.isEmpty { break }
      out.append(contentsOf: more)
    }
    return out
  }

  /// Writes all of `bytes` at `offset`, looping on short writes.
  public func writeAll(_ fd: FileDescriptor, _ bytes: [UInt8], offset: Int, path: String)
    throws(FileSystemError)
  {
    try bytes.withUnsafeBytes { raw in
      Result { () throws(FileSystemError) in
        try writeAll(fd, raw, offset: offset, path: path)
      }
    }.get()
  }

  /// Writes all of `bytes` at `offset`, looping on short writes.
  public func writeAll(
    _ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, offset: Int, path: String
  ) throws(FileSystemError) {
    var done = 0
    while done < bytes.count {
      let n = try write(fd, UnsafeRawBufferPointer(rebasing: bytes[done...]), offset: offset + done)
      if n <= 0 { throw FileSystemError(operation: "write", path: path, code: EIO) }
      done += n
    }
  }

  /// Creates every missing directory of `path` with `permissions`.
  public func makeDirectories(_ path: String, permissions: UInt32) throws(FileSystemError) {
    if let s = try status(path: path) {
      if s.isDirectory { return }
      throw FileSystemError(operation: "mkdir", path: path, code: ENOTDIR)
    }
    let parent = PathName.directory(of: path)
    if parent != path && !parent.isEmpty { try makeDirectories(parent, permissions: permissions) }
    do {
      try makeDirectory(path, permissions: permissions)
    } catch {
      if error.code != EEXIST { throw error }
    }
  }
}

/// Small path helpers (the store speaks POSIX paths).
public enum PathName {
  /// The directory part of `path` (`.` when none).
  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    if slash == path.startIndex { return "/" }
    return String(path[..<slash])
  }

  /// The last component of `path`.
  public static func lastComponent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// `a` joined with `b` by one slash.
  public static func join(_ a: String, _ b: String) -> String {
    if a.isEmpty { return b }
    return a.hasSuffix("/") ? a + b : a + "/" + b
  }
}
