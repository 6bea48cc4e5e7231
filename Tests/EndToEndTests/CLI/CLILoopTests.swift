import Foundation
import Testing

/// Experiments for any incident, the private space, mitigations that end, review schedules,
/// wins and recognition, and the blame check on command-line text: the built binary end to end.
@Suite("command line: experiments, private notes, mitigations, schedules, wins")
struct CLILoopTests {
  /// A day `days` from today, `YYYY-MM-DD` in the local time zone (as the binary reads today).
  func day(_ days: Int) -> String {
    let f = DateFormatter()
    f.dateFormat = "yyyy-MM-dd"
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone.current
    return f.string(from: Date().addingTimeInterval(Double(days) * 86_400))
  }

  /// Runs an `add` that must succeed and print one id alone.
  func added(_ cli: CLISandbox, _ arguments: [String]) throws -> String {
    let r = try cli.run(arguments)
    #expect(r.status == 0, "\(arguments): \(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments) printed \(r.stdout)")
    return lines.first.map(String.init) ?? ""
  }

  /// The `--json` output of `arguments` as an object.
  func object(_ cli: CLISandbox, _ arguments: [String]) throws -> [String: Any] {
    let r = try cli.run(arguments)
    #expect(r.status == 0, "\(arguments): \(r.stderr)")
    return try #require(try r.json() as? [String: Any], "\(arguments): \(r.stdout)")
  }

  /// The `--json` output of `arguments` as an array of objects.
  func objects(_ cli: CLISandbox, _ arguments: [String]) throws -> [[String: Any]] {
    let r = try cli.run(arguments)
    #expect(r.status == 0, "\(arguments): \(r.stderr)")
    return try #require(try r.json() as? [[String: Any]], "\(arguments): \(r.stdout)")
  }

  @Test("every new command: ids alone, --json parsed back")
  func happyPaths() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try added(
      cli, ["incident", "add", "--title", "Estimate slipped", "--kind", "estimate"])
    // An experiment on an incident whose pattern is not escalated.
    let e = try added(
      cli,
      [
        "experiment", "add", inc, "--hypothesis", "pairing on billing avoids the slip",
        "--criteria", "no slip in 2 sprints", "--check", day(-1), "--change", "pair on billing",
      ])
    let list = try objects(cli, ["experiment", "list", "--json"])
    #expect(list.count == 1 && list.first?.string("change") == "pair on billing")
    #expect(try objects(cli, ["experiment", "list", "--status", "due", "--json"]).count == 1)
    #expect(try objects(cli, ["experiment", "list", "--status", "decided", "--json"]).isEmpty)
    let shown = try object(cli, ["experiment", "show", e, "--json"])
    #expect(shown.string("criteria") == "no slip in 2 sprints")
    #expect(try cli.ok(["experiment", "show", e]).contains("pair on billing"))
    try cli.ok(["experiment", "result", e, "--decision", "adopt", "--evidence", "no slip"])
    #expect(try object(cli, ["experiment", "show", e, "--json"]).string("decision") == "adopt")
    #expect(try objects(cli, ["experiment", "list", "--status", "decided", "--json"]).count == 1)

    let note = try added(cli, ["note", "add", inc, "--text", "ask about the sprint load"])
    let notes = try objects(cli, ["note", "list", "--json"])
    #expect(notes.map { $0.string("text") } == ["ask about the sprint load"])
    #expect(try cli.ok(["note", "show", note]).contains("ask about the sprint load"))
    #expect(try object(cli, ["note", "show", note, "--json"]).string("kind") == "note")

