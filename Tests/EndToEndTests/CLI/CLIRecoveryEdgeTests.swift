import Foundation
import LearningLog
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The binary at the edges of recovery: the private file's own repair, the umask, a repair
/// killed with SIGKILL.
@Suite("recovery edges, real binary")
struct CLIRecoveryEdgeTests {
  static func mode(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
  }

  @Test("the shared log honours the umask (0600 under 077, 0644 under 022)")
  func sharedLogHonoursTheUmask() throws {
    let cli = try CLISandbox()
    for (mask, expected) in [("077", 0o600), ("022", 0o644), ("002", 0o664)] {
      let log = cli.directory + "/umask-\(mask)/log.jsonl"
      let r = try CLIReadOnlyLogTests.spawn(
        ["/bin/sh", "-c", "umask \(mask); exec \"$0\" \"$@\"", cli.binary, "--file", log, "init"],
        environment: cli.environment)
      #expect(r.status == 0, "\(r.stderr)")
      #expect(
        Self.mode(log) == expected, "umask \(mask): mode \(String(Self.mode(log) ?? 0, radix: 8))")
    }
  }

  @Test("a damaged private notes file names its own repair, and `repair --private` fixes it")
  func privateFileHasItsOwnRepair() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Public"])
    for n in 0..<3 { try cli.ok(["note", "add", inc, "--text", "note \(n)"]) }
    var bytes = [UInt8](cli.bytes(cli.privateFile))
    let secondLine = try #require(bytes.firstIndex(of: 0x0A)) + 1
    bytes[secondLine + 50] ^= 0x01
    try Data(bytes).write(to: URL(fileURLWithPath: cli.privateFile))
    chmod(cli.privateFile, 0o600)
    for args in [
      ["note", "add", inc, "--text", "more"], ["export", "--format", "json", "--include-private"],
    ] {
      let r = try cli.run(args)
      #expect(r.status == 3, "\(args): \(r.stderr)")
      #expect(
        r.stderr.hasPrefix("error: ") && r.stderr.contains("learnlog repair --private")
          && r.stderr.contains("line 2"), "\(args): \(r.stderr)")
    }
    #expect(try cli.run(["check", "--private"]).status == 3)
    // The shared log's repair says so; the private one repairs, keeping 0600 everywhere.
    #expect(try cli.ok(["repair", "--yes"]).contains("nothing to repair"))
    let r = try cli.run(["repair", "--private", "--yes"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("kept 2 records") && r.stdout.contains(".quarantine"), "\(r.stdout)")
    let dir = PathName.directory(of: cli.privateFile)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    let quarantine = try #require(files.first { $0.hasSuffix(".quarantine") })
    #expect(files.contains { $0.hasSuffix(".bak") })
    for f in files where !f.hasSuffix(".lock") {
      #expect(Self.mode(dir + "/" + f) == 0o600, "\(f) is not 0600")
    }
    #expect(cli.bytes(dir + "/" + quarantine).count > 50)
    #expect(try cli.run(["check", "--private"]).status == 0)
    #expect(try cli.run(["note", "add", inc, "--text", "after"]).status == 0)
  }

  /// Starts `argv` with `environment`, output to /dev/null; its pid.
  static func start(_ argv: [String], environment: [String: String]) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let cargv = argv.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      cargv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    try #require(posix_spawn(&pid, argv[0], &actions, nil, cargv, envp) == 0)
    return pid
  }

  static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { break }
    }
    return status
  }

  @Test("kill -9 during repair: at most one temporary file, removed by the next run; nothing lost")
  func killNineDuringRepair() throws {
    let cli = try CLISandbox()
    // A log large enough for a repair to take a while, with one damaged line.
    let store = try LogStore.create(path: cli.log)
    store.writerID = "w"
    let pad = String(repeating: "x", count: 400)
    for batch in 0..<4 {
      try store.append { _ in
        (0..<500).map {
          RecordDraft(
            type: "test.event", entity: "e", body: ["n": .int(batch * 500 + $0), "p": .string(pad)])
        }
      }
    }
    var damaged = [UInt8](cli.bytes(cli.log))
    damaged[damaged.count / 2] ^= 0x01
    let dir = PathName.directory(of: cli.log)
    func temporaries() throws -> [String] {
      try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
    }
    let rounds = ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1" ? 200 : 40
    // Kills land anywhere in one repair's run: time one (only to spread the kills over it).
    try Data(damaged).write(to: URL(fileURLWithPath: cli.log))
    let started = DispatchTime.now().uptimeNanoseconds
    _ = Self.wait(
      try Self.start(
        [cli.binary, "--file", cli.log, "repair", "--yes"], environment: cli.environment))
    let span = UInt32(min(2_000_000, (DispatchTime.now().uptimeNanoseconds - started) / 1_000))
    var killed = 0
    var leftAfterKill = 0
    var interrupted = 0
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<rounds {
      try Data(damaged).write(to: URL(fileURLWithPath: cli.log))
      let pid = try Self.start(
        [cli.binary, "--file", cli.log, "repair", "--yes"], environment: cli.environment)
      usleep(UInt32.random(in: 0...span, using: &rng))
      if kill(pid, SIGKILL) == 0 { killed += 1 }
      _ = Self.wait(pid)
      let left = try temporaries()
      #expect(left.count <= 1, "more than one temporary file: \(left)")
      leftAfterKill += left.count
      // The log is the damaged original or the repaired log, never anything else.
      let inspection = try LogStore.inspect(path: cli.log)
      #expect(
        inspection.records.count == 1_999 && (inspection.damaged.count == 1 || inspection.isClean))
      if !inspection.isClean || !left.isEmpty { interrupted += 1 }
    }
    // At least one kill cut a repair short (else the loop only killed finished processes).
    #expect(interrupted > 0, "\(killed) kills, none before a repair finished")
    // The next repair removes what a killed one left, and finishes.
    try Data(damaged).write(to: URL(fileURLWithPath: cli.log))
    let r = try cli.run(["repair", "--yes"])
    #expect(r.status == 0, "\(r.stderr)")
    let leftAtEnd = try temporaries()
    #expect(leftAtEnd.isEmpty, "left: \(leftAtEnd)")
    #expect(try LogStore.inspect(path: cli.log).isClean)
    print(
      "kill -9 during repair: \(rounds) rounds, \(killed) kills, \(interrupted) before the repair "
        + "finished, \(leftAfterKill) temporary file(s) "
        + "after a kill (at most one, one name: written unnamed, named just before the rename), 0 after the next repair"
    )
  }
}
