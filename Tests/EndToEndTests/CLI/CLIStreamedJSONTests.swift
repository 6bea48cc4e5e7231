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
}
