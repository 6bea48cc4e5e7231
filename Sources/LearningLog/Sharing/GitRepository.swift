import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The git working tree that holds a log, and where the log sits in it.
public struct GitRepository: Sendable {
  /// The top of the working tree (`git rev-parse --show-toplevel`).
  public let root: String
  /// The log file, as given.
  public let logPath: String
  /// The log's path relative to `root`, with `/` separators.
  public let logRelativePath: String
  /// The runner every git command goes through.
  public let git: GitRunner

  /// Finds the repository holding `logPath` from the log's directory.
  public static func locate(logPath: String, git: GitRunner) throws(SharingError)
    -> GitRepository
  {
    let dir = PathName.directory(of: logPath)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
      throw SharingError.notInRepository(directory: dir)
    }
    let r = try git.run(["rev-parse", "--show-toplevel", "--show-prefix"], in: dir)
    let lines = String(decoding: r.output, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    guard r.succeeded, lines.count >= 2, !lines[0].isEmpty else {
      throw SharingError.notInRepository(directory: dir)
    }
    return GitRepository(
      root: String(lines[0]), logPath: logPath,
      logRelativePath: String(lines[1]) + PathName.lastComponent(of: logPath), git: git)
  }

  /// Runs git at the top of the working tree.
  func run(_ arguments: [String], input: Data? = nil) throws(SharingError) -> GitResult {
    try git.run(arguments, in: root, input: input)
  }

  /// Runs git and throws ``SharingError/gitFailed(command:reason:)`` when it fails.
  @discardableResult
  func check(_ arguments: [String]) throws(SharingError) -> GitResult {
    let r = try run(arguments)
    if !r.succeeded {
      throw SharingError.gitFailed(
        command: (["git"] + arguments.prefix(2)).joined(separator: " "), reason: r.summary)
    }
    return r
  }

  /// `path` (absolute) relative to `root` when it lies inside the working tree, else nil.
  ///
  /// Symbolic links are resolved on both sides, for the part of `path` that exists.
  func relativeInside(_ path: String) -> String? {
    let top = Self.realPath(root)
    let full = Self.realPath(path)
    if full == top { return "" }
    let prefix = top.hasSuffix("/") ? top : top + "/"
    return full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : nil
  }

  /// `path` with symbolic links resolved in its longest existing prefix.
  static func realPath(_ path: String) -> String {
    var head = path
    var rest: [String] = []
    while !head.isEmpty, head != "/" {
      if let p = realpath(head, nil) {
        defer { free(p) }
        let resolved = String(cString: p)
        return rest.reversed().reduce(resolved) { PathName.join($0, $1) }
      }
      rest.append(PathName.lastComponent(of: head))
      head = PathName.directory(of: head)
    }
    return path
  }

  /// Reads a file at the top of the working tree (nil when it is not there).
  func readTopFile(_ name: String) throws(SharingError) -> String? {
    let path = PathName.join(root, name)
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    // Never read (nor wait on) a FIFO or a device.
    var s = stat()
    if stat(path, &s) == 0, FileKind(mode: UInt32(s.st_mode)) != .regular {
      throw SharingError.log(.notRegularFile(path: path, kind: FileKind(mode: UInt32(s.st_mode))))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SharingError.file(path: path, reason: "cannot read it")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Replaces a file at the top of the working tree: a temporary file synced, then renamed.
  func writeTopFile(_ name: String, _ text: String) throws(SharingError) {
    let path = PathName.join(root, name)
    // The one rule for files a command writes: never the log, its lock, the private notes or
    // the cache (a `.gitattributes` linked to the log), never a directory or a device.
    do {
      try OutputTarget.check(
        path, protecting: ProtectedFiles.standard(logPath: logPath, environment: git.environment))
    } catch {
      throw SharingError.log(error)
    }
    let fs = RealFileSystem()
    var mode: UInt32 = 0o644
    do {
      if let st = try fs.status(path: path) { mode = st.permissions & 0o777 }
      var rng = SystemRandomNumberGenerator()
      let temp = PathName.join(root, ".\(name).\(rng.next() & 0xFFFF_FFFF).tmp")
      let fd = try fs.createExclusive(temp, permissions: mode)
      do {
        defer { fs.close(fd) }
        try fs.writeAll(fd, Array(text.utf8), offset: 0, path: temp)
        try fs.sync(fd)
        try fs.rename(temp, to: path)
      } catch {
        try? fs.remove(temp)
        throw error
      }
      try fs.syncDirectory(root)
    } catch {
      throw SharingError.file(path: path, reason: "\(error)")
    }
  }
}
