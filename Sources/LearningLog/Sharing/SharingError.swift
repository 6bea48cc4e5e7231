/// Everything that stops `git-setup` or `sync`, as one-line messages (the CLI adds `error:`).
public enum SharingError: Error, CustomStringConvertible, Equatable, Sendable {
  /// `git` cannot be found or started.
  case gitUnavailable(String)
  /// The log's directory is not inside a git working tree.
  case notInRepository(directory: String)
  /// The repository has no remote to pull from and push to.
  case noRemote(repository: String)
  /// HEAD is not on a branch.
  case detachedHead(repository: String)
  /// A merge, rebase or cherry-pick was left unfinished.
  case operationInProgress(repository: String, operation: String)
  /// `git pull` stopped on conflicts in these files (paths relative to the repository).
  case mergeConflict(repository: String, files: [String])
  /// The remote refused the push.
  case pushRejected(remote: String, branch: String, reason: String)
  /// Any other failed git command.
  case gitFailed(command: String, reason: String)
  /// The log cannot be shared as it is (damaged, conflict markers, missing).
  case log(StoreError)
  /// The log is damaged: nothing was committed or pushed (`afterPull`: the pull brought it,
  /// and was merged, but nothing was pushed).
  case damagedNotShared(StoreError, afterPull: Bool)
  /// The log holds a record of a private type.
  case privateRecordInLog(path: String, type: String, line: Int)
  /// A file about to be committed is private, or the private notes are visible to git.
  case privateInRepository(path: String, repository: String)
  /// The log is ignored by git, so it cannot be committed.
  case logIgnored(path: String)
  /// Reading or writing `.gitattributes` or `.gitignore` failed.
  case file(path: String, reason: String)

  public var description: String {
    switch self {
    case .gitUnavailable(let why):
      return "git is not available (\(why)); install git and make sure it is on PATH"
    case .notInRepository(let dir):
      return "\(dir) is not inside a git repository; put the log in one (`git init`, or "
        + "`learnlog --file REPO/.learnlog/log.jsonl init`) and run `learnlog git-setup` there"
    case .noRemote(let repo):
      return "the repository \(repo) has no remote to sync with; add one with "
        + "`git remote add origin URL`"
    case .detachedHead(let repo):
      return "HEAD in \(repo) is not on a branch; check out a branch (`git switch main`) first"
    case .operationInProgress(let repo, let op):
      return "a \(op) is in progress in \(repo); finish it (`git \(op) --continue`) or abort it "
        + "(`git \(op) --abort`) first"
    case .mergeConflict(let repo, let files):
      let logHint =
        files.contains { $0.hasSuffix(".jsonl") }
        ? " (the log merged without `merge=union`: run `learnlog git-setup`, then "
          + "`learnlog repair` drops the conflict markers and keeps every record)" : ""
      return "git pull stopped on a merge conflict in \(files.joined(separator: ", ")) in "
        + "\(repo)\(logHint); resolve, `git add` and `git commit`, or `git merge --abort`"
    case .pushRejected(let remote, let branch, let reason):
      return "the push to \(remote)/\(branch) was rejected (\(reason)); someone pushed "
        + "meanwhile: run `learnlog sync` again"
    case .gitFailed(let command, let reason):
      return "`\(command)` failed: \(reason)"
    case .log(let e):
      return e.description
    case .damagedNotShared(let e, let afterPull):
      return e.description
        + (afterPull
          ? "; the pull brought this damage and nothing was pushed: repair, then run "
            + "`learnlog sync` again"
          : "; nothing was committed or pushed: repair, then run `learnlog sync` again")
    case .privateRecordInLog(let path, let type, let line):
      return "\(path): line \(line) is a private record (\(type)) in the shared log; it was "
        + "not committed; remove it with care before syncing"
    case .privateInRepository(let path, let repo):
      return "private notes at \(path) are inside the repository \(repo) and not ignored by "
        + "git; move them out (set XDG_DATA_HOME elsewhere) or add them to .gitignore"
    case .logIgnored(let path):
      return "\(path) is ignored by git (.gitignore), so it cannot be shared; remove the rule "
        + "that ignores it"
    case .file(let path, let reason):
      return "could not update \(path): \(reason)"
    }
  }
}
