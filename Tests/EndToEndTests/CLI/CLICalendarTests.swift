import Foundation
import Testing

/// Whether calcurse (a calendar that imports iCalendar files) is installed.
private let calcursePath: String? = ["/usr/bin/calcurse", "/usr/local/bin/calcurse"].first {
  FileManager.default.isExecutableFile(atPath: $0)
}

/// `export --format ics` read back by a real calendar program.
@Suite("command line: calendar export")
struct CLICalendarTests {
  /// A log with two teams' incidents, actions (one a mitigation), a scheduled review, an
  /// experiment and a lesson, all dated.
  static func sandbox() throws -> (CLISandbox, web: String) {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let web = try cli.ok([
      "incident", "add", "--title", "Checkout errors, après déploiement; eu", "--team", "web",
      "--kind", "production", "--occurred", "2026-01-10",
    ])
    let api = try cli.ok([
      "incident", "add", "--title", "Slow search", "--team", "api", "--occurred", "2026-01-12",
    ])
    try cli.ok([
      "action", "add", web, "--title", "Diff configs per region", "--owner", "sam",
      "--due", "2026-02-01", "--signal", "drift caught",
    ])
    try cli.ok([
      "action", "add", api, "--title", "Index the field", "--owner", "ana", "--due", "2026-02-03",
    ])
    try cli.ok([
      "experiment", "add", web, "--hypothesis", "a diff check catches drift",
      "--criteria", "no drift for 4 weeks", "--check", "2026-03-01",
    ])
    try cli.ok([
      "action", "add", web, "--title", "Pin the old config", "--owner", "lee", "--due",
      "2026-02-05",
      "--type", "mitigate", "--until", "2026-02-15",
    ])
    // A review must be scheduled today or later: a far day keeps the test independent of the clock.
    try cli.ok([
      "review", "schedule", web, "--on", "2099-01-15", "--facilitator", "sam", "--with", "ana",
    ])
    try cli.ok([
      "lesson", "add", "--text", "Diff configs before deploy", "--incident", web, "--team", "web",
      "--revalidate", "2026-09-01",
    ])
    return (cli, web)
  }

  @Test("the export is RFC 5545 text: CRLF, folded, one item per date, stable UIDs")
  func shape() throws {
    let (cli, _) = try Self.sandbox()
    let first = try cli.run(["export", "--format", "ics"])
    #expect(first.status == 0, "\(first.stderr)")
    let text = first.stdout
    #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.hasSuffix("END:VCALENDAR\r\n"))
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
    let uids = text.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }
    // 3 actions × (due + review) + 1 mitigation end + 1 scheduled review + 1 experiment check
    // + 1 lesson revalidation.
    #expect(uids.count == 10)
    #expect(Set(uids).count == 10)
    #expect(uids.contains { $0.hasSuffix("-mitigation-end@learnlog") })
    #expect(uids.contains { $0.hasSuffix("-scheduled-review@learnlog") })
    let again = try cli.run(["export", "--format", "ics"]).stdout
    #expect(again.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") } == uids)
    let web = try cli.run(["export", "--format", "ics", "--team", "web"]).stdout
    #expect(web.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }.count == 8)
    let late = try cli.run(["export", "--format", "ics", "--since", "2026-02-02"]).stdout
    #expect(late.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }.count == 9)
  }

  /// Runs calcurse on the data directory `home` with `arguments`; its status and output.
  static func calcurse(_ cli: CLISandbox, home: String, _ arguments: [String]) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(calcursePath))
    process.arguments = ["-D", home] + arguments
    process.environment = ["HOME": cli.directory + "/home", "LANG": "C.UTF-8", "TZ": "UTC"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, output)
  }

  @Test(
    "calcurse imports the calendar: every item, and the incident's title in a summary",
    .enabled(if: calcursePath != nil, "calcurse is not installed"))
  func calcurseReadsIt() throws {
    let (cli, web) = try Self.sandbox()
    let file = cli.directory + "/team.ics"
    let r = try cli.run(["export", "--format", "ics", "--output", file])
    #expect(r.status == 0, "\(r.stderr)")
    let home = cli.directory + "/calcurse"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    let (status, report) = try Self.calcurse(cli, home: home, ["-i", file])
    #expect(status == 0, "\(report)")
    #expect(report.contains("0 skipped"), "\(report)")
    let apts = (try? String(contentsOfFile: home + "/apts", encoding: .utf8)) ?? ""
    let todo = (try? String(contentsOfFile: home + "/todo", encoding: .utf8)) ?? ""
    let events = apts.split(separator: "\n")
    let todos = todo.split(separator: "\n")
    // 3 reviews + 1 mitigation end + 1 scheduled review + 1 check + 1 revalidation as events;
    // 3 due dates as to-dos.
    #expect(events.count == 7, "\(apts)")
    #expect(todos.count == 3, "\(todo)")
    #expect(events.contains { $0.hasPrefix("02/15/2026 [1] ") && $0.contains("Retire mitigation") })
    #expect(events.contains { $0.hasPrefix("01/15/2099 [1] ") && $0.contains("Review incident") })
    #expect(events.contains { $0.hasPrefix("03/01/2026 [1] ") && $0.contains("Check experiment") })
    // Every kind of dated thing is there: due dates, action reviews, the experiment check, the
    // lesson's revalidation, the scheduled review, the mitigation's end.
    for summary in [
      "Due: ", "Review action: ", "Check experiment: ", "Revalidate lesson: ", "Review incident: ",
      "Retire mitigation: ",
    ] {
      #expect(
        (events + todos).contains { $0.contains(summary) }, "no \(summary) item: \(apts)\(todo)")
    }
    // The summary came through unescaped: comma, semicolon and accents intact, with the short id.
    let short = String(web.prefix(6))
    #expect(
      todos.contains {
        $0.contains("Due: Diff configs per region — Checkout errors, après déploiement; eu (")
          && $0.contains(short)
      }, "\(todo)")
  }
}

