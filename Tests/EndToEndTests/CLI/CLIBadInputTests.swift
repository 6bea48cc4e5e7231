import Foundation
import Testing

/// Bad input on every command: one `error:` line naming the problem, a non-zero exit, the log
/// byte for byte unchanged.
@Suite("command line: bad input")
struct CLIBadInputTests {
  /// One bad invocation: `$I` stands for an incident id, `$A` for a done action, `$O` for an
  /// open action, `$E` for a decided experiment, `$P` for an ambiguous incident prefix.
  struct Case: CustomStringConvertible {
    var arguments: [String]
    var status: Int32
    var message: String
    var description: String { arguments.joined(separator: " ") }
    init(_ arguments: [String], _ status: Int32, _ message: String) {
      self.arguments = arguments
      self.status = status
      self.message = message
    }
  }

  static let cases: [Case] = [
    Case(["init"], 1, "already exists"),
    Case(["incident", "add"], 2, "missing expected argument '--title"),
    Case(
      ["incident", "add", "--title", "x", "--kind", "outage"], 1, "kind: 'outage' is not one of"),
    Case(["incident", "add", "--title", "x", "--severity", "huge"], 1, "severity: 'huge'"),
    Case(["incident", "add", "--title", "x", "--occurred", "2026-02-30"], 1, "not a valid date"),
    Case(["incident", "add", "--title", "x", "--colour", "red"], 2, "unknown option '--colour'"),
    Case(["incident", "list", "--status", "finished"], 1, "'finished' is not one of"),
    Case(["incident", "list", "--kind", "nope"], 1, "'nope' is not one of"),
    Case(["incident", "show", "zzzzzz"], 1, "no incident with id 'zzzzzz'"),
    Case(["incident", "show", "$P"], 1, "is ambiguous"),
    Case(["incident", "show"], 2, "missing expected argument"),
    Case(["incident", "set", "$I", "colour", "red"], 1, "colour"),
    Case(["incident", "set", "$I", "severity", "huge"], 1, "'huge'"),
    Case(["incident", "set", "zzzzzz", "title", "x"], 1, "no incident"),
    Case(["review", "$I", "--answer", "mood=fine"], 1, "mood"),
    Case(["review", "$I", "--answer", "gap=laziness"], 1, "laziness"),
    Case(["review", "$I", "--template", "nonesuch", "--answer", "a=b"], 1, "nonesuch"),
    Case(["review", "$I", "--answer", "no-equals-sign"], 2, "KEY=TEXT"),
    Case(["review", "$I"], 2, "--answer"),
    Case(
      ["action", "add", "$I", "--title", "t", "--owner", "o", "--due", "tomorrow"], 1,
      "'tomorrow' is not a valid date"),
    Case(
      ["action", "add", "zzzzzz", "--title", "t", "--owner", "o", "--due", "2026-01-01"], 1,
      "no incident"),
    Case(["action", "add", "$I", "--title", "t", "--due", "2026-01-01"], 2, "'--owner"),
    Case(
      [
        "action", "add", "$I", "--title", "t", "--owner", "o", "--due", "2026-01-01", "--type",
        "wish",
      ], 1, "'wish'"),
    Case(["action", "start", "zzzzzz"], 1, "no action with id 'zzzzzz'"),
    Case(["action", "start", "$A"], 1, "done"),
    Case(["action", "done", "zzzzzz"], 1, "no action"),
    Case(["action", "drop", "$O"], 2, "'--reason"),
    Case(["action", "drop", "$A", "--reason", "late"], 1, "done"),
    Case(["action", "verify", "$A", "--outcome", "maybe"], 1, "'maybe' is not one of"),
    Case(["action", "verify", "$O", "--outcome", "verified"], 1, "not done"),
    Case(["action", "list", "--status", "stuck"], 1, "'stuck'"),
    Case(
      ["experiment", "add", "$I", "--hypothesis", "h", "--criteria", "c", "--check", "2026-13-01"],
      1, "not a valid date"),
    Case(
      ["experiment", "add", "$I", "--hypothesis", "h", "--check", "2026-12-01"], 2, "'--criteria"),
    Case(["experiment", "result", "$E", "--decision", "adopt"], 1, "already decided"),
    Case(["experiment", "result", "zzzzzz", "--decision", "maybe"], 1, "zzzzzz"),
    Case(["lesson", "add", "--text", "t", "--incident", "zzzzzz"], 1, "no incident"),
    Case(
      ["lesson", "add", "--text", "t", "--revalidate", "soon"], 1, "'soon' is not a valid date"),
    Case(["lesson", "list", "--colour"], 2, "unknown option"),
    Case(["note", "add", "zzzzzz", "--text", "t"], 1, "no incident"),
    Case(["note", "add", "$I"], 1, "the note on standard input is empty"),
    Case(["patterns", "--verbose"], 2, "unknown option"),
    Case(["today", "extra"], 2, "unexpected argument"),
    Case(["stats", "--weeks", "0"], 2, "--weeks"),
    Case(["export", "--format", "pdf"], 2, "pdf"),
    Case(["export"], 2, "'--format"),
    Case(
      ["export", "--format", "json", "--since", "last-week"], 1, "'last-week' is not a valid date"),
    Case(["export", "--format", "csv", "--table", "people"], 1, "'people'"),
    Case(["import", "/nonexistent/file.json"], 1, "cannot read /nonexistent/file.json"),
    Case(["import", "$DIR/data.txt"], 2, "--format json or --format csv"),
    Case(["import", "$DIR/bad.csv"], 1, "row 2"),
    Case(["import", "$DIR/bad.json"], 1, "bad.json"),
    Case(["repair", "--force"], 2, "unknown option"),
    Case(["demo"], 1, "--force"),
    Case(["frobnicate"], 2, "unknown command 'frobnicate'"),
    Case(["incidnet", "list"], 2, "unknown command 'incidnet'; did you mean 'incident'?"),
    Case(["template", "add", "x"], 1, "--question KEY:KIND:PROMPT"),
    Case(["template", "add", "x", "--question", "bad"], 1, "is not KEY:KIND:PROMPT"),
    Case(["template", "add", "x", "--question", "a:blob:b"], 1, "'blob' is not one of"),
    Case(["template", "add", "release-retro", "--question", "a:text:b"], 1, "already exists"),
    Case(
      ["template", "add", "x", "--question", "a:text:b", "--because", "zzzzzz"], 1, "no incident"),
    Case(["template", "revise", "diagnostic", "--question", "a:text:b"], 1, "built in"),
    Case(["template", "revise", "nonesuch", "--remove", "a"], 1, "no team template"),
    Case(["template", "revise", "release-retro"], 1, "nothing to revise"),
    Case(["template", "revise", "release-retro", "--remove", "nope"], 1, "no question 'nope'"),
    Case(["template", "show", "nonesuch"], 1, "no template"),
    Case(["template", "list", "--colour"], 2, "unknown option"),
    Case(["checklist", "add", "c"], 1, "no items"),
    Case(["checklist", "add", "before-a-deploy", "--item", "x"], 1, "already exists"),
    Case(["checklist", "add", "c", "--item", "x", "--kind", "recipe"], 1, "'recipe'"),
    Case(["checklist", "add", "c", "--item", "x", "--item", "x"], 1, "appears twice"),
    Case(["checklist", "revise", "before-a-deploy", "--add", "x"], 2, "'--because"),
    Case(
      ["checklist", "revise", "before-a-deploy", "--remove", "9", "--because", "$I"], 1,
      "items 1 to"),
    Case(["checklist", "revise", "before-a-deploy", "--because", "$I"], 1, "nothing to revise"),
    Case(["checklist", "revise", "nonesuch", "--add", "x", "--because", "$I"], 1, "no checklist"),
    Case(
      ["checklist", "revise", "before-a-deploy", "--remove", "two", "--because", "$I"], 2, "two"),
    Case(["checklist", "show", "nonesuch"], 1, "no checklist"),
    Case(["checklist", "list", "--colour"], 2, "unknown option"),
    Case(["factor", "add", "$I", "--text", "t", "--gap", "luck"], 1, "'luck' is not one of"),
    Case(["factor", "add", "$I", "--gap", "process"], 2, "'--text"),
    Case(["factor", "add", "zzzzzz", "--text", "t", "--gap", "process"], 1, "no incident"),
    Case(["timeline", "add", "$I", "--at", "noon", "--text", "t"], 1, "'noon' is not a time"),
    Case(
      ["timeline", "add", "$I", "--at", "10:00", "--text", "t", "--kind", "party"], 1, "'party'"),
    Case(["timeline", "add", "$I", "--at", "10:00", "--text", "t", "--link", "a b"], 1, "--link"),
    Case(["timeline", "add", "$I", "--text", "t"], 2, "'--at"),
  ]

