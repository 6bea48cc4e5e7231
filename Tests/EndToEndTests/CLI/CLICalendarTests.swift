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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(calcursePath))
    process.arguments = ["-D", home, "-i", file]
    process.environment = ["HOME": cli.directory + "/home", "LANG": "C.UTF-8", "TZ": "UTC"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(report)")
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
    // The summary came through unescaped: comma, semicolon and accents intact, with the short id.
    let short = String(web.prefix(6))
    #expect(
      todos.contains {
        $0.contains("Due: Diff configs per region — Checkout errors, après déploiement; eu (")
          && $0.contains(short)
      }, "\(todo)")
  }
}
