import Foundation
import Testing

/// `import --format github|jira`: thousands of issues, the documented mapping, re-import no-ops.
@Suite("command line: GitHub and Jira imports")
struct CLIExternalImportTests {
  static let count = 1_000

  /// A `gh issue list --json number,title,body,labels,createdAt,closedAt,author,url` array.
  static func githubJSON(_ n: Int) throws -> String {
    var issues: [[String: Any]] = []
    for i in 1...n {
      var labels: [[String: Any]] = [["name": "area-\(i % 7)", "color": "ededed"]]
      switch i % 4 {
      case 0: labels += [["name": "incident"], ["name": "sev1"]]
      case 1: labels += [["name": "kind:deadline"], ["name": "severity:low"]]
      case 2: labels += [["name": "bug"], ["name": "team:api"]]
      default: break
      }
      issues.append([
        "number": i, "title": "Issue \(i): checkout, \"quoted\" ünïcode",
        "body": i % 5 == 0 ? "" : "Body of \(i)\nsecond line",
        "labels": labels, "createdAt": "2024-03-\(String(format: "%02d", i % 28 + 1))T15:04:05Z",
        "closedAt": i % 3 == 0 ? "2024-04-01T00:00:00Z" : NSNull(),
        "author": ["login": "user\(i % 9)", "is_bot": false],
        "url": "https://github.com/org/repo/issues/\(i)",
      ])
    }
    let data = try JSONSerialization.data(withJSONObject: issues)
    return String(decoding: data, as: UTF8.self)
  }

  /// A Jira CSV export: the Labels column repeated, Jira's date format, quoted cells.
  static func jiraCSV(_ n: Int) -> String {
    var lines = [
      "Summary,Issue key,Issue id,Issue Type,Status,Priority,Assignee,Created,Resolved,Labels,Labels,Description"
    ]
    let priorities = ["Highest", "High", "Medium", "Low", "Lowest"]
    for i in 1...n {
      let labels = i % 2 == 0 ? ["db", "sev-2"] : ["ops", ""]
      lines.append(
        [
          "\"Failover, slow \(i)\"", "OPS-\(i)", "\(10000 + i)", i % 3 == 0 ? "Bug" : "Task",
          "Done", priorities[i % 5], "person\(i % 4)", "\(i % 28 + 1)/Mar/24 3:04 PM",
          i % 2 == 0 ? "20/Apr/24 9:15 AM" : "", labels[0], labels[1],
          "\"Line one\nline \"\"two\"\"\"",
        ].joined(separator: ","))
    }
    return lines.joined(separator: "\r\n") + "\r\n"
  }

  static func incidents(_ cli: CLISandbox) throws -> [[String: Any]] {
    try #require(try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]])
  }

