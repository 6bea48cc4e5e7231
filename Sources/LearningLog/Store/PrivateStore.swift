#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Private notes: a log of their own in a directory only the user can read.
///
/// The directory is 0700 and every file 0600, created with `O_CREAT|O_EXCL` and the mode
/// set before the first byte, whatever the umask. A directory or file that others can
/// read or write, or that another user owns, is refused. Private records never go into
/// the shared log.
public final class PrivateStore {
  /// The private directory.
  public let directory: String
  /// The file holding the private notes.
  public var path: String { PathName.join(directory, "notes.jsonl") }
  /// The writer id for new notes (resolved by ``WriterIdentity`` when nil).
  public var writerID: String?
  let fileSystem: any FileSystem
  var store: LogStore?

  /// The default directory: `$XDG_DATA_HOME/learnlog/private` (`~/.local/share/...`).
  public static func defaultDirectory(environment: [String: String]) -> String {
    PathName.join(
      PathName.join(LogLocator.dataHome(environment: environment), "learnlog"), "private")
  }

  /// A private store in `directory` (created on first use).
  public init(directory: String, fileSystem: any FileSystem = RealFileSystem()) {
    self.directory = directory
    self.fileSystem = fileSystem
  }

  func check(_ path: String, directory: Bool) throws(StoreError) {
    let fs = fileSystem
    guard let st = try LogStore.wrap({ try fs.status(path: path) }) else {
      throw StoreError.notFound(path: path)
    }
    if st.isDirectory != directory {
      throw StoreError.notPrivate(
        path: path, reason: directory ? "is not a directory" : "is not a regular file")
    }
    if st.owner != fs.currentUser {
      throw StoreError.notPrivate(path: path, reason: "is owned by user \(st.owner), not you")
    }
    if st.permissions & 0o077 != 0 {
      let mode = String(st.permissions & 0o777, radix: 8)
      throw StoreError.notPrivate(path: path, reason: "has mode \(mode), open to others")
    }
  }

  func prepared() throws(StoreError) -> LogStore {
    if let store {
      try check(directory, directory: true)
      try check(path, directory: false)
      return store
    }
    let fs = fileSystem
    try LogStore.wrap {
      if try fs.status(path: directory) == nil {
        let parent = PathName.directory(of: directory)
        try fs.makeDirectories(parent, permissions: 0o755)
        try fs.makeDirectory(directory, permissions: 0o700)
        try fs.syncDirectory(parent)
      }
    }
    try check(directory, directory: true)
    let s: LogStore
    if (try LogStore.wrap { try fs.status(path: path) }) == nil {
      s = try LogStore.create(path: path, fileSystem: fs, permissions: 0o600)
    } else {
      try check(path, directory: false)
      do {
        s = try LogStore.open(path: path, fileSystem: fs, readOnly: false, permissions: 0o600)
      } catch .damaged(let p, let line, let offset, let reason, let more) {
        // The private file has its own repair: the shared log's would not touch it.
        throw StoreError.damagedPrivate(
          path: p, line: line, offset: offset, reason: reason, moreLines: more)
      }
    }
    try check(path, directory: false)
    s.writerID = writerID
    store = s
    return s
  }

  /// Appends one private note and returns it as written.
  @discardableResult
  public func append(_ draft: RecordDraft) throws -> Record {
    let s = try prepared()
    if let writerID { s.writerID = writerID }
    return try s.append(draft)
  }

  /// Every private note, in file order.
  public func records() throws -> [Record] {
    let s = try prepared()
    _ = try s.refresh()
    return s.records
  }
}
