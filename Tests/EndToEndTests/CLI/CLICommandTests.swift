import Foundation
import Testing

/// The happy path of every command, run through the built `learnlog` binary.
@Suite("command line: commands")
struct CLICommandTests {
  static func isID(_ s: String) -> Bool { s.wholeMatch(of: /[0-9a-z]{6,12}/) != nil }

  @Test("an incident's whole life: add, list, show, set, review, actions, experiment, lesson")
  func incidentLifecycle() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok([
      "incident", "add", "--title", "Checkout errors after deploy", "--what", "eu kept old flags",
      "--kind", "production", "--severity", "high", "--team", "web", "--owner", "maya",
      "--tag", "deploy", "--tag", "config", "--trigger", "over-confidence",
      "--pattern", "Deploy / Config Drift", "--occurred", "2026-01-10",
    ])
    #expect(Self.isID(inc), "add prints the id alone: \(inc)")
    let other = try cli.ok(["incident", "add", "--title", "Release slipped", "--kind", "deadline"])

    // list --json: an array of objects, checked field by field.
    let list = try #require(try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]])
    #expect(list.count == 2)
    let first = try #require(list.first { ($0.string("id") ?? "").hasPrefix(inc) })
    #expect(first.string("title") == "Checkout errors after deploy")
    #expect(first.string("what") == "eu kept old flags")
    #expect(first.string("kind") == "production")
    #expect(first.string("severity") == "high")
    #expect(first.string("team") == "web")
    #expect(first.string("owner") == "maya")
    #expect(first.string("occurred") == "2026-01-10")
    #expect(first.string("status") == "open")
    #expect(first.array("tags") as? [String] == ["deploy", "config"])
    #expect(first.array("triggers") as? [String] == ["over-confidence"])
    #expect(first.array("patterns") as? [String] == ["deploy/config-drift"])
    #expect(first["reviewComplete"] as? Bool == false)
    let created = try #require(first.string("created"))
    #expect(ISO8601DateFormatter.withFractions.date(from: created) != nil, "ISO 8601: \(created)")

