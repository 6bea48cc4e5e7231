import Foundation
import Testing

/// A large import writes the snapshot of the state it leaves, so the next open is warm.
@Suite("command line: the snapshot after an import")
struct CLIImportSnapshotTests {
  /// The snapshot files of the sandbox's cache, with their bytes.
  static func snapshots(_ box: CLISandbox) -> [String: Data] {
    let dir = box.directory + "/home/.cache/learnlog"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    var out: [String: Data] = [:]
    for n in names where n.hasSuffix(".snapshot") {
      out[n] = FileManager.default.contents(atPath: dir + "/" + n)
    }
    return out
  }

  @Test func theFirstOpenAfterALargeImportUsesTheSnapshotAsItIs() throws {
    let box = try CLISandbox()
    try box.ok(["init"])
    // 3,000 rows of ~600 bytes: well past what an open applies after a snapshot without
    // writing a new one (1 MiB), so a snapshot left behind by the import would be rewritten.
    var csv = "title,what,owner,patterns\n"
    let what = (0..<30).map { "word-\($0)-検索-écart" }.joined(separator: " ")
    for i in 0..<3_000 { csv += "\"Incident \(i)\",\"\(what) \(i)\",owner\(i % 5),area/cause\n" }
    let file = box.directory + "/rows.csv"
    try csv.write(toFile: file, atomically: true, encoding: .utf8)
    let out = try box.run(["import", file])
    #expect(out.status == 0, "\(out.stderr)")
    #expect(out.stderr.contains("imported 3000 incidents"))
    let after = Self.snapshots(box)
    try #require(after.count == 1, "one snapshot after the import: \(after.keys)")
    let listed = try box.ok(["incident", "list", "--limit", "3"])
    #expect(listed.contains("Incident 2999"))
    // The open read the snapshot and found nothing after it: it wrote no new one.
    #expect(Self.snapshots(box) == after)
    let json = try box.ok(["incident", "list", "--json"])
    let rows = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any]
    #expect(rows?.count == 3_000)
  }
}
