import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An unsaved form kept on disk so it survives a crash or a killed terminal.
public struct FormDraft: Sendable, Hashable, Codable {
  /// Which form it belongs to: the form kind and its entity ("add-action-<incident id>").
  public var key: String
  /// The field values by field id.
  public var values: [String: String]

  /// A draft of `values` for the form `key`.
  public init(key: String, values: [String: String]) {
    self.key = key
    self.values = values
  }
}

/// Where drafts live: one small JSON file per form, mode 0600, written to a temporary file,
/// flushed and renamed so a crash leaves either the old draft or the new one.
public struct DraftStore: Sendable {
  /// The directory holding the drafts.
  public var directory: URL

  /// A store in `directory` (created on first save).
  public init(directory: URL) { self.directory = directory }

  /// The standard place: `$XDG_STATE_HOME/learnlog/drafts/`, else `~/.local/state/learnlog/drafts/`.
  ///
  /// A relative `$XDG_STATE_HOME` is ignored, as the XDG specification asks (and as the data,
  /// config and cache directories are), so drafts never land below the working directory.
  public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> DraftStore
  {
    let base: URL
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      base = URL(fileURLWithPath: state)
    } else {
      let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
      base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
    }
    return DraftStore(directory: base.appendingPathComponent("learnlog/drafts"))
  }

  func url(for key: String) -> URL {
    let safe = String(
      key.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    return directory.appendingPathComponent(safe + ".json")
  }

  /// The bytes `draft` is kept as.
  public func encoded(_ draft: FormDraft) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return [UInt8](try encoder.encode(draft))
  }

  /// The file a draft of form `key` is kept in.
  public func path(for key: String) -> String { url(for: key).path }

  /// Creates the directory (mode 0700) if it is missing.
  public func prepareDirectory() throws {
    try FileManager.default.createDirectory(
      at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
  }

  /// Writes `draft`, replacing any earlier draft of the same form.
  public func save(_ draft: FormDraft) throws {
    try store(encoded(draft), key: draft.key)
  }

  /// Writes the encoded draft `bytes` of form `key`: a temporary file, flushed, then renamed.
  public func store(_ bytes: [UInt8], key: String) throws {
    try prepareDirectory()
    let target = url(for: key)
    let temp = directory.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
    let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { throw DraftError("cannot write draft \(temp.path): \(errnoText())") }
    var ok = true
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count, let base = raw.baseAddress {
        let n = write(fd, base + offset, raw.count - offset)
        if n <= 0 {
          ok = false
          return
        }
        offset += n
      }
    }
    if ok { ok = fsync(fd) == 0 }
    close(fd)
    guard ok, rename(temp.path, target.path) == 0 else {
      let message = errnoText()
      unlink(temp.path)
      throw DraftError("cannot write draft \(target.path): \(message)")
    }
  }

  /// The draft of form `key`, if one is kept and readable.
  public func load(_ key: String) -> FormDraft? {
    guard let data = try? Data(contentsOf: url(for: key)) else { return nil }
    return try? JSONDecoder().decode(FormDraft.self, from: data)
  }

  /// Every readable draft, by key; unreadable files are left alone.
  ///
  /// Temporary files left by a process killed in the middle of a write (its pid gone) are
  /// removed: the draft they were replacing is still there.
  public func all() -> [FormDraft] {
    let names =
      (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
      let parts = name.split(separator: ".")
      let pid = parts.count >= 2 ? pid_t(parts[parts.count - 2]) : nil
      if let pid, pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
      unlink(directory.appendingPathComponent(name).path)
    }
    return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap {
      name in
      guard let data = try? Data(contentsOf: directory.appendingPathComponent(name)) else {
        return nil
      }
      return try? JSONDecoder().decode(FormDraft.self, from: data)
    }
  }

  /// Forgets the draft of form `key` (no error when there is none).
  public func discard(_ key: String) throws {
    let target = url(for: key)
    guard FileManager.default.fileExists(atPath: target.path) else { return }
    try FileManager.default.removeItem(at: target)
  }
}

/// A draft could not be written or removed.
public struct DraftError: Error, CustomStringConvertible, Sendable {
  /// One line saying what failed.
  public var description: String
  init(_ description: String) { self.description = description }
}

func errnoText() -> String { String(cString: strerror(errno)) }
