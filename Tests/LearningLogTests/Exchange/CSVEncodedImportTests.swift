import Foundation
import LearningLogTesting
import Testing
import WorkCounting

@testable import LearningLog

/// The CSV import written straight from the file's bytes against the general import (rows
/// planned as commands, written through ``Workspace/perform(_:)``), kept as the oracle: the
/// same lines apart from each record's own id and checksum, the same state, the same errors.
@Suite struct CSVEncodedImportTests {
  static let today = Day(year: 2026, month: 3, day: 10) ?? Day(ordinal: 0)

  /// A CSV exercising what the general import does to cells: quotes, doubled quotes, line
  /// breaks inside cells, formula guards, multi-byte text, lists to clean, case and spaces
  /// in choices, empty cells, blank lines, ignored columns, CRLF line ends.
  static let varied =
    [
      "title,what,kind,severity,team,owner,tags,triggers,patterns,occurred,id,status",
      "Queue stalled,\"Workers, all of them, \"\"stopped\"\"\",production,HIGH,platform,ana,"
        + "Deploy; deploy ;DB,config-change,Deploy/Drift,2026-02-01,x1,open",
      "\"Multi\nline title\",\"données réseau 検索 🚀 naïve\", Deadline ,low, données ,Bo Li,"
        + ",,,,,",
      "'=cmd,'-2 minus,,,  ,,a;b;a;  ;c,,x/y;x/y,2026-03-10,,",
      "",
      ",,,,,,,,,,,",
      "Tabs\tinside,\"quote \\ backslash \u{2028} sep\",other,medium,t,o,\"ÉTÉ;été\",,,"
        + " 2025-12-31 ,,",
      "Last one,\"control \u{1}\u{1F} bytes\",production,high,web,\"lena\",,,,2026-01-02,,",
    ].joined(separator: "\r\n") + "\r\n"

  /// A workspace on a memory file system, writer and wall clock fixed.
  static func workspace() throws -> (MemoryFileSystem, Workspace) {
    let fs = try StoreFixture.memoryFS()
    let ws = try Workspace.create(
      path: StoreFixture.logPath, privateStore: PrivateStore(directory: "/private"),
      fileSystem: fs)
    ws.store.writerID = "writer-1"
    ws.store.wallClock = { 1_772_000_000_000 }
    return (fs, ws)
  }

  /// The general import of `csv` and the encoded one, each into a fresh log; returns both
  /// file systems and workspaces.
  static func both(_ csv: String, author: String? = "ana", parallelFrom: Int = 1 << 30) throws
    -> (general: (MemoryFileSystem, Workspace), encoded: (MemoryFileSystem, Workspace))
  {
    let general = try workspace()
    let context = CommandContext.seeded(7, today: today, author: author)
    try general.1.perform { state in try Importer.csv(Data(csv.utf8), into: state, context: context)
    }
    let encoded = try workspace()
    let written = try encoded.1.importCSV(
      Data(csv.utf8), context: .seeded(7, today: today, author: author),
      parallelFrom: parallelFrom)
    #expect(written.records == general.1.state.incidents.count)
    return (general, encoded)
  }

  /// The lines of the log (header excluded), each without its newline.
  static func lines(_ fs: MemoryFileSystem) -> [[UInt8]] {
    let bytes = fs.contents(StoreFixture.logPath) ?? []
    return bytes.split(separator: 0x0A).dropFirst().map(Array.init)
  }

  /// `line` as a JSON object without its `id` and `crc` members.
  static func withoutIDs(_ line: [UInt8]) throws -> [String: JSONValue] {
    var o = try #require(try ExchangeJSON.decode(Data(line)).objectValue)
    o["id"] = nil
    o["crc"] = nil
    return o
  }

