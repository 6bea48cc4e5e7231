import Foundation
import Testing

@testable import LearningLog

@Suite struct StoreRecoveryTests {
  /// The outcome of cutting one copy of the log at `k` (failures as text; runs off the
  /// test's thread).
  static func checkCut(_ full: [UInt8], bounds: [Int], at k: Int) -> (
    torn: Bool, appended: Bool, failures: [String]
  ) {
    var failures: [String] = []
    func check(_ ok: Bool, _ what: String) { if !ok { failures.append("k=\(k): \(what)") } }
    do {
      let cutFS = try StoreFixture.memoryFS()
      cutFS.setContents(StoreFixture.logPath, Array(full[0..<k]))
      let inspection = try LogStore.inspect(path: StoreFixture.logPath, fileSystem: cutFS)
      if k < bounds[0] {
        // A log without a whole header is damage (create never leaves one behind).
        check(!inspection.damaged.isEmpty && inspection.header == nil, "header damage")
        return (false, false, failures)
      }
      let wholeLines = bounds.filter { $0 <= k }.count - 1
      let isBoundary = bounds.contains(k)
      check(StoreFixture.numbers(inspection.records) == Array(0..<wholeLines), "records before k")
      check((inspection.tornTail != nil) == !isBoundary, "torn iff not on a boundary")
      check(inspection.damaged.isEmpty, "no damage")
      // Opening for writing (which repairs) and appending: every offset under
      // LEARNLOG_STRESS=1, else those next to a boundary and every 13th.
      let near = bounds.contains { abs($0 - k) <= 1 }
      guard StoreFixture.stress || near || k % 13 == 0 else {
        return (inspection.tornTail != nil, false, failures)
      }
      var notices: [String] = []
      let store = try LogStore.open(path: StoreFixture.logPath, fileSystem: cutFS) {
        notices.append($0)
      }
      check(notices.count == (isBoundary ? 0 : 1), "one repair notice when torn")
      store.writerID = "writer-b"
      try store.append(StoreFixture.draft(wholeLines, small: true))
      let again = try LogStore.inspect(path: StoreFixture.logPath, fileSystem: cutFS)
      check(again.isClean, "clean after append")
      check(StoreFixture.numbers(again.records) == Array(0...wholeLines), "no gap after append")
      return (inspection.tornTail != nil, true, failures)
    } catch {
      return (false, false, ["k=\(k): \(error)"])
    }
  }

