import Foundation

/// The writer id stamped on every record: one stable random id per user and machine.
public enum WriterIdentity {
  /// The environment variable that overrides the writer id.
  public static let environmentKey = "LEARNLOG_WRITER"

  /// Whether `id` is 1–64 bytes of letters, digits, `.`, `_` or `-`.
  public static func isValid(_ id: String) -> Bool {
    !id.isEmpty && id.utf8.count <= 64
      && id.utf8.allSatisfy { b in
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
          || b == 0x2E || b == 0x5F || b == 0x2D
      }
  }

  /// Where the writer id is kept: `$XDG_CONFIG_HOME/learnlog/writer-id` or `~/.config/...`.
  public static func filePath(environment: [String: String]) -> String {
    let config: String
    if let x = environment["XDG_CONFIG_HOME"], x.hasPrefix("/") {
      config = x
    } else {
      config = PathName.join(environment["HOME"] ?? "/tmp", ".config")
    }
    return PathName.join(PathName.join(config, "learnlog"), "writer-id")
  }

  /// The writer id: `$LEARNLOG_WRITER`, else the kept one, else a new one kept atomically.
  public static func resolve(environment: [String: String], fileSystem: any FileSystem)
    throws(StoreError) -> String
  {
    if let w = environment[environmentKey] {
      guard isValid(w) else {
        throw StoreError.invalidDraft(
          "\(environmentKey) must be 1-64 letters, digits, '.', '_' or '-'")
      }
      return w
    }
    let path = filePath(environment: environment)
    do {
      return try keptID(path: path, fileSystem: fileSystem)
    } catch let e as StoreError {
      throw e
    } catch let e as FileSystemError {
      throw StoreError.io(e.description)
    } catch {
      throw StoreError.io("\(error)")
    }
  }

  static func keptID(path: String, fileSystem: any FileSystem) throws -> String {
    if let existing = try readID(path, fileSystem) { return existing }
    let dir = PathName.directory(of: path)
    try fileSystem.makeDirectories(dir, permissions: 0o755)
    var rng = SystemRandomNumberGenerator()
    let hex = Array("0123456789abcdef".utf8)
    let id = String(decoding: (0..<16).map { _ in hex[Int(rng.next() & 0xF)] }, as: UTF8.self)
    let temp = "\(path).\(rng.next() & 0xFFFF_FFFF).tmp"
    let fd = try fileSystem.createExclusive(temp, permissions: 0o644)
    defer { fileSystem.close(fd) }
    try fileSystem.writeAll(fd, Array((id + "\n").utf8), offset: 0, path: temp)
    try fileSystem.sync(fd)
    // `link` never replaces: if another process won the race, its id is the one kept.
    var linkError: FileSystemError?
    do {
      try fileSystem.link(temp, to: path)
    } catch {
      linkError = error
    }
    if let linkError, linkError.code != EEXIST { throw linkError }
    try? fileSystem.remove(temp)
    try fileSystem.syncDirectory(dir)
    if let kept = try readID(path, fileSystem) { return kept }
    throw StoreError.io("\(path) does not hold a valid writer id; delete it to make a new one")
  }

  static func readID(_ path: String, _ fs: any FileSystem) throws -> String? {
    guard try fs.status(path: path) != nil else { return nil }
    let fd = try fs.open(path, readOnly: true)
    defer { fs.close(fd) }
    let text = String(decoding: try fs.readAll(fd), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard isValid(text) else {
      throw StoreError.io("\(path) does not hold a valid writer id; delete it to make a new one")
    }
    return text
  }
}
