import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

@Suite struct StoreCrashTests {
  final class Capture {
    var acknowledged: [Int] = []
    var attempted: [Int] = []
    var images: [(fs: MemoryFileSystem, acknowledged: [Int], attempted: [Int], mode: String)] = []
  }

  static func modes(unsynced: Int) -> [(MemoryFileSystem.CrashMode, String)] {
    var m: [(MemoryFileSystem.CrashMode, String)] = [
      (.drop, "drop"), (.zeros, "zeros"), (.garble(seed: 1), "garble1"),
      (.garble(seed: 2), "garble2"),
      (.tearThenZeros(keeping: unsynced / 2), "tear+zeros"),
    ]
    // Tear at every byte of the unsynced tail.
    for k in 0...unsynced { m.append((.tear(keeping: k), "tear\(k)")) }
    return m
  }

  /// At every sync point a crash drops, tears, zeroes or garbles what was not synced;
  /// reopening keeps every acknowledged record and invents none.
  @Test func crashStatesKeepEveryAcknowledgedRecord() throws {
    let fs = try StoreFixture.memoryFS()
    let cap = Capture()
    fs.onSyncPoint = { f in
      let unsynced = f.unsyncedByteCount(StoreFixture.logPath)
      for (mode, name) in Self.modes(unsynced: unsynced) {
        cap.images.append((f.crashImage(mode), cap.acknowledged, cap.attempted, name))
      }
    }
    let store = try LogStore.create(path: StoreFixture.logPath, fileSystem: fs)
    store.writerID = "writer-a"
    var n = 0
    for batch in [1, 3, 1, 2, 1, 1, 4, 1] {
      let numbers = Array(n..<n + batch)
      cap.attempted += numbers
      try store.append { _ in numbers.map { StoreFixture.draft($0, large: $0 == 5) } }
      cap.acknowledged += numbers
      n += batch
    }
    fs.onSyncPoint = nil
    for (mode, name) in Self.modes(unsynced: 0) {
      cap.images.append((fs.crashImage(mode), cap.acknowledged, cap.attempted, name))
    }
    var reopened = 0
    var repairedByCommand = 0
    var missing = 0
    for image in cap.images {
      let f = image.fs
      let outcome = Self.reopen(f)
      if outcome.missing {
        // The log's creation was not yet durable: nothing can have been acknowledged.
        #expect(image.acknowledged.isEmpty, "\(image.mode)")
        missing += 1
        continue
      }
      if outcome.repaired {
        // Garbled bytes that happen to hold a newline are damage: `learnlog repair` fixes it.
        #expect(image.mode.hasPrefix("garble"), "\(image.mode)")
        repairedByCommand += 1
      }
      let store = try #require(outcome.store, "\(image.mode): \(outcome.error ?? "")")
      let got = StoreFixture.numbers(store.records)
      #expect(
        got == Array(image.attempted.prefix(got.count)), "no gaps, nothing invented: \(image.mode)")
      #expect(got.count >= image.acknowledged.count, "acknowledged kept: \(image.mode)")
      store.writerID = "writer-b"
      try store.append(StoreFixture.draft(999))
      let again = try LogStore.inspect(path: StoreFixture.logPath, fileSystem: f)
      #expect(again.isClean && StoreFixture.numbers(again.records) == got + [999])
      reopened += 1
    }
    print(
      "crash states: \(cap.images.count) images at \(fs.syncPoints) sync points, \(reopened) "
        + "reopened (\(repairedByCommand) after repair), \(missing) before the log existed; "
        + "0 acknowledged lost, 0 phantom")
  }

  static func reopen(_ f: MemoryFileSystem) -> (
    store: LogStore?, missing: Bool, repaired: Bool, error: String?
  ) {
    do {
      return (try LogStore.open(path: StoreFixture.logPath, fileSystem: f), false, false, nil)
    } catch {
      switch error {
      case .notFound: return (nil, true, false, nil)
      case .damaged:
        do {
          _ = try LogStore.repair(path: StoreFixture.logPath, fileSystem: f)
          return (try LogStore.open(path: StoreFixture.logPath, fileSystem: f), false, true, nil)
        } catch {
          return (nil, false, true, error.description)
        }
      default: return (nil, false, false, error.description)
      }
    }
  }

  @Test func eioOnSyncAcknowledgesNothingAndMakesTheSessionReadOnly() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 3)
    let before = try #require(fs.contents(StoreFixture.logPath))
    fs.pendingSyncErrors = [EIO]
    #expect {
      try store.append(StoreFixture.draft(3))
    } throws: { error in
      guard case .syncFailed = error as? StoreError else { return false }
      return "\(error)".contains("nothing was saved") && "\(error)".contains("read-only")
    }
    #expect(store.isSessionReadOnly)
    #expect(store.records.count == 3)
    #expect(fs.contents(StoreFixture.logPath) == before)
    // Never retried: later appends refuse without touching the file or syncing again.
    let syncs = fs.syncPoints
    #expect(throws: StoreError.self) {
      try store.append(StoreFixture.draft(4))
    }
    #expect(fs.syncPoints == syncs)
    #expect(fs.contents(StoreFixture.logPath) == before)
  }

  @Test func enospcAndShortWritesLeaveThePreviousSize() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 3)
    let before = try #require(fs.contents(StoreFixture.logPath))
    // A short write of 10 bytes, then ENOSPC.
    fs.writeBudget = 10
    #expect {
      try store.append { _ in [StoreFixture.draft(3), StoreFixture.draft(4)] }
    } throws: { error in
      guard case .writeFailed = error as? StoreError else { return false }
      return "\(error)".contains("No space left") && "\(error)".contains("unchanged")
    }
    #expect(fs.contents(StoreFixture.logPath) == before)
    #expect(store.records.count == 3 && !store.isSessionReadOnly)
    // Once space is back, appending works and leaves no gap.
    fs.writeBudget = nil
    try store.append(StoreFixture.draft(3))
    // Short writes that do succeed are looped until every byte is out.
    fs.maxBytesPerWrite = 7
    try store.append { _ in [StoreFixture.draft(4, large: true), StoreFixture.draft(5)] }
    let reread = try LogStore.inspect(path: StoreFixture.logPath, fileSystem: fs)
    #expect(reread.isClean && StoreFixture.numbers(reread.records) == [0, 1, 2, 3, 4, 5])
  }

  @Test func emptyDraftListWritesNothingAndBuildErrorsPropagate() throws {
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 2)
    let before = try #require(fs.contents(StoreFixture.logPath))
    let syncs = fs.syncPoints
    #expect(try store.append { _ in [] }.isEmpty)
    struct Invalid: Error {}
    #expect(throws: Invalid.self) { try store.append { _ in throw Invalid() } }
    #expect(fs.contents(StoreFixture.logPath) == before && fs.syncPoints == syncs)
    // The lock was released: another append works.
    try store.append(StoreFixture.draft(2))
    #expect(store.records.count == 3)
  }
}
