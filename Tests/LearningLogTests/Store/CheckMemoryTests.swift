import LearningLogTesting
import Testing
import WorkCounting

@testable import LearningLog

/// `check` and `repair` read a log in chunks: the records are never all held at once, so
/// their memory stays near a chunk's beside the state (the bar: peak ≤ 1.5× the log), and
/// what they report is what a reading of the whole file reports.
@Suite struct CheckMemoryTests {
  static let path = PreparedRecordTests.path
  static let chunk = 16 << 10

  /// A log of `count` records (about 200 bytes each) on a memory file system, with a byte
  /// flipped in the middle of `damaged` lines spread over it.
  static func log(count: Int, damaged: Int = 0) -> (MemoryFileSystem, [UInt8]) {
    var bytes = PreparedRecordTests.makeLog(count: count, seed: 7)
    let starts = [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }.dropLast()
    for k in 0..<damaged {
      // Lines 2... of the file, evenly spread: never the header.
      let line = 1 + (k + 1) * (starts.count - 1) / (damaged + 1)
      let start = starts[line]
      let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
      bytes[start + (end - start) / 2] ^= 0x01
    }
    let fs = MemoryFileSystem()
    try? fs.makeDirectories("/data", permissions: 0o755)
    fs.setContents(path, bytes)
    return (fs, bytes)
  }

  /// What reading the whole file reports: the oracle of the streaming passes.
  static func wholeFile(_ bytes: [UInt8]) -> (LogInspection, ids: Set<String>) {
    let inspection = LogScanner.inspect(bytes, path: path)
    return (inspection, Set(inspection.records.map(\.id.rawValue)))
  }

  @Test(arguments: [0, 3])
  func diagnoseKeepsNoRecordsAndReportsWhatTheWholeFileDoes(damaged: Int) throws {
    let (fs, bytes) = Self.log(count: 2_000, damaged: damaged)
    let (whole, ids) = Self.wholeFile(bytes)
    let (inspection, damage) = try LogStore.diagnose(path: Self.path, fileSystem: fs)
    #expect(inspection.records.isEmpty)
    #expect(inspection.validCount == whole.records.count)
    #expect(inspection.damaged == whole.damaged && damage.count == damaged)
    #expect(inspection.header == whole.header && inspection.fileSize == bytes.count)
    for d in damage {
      #expect(d.recordPresent == (d.recordID.map { ids.contains($0) } ?? false))
    }
  }

