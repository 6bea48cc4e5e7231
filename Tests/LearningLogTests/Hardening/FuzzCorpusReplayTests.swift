import Foundation
import Testing

@testable import LearningLog

/// Every seed and every saved finding of the fuzz targets (`Fuzz/corpus/<target>/`,
/// `Fuzz/regressions/<target>/`), run through the same checks as the targets in
/// `scripts/fuzz/targets`, so a crash once found stays fixed in `swift test`.
@Suite struct FuzzCorpusReplayTests {
  static let root = PathName.directory(
    of: PathName.directory(of: PathName.directory(of: PathName.directory(of: #filePath))))

  static func inputs(_ target: String) -> [(String, [UInt8])] {
    var out: [(String, [UInt8])] = []
    for kind in ["corpus", "regressions"] {
      let dir = "\(root)/Fuzz/\(kind)/\(target)"
      let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
      for name in names.sorted() {
        if let data = FileManager.default.contents(atPath: dir + "/" + name) {
          out.append(("\(kind)/\(target)/\(name)", [UInt8](data)))
        }
      }
    }
    return out
  }

  @Test func recordReaderInputs() throws {
    let inputs = Self.inputs("record-reader")
    #expect(inputs.count >= 5, "seed corpus missing under \(Self.root)/Fuzz")
    for (name, bytes) in inputs {
      let fs = try StoreFixture.memoryFS()
      fs.setContents(StoreFixture.logPath, bytes)
      let inspection = try LogStore.inspect(path: StoreFixture.logPath, fileSystem: fs)
      if let ro = try? LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true) {
        #expect(ro.records == inspection.records, "\(name)")
      }
      #expect(fs.contents(StoreFixture.logPath) == bytes, "\(name): a read-only open wrote")
      var store: LogStore
      do {
        store = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
      } catch {
        #expect(!error.description.contains("\n"), "\(name)")
        if inspection.newerFormat != nil { continue }
        _ = try LogStore.repair(path: StoreFixture.logPath, fileSystem: fs)
        store = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs)
      }
      let count = store.records.count
      store.writerID = "replay"
      try store.append(RecordDraft(type: "fuzz.probe", entity: "e", body: ["n": 1]))
      let again = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
      #expect(again.records.count == count + 1, "\(name)")
    }
  }

  @Test func jsonParserInputs() throws {
    for (name, bytes) in Self.inputs("json-parser") {
      guard let v = try? JSONParser.parse(bytes), let text = try? JSONSerializer.serialize(v)
      else { continue }
      #expect(try JSONSerializer.serialize(JSONParser.parse(text)) == text, "\(name)")
    }
  }

  @Test func importerInputs() throws {
    let day = Day(year: 2026, month: 6, day: 1) ?? Day(ordinal: 0)
    var imported = 0
    for (name, bytes) in Self.inputs("import-json") {
      guard let plan = try? Importer.json(Data(bytes), into: LearningState(), includePrivate: true)
      else { continue }
      var st = Stamper(writer: "fuzz", wall: 1)
      let state = LearningState.replay(plan.shared.map { st.stamp($0) })
      let text = Exporter.json(state, on: day)
      #expect(throws: Never.self, "\(name)") {
        _ = try Importer.json(Data(text.utf8), into: LearningState())
      }
      imported += 1
    }
    for (name, bytes) in Self.inputs("import-csv") {
      let ctx = CommandContext.seeded(7, today: day)
      guard let plan = try? Importer.csv(Data(bytes), into: LearningState(), context: ctx)
      else { continue }
      var st = Stamper(writer: "fuzz", wall: 1)
      let state = LearningState.replay(plan.shared.map { st.stamp($0) })
      let back = try Importer.csv(
        Data(Exporter.csv(state).utf8), into: LearningState(), context: .seeded(8, today: day))
      #expect(back.shared.count == plan.shared.count, "\(name)")
      imported += 1
    }
    #expect(imported >= 3)
  }

  @Test func snapshotDecoderInputs() throws {
    var st = Stamper(writer: "seed", wall: 1_780_000_000_000)
    let records = try DemoData.drafts(today: day("2026-03-01")).map { st.stamp($0) }
    let valid = try StateCoding.image(LearningState.replay(records))
    // Block sums are skipped, so edits reach the entity decoders behind them.
    func decodes(_ bytes: [UInt8]) -> Bool {
      bytes.withUnsafeBytes { raw in
        (try? StateCoding.decodeImage(raw, trustBlocks: true)) != nil
      }
    }
    #expect(decodes(valid), "the demo state's encoding does not decode")
    var count = 0
    for (_, input) in Self.inputs("snapshot-decoder") {
      _ = decodes(input)
      var edited = valid
      var i = 0
      while i + 2 < input.count {
        edited[(Int(input[i]) << 8 | Int(input[i + 1])) * 7 % edited.count] ^=
          input[i + 2] == 0 ? 1 : input[i + 2]
        i += 3
      }
      if input.count % 3 == 1 { edited.removeLast(min(edited.count, Int(input.last ?? 0))) }
      _ = decodes(edited)
      count += 1
    }
    #expect(count >= 1)
  }
}
