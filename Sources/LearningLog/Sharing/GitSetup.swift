import Foundation

/// What ``GitSetup/run(logPath:git:environment:mergeDriver:)`` did.
public struct GitSetupReport: Sendable, Equatable {
  /// The top of the repository.
  public var repository: String
  /// The log's path relative to it.
  public var logRelativePath: String
  /// Lines added to `.gitattributes` (empty when it was already set up).
  public var attributesAdded: [String]
  /// Lines added to `.gitignore`.
  public var ignoreAdded: [String]
  /// Whether a per-clone merge driver was configured (or was already).
  public var mergeDriverConfigured: Bool
  /// Whether anything changed.
  public var changed: Bool

  /// One line per thing done, for the command line.
  public var lines: [String] {
    if !changed {
      return [
        "already set up: \(logRelativePath) merges as a union of lines in \(repository)"
      ]
    }
    var out: [String] = []
    if !attributesAdded.isEmpty {
      out.append(
        ".gitattributes: added \(counted(attributesAdded.count, "line")) so \(logRelativePath) merges "
          + "as a union of lines")
    }
    if !ignoreAdded.isEmpty {
      out.append(
        ".gitignore: added \(counted(ignoreAdded.count, "line")) for the lock, backups, temporary files "
          + "and caches kept beside the log")
    }
    if mergeDriverConfigured {
      out.append("this clone only: merges of the log go through `learnlog merge-driver`")
    }
    out.append(
      "nothing was committed: commit .gitattributes and .gitignore (`learnlog sync` does it) "
        + "so every clone merges the log the same way")
    return out
  }
}

/// `learnlog git-setup`: makes the repository holding a log merge it as a union of lines.
public enum GitSetup {
  /// The comment that heads the lines git-setup adds.
  public static let marker = "# learnlog: the shared log merges as a union of its lines"
  /// The comment that heads the ignore lines git-setup adds.
  public static let ignoreMarker = "# learnlog: side files kept beside the log, never shared"
  /// The merge attributes of the log.
  public static let attributes = "merge=union text eol=lf"

  /// `.gitattributes` lines for the log at `relative` (top-relative, `/` separated).
  public static func attributeLines(logRelativePath relative: String) -> [String] {
    [
      "\(pattern(anchored: relative)) \(attributes)",
      "**/.learnlog/*.jsonl \(attributes)",
    ]
  }

  /// `.gitignore` lines for every side file the store keeps beside the log at `relative`.
  ///
  /// The lock (`<log>.lock`), the torn-tail and repair backups (`<log>.torn-<ms>.bak`,
  /// `<log>.<ms>.bak`), the temporary files of creation and repair (`.<log>.*.tmp`) and a
  /// cache directory beside the log.
  public static func ignoreLines(logRelativePath relative: String) -> [String] {
    let dir = PathName.directory(of: "/" + relative)
    let name = PathName.lastComponent(of: relative)
    let base = dir == "/" ? "" : dir
    return [
      pattern(anchored: "\(relative).lock"),
      pattern(anchored: "\(relative).*.bak", glob: true),
      pattern(anchored: "\(base.dropFirst())\(base.isEmpty ? "" : "/").\(name).*.tmp", glob: true),
      "**/.learnlog/*.lock",
      "**/.learnlog/*.bak",
      "**/.learnlog/*.tmp",
      "**/.learnlog/.cache/",
      // What `repair` sets aside (damaged lines, byte for byte) stays with the clone.
      pattern(anchored: "\(relative).*.quarantine", glob: true),
      "**/.learnlog/*.quarantine",
    ]
  }

  /// `text` in single quotes for a POSIX shell, each quote inside written `'\''` — scalar by
  /// scalar, so a quote followed by a combining mark (one Character with it) is closed too.
  public static func shellQuoted(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    out.append("'")
    for u in text.unicodeScalars {
      if u == "'" { out.append(contentsOf: "'\\''".unicodeScalars) } else { out.append(u) }
    }
    out.append("'")
    return String(out)
  }

