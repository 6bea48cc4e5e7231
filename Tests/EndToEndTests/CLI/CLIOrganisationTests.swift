import Foundation
import Testing

/// Several teams' logs read together (`--file a --file b`, `LEARNLOG_FILES`).
@Suite("command line: the organisation's view")
struct CLIOrganisationTests {
  /// Two team repositories, each with its own log, sharing one pattern key.
  static func twoTeams() throws -> (CLISandbox, web: String, api: String) {
    let cli = try CLISandbox()
    let web = cli.directory + "/web/.learnlog/log.jsonl"
    let api = cli.directory + "/api/.learnlog/log.jsonl"
    for (log, team) in [(web, "web"), (api, "api")] {
      try cli.ok(["--file", log, "init"])
      for n in 1...2 {
        try cli.ok([
          "--file", log, "incident", "add", "--title", "\(team) drift \(n)", "--team", team,
          "--pattern", "deploy/config-drift", "--occurred", "2026-11-2\(n)",
        ])
      }
    }
    try cli.ok([
      "--file", web, "lesson", "add", "--text", "Diff configs before deploy", "--team", "web",
    ])
    return (cli, web, api)
  }

  @Test("a pattern seen twice in each team escalates only when the logs are read together")
  func crossTeamEscalation() throws {
    let (cli, web, api) = try Self.twoTeams()
    for log in [web, api] {
      let one = try #require(
        try cli.run(["--file", log, "patterns", "--json"]).json() as? [[String: Any]])
      #expect(one.first?["step"] as? String == "repeated", "one team alone: \(one)")
    }
    let both = try #require(
      try cli.run(["--file", web, "--file", api, "patterns", "--json"]).json() as? [[String: Any]])
    let drift = try #require(both.first { $0["key"] as? String == "deploy/config-drift" })
    #expect(drift["count"] as? Int == 4)
    #expect(drift["step"] as? String == "escalated")
    #expect(
      drift["logs"] as? [String] == ["web", "api"] || drift["logs"] as? [String] == ["api", "web"])
    let table = try cli.ok(["patterns", "--file", web, "--file", api])
    #expect(table.contains("across 2 teams"), "\(table)")
  }

  @Test("incident list, lesson list, today, stats and export read the union, rows marked by log")
  func union() throws {
    let (cli, web, api) = try Self.twoTeams()
    let env: [String: String?] = ["LEARNLOG_FILES": web + ":" + api, "LEARNLOG_FILE": nil]
    let r = try cli.run(["incident", "list", "--json"], environment: env)
    let list = try #require(try r.json() as? [[String: Any]])
    #expect(list.count == 4)
    for i in list {
      let title = i["title"] as? String ?? ""
      #expect(i["log"] as? String == String(title.prefix(3)), "\(i)")
    }
    let table = try cli.run(["incident", "list"], environment: env).stdout
    #expect(table.hasPrefix("LOG "), "\(table)")
    let lessons = try #require(
      try cli.run(["lesson", "list", "--json"], environment: env).json() as? [[String: Any]])
    #expect(lessons.map { $0["log"] as? String } == ["web"])
    let today = try #require(
      try cli.run(["today", "--json"], environment: env).json() as? [[String: Any]])
    #expect(Set(today.compactMap { $0["log"] as? String }).isSuperset(of: ["web", "api"]))
    // A pattern item names every log the pattern occurs in.
    let pattern = try #require(today.first { $0["subject"] as? String == "deploy/config-drift" })
    #expect(pattern["log"] as? String == "web,api", "\(pattern)")
    let todayTable = try cli.run(["today"], environment: env).stdout
    #expect(
      todayTable.split(separator: "\n").contains {
        $0.hasPrefix("web,api ") && $0.contains("deploy/config-drift")
      }, "\(todayTable)")
    let stats = try #require(
      try cli.run(["stats", "--json"], environment: env).json() as? [String: Any])
    #expect(stats["logs"] as? [String] == ["web", "api"])
    let digest = try cli.run(["export", "--format", "markdown"], environment: env).stdout
    #expect(digest.contains("web drift 1") && digest.contains("api drift 2"))
    // The digest spans the teams: it names the logs, marks each incident with its log, orders
    // them by day across logs, and says the pattern recurs across both.
    #expect(digest.contains("Across 2 team logs: web, api"), "\(digest)")
    let rows = digest.split(separator: "\n").filter { $0.hasPrefix("| 2026-") }
    #expect(
      rows.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }[1] }
        == ["web", "api", "web", "api"], "\(rows)")
    #expect(digest.contains("escalated, across 2 teams (web, api)"), "\(digest)")
    let exported = try #require(
      try cli.run(["export", "--format", "json", "--team", "api"], environment: env).json()
        as? [String: Any])
    #expect((exported["incidents"] as? [Any])?.count == 2)
  }

  @Test("each log keeps its own snapshot: reading two logs together leaves one per log")
  func eachLogItsOwnSnapshot() throws {
    let (cli, web, api) = try Self.twoTeams()
    let cache = cli.directory + "/home/.cache/learnlog"
    try? FileManager.default.removeItem(atPath: cache)
    func snapshots() -> [String] {
      ((try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? [])
        .filter { $0.hasSuffix(".snapshot") }.sorted()
    }
    try cli.ok(["--file", web, "--file", api, "incident", "list"])
    let both = snapshots()
    #expect(both.count == 2, "\(both)")
    // Each one is the snapshot a single-log read of that log uses: reading each alone adds none.
    try cli.ok(["--file", web, "incident", "list"])
    try cli.ok(["--file", api, "incident", "list"])
    #expect(snapshots() == both)
  }

  /// The commands that read several logs together (the contract's list).
  static let readsSeveral: Set<String> = [
    "incident list", "lesson list", "patterns", "stats", "today", "export",
  ]

  /// Every leaf command of the parser's tree, run with two logs (`--file` twice, and
  /// `LEARNLOG_FILES`; `--file` after the command name too with `LEARNLOG_STRESS=1`): the read
  /// commands of the contract read the union; every other one is
  /// refused with one `error:` line naming the rule, a non-zero exit, both logs byte-for-byte
  /// unchanged.
  ///
  /// Each refused command also runs on one log alone, to count the writes among them.
  @Test("every command of the tree with two logs: the reads read, every other one refuses")
  func everyCommandWithTwoLogs() throws {
    let (cli, web, api) = try Self.twoTeams()
    let (commands, _) = try CLIProtectedFilesTests.tree(cli)
    let known = Set(CLIProtectedFilesTests.sampleArguments.keys).union(["merge-driver"])
    #expect(
      Set(commands) == known,
      "commands changed: \(Set(commands).symmetricDifference(known).sorted())")
    #expect(Self.readsSeveral.isSubset(of: Set(commands)))
    let incident = try #require(
      (try cli.run(["--file", web, "incident", "list", "--json"]).json() as? [[String: Any]])?
        .first?["id"] as? String)
    let importFile = cli.file("in.csv", "title\nimported\n")
    let before = [cli.bytes(web), cli.bytes(api)]
    var refused: [String] = []
    var wayCount = 0
    var writes: [String] = []
    for command in commands.sorted() where command != "merge-driver" {
      let args = (CLIProtectedFilesTests.sampleArguments[command] ?? []).map {
        $0 == "abc" ? incident : ($0 == "IMPORT" ? importFile : $0)
      }
      var ways: [(String, [String], [String: String?])] = [
        ("--file twice before", ["--file", web, "--file", api] + args, [:]),
        ("LEARNLOG_FILES", args, ["LEARNLOG_FILES": web + ":" + api, "LEARNLOG_FILE": nil]),
      ]
      // After the command name too, in the full campaign (the same parse, a third launch each).
      if ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1" {
        ways.append(("--file twice after", args + ["--file", web, "--file", api], [:]))
      }
      wayCount = ways.count
      for (how, arguments, environment) in ways {
        let r = try cli.run(arguments, environment: environment)
        let label = "\(command) (\(how))"
        if Self.readsSeveral.contains(command) {
          #expect(r.status == 0, "\(label) failed: \(r.stderr)")
        } else {
          #expect(r.status != 0, "\(label) was not refused")
          let lines = r.stderr.split(separator: "\n")
          #expect(
            lines.count == 1 && r.stderr.hasPrefix("error: ") && r.stderr.contains("one log"),
            "\(label): \(r.stderr)")
        }
        #expect([cli.bytes(web), cli.bytes(api)] == before, "\(label) changed a log")
      }
      guard !Self.readsSeveral.contains(command) else { continue }
      refused.append(command)
      // On one log alone (a copy), does it write? Only to count the writes refused above.
      let copy = cli.directory + "/copy/.learnlog/log.jsonl"
      try? FileManager.default.createDirectory(
        atPath: cli.directory + "/copy/.learnlog", withIntermediateDirectories: true)
      try before[0].write(to: URL(fileURLWithPath: copy))
      _ = try cli.run(["--file", copy] + args)
      if cli.bytes(copy) != before[0] { writes.append(command) }
    }
    // The writes among them: at least the ones the contract names.
    for w in ["incident add", "incident set", "lesson add", "import", "action add"] {
      #expect(writes.contains(w), "\(w) did not write on one log: \(writes)")
    }
    print(
      "two logs: \(Self.readsSeveral.count) read commands read the union; \(refused.count) others "
        + "refused \(wayCount) ways each, \(writes.count) of them writes on one log (\(writes.joined(separator: ", "))); "
        + "both logs unchanged")
  }
}
