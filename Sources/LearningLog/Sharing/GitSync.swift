import Foundation

/// What ``GitSync/run(logPath:git:environment:)`` did.
public struct SyncReport: Sendable, Equatable {
  /// The top of the repository.
  public var repository: String
  /// The remote and the branch on it.
  public var remote: String
  /// The branch on the remote.
  public var remoteBranch: String
  /// The commit message, when a commit was made.
  public var commitMessage: String?
  /// The files committed (top-relative).
  public var committedFiles: [String]
  /// The events in the commit that HEAD's log did not have.
  public var committedEvents: EventSummary
  /// Whether the remote branch existed (so there was something to pull).
  public var pulled: Bool
  /// Records the pull brought in.
  public var pulledRecords: Int
  /// Whether the push sent anything.
  public var pushed: Bool

  /// One line per step, for the command line.
  public var lines: [String] {
    var out: [String] = []
    if let commitMessage {
      out.append("committed \(committedFiles.joined(separator: ", ")): \(commitMessage)")
    } else {
      out.append("nothing new to commit")
    }
    if !pulled {
      out.append("\(remote)/\(remoteBranch) does not exist yet: nothing to pull")
    } else if pulledRecords > 0 {
      out.append(
        "pulled \(pulledRecords) new record\(pulledRecords == 1 ? "" : "s") from "
          + "\(remote)/\(remoteBranch)")
    } else {
      out.append("no new records from \(remote)/\(remoteBranch)")
    }
    out.append(
      pushed ? "pushed to \(remote)/\(remoteBranch)" : "\(remote)/\(remoteBranch) is up to date")
    return out
  }
}

/// `learnlog sync`: commit the log, pull with a merge, push.
public enum GitSync {
  /// Commits the log (and `.gitattributes`/`.gitignore` when they changed), pulls with a
  /// merge, checks the merged log, and pushes.
  ///
  /// Holds the log's exclusive lock while git reads or replaces the file, so no append is
  /// cut in half or lost. Commits nothing but those three files (other staged changes stay
  /// staged), refuses a log with private records, and refuses to run when the private notes
  /// directory is visible to git. Any git error stops it with a ``SharingError``.
  public static func run(logPath: String, git: GitRunner, environment: [String: String])
    throws(SharingError) -> SyncReport
  {
    try refuseNonRegular(logPath)
    guard FileManager.default.fileExists(atPath: logPath) else {
      throw SharingError.log(.notFound(path: logPath))
    }
    let repo = try GitRepository.locate(logPath: logPath, git: git)
    try checkPrivacy(repo, environment: environment)
    let rel = repo.logRelativePath
    if try repo.run(["check-ignore", "-q", "--no-index", "--", rel]).succeeded {
      throw SharingError.logIgnored(path: logPath)
    }
    let branchResult = try repo.run(["symbolic-ref", "--quiet", "--short", "HEAD"])
    guard branchResult.succeeded, !branchResult.text.isEmpty else {
      throw SharingError.detachedHead(repository: repo.root)
    }
    let branch = branchResult.text
    try checkNothingInProgress(repo)
    let (remote, remoteBranch, hasUpstream) = try target(repo, branch: branch)

    let privateDir = GitRepository.realPath(PrivateStore.defaultDirectory(environment: environment))
    let lock = try Lock(path: logPath + ".lock")
    var report = SyncReport(
      repository: repo.root, remote: remote, remoteBranch: remoteBranch, commitMessage: nil,
      committedFiles: [], committedEvents: EventSummary(), pulled: false, pulledRecords: 0,
      pushed: false)
    do {
      try lock.lock()
      defer { lock.unlock() }
      let before: [Record]
      do {
        before = try readLog(logPath)
      } catch .log(let e) where isDamage(e) {
        // A damaged log is never committed, so never pushed.
        throw SharingError.damagedNotShared(e, afterPull: false)
      }
      try commit(repo, log: before, privateDirectory: privateDir, report: &report)

      let exists = try repo.run(
        ["ls-remote", "--exit-code", "--heads", remote, "refs/heads/\(remoteBranch)"])
      if exists.status == 2 {
        report.pulled = false
      } else if !exists.succeeded {
        throw SharingError.gitFailed(command: "git ls-remote", reason: exists.summary)
      } else {
        report.pulled = true
        let pull = try repo.run(["pull", "--no-rebase", "--no-edit", remote, remoteBranch])
        if !pull.succeeded {
          let unmerged = try repo.run(["diff", "--name-only", "--diff-filter=U"]).text
            .split(separator: "\n").map(String.init)
          if !unmerged.isEmpty {
            throw SharingError.mergeConflict(repository: repo.root, files: unmerged)
          }
          throw SharingError.gitFailed(command: "git pull", reason: pull.summary)
        }
        let after: [Record]
        do {
          after = try readLog(logPath)
        } catch .log(let e) where isDamage(e) {
          throw SharingError.damagedNotShared(e, afterPull: true)
        }
        let known = Set(before.map(\.id))
        report.pulledRecords = Set(after.map(\.id)).subtracting(known).count
      }
    }

    var push = ["push", "--porcelain"]
    if !hasUpstream { push.append("--set-upstream") }
    push += [remote, "refs/heads/\(branch):refs/heads/\(remoteBranch)"]
    let pushed = try repo.run(push)
    let statusLines = pushed.text.split(separator: "\n").filter {
      $0.hasPrefix("!") || $0.hasPrefix("=") || $0.hasPrefix(" ") || $0.hasPrefix("*")
        || $0.hasPrefix("+") || $0.hasPrefix("-")
    }
    if !pushed.succeeded {
      if let rejected = statusLines.first(where: { $0.hasPrefix("!") }) {
        let reason = rejected.split(separator: "\t").last.map(String.init) ?? "rejected"
        throw SharingError.pushRejected(remote: remote, branch: remoteBranch, reason: reason)
      }
      throw SharingError.gitFailed(command: "git push", reason: pushed.summary)
    }
    report.pushed = !statusLines.allSatisfy { $0.hasPrefix("=") }
    return report
  }

