import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// The small edges around the store: what a failed write says, what a full disk leaves, what a
/// killed repair leaves, the umask, the quarantine, non-regular files.
@Suite struct StoreEdgeTests {
  static func names(_ fs: MemoryFileSystem) -> [String] { fs.allPaths }

  @Test func epermOnAWriteSaysWhatHappenedNotAFailedSync() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 2)
    let before = try #require(fs.contents(StoreFixture.logPath))
    fs.pendingWriteErrors = [EPERM]
    #expect {
      try store.append(StoreFixture.draft(5))
    } throws: { error in
      let text = "\(error)"
      return text.contains("Operation not permitted") && text.contains("nothing was saved")
        && !text.contains("sync")
    }
    #expect(!store.isSessionReadOnly && fs.contents(StoreFixture.logPath) == before)
    // The write failed and so did cutting it back: the session stops writing, saying why.
    fs.pendingWriteErrors = [EPERM]
    fs.pendingTruncateErrors = [EPERM]
    #expect(throws: StoreError.self) { try store.append(StoreFixture.draft(6)) }
    #expect(store.isSessionReadOnly)
    #expect {
      try store.append(StoreFixture.draft(7))
    } throws: { error in
      let text = "\(error)"
      return text.contains("Operation not permitted") && !text.contains("failed sync")
        && text.contains("read-only for the rest of this session")
    }
  }

  @Test func aLockThatCannotBeMadeIsRefusedByName() throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 1)
    try fs.remove(StoreFixture.logPath + ".lock")
    fs.deniedWrites = [StoreFixture.logPath + ".lock": EACCES]
    let store = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(!store.isReadOnly)
    #expect {
      try store.append(StoreFixture.draft(2))
    } throws: { error in
      guard case .notWritable(let path, let reason) = error as? StoreError else { return false }
      return path == StoreFixture.logPath && reason.contains(".lock: Permission denied")
    }
    #expect(store.records.count == 1)
  }

  @Test func aFullDiskNeverLeavesAnEmptyTornBackup() throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 5)
    let good = try #require(fs.contents(StoreFixture.logPath))
    let fd = try fs.open(StoreFixture.logPath, readOnly: false)
    try fs.writeAll(fd, Array("{\"id\":\"torn".utf8), offset: good.count, path: "log")
    fs.close(fd)
    let torn = try #require(fs.contents(StoreFixture.logPath))
    let namesBefore = Self.names(fs)
    var attempts = 0
    for budget in [0, 1, 100] {
      fs.writeBudget = budget
      attempts += 1
      #expect(throws: StoreError.self) {
        _ = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
      }
      let left = Self.names(fs).filter { $0.contains(".torn-") }
      #expect(left.isEmpty, "a failed backup was left: \(left)")
      #expect(fs.contents(StoreFixture.logPath) == torn, "the log was cut without a backup")
    }
    #expect(
      Self.names(fs) == namesBefore
        + [StoreFixture.logPath + ".lock"].filter { !namesBefore.contains($0) })
    // Space back: the next open cuts the tail and keeps one whole backup.
    fs.writeBudget = nil
    let store = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(store.records.count == 5)
    let backups = Self.names(fs).filter { $0.contains(".torn-") }
    #expect(backups.count == 1)
    #expect(backups.first.flatMap { fs.contents($0) } == torn)
    print("full disk: \(attempts) opens refused, 0 empty or partial .torn-*.bak left")
  }

  @Test func aRepairKilledMidwayLeavesNoTemporaryFileBehind() throws {
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 4)
    var bytes = try #require(fs.contents(StoreFixture.logPath))
    bytes += Array("not a record\n".utf8)
    fs.setContents(StoreFixture.logPath, bytes)
    let temp = LogStore.repairTemporaryPath(StoreFixture.logPath)
    // What a repair killed after writing its temporary file leaves.
    fs.setContents(temp, Array("half a repaired log".utf8))
    let report = try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs)
    #expect(report.keptRecords == 4)
    #expect(try fs.status(path: temp) == nil, "the stale temporary file is still there")
    // A writable open removes one too (a read-only one leaves it to a writer).
    fs.setContents(temp, Array("half".utf8))
    _ = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    #expect(try fs.status(path: temp) != nil)
    _ = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(try fs.status(path: temp) == nil)
    #expect(Self.names(fs).filter { $0.hasSuffix(".tmp") }.isEmpty)
  }

  @Test func theSharedLogHonoursTheUmask() throws {
    for (mask, mode) in [(UInt32(0o022), UInt32(0o644)), (0o077, 0o600), (0o002, 0o664)] {
      let fs = try StoreFixture.memoryFS()
      fs.creationMask = mask
      _ = try LogStore.create(path: StoreFixture.logPath, fileSystem: fs)
      #expect(try fs.status(path: StoreFixture.logPath)?.permissions == mode)
    }
  }

  @Test func repairQuarantinesEveryDamagedLineByteForByte() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 6)
    var lines = try #require(fs.contents(StoreFixture.logPath)).split(
      separator: 0x0A, omittingEmptySubsequences: false
    ).map(Array.init)
    // Line 3 edited by hand (valid JSON, stale checksum), line 5 garbage.
    let edited = Array(
      String(decoding: lines[2], as: UTF8.self).replacingOccurrences(of: "\"n\":1", with: "\"n\":9")
        .utf8)
    #expect(edited != lines[2])
    lines[2] = edited
    lines[4] = Array("garbage".utf8)
    fs.setContents(StoreFixture.logPath, Array(lines.joined(separator: [0x0A])))
    let (_, damage) = try LogStore.diagnose(path: StoreFixture.logPath, fileSystem: fs)
    #expect(damage.map(\.looksHandEdited) == [true, false])
    #expect(damage[0].recordID == store.records[1].id.rawValue && damage[1].recordID == nil)
    // Recovery offered for the edited line: a wrong record is ignored, the right one restored.
    let original = try RecordCodec.encode(store.records[1]).dropLast()
    var asked: [String] = []
    let report = try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs) { id, _ in
      asked.append(id)
      return RecoveredLine(bytes: Array(original), source: "test")
    }
    #expect(asked == [store.records[1].id.rawValue])
    #expect(report.restoredLines.map(\.line.line) == [3] && report.droppedLines.map(\.line) == [5])
    #expect(report.keptRecords == 5)
    let quarantine = try #require(report.quarantinePath)
    #expect(fs.contents(quarantine) == edited + [0x0A] + Array("garbage\n".utf8))
    let repaired = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(
      repaired.records.map(\.id) == store.records.filter { $0.id != store.records[3].id }.map(\.id))
  }

  @Test func aRecoveredLineThatIsNotTheSameRecordIsNotUsed() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 3)
    var bytes = try #require(fs.contents(StoreFixture.logPath))
    let firstRecordEnd = bytes.firstIndex(of: 0x0A)! + 1
    bytes[firstRecordEnd + 60] ^= 0x01
    fs.setContents(StoreFixture.logPath, bytes)
    let other = try RecordCodec.encode(store.records[2]).dropLast()
    let report = try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs) { _, _ in
      RecoveredLine(bytes: Array(other), source: "elsewhere")
    }
    #expect(report.restoredLines.isEmpty && report.droppedLines.count == 1)
    #expect(report.quarantinePath != nil)
  }
}
