/// Everything that can go wrong with a log, as one-line messages (the CLI adds `error:`).
public enum StoreError: Error, CustomStringConvertible, Equatable, Sendable {
  /// No log at `path`.
  case notFound(path: String)
  /// `create` found a file already at `path`.
  case alreadyExists(path: String)
  /// The file was written by a newer learnlog.
  case unsupportedVersion(path: String, version: Int)
  /// A line fails its checksum or schema (or the header is bad).
  case damaged(path: String, line: Int, offset: Int, reason: String, moreLines: Int)
  /// A line of the private notes file fails its checksum or schema.
  case damagedPrivate(path: String, line: Int, offset: Int, reason: String, moreLines: Int)
  /// A git conflict marker is in the file.
  case conflictMarkers(path: String, line: Int, offset: Int, count: Int)
  /// The store was opened read-only.
  case readOnly(path: String)
  /// A write or sync failed earlier (`reason`); nothing more is written in this session.
  case sessionReadOnly(path: String, reason: String)
  /// The log could only be opened for reading (its mode, owner or mount): writes are refused.
  case notWritable(path: String, reason: String)
  /// `path` is a directory, a device, a FIFO or a socket, never a log or a file to write.
  case notRegularFile(path: String, kind: FileKind)
  /// A command was asked to write over a file learnlog keeps (the log, its lock, the private
  /// notes, the snapshot cache).
  case protectedFile(path: String, what: String)
  /// A file to write whose directory does not exist (or is not a directory).
  case noDirectory(path: String, directory: String)
  /// A write failed; the file was cut back to its previous size.
  case writeFailed(path: String, reason: String)
  /// A sync failed: the records were not saved.
  case syncFailed(path: String, reason: String)
  /// A draft cannot be written (over a bound, not an object, NaN…).
  case invalidDraft(String)
  /// A private file or directory is readable by others or owned by someone else.
  case notPrivate(path: String, reason: String)
  /// Any other failed file-system call.
  case io(String)

  public var description: String {
    switch self {
    case .notFound(let path):
      return "no log at \(path); create one with `learnlog init` or pass --file"
    case .alreadyExists(let path):
      return "\(path) already exists; open it instead of creating it"
    case .unsupportedVersion(let path, let version):
      return "\(path) uses log format \(version), newer than this learnlog reads (format "
        + "\(LogHeader.currentFormat)); upgrade learnlog"
    case .damaged(let path, let line, let offset, let reason, let more):
      let others = more > 0 ? " (and \(more) more damaged line\(more == 1 ? "" : "s"))" : ""
      return "\(path): line \(line) at byte \(offset) is damaged: \(reason)\(others); "
        + "run `learnlog repair` to write a repaired copy (the original is kept as a backup)"
    case .damagedPrivate(let path, let line, let offset, let reason, let more):
      let others = more > 0 ? " (and \(more) more damaged line\(more == 1 ? "" : "s"))" : ""
      return "your private notes file \(path): line \(line) at byte \(offset) is damaged: "
        + "\(reason)\(others); run `learnlog repair --private` to write a repaired copy (the "
        + "original is kept as a backup, damaged lines in a quarantine file)"
    case .conflictMarkers(let path, let line, let offset, let count):
      return "\(path): line \(line) at byte \(offset) is a git conflict marker (\(count) in the "
        + "file): it was merged without `merge=union` (run `learnlog git-setup` once); run "
        + "`learnlog repair` to drop the markers and keep the records of both sides"
    case .readOnly(let path):
      return "\(path) was opened read-only"
    case .sessionReadOnly(let path, let reason):
      return "\(path) is read-only for the rest of this session: an earlier write failed "
        + "(\(reason)); restart learnlog once the cause is fixed"
    case .notWritable(let path, let reason):
      return "cannot write to \(path) (\(reason)): it is open for reading only and nothing "
        + "was written; ask for write access to the file and its directory, or work on a copy"
    case .notRegularFile(let path, let kind):
      return "\(path) is \(kind.rawValue), not a regular file: learnlog reads its log from, "
        + "and writes files to, regular files only; give the path of a file"
    case .protectedFile(let path, let what):
      return "refusing to write to \(path): it is \(what); choose another output file"
    case .noDirectory(let path, let directory):
      return "cannot write \(path): the directory \(directory) does not exist; create it "
        + "(mkdir -p \(directory)) or choose a file in a directory that exists"
    case .writeFailed(let path, let reason):
      return "could not write to \(path) (\(reason)); nothing was saved and the log is unchanged"
    case .syncFailed(let path, let reason):
      return "could not save to \(path) (\(reason)); nothing was saved and the log is now "
        + "read-only for this session"
    case .invalidDraft(let reason):
      return "cannot write the record: \(reason)"
    case .notPrivate(let path, let reason):
      return "\(path) \(reason); private notes must be readable by you alone "
        + "(chmod 700 for the directory, 600 for files)"
    case .io(let text):
      return text
    }
  }
}