  @Test("every bad invocation: one error line, its exit status, the log unchanged")
  func badInputTable() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    let incidents = try #require(
      try cli.run(["incident", "list", "--json"]).json() as? [[String: Any]])
    let ids = incidents.compactMap { $0.string("id") }
    // The demo's ids are seeded: some first character is shared by two incidents.
    let firsts = Dictionary(grouping: ids, by: { String($0.prefix(1)) })
    let ambiguous = try #require(firsts.first { $0.value.count > 1 }?.key)
    let inc = try cli.ok(["incident", "add", "--title", "Target"])
    let done = try cli.ok([
      "action", "add", inc, "--title", "t", "--owner", "o", "--due", "2026-01-01",
    ])
    try cli.ok(["action", "done", done])
    let open = try cli.ok([
      "action", "add", inc, "--title", "u", "--owner", "o", "--due", "2026-01-01",
    ])
    let exp = try cli.ok([
      "experiment", "add", inc, "--hypothesis", "h", "--criteria", "c", "--check", "2026-12-01",
    ])
    try cli.ok(["experiment", "result", exp, "--decision", "adapt"])
    _ = cli.file("data.txt", "title\nx\n")
    _ = cli.file("bad.csv", "title,severity\nbroken,enormous\n")
    _ = cli.file(
      "bad.json", "{\"format\":\"learnlog-export\",\"version\":1,\"incidents\":[{\"id\":\"x\"}]}")
    let before = cli.bytes(cli.log)
    for c in Self.cases {
      let args = c.arguments.map {
        $0.replacingOccurrences(of: "$I", with: inc).replacingOccurrences(of: "$A", with: done)
          .replacingOccurrences(of: "$O", with: open).replacingOccurrences(of: "$E", with: exp)
          .replacingOccurrences(of: "$P", with: ambiguous)
          .replacingOccurrences(of: "$DIR", with: cli.directory)
      }
      let r = try cli.run(args)
      #expect(r.status == c.status, "\(c): exit \(r.status), \(r.stderr)")
      #expect(r.stderr.hasPrefix("error: "), "\(c): \(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1, "\(c): more than one line: \(r.stderr)")
      #expect(r.stderr.contains(c.message), "\(c): \(r.stderr)")
      #expect(r.stdout.isEmpty, "\(c): printed \(r.stdout)")
      #expect(cli.bytes(cli.log) == before, "\(c) changed the log")
    }
  }

  @Test("a write command on a missing log says to run learnlog init and creates nothing")
  func missingLog() throws {
    let cli = try CLISandbox()
    for args in [
      ["incident", "add", "--title", "x"], ["incident", "list"], ["today"], ["check"],
      ["export", "--format", "json"],
    ] {
      let r = try cli.run(args)
      #expect(r.status == 1, "\(args)")
      #expect(
        r.stderr.hasPrefix("error: no log at") && r.stderr.contains("learnlog init"), "\(args)")
      #expect(!FileManager.default.fileExists(atPath: cli.log))
    }
  }
}
