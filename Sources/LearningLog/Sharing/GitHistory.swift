import Foundation

/// What git history knows about a log's lines: where a record's original bytes are, and which
/// commit brought a line.
///
/// Used by `repair` to restore a damaged line (a hand edit, a bad merge) from the last version
/// of the log in history that holds a valid record with the same id, and by `check` to say
/// which commit brought a damaged line.
public final class GitHistory {
  /// The repository holding the log.
  public let repository: GitRepository
  /// Blobs of the log already read, by revision.
  private var blobs: [String: [UInt8]?] = [:]

  /// The history of the log at `logPath`, or nil when it is not in a git working tree or
  /// git has never seen it.
  public init?(logPath: String, git: GitRunner) {
    guard let repo = try? GitRepository.locate(logPath: logPath, git: git) else { return nil }
    let tracked = try? repo.run(["log", "--all", "-1", "--format=%H", "--", repo.logRelativePath])
    guard let tracked, tracked.succeeded, !tracked.text.isEmpty else { return nil }
    self.repository = repo
  }

  /// The history of the log at `logPath` through the git on `PATH`, or nil.
  public convenience init?(
    logPath: String, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    guard let git = GitRunner(environment: environment) else { return nil }
    self.init(logPath: logPath, git: git)
  }

  /// A valid record line with id `recordID` from the log's history, newest first, or nil.
  ///
  /// Looks at the commits (on every branch) that changed how often the id occurs in the log
  /// (`git log -S`), and at each one's parent: the commit that brought the record holds its
  /// original bytes, the one that edited it holds the original in its parent.
  public func original(of recordID: String) -> RecoveredLine? {
    let rel = repository.logRelativePath
    guard
      let commits = try? repository.run(
        ["log", "--all", "--format=%H", "-S\(recordID)", "--", rel]),
      commits.succeeded
    else { return nil }
    let needle = Array(recordID.utf8)
    for commit in commits.text.split(separator: "\n").map(String.init) {
      for rev in [commit, commit + "^"] {
        guard let blob = blob(rev, rel) else { continue }
        for line in blob.split(separator: 0x0A, omittingEmptySubsequences: true)
        where Self.contains(line, needle) {
          let bytes = Array(line)
          if LogStore.isRecord(bytes, id: recordID) {
            let short = rev.hasSuffix("^") ? String(rev.prefix(10)) + "^" : String(rev.prefix(10))
            return RecoveredLine(bytes: bytes, source: "commit \(short)")
          }
        }
      }
    }
    return nil
  }

  /// The commit that brought line `line` of the working-tree log (`git blame`): its short
  /// hash and subject, or nil when the line is not committed yet.
  public func commit(bringingLine line: Int) -> (hash: String, subject: String)? {
    guard
      let r = try? repository.run(
        ["blame", "--porcelain", "-L", "\(line),\(line)", "--", repository.logRelativePath]),
      r.succeeded
    else { return nil }
    let lines = r.text.split(separator: "\n")
    guard let first = lines.first, let hash = first.split(separator: " ").first,
      hash.count >= 7, hash.contains(where: { $0 != "0" })
    else { return nil }
    let subject =
      lines.first(where: { $0.hasPrefix("summary ") }).map { String($0.dropFirst(8)) } ?? ""
    return (String(hash.prefix(10)), subject)
  }

  private func blob(_ rev: String, _ rel: String) -> [UInt8]? {
    if let cached = blobs[rev] { return cached }
    let r = try? repository.run(["cat-file", "blob", "\(rev):\(rel)"])
    let bytes = r.flatMap { $0.succeeded ? Array($0.output) : nil }
    blobs[rev] = .some(bytes)
    return bytes
  }

  private static func contains(_ line: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
    guard line.count >= needle.count, let first = needle.first else { return false }
    var i = line.startIndex
    while i + needle.count <= line.endIndex {
      if line[i] == first && line[i..<i + needle.count].elementsEqual(needle) { return true }
      i += 1
    }
    return false
  }
}
