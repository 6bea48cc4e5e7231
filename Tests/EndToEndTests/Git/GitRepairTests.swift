import Foundation
import LearningLog
import Testing

/// A line of a shared log edited by hand, committed and pushed: `sync` refuses to spread it,
/// `check` names it and its commit, `repair` restores the original from git history, and the
/// incident is still there in every clone afterwards.
@Suite("repair restores from git history")
struct GitRepairTests {
  /// Runs the real binary as the user of `clone`.
  static func learnlog(
    _ cli: CLISandbox, _ clone: Clone, _ args: [String]
  ) throws -> CLIResult {
    var env: [String: String?] = [:]
    for (k, v) in clone.env { env[k] = v }
    env["LEARNLOG_WRITER"] = clone.writer
    env["LEARNLOG_FILE"] = clone.logPath
    env["XDG_CACHE_HOME"] = clone.env["HOME"].map { $0 + "/cache" }
    return try cli.run(["--file", clone.logPath] + args, environment: env)
  }

  static func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  @Test("a hand-edited, pushed line: sync refuses, check names it, repair restores it")
  func handEditedLineIsRestoredInEveryClone() throws {
    let cli = try CLISandbox()
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    #expect(try Self.learnlog(cli, a, ["git-setup"]).status == 0)
    let incident = try #require(
      try a.perform(.addIncident(NewIncident(title: "Disk filled on db-1"))).createdID)
    try a.perform(
      .addAction(
        NewAction(incident: incident, title: "Alert at 80%", owner: "ops", due: "2026-12-31")))
    let first = try Self.learnlog(cli, a, ["sync"])
    #expect(first.status == 0, "\(first.stderr)")

    let b = try box.clone("b", writer: "writer-b")
    #expect(try Self.learnlog(cli, b, ["git-setup"]).status == 0)
    #expect(try Self.learnlog(cli, b, ["sync"]).status == 0)
    let original = try Self.lines(b.logPath)
    #expect(original.count == 3 && original[1].contains("incident.created"))

    // A teammate in clone a edits line 2 by hand (no checksum fix), commits and pushes.
    var edited = try Self.lines(a.logPath)
    edited[1] = edited[1].replacingOccurrences(of: "Disk filled on db-1", with: "Disk full")
    try (edited.joined(separator: "\n") + "\n").write(
      toFile: a.logPath, atomically: false, encoding: .utf8)
    try a.run(["commit", "--quiet", "-am", "fix the title"])
    let editCommit = try a.run(["rev-parse", "--short=10", "HEAD"]).text
    try a.run(["push", "--quiet", "origin", "HEAD:main"])

    // Clone b adds an action, then syncs: the pull brings the damaged line; nothing is pushed.
    try b.perform(
      .addAction(
        NewAction(incident: incident, title: "Rotate logs", owner: "ops", due: "2026-12-31")))
    let refused = try Self.learnlog(cli, b, ["sync"])
    #expect(refused.status != 0)
    #expect(
      refused.stderr.hasPrefix("error:") && refused.stderr.contains("line 2")
        && refused.stderr.contains("learnlog repair"), "\(refused.stderr)")
    let remoteHead = try box.run(["rev-parse", "main"], in: box.remote).text
    #expect(remoteHead.hasPrefix(editCommit), "sync pushed a damaged log")

    // check names the line as edited by hand, the commit that brought it, and the way out.
    let check = try Self.learnlog(cli, b, ["check"])
    #expect(check.status == 3)
    #expect(check.stdout.contains("line 2"), "\(check.stdout)")
    #expect(check.stdout.contains("edited by hand"), "\(check.stdout)")
    #expect(check.stdout.contains(editCommit), "\(check.stdout)")
    #expect(check.stdout.contains("original is in git history"), "\(check.stdout)")

    // repair restores the original bytes; the edited line is kept in the quarantine.
    let repair = try Self.learnlog(cli, b, ["repair", "--yes"])
    #expect(repair.status == 0, "\(repair.stderr)")
    #expect(repair.stdout.contains("restored line 2 from git history"), "\(repair.stdout)")
    let repaired = try Self.lines(b.logPath)
    #expect(repaired[1] == original[1])
    let quarantine = try #require(
      try FileManager.default.contentsOfDirectory(atPath: b.dir + "/.learnlog")
        .first { $0.hasSuffix(".quarantine") })
    #expect(try Self.lines(b.dir + "/.learnlog/" + quarantine) == [edited[1]])
    #expect(repair.stdout.contains(quarantine))
    #expect(try Self.learnlog(cli, b, ["check"]).status == 0)
    let synced = try Self.learnlog(cli, b, ["sync"])
    #expect(synced.status == 0, "\(synced.stderr)")

    // Clone a still holds the edit: its sync refuses, repair restores, sync converges.
    let aRefused = try Self.learnlog(cli, a, ["sync"])
    #expect(aRefused.status != 0 && aRefused.stderr.contains("learnlog repair"))
    let aRepair = try Self.learnlog(cli, a, ["repair", "--yes"])
    #expect(aRepair.stdout.contains("restored line 2"), "\(aRepair.stdout) \(aRepair.stderr)")
    #expect(try Self.learnlog(cli, a, ["sync"]).status == 0)
    #expect(try Self.learnlog(cli, b, ["sync"]).status == 0)

    for clone in [a, b] {
      let check = try Self.learnlog(cli, clone, ["check"])
      #expect(check.status == 0 && !check.stderr.contains("unknown entity"), "\(check.stderr)")
      let state = try clone.state()
      #expect(state.incidentList.map(\.title) == ["Disk filled on db-1"])
      #expect(Set(state.actionList.map(\.title)) == ["Alert at 80%", "Rotate logs"])
      #expect(state.problems.isEmpty, "\(state.problems)")
    }
    #expect(Set(try a.state().actionList.map(\.id)) == Set(try b.state().actionList.map(\.id)))
  }

  @Test("outside git a damaged line goes to a quarantine file, never only into a backup")
  func damagedLineOutsideGitIsQuarantined() throws {
    let cli = try CLISandbox()
    #expect(cli.run0(["demo"]) == 0)
    var lines = try Self.lines(cli.log)
    let damaged = lines[3].replacingOccurrences(of: "\"d\":{", with: "\"d\":{\"x\":1,")
    #expect(damaged != lines[3])
    lines[3] = damaged
    try (lines.joined(separator: "\n") + "\n").write(
      toFile: cli.log, atomically: false, encoding: .utf8)
    let check = try cli.run(["check"])
    #expect(check.status == 3 && check.stdout.contains("edited by hand"), "\(check.stdout)")
    #expect(check.stdout.contains("quarantine"))
    let repair = try cli.run(["repair", "--yes"])
    #expect(repair.status == 0, "\(repair.stderr)")
    let dir = PathName.directory(of: cli.log)
    let quarantine = try #require(
      try FileManager.default.contentsOfDirectory(atPath: dir).first { $0.hasSuffix(".quarantine") }
    )
    #expect(repair.stdout.contains(quarantine))
    #expect(try Self.lines(dir + "/" + quarantine) == [damaged])
    #expect(try cli.run(["check"]).status == 0)
  }
}

extension CLISandbox {
  /// Runs `learnlog arguments` and returns its exit status.
  func run0(_ arguments: [String]) -> Int32 {
    (try? run(arguments).status) ?? -1
  }
}
