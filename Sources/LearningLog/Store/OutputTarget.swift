#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The files no command may write over: the log, its lock, the private notes, the cache.
///
/// Compared by device and inode after following links, so another name for the same file (a
/// symbolic or hard link, `./log.jsonl`, `../team/log.jsonl`) is the same file.
public struct ProtectedFiles: Sendable {
  /// Files never written over, with what each is (for the error line).
  public var files: [(path: String, what: String)]
  /// Directories nothing is written into, with what each holds.
  public var directories: [(path: String, what: String)]

  /// Protects `files` and everything in `directories`.
  public init(
    files: [(path: String, what: String)], directories: [(path: String, what: String)] = []
  ) {
    self.files = files
    self.directories = directories
  }

  /// The files learnlog keeps for the log at `logPath`: the log and its lock, the private
  /// notes (the file, its lock and its directory) and the snapshot cache directory.
  public static func standard(logPath: String, environment: [String: String]) -> ProtectedFiles {
    let privateStore = PrivateStore(
      directory: PrivateStore.defaultDirectory(environment: environment))
    return ProtectedFiles(
      files: [
        (logPath, "the log"),
        (logPath + ".lock", "the log's lock file"),
        (privateStore.path, "your private notes file"),
        (privateStore.path + ".lock", "your private notes' lock file"),
      ],
      directories: [
        (privateStore.directory, "in your private notes directory"),
        (SnapshotCache.standard(environment: environment).directory, "in the snapshot cache"),
      ])
  }

  /// The identity of `path` after following links, or nil when nothing is there.
  static func identity(_ path: String) -> (UInt64, UInt64)? {
    var s = stat()
    guard stat(path, &s) == 0 else { return nil }
    return (UInt64(s.st_dev), UInt64(s.st_ino))
  }

  /// What `status` (a file about to be written) is, when it is protected.
  func protection(device: UInt64, inode: UInt64, directory: String) -> String? {
    for f in files {
      if let id = Self.identity(f.path), id == (device, inode) { return f.what }
    }
    if let parent = Self.identity(directory) {
      for d in directories {
        if let id = Self.identity(d.path), id == parent { return "a file " + d.what }
      }
    }
    return nil
  }
}

/// The one way a command writes a file it was asked for (`export --output`): never over a
/// protected file, a directory or anything but a regular file.
public enum OutputTarget {
  /// Checks `path` before anything is opened: refuses a directory, a device, a FIFO, a socket
  /// and a protected file (the error names which); a missing file is fine.
  public static func check(_ path: String, protecting protected: ProtectedFiles)
    throws(StoreError)
  {
    if path.isEmpty {
      throw StoreError.io("the output path is empty; give a file name")
    }
    var s = stat()
    let directory = PathName.directory(of: path)
    if stat(path, &s) == 0 {
      let kind = FileKind(mode: UInt32(s.st_mode))
      if kind != .regular { throw StoreError.notRegularFile(path: path, kind: kind) }
      if let what = protected.protection(
        device: UInt64(s.st_dev), inode: UInt64(s.st_ino), directory: directory)
      {
        throw StoreError.protectedFile(path: path, what: what)
      }
    } else {
      // A new file: its directory must exist, and only the directory can be protected.
      var d = stat()
      guard stat(directory, &d) == 0, FileKind(mode: UInt32(d.st_mode)) == .directory else {
        throw StoreError.noDirectory(path: path, directory: directory)
      }
      if let what = protected.protection(device: .max, inode: .max, directory: directory) {
        throw StoreError.protectedFile(path: path, what: what)
      }
    }
  }

  /// Writes `bytes` to `path` (created with `permissions` under the umask, or replaced in
  /// place), after ``check(_:protecting:)``; the open never blocks and is checked again by
  /// `fstat`, so a file swapped in between is refused too.
  public static func write(
    _ bytes: [UInt8], to path: String, permissions: UInt32, protecting protected: ProtectedFiles
  ) throws(StoreError) {
    try write(to: path, permissions: permissions, protecting: protected) { put in put(bytes) }
  }

  /// Writes to `path` what `produce` hands to its `put`, as it produces it.
  ///
  /// The same checks as ``write(_:to:permissions:protecting:)`` come first; memory holds one
  /// piece, not the file. The first failed write stops the rest and is thrown once `produce`
  /// returns.
  public static func write(
    to path: String, permissions: UInt32, protecting protected: ProtectedFiles,
    produce: (_ put: ([UInt8]) -> Void) -> Void
  ) throws(StoreError) {
    try check(path, protecting: protected)
    let fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, mode_t(permissions))
    if fd < 0 {
      let code = errno
      throw StoreError.io(
        "cannot write \(path): \(String(cString: strerror(code))); check the path")
    }
    defer { close(fd) }
    var s = stat()
    guard fstat(fd, &s) == 0 else {
      throw StoreError.io("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    let kind = FileKind(mode: UInt32(s.st_mode))
    if kind != .regular { throw StoreError.notRegularFile(path: path, kind: kind) }
    if let what = protected.protection(
      device: UInt64(s.st_dev), inode: UInt64(s.st_ino), directory: PathName.directory(of: path))
    {
      throw StoreError.protectedFile(path: path, what: what)
    }
    if permissions & 0o077 == 0 { fchmod(fd, mode_t(permissions)) }
    let fs = RealFileSystem()
    var failure: FileSystemError?
    do throws(FileSystemError) {
      try fs.truncate(fd, size: 0)
    } catch {
      failure = error
    }
    var offset = 0
    produce { (bytes: [UInt8]) -> Void in
      guard failure == nil, !bytes.isEmpty else { return }
      do throws(FileSystemError) {
        try fs.writeAll(fd, bytes, offset: offset, path: path)
        offset += bytes.count
      } catch {
        failure = error
      }
    }
    if let failure { throw StoreError.io("cannot write \(path): \(failure.description)") }
  }
}