  static func expectSame(
    _ general: (MemoryFileSystem, Workspace), _ encoded: (MemoryFileSystem, Workspace)
  ) throws {
    let g = lines(general.0)
    let e = lines(encoded.0)
    #expect(g.count == e.count)
    #expect(!e.isEmpty)
    for (a, b) in zip(g, e) {
      #expect(try withoutIDs(a) == withoutIDs(b))
      // Canonical bytes with a sound checksum: the store's own encoder gives the same line.
      guard case .success(let record) = b.withUnsafeBytes({ RecordCodec.decodeRecord($0) }) else {
        Issue.record("line does not read back: \(String(decoding: b, as: UTF8.self))")
        continue
      }
      #expect(try RecordCodec.encode(record) == b + [0x0A])
    }
    // The same state in memory, and the same as a replay of the file written.
    let export = Exporter.json(general.1.state, on: today)
    #expect(Exporter.json(encoded.1.state, on: today) == export)
    let reopened = try Workspace(
      path: StoreFixture.logPath, privateStore: PrivateStore(directory: "/private"),
      fileSystem: encoded.0)
    #expect(Exporter.json(reopened.state, on: today) == export)
    #expect(
      encoded.1.state.incidentIDsInCreationOrder == general.1.state.incidentIDsInCreationOrder)
    #expect(encoded.1.store.records.count == general.1.store.records.count)
  }

  @Test func writesTheLinesAndStateOfTheGeneralImport() throws {
    let csv = Self.varied
    // Taken straight from the bytes (nothing in the file needs the general import).
    let (_, probe) = try Self.workspace()
    let plan = CSVEncodedImport.plan(
      Data(csv.utf8), into: probe.state, today: Self.today, author: "ana",
      stamp: AppendStamp(writer: "w", clock: HybridClock(), now: 1),
      ids: { "id" + String(UUID().uuidString.prefix(8)) })
    #expect(plan?.lines.count == 5)
    for author in ["ana", "", nil] as [String?] {
      for parallelFrom in [1, 2, 1 << 30] {
        let (g, e) = try Self.both(csv, author: author, parallelFrom: parallelFrom)
        try Self.expectSame(g, e)
      }
    }
  }

  /// `learnlog import` of a small file opens the log lazily: the rows go in as through a
  /// whole open, and the state after them is the replayed log's.
  @Test func anImportThroughALazyOpenEqualsOneThroughAWholeOpen() throws {
    var logs: [[UInt8]] = []  // the imported lines, whole open then lazy
    for lazy in [false, true] {
      let fs = MemoryFileSystem()
      _ = try CacheFixture.makeLog(fs, extra: 20)
      let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
      _ = try CacheFixture.load(fs, cache)  // writes the snapshot
      let (store, state) = try LearningState.load(
        path: CacheFixture.logPath, fileSystem: fs, lazy: lazy, cache: cache)
      #expect(state.isLazy == lazy)
      let ws = Workspace(
        store: store, state: state, privateStore: PrivateStore(directory: "/private"))
      ws.store.writerID = "writer-1"
      ws.store.wallClock = { 1_773_500_000_000 }
      let written = try ws.importCSV(
        Data(Self.varied.utf8), context: .seeded(7, today: Self.today, author: "ana"))
      #expect(written.records == 5)
      #expect(ws.state.isLazy == lazy)
      let replayed = try CacheFixture.fullState(fs)
      #expect(CacheFixture.fingerprint(ws.state) == CacheFixture.fingerprint(replayed))
      #expect(ws.state.incidentIDsInCreationOrder == replayed.incidentIDsInCreationOrder)
      let lines = (fs.contents(CacheFixture.logPath) ?? []).split(separator: 0x0A)
      logs.append(contentsOf: lines.suffix(5).map(Array.init))
    }
    // The same lines written either way (ids aside: the demo's records draw theirs).
    #expect(logs.count == 10)
    for i in 0..<5 {
      let same = try Self.withoutIDs(logs[i]) == Self.withoutIDs(logs[i + 5])
      #expect(same, "imported line \(i)")
    }
  }

  @Test func aLargeFileOnTwoThreadsMatches() throws {
    var rows = ["title,what,kind,severity,team,owner,tags,patterns,occurred"]
    var gen = SeededGenerator(seed: 11)
    let words = ["deploy", "données", "検索", "\"quoted\"", "a,b", "naïve", "rollback", "✓"]
    for i in 0..<600 {
      let what = (0..<12).map { _ in words[Int(gen.next() % UInt64(words.count))] }
        .joined(separator: " ")
      rows.append(
        "Incident #\(i),\(CSV.cell(what)),production,\(["low", "high"][i % 2]),team\(i % 5),"
          + "owner\(i % 3),t\(i % 4);T\(i % 4),p/\(i % 7),2026-0\(1 + i % 2)-1\(i % 10)")
    }
    let (g, e) = try Self.both(rows.joined(separator: "\n"), parallelFrom: 64)
    try Self.expectSame(g, e)
  }

  /// The cache encodes on the second thread while the store writes: through a file system of
  /// its own (as the command line's caches have) with unnamed files (the region handed to one
  /// as it is encoded) or without (encoded in memory), or through the store's own file system,
  /// which that thread then leaves alone (encoded in memory).
  @Test(arguments: [(true, false), (false, false), (true, true)])
  func theSnapshotEncodedWhileWritingIsTheOneSavedAfter(unnamed: Bool, shared: Bool) throws {
    let (fs, ws) = try Self.workspace()
    let encodingFS = shared ? fs : MemoryFileSystem()
    encodingFS.supportsUnnamedFiles = unnamed
    let result = try ws.importCSV(
      Data(Self.varied.utf8), context: .seeded(7, today: Self.today),
      snapshotCache: SnapshotCache(directory: "/cache", fileSystem: encodingFS))
    #expect(result.records == 5)
    let encoded = try #require(result.snapshot)
    let spilled = unnamed && !shared
    #expect((encoded.spilled != nil) == spilled)
    #expect(encoded.lazy.isEmpty == spilled, "a spilled region is not also held in memory")
    // Saved beside the log (the save reads the store's descriptor), the region copied from
    // the file system it was spilled to.
    let cache = SnapshotCache(directory: "/cache", fileSystem: fs)
    let path = cache.snapshotPath(storeID: ws.store.header.storeID, logPath: ws.path)
    fs.supportsUnnamedFiles = false
    try cache.save(ws.state, of: ws.store)
    let plain = fs.contents(path)
    fs.supportsUnnamedFiles = true
    let counted = try WorkCounter.measure {
      try cache.save(ws.state, of: ws.store, encoded: encoded)
    }
    #expect((counted["snapshot region streamed"] > 0) == spilled)
    #expect(plain != nil)
    #expect(fs.contents(path) == plain)
    // And it opens to the state the import left.
    let reopened = try Workspace(
      path: StoreFixture.logPath, privateStore: PrivateStore(directory: "/private"),
      fileSystem: fs, cache: cache)
    #expect(
      Exporter.json(reopened.state, on: Self.today) == Exporter.json(ws.state, on: Self.today))
  }

  @Test func anyRowTheGeneralImportRefusesGivesItsErrorAndWritesNothing() throws {
    let good = "title,kind,severity,owner,occurred\nFirst,production,high,ana,2026-02-01\n"
    let cases: [(String, String)] = [
      (good + "Second,volcano,high,ana,2026-02-01\n", "CSV row 3: kind: 'volcano'"),
      (good + "Third,production,low,ana,2026-02-30\n", "CSV row 3: occurred"),
      (good + "Fourth,production,low,ana,2027-02-01\n", "CSV row 3: occurred"),
      (good + "Fifth,production,low,\"ana, bo\",2026-02-01\n", "names more than one person"),
      (good + ",production,low,ana,2026-02-01\n", "CSV row 3: title is missing"),
      (good + "Sixth,production\n", "CSV row 3 (line 3): 2 cells"),
      (good + "Seventh,\"open\n", "never closed"),
      ("title,colour\nx,red\n", "unknown column 'colour'"),
      ("title,title\nx,y\n", "appears twice"),
    ]
    for (csv, message) in cases {
      let (fs, ws) = try Self.workspace()
      let before = fs.contents(StoreFixture.logPath)
      do {
        _ = try ws.importCSV(Data(csv.utf8), context: .seeded(1, today: Self.today))
        Issue.record("no error for \(csv)")
      } catch let e as DomainError {
        #expect(e.message.contains(message), "\(e.message)")
      }
      #expect(fs.contents(StoreFixture.logPath) == before)
      #expect(ws.state.incidents.count == 0)
    }
    // Not UTF-8: refused as the general import refuses it.
    let (fs, ws) = try Self.workspace()
    let before = fs.contents(StoreFixture.logPath)
    #expect(throws: DomainError.self) {
      _ = try ws.importCSV(
        Data(Array("title\n".utf8) + [0xC3, 0x28, 0x0A]), context: .seeded(1, today: Self.today))
    }
    #expect(fs.contents(StoreFixture.logPath) == before)
  }

  @Test func filesLeftToTheGeneralImportStillImportTheSame() throws {
    // A byte order mark, a header with spaces, a cell near a record's room.
    let room = String(repeating: "x", count: Importer.recordRoom / 5)
    for csv in [
      "\u{FEFF}title,what\nA,b\n", " Title , WHAT \nA,b\n", "title,what\nA,\(room)\n",
    ] {
      let (g, e) = try Self.both(csv)
      try Self.expectSame(g, e)
    }
  }

  @Test func theEncodedImportIsLinear() throws {
    try expectLinearGrowth("importing CSV rows straight to lines, one pattern", n: 500) { n in
      var text = "title,what,owner,tags,patterns,occurred\n"
      for i in 0..<n {
        text +=
          "\"Row \(i), quoted\",what happened in row \(i) 検索,owner\(i % 3),a;B,area/cause,"
          + "2026-03-01\n"
      }
      var state = LearningState()
      var drawn = EntityIDGenerator(rng: SeededGenerator(seed: 3))
      let counter = try WorkCounter.measure {
        let plan = try #require(
          CSVEncodedImport.plan(
            Data(text.utf8), into: state, today: Self.today, author: "ana",
            stamp: AppendStamp(writer: "w", clock: HybridClock(), now: 1),
            parallelFrom: 1 << 30, ids: { drawn.next() }))
        plan.apply(&state)
      }
      #expect(state.incidents.count == n)
      #expect(counter["csv.bytes"] == text.utf8.count, "every byte read once")
      #expect(counter["csv.cells"] == 6 * n)
      return counter["csv.bytes"] + counter["csv.cells"] + counter["pattern index"]
    }
  }

  @Test func theScanReadsTheRowsOfTheParser() throws {
    var gen = SeededGenerator(seed: 5)
    let pieces = ["a", ",", "\"", "\n", "\r", "\r\n", " ", "é", "検", "\"\"", "x,y"]
    var compared = 0
    for _ in 0..<3_000 {
      let text = (0..<Int(gen.next() % 14)).map { _ in
        pieces[Int(gen.next() % UInt64(pieces.count))]
      }
      .joined()
      let bytes = Array(text.utf8)
      let table = bytes.withUnsafeBufferPointer { b in
        CSVEncodedImport.scan(b).map { t in
          t.rows.indices.map { r in t.cells[t.cellRange(r)].map { CSVEncodedImport.text($0, b) } }
        }
      }
      if let rows = try? CSV.rows(text) {
        #expect(table == rows.map(\.cells), "\(text.debugDescription)")
        compared += 1
      } else {
        #expect(table == nil, "\(text.debugDescription)")
      }
    }
    #expect(compared > 500)
  }

  @Test func theUTF8CheckAgreesWithTheStandardLibrary() {
    var gen = SeededGenerator(seed: 9)
    let samples: [[UInt8]] = [
      [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0xA0, 0x80],
      [0xED, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
      [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],
      [0xE2, 0x82], [0x41, 0x80], Array("données 検索 🚀".utf8),
    ]
    var all = samples
    let alphabet: [UInt8] = [
      0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xA0, 0x90, 0x8F,
    ]
    for _ in 0..<20_000 {
      all.append(
        (0..<Int(gen.next() % 12)).map { _ in alphabet[Int(gen.next() % UInt64(alphabet.count))] })
    }
    for bytes in all {
      let padded = Array(repeating: UInt8(0x61), count: Int(bytes.count % 9)) + bytes
      let mine = padded.withUnsafeBufferPointer { CSVEncodedImport.isUTF8($0) }
      #expect(mine == (String(validating: padded, as: UTF8.self) != nil), "\(padded)")
    }
  }
}
