import Foundation
import Testing

/// Templates and checklists revised with their incident, factors, timelines, authors: the
/// built binary end to end.
@Suite("command line: the loop closed")
struct CLIFollowUpTests {
  /// Runs a command that must succeed and print one line (an id or a name) alone.
  func added(_ cli: CLISandbox, _ arguments: [String], author: String = "Dana") throws -> String {
    let r = try cli.run(arguments, environment: ["LEARNLOG_AUTHOR": author])
    #expect(r.status == 0, "\(arguments): \(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments) printed \(r.stdout)")
    return lines.first.map(String.init) ?? ""
  }

  @Test("the seed's scenario: a lossy fast path, three factors, a timeline, a patch, a checklist")
  func seedScenario() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try added(
      cli,
      [
        "incident", "add", "--title", "Write-behind cache sped up saves but lost edits",
        "--kind", "production", "--severity", "critical", "--team", "mobile", "--occurred",
        "2026-11-20",
      ])
    try cli.ok(["review", inc, "--answer", "root-cause=saves acknowledged before durable"])
    for (text, gap) in [
      ("Saves acknowledged before the durable write", "process"),
      ("Nothing counted lost writes", "tooling"),
      ("Autoscaling restarts nodes often", "context"),
    ] {
      _ = try added(cli, ["factor", "add", inc, "--text", text, "--gap", gap])
    }
    for (at, kind, text) in [
      ("16:05", "escalated", "Paged the on-call"), ("15:40", "detected", "Users report lost edits"),
      ("16:30", "mitigated", "Write-behind off by flag"),
    ] {
      _ = try added(cli, ["timeline", "add", inc, "--at", at, "--kind", kind, "--text", text])
    }
    _ = try added(
      cli,
      [
        "action", "add", inc, "--title", "Acknowledge saves only after the durable write",
        "--owner", "sam", "--due", "2026-12-20", "--type", "prevent",
      ])
    let name = try added(
      cli,
      [
        "checklist", "add", "before enabling write-behind caches", "--item",
        "Measure what a restart loses", "--item", "Count lost writes", "--team", "mobile",
        "--because", inc,
      ])
    #expect(name == "before-enabling-write-behind-caches")
    let md = try cli.ok([
      "export", "--format", "markdown", "--since", "2026-11-01",
    ])
    let sections = md.components(separatedBy: "\n## ")
    let factors = try #require(sections.first { $0.hasPrefix("Contributing factors") })
    #expect(factors.split(separator: "\n").filter { $0.hasPrefix("- ") }.count == 3)
    let timeline = try #require(sections.first { $0.hasPrefix("Timeline") })
    let order = ["Users report lost edits", "Paged the on-call", "Write-behind off by flag"].map {
      timeline.range(of: $0)?.lowerBound
    }
    #expect(order.allSatisfy { $0 != nil } && order == order.sorted { ($0!) < ($1!) })
    let changed = try #require(sections.first { $0.hasPrefix("What we changed") })
    #expect(changed.contains("`before-enabling-write-behind-caches` rev 1"))
    #expect(changed.contains("because of Write-behind cache sped up saves but lost edits"))
    #expect(changed.contains("Count lost writes"))
    let show = try cli.ok(["incident", "show", inc])
    #expect(show.contains("This led to: checklist before-enabling-write-behind-caches rev 1"))
  }

  @Test("every new command: ids alone, --json parsed back, authors in the history")
  func happyPaths() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    // A record written before authorship: no `by`.
    let old = try cli.ok(["incident", "add", "--title", "Old one"])
    let inc = try added(cli, ["incident", "add", "--title", "Cache lost writes"])
    let t = try added(
      cli,
      [
        "template", "add", "ops-retro", "--question", "expected:text:What was expected?",
        "--question", "gap:choice=process|tooling:Which gap?", "--team", "storage",
      ])
    #expect(t == "ops-retro")
    try cli.run(
      ["review", inc, "--template", "ops-retro", "--answer", "expected=durable saves"],
      environment: ["LEARNLOG_AUTHOR": "Dana"])
    #expect(
      try added(
        cli,
        [
          "template", "revise", "ops-retro", "--question", "risk:line:What could a cache lose?",
          "--remove", "gap", "--because", inc,
        ]) == "ops-retro rev 2")
    try cli.run(
      ["review", inc, "--template", "ops-retro", "--answer", "risk=edits"],
      environment: ["LEARNLOG_AUTHOR": "Lee"])
    let list = try #require(try cli.run(["template", "list", "--json"]).json() as? [[String: Any]])
    let ops = try #require(list.first { $0.string("name") == "ops-retro" })
    #expect(ops["revision"] as? Int == 2 && ops.string("team") == "storage")
    let shown = try #require(
      try cli.run(["template", "show", "ops-retro", "--json"]).json() as? [String: Any])
    let revs = try #require(shown["revisions"] as? [[String: Any]])
    #expect(revs.count == 2 && revs[0].string("because") == "")
    #expect(revs[1].string("because")?.hasPrefix(inc) == true)
    #expect(revs.map { $0.string("by") } == ["Dana", "Dana"])

    let c = try added(cli, ["checklist", "add", "Before deploy", "--item", "a", "--item", "b"])
    #expect(c == "before-deploy")
    #expect(
      try added(
        cli, ["checklist", "revise", c, "--add", "c", "--remove", "1", "--because", inc])
        == "before-deploy rev 2")
    let cl = try #require(
      try cli.run(["checklist", "show", c, "--json"]).json() as? [String: Any])
    #expect(cl["items"] as? [String] == ["b", "c"])
    let crevs = try #require(cl["revisions"] as? [[String: Any]])
    #expect(crevs.count == 2 && crevs[1].string("because")?.hasPrefix(inc) == true)
    #expect(crevs[1]["removed"] as? [String] == ["a"])
    let lists = try #require(
      try cli.run(["checklist", "list", "--json"]).json() as? [[String: Any]])
    #expect(lists.map { $0.string("name") } == ["before-deploy"])
    #expect(
      (try cli.run(["checklist", "list", "--team", "other", "--json"]).json() as? [Any])?.isEmpty
        == true)

    let f = try added(cli, ["factor", "add", inc, "--text", "no crash test", "--gap", "process"])
    let skill = try cli.run(["factor", "add", inc, "--text", "new to caches", "--gap", "skill"])
    #expect(skill.status == 0 && skill.stdout.split(separator: "\n").count == 1)
    let e = try added(
      cli,
      [
        "timeline", "add", inc, "--at", "2026-11-20T14:05:00Z", "--kind", "detected", "--text",
        "orders missing", "--link", "https://status.example.com/1",
      ])
    let detail = try #require(
      try cli.run(["incident", "show", inc, "--json"]).json() as? [String: Any])
    let factors = try #require(detail["factors"] as? [[String: Any]])
    #expect(factors.first?.string("id")?.hasPrefix(f) == true)
    #expect(factors.map { $0.string("gap") } == ["process", "private"])
    #expect(!(String(decoding: cli.bytes(cli.log), as: UTF8.self).contains("new to caches")))
    let timeline = try #require(detail["timeline"] as? [[String: Any]])
    #expect(timeline.first?.string("id")?.hasPrefix(e) == true)
    #expect(timeline.first?.string("time") == "2026-11-20T14:05:00.000Z")
    #expect(timeline.first?.string("link") == "https://status.example.com/1")
    let led = try #require(detail["ledTo"] as? [[String: Any]])
    #expect(
      led.map { "\($0.string("kind") ?? "") \($0["revision"] as? Int ?? 0)" } == [
        "template 2", "checklist 2",
      ])
    let history = try #require(detail["answerHistory"] as? [[String: Any]])
    #expect(history.map { $0["revision"] as? Int } == [1, 2])
    #expect(history.map { $0.string("by") } == ["Dana", "Lee"])

    let text = try cli.ok(["incident", "show", inc])
    #expect(text.contains("ops-retro rev 1") && text.contains("ops-retro rev 2"))
    #expect(text.contains("expected: durable saves") && text.contains("risk: edits"))
    #expect(text.contains("Dana  expected: durable saves") && text.contains("Lee  risk: edits"))
    #expect(text.contains("This led to: template ops-retro rev 2, checklist before-deploy rev 2"))
    #expect(text.contains("<https://status.example.com/1>"))
    try cli.ok(["review", old, "--answer", "root-cause=unknown cause"])
    let oldText = try cli.ok(["incident", "show", old])
    #expect(oldText.contains("unknown  root-cause"))
    #expect(!oldText.contains("cli-test"))

    let stats = try #require(try cli.run(["stats", "--json"]).json() as? [String: Any])
    #expect(stats["factorsByGap"] as? [String: Int] == ["process": 1])
  }

  @Test("the author: $LEARNLOG_AUTHOR, else git config user.name where the log is, else $USER")
  func authorFallsBackToGitThenUser() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Who wrote this"])
    func lastAuthor() throws -> String? {
      let detail = try #require(
        try cli.run(["incident", "show", inc, "--json"]).json() as? [String: Any])
      return (detail["answerHistory"] as? [[String: Any]])?.last?.string("by")
    }
    try cli.run(["review", inc, "--answer", "expected=a"], environment: ["USER": "login-name"])
    #expect(try lastAuthor() == "login-name")
    let git = try #require(TestTools.executable(named: "git"))
    let team = (cli.log as NSString).deletingLastPathComponent
    _ = try TestTools.run(git, ["-C", team, "init", "--quiet"])
    _ = try TestTools.run(git, ["-C", team, "config", "user.name", "Name From Git"])
    try cli.run(["review", inc, "--answer", "expected=b"], environment: ["USER": "login-name"])
    #expect(try lastAuthor() == "Name From Git")
    try cli.run(
      ["review", inc, "--answer", "expected=c"],
      environment: ["USER": "login-name", "LEARNLOG_AUTHOR": "Dana"])
    #expect(try lastAuthor() == "Dana")
  }

  @Test("a revision from another template keeps its answers shown after switching templates")
  func switchingTemplateKeepsAnswers() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Switch"])
    try cli.ok(["review", inc, "--answer", "assumption=it syncs"])
    try cli.ok(["review", inc, "--template", "aar", "--answer", "happened=it did not"])
    let text = try cli.ok(["incident", "show", inc])
    #expect(text.contains("assumption: it syncs") && text.contains("happened: it did not"))
    #expect(text.contains("  diagnostic") && text.contains("  aar"))
  }
}