extension CLICalendarTests {
  /// calcurse's own SHA1 of every item in its data directory `home`, one per line.
  static func hashes(_ cli: CLISandbox, home: String) throws -> [String] {
    let (status, output) = try calcurse(
      cli, home: home,
      [
        "-G", "--format-apt", "%(hash)\\n", "--format-event", "%(hash)\\n",
        "--format-todo", "%(hash)\\n", "--format-recur-apt", "%(hash)\\n",
        "--format-recur-event", "%(hash)\\n",
      ])
    #expect(status == 0, "\(output)")
    return output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
  }

  /// Importing the export again makes exactly the same items: calcurse ignores UIDs and
  /// appends what it imports, so it holds each item twice, every copy identical (the same
  /// calcurse hash), none new.
  ///
  /// A renamed incident keeps its items' UIDs, so a calendar keyed by
  /// UID updates them in place; calcurse holds the changed items beside the old ones.
  @Test(
    "re-importing into calcurse makes the same items again, none new; a change keeps every UID",
    .enabled(if: calcursePath != nil, "calcurse is not installed"))
  func reimportIntoCalcurse() throws {
    let (cli, _) = try Self.sandbox()
    let home = cli.directory + "/calcurse"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    let first = cli.directory + "/first.ics"
    #expect(try cli.run(["export", "--format", "ics", "--output", first]).status == 0)
    _ = try Self.calcurse(cli, home: home, ["-i", first])
    let once = try Self.hashes(cli, home: home)
    #expect(once.count == 10, "\(once)")
    #expect(Set(once).count == 10)
    // The same log exported again, imported again: the same ten items, none new.
    let second = cli.directory + "/second.ics"
    #expect(try cli.run(["export", "--format", "ics", "--output", second]).status == 0)
    _ = try Self.calcurse(cli, home: home, ["-i", second])
    let twice = try Self.hashes(cli, home: home)
    #expect(twice.count == 20, "calcurse appends what it imports: \(twice.count) items")
    #expect(Set(twice) == Set(once), "the second import brought new items")
    // An incident renamed: the same UIDs; the summaries naming it changed.
    func uids(_ path: String) -> [String] {
      ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").components(separatedBy: "\r\n")
        .filter { $0.hasPrefix("UID:") }
    }
    let incidents = try #require(
      try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]])
    let api = try #require(
      incidents.first { $0["title"] as? String == "Slow search" }?["id"] as? String)
    try cli.ok(["incident", "set", api, "title", "Slow search on /q"])
    let third = cli.directory + "/third.ics"
    #expect(try cli.run(["export", "--format", "ics", "--output", third]).status == 0)
    #expect(uids(third) == uids(first))
    _ = try Self.calcurse(cli, home: home, ["-i", third])
    let after = try Self.hashes(cli, home: home)
    // Its action's due date and review date name the incident: two items changed.
    #expect(after.count == 30)
    #expect(Set(after).subtracting(once).count == 2, "\(after.count) items after the change")
  }

  /// `--output` into a directory that does not exist: every format, a user error naming the
  /// directory (exit 1), not a disk failure; nothing is written, the log unchanged.
  @Test(
    "an output file in a missing directory is refused naming it",
    arguments: ["ics", "json", "csv", "markdown"])
  func missingOutputDirectory(format: String) throws {
    let (cli, _) = try Self.sandbox()
    let before = cli.bytes(cli.log)
    let missing = cli.directory + "/no-such-dir"
    let r = try cli.run(["export", "--format", format, "--output", missing + "/x.out"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("no-such-dir"), "\(r.stderr)")
    #expect(r.stderr.contains("does not exist"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: missing))
    #expect(cli.bytes(cli.log) == before)
  }

  /// `--table` chooses a CSV table: with any other format it is refused, never ignored.
  @Test("--table with a format other than csv is refused", arguments: ["ics", "json", "markdown"])
  func tableOnlyWithCSV(format: String) throws {
    let (cli, _) = try Self.sandbox()
    let before = cli.bytes(cli.log)
    let r = try cli.run(["export", "--format", format, "--table", "actions"])
    #expect(r.status == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("csv"), "\(r.stderr)")
    #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(cli.bytes(cli.log) == before)
    #expect(try cli.run(["export", "--format", "csv", "--table", "actions"]).status == 0)
  }

  /// A team with no incident: every format warns on standard error and still exits 0; a team
  /// that has incidents gets no warning.
  @Test(
    "--team naming no incident's team warns in every format",
    arguments: ["ics", "json", "csv", "markdown"])
  func unknownTeamWarns(format: String) throws {
    let (cli, _) = try Self.sandbox()
    let r = try cli.run(["export", "--format", format, "--team", "nosuch"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("no incidents of team 'nosuch'"), "\(r.stderr)")
    let known = try cli.run(["export", "--format", format, "--team", "WEB"])
    #expect(known.status == 0, "\(known.stderr)")
    #expect(!known.stderr.contains("no incidents of team"), "\(known.stderr)")
  }
}
