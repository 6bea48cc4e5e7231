import Foundation
import Testing

/// The real app in tmux over two teams' logs read together (`--file a --file b`, or
/// `LEARNLOG_FILES`): read-only, rows marked by log, the cross-team pattern escalated, a write
/// key refused with one line, both logs unchanged.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct AppOrganisationEndToEndTests {
  /// Starts the app on the two logs of `cli`, named by `logs` arguments and `environment`.
  static func start(
    _ cli: CLISandbox, logs: [String], environment: [String: String] = [:]
  ) throws -> TmuxSession {
    let env = try #require(TestTools.executable(named: "env"))
    var variables = cli.environment.merging(environment) { _, new in new }
    variables["LEARNLOG_FILE"] = nil
    variables["TERM"] = "xterm-256color"
    let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return try TmuxSession(
      program: env, arguments: ["-u", "LEARNLOG_FILE"] + assignments + [cli.binary] + logs,
      width: 100, height: 30)
  }

  @Test func twoTeamLogsReadTogetherInTheApp() throws {
    let (cli, web, api) = try CLIOrganisationTests.twoTeams()
    let before = [cli.bytes(web), cli.bytes(api)]
    let app = try Self.start(cli, logs: ["--file", web, "--file", api])
    defer { app.stop() }
    // The status line says read-only and names the logs.
    app.expectRow(containing: "read-only · 2 logs: web, api · 4 incidents")
    // Today: the review items marked by their log, the pattern by both.
    let today = app.expectRow(containing: "escalated")
    #expect(today.contains { $0.contains("web,api") && $0.contains("deploy/config-drift") })
    #expect(today.contains { $0.contains("web ") && $0.contains("web drift 1") })
    #expect(today.contains { $0.contains("api ") && $0.contains("api drift 1") })
    // Incidents: each row starts with its log.
    try app.press("2")
    let incidents = app.expectRow(containing: "4 of 4 incidents")
    for title in ["web drift 1", "web drift 2", "api drift 1", "api drift 2"] {
      #expect(
        incidents.contains { $0.hasPrefix(String(title.prefix(3)) + " ") && $0.contains(title) },
        "\(title): \(incidents.joined(separator: "\n"))")
    }
    // A write key: one line naming the logs, no form.
    try app.press("n")
    app.expectRow(
      containing: "error: read-only, 2 logs read together (web, api): open one alone to change it")
    // Lessons, marked; the pattern escalated across both teams.
    try app.press("4")
    let lessons = app.expectRow(containing: "Diff configs before deploy")
    #expect(lessons.contains { $0.contains("web ") && $0.contains("Diff configs before deploy") })
    try app.press("5")
    app.expectRow(containing: "across 2 teams: web, api")
    try app.press("q")
    #expect(app.file("status")?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    #expect([cli.bytes(web), cli.bytes(api)] == before, "a log changed")
  }

  @Test func learnlogFilesOpensTheUnionToo() throws {
    let (cli, web, api) = try CLIOrganisationTests.twoTeams()
    let app = try Self.start(cli, logs: [], environment: ["LEARNLOG_FILES": web + ":" + api])
    defer { app.stop() }
    app.expectRow(containing: "read-only · 2 logs: web, api · 4 incidents")
    try app.press("q")
    #expect(app.file("status")?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
  }
}
