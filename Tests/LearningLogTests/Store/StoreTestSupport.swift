import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// Shared fixtures for the store tests.
enum StoreFixture {
  static let logPath = "/data/log.jsonl"

  static var stress: Bool { ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1" }

  /// A memory file system holding `/data`.
  static func memoryFS() throws -> MemoryFileSystem {
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/data", permissions: 0o755)
    return fs
  }

  /// A varied draft numbered `n`: empty strings, multi-byte UTF-8, escapes, large fields.
  static func draft(_ n: Int, large: Bool = false, small: Bool = false) -> RecordDraft {
    let texts = [
      "", "plain", "naïve café — ünïcödé ✓ 日本語 🚀👩‍👩‍👧", "quote \" backslash \\ slash /",
      "controls \u{0}\u{1}\u{1F}\t\n\r\u{7F}", "line sep \u{2028} para \u{2029}",
      "{\"json\":[1,2]}",
    ]
    var body: [String: JSONValue] = [
      "n": .int(n), "text": .string(texts[n % texts.count]), "neg": .int(-n * 7919),
      "list": .array([.null, .bool(n % 2 == 0), .double(Double(n) + 0.25)]),
      "nested": .object(["k\(n % 3)": .string(texts[(n + 3) % texts.count])]),
    ]
    if small {
      // Small lines keep the every-byte tests quick; every third still carries odd text.
      body = n % 3 == 0 ? ["n": .int(n), "t": .string(texts[n / 3 % texts.count])] : ["n": .int(n)]
    }
    if large { body["big"] = .string(String(repeating: "ab😀c\\\"\u{1}", count: 120)) }
    return RecordDraft(
      type: small ? "t" : "test.event", schema: 1, entity: small ? "" : "e\(n % 5)",
      body: .object(body))
  }

  /// A store on `fs` with `count` records, every tenth with a large field.
  static func makeLog(
    _ fs: MemoryFileSystem, count: Int, batch: Int = 1, small: Bool = false,
    large: (Int) -> Bool = { $0 % 10 == 7 }
  ) throws -> LogStore {
    let store = try LogStore.create(path: logPath, fileSystem: fs)
    store.writerID = "writer-a"
    var n = 0
    while n < count {
      let k = min(batch, count - n)
      let start = n
      try store.append { _ in (start..<start + k).map { draft($0, large: large($0), small: small) }
      }
      n += k
    }
    return store
  }

  /// The `n` values of records, in order.
  static func numbers(_ records: [Record]) -> [Int] {
    records.compactMap { $0.body["n"]?.intValue }
  }

  /// Offsets just after each newline of `bytes`.
  static func boundaries(_ bytes: [UInt8]) -> [Int] {
    bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
  }

  /// A fresh temporary directory on the real file system.
  static func tempDirectory(_ name: String) throws -> String {
    let base = FileManager.default.temporaryDirectory.path
    let dir = "\(base)/learnlog-\(name)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }
}
