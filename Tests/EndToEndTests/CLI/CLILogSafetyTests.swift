import Foundation
import LearningLog
import Testing

/// The log file through the command line: valid JSON Lines, torn tails, damage, repair.
@Suite("command line: the log file")
struct CLILogSafetyTests {
  @Test("init writes valid JSON Lines (each line parses; jq reads it when installed)")
  func initWritesJSONLines() throws {
    let cli = try CLISandbox()
    let path = cli.directory + "/new/dir/x.jsonl"
    let r = try cli.run(["init", "--file", path])
    #expect(r.status == 0 && r.stdout.contains(path))
    let header = try #require(try cli.logLines(path).first)
    #expect(header["learnlog"] as? Int == 1)
    try cli.ok(["--file", path, "incident", "add", "--title", "tab\there \"quoted\" ünï"])
    let lines = try cli.logLines(path)
    #expect(lines.count == 2)
    #expect(lines[1].string("type") == "incident.created")
    if let jq = TestTools.executable(named: "jq") {
      let (status, _) = try TestTools.run(jq, [".", path])
      #expect(status == 0, "jq could not read the log")
    }
  }

  @Test("a hand-truncated last line is repaired on the next command with a notice and a backup")
  func tornTailRepaired() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    try cli.ok(["incident", "add", "--title", "kept"])
    try cli.ok(["incident", "add", "--title", "torn"])
    let whole = cli.bytes(cli.log)
    let cut = whole.prefix(whole.count - 25)
    try cut.write(to: URL(fileURLWithPath: cli.log))
    let check = try cli.run(["check"])
    #expect(check.status == 3 && check.stdout.contains("torn tail"))
    #expect(cli.bytes(cli.log) == cut, "check changes nothing")
    let list = try cli.run(["incident", "list", "--json"])
    #expect(list.status == 0)
    #expect(list.stderr.contains("repaired") && list.stderr.contains(".bak"))
    #expect(list.stderr.split(separator: "\n").count == 1)
    let titles = (try list.json() as? [[String: Any]])?.compactMap { $0.string("title") }
    #expect(titles == ["kept"])
    let files = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/team")
    let backup = try #require(files.first { $0.contains(".torn-") && $0.hasSuffix(".bak") })
    #expect(cli.bytes(cli.directory + "/team/" + backup) == cut)
    // The next append continues at the cut.
    try cli.ok(["incident", "add", "--title", "after"])
    #expect(try cli.run(["check"]).status == 0)
    #expect(try cli.logLines().count == 3)
  }

  @Test("a flipped byte mid-file: check names the line, every write refuses, repair fixes it")
  func flippedByte() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    var ids: [String] = []
    for n in 1...5 { ids.append(try cli.ok(["incident", "add", "--title", "incident \(n)"])) }
    var bytes = [UInt8](cli.bytes(cli.log))
    // Flip a byte inside line 3 (the second incident).
    let newlines = bytes.indices.filter { bytes[$0] == 0x0A }
    let target = newlines[1] + 20
    bytes[target] ^= 0x01
    try Data(bytes).write(to: URL(fileURLWithPath: cli.log))
    let damaged = cli.bytes(cli.log)

    let check = try cli.run(["check"])
    #expect(check.status == 3)
    #expect(check.stdout.contains("line 3 at byte \(newlines[1] + 1)"), "\(check.stdout)")
    #expect(check.stderr.hasPrefix("error: ") && check.stderr.contains("learnlog repair"))

    let writes: [[String]] = [
      ["incident", "add", "--title", "x"], ["incident", "set", ids[0], "title", "y"],
      ["review", ids[0], "--answer", "gap=process"],
      ["action", "add", ids[0], "--title", "t", "--owner", "o", "--due", "2026-01-01"],
      ["lesson", "add", "--text", "t"], ["note", "add", ids[0], "--text", "t"],
      [
        "experiment", "add", ids[0], "--hypothesis", "h", "--criteria", "c", "--check",
        "2026-12-01",
      ],
      ["demo", "--force"], ["import", cli.file("one.csv", "title\nx\n")],
      ["incident", "list"], ["export", "--format", "json"],
    ]
    for w in writes {
      let r = try cli.run(w)
      #expect(r.status == 3, "\(w): \(r.status) \(r.stderr)")
      #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("line 3"), "\(w): \(r.stderr)")
      #expect(cli.bytes(cli.log) == damaged, "\(w) changed the damaged log")
    }
    // No private note was written either.
    #expect(!FileManager.default.fileExists(atPath: cli.privateFile))

    let refused = try cli.run(["repair"])
    #expect(refused.status == 1 && refused.stderr.contains("--yes"))
    let declined = try cli.run(["repair"], stdin: "n\n")
    #expect(declined.status == 1)
    #expect(cli.bytes(cli.log) == damaged)
    let repaired = try cli.run(["repair", "--yes"])
    #expect(repaired.status == 0, "\(repaired.stderr)")
    #expect(repaired.stdout.contains("set aside line 3") && repaired.stdout.contains(".bak"))
    #expect(repaired.stdout.contains(".quarantine"), "\(repaired.stdout)")
    let files = try FileManager.default.contentsOfDirectory(atPath: cli.directory + "/team")
    let backup = try #require(files.first { $0.hasPrefix("log.jsonl.") && $0.hasSuffix(".bak") })
    #expect(cli.bytes(cli.directory + "/team/" + backup) == damaged)
    let ok = try cli.run(["check"])
    #expect(ok.status == 0 && ok.stdout.hasPrefix("ok: ") && ok.stdout.contains("4 incidents"))
    #expect(try cli.run(["repair"]).stdout.contains("nothing to repair"))
  }

  @Test("git conflict markers are named as such and refused")
  func conflictMarkers() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    try cli.ok(["incident", "add", "--title", "a"])
    var text = String(decoding: cli.bytes(cli.log), as: UTF8.self)
    text += "<<<<<<< HEAD\n=======\n>>>>>>> other\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: cli.log))
    let r = try cli.run(["incident", "add", "--title", "b"])
    #expect(r.status == 3 && r.stderr.contains("conflict marker"))
    let check = try cli.run(["check"])
    #expect(check.status == 3 && check.stdout.contains("git conflict marker"))
  }
}

@Test("check reports references held after a merge as warnings and stays healthy")
func checkWarnsAboutHeldReferences() throws {
  let cli = try CLISandbox()
  try cli.ok(["init"])
  let store = try LogStore.open(path: cli.log)
  store.writerID = "other-clone"
  try store.append(
    RecordDraft(
      type: "action.created", schema: 1, entity: "zzzzzzzzzzzz",
      body: .object([
        "incident": .string("qqqqqqqqqqqq"), "title": .string("orphan"), "owner": .string("o"),
        "due": .string("2026-01-01"),
      ])))
  let r = try cli.run(["check"])
  #expect(r.status == 0, "\(r.stderr)")
  #expect(r.stdout.hasPrefix("ok: ") && r.stdout.contains("1 records"))
  #expect(r.stderr.hasPrefix("warning: ") && r.stderr.contains("qqqqqqqqqqqq"))
  // …and the way out: where a dropped record is kept, and what brings it back.
  #expect(
    r.stderr.contains(".quarantine") && r.stderr.contains("learnlog repair")
      && r.stderr.contains("learnlog sync"), "\(r.stderr)")
}