    let m = try added(
      cli,
      [
        "action", "add", inc, "--title", "Cut scope to the core flow", "--owner", "sam", "--due",
        day(7), "--type", "mitigate", "--until", day(0),
      ])
    let today = try objects(cli, ["today", "--json"])
    #expect(today.contains { $0.string("kind") == "retire-mitigation" })
    try cli.ok(["action", "retire", m, "--decision", "keep", "--reason", "the core flow is enough"])
    let actions = try objects(cli, ["action", "list", "--json"])
    let retired = try #require(actions.first?["retirement"] as? [String: Any])
    #expect(retired.string("decision") == "keep")
    #expect(actions.first?.string("until") == day(0))
    #expect(
      !(try objects(cli, ["today", "--json"])).contains { $0.string("kind") == "retire-mitigation" }
    )

    try cli.ok([
      "review", "schedule", inc, "--on", day(1), "--facilitator", "kim", "--with", "sam", "--with",
      "ana",
    ])
    let detail = try object(cli, ["incident", "show", inc, "--json"])
    let schedule = try #require(detail["reviewSchedule"] as? [String: Any])
    #expect(schedule.string("on") == day(1) && schedule.string("facilitator") == "kim")
    #expect(schedule.array("participants") as? [String] == ["sam", "ana"])
    #expect((detail["experiments"] as? [Any])?.count == 1)
    let text = try cli.ok(["incident", "show", inc])
    #expect(text.contains("Experiments") && text.contains("decided   adopt: no slip"))
    #expect(text.contains("Review scheduled review on \(day(1)), facilitator kim, with sam, ana"))
    #expect(
      try objects(cli, ["today", "--json"]).contains { $0.string("kind") == "review-scheduled" })

    let w = try added(
      cli, ["win", "add", "--title", "Launch on time", "--team", "web", "--by", "sam"])
    let wins = try objects(cli, ["win", "list", "--json"])
    #expect(wins.count == 1 && wins.first?.string("id")?.hasPrefix(w) == true)
    try cli.run(
      ["lesson", "add", "--text", "pair early on unfamiliar code"],
      environment: ["LEARNLOG_AUTHOR": "sam"])
    let rec = try objects(cli, ["recognition", "--person", "sam", "--json"])
    #expect(rec.count == 1)
    #expect((rec.first?["wins"] as? [[String: Any]])?.first?.string("title") == "Launch on time")
    #expect(rec.first?["lessons"] as? [String] == ["pair early on unfamiliar code"])
    let all = try cli.ok(["recognition"])
    #expect(
      all.contains("Wins") && all.contains("Launch on time") && !all.contains("Estimate slipped"))
  }

  @Test("bad input: one error line, a non-zero status, the log unchanged")
  func badInput() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try added(cli, ["incident", "add", "--title", "x"])
    let prevent = try added(
      cli, ["action", "add", inc, "--title", "t", "--owner", "o", "--due", day(3)])
    let m = try added(
      cli,
      [
        "action", "add", inc, "--title", "t", "--owner", "o", "--due", day(3), "--type", "mitigate",
        "--until", day(5),
      ])
    let e = try added(
      cli, ["experiment", "add", inc, "--hypothesis", "h", "--criteria", "c", "--check", day(3)])
    try cli.ok(["action", "retire", m, "--decision", "revert", "--reason", "done"])
    let cases: [[String]] = [
      ["experiment", "add", inc, "--hypothesis", "h", "--criteria", "c", "--check", "someday"],
      ["experiment", "add", "nosuch", "--hypothesis", "h", "--criteria", "c", "--check", day(1)],
      ["experiment", "list", "--status", "maybe"],
      ["experiment", "show", "nosuch"],
      ["note", "show", "nosuch"],
      ["action", "add", inc, "--title", "t", "--owner", "o", "--due", day(1), "--until", day(2)],
      [
        "action", "add", inc, "--title", "t", "--owner", "o", "--due", day(1), "--type", "mitigate",
        "--until", "soon",
      ],
      ["action", "retire", prevent, "--decision", "keep", "--reason", "r"],
      ["action", "retire", m, "--decision", "keep", "--reason", "again"],
      ["action", "retire", m, "--decision", "later", "--reason", "r"],
      ["action", "retire", m, "--decision", "keep"],
      ["review", "schedule", inc, "--on", day(-3)],
      ["review", "schedule", inc, "--on", "tomorrow"],
      ["review", "schedule", "nosuch", "--on", day(1)],
      ["review", "schedule", inc],
      ["win", "add", "--title", "  "],
      ["win", "add"],
      ["experiment", "result", e, "--decision", "maybe"],
    ]
    for args in cases {
      let before = cli.bytes(cli.log)
      let r = try cli.run(args)
      #expect(r.status != 0, "\(args) succeeded")
      let lines = r.stderr.split(separator: "\n")
      #expect(lines.count == 1 && lines.first?.hasPrefix("error: ") == true, "\(args): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(args): \(r.stdout)")
      #expect(cli.bytes(cli.log) == before, "\(args) changed the log")
    }
  }

  @Test("the blame check warns on command-line text, never blocks")
  func blameWarnings() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let r = try cli.run(["incident", "add", "--title", "x", "--what", "sam was careless"])
    #expect(r.status == 0)
    let inc = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    for (args, field) in [
      (["review", inc, "--answer", "assumption=he didn't bother to test"], "--answer assumption"),
      (["lesson", "add", "--text", "do not be sloppy"], "--text"),
      (["factor", "add", inc, "--text", "a lazy check", "--gap", "process"], "--text"),
    ] + [(["incident", "add", "--title", "y", "--what", "sam was careless"], "--what")] {
      let before = cli.bytes(cli.log)
      let run = try cli.run(args)
      #expect(run.status == 0, "\(args): \(run.stderr)")
      #expect(cli.bytes(cli.log) != before, "\(args) wrote nothing")
      let warning = run.stderr.split(separator: "\n").first { $0.hasPrefix("warning: \(field):") }
      #expect(warning?.contains("try asking:") == true, "\(args): \(run.stderr)")
    }
    #expect(r.stderr.contains("warning: --what: \"careless\""))
    let clean = try cli.run(["lesson", "add", "--text", "pair on unfamiliar code"])
    #expect(!clean.stderr.contains("warning:"))
  }

  @Test("privacy: a skill gap and notes leave no trace in the shared log, its exports or git")
  func privacy() throws {
    let cli = try CLISandbox()
    let team = (cli.log as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: team, withIntermediateDirectories: true)
    func git(_ args: [String]) throws {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["git", "-C", team] + args
      p.environment = cli.environment.merging(
        [
          "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
          "GIT_COMMITTER_EMAIL": "t@example.com",
        ]) { $1 }
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      try p.run()
      p.waitUntilExit()
      #expect(p.terminationStatus == 0, "git \(args)")
    }
    try git(["init", "-q"])
    try cli.ok(["init"])
    try cli.ok(["git-setup"])
    let secret = "struggles with the billing code under pressure"
    let inc = try added(cli, ["incident", "add", "--title", "Estimate slipped"])
    // Every path a skill gap or a note can take.
    try cli.ok(["review", inc, "--answer", "root-cause=\(secret)", "--answer", "gap=skill"])
    _ = try added(cli, ["factor", "add", inc, "--text", "also \(secret)", "--gap", "skill"])
    _ = try added(cli, ["note", "add", inc, "--text", "note: \(secret)"])
    let growth = try objects(cli, ["note", "list", "--json"])
    #expect(growth.count == 3)
    #expect(growth.contains { $0.string("kind") == "growth" })
    try git(["add", "-A"])
    try git(["commit", "-q", "-m", "log"])
    let shared = String(decoding: cli.bytes(cli.log), as: UTF8.self)
    #expect(shared.contains("\"private\""))
    let exports = try ["json", "csv", "markdown"].map {
      try cli.ok(["export", "--format", $0, "--since", day(-30)])
    }
    let show = try cli.ok(["incident", "show", inc])
    let showJSON = try cli.ok(["incident", "show", inc, "--json"])
    #expect(show.contains("gap: private"))
    // The whole object store, every blob.
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["git", "-C", team, "cat-file", "--batch-all-objects", "--batch"]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let objectsText = String(
      decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(objectsText.contains("Estimate slipped"))
    for (name, text) in [
      ("log", shared), ("git objects", objectsText), ("show", show), ("show --json", showJSON),
    ]
      + exports.enumerated().map({ ("export \($0.offset)", $0.element) })
    {
      #expect(!text.contains("note: \(secret)"), "\(name) holds the note")
      #expect(!text.contains("also \(secret)"), "\(name) holds the factor's detail")
      // No line naming the incident says "skill" (the built-in templates list it as a choice).
      for line in text.split(separator: "\n")
      where line.contains(inc) || line.contains("Estimate slipped") {
        #expect(!line.contains("skill"), "\(name): \(line)")
      }
    }
    #expect(!shared.contains("skill"))
  }

  @Test(
    "the seed's scenario: the patch tested by an experiment, the rollback retired once it holds")
  func seedScenario() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try added(
      cli,
      [
        "incident", "add", "--title", "Write-behind cache sped up saves but lost edits", "--kind",
        "production", "--severity", "critical", "--team", "mobile", "--occurred", day(-10),
      ])
    let rollback = try added(
      cli,
      [
        "action", "add", inc, "--title", "Roll back to write-through until the patch holds",
        "--owner", "kim", "--due", day(-9), "--type", "mitigate", "--until", day(-1),
      ])
    try cli.ok(["action", "done", rollback])
    let patch = try added(
      cli,
      [
        "action", "add", inc, "--title", "Acknowledge saves only after the durable write",
        "--owner", "sam", "--due", day(-5), "--review", day(-2), "--type", "prevent",
        "--signal", "zero lost writes",
      ])
    let exp = try added(
      cli,
      [
        "experiment", "add", inc, "--hypothesis", "durable acknowledgement keeps every edit",
        "--change", "the patch behind a flag for 10% of users", "--criteria",
        "zero lost writes and p95 save under 300 ms for a week", "--check", day(-1),
      ])
    let queue = try objects(cli, ["today", "--json"])
    #expect(
      queue.contains {
        $0.string("kind") == "retire-mitigation"
          && $0.string("subject")?.hasPrefix(rollback) == true
      })
    #expect(queue.contains { $0.string("kind") == "experiment-check-due" })
    try cli.ok(["action", "done", patch])
    try cli.ok([
      "action", "verify", patch, "--outcome", "verified", "--evidence", "no lost writes in a week",
    ])
    try cli.ok([
      "experiment", "result", exp, "--decision", "adopt", "--evidence",
      "zero lost writes, p95 210 ms",
    ])
    try cli.ok([
      "action", "retire", rollback, "--decision", "revert", "--reason", "the patch is verified",
    ])
    let after = try objects(cli, ["today", "--json"])
    #expect(!after.contains { $0.string("kind") == "retire-mitigation" })
    #expect(!after.contains { $0.string("kind") == "experiment-check-due" })
    let md = try cli.ok(["export", "--format", "markdown", "--since", day(-30)])
    let sections = md.components(separatedBy: "\n## ")
    let experiments = try #require(sections.first { $0.hasPrefix("Experiments") })
    #expect(experiments.contains("durable acknowledgement keeps every edit"))
    #expect(experiments.contains("**adopt**: zero lost writes, p95 210 ms"))
    let show = try cli.ok(["incident", "show", inc])
    #expect(show.contains("retired: revert — the patch is verified"))
    let stats = try object(cli, ["stats", "--json"])
    #expect(stats["verifiedEffectiveShare"] as? Double == 1.0)
    #expect(stats["awaitingVerification"] as? Int == 1)
  }
}