  @Test("1,000 GitHub issues import with the label mapping; importing again changes nothing")
  func github() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let file = cli.file("issues.json", try Self.githubJSON(Self.count))
    let r = try cli.run(["import", file, "--format", "github", "--team", "web"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("imported 1000 incidents"), "\(r.stderr)")
    let list = try Self.incidents(cli)
    #expect(list.count == Self.count)
    func one(_ i: Int) throws -> [String: Any] {
      try #require(list.first { ($0["title"] as? String)?.hasPrefix("Issue \(i):") == true })
    }
    let four = try one(4)  // incident + sev1, closed? 4 % 3 != 0: open
    #expect(four["kind"] as? String == "production")
    #expect(four["severity"] as? String == "critical")
    #expect(four["team"] as? String == "web")
    #expect(four["status"] as? String == "open")
    #expect(four["tags"] as? [String] == ["area-4"])
    #expect(four["owner"] as? String == "user4")
    #expect(four["occurred"] as? String == "2024-03-05")
    #expect((four["what"] as? String)?.contains("https://github.com/org/repo/issues/4") == true)
    let five = try one(5)
    #expect(five["kind"] as? String == "deadline")
    #expect(five["severity"] as? String == "low")
    let six = try one(6)  // bug + team:api, closed
    #expect(six["kind"] as? String == "production")
    #expect(six["team"] as? String == "api")
    #expect(six["status"] as? String == "closed")
    #expect(six["title"] as? String == "Issue 6: checkout, \"quoted\" ünïcode")

    let before = cli.bytes(cli.log)
    let again = try cli.run(["import", file, "--format", "github", "--team", "web"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("skipped 1000 already in the log"), "\(again.stderr)")
    #expect(cli.bytes(cli.log) == before, "re-importing changed the log")
  }

  @Test("a 1,000-row Jira CSV imports with repeated Labels columns; importing again is a no-op")
  func jira() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let file = cli.file("jira.csv", Self.jiraCSV(Self.count))
    let r = try cli.run(["import", file, "--format", "jira"])
    #expect(r.status == 0, "\(r.stderr)")
    let list = try Self.incidents(cli)
    #expect(list.count == Self.count)
    func one(_ i: Int) throws -> [String: Any] {
      try #require(list.first { $0["title"] as? String == "Failover, slow \(i)" })
    }
    let six = try one(6)  // Bug, Low (6 % 5 = 1 → High), labels db + sev-2, resolved
    #expect(six["kind"] as? String == "production")
    #expect(six["severity"] as? String == "high")
    #expect(six["tags"] as? [String] == ["db"])
    #expect(six["status"] as? String == "closed")
    #expect(six["owner"] as? String == "person2")
    #expect(six["occurred"] as? String == "2024-03-07")
    #expect((six["what"] as? String)?.contains("line \"two\"") == true)
    #expect((six["what"] as? String)?.contains("Jira OPS-6") == true)
    let seven = try one(7)  // Task, Medium… 7 % 5 = 2 → Medium, labels ops, open
    #expect(seven["kind"] as? String == "other")
    #expect(seven["severity"] as? String == "medium")
    #expect(seven["tags"] as? [String] == ["ops"])
    #expect(seven["status"] as? String == "open")

    let before = cli.bytes(cli.log)
    let again = try cli.run(["import", file, "--format", "jira"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("skipped 1000"), "\(again.stderr)")
    #expect(cli.bytes(cli.log) == before, "re-importing changed the log")
  }

  @Test(
    "one bad row imports nothing and names the row",
    arguments: [
      (
        "github",
        "[{\"number\":1,\"title\":\"ok\",\"createdAt\":\"2024-03-01T00:00:00Z\",\"url\":\"https://x/1\"},{\"number\":2,\"title\":\"bad\",\"createdAt\":\"yesterday\",\"url\":\"https://x/2\"}]",
        "item 2"
      ),
      ("github", "{\"not\":\"a list\"}", "expected a list"),
      (
        "jira", "Summary,Issue key,Created\nok,A-1,12/Mar/24 3:04 PM\nbad,A-2,32/Mar/24 3:04 PM\n",
        "row 3"
      ),
      ("jira", "Summary,Issue key,Created\nok,,12/Mar/24 3:04 PM\n", "row 2"),
      ("jira", "Title,Created\nok,12/Mar/24\n", "Issue key"),
    ])
  func badRow(format: String, text: String, names: String) throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let before = cli.bytes(cli.log)
    let file = cli.file("bad.\(format)", text)
    let r = try cli.run(["import", file, "--format", format])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(names), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1)
    #expect(cli.bytes(cli.log) == before)
  }

  /// One GitHub issue as JSON text, its fields given as JSON fragments.
  static func issue(
    number: String = "1", url: String? = "\"https://github.com/o/r/issues/1\"",
    createdAt: String = "\"2024-03-01T00:00:00Z\""
  ) -> String {
    var fields = ["\"number\":\(number)", "\"title\":\"t\"", "\"createdAt\":\(createdAt)"]
    if let url { fields.append("\"url\":\(url)") }
    return "{" + fields.joined(separator: ",") + "}"
  }

  /// Issue identity is the http(s) address: an issue without one, or with a number that is not
  /// a positive whole number, is refused naming the item, after a good item, importing nothing.
  @Test(
    "an issue without an http(s) url or with a bad number is refused, all or nothing",
    arguments: [
      (issue(url: nil), "'url'"),
      (issue(url: "\"\""), "'url'"),
      (issue(url: "\"javascript:alert(1)\""), "'url'"),
      (issue(url: "\"ftp://github.com/o/r/issues/1\""), "'url'"),
      (issue(url: "null"), "'url'"),
      (issue(number: "-3"), "'number'"),
      (issue(number: "\"11\""), "'number'"),
      (issue(number: "1.5"), "'number'"),
      (issue(number: "0"), "'number'"),
    ])
  func githubIdentity(item: String, field: String) throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let good = Self.issue(number: "7", url: "\"https://github.com/o/r/issues/7\"")
    let before = cli.bytes(cli.log)
    let file = cli.file("bad.json", "[\(good),\(item)]")
    let r = try cli.run(["import", file, "--format", "github"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("item 2"), "\(r.stderr)")
    #expect(r.stderr.contains(field), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(cli.bytes(cli.log) == before)
  }

  /// Two repositories' issue 14 are two incidents: the address, not the number, is the key.
  @Test("the same number from two repositories imports twice")
  func sameNumberOtherRepository() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let first = cli.file(
      "a.json", "[\(Self.issue(number: "14", url: "\"https://github.com/o/a/issues/14\""))]")
    try cli.ok(["import", first, "--format", "github"])
    let second = cli.file(
      "b.json", "[\(Self.issue(number: "14", url: "\"https://github.com/o/b/issues/14\""))]")
    let r = try cli.run(["import", second, "--format", "github"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("imported 1 incident"), "\(r.stderr)")
    #expect(try Self.incidents(cli).count == 2)
  }

  /// RFC 3339 times: an offset or a long fraction is accepted; the occurred day is the UTC day.
  @Test(
    "createdAt with an offset or a fraction is accepted as its UTC day",
    arguments: [
      ("2024-01-01T03:00:00+05:00", "2023-12-31"),
      ("2023-12-31T22:00:00-05:00", "2024-01-01"),
      ("2024-01-01T00:00:00.123456Z", "2024-01-01"),
      ("2024-01-01T12:00:00.5+00:00", "2024-01-01"),
    ])
  func githubOffsets(time: String, day: String) throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let file = cli.file("i.json", "[\(Self.issue(createdAt: "\"\(time)\""))]")
    let r = try cli.run(["import", file, "--format", "github"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try Self.incidents(cli).first?["occurred"] as? String == day)
  }

  /// Not GitHub issue JSON (empty, broken, not a list): the advice is the `gh` command.
  @Test("bad GitHub JSON advises the gh command", arguments: ["", "[{", "{\"a\":1}", "12"])
  func githubAdvice(text: String) throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let before = cli.bytes(cli.log)
    let r = try cli.run(["import", cli.file("x.json", text), "--format", "github"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("gh issue list --state all"))
    #expect(!r.stderr.contains("learnlog export"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(cli.bytes(cli.log) == before)
  }

  /// Thousands of issues: on a terminal, standard error shows how far the import is (one line
  /// rewritten in place, ended by the count written); through a pipe, only the summary.
  @Test(
    "progress on a terminal for thousands of rows, never on a pipe", arguments: ["github", "jira"])
  func progressOnATerminal(format: String) throws {
    let n = 3_000
    let text = format == "github" ? try Self.githubJSON(n) : Self.jiraCSV(n)
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let file = cli.file("big.\(format)", text)
    var env = cli.environment
    env["TERM"] = "xterm"
    let tty = try TerminalOutputMatrixTests.runOnTerminal(
      cli.binary, ["import", file, "--format", format], directory: cli.directory,
      environment: env)
    let shown = String(decoding: tty.terminal, as: UTF8.self)
    #expect(tty.status == 0, "\(shown)")
    #expect(shown.contains("\r\u{1B}[Kimport: 1000 of \(n) issues checked"), "\(shown)")
    #expect(shown.contains("import: \(n) of \(n) issues checked"), "\(shown)")
    #expect(shown.contains("imported \(n) incidents"), "\(shown)")
    #expect(try Self.incidents(cli).count == n)
    // A pipe: the summary alone, no carriage return, no escape sequence.
    let other = try CLISandbox()
    try other.ok(["init"])
    let piped = try other.run(["import", other.file("big.\(format)", text), "--format", format])
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("\u{1B}"), "\(piped.stderr)")
    #expect(!piped.stderr.contains("issues checked"), "\(piped.stderr)")
  }
}