  /// A pattern matching exactly `path` from the top (glob characters escaped unless `glob`).
  static func pattern(anchored path: String, glob: Bool = false) -> String {
    // Scalar by scalar throughout: a glob character, quote or backslash followed by a
    // combining mark is one Character, equal to none of them.
    var escaped = String.UnicodeScalarView()
    escaped.append("/")
    for u in path.unicodeScalars {
      if !glob && "*?[\\".unicodeScalars.contains(u) { escaped.append("\\") }
      escaped.append(u)
    }
    var p = String(escaped)
    if p.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" }) {
      // Quoted C-style, so spaces belong to the pattern.
      var quoted = String.UnicodeScalarView()
      quoted.append("\"")
      for u in p.unicodeScalars {
        if u == "\\" || u == "\"" { quoted.append("\\") }
        quoted.append(u)
      }
      quoted.append("\"")
      p = String(quoted)
    }
    return p
  }

  /// Writes `.gitattributes` and `.gitignore` at the top of the repository holding the log.
  ///
  /// Commits nothing. Only missing lines are appended, so a second run changes nothing.
  /// `mergeDriver`, when given (the command git runs, e.g. `'/usr/bin/learnlog' merge-driver`),
  /// also configures this clone alone (`.git/config` and `.git/info/attributes`) to merge the
  /// log with it; the committed attributes stay `merge=union`.
  public static func run(
    logPath: String, git: GitRunner, environment: [String: String], mergeDriver: String? = nil
  ) throws(SharingError) -> GitSetupReport {
    try GitSync.refuseNonRegular(logPath)
    let repo = try GitRepository.locate(logPath: logPath, git: git)
    // git itself would wait forever reading a FIFO named .gitignore: refuse it first.
    for name in [".gitattributes", ".gitignore"] {
      try GitSync.refuseNonRegular(PathName.join(repo.root, name))
    }
    let rel = repo.logRelativePath
    let ignoredLog = try repo.run(["check-ignore", "-q", "--no-index", "--", rel])
    if ignoredLog.succeeded { throw SharingError.logIgnored(path: logPath) }

    var ignore = ignoreLines(logRelativePath: rel)
    let privateDir = PrivateStore.defaultDirectory(environment: environment)
    if let inside = repo.relativeInside(privateDir), !inside.isEmpty {
      ignore.append(pattern(anchored: inside + "/"))
    }
    let attributesAdded = try appendMissing(
      repo, ".gitattributes", marker, attributeLines(logRelativePath: rel))
    let ignoreAdded = try appendMissing(repo, ".gitignore", ignoreMarker, ignore)

    var driver = false
    var driverChanged = false
    if let mergeDriver {
      driver = true
      driverChanged = try configureDriver(repo, command: mergeDriver)
    }

    let attr = try repo.check(["check-attr", "merge", "--", rel]).text
    if !attr.hasSuffix(": merge: union") && !(driver && attr.hasSuffix(": merge: learnlog")) {
      throw SharingError.file(
        path: PathName.join(repo.root, ".gitattributes"),
        reason: "another attributes file overrides it (`git check-attr merge -- \(rel)` says "
          + "'\(attr)'); make it say merge=union for the log")
    }
    return GitSetupReport(
      repository: repo.root, logRelativePath: rel, attributesAdded: attributesAdded,
      ignoreAdded: ignoreAdded, mergeDriverConfigured: driver,
      changed: !attributesAdded.isEmpty || !ignoreAdded.isEmpty || driverChanged)
  }

  /// Appends the lines of `wanted` that `name` lacks (under `header`); returns those added.
  static func appendMissing(
    _ repo: GitRepository, _ name: String, _ header: String, _ wanted: [String]
  ) throws(SharingError) -> [String] {
    let text = try repo.readTopFile(name) ?? ""
    let present = Set(
      text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
    var missing: [String] = []
    for line in wanted where !present.contains(line) && !missing.contains(line) {
      missing.append(line)
    }
    if missing.isEmpty { return [] }
    var out = text
    if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
    if !present.contains(header) {
      if !out.isEmpty { out += "\n" }
      out += header + "\n"
    }
    out += missing.map { $0 + "\n" }.joined()
    try repo.writeTopFile(name, out)
    return missing
  }

  /// Configures this clone's `learnlog` merge driver; returns whether anything changed.
  static func configureDriver(_ repo: GitRepository, command: String) throws(SharingError) -> Bool {
    var changed = false
    let want = [
      ("merge.learnlog.name", "learnlog: deduplicated union of log records"),
      ("merge.learnlog.driver", "\(command) %O %A %B"),
    ]
    for (key, value) in want {
      let current = try repo.run(["config", "--local", "--get", key])
      if current.succeeded && current.text == value { continue }
      try repo.check(["config", "--local", key, value])
      changed = true
    }
    let infoPath = try repo.check([
      "rev-parse", "--path-format=absolute", "--git-path", "info/attributes",
    ]).text
    let line = "\(pattern(anchored: repo.logRelativePath)) merge=learnlog"
    let existing =
      FileManager.default.contents(atPath: infoPath).map { String(decoding: $0, as: UTF8.self) }
      ?? ""
    if existing.split(whereSeparator: \.isNewline).contains(where: { $0 == line }) {
      return changed
    }
    var out = existing
    if !out.isEmpty && !out.hasSuffix("\n") { out += "\n" }
    out += line + "\n"
    do {
      try FileManager.default.createDirectory(
        atPath: PathName.directory(of: infoPath), withIntermediateDirectories: true)
      try Data(out.utf8).write(to: URL(fileURLWithPath: infoPath))
    } catch {
      throw SharingError.file(path: infoPath, reason: error.localizedDescription)
    }
    return true
  }
}
