import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// What a union merge can leave in the file, read by the store.
@Suite("Reading union-merged logs")
struct UnionMergeReadingTests {
  /// A base log with `n` records and the lines of the file, header first.
  static func lines(_ fs: MemoryFileSystem, path: String, writer: String, count: Int) throws
    -> [String]
  {
    let store = try LogStore.create(path: path, fileSystem: fs)
    store.writerID = writer
    for n in 0..<count { try store.append(StoreFixture.draft(n, small: true)) }
    let fd = try fs.open(path, readOnly: true)
    defer { fs.close(fd) }
    return String(decoding: try fs.readAll(fd), as: UTF8.self).split(separator: "\n").map(
      String.init)
  }

  static func write(_ fs: MemoryFileSystem, _ path: String, _ lines: [String]) throws {
    try? fs.remove(path)
    let fd = try fs.createExclusive(path, permissions: 0o644)
    defer { fs.close(fd) }
    try fs.writeAll(fd, Array(lines.map { $0 + "\n" }.joined().utf8), offset: 0, path: path)
  }

  @Test("both sides in any order, duplicates, three branches and a repeated header read the same")
  func anyOrderDuplicatesAndHeaders() throws {
    let fs = try StoreFixture.memoryFS()
    let all = try Self.lines(fs, path: "/data/base.jsonl", writer: "w", count: 30)
    let header = all[0]
    let records = Array(all.dropFirst())
    let reference = LogStore.replayOrder(
      try LogStore.open(path: "/data/base.jsonl", fileSystem: fs).records)
    var rng = SeededGenerator(seed: 8)
    for round in 0..<40 {
      var body = records.shuffled(using: &rng)
      // Duplicates of some lines, as criss-cross merges can leave.
      body += records.shuffled(using: &rng).prefix(Int(rng.next() % 8))
      body.shuffle(using: &rng)
      // The same header again somewhere after line 1.
      if round % 2 == 0 { body.insert(header, at: Int(rng.next() % UInt64(body.count + 1))) }
      let path = "/data/merged-\(round).jsonl"
      try Self.write(fs, path, [header] + body)
      let inspection = try LogStore.inspect(path: path, fileSystem: fs)
      #expect(inspection.isClean, "round \(round): \(inspection.damaged)")
      let store = try LogStore.open(path: path, fileSystem: fs)
      #expect(LogStore.replayOrder(store.records) == reference)
      // The clock passed every record read, so a new one sorts last.
      store.writerID = "a"
      store.wallClock = { 1 }
      let added = try store.append(StoreFixture.draft(99, small: true))
      #expect(store.records.allSatisfy { $0.id == added.id || Record.replayOrder($0, added) })
    }
  }

  @Test(
    "the header of another log after line 1 is damage with its own reason; repair keeps all records"
  )
  func otherLogsHeader() throws {
    let fs = try StoreFixture.memoryFS()
    let one = try Self.lines(fs, path: "/data/one.jsonl", writer: "a", count: 3)
    let two = try Self.lines(fs, path: "/data/two.jsonl", writer: "b", count: 2)
    try Self.write(fs, "/data/both.jsonl", one + two)
    #expect {
      _ = try LogStore.open(path: "/data/both.jsonl", fileSystem: fs)
    } throws: { e in
      guard let e = e as? StoreError, case .damaged(_, let line, _, let reason, _) = e else {
        return false
      }
      return line == 5 && reason.contains("another log")
        && e.description.contains("learnlog repair")
    }
    let report = try LogStore.repair(path: "/data/both.jsonl", fileSystem: fs)
    #expect(report.keptRecords == 5 && report.droppedLines.count == 1)
    #expect(try LogStore.open(path: "/data/both.jsonl", fileSystem: fs).records.count == 5)
  }

  @Test("conflict markers inside a record region are named; repair keeps every valid record")
  func conflictMarkers() throws {
    let fs = try StoreFixture.memoryFS()
    let all = try Self.lines(fs, path: "/data/c.jsonl", writer: "w", count: 6)
    let marked =
      [
        all[0], all[1], "<<<<<<< HEAD", all[2], all[3], "||||||| base", "=======", all[4], all[5],
        all[6],
        ">>>>>>> theirs",
      ]
    try Self.write(fs, "/data/c.jsonl", marked)
    #expect(
      throws: StoreError.conflictMarkers(
        path: "/data/c.jsonl", line: 3, offset: all[0].utf8.count + all[1].utf8.count + 2, count: 4)
    ) {
      try LogStore.open(path: "/data/c.jsonl", fileSystem: fs)
    }
    let report = try LogStore.repair(path: "/data/c.jsonl", fileSystem: fs)
    #expect(report.droppedConflictMarkers == 4 && report.keptRecords == 6)
  }
}
