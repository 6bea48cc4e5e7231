import Foundation
import Testing

@testable import LearningLog

/// Real processes appending to one real file.
@Suite(.serialized) struct StoreProcessTests {
  static func writerBinary() throws -> String {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let path = PathName.join(PathName.directory(of: exe), "learnlog-testwriter")
    #expect(FileManager.default.isExecutableFile(atPath: path), "build it with `swift build`")
    return path
  }

  static func launch(_ binary: String, _ args: [String], writer: String) throws -> (Process, Pipe) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["LEARNLOG_WRITER"] = writer
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    return (p, out)
  }

  /// Whether the file at `path` ends inside a line (an append cut short).
  static func endsMidLine(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    guard let end = try? handle.seekToEnd(), end > 0 else { return false }
    try? handle.seek(toOffset: end - 1)
    return (try? handle.read(upToCount: 1)) != Data([0x0A])
  }

  static func acknowledged(_ pipe: Pipe) -> [Int] {
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }
  }

  /// Checks every acknowledged number is present once and each writer's are 0..<k in order.
  static func verify(_ path: String, acknowledged: [String: [Int]]) throws -> Int {
    let store = try LogStore.open(path: path)
    var byWriter: [String: [Int]] = [:]
    for r in store.records { byWriter[r.writer, default: []].append(r.body["n"]?.intValue ?? -1) }
    for (w, acks) in acknowledged {
      let got = byWriter[w] ?? []
      #expect(got == Array(0..<got.count), "writer \(w): contiguous, in order, no duplicates")
      #expect(Set(acks).isSubset(of: Set(got)), "writer \(w): every acknowledged number present")
      #expect(acks.count == Set(acks).count)
    }
    #expect(try LogStore.inspect(path: path).isClean)
    return store.records.count
  }

  @Test func killNineLoopLosesNothing() throws {
    let binary = try Self.writerBinary()
    let dir = try StoreFixture.tempDirectory("kill9")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    _ = try LogStore.create(path: path)
    let rounds = StoreFixture.stress ? 2000 : 200
    var acknowledged: [String: [Int]] = [:]
    var rng = SeededGenerator(seed: 99)
    var killedMidRun = 0
    var tornSeen = 0
    let start = Date()
    for _ in 0..<rounds {
      let writers = ["w1", "w2"]
      var running: [(String, Process, Pipe)] = []
      for w in writers {
        let (p, pipe) = try Self.launch(binary, [path, "next", "100000", "64"], writer: w)
        running.append((w, p, pipe))
      }
      usleep(UInt32(5_000 + Int(rng.next() % 60_000)))
      for (w, p, pipe) in running {
        if p.isRunning {
          kill(p.processIdentifier, SIGKILL)
          killedMidRun += 1
        }
        p.waitUntilExit()
        acknowledged[w, default: []] += Self.acknowledged(pipe)
      }
      if Self.endsMidLine(path) { tornSeen += 1 }
    }
    let total = try Self.verify(path, acknowledged: acknowledged)
    let acks = acknowledged.values.map(\.count).reduce(0, +)
    let repairs = try FileManager.default.contentsOfDirectory(atPath: dir)
      .filter { $0.contains(".torn-") }.count
    // A kill inside an append leaves a partial last line, or a whole line its writer never
    // acknowledged (killed between the write and the return): without one, the loop proved
    // nothing about crashes mid-append.
    #expect(killedMidRun > 0)
    #expect(
      tornSeen + repairs + (total - acks) > 0,
      "no kill landed inside an append: \(killedMidRun) kills, all between appends")
    print(
      "kill -9 loop: \(rounds) rounds, \(killedMidRun) kills, \(tornSeen) partial last lines seen, "
        + "\(repairs) torn tails repaired, \(total - acks) written but unacknowledged, "
        + "\(acks) acknowledged, \(total) "
        + "records, 0 lost, 0 duplicated, \(String(format: "%.1f", Date().timeIntervalSince(start))) s"
    )
  }

  @Test func eightWritersFiveHundredAppendsEach() throws {
    let binary = try Self.writerBinary()
    let dir = try StoreFixture.tempDirectory("writers")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    _ = try LogStore.create(path: path)
    let start = Date()
    let perWriter = StoreFixture.stress ? 2000 : 500
    let procs = try (0..<8).map { i in
      // Writer 7 writes records near the line bound.
      let pad = i == 7 ? "200000" : "\(i * 300)"
      return ("w\(i)", try Self.launch(binary, [path, "0", "\(perWriter)", pad], writer: "w\(i)"))
    }
    var acknowledged: [String: [Int]] = [:]
    for (w, (p, pipe)) in procs {
      let acks = Self.acknowledged(pipe)
      p.waitUntilExit()
      #expect(p.terminationStatus == 0)
      #expect(acks == Array(0..<perWriter))
      acknowledged[w] = acks
    }
    let total = try Self.verify(path, acknowledged: acknowledged)
    #expect(total == 8 * perWriter)
    print(
      "concurrent writers: 8 × \(perWriter) appends = \(total) valid records, none interleaved, "
        + "\(String(format: "%.1f", Date().timeIntervalSince(start))) s")
  }
}