  /// Whether `e` is damage `repair` fixes (a bad line, conflict markers).
  static func isDamage(_ e: StoreError) -> Bool {
    switch e {
    case .damaged, .conflictMarkers: return true
    default: return false
    }
  }

  /// Refuses a log path that names a directory, a device, a FIFO or a socket.
  static func refuseNonRegular(_ path: String) throws(SharingError) {
    var s = stat()
    if stat(path, &s) == 0, FileKind(mode: UInt32(s.st_mode)) != .regular {
      throw SharingError.log(.notRegularFile(path: path, kind: FileKind(mode: UInt32(s.st_mode))))
    }
  }

  /// Reads and validates the log; a damaged one, or one with conflict markers, is refused.
  static func readLog(_ path: String) throws(SharingError) -> [Record] {
    let inspection: LogInspection
    do {
      inspection = try LogStore.inspect(path: path)
    } catch {
      throw SharingError.log(error)
    }
    if let v = inspection.newerFormat {
      throw SharingError.log(.unsupportedVersion(path: path, version: v))
    }
    do {
      try LogStore.refuseDamage(inspection.damaged, inspection.conflictMarkers, path: path)
    } catch {
      throw SharingError.log(error)
    }
    if let tail = inspection.tornTail {
      throw SharingError.log(
        .damaged(
          path: path, line: inspection.validCount + 2, offset: tail.lowerBound,
          reason: "the last line is incomplete (an interrupted write); open the log with "
            + "learnlog once to cut it", moreLines: 0))
    }
    for (i, r) in inspection.records.enumerated() where EventType.privateOnly.contains(r.type) {
      throw SharingError.privateRecordInLog(path: path, type: r.type, line: i + 2)
    }
    return inspection.records
  }

