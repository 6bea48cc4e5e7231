import Foundation
import Testing

@testable import LearningLog

/// Throwaway timings; they assert nothing about speed (machines are noisy), only print.
@Suite struct StoreSpeedTests {
  /// Resident memory of this process in MB (Linux), 0 when unknown.
  static func residentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
      let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kb / 1024
  }

  static func timed(_ body: () throws -> Void) rethrows -> Double {
    let t = Date()
    try body()
    return Date().timeIntervalSince(t)
  }

  /// Times opening a log of 1M small records (20k by default).
  ///
  /// Prints the time against a plain read-and-find-newlines of the same file. Run in
  /// release with LEARNLOG_STRESS=1.
  @Test func openSpeed() throws {
    let count = StoreFixture.stress ? 1_000_000 : 20_000
    let dir = try StoreFixture.tempDirectory("speed")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    var bytes = RecordCodec.encode(LogHeader(storeID: "s", created: 1))
    var clock = HybridClock()
    var rng = SeededGenerator(seed: 7)
    for n in 0..<count {
      let ts = clock.tick(now: 1_764_000_000_000 + Int64(n / 3))
      let r = Record(
        id: EventID(rawValue: UUIDv7.make(milliseconds: ts.wall, using: &rng)), clock: ts,
        writer: "3f9c2a7d41b8e065", type: n % 4 == 0 ? "incident.created" : "action.updated",
        schema: 1, entity: "inc-\(n / 10)",
        body: [
          "title": .string("Database failover took \(n % 97) minutes — café ✓"),
          "severity": .int(n % 5), "tags": ["db", "failover"],
          "notes": .string("Line one\nline \"two\" with some more text to pad it out to size"),
          "owner": .string("team-\(n % 13)"), "done": .bool(n % 2 == 0),
        ])
      bytes += try RecordCodec.encode(r)
    }
    #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    let newlines = try Self.timed {
      let fs = RealFileSystem()
      let fd = try fs.open(path, readOnly: true)
      defer { fs.close(fd) }
      let all = try fs.readAll(fd)
      let n = all.withUnsafeBytes { raw in
        var c = 0
        var p = 0
        while let base = raw.baseAddress, p < raw.count,
          let q = memchr(base + p, 0x0A, raw.count - p)
        {
          c += 1
          p = base.distance(to: UnsafeRawPointer(q)) + 1
        }
        return c
      }
      #expect(n == count + 1)
    }
    var store: LogStore?
    let rssBefore = Self.residentMegabytes()
    let open = try Self.timed { store = try LogStore.open(path: path, readOnly: true) }
    let rssGrowth = Self.residentMegabytes() - rssBefore
    #expect(store?.records.count == count)
    let mb = Double(bytes.count) / 1_048_576
    print(
      String(
        format: "open speed: %d records, %.1f MB: read+newlines %.3f s, open %.3f s (%.2f µs a "
          + "record, %.1f× the newline scan); resident memory grew %.0f MB (%.1f× the file)",
        count, mb, newlines, open, open / Double(count) * 1e6, open / newlines, rssGrowth,
        rssGrowth / mb))
  }
}