  /// Truncating the log at every byte offset never loses a record wholly before the cut.
  @Test func cutAtEveryByte() throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 200, batch: 3, small: true) { $0 % 50 == 17 }
    let full = try #require(fs.contents(StoreFixture.logPath))
    let bounds = StoreFixture.boundaries(full)
    let start = Date()
    final class Totals: @unchecked Sendable {
      let lock = NSLock()
      var torn = 0
      var appended = 0
      var failures: [String] = []
    }
    let totals = Totals()
    // Two workers take alternate offsets.
    DispatchQueue.concurrentPerform(iterations: 2) { worker in
      var torn = 0
      var appended = 0
      var failures: [String] = []
      for k in stride(from: worker, through: full.count, by: 2) {
        let r = Self.checkCut(full, bounds: bounds, at: k)
        torn += r.torn ? 1 : 0
        appended += r.appended ? 1 : 0
        failures += r.failures
      }
      totals.lock.withLock {
        totals.torn += torn
        totals.appended += appended
        totals.failures += failures
      }
    }
    #expect(totals.failures.isEmpty, "\(totals.failures.prefix(10))")
    // Offsets inside the header are header damage, not torn tails.
    #expect(totals.torn == full.count + 1 - bounds[0] - bounds.count)
    print(
      "cut at every byte: \(full.count + 1) offsets, \(bounds.count - 1) records, "
        + "\(totals.torn) torn, \(totals.appended) opened+appended, \(totals.failures.count) "
        + "failures, \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
  }

  @Test(arguments: ["zeros", "random", "partial", "partial+zeros"])
  func tornTailsAreRepairedWithABackup(kind: String) throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 30)
    let good = try #require(fs.contents(StoreFixture.logPath))
    var rng = SeededGenerator(seed: 42)
    let partial = Array(
      try RecordCodec.encode(
        Record(
          id: EventID(rawValue: UUIDv7.make(milliseconds: 5)), clock: .init(wall: 5, logical: 0),
          writer: "w", type: "t", schema: 1, entity: "", body: ["a": "bcdefgh"])
      ).prefix(40))
    let tail: [UInt8]
    switch kind {
    case "zeros": tail = [UInt8](repeating: 0, count: 4096)
    case "random":
      tail = (0..<777).map { _ in UInt8.random(in: 0...255, using: &rng) }.filter { $0 != 0x0A }
    case "partial": tail = partial
    default: tail = partial + [UInt8](repeating: 0, count: 1000)
    }
    fs.setContents(StoreFixture.logPath, good + tail)
    let ro = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    #expect(ro.records.count == 30)
    #expect(
      fs.contents(StoreFixture.logPath)?.count == good.count + tail.count, "read-only never repairs"
    )
    var notices: [String] = []
    let store = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs) { notices.append($0) }
    #expect(store.records.count == 30)
    #expect(fs.contents(StoreFixture.logPath) == good)
    #expect(notices.count == 1 && notices[0].hasPrefix("repaired:") && !notices[0].contains("\n"))
    let backups = fs.allPaths.filter { $0.contains(".torn-") && $0.hasSuffix(".bak") }
    #expect(backups.count == 1)
    #expect(backups.first.flatMap { fs.contents($0) } == good + tail)
    print("torn tail \(kind): \(tail.count) bytes cut, 30 records kept, backup \(backups.count)")
  }

  /// Flipping any bit of a small log never yields a silently different set of records.
  @Test func bitFlipsAreNeverSilent() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 12) { $0 == 7 }
    let good = try #require(fs.contents(StoreFixture.logPath))
    let bounds = StoreFixture.boundaries(good)
    func lineOf(_ offset: Int) -> Int { bounds.filter { $0 <= offset }.count + 1 }
    var damaged = 0
    var tornAtEnd = 0
    var flips = 0
    for i in good.indices {
      // One bit a byte (rotating) by default; all eight under LEARNLOG_STRESS=1.
      for bit in StoreFixture.stress ? Array(0..<8) : [i % 8] {
        flips += 1
        var bytes = good
        bytes[i] ^= UInt8(1 << bit)
        let f = try StoreFixture.memoryFS()
        f.setContents(StoreFixture.logPath, bytes)
        let ins = try LogStore.inspect(path: StoreFixture.logPath, fileSystem: f)
        if let first = ins.damaged.first ?? ins.conflictMarkers.first {
          // Damage is reported at the flipped line (or the line a lost newline merged into).
          let expected = lineOf(i)
          #expect(
            first.line == expected || (good[i] == 0x0A && first.line == expected - 1),
            "byte \(i) bit \(bit)")
          #expect(throws: StoreError.self) {
            try LogStore.open(path: StoreFixture.logPath, fileSystem: f)
          }
          damaged += 1
        } else if ins.newerFormat != nil {
          damaged += 1
        } else {
          // Not damaged: only the final newline can be lost, leaving a torn last record.
          #expect(i == good.count - 1 && ins.tornTail != nil, "byte \(i) bit \(bit)")
          #expect(ins.records == Array(store.records.dropLast()))
          tornAtEnd += 1
        }
      }
    }
    print(
      "bit flips: \(flips) flips over \(good.count) bytes, \(damaged) damaged at the right line, \(tornAtEnd) torn at the end, 0 silent"
    )
  }

  @Test func damageRefusesToOpenAndRepairKeepsEveryValidRecord() throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 10)
    var bytes = try #require(fs.contents(StoreFixture.logPath))
    let bounds = StoreFixture.boundaries(bytes)
    let offset = bounds[4] + 30  // inside line 6
    bytes[offset] = bytes[offset] == 0x41 ? 0x42 : 0x41
    fs.setContents(StoreFixture.logPath, bytes)
    do {
      _ = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
      Issue.record("damage must refuse to open")
    } catch {
      let text = error.description
      #expect(
        error
          == .damaged(
            path: StoreFixture.logPath, line: 6, offset: bounds[4], reason: "checksum mismatch",
            moreLines: 0))
      #expect(
        text.contains("line 6") && text.contains("byte \(bounds[4])")
          && text.contains("learnlog repair"))
      #expect(!text.contains("\n"))
    }
    #expect(throws: StoreError.self) {
      try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    }
    #expect(fs.contents(StoreFixture.logPath) == bytes, "refusing changes nothing")
    let report = try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs)
    #expect(report.keptRecords == 9 && report.droppedLines.map(\.line) == [6])
    let backup = try #require(report.backupPath)
    #expect(fs.contents(backup) == bytes)
    let store = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(StoreFixture.numbers(store.records) == [0, 1, 2, 3, 5, 6, 7, 8, 9])
    print("damage: refused at line 6, repair kept 9, dropped 1, backup kept")
  }

  @Test func conflictMarkersGetTheirOwnMessage() throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 6)
    let bytes = try #require(fs.contents(StoreFixture.logPath))
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    var merged: [UInt8] = []
    for (i, l) in lines.enumerated() where !l.isEmpty {
      if i == 3 { merged += Array("<<<<<<< HEAD\n".utf8) }
      if i == 4 { merged += Array("=======\n".utf8) }
      if i == 5 { merged += Array(">>>>>>> other\n".utf8) }
      merged += l + [0x0A]
    }
    fs.setContents(StoreFixture.logPath, merged)
    #expect {
      try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    } throws: { error in
      guard let e = error as? StoreError, case .conflictMarkers(_, 4, _, 3) = e else {
        return false
      }
      return e.description.contains("conflict marker") && e.description.contains("learnlog repair")
    }
    let report = try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs)
    #expect(report.droppedConflictMarkers == 3 && report.keptRecords == 6)
    #expect(try LogStore.open(path: StoreFixture.logPath, fileSystem: fs).records.count == 6)
  }

  @Test func newerFormatIsRefusedWithUpgrade() throws {
    let fs = try StoreFixture.memoryFS()
    var header = Array(#"{"learnlog":2,"store":"x","created":1,"crc":"00000000"}"#.utf8)
    header.append(0x0A)
    fs.setContents(StoreFixture.logPath, header + Array("{\"future\":true}\n".utf8))
    for readOnly in [false, true] {
      #expect {
        try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: readOnly)
      } throws: { error in
        (error as? StoreError) == .unsupportedVersion(path: StoreFixture.logPath, version: 2)
          && "\(error)".contains("upgrade learnlog")
      }
    }
    #expect(throws: StoreError.self) {
      try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs)
    }
  }
}