  /// Commits the log and the set-up files when they differ from HEAD.
  static func commit(
    _ repo: GitRepository, log: [Record], privateDirectory: String, report: inout SyncReport
  ) throws(SharingError) {
    let candidates = [repo.logRelativePath, ".gitattributes", ".gitignore"]
    let status = try repo.check(
      ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"] + candidates)
    var changed: [String] = []
    for entry in status.output.split(separator: 0) where entry.count > 3 {
      let path = String(decoding: entry.dropFirst(3), as: UTF8.self)
      if candidates.contains(path) && !changed.contains(path) { changed.append(path) }
    }
    if changed.isEmpty { return }
    for path in changed {
      // Never commit anything that lives among the private notes.
      let full = GitRepository.realPath(PathName.join(repo.root, path))
      if full == privateDirectory || full.hasPrefix(privateDirectory + "/") {
        throw SharingError.privateInRepository(path: full, repository: repo.root)
      }
    }
    let head = try repo.run(["cat-file", "blob", "HEAD:\(repo.logRelativePath)"])
    var known = Set<EventID>()
    if head.succeeded {
      known = Set(
        LogScanner.inspect(Array(head.output), path: repo.logRelativePath).records.map(\.id))
    }
    var seen = Set<EventID>()
    let fresh = log.filter { !known.contains($0.id) && seen.insert($0.id).inserted }
    let summary = EventSummary(fresh)
    try repo.check(["add", "--"] + changed)
    try repo.check(["commit", "--quiet", "-m", summary.commitMessage, "--"] + changed)
    report.commitMessage = summary.commitMessage
    report.committedFiles = changed
    report.committedEvents = summary
  }

  /// The remote and the branch on it to sync with, and whether an upstream is configured.
  static func target(_ repo: GitRepository, branch: String) throws(SharingError)
    -> (String, String, Bool)
  {
    let configured = try repo.run(["config", "--get", "branch.\(branch).remote"])
    let merge = try repo.run(["config", "--get", "branch.\(branch).merge"])
    let remotes = try repo.check(["remote"]).text.split(separator: "\n").map(String.init)
    var remote = configured.succeeded ? configured.text : ""
    if remote.isEmpty || remote == "." || !remotes.contains(remote) {
      if remotes.contains("origin") {
        remote = "origin"
      } else if remotes.count == 1, let only = remotes.first {
        remote = only
      } else {
        throw SharingError.noRemote(repository: repo.root)
      }
    }
    var remoteBranch = branch
    let mergeRef = merge.succeeded ? merge.text : ""
    if mergeRef.hasPrefix("refs/heads/") { remoteBranch = String(mergeRef.dropFirst(11)) }
    return (remote, remoteBranch, configured.succeeded && merge.succeeded)
  }

  /// Refuses to run while a merge, rebase, cherry-pick or revert is unfinished.
  static func checkNothingInProgress(_ repo: GitRepository) throws(SharingError) {
    let gitDir = try repo.check(["rev-parse", "--absolute-git-dir"]).text
    let markers = [
      ("MERGE_HEAD", "merge"), ("rebase-merge", "rebase"), ("rebase-apply", "rebase"),
      ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert"),
    ]
    for (file, op) in markers
    where FileManager.default.fileExists(atPath: PathName.join(gitDir, file)) {
      throw SharingError.operationInProgress(repository: repo.root, operation: op)
    }
  }

  /// Refuses when the private notes directory lies in the working tree and git sees it.
  static func checkPrivacy(_ repo: GitRepository, environment: [String: String])
    throws(SharingError)
  {
    let privateDir = PrivateStore.defaultDirectory(environment: environment)
    let notes = PathName.join(privateDir, "notes.jsonl")
    guard let inside = repo.relativeInside(notes) else { return }
    let ignored = try repo.run(["check-ignore", "-q", "--no-index", "--", inside])
    if !ignored.succeeded {
      throw SharingError.privateInRepository(path: privateDir, repository: repo.root)
    }
  }
}

/// An exclusive `flock` on the log's lock file, the one every append takes.
final class Lock {
  let fs = RealFileSystem()
  let fd: FileDescriptor
  let path: String

  init(path: String) throws(SharingError) {
    self.path = path
    do {
      fd = try fs.openLockFile(path, permissions: 0o644)
    } catch {
      throw SharingError.file(path: path, reason: error.description)
    }
  }

  func lock() throws(SharingError) {
    do {
      try fs.lock(fd, exclusive: true)
    } catch {
      throw SharingError.file(path: path, reason: error.description)
    }
  }

  func unlock() { fs.unlock(fd) }

  deinit { fs.close(fd) }
}
