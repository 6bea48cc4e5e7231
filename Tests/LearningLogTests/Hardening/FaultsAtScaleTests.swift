import Foundation
import Testing

@testable import LearningLog

/// Disk full, a read-only file system, a log replaced under a reader, and (with
/// `LEARNLOG_STRESS=1`) kill -9 and concurrent writers at scale.
@Suite(.serialized) struct FaultsAtScaleTests {
  /// A number from the environment, or `fallback`.
  static func knob(_ name: String, _ fallback: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
  }

  /// Runs a system command quietly; its exit status.
  @discardableResult
  static func system(_ args: [String]) -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return -1 }
    p.waitUntilExit()
    return p.terminationStatus
  }

  /// A fresh tmpfs of `kib` KiB, or nil where mounting is not allowed (not root, a container
  /// without the capability).
  static func tmpfs(kib: Int) throws -> String? {
    let dir = try StoreFixture.tempDirectory("tmpfs")
    guard geteuid() == 0, system(["mount", "-t", "tmpfs", "-o", "size=\(kib)k", "tmpfs", dir]) == 0
    else {
      try? FileManager.default.removeItem(atPath: dir)
      return nil
    }
    return dir
  }

  static func unmount(_ dir: String) {
    system(["umount", "-l", dir])
    try? FileManager.default.removeItem(atPath: dir)
  }

  static func bytes(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path) ?? Data())
  }

  /// Fills the file system holding `dir` until a write fails; the filler's path.
  static func fill(_ dir: String) -> String {
    let path = dir + "/filler"
    let fd = open(path, O_CREAT | O_WRONLY, 0o644)
    let chunk = [UInt8](repeating: 0x2E, count: 512)
    while chunk.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
    close(fd)
    return path
  }

  @Test func diskFullOnTheFaultLayerLeavesTheLogUnchangedAndRecovers() throws {
    // The fault layer's write budget stands for the full disk (runs everywhere).
    let fs = try StoreFixture.memoryFS()
    let store = try StoreFixture.makeLog(fs, count: 20)
    let before = fs.contents(StoreFixture.logPath)
    fs.writeBudget = 100
    #expect(throws: StoreError.self) { try store.append(StoreFixture.draft(1, large: true)) }
    #expect(fs.contents(StoreFixture.logPath) == before)
    fs.writeBudget = nil
    try store.append(StoreFixture.draft(2))
    #expect(try LogStore.open(path: StoreFixture.logPath, fileSystem: fs).records.count == 21)
  }

  @Test(.enabled(if: canMount, "needs root and mount for a small tmpfs"))
  func diskFullLeavesTheLogUnchangedAndRecovers() throws {
    let mnt = try #require(try Self.tmpfs(kib: 256))
    defer { Self.unmount(mnt) }
    let path = mnt + "/log.jsonl"
    let store = try LogStore.create(path: path)
    store.writerID = "w"
    for n in 0..<20 { try store.append(StoreFixture.draft(n)) }
    let filler = Self.fill(mnt)
    let before = Self.bytes(path)
    var failures = 0
    var messages: Set<String> = []
    // Records from small to large: each either fits or fails with nothing written.
    for n in 0..<40 {
      let body: [String: JSONValue] = [
        "n": .int(100 + n), "pad": .string(String(repeating: "z", count: 64 << (n % 8))),
      ]
      let expected = Self.bytes(path)
      do {
        try store.append(RecordDraft(type: "test.full", entity: "x", body: .object(body)))
      } catch {
        failures += 1
        messages.insert("\(error)")
        #expect(Self.bytes(path) == expected, "a failed append changed the file")
      }
    }
    #expect(failures > 0, "the disk never filled")
    for m in messages {
      #expect(m.contains(path) && m.contains("nothing was saved"), "unclear: \(m)")
    }
    let inspection = try LogStore.inspect(path: path)
    #expect(inspection.isClean)
    #expect(Array(Self.bytes(path).prefix(before.count)) == before)
    // Creating a new log on the full disk fails cleanly and leaves no temporary file.
    #expect(throws: StoreError.self) { _ = try LogStore.create(path: mnt + "/other.jsonl") }
    let left = try FileManager.default.contentsOfDirectory(atPath: mnt).filter { $0.hasPrefix(".") }
    #expect(left.isEmpty, "temporary files left: \(left)")
    // Space back: the same session appends again.
    try FileManager.default.removeItem(atPath: filler)
    let count = try LogStore.open(path: path, readOnly: true).records.count
    try store.append(RecordDraft(type: "test.after", entity: "x", body: ["n": 1]))
    #expect(try LogStore.open(path: path, readOnly: true).records.count == count + 1)
    print(
      "disk full (tmpfs 256 KiB): \(failures) of 40 appends refused with ENOSPC, the log "
        + "byte-for-byte unchanged each time, clean afterwards, appends resume")
  }

  /// Whether this process may mount a tmpfs (root, and `mount` allowed here).
  static let canMount: Bool = {
    guard let dir = try? tmpfs(kib: 64) else { return false }
    unmount(dir)
    return true
  }()

  @Test(.enabled(if: canMount, "needs root and mount (a tmpfs and a read-only bind mount)"))
  func readOnlyFileSystemOpensReadOnlyAndRefusesWriting() throws {
    let mnt = try #require(try Self.tmpfs(kib: 512))
    defer { Self.unmount(mnt) }
    let store = try LogStore.create(path: mnt + "/log.jsonl")
    store.writerID = "w"
    for n in 0..<10 { try store.append(StoreFixture.draft(n)) }
    // A read-only view of the same directory (a read-only bind mount), while a writer still
    // has the file open through the writable one.
    let view = try StoreFixture.tempDirectory("ro-view")
    defer {
      Self.system(["umount", "-l", view])
      try? FileManager.default.removeItem(atPath: view)
    }
    #expect(Self.system(["mount", "--bind", mnt, view]) == 0)
    #expect(Self.system(["mount", "-o", "remount,bind,ro", view]) == 0)
    let path = view + "/log.jsonl"
    let before = Self.bytes(path)
    #expect(before.count > 0)
    // An open for writing falls back to reading: every record is there.
    let opened = try LogStore.open(path: path)
    #expect(opened.isReadOnly && opened.readOnlyReason == "Read-only file system")
    #expect(opened.records.count == 10)
    // A write is refused with one line naming the file and the reason; nothing changes.
    #expect {
      try opened.append(StoreFixture.draft(11))
    } throws: { error in
      let text = "\(error)"
      return text.contains(path) && !text.contains("\n") && text.contains("Read-only file system")
        && text.contains("nothing was written")
    }
    // The whole read path (snapshot cache elsewhere) works too.
    let cache = SnapshotCache(directory: try StoreFixture.tempDirectory("ro-cache"))
    let (loaded, _) = try LearningState.load(path: path, cache: cache)
    #expect(loaded.records.count == 10 && loaded.isReadOnly)
    // A new log cannot be created there, a repair is refused by name, nothing is left behind.
    #expect(throws: StoreError.self) { _ = try LogStore.create(path: view + "/new.jsonl") }
    #expect(throws: StoreError.self) { _ = try LogStore.repair(path: path) }
    #expect(Self.bytes(path) == before)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: mnt).sorted() == [
        "log.jsonl", "log.jsonl.lock",
      ])
    print(
      "read-only file system: opened read-only, 10 records read, writes refused with a clear error, the log unchanged"
    )
  }

  @Test func readOnlyFileModeOpensReadOnlyOnTheFaultLayer() throws {
    // Root ignores file modes; the fault layer answers EACCES as a 0444 file of another user.
    let fs = try StoreFixture.memoryFS()
    _ = try StoreFixture.makeLog(fs, count: 3)
    let before = try #require(fs.contents(StoreFixture.logPath))
    fs.deniedWrites = [
      StoreFixture.logPath: EACCES, PathName.directory(of: StoreFixture.logPath) + "/": EACCES,
    ]
    let reader = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(reader.isReadOnly && reader.readOnlyReason == "Permission denied")
    #expect(reader.records.count == 3)
    #expect(throws: StoreError.notWritable(path: StoreFixture.logPath, reason: "Permission denied"))
    {
      try reader.append(StoreFixture.draft(9))
    }
    #expect(fs.contents(StoreFixture.logPath) == before)
    // A torn tail is left alone (an append in flight for all a reader knows), not cut.
    fs.deniedWrites = [:]
    let fd = try fs.open(StoreFixture.logPath, readOnly: false)
    let partial = Array("{\"id\":".utf8)
    try fs.writeAll(fd, partial, offset: before.count, path: StoreFixture.logPath)
    fs.close(fd)
    fs.deniedWrites = [
      StoreFixture.logPath: EROFS, PathName.directory(of: StoreFixture.logPath) + "/": EROFS,
    ]
    let torn = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
    #expect(torn.records.count == 3 && torn.readOnlyReason == "Read-only file system")
    #expect(fs.contents(StoreFixture.logPath) == before + partial)
  }

  @Test func aLogReplacedUnderARunningReaderIsReloaded() throws {
    let dir = try StoreFixture.tempDirectory("replaced")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    let first = try LogStore.create(path: path)
    first.writerID = "a"
    for n in 0..<5 { try first.append(StoreFixture.draft(n)) }
    let reader = try LogStore.open(path: path, readOnly: true)
    #expect(reader.records.count == 5)
    // Another process appends: the reader follows.
    try first.append(StoreFixture.draft(5))
    #expect(try reader.refresh() == .appended([first.records[5]]))
    // `git pull` or a checkout replaces the file (a new inode).
    let other = try LogStore.create(path: dir + "/incoming.jsonl")
    other.writerID = "b"
    for n in 0..<3 { try other.append(StoreFixture.draft(n + 50)) }
    #expect(rename(dir + "/incoming.jsonl", path) == 0)
    #expect(try reader.refresh() == .replaced)
    #expect(reader.records == other.records)
    // The same inode rewritten with a different prefix.
    var bytes = Self.bytes(path)
    let cut = StoreFixture.boundaries(bytes)[1]
    bytes.removeSubrange(cut..<StoreFixture.boundaries(bytes)[2])
    let fd = open(path, O_WRONLY | O_TRUNC)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    #expect(try reader.refresh() == .replaced)
    #expect(reader.records.count == 2)
    #expect(try reader.refresh() == .unchanged)
  }

  @Test(.enabled(if: StoreFixture.stress)) func killNineAtScale() throws {
    let binary = try StoreProcessTests.writerBinary()
    let dir = try StoreFixture.tempDirectory("kill9-scale")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    _ = try LogStore.create(path: path)
    let rounds = Self.knob("LEARNLOG_KILL_ROUNDS", 3000)
    var acknowledged: [String: [Int]] = [:]
    var rng = SeededGenerator(seed: 4242)
    var kills = 0
    var tornSeen = 0
    let start = Date()
    for _ in 0..<rounds {
      var running: [(String, Process, Pipe)] = []
      for w in ["w1", "w2", "w3"] {
        let (p, pipe) = try StoreProcessTests.launch(
          binary, [path, "next", "100000", "\(rng.next() % 2 == 0 ? 64 : 4000)"], writer: w)
        running.append((w, p, pipe))
      }
      // Long enough for writers to start and append, short enough to kill most mid-append.
      usleep(UInt32(10_000 + Int(rng.next() % 60_000)))
      for (w, p, pipe) in running {
        if p.isRunning {
          kill(p.processIdentifier, SIGKILL)
          kills += 1
        }
        p.waitUntilExit()
        acknowledged[w, default: []] += StoreProcessTests.acknowledged(pipe)
      }
      if StoreProcessTests.endsMidLine(path) { tornSeen += 1 }
    }
    let total = try StoreProcessTests.verify(path, acknowledged: acknowledged)
    let acks = acknowledged.values.map(\.count).reduce(0, +)
    #expect(
      tornSeen + (total - acks) > 0,
      "no kill landed inside an append: \(kills) kills, all between appends")
    print(
      "kill -9 at scale: \(rounds) rounds × 3 writers, \(kills) kills, \(tornSeen) partial last "
        + "lines seen, \(total - acks) written but unacknowledged, \(acks) acknowledged, "
        + "\(total) records, 0 lost, 0 duplicated, "
        + "\(String(format: "%.0f", Date().timeIntervalSince(start))) s")
  }

  @Test(.enabled(if: StoreFixture.stress)) func eightWritersAtScale() throws {
    let binary = try StoreProcessTests.writerBinary()
    let dir = try StoreFixture.tempDirectory("writers-scale")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    _ = try LogStore.create(path: path)
    let perWriter = Self.knob("LEARNLOG_WRITER_APPENDS", 5000)
    let start = Date()
    let procs = try (0..<8).map { i in
      let pad = i == 7 ? "200000" : "\(i * 300)"
      return (
        "w\(i)",
        try StoreProcessTests.launch(binary, [path, "0", "\(perWriter)", pad], writer: "w\(i)")
      )
    }
    var acknowledged: [String: [Int]] = [:]
    for (w, (p, pipe)) in procs {
      let acks = StoreProcessTests.acknowledged(pipe)
      p.waitUntilExit()
      #expect(p.terminationStatus == 0)
      #expect(acks == Array(0..<perWriter))
      acknowledged[w] = acks
    }
    let total = try StoreProcessTests.verify(path, acknowledged: acknowledged)
    #expect(total == 8 * perWriter)
    print(
      "concurrent writers at scale: 8 × \(perWriter) appends = \(total) records, 0 lost, "
        + "0 duplicated, 0 interleaved, \(String(format: "%.0f", Date().timeIntervalSince(start))) s"
    )
  }
}
