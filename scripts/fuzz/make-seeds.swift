// Writes the seed corpora in Fuzz/corpus/ from the demo data: real logs (clean, torn,
// damaged, with conflict markers), JSON exports, CSV exports and key sequences.
//
// Run from the repository root:
//   swiftc -parse-as-library -module-name MakeSeeds $(find Sources/LearningLog -name '*.swift') \
//     scripts/fuzz/make-seeds.swift -o .build-fuzz/make-seeds && .build-fuzz/make-seeds
import Foundation

@main enum MakeSeeds {
  static func write(_ target: String, _ name: String, _ bytes: [UInt8]) throws {
    let dir = "Fuzz/corpus/\(target)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(name)"))
  }

  static func main() throws {
    let today = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/d", permissions: 0o755)
    let store = try LogStore.create(path: "/d/log.jsonl", fileSystem: fs)
    store.writerID = "seed-writer"
    let drafts = try DemoData.drafts(today: today)
    try store.append { _ in Array(drafts.prefix(40)) }
    let log = fs.contents("/d/log.jsonl") ?? []
    let lines = log.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)

    // Logs: small and clean, torn, zero-filled, damaged, conflicted, newer format.
    let small = Array(lines.prefix(6).joined(separator: [0x0A])) + [0x0A]
    try write("record-reader", "clean-small.jsonl", small)
    try write("record-reader", "header-only.jsonl", lines[0] + [0x0A])
    try write("record-reader", "torn-prefix.jsonl", Array(small.dropLast(17)))
    try write("record-reader", "torn-zeros.jsonl", small + [UInt8](repeating: 0, count: 40))
    var flipped = small
    flipped[lines[0].count + 30] ^= 0x04
    try write("record-reader", "bit-flip.jsonl", flipped)
    let conflict =
      lines[0] + [0x0A] + Array("<<<<<<< HEAD\n".utf8) + lines[1] + [0x0A]
      + Array("=======\n".utf8) + lines[2] + [0x0A] + Array(">>>>>>> other\n".utf8)
    try write("record-reader", "conflict.jsonl", conflict)
    var newer = String(decoding: small, as: UTF8.self)
    newer = newer.replacingOccurrences(of: "{\"learnlog\":1,", with: "{\"learnlog\":9,")
    try write("record-reader", "newer-format.jsonl", Array(newer.utf8))
    for (n, line) in lines.dropFirst().prefix(12).enumerated() {
      try write("json-parser", "record-\(n).json", line)
    }

    // Exports of the whole demo state.
    let all = try LogStore.open(path: "/d/log.jsonl", fileSystem: fs, readOnly: true)
    let state = LearningState.replay(all.sortedForReplay())
    let json = Array(Exporter.json(state, on: today, includePrivate: true).utf8)
    try write("import-json", "export-demo.json", json)
    try write("json-parser", "export-demo.json", json)
    try write(
      "import-json", "empty-export.json", Array(#"{"format":"learnlog-export","version":1}"#.utf8))
    try write("import-csv", "incidents.csv", Array(Exporter.csv(state).utf8))
    try write("import-csv", "minimal.csv", Array("title,occurred\r\nDisk full,2026-02-01\r\n".utf8))
    try write(
      "import-csv", "quoted.csv",
      Array(
        "\u{FEFF}title,what,tags,severity\n\"a, b\",\"line\nbreak\",x;y,high\n'=cmd,\"\"\"q\"\"\",,low\n"
          .utf8))

    // Key sequences as a terminal sends them (see the key-decoder target for the 0xF0.. ops).
    let keys: [(String, [UInt8])] = [
      ("arrows", Array("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D\u{1B}OA".utf8)),
      ("modified", Array("\u{1B}[1;5A\u{1B}[1;2C\u{1B}[3;5~\u{1B}[5~\u{1B}[6~".utf8)),
      ("function", Array("\u{1B}OP\u{1B}[15~\u{1B}[24~".utf8)),
      ("alt-and-ctrl", Array("\u{1B}x\u{1}\u{3}\u{7F}\u{1B}\u{1B}\r\t".utf8)),
      ("paste", Array("\u{1B}[200~hello\nworld\u{1B}[201~".utf8)),
      ("sgr-mouse", Array("\u{1B}[<0;10;5M\u{1B}[<0;10;5m\u{1B}[<64;3;3M".utf8)),
      ("utf8", Array("naïve 日本 🚀".utf8)),
      (
        "codes", [0xF0, 0x01, 0x03, 0xF1, 10, 12, 4, 0xF2, 80, 24, 0xF3, 0, 0xF4, 0x01, 0xF6, 0x80]
      ),
    ]
    for (name, bytes) in keys { try write("key-decoder", name, bytes) }
    print("seeds written")
  }
}
