import Foundation
import Testing

/// The command line's manners, as a newcomer meets them.
@Suite("command line: a newcomer's first hour")
struct CLINewcomerTests {
  @Test func showPrintsMultiLineTextAsIndentedLines() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let id = try cli.ok([
      "incident", "add", "--title", "Two lines", "--what", "first line\nsecond line",
    ])
    try cli.ok(["review", id, "--answer", "root-cause=cause one\ncause two"])
    try cli.ok(["lesson", "add", "--incident", id, "--text", "lesson one\nlesson two"])
    let shown = try cli.ok(["incident", "show", id])
    #expect(!shown.contains("^J"), "line breaks printed as ^J:\n\(shown)")
    let lines = shown.split(separator: "\n").map(String.init)
    // Each following line starts in the column where the first line's text starts.
    for (first, next) in [
      ("first line", "second line"), ("cause one", "cause two"),
      ("lesson one", "lesson two"),
    ] {
      let a = try #require(lines.first { $0.hasSuffix(first) }, "no line with \(first):\n\(shown)")
      let b = try #require(lines.first { $0.contains(next) }, "no line with \(next):\n\(shown)")
      #expect(b.trimmingCharacters(in: .whitespaces) == next)
      #expect(b.hasPrefix(" "), "\(next) is not indented: \(b)")
      #expect(
        a.count - first.count == b.count - next.count,
        "\(next) is not under \(first):\n\(a)\n\(b)")
    }
    // What the review still needs: one item a line, under its heading.
    let heading = try #require(lines.firstIndex { $0.hasPrefix("Review missing:") }, "\(shown)")
    #expect(lines[heading] == "Review missing:")
    #expect(lines[heading + 1].hasPrefix("  • gap type: "), "\(lines[heading + 1])")
  }

  /// Newest first: the day it happened, then the time it was recorded, later first; incidents
  /// recorded in one go (the demo) by their place in the log, later first.
  @Test func incidentListIsNewestFirstThenLatestRecorded() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    // Imported in one go: four incidents of one day recorded at the same instant.
    let csv = cli.file(
      "same-day.csv",
      "title,occurred\nAlpha,2026-01-05\nBravo,2026-01-05\nCharlie,2026-01-05\nDelta,2026-01-05\n")
    try cli.ok(["import", csv])
    let exported = try #require(
      try cli.run(["export", "--format", "json"]).json() as? [String: Any])
    let incidents = try #require(exported["incidents"] as? [[String: Any]])
    let keyed = incidents.enumerated().map { position, inc in
      (
        id: inc["id"] as? String ?? "", occurred: inc["occurred"] as? String ?? "",
        created: inc["created"] as? String ?? "", position: position
      )
    }
    let expected = keyed.sorted { a, b in
      if a.occurred != b.occurred { return a.occurred > b.occurred }
      if a.created != b.created { return a.created > b.created }
      return a.position > b.position
    }.map(\.id)
    let listed = try #require(
      try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]]
    ).compactMap { $0["id"] as? String }
    #expect(listed == expected)
  }

  // MARK: Manners

  @Test func versionIsPrinted() throws {
    let cli = try CLISandbox()
    let r = try cli.run(["--version"])
    #expect(r.status == 0, "--version failed: \(r.stderr)")
    #expect(r.stdout.wholeMatch(of: /learnlog \d+\.\d+\.\d+\n/) != nil, "\(r.stdout)")
  }

  @Test func aMistypedCommandIsNamedWithWhatWasMeant() throws {
    let cli = try CLISandbox()
    let cases: [([String], String)] = [
      (["incidnet", "list"], "unknown command 'incidnet'; did you mean 'incident'?"),
      (["incident", "lst"], "unknown command 'lst'; did you mean 'list'?"),
      (["acton", "done", "x"], "unknown command 'acton'; did you mean 'action'?"),
    ]
    for (arguments, expected) in cases {
      let r = try cli.run(arguments)
      #expect(r.status == 2)
      #expect(r.stderr.hasPrefix("error: " + expected), "\(arguments): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1)
    }
  }

  @Test func aNegativeCountIsRefusedClearly() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let r = try cli.run(["incident", "list", "--limit", "-3"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("--limit"), "\(r.stderr)")
    #expect(r.stderr.contains("-3"), "the message does not name the value: \(r.stderr)")
    #expect(!r.stderr.contains("missing value"), "\(r.stderr)")
  }

  @Test func usageErrorsEndWithOneStopBeforeTheHelpPointer() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let r = try cli.run(["export", "--format", "xml"])
    #expect(r.status == 2)
    #expect(!r.stderr.contains(".;"), "\(r.stderr)")
    #expect(r.stderr.contains("; see `learnlog export --help`"), "\(r.stderr)")
  }

  @Test func startAndDoneSayWhatChangedUnlessQuiet() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Checkout errors"])
    let action = try cli.ok([
      "action", "add", inc, "--title", "Add a config diff check", "--owner", "sam", "--due",
      "2099-12-01",
    ])
    let started = try cli.ok(["action", "start", action])
    #expect(started.contains("doing"), "start printed: \(started)")
    #expect(started.contains("Add a config diff check"))
    let done = try cli.ok(["action", "done", action])
    #expect(done.contains("done"), "done printed: \(done)")
    #expect(done.contains("Add a config diff check"))
    let other = try cli.ok([
      "action", "add", inc, "--title", "Second", "--owner", "sam", "--due", "2099-12-01",
    ])
    #expect(try cli.ok(["action", "start", "--quiet", other]) == "")
    #expect(try cli.ok(["action", "done", "--quiet", other]) == "")
  }

  @Test func aDueDateInThePastIsWarnedAbout() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Checkout errors"])
    let r = try cli.run([
      "action", "add", inc, "--title", "Late already", "--owner", "sam", "--due", "2020-01-01",
    ])
    #expect(r.status == 0)
    #expect(r.stderr.hasPrefix("warning: "), "no warning: \(r.stderr)")
    #expect(r.stderr.contains("2020-01-01"))
    let future = try cli.run([
      "action", "add", inc, "--title", "In time", "--owner", "sam", "--due", "2099-01-01",
    ])
    #expect(future.stderr.isEmpty)
  }

  @Test func anOwnerIsExactlyOnePerson() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "Checkout errors"])
    let before = cli.bytes(cli.log)
    for owners in ["lena, omar", "lena;omar", "lena and omar", "lena & omar", "lena/omar"] {
      let attempts: [[String]] = [
        ["action", "add", inc, "--title", "t", "--owner", owners, "--due", "2099-01-01"],
        ["incident", "add", "--title", "t", "--owner", owners],
        ["incident", "set", inc, "owner", owners],
      ]
      for arguments in attempts {
        let r = try cli.run(arguments)
        #expect(r.status == 1, "\(arguments) accepted \(owners)")
        #expect(r.stderr.hasPrefix("error: owner: "), "\(r.stderr)")
        #expect(r.stderr.contains("one person"), "\(r.stderr)")
      }
    }
    #expect(cli.bytes(cli.log) == before)
    // One person, however written, is fine.
    try cli.ok([
      "action", "add", inc, "--title", "t", "--owner", "Lena Ortiz", "--due", "2099-01-01",
    ])
  }

  /// `--search` ignores accents and the shape of quotes, as the app's search does.
  @Test func searchFoldsAccentsAndQuotes() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let resume = try cli.ok(["incident", "add", "--title", "Résumé parser drops the CRÈME field"])
    let tucows = try cli.ok(["incident", "add", "--title", "Tucows’ DNS outage"])
    try cli.ok(["incident", "add", "--title", "Unrelated"])
    func found(_ needle: String) throws -> [String] {
      try #require(
        try cli.run(["incident", "list", "--search", needle, "--json"]).json() as? [[String: Any]]
      ).compactMap { ($0["id"] as? String).map { String($0.prefix(6)) } }
    }
    #expect(try found("resume") == [String(resume.prefix(6))])
    #expect(try found("creme") == [String(resume.prefix(6))])
    #expect(try found("RÉSUMÉ") == [String(resume.prefix(6))])
    #expect(try found("tucows'") == [String(tucows.prefix(6))])
    #expect(try found("tucows’") == [String(tucows.prefix(6))])
  }

  /// Pattern keys take letters of every script, normalised by Unicode case folding.
  @Test func patternKeysInAnyScript() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let cases: [(String, String)] = [
      ("検索/タイムアウト", "検索/タイムアウト"), ("Données/Perte", "données/perte"),
      ("Donne\u{301}es / PERTE", "données/perte"), ("Поиск/Тайм-аут", "поиск/тайм-аут"),
      ("Deploy / Config Drift", "deploy/config-drift"),
    ]
    for (given, key) in cases {
      let id = try cli.ok(["incident", "add", "--title", "t", "--pattern", given])
      let shown = try #require(
        try cli.run(["incident", "show", id, "--json"]).json() as? [String: Any])
      #expect(shown["patterns"] as? [String] == [key], "\(given)")
    }
    let keys = try #require(try cli.run(["patterns", "--json"]).json() as? [[String: Any]])
      .compactMap { $0["key"] as? String }
    #expect(keys.filter { $0 == "données/perte" }.count == 1, "\(keys)")
  }

  /// Counts are written as words say them ("1 day", "7 days"), never "day(s)": every read
  /// command's human output on the demo log (overdue actions, late reviews, checklists).
  @Test func noCountIsWrittenWithAParenthesisedPlural() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    let incidents = try #require(
      try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]]
    ).compactMap { $0["id"] as? String }
    let checklists = try #require(
      try cli.run(["checklist", "list", "--json"]).json() as? [[String: Any]]
    ).compactMap { $0["name"] as? String }
    var commands: [[String]] = [
      ["today"], ["patterns"], ["stats"], ["incident", "list"], ["action", "list"],
      ["lesson", "list"], ["experiment", "list"], ["template", "list"], ["checklist", "list"],
      ["recognition"], ["win", "list"], ["check"], ["export", "--format", "markdown"],
    ]
    commands += incidents.map { ["incident", "show", $0] }
    commands += checklists.map { ["checklist", "show", $0] }
    for arguments in commands {
      let r = try cli.run(arguments)
      #expect(r.status == 0, "\(arguments): \(r.stderr)")
      let text = r.stdout + r.stderr
      #expect(
        text.firstMatch(of: /[a-z]\(s\)/) == nil,
        "learnlog \(arguments.joined(separator: " ")) writes a '(s)' plural")
    }
    #expect(commands.count > 20)
  }

  // MARK: Where things live

  /// Inside a git work tree, `init` puts the log in the repository's `.learnlog/`, says so, and
  /// `git-setup` then finds the repository: the README's sharing recipe works as written.
  @Test(.enabled(if: TestTools.executable(named: "git") != nil, "git is not installed; skipping"))
  func initInsideAGitWorkTreeCreatesTheSharedLog() throws {
    let cli = try CLISandbox()
    let repo = cli.directory + "/team-repo"
    try FileManager.default.createDirectory(
      atPath: repo + "/src/deep", withIntermediateDirectories: true)
    let git = try #require(TestTools.executable(named: "git"))
    try TestTools.run(git, ["init", "-q", repo])
    let noFile: [String: String?] = ["LEARNLOG_FILE": nil]
    let r = try cli.run(["init"], currentDirectory: repo + "/src/deep", environment: noFile)
    #expect(r.status == 0, "\(r.stderr)")
    let log = repo + "/.learnlog/log.jsonl"
    #expect(FileManager.default.fileExists(atPath: log), "no log at \(log): \(r.stdout)")
    #expect(r.stdout.contains(log), "init does not say where it wrote: \(r.stdout)")
    let setup = try cli.run(["git-setup"], currentDirectory: repo + "/src", environment: noFile)
    #expect(setup.status == 0, "git-setup: \(setup.stderr)")
  }

  /// Where `.learnlog/` exists (no git), `init` creates the log in it.
  @Test func initUsesAnExistingLearnlogDirectory() throws {
    let cli = try CLISandbox()
    let team = cli.directory + "/team-dir"
    try FileManager.default.createDirectory(
      atPath: team + "/.learnlog", withIntermediateDirectories: true)
    let r = try cli.run(["init"], currentDirectory: team, environment: ["LEARNLOG_FILE": nil])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: team + "/.learnlog/log.jsonl"), "\(r.stdout)")
  }

  /// `learnlog --help` says where the log, private notes, drafts, writer id and cache live.
  @Test func helpSaysWhereThingsLive() throws {
    let cli = try CLISandbox()
    let help = try cli.ok(["--help"])
    for place in [
      "XDG_DATA_HOME/learnlog/log.jsonl", "XDG_DATA_HOME/learnlog/private",
      "XDG_STATE_HOME/learnlog/drafts", "XDG_CONFIG_HOME/learnlog/writer-id",
      "XDG_CACHE_HOME/learnlog", "LEARNLOG_OSC52=1", "LEARNLOG_AUTHOR",
    ] {
      #expect(help.contains(place), "--help does not say \(place)")
    }
  }
}