    // Filters.
    let web = try #require(
      try cli.run(["incident", "list", "--team", "web", "--kind", "production", "--json"]).json()
        as? [[String: Any]])
    #expect(web.count == 1)
    let searched = try cli.ok(["incident", "list", "--search", "slipped"])
    #expect(searched.contains(other) && !searched.contains(inc))
    #expect(try cli.ok(["incident", "list"]).split(separator: "\n").first?.hasPrefix("ID") == true)

    // set, review, show --json.
    try cli.ok(["incident", "set", String(inc.prefix(4)), "severity", "critical"])
    let action = try cli.ok([
      "action", "add", inc, "--title", "Diff configs per region", "--owner", "sam",
      "--due", "2026-02-01", "--type", "detect", "--signal", "drift caught before deploy",
    ])
    #expect(Self.isID(action))
    let review = try cli.run([
      "review", inc, "--answer", "root-cause=config copied per region", "--answer", "gap=tooling",
      "--answer", "assumption=regions share one file",
    ])
    #expect(review.status == 0, "\(review.stderr)")
    #expect(review.stderr.contains("review complete"))
    let shown = try #require(
      try cli.run(["incident", "show", inc, "--json"]).json() as? [String: Any])
    #expect(shown.string("severity") == "critical")
    #expect(shown.string("status") == "reviewed")
    let answers = try #require(shown["answers"] as? [String: String])
    #expect(answers["root-cause"] == "config copied per region")
    #expect(answers["gap"] == "tooling")
    #expect((shown.array("answerHistory") ?? []).count == 3)
    #expect(shown["reviewComplete"] as? Bool == true)
    let human = try cli.ok(["incident", "show", inc])
    #expect(human.contains("Checkout errors after deploy") && human.contains(action))

    // Actions through their states.
    try cli.ok(["action", "start", action])
    try cli.ok(["action", "done", action])
    try cli.ok(["action", "verify", action, "--outcome", "verified", "--evidence", "no drift"])
    let dropMe = try cli.ok([
      "action", "add", other, "--title", "Weekly sync", "--owner", "ana", "--due", "2026-02-02",
    ])
    try cli.ok(["action", "drop", dropMe, "--reason", "superseded"])
    let actions = try #require(
      try cli.run(["action", "list", "--json"]).json() as? [[String: Any]])
    #expect(actions.count == 2)
    let a = try #require(actions.first { ($0.string("id") ?? "").hasPrefix(action) })
    #expect(a.string("status") == "done")
    #expect(a.string("owner") == "sam")
    #expect(a.string("due") == "2026-02-01")
    #expect(a.string("review") == "2026-02-15")
    #expect(a.string("type") == "detect")
    #expect(a.string("signal") == "drift caught before deploy")
    let ver = try #require(a.array("verifications") as? [[String: Any]])
    #expect(ver.first?.string("outcome") == "verified")
    #expect(ver.first?.string("evidence") == "no drift")
    let dropped = try #require(actions.first { ($0.string("id") ?? "").hasPrefix(dropMe) })
    #expect(dropped.string("status") == "dropped" && dropped.string("dropReason") == "superseded")
    let bySam = try #require(
      try cli.run(["action", "list", "--owner", "sam", "--status", "done", "--json"]).json()
        as? [Any])
    #expect(bySam.count == 1)

    // Experiment and lesson.
    let exp = try cli.ok([
      "experiment", "add", inc, "--hypothesis", "a diff check catches drift",
      "--criteria", "no drift for 4 weeks", "--check", "2026-03-01",
    ])
    #expect(Self.isID(exp))
    try cli.ok(["experiment", "result", exp, "--decision", "adopt", "--evidence", "none seen"])
    let lesson = try cli.ok([
      "lesson", "add", "--text", "Diff configs before deploy", "--incident", inc, "--team", "web",
      "--tag", "deploy", "--revalidate", "2027-01-01",
    ])
    let lessons = try #require(
      try cli.run(["lesson", "list", "--team", "web", "--json"]).json() as? [[String: Any]])
    #expect(lessons.count == 1)
    let l = try #require(lessons.first)
    #expect((l.string("id") ?? "").hasPrefix(lesson))
    #expect(l.string("text") == "Diff configs before deploy")
    #expect(l.string("revalidate") == "2027-01-01")
    #expect((l.array("incidents") as? [String])?.first?.hasPrefix(inc) == true)
    #expect(try cli.ok(["lesson", "list", "--search", "nothing-like-this"]).isEmpty)

    // The export holds the experiment's decision.
    let export = try #require(
      try cli.run(["export", "--format", "json"]).json() as? [String: Any])
    // --json prints the same object the export holds for the entity.
    let exported = try #require(export["incidents"] as? [[String: Any]])
    let shownNow = try #require(
      try cli.run(["incident", "show", inc, "--json"]).json() as? [String: Any])
    let sameInExport = try #require(exported.first { $0.string("id") == shownNow.string("id") })
    func canonical(_ value: Any?) -> Data? {
      value.flatMap {
        try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed])
      }
    }
    let differing = Set(sameInExport.keys).union(shownNow.keys).filter { key in
      canonical(sameInExport[key]) == nil
        || canonical(sameInExport[key]) != canonical(shownNow[key])
    }
    #expect(sameInExport.count == 24)
    #expect(differing.isEmpty, "incident show --json differs from the export in \(differing)")
    let exps = try #require(export["experiments"] as? [[String: Any]])
    #expect(exps.first?.string("decision") == "adopt")
    #expect(exps.first?.string("check") == "2026-03-01")
  }

  @Test("patterns, today and stats print JSON documents with the documented fields")
  func reportsAsJSON() throws {
    let cli = try CLISandbox()
    let demo = try cli.run(["demo"])
    #expect(demo.status == 0, "\(demo.stderr)")
    let incidents = try #require(try cli.run(["incident", "list", "--json"]).json() as? [Any])
    #expect(incidents.count >= 12)
    let patterns = try #require(try cli.run(["patterns", "--json"]).json() as? [[String: Any]])
    let top = try #require(patterns.max { ($0["count"] as? Int ?? 0) < ($1["count"] as? Int ?? 0) })
    #expect((top["count"] as? Int ?? 0) >= 3)
    #expect(top.string("step") == "escalated")
    #expect(Self.isDay(top.string("firstSeen")) && Self.isDay(top.string("lastSeen")))
    let today = try #require(try cli.run(["today", "--json"]).json() as? [[String: Any]])
    #expect(!today.isEmpty)
    for item in today {
      #expect(item.string("kind") != nil && item.string("subject") != nil)
    }
    let stats = try #require(try cli.run(["stats", "--json"]).json() as? [String: Any])
    #expect(stats["incidents"] as? Int == incidents.count)
    #expect(stats["repeatRate"] is Double || stats["repeatRate"] is Int)
    let weeks = try #require(stats["weeks"] as? [[String: Any]])
    #expect(weeks.allSatisfy { Self.isDay($0.string("weekStart")) })
    #expect(try cli.ok(["patterns"]).contains("deploy/config-drift"))
    #expect(try cli.ok(["stats"]).contains("repeat rate"))
    #expect(try cli.ok(["today"]).hasPrefix("WHAT"))
    // The demo refuses a log that already holds records.
    let again = try cli.run(["demo"])
    #expect(
      again.status == 1 && again.stderr.hasPrefix("error: ") && again.stderr.contains("--force"))
  }

  @Test(
    "export json, import into an empty log, export again: the same JSON; a second import adds nothing"
  )
  func exportImportRoundTrip() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    try cli.ok(["incident", "add", "--title", "Ünïcode \"quotes\", commas; and\nnewlines"])
    let first = try cli.ok(["export", "--format", "json"])
    let file = cli.file("export.json", first)
    let other = cli.directory + "/other/log.jsonl"
    try cli.ok(["--file", other, "init"])
    let imported = try cli.run(["--file", other, "import", file])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stderr.contains("imported 13 incidents"))
    let second = try cli.ok(["--file", other, "export", "--format", "json"])
    #expect(second == first)
    let root = try #require(
      try JSONSerialization.jsonObject(with: Data(second.utf8)) as? [String: Any])
    #expect((root["incidents"] as? [Any])?.count == 13)
    #expect(((root["actions"] as? [Any])?.count ?? 0) > 0)
    let before = cli.bytes(other)
    let again = try cli.run(["--file", other, "import", file])
    #expect(again.status == 0 && again.stderr.contains("skipped"))
    #expect(cli.bytes(other) == before, "re-importing the same export must add nothing")
    // Markdown and CSV to a file.
    let md = cli.directory + "/digest.md"
    try cli.ok(["export", "--format", "markdown", "--since", "2020-01-01", "--output", md])
    #expect(String(decoding: cli.bytes(md), as: UTF8.self).hasPrefix("# What we learned"))
    let csv = try cli.ok(["export", "--format", "csv", "--team", "platform"])
    #expect(csv.hasPrefix("id,title,"))
    #expect(!csv.contains(",payments,"))
  }

  @Test("a CSV import adds one incident a row; one bad row imports nothing")
  func csvImport() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let good = cli.file(
      "good.csv",
      "title,kind,severity,team,tags,patterns,occurred\r\nLate report,deadline,low,data,report;late,estimate/hidden-dependency,2026-01-05\r\nCache lost writes,production,critical,platform,,data/lost-writes,2026-01-06\r\n"
    )
    let r = try cli.run(["import", good])
    #expect(r.status == 0, "\(r.stderr)")
    let list = try #require(try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]])
    #expect(Set(list.compactMap { $0.string("title") }) == ["Late report", "Cache lost writes"])
    let late = try #require(list.first { $0.string("title") == "Late report" })
    #expect(late.array("tags") as? [String] == ["report", "late"])
    #expect(late.string("occurred") == "2026-01-05")
    let before = cli.bytes(cli.log)
    let bad = cli.file(
      "bad.csv", "title,kind,occurred\nfine,deadline,2026-01-01\nbroken,deadline,2026-02-30\n")
    let b = try cli.run(["import", bad])
    #expect(b.status == 1)
    #expect(b.stderr.hasPrefix("error: ") && b.stderr.contains("row 3"))
    #expect(cli.bytes(cli.log) == before)
  }

  @Test("note add writes only the private file (0600), never the shared log or a plain export")
  func privateNote() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Missed hand-off"])
    let marker = "PRIVATE-\(UUID().uuidString)"
    let r = try cli.run(["note", "add", inc, "--text", marker])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).wholeMatch(of: /[0-9a-z]{12}/) != nil
    )
    #expect(!r.stdout.contains(marker) && !r.stderr.contains(marker))
    #expect(!String(decoding: cli.bytes(cli.log), as: UTF8.self).contains(marker))
    #expect(String(decoding: cli.bytes(cli.privateFile), as: UTF8.self).contains(marker))
    let attributes = try FileManager.default.attributesOfItem(atPath: cli.privateFile)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let dir = (cli.privateFile as NSString).deletingLastPathComponent
    #expect(
      (try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int) == 0o700)
    #expect(!(try cli.ok(["export", "--format", "json"])).contains(marker))
    #expect(try cli.ok(["export", "--format", "json", "--include-private"]).contains(marker))
    // A skill gap goes to the private file as a growth item, not to the log.
    try cli.ok([
      "review", inc, "--answer", "gap=skill", "--answer", "root-cause=GROWTHMARK unfamiliar tool",
    ])
    let privateText = String(decoding: cli.bytes(cli.privateFile), as: UTF8.self)
    #expect(privateText.contains("growth.created"))
    #expect(!String(decoding: cli.bytes(cli.log), as: UTF8.self).contains("growth.created"))
  }

  @Test("every command has --help with a summary and an example; completions come from the parser")
  func helpEverywhere() throws {
    let cli = try CLISandbox()
    let commands: [[String]] = [
      ["init"], ["incident", "add"], ["incident", "list"], ["incident", "show"],
      ["incident", "set"], ["review"], ["action", "add"], ["action", "start"], ["action", "done"],
      ["action", "drop"], ["action", "verify"], ["action", "list"], ["experiment", "add"],
      ["experiment", "result"], ["lesson", "add"], ["lesson", "list"], ["note", "add"],
      ["patterns"], ["today"], ["stats"], ["export"], ["import"], ["check"], ["repair"], ["demo"],
    ]
    for c in commands {
      let r = try cli.run(c + ["--help"])
      #expect(r.status == 0, "\(c)")
      #expect(r.stdout.hasPrefix("OVERVIEW: "), "\(c)")
      #expect(r.stdout.contains("Example"), "\(c) --help has no example")
    }
    let root = try cli.run(["--help"])
    for name in ["incident", "action", "export", "import", "check", "repair", "demo"] {
      #expect(root.stdout.contains(name))
    }
    let completion = try cli.run(["--generate-completion-script", "bash"])
    #expect(completion.status == 0 && completion.stdout.contains("learnlog"))
  }

  @Test("the log is found as --file, $LEARNLOG_FILE, the nearest .learnlog/log.jsonl, then XDG")
  func logLocation() throws {
    let cli = try CLISandbox()
    let project = cli.directory + "/project"
    let deep = project + "/src/deep"
    try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
    let unset: [String: String?] = ["LEARNLOG_FILE": nil]
    // No project log: the XDG default.
    let xdg = try cli.run(["init"], currentDirectory: deep, environment: unset)
    #expect(xdg.status == 0)
    #expect(FileManager.default.fileExists(atPath: cli.directory + "/home/data/learnlog/log.jsonl"))
    // A project log is found from a subdirectory.
    try cli.ok(["--file", project + "/.learnlog/log.jsonl", "init"])
    let id = try cli.run(
      ["incident", "add", "--title", "found upward"], currentDirectory: deep, environment: unset)
    #expect(id.status == 0)
    #expect(
      String(decoding: cli.bytes(project + "/.learnlog/log.jsonl"), as: UTF8.self).contains(
        "found upward"))
    // $LEARNLOG_FILE wins over the project log; --file wins over both.
    let env = try cli.run(["init"], currentDirectory: deep, environment: [:])
    #expect(env.status == 0 && FileManager.default.fileExists(atPath: cli.log))
    let explicit = cli.directory + "/explicit.jsonl"
    try cli.ok(["init", "--file", explicit])
    #expect(FileManager.default.fileExists(atPath: explicit))
  }

  static func isDay(_ s: String?) -> Bool { s?.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil }
}

extension ISO8601DateFormatter {
  /// ISO 8601 with fractional seconds.
  nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f
  }()
}
