import Foundation
import Testing

@testable import LearningLog

/// `incident list --json`, `action list --json` and `lesson list --json` write their array one
/// element at a time: the bytes are those of the whole document encoded at once, on the demo
/// log and on a log of hostile text long enough to take several writes.
@Suite struct CLIStreamedJSONTests {
  /// The hostile values written into every text field (no NUL: an argument cannot hold one).
  static let hostile = [
    "osc \u{1B}]0;PWNED\u{07} end", "csi \u{1B}[2J\u{1B}[31mred", "crlf one\r\ntwo\rthree\nfour",
    "c1 \u{9B}31m \u{85} del \u{7F}", "bidi \u{202E}gnp.exe\u{202C} \u{2066}\u{200B}",
    "quote \" back \\ tab \t 日本語 \u{1F600}",
  ]

  /// A value of about `bytes` bytes cycling through the hostile values.
  static func long(_ bytes: Int) -> String {
    var s = ""
    var k = 0
    while s.utf8.count < bytes {
      s += hostile[k % hostile.count] + " "
      k += 1
    }
    return s
  }

  /// What the old whole-document encoding gives for the entities `stdout` lists, in its order.
  static func wholeDocument(_ stdout: String, list: String, state: LearningState) throws
    -> String
  {
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [[String: Any]])
    let ids = parsed.compactMap { $0["id"] as? String }
    #expect(ids.count == parsed.count)
    switch list {
    case "incident":
      let incidents = try ids.map { try #require(state.incidents[$0]) }
      let reviews = state.reviewStatuses(of: incidents)
      return ExchangeJSON.encode(
        .array(zip(incidents, reviews).map { Exporter.incidentJSON($0, review: $1) }))
    case "action":
      return ExchangeJSON.encode(
        .array(try ids.map { Exporter.actionJSON(try #require(state.actions[$0])) }))
    default:
      return ExchangeJSON.encode(
        .array(try ids.map { Exporter.lessonJSON(try #require(state.lessons[$0])) }))
    }
  }

  /// Each list's streamed output against the whole-document encoding of the same entities.
  func expectIdentical(_ cli: CLISandbox, minimumBytes: Int = 0) throws {
    let state = LearningState.replay(try LogStore.open(path: cli.log, readOnly: true).records)
    for list in ["incident", "action", "lesson"] {
      let r = try cli.run([list, "list", "--json"])
      #expect(r.status == 0, "\(list) list --json: \(r.stderr)")
      #expect(r.stdout.utf8.count >= minimumBytes, "\(list): \(r.stdout.utf8.count) bytes")
      let old = try Self.wholeDocument(r.stdout, list: list, state: state)
      #expect(r.stdout == old, "\(list) list --json differs from the whole-document encoding")
    }
  }

  @Test("on the demo log the streamed arrays are the whole-document bytes")
  func demoLog() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    try expectIdentical(cli)
  }

  @Test("on an empty log each list prints [] and a newline")
  func emptyLog() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    for list in ["incident", "action", "lesson"] {
      #expect(try cli.run([list, "list", "--json"]).stdout == "[]\n")
    }
  }

  @Test("on a hostile log past several 64 KiB writes the streamed arrays are the same bytes")
  func hostileLog() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    for (k, value) in Self.hostile.enumerated() {
      let what = k < 3 ? Self.long(40_000) : value
      let inc = try cli.ok([
        "incident", "add", "--title", value, "--what", what, "--team", value, "--tag", "t\(k)",
        "--owner", value, "--pattern", "p\(k % 2)",
      ])
      try cli.ok([
        "action", "add", inc, "--title", value + " " + what, "--owner", value, "--due",
        "2026-03-01",
      ])
      try cli.ok(["lesson", "add", "--text", what, "--incident", inc, "--team", value])
    }
    try expectIdentical(cli, minimumBytes: 2 << 16)
  }

  @Test("1,300 imported incidents list as the whole-document bytes")
  func manyIncidentsOnBothCores() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    // 1,300 rows: more than two windows of 512, the last one odd, on several days.
    var csv = "title,what,kind,severity,team,owner,tags,occurred\n"
    for i in 0..<1300 {
      let text = Self.hostile[i % Self.hostile.count].replacingOccurrences(of: "\"", with: "\"\"")
      csv +=
        "\"Row \(i) \(text)\",\"What \(i): \(text)\",other,medium,web,owner-\(i % 7),t\(i % 5),"
      csv += "2026-0\(1 + i % 9)-1\(i % 10)\n"
    }
    let file = cli.directory + "/rows.csv"
    try csv.write(toFile: file, atomically: true, encoding: .utf8)
    try cli.ok(["import", file])
    try expectIdentical(cli)
    #expect(try cli.run(["incident", "list", "--json"]).stdout.utf8.count > 1 << 18)
  }

  /// The ids of `state`'s incidents newest first, as `incident list` orders them.
  static func newestFirst(_ state: LearningState, _ keep: (Incident) -> Bool = { _ in true })
    -> [String]
  {
    let list = state.incidentList.filter(keep)
    let order = list.indices.sorted { a, b in
      let ka = (list[a].occurred.ordinal, list[a].createdAt)
      let kb = (list[b].occurred.ordinal, list[b].createdAt)
      return ka != kb ? ka > kb : a > b
    }
    return order.map { list[$0].id }
  }

  @Test("read from the snapshot with changes after it, every list form agrees with a replay")
  func listsFromTheSnapshotWithChangesAfterIt() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    // The first list writes the snapshot; what follows is a tail the next lists apply.
    try cli.ok(["incident", "list"])
    let first = try #require(
      LearningState.replay(try LogStore.open(path: cli.log, readOnly: true).records)
        .incidentList.first)
    try cli.ok(["incident", "set", first.id, "title", "Renamed: Résumé canary schema"])
    try cli.ok([
      "incident", "add", "--title", "Added after the snapshot", "--what", "a CANARY Schema drift",
      "--occurred", first.occurred.description,
    ])
    let state = LearningState.replay(try LogStore.open(path: cli.log, readOnly: true).records)
    let json = try cli.run(["incident", "list", "--json"])
    #expect(json.status == 0, "\(json.stderr)")
    let parsed = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    #expect(parsed.compactMap { $0["id"] as? String } == Self.newestFirst(state))
    #expect(json.stdout == (try Self.wholeDocument(json.stdout, list: "incident", state: state)))
    // The table: one row an incident, in the same order, short ids resolving to each.
    let table = try cli.run(["incident", "list"])
    let rows = table.stdout.split(separator: "\n").dropFirst()
    #expect(rows.count == state.incidents.count)
    let shown = rows.compactMap { $0.split(separator: " ").first.map(String.init) }
    #expect(zip(shown, Self.newestFirst(state)).allSatisfy { $1.hasPrefix($0) })
    // Search folds case and accents: both changed incidents match, nothing else.
    let expected = Self.newestFirst(state) { i in
      ([i.title, i.what] + i.tags + i.patterns).contains {
        IncrementalSearch.text($0, contains: IncrementalSearch.folded("canary schema"))
      }
    }
    #expect(expected.count >= 2)
    let found = try cli.run(["incident", "list", "--search", "Canary SCHEMA", "--json"])
    let hits = try #require(
      try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [[String: Any]])
    #expect(hits.compactMap { $0["id"] as? String } == expected)
    let resume = try cli.run(["incident", "list", "--search", "resume"])
    #expect(resume.stdout.contains("Renamed: Résumé"))
  }
}