  /// The streaming pass at many chunk sizes (some shorter than a line) equals the whole
  /// file's inspection, on logs with damage, conflict markers, repeated headers and a tail.
  @Test(arguments: [64, 1_000, 4 << 10, 1 << 20])
  func theStreamingPassEqualsTheWholeFileAtEveryChunkSize(chunk: Int) throws {
    let (fs, clean) = Self.log(count: 300, damaged: 4)
    let header = Array(clean[...clean.firstIndex(of: 0x0A)!])
    var bytes = clean
    let cut = bytes.count / 3
    let at = bytes[cut...].firstIndex(of: 0x0A)! + 1
    bytes.insert(contentsOf: Array("<<<<<<< HEAD\n".utf8) + header, at: at)
    // A second copy of a valid line (its record is then present for the damaged copy's id).
    bytes += Array("garbage\n=======\n".utf8) + Array("{\"partial".utf8)
    fs.setContents(Self.path, bytes)
    let (whole, ids) = Self.wholeFile(bytes)
    let fd = try fs.open(Self.path, readOnly: true)
    defer { fs.close(fd) }
    let found = try LogStore.inspectStreaming(
      fd, path: Self.path, fileSystem: fs, keepLines: true, chunkBytes: chunk)
    let i = found.inspection
    #expect(i.damaged == whole.damaged && i.conflictMarkers == whole.conflictMarkers)
    #expect(i.tornTail == whole.tornTail && i.validCount == whole.records.count)
    #expect(i.header == whole.header && i.fileSize == whole.fileSize)
    #expect(
      found.damagedBytes.map { $0 + [0x0A] }
        == whole.damaged.map {
          Array(bytes[$0.offset...$0.offset + $0.length])
        })
    for d in found.damage {
      #expect(d.recordPresent == (d.recordID.map { ids.contains($0) } ?? false))
    }
  }

  @Test func emptyAndHeaderlessFilesAreReportedAsBefore() throws {
    for bytes in [[], Array("{\"no newline".utf8), Array("\n".utf8)] as [[UInt8]] {
      let fs = MemoryFileSystem()
      try fs.makeDirectories("/data", permissions: 0o755)
      fs.setContents(Self.path, bytes)
      let (inspection, _) = try LogStore.diagnose(path: Self.path, fileSystem: fs)
      let whole = LogScanner.inspect(bytes, path: Self.path)
      #expect(inspection.damaged == whole.damaged && inspection.tornTail == whole.tornTail)
    }
  }

  /// The records held at once by `check` stay a chunk's worth at n and 4n records, as do the
  /// chunk buffers it makes, and its state is the replay of every record.
  @Test func checkHoldsAChunkOfRecordsAtNAnd4N() throws {
    var peaks: [Int] = []
    for n in [1_500, 6_000] {
      let (fs, _) = Self.log(count: n)
      var checked: LogCheck?
      let counter = try WorkCounter.measure {
        checked = try LearningState.checkInOnePass(
          path: Self.path, fileSystem: fs, policy: PolicySettings(), chunkBytes: Self.chunk)
      }
      let result = try #require(checked)
      let state = try #require(result.state)
      let usual = LearningState.replay(try LogStore.open(path: Self.path, fileSystem: fs).records)
      #expect(PreparedRecordTests.differences(state, usual) == [])
      #expect(result.inspection.validCount == n && result.inspection.isClean)
      let peak = counter["log records held at peak"]
      #expect(peak > 0 && peak < n / 4, "a chunk's records, not the log's: \(peak) of \(n)")
      peaks.append(peak)
      // Chunks are read into the buffers of chunks already applied: as many are made as are
      // held at once, however long the log.
      let made = counter["chunk buffers made"]
      #expect(made > 0 && made <= 6, "buffers made for \(n / 50) chunks: \(made)")
      // The public check takes the same path on a clean log and says the same.
      let again = try LearningState.check(path: Self.path, fileSystem: fs)
      #expect(again.inspection.validCount == n && again.state != nil && again.damage.isEmpty)
    }
    #expect(peaks[1] <= peaks[0] + peaks[0] / 4, "flat from n to 4n: \(peaks)")
  }

  /// A damaged log: `check` reports the damage of the streaming pass and replays nothing;
  /// that pass holds a chunk of records at n and 4n.
  @Test func checkOfADamagedLogHoldsAChunkOfRecordsAtNAnd4N() throws {
    var peaks: [Int] = []
    for n in [1_500, 6_000] {
      let (fs, bytes) = Self.log(count: n, damaged: 3)
      let (whole, _) = Self.wholeFile(bytes)
      let result = try LearningState.check(path: Self.path, fileSystem: fs)
      #expect(result.state == nil && result.inspection.damaged == whole.damaged)
      #expect(result.inspection.validCount == whole.records.count && result.damage.count == 3)
      let fd = try fs.open(Self.path, readOnly: true)
      defer { fs.close(fd) }
      let counter = try WorkCounter.measure {
        let found = try LogStore.inspectStreaming(
          fd, path: Self.path, fileSystem: fs, chunkBytes: Self.chunk)
        #expect(found.inspection.damaged == whole.damaged)
      }
      let peak = counter["log records held at peak"]
      #expect(peak > 0 && peak < n / 4, "a chunk's records, not the log's: \(peak) of \(n)")
      peaks.append(peak)
    }
    #expect(peaks[1] <= peaks[0] + peaks[0] / 4, "flat from n to 4n: \(peaks)")
  }

  /// `repair` reads the log in chunks: the bytes it holds at once stay flat from n to 4n,
  /// and it writes what it wrote reading the whole file (every valid line, in order).
  @Test func repairHoldsAChunkOfBytesAtNAnd4N() throws {
    var peaks: [Int] = []
    for n in [1_500, 6_000] {
      let (fs, bytes) = Self.log(count: n, damaged: 3)
      let scan = bytes.withUnsafeBytes { LogScanner.scan($0, start: 0, lines: 0) }
      let expected = scan.headerBytes + scan.recordLines.flatMap { bytes[$0] }
      var report: RepairReport?
      let counter = try WorkCounter.measure {
        report = try LogStore.repair(path: Self.path, fileSystem: fs, chunkBytes: Self.chunk)
      }
      let r = try #require(report)
      #expect(r.droppedLines.count == 3 && r.keptRecords == n - 3)
      #expect(fs.contents(Self.path) == expected)
      let held = counter["log bytes held at peak"]
      #expect(held > 0 && held < bytes.count / 4, "\(held) of \(bytes.count) bytes")
      peaks.append(held)
    }
    #expect(peaks[1] <= peaks[0] + Self.chunk, "flat from n to 4n: \(peaks)")
  }
}
