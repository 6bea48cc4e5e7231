import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The POSIX file system.
public final class RealFileSystem: FileSystem {
  /// The real file system.
  public init() {}

  private func fail(_ op: String, _ path: String) -> FileSystemError {
    FileSystemError(operation: op, path: path, code: errno)
  }

  private var paths: [FileDescriptor: String] = [:]

  private func name(_ fd: FileDescriptor) -> String { paths[fd] ?? "fd \(fd)" }

  public func open(_ path: String, readOnly: Bool) throws(FileSystemError) -> FileDescriptor {
    // Non-blocking: opening a FIFO must never wait for a writer (the caller checks the kind
    // with `fstat` and refuses anything but a regular file, where the flag changes nothing).
    let fd = Glibc.open(path, (readOnly ? O_RDONLY : O_RDWR) | O_CLOEXEC | O_NONBLOCK)
    if fd < 0 { throw fail("open", path) }
    paths[fd] = path
    return fd
  }

  public func createExclusive(_ path: String, permissions: UInt32) throws(FileSystemError)
    -> FileDescriptor
  {
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions & 0o600))
    if fd < 0 { throw fail("create", path) }
    // The umask may have narrowed the mode and never widens past 0600 above; set it exactly.
    if fchmod(fd, mode_t(permissions)) != 0 {
      let e = fail("fchmod", path)
      Glibc.close(fd)
      unlink(path)
      throw e
    }
    paths[fd] = path
    return fd
  }

  public func openLockFile(_ path: String, permissions: UInt32) throws(FileSystemError)
    -> FileDescriptor
  {
    let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(permissions))
    if fd < 0 { throw fail("open", path) }
    paths[fd] = path
    return fd
  }

  public func close(_ fd: FileDescriptor) {
    paths[fd] = nil
    Glibc.close(fd)
  }

  public func read(
    _ fd: FileDescriptor, offset: Int, into buffer: UnsafeMutableRawBufferPointer
  ) throws(FileSystemError) -> Int {
    var done = 0
    while done < buffer.count {
      let n = pread(
        fd, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
      if n < 0 {
        if errno == EINTR { continue }
        throw fail("read", name(fd))
      }
      if n == 0 { break }
      done += n
    }
    return done
  }

  public func read(_ fd: FileDescriptor, offset: Int, count: Int) throws(FileSystemError)
    -> [UInt8]
  {
    if count <= 0 { return [] }
    var failure: FileSystemError?
    // Uninitialized: the pages are touched once, by the kernel's copy.
    let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      var done = 0
      while done < count {
        let n = pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
        if n < 0 {
          if errno == EINTR { continue }
          failure = fail("read", name(fd))
          break
        }
        if n == 0 { break }
        done += n
      }
      initialized = done
    }
    if let failure { throw failure }
    return out
  }

  public func write(_ fd: FileDescriptor, _ bytes: UnsafeRawBufferPointer, offset: Int)
    throws(FileSystemError) -> Int
  {
    while true {
      let n = pwrite(fd, bytes.baseAddress, bytes.count, off_t(offset))
      if n < 0 {
        if errno == EINTR { continue }
        throw fail("write", name(fd))
      }
      return n
    }
  }

  public func sync(_ fd: FileDescriptor) throws(FileSystemError) {
    if fsync(fd) != 0 { throw fail("fsync", name(fd)) }
  }

  public func dataSync(_ fd: FileDescriptor) throws(FileSystemError) {
    #if os(Linux)
      if fdatasync(fd) != 0 { throw fail("fdatasync", name(fd)) }
    #else
      if fsync(fd) != 0 { throw fail("fsync", name(fd)) }
    #endif
  }

  public func truncate(_ fd: FileDescriptor, size: Int) throws(FileSystemError) {
    if ftruncate(fd, off_t(size)) != 0 { throw fail("ftruncate", name(fd)) }
  }

  private func convert(_ s: stat) -> FileStatus {
    FileStatus(
      size: Int(s.st_size), inode: UInt64(s.st_ino), device: UInt64(s.st_dev),
      permissions: UInt32(s.st_mode) & 0o7777, owner: UInt32(s.st_uid),
      isDirectory: (UInt32(s.st_mode) & UInt32(S_IFMT)) == UInt32(S_IFDIR),
      kind: FileKind(mode: UInt32(s.st_mode)))
  }

  public func status(_ fd: FileDescriptor) throws(FileSystemError) -> FileStatus {
    var s = stat()
    if fstat(fd, &s) != 0 { throw fail("fstat", name(fd)) }
    return convert(s)
  }

  public func status(path: String) throws(FileSystemError) -> FileStatus? {
    var s = stat()
    if stat(path, &s) != 0 {
      if errno == ENOENT { return nil }
      throw fail("stat", path)
    }
    return convert(s)
  }

  public func rename(_ from: String, to: String) throws(FileSystemError) {
    if Glibc.rename(from, to) != 0 { throw fail("rename", from) }
  }

  public func link(_ from: String, to: String) throws(FileSystemError) {
    if Glibc.link(from, to) != 0 { throw fail("link", to) }
  }

  public func remove(_ path: String) throws(FileSystemError) {
    if unlink(path) != 0 { throw fail("unlink", path) }
  }

  public func makeDirectory(_ path: String, permissions: UInt32) throws(FileSystemError) {
    if mkdir(path, mode_t(permissions & 0o700)) != 0 { throw fail("mkdir", path) }
    if chmod(path, mode_t(permissions)) != 0 { throw fail("chmod", path) }
  }

  public func syncDirectory(_ path: String) throws(FileSystemError) {
    let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw fail("open", path) }
    defer { Glibc.close(fd) }
    if fsync(fd) != 0 { throw fail("fsync", path) }
  }

  public func lock(_ fd: FileDescriptor, exclusive: Bool) throws(FileSystemError) {
    while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
      if errno == EINTR { continue }
      throw fail("flock", name(fd))
    }
  }

  public func unlock(_ fd: FileDescriptor) {
    _ = flock(fd, LOCK_UN)
  }

  public var currentUser: UInt32 { UInt32(geteuid()) }

  public var creationMask: UInt32 { Self.processUmask() }

  public func createUnnamed(inDirectory directory: String, permissions: UInt32)
    throws(FileSystemError) -> FileDescriptor?
  {
    #if os(Linux)
      // O_TMPFILE is `__O_TMPFILE | O_DIRECTORY`; Glibc's module does not export the macro.
      let tmpfile: Int32 = 0o20_000_000 | O_DIRECTORY
      let fd = Glibc.open(directory, tmpfile | O_RDWR | O_CLOEXEC, mode_t(permissions & 0o600))
      if fd < 0 {
        // A file system without O_TMPFILE: the caller falls back to a named temporary file.
        if [EOPNOTSUPP, EISDIR, EINVAL].contains(errno) { return nil }
        throw fail("open", directory)
      }
      if fchmod(fd, mode_t(permissions)) != 0 {
        let e = fail("fchmod", directory)
        Glibc.close(fd)
        throw e
      }
      paths[fd] = directory + "/(unnamed)"
      return fd
    #else
      return nil
    #endif
  }

  public func linkUnnamed(_ fd: FileDescriptor, to path: String) throws(FileSystemError) {
    // Through /proc: linkat with AT_EMPTY_PATH would need a capability.
    if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) != 0 {
      throw fail("linkat", path)
    }
  }

  /// The umask, read from `/proc/self/status` where it is shown (no change to the process),
  /// else by setting and restoring it.
  static func processUmask() -> UInt32 {
    if let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
      for line in text.split(separator: "\n") where line.hasPrefix("Umask:") {
        let value = line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces)
        if let mask = UInt32(value, radix: 8) { return mask & 0o777 }
      }
    }
    let mask = umask(0o022)
    umask(mask)
    return UInt32(mask) & 0o777
  }
}
