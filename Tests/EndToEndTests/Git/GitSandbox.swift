import Foundation
import LearningLog
import Testing

/// A temporary directory with a bare remote and clones, git isolated from the machine's config.
final class GitSandbox {
  let root: String
  let remote: String
  let git: GitRunner
  var env: [String: String]

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    root = PathName.join(base, "learnlog-git-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let config = PathName.join(root, "gitconfig")
    _ = FileManager.default.createFile(atPath: config, contents: Data())
    env = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": root, "GIT_CONFIG_GLOBAL": config, "GIT_CONFIG_NOSYSTEM": "1",
      "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
      "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
      "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C",
      "XDG_DATA_HOME": PathName.join(root, "data"),
      "XDG_CONFIG_HOME": PathName.join(root, "config"),
    ]
    let g = try #require(GitRunner(environment: env))
    git = g
    remote = PathName.join(root, "remote.git")
    try run(["init", "--quiet", "--bare", "--initial-branch=main", remote], in: root)
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// Runs git in `dir` and requires success.
  @discardableResult
  func run(_ args: [String], in dir: String, sourceLocation: SourceLocation = #_sourceLocation)
    throws -> GitResult
  {
    let r = try git.run(args, in: dir)
    #expect(
      r.succeeded, "git \(args.joined(separator: " ")) failed: \(r.summary)",
      sourceLocation: sourceLocation)
    if !r.succeeded { throw SandboxError.git(args.joined(separator: " "), r.summary) }
    return r
  }

  /// A new clone of the remote named `name`, whose user writes as `writer`.
  func clone(_ name: String, writer: String) throws -> Clone {
    let dir = PathName.join(root, name)
    try run(["clone", "--quiet", remote, dir], in: root)
    var e = env
    e["XDG_DATA_HOME"] = PathName.join(root, "\(name)-home/data")
    e["XDG_CONFIG_HOME"] = PathName.join(root, "\(name)-home/config")
    e["HOME"] = PathName.join(root, "\(name)-home")
    return Clone(sandbox: self, dir: dir, writer: writer, env: e)
  }
}

enum SandboxError: Error { case git(String, String) }

/// One clone: its log, its writer, its private notes outside the repository.
final class Clone {
  let sandbox: GitSandbox
  let dir: String
  let writer: String
  let env: [String: String]
  /// Every record this clone wrote to the shared log.
  var written: [Record] = []
  /// A fixed wall clock (ms) when set; the system clock otherwise.
  var wallClock: Int64?

  init(sandbox: GitSandbox, dir: String, writer: String, env: [String: String]) {
    self.sandbox = sandbox
    self.dir = dir
    self.writer = writer
    self.env = env
  }

  var logPath: String { PathName.join(dir, ".learnlog/log.jsonl") }
  var git: GitRunner { GitRunner(executable: sandbox.git.executable, environment: env) }

  @discardableResult
  func run(_ args: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
    -> GitResult
  {
    let r = try git.run(args, in: dir)
    #expect(
      r.succeeded, "git \(args.joined(separator: " ")) in \(dir) failed: \(r.summary)",
      sourceLocation: sourceLocation)
    if !r.succeeded { throw SandboxError.git(args.joined(separator: " "), r.summary) }
    return r
  }

  func openStore() throws -> LogStore {
    let store = try LogStore.open(path: logPath)
    store.writerID = writer
    if let wallClock { store.wallClock = { wallClock } }
    return store
  }

  /// Plans `command` against the fresh state and appends it; private drafts go to the private file.
  @discardableResult
  func perform(_ command: Command) throws -> Plan {
    let store = try openStore()
    var plan = Plan()
    let now = wallClock ?? HybridClock.wallMilliseconds()
    let context = CommandContext(today: Day(utcMilliseconds: now), now: now)
    let records = try store.append { _ in
      let p = try LearningState.replay(store.records).plan(command, context: context)
      plan = p
      return p.shared
    }
    written += records
    if !plan.private.isEmpty {
      let notes = PrivateStore(directory: PrivateStore.defaultDirectory(environment: env))
      notes.writerID = writer
      for d in plan.private { try notes.append(d) }
    }
    return plan
  }

  /// The state replayed from this clone's log.
  func state() throws -> LearningState { LearningState.replay(try openStore().records) }

  /// What `git add -A; git commit; git pull --no-rebase --no-edit; git push` does for a user.
  func userSync() throws {
    try run(["add", "-A"])
    if !(try git.run(["diff", "--cached", "--quiet"], in: dir)).succeeded {
      try run(["commit", "--quiet", "-m", "notes from \(writer)"])
    }
    try run(["pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main"])
    try run(["push", "--quiet", "origin", "HEAD:main"])
  }
}
