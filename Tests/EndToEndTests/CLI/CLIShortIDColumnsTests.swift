import Foundation
import Testing

/// The id columns of the table listings: each row shows a short form of its own ids, whether
/// the rows are few (each searched beside its neighbours) or many (one pass over every id).
@Suite("command line: short id columns")
struct CLIShortIDColumnsTests {
  /// The cells of each table row after the header, cut at runs of two or more spaces.
  static func rows(_ table: String) -> [[String]] {
    table.split(separator: "\n").dropFirst().map { line in
      line.split(separator: /\s{2,}/).map { String($0).trimmingCharacters(in: .whitespaces) }
    }
  }

  @Test(
    "action list shows each row's action and incident by a prefix of their own ids",
    arguments: [3, 40])
  func actionRowsNameTheirOwnIDs(actions count: Int) throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let incidents = try (0..<2).map { k in
      try cli.ok(["incident", "add", "--title", "Incident \(k)"])
    }
    for k in 0..<count {
      try cli.ok([
        "action", "add", incidents[k % 2], "--title", "act-\(k)", "--owner", "sam",
        "--due", "2026-02-01",
      ])
    }
    let json = try #require(try cli.run(["action", "list", "--json"]).json() as? [[String: Any]])
    #expect(json.count == count)
    var byTitle: [String: (id: String, incident: String)] = [:]
    for a in json {
      let title = try #require(a["title"] as? String)
      byTitle[title] = (try #require(a["id"] as? String), try #require(a["incident"] as? String))
    }
    let rows = Self.rows(try cli.ok(["action", "list"]))
    #expect(rows.count == count)
    for row in rows {
      // ID, DUE, STATUS, OWNER, INCIDENT, TITLE
      try #require(row.count == 6, "\(row)")
      let full = try #require(byTitle[row[5]], "\(row)")
      #expect(row[0].count >= 6 && full.id.hasPrefix(row[0]), "\(row)")
      #expect(row[4].count >= 6 && full.incident.hasPrefix(row[4]), "\(row)")
      let other = try #require(byTitle.values.first { $0.incident != full.incident })
      #expect(!other.incident.hasPrefix(row[4]), "\(row)")
    }
  }

  @Test("lesson list shows each lesson by a prefix of its own id")
  func lessonRowsNameTheirOwnIDs() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    for k in 0..<3 { try cli.ok(["lesson", "add", "--text", "lesson-\(k)"]) }
    let json = try #require(try cli.run(["lesson", "list", "--json"]).json() as? [[String: Any]])
    var byText: [String: String] = [:]
    for l in json { byText[try #require(l["text"] as? String)] = try #require(l["id"] as? String) }
    let rows = Self.rows(try cli.ok(["lesson", "list"]))
    #expect(rows.count == 3)
    for row in rows {
      // ID, REVALIDATE (empty here), TEAMS (empty), LESSON
      let id = try #require(byText[row[row.count - 1]], "\(row)")
      #expect(row[0].count >= 6 && id.hasPrefix(row[0]), "\(row)")
    }
  }
}
