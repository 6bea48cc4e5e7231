import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// What one run of the `learnlog` binary did.
struct CLIResult {
  var status: Int32
  var stdout: String
  var stderr: String

  /// Standard output parsed as JSON.
  func json() throws -> Any {
    try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
  }
}

/// A temporary home for one test: its own HOME, XDG directories, writer id and log.
final class CLISandbox {
  let directory: String
  /// The log the commands use (`$LEARNLOG_FILE`) unless a test passes `--file`.
  let log: String
  var environment: [String: String]
  let binary: String

  init() throws {
    binary = try TestTools.binary("learnlog")
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-cli-\(UUID().uuidString)"
    ).path
    try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
    directory = base
    log = base + "/team/log.jsonl"
    environment = [
      "HOME": base + "/home", "XDG_DATA_HOME": base + "/home/data",
      "XDG_CONFIG_HOME": base + "/home/config", "LEARNLOG_WRITER": "cli-test",
      "LEARNLOG_FILE": log, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "LANG": "C.UTF-8",
    ]
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// The private notes file.
  var privateFile: String { directory + "/home/data/learnlog/private/notes.jsonl" }

  /// Runs `learnlog arguments` (or `program arguments`) with `stdin` (or /dev/null) in
  /// `currentDirectory`.
  @discardableResult
  func run(
    _ arguments: [String], stdin: String? = nil, currentDirectory: String? = nil,
    environment extra: [String: String?] = [:], program other: String? = nil
  ) throws -> CLIResult {
    let id = UUID().uuidString
    let out = directory + "/.out-\(id)"
    let err = directory + "/.err-\(id)"
    let input = directory + "/.in-\(id)"
    defer {
      for p in [out, err, input] { try? FileManager.default.removeItem(atPath: p) }
    }
    _ = FileManager.default.createFile(atPath: input, contents: Data((stdin ?? "").utf8))
    var env = environment
    for (k, v) in extra { env[k] = v }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // In another directory: through sh, `cd` then exec (portable, unlike addchdir_np).
    let target = other ?? binary
    let program = currentDirectory == nil ? target : "/bin/sh"
    let words =
      currentDirectory.map { ["sh", "-c", "cd \"$0\" && exec \"$@\"", $0, target] + arguments }
      ?? [target] + arguments
    let argv = words.map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
    try #require(spawned == 0, "could not start \(binary): \(spawned)")
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { break }
    }
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    func read(_ p: String) -> String {
      (try? String(contentsOfFile: p, encoding: .utf8)) ?? ""
    }
    return CLIResult(status: exitStatus, stdout: read(out), stderr: read(err))
  }

  /// Runs a command that must succeed; returns its standard output without the last newline.
  @discardableResult
  func ok(
    _ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws -> String
  {
    let r = try run(arguments, stdin: stdin)
    #expect(
      r.status == 0, "learnlog \(arguments.joined(separator: " ")) failed: \(r.stderr)",
      sourceLocation: sourceLocation)
    var s = r.stdout
    if s.hasSuffix("\n") { s.removeLast() }
    return s
  }

  /// The bytes of `path` (empty when missing).
  func bytes(_ path: String) -> Data {
    FileManager.default.contents(atPath: path) ?? Data()
  }

  /// Writes `text` to a file in the sandbox and returns its path.
  func file(_ name: String, _ text: String) -> String {
    let p = directory + "/" + name
    _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
    return p
  }

  /// Every line of the log parsed as a JSON object.
  func logLines(_ path: String? = nil) throws -> [[String: Any]] {
    let text = String(decoding: bytes(path ?? log), as: UTF8.self)
    #expect(text.hasSuffix("\n"))
    return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
      try #require(
        JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any],
        "a log line is not a JSON object: \($0)")
    }
  }
}

/// JSON helpers for tests.
extension Dictionary where Key == String, Value == Any {
  func string(_ key: String) -> String? { self[key] as? String }
  func array(_ key: String) -> [Any]? { self[key] as? [Any] }
}
