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
    #expect(drift["logs"] as? [String] == ["web", "api"] || drift["logs"] as? [String] == ["api", "web"])
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
    let stats = try #require(
      try cli.run(["stats", "--json"], environment: env).json() as? [String: Any])
    #expect(stats["logs"] as? [String] == ["web", "api"])
    let digest = try cli.run(["export", "--format", "markdown"], environment: env).stdout
    #expect(digest.contains("web drift 1") && digest.contains("api drift 2"))
    let exported = try #require(
      try cli.run(["export", "--format", "json", "--team", "api"], environment: env).json()
        as? [String: Any])
    #expect((exported["incidents"] as? [Any])?.count == 2)
  }

  @Test("every write names the several logs and refuses, leaving both logs unchanged")
  func writesRefused() throws {
    let (cli, web, api) = try Self.twoTeams()
    let before = [cli.bytes(web), cli.bytes(api)]
    let writes: [[String]] = [
      ["incident", "add", "--title", "x"], ["lesson", "add", "--text", "x"],
      ["import", cli.file("i.csv", "title\nx\n")], ["init"], ["repair", "--yes"],
    ]
    for w in writes {
      let r = try cli.run(["--file", web, "--file", api] + w)
      #expect(r.status != 0, "\(w) was not refused")
      #expect(r.stderr.hasPrefix("error: ") && r.stderr.split(separator: "\n").count == 1, "\(w): \(r.stderr)")
      #expect(r.stderr.contains("one log"), "\(w): \(r.stderr)")
    }
    #expect([cli.bytes(web), cli.bytes(api)] == before)
  }
}
