// Appends numbered records to a log and prints each number once it is acknowledged.
//
// Usage: learnlog-testwriter <log path> <first number|next> <count> [pad bytes]
// The writer id comes from $LEARNLOG_WRITER; `next` continues after the highest number this
// writer has in the log. Used by the multi-process store tests.
import Foundation
import LearningLog

let args = CommandLine.arguments
guard args.count >= 4, Int(args[2]) != nil || args[2] == "next", let count = Int(args[3]) else {
  FileHandle.standardError.write(Data("usage: learnlog-testwriter PATH FIRST COUNT [PAD]\n".utf8))
  exit(2)
}
let pad = args.count >= 5 ? Int(args[4]) ?? 0 : 0
do {
  let store = try LogStore.open(path: args[1])
  let me = ProcessInfo.processInfo.environment["LEARNLOG_WRITER"]
  let first =
    Int(args[2])
    ?? (store.records.filter { $0.writer == me }.compactMap { $0.body["n"]?.intValue }.max()
      .map { $0 + 1 } ?? 0)
  let padding = String(repeating: "x", count: pad)
  for n in first..<(first + count) {
    try store.append(
      RecordDraft(
        type: "test.numbered", entity: "n", body: ["n": .int(n), "pad": .string(padding)]))
    // Unbuffered: the number is out as soon as the append returned.
    FileHandle.standardOutput.write(Data("\(n)\n".utf8))
  }
} catch {
  FileHandle.standardError.write(Data("learnlog-testwriter: \(error)\n".utf8))
  exit(1)
}
