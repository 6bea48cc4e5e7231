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
    for text in ["second line", "cause two", "lesson two"] {
      let line = try #require(lines.first { $0.contains(text) }, "no line with \(text):\n\(shown)")
      #expect(line.hasPrefix("    "), "\(text) is not indented under its heading: \(line)")
      #expect(line.trimmingCharacters(in: .whitespaces) == text)
    }
  }

  /// Newest first: the day it happened, then the time it was recorded, later first; incidents
  /// recorded in one go (the demo) by their place in the log, later first.
  @Test func incidentListIsNewestFirstThenLatestRecorded() throws {
    let cli = try CLISandbox()
    try cli.ok(["demo"])
    // Imported in one go: four incidents of one day recorded at the same instant.
    let csv = cli.file("same-day.csv", "title,occurred\nAlpha,2026-01-05\nBravo,2026-01-05\nCharlie,2026-01-05\nDelta,2026-01-05\n")
    try cli.ok(["import", csv])
    let exported = try #require(
      try cli.run(["export", "--format", "json"]).json() as? [String: Any])
    let incidents = try #require(exported["incidents"] as? [[String: Any]])
    let keyed = incidents.enumerated().map { position, inc in
      (id: inc["id"] as? String ?? "", occurred: inc["occurred"] as? String ?? "",
        created: inc["created"] as? String ?? "", position: position)
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
}
