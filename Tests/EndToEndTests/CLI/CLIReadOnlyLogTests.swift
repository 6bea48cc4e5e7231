import Foundation
import LearningLog
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A log that cannot be written (another user's 0444 file, a read-only mount) opens read-only:
/// every read command works, every write is refused with one clear line, nothing changes.
@Suite("read-only logs, real binary")
struct CLIReadOnlyLogTests {
  /// Whether tests can run the binary as the unprivileged user `nobody` (root and setpriv).
  static let canDropToNobody: Bool =
    geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

  /// Whether a private mount namespace with a read-only bind mount can be made here.
  static let canMountReadOnly: Bool = {
    guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
      return false
    }
    return (try? spawn(["/usr/bin/unshare", "-m", "/bin/true"], environment: [:]).status) == 0
  }()

  /// Runs `argv` with `environment`; its status, standard output and error.
  static func spawn(_ argv: [String], environment: [String: String]) throws -> CLIResult {
    let base = FileManager.default.temporaryDirectory.path + "/learnlog-ro-\(UUID().uuidString)"
    let out = base + ".out"
    let err = base + ".err"
    defer {
      try? FileManager.default.removeItem(atPath: out)
      try? FileManager.default.removeItem(atPath: err)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let cargv = argv.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      cargv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, cargv, envp)
    try #require(spawned == 0, "could not start \(argv[0]): \(spawned)")
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { break }
    }
    let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    func read(_ p: String) -> String { (try? String(contentsOfFile: p, encoding: .utf8)) ?? "" }
    return CLIResult(status: code, stdout: read(out), stderr: read(err))
  }

  /// The read commands: each must succeed on a read-only log.
  static func reads(_ incident: String) -> [[String]] {
    [
      ["incident", "list"], ["incident", "show", incident], ["action", "list"],
      ["lesson", "list"], ["patterns"], ["today"], ["stats"], ["check"],
      ["export", "--format", "json"], ["export", "--format", "csv"],
      ["export", "--format", "markdown"], ["incident", "list", "--json"],
    ]
  }

  /// Writes: each must be refused with one line naming the log, the log unchanged.
  static func writes(_ incident: String) -> [[String]] {
    [
      ["incident", "add", "--title", "t"],
      ["action", "add", incident, "--title", "t", "--owner", "o", "--due", "2026-12-31"],
      ["lesson", "add", "--text", "t"], ["demo", "--force"],
    ]
  }

  /// Runs every read and write command through `wrap` on the sandbox's log and checks them.
  static func exercise(
    _ cli: CLISandbox, environment: [String: String], wrap: ([String]) -> [String],
    reason: String
  ) throws -> (reads: Int, writes: Int) {
    let incident =
      try #require(
        try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]]
      ).first?["id"] as? String ?? "x"
    let before = cli.bytes(cli.log)
    var env = environment
    env["LEARNLOG_FILE"] = cli.log
    for args in reads(incident) {
      let r = try spawn(wrap([cli.binary] + args), environment: env)
      #expect(r.status == 0, "\(args.joined(separator: " ")) on a read-only log: \(r.stderr)")
      #expect(!r.stdout.isEmpty)
    }
    for args in writes(incident) {
      let r = try spawn(wrap([cli.binary] + args), environment: env)
      #expect(r.status != 0, "\(args.joined(separator: " ")) wrote to a read-only log")
      let lines = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("  ") }
      #expect(
        r.stderr.contains("error: ") && r.stderr.contains(reason)
          && lines.filter { $0.hasPrefix("error:") }.count == 1,
        "\(args.joined(separator: " ")): \(r.stderr)")
    }
    #expect(cli.bytes(cli.log) == before, "the read-only log changed")
    return (reads(incident).count, writes(incident).count)
  }

  @Test(
    "a 0444 log of another user: every read works, writes refused",
    .enabled(if: canDropToNobody, "needs root and setpriv to act as another user"))
  func anotherUsersReadOnlyLog() throws {
    let cli = try CLISandbox()
    #expect(cli.run0(["demo"]) == 0)
    chmod(cli.directory, 0o755)
    chmod(PathName.directory(of: cli.log), 0o755)
    chmod(cli.log, 0o444)
    try? FileManager.default.removeItem(atPath: cli.log + ".lock")
    let home = cli.directory + "/nobody-home"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    chown(home, 65534, 65534)
    let env = [
      "HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LEARNLOG_WRITER": "nobody",
    ]
    let n = try Self.exercise(
      cli, environment: env,
      wrap: { ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + $0 },
      reason: "Permission denied")
    #expect(!FileManager.default.fileExists(atPath: cli.log + ".lock"), "a read made a lock file")
    print("0444 log of another user: \(n.reads) read commands work, \(n.writes) writes refused")
  }

  @Test(
    "a log on a read-only mount: every read works, writes refused",
    .enabled(if: canMountReadOnly, "needs root and unshare -m for a read-only bind mount"))
  func readOnlyMount() throws {
    let cli = try CLISandbox()
    #expect(cli.run0(["demo"]) == 0)
    let dir = PathName.directory(of: cli.log)
    let env = [
      "HOME": cli.directory + "/home", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
      "LEARNLOG_WRITER": "ro",
    ]
    let n = try Self.exercise(
      cli, environment: env,
      wrap: { argv in
        [
          "/usr/bin/unshare", "-m", "/bin/sh", "-c",
          "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", dir,
        ] + argv
      },
      reason: "Read-only file system")
    print("read-only mount: \(n.reads) read commands work, \(n.writes) writes refused")
  }
}
