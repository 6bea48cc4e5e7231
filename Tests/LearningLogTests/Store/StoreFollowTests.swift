import Foundation
import Testing

@testable import LearningLog

@Suite struct StoreFollowTests {
  @Test func refreshSeesAppendsInFlightAndReplacement() throws {
    let fs = try StoreFixture.memoryFS()
    let a = try StoreFixture.makeLog(fs, count: 3)
    let b = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    #expect(try b.refresh() == .unchanged)
    let new = try a.append { _ in [StoreFixture.draft(3), StoreFixture.draft(4)] }
    #expect(try b.refresh() == .appended(new))
    #expect(b.records == a.records)

    // An incomplete last line is in flight: not torn, not repaired, read once complete.
    let line = try RecordCodec.encode(
      Record(
        id: EventID(rawValue: UUIDv7.make(milliseconds: 9)), clock: .init(wall: 9, logical: 0),
        writer: "x", type: "t", schema: 1, entity: "", body: ["n": 5]))
    let fd = try fs.open(StoreFixture.logPath, readOnly: false)
    let size = try fs.status(fd).size
    try fs.writeAll(fd, Array(line.prefix(20)), offset: size, path: "")
    let c = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    #expect(c.records.count == 5)
    #expect(try b.refresh() == .unchanged)
    #expect(fs.contents(StoreFixture.logPath)?.count == size + 20)
    try fs.writeAll(fd, Array(line.dropFirst(20)), offset: size + 20, path: "")
    fs.close(fd)
    guard case .appended(let got) = try b.refresh() else {
      Issue.record("expected the completed line")
      return
    }
    #expect(StoreFixture.numbers(got) == [5])
    // The writer catches up before its next append, passing what it found to `build`.
    var caught: [Record] = []
    try a.append { fresh in
      caught = fresh
      return [StoreFixture.draft(6)]
    }
    #expect(StoreFixture.numbers(caught) == [5])

    // Replaced by a new file (new inode), as `git pull` or checkout would.
    let other = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(other, count: 2)
    let replacement = try #require(other.contents(StoreFixture.logPath))
    let tmp = "/data/incoming"
    let t = try fs.createExclusive(tmp, permissions: 0o644)
    try fs.writeAll(t, replacement, offset: 0, path: tmp)
    fs.close(t)
    try fs.rename(tmp, to: StoreFixture.logPath)
    #expect(try b.refresh() == .replaced)
    #expect(StoreFixture.numbers(b.records) == [0, 1])

    // Rewritten in place with a different prefix (same inode).
    var rewritten = replacement
    let bounds = StoreFixture.boundaries(rewritten)
    rewritten.removeSubrange(bounds[0]..<bounds[1])  // move record 0 to the end
    fs.setContents(StoreFixture.logPath, rewritten + replacement[bounds[0]..<bounds[1]])
    #expect(try b.refresh() == .replaced)
    #expect(StoreFixture.numbers(b.records) == [1, 0])
    #expect(try b.refresh() == .unchanged)
  }

  @Test func clockPassesEveryRecordSeen() throws {
    let fs = try StoreFixture.memoryFS()
    let a = try StoreFixture.makeLog(fs, count: 1)
    a.wallClock = { 4_000_000_000_000 }  // a writer whose clock runs far ahead
    let future = try a.append(StoreFixture.draft(1))
    let b = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    b.writerID = "writer-b"
    b.wallClock = { 1_000 }
    let mine = try b.append { _ in [StoreFixture.draft(2), StoreFixture.draft(3)] }
    #expect(mine.allSatisfy { future.clock < $0.clock })
    #expect(mine[0].clock < mine[1].clock)
    #expect(b.sortedForReplay().last?.id == mine[1].id)
    var clock = HybridClock()
    var last = clock.tick(now: 10)
    for now: Int64 in [10, 9, 11, 11, 5] {
      let next = clock.tick(now: now)
      #expect(last < next)
      last = next
    }
  }
}
