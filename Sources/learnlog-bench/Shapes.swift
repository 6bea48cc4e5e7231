import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// The shapes beyond the benchmark's own log (`--shapes`): a CSV-like log of one event an
// incident, every incident on one pattern, a log replaced by a copy with new records (what
// `git pull` does), and long answers typed and pasted into a form.

extension LogGenerator {
  /// Writes `count` incidents of one event each, a 30-word "what happened" each (the shape an
  /// import of a CSV gives), all on `pattern` when one is given.
  mutating func writeIncidents(_ count: Int, pattern: String?, to path: String) throws {
    let header = LogHeader(storeID: "019abcde-f012-7345-8678-9abcdef0c5v1", created: wall)
    var buffer = RecordCodec.encode(header)
    buffer.reserveCapacity(count * 400)
    for i in 0..<count {
      let inc = entityID()
      buffer += try line(
        EventType.incidentCreated, inc,
        [
          "title": .string("\(pick(subjects)) #\(i)"), "what": .string(sentence(30)),
          "kind": "production", "severity": .string(pick(["low", "medium", "high"])),
          "occurred": day(), "team": .string(pick(teams)), "owner": .string(pick(owners)),
          "patterns": .array(pattern.map { [.string($0)] } ?? []),
        ])
    }
    guard FileManager.default.createFile(atPath: path, contents: Data(buffer)) else {
      throw BenchError("cannot write \(path)")
    }
  }
}

/// Copies `from` to `to` through a temporary name and a rename.
///
/// A new inode, as `git pull` leaves the log. The file replaced is kept under another name until `forgetReplaced`, so
/// its inode cannot be handed to the copy (which would look like the same file).
func replaceByCopy(_ from: String, _ to: String) throws {
  let temp = to + ".incoming"
  try? FileManager.default.removeItem(atPath: temp)
  try FileManager.default.copyItem(atPath: from, toPath: temp)
  replacedCount += 1
  _ = link(to, to + ".replaced-\(replacedCount)")
  guard rename(temp, to) == 0 else { throw BenchError("cannot rename \(temp)") }
}

nonisolated(unsafe) var replacedCount = 0

/// Removes the files `replaceByCopy` kept.
func forgetReplaced(_ to: String) {
  for i in 0...replacedCount { try? FileManager.default.removeItem(atPath: to + ".replaced-\(i)") }
}

/// User and system CPU time of this process so far, every thread, in seconds.
func processCPUSeconds() -> Double {
  var u = rusage()
  #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &u)
  #else
    getrusage(RUSAGE_SELF, &u)
  #endif
  return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
    + Double(u.ru_stime.tv_usec) / 1e6
}

/// Times `body` `runs` times and returns the median.
func medianTime(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
  var times: [Double] = []
  for _ in 0..<runs {
    let t0 = now()
    try body()
    times.append(now() - t0)
  }
  return median(times)
}

/// The rows of `--shapes`, each a (label, value, note) printed as it is measured.
struct ShapeBench {
  let dir: String
  let runs: Int
  var rows: [(String, String, String)] = []

  mutating func row(_ what: String, _ value: String, _ note: String = "") {
    rows.append((what, value, note))
    print(
      "  \(what.padding(toLength: 58, withPad: " ", startingAt: 0)) \(value.padding(toLength: max(12, value.count), withPad: " ", startingAt: 0)) \(note)"
    )
    fflush(nil)
  }

  /// Reads the whole file and finds its newlines: the floor of any open.
  static func floor(_ path: String) -> Double { ChildMeasure.readAndFindNewlines(path).0 }

  /// The benchmark's own 1M-event log (generated once).
  func bigLog() throws -> String {
    let pristine = "\(dir)/gen-1000000.jsonl"
    if !FileManager.default.fileExists(atPath: pristine) {
      var g = LogGenerator(seed: 1_000_000)
      try g.write(events: 1_000_000, to: pristine + ".part")
      try FileManager.default.moveItem(atPath: pristine + ".part", toPath: pristine)
    }
    return pristine
  }

  /// A cold open (no snapshot) against the floor, at 1M events.
  mutating func coldOpen() throws {
    let log = try bigLog()
    _ = Self.floor(log)
    let floor = medianTime(runs) { _ = Self.floor(log) }
    // The open ends when `load` returns the state; freeing it (a command leaves it to the
    // operating system at exit) is timed apart.
    var opens: [Double] = []
    var frees: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<max(1, runs / 2) {
      let c0 = processCPUSeconds()
      let t0 = now()
      var opened: LearningState? = try LearningState.load(path: log).state
      let t1 = now()
      cpus.append(processCPUSeconds() - c0)
      opened = nil
      let t2 = now()
      opens.append(t1 - t0)
      frees.append(opened == nil ? t2 - t1 : 0)
    }
    let cold = median(opens)
    row("1M events: read file + find newlines (floor)", fmtTime(floor))
    row(
      "1M events: open without a snapshot", fmtTime(cold),
      String(format: "%.1f× the floor (bar ≤ 4×)", cold / floor))
    row(
      "1M events: CPU of that open, every thread", fmtTime(median(cpus)),
      String(format: "%.1f× its wall time (2 cores)", median(cpus) / cold))
    row("1M events: then freeing that state", fmtTime(median(frees)), "(not part of the open)")
  }

  /// The first open after the log is replaced by a copy with `n` new records, against a
  /// warm open of the same log.
  mutating func pull(_ counts: [Int]) throws {
    let base = try bigLog()
    let log = "\(dir)/pull.jsonl"
    let cacheDir = "\(dir)/pull-cache"
    try? FileManager.default.removeItem(atPath: cacheDir)
    try FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
    try replaceByCopy(base, log)
    let cache = SnapshotCache(directory: cacheDir)
    _ = try LearningState.load(path: log, cache: cache)
    let warm = try medianTime(runs) { _ = try LearningState.load(path: log, cache: cache) }
    row("1M events: warm open (snapshot, same file)", fmtTime(warm))
    for n in counts {
      // The pulled copy: the log with `n` records appended by another writer.
      let pulled = "\(dir)/pulled-\(n).jsonl"
      try? FileManager.default.removeItem(atPath: pulled)
      try FileManager.default.copyItem(atPath: base, toPath: pulled)
      let other = try LogStore.open(path: pulled)
      other.writerID = "other-writer-0001"
      try other.append { _ in
        (0..<n).map { i in
          RecordDraft(
            type: EventType.incidentCreated, entity: "pulled-\(n)-\(i)",
            body: [
              "title": .string("pulled \(i)"), "kind": "production", "severity": "low",
              "what": "arrived with a pull",
            ])
        }
      }

      var times: [Double] = []
      var use = ""
      for _ in 0..<runs {
        try replaceByCopy(pulled, log)
        let t0 = now()
        _ = try LearningState.load(path: log, cache: cache)
        times.append(now() - t0)
        use = "\(cache.lastUse)"
      }
      let t = median(times)
      row(
        "1M events: first open after a pull of \(n) records", fmtTime(t),
        String(format: "%.2f× warm (bar ≤ 1.5×); %@", t / warm, use))
      try replaceByCopy(base, log)
      _ = try LearningState.load(path: log, cache: cache)
      forgetReplaced(log)
    }
  }

  /// Cold opens of 25k and 100k one-event incidents, on one pattern and on none.
  mutating func patterns() throws {
    var results: [String: Double] = [:]
    for (count, pattern) in [(25_000, "one/pattern"), (100_000, "one/pattern"), (100_000, nil)] {
      let path = "\(dir)/csv-\(count)-\(pattern == nil ? "none" : "one").jsonl"
      if !FileManager.default.fileExists(atPath: path) {
        var g = LogGenerator(seed: UInt64(count))
        try g.writeIncidents(count, pattern: pattern, to: path)
      }
      _ = Self.floor(path)
      let t = try medianTime(runs) { _ = try LearningState.load(path: path) }
      let key = "\(count)-\(pattern == nil ? "none" : "one")"
      results[key] = t
      let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      row(
        "\(sizeName(count)) one-event incidents (\(fmtBytes(Double(size)))), \(pattern == nil ? "no pattern" : "one pattern"): cold open",
        fmtTime(t))
    }
    if let a = results["25000-one"], let b = results["100000-one"], let c = results["100000-none"] {
      row(
        "  one pattern: 25k → 100k", String(format: "×%.1f", b / a),
        "linear is ×4; quadratic ×16")
      row("  100k: one pattern ÷ no pattern", String(format: "×%.2f", b / c))
    }
  }

  /// A review form open in the app over the demo log, its runner keeping drafts in `dir`.
  struct FormSession {
    let model = AppModel()
    let program: Program<AppModel>
    let size = Size(width: 100, height: 30)
    var state: AppState

    init(drafts: String) throws {
      try? FileManager.default.removeItem(atPath: drafts)
      let today = Day(year: 2026, month: 11, day: 25) ?? Day(ordinal: 0)
      let appLog = try InMemoryAppLog.demo(today: today)
      let runner = EffectRunner(
        appLog: appLog, drafts: DraftStore(directory: URL(fileURLWithPath: drafts)))
      program = Program(model: model, tickMilliseconds: 500) { runner.run($0) }
      state = AppState(appLog: appLog, today: today, theme: .monochrome, size: size, drafts: [])
      press(KeyEvent(.character("2")))
      press(KeyEvent(.character("r")))
      guard state.form != nil else { throw BenchError("the review form did not open") }
    }

    mutating func press(_ key: KeyEvent) {
      if let a = model.action(for: .key(key), in: state) { program.send(a, to: &state) }
    }

    mutating func paste(_ text: String) {
      if let a = model.action(for: .paste(text), in: state) { program.send(a, to: &state) }
    }

    func frame() { _ = program.frame(for: state, size: size) }
  }

  static let sample = Array("the deploy read a stale flag and we should have seen it, 日本 ✓ ")

  /// Typing 10,000 characters into a review answer: the cost of each key (the app's reducer,
  /// the draft it keeps, and a full frame).
  mutating func typing(keys: Int) throws {
    var form = try FormSession(drafts: "\(dir)/drafts")
    var times: [Double] = []
    times.reserveCapacity(keys)
    for i in 0..<keys {
      let t0 = now()
      form.press(
        i % 500 == 499 ? KeyEvent(.enter) : KeyEvent(.character(Self.sample[i % Self.sample.count]))
      )
      form.frame()
      times.append(now() - t0)
    }
    let tenth = keys / 10
    let first = Array(times.prefix(tenth))
    let last = Array(times.suffix(tenth))
    row("typing \(keys) chars into an answer: key + frame, median", fmtTime(median(times)))
    row(
      "  first \(tenth) keys median / last \(tenth) keys median",
      "\(fmtTime(median(first))) / \(fmtTime(median(last)))",
      String(format: "×%.1f", median(last) / median(first)))
    row("  p99 / worst", "\(fmtTime(percentile(times, 0.99))) / \(fmtTime(times.max()))")
    row("  all \(keys) keys", fmtTime(times.reduce(0, +)))
  }

  /// Pasting 1 MB into a review answer at once, then typing on.
  mutating func paste() throws {
    var form = try FormSession(drafts: "\(dir)/drafts")
    let chunk = "pasted text with a naïve retry loop, 検索 and ✓; "
    let megabyte = String(repeating: chunk, count: (1 << 20) / chunk.utf8.count + 1)
    let t0 = now()
    form.paste(megabyte)
    form.frame()
    row("pasting 1 MB into an answer: paste + frame", fmtTime(now() - t0))
    var after: [Double] = []
    for i in 0..<300 {
      let t1 = now()
      form.press(KeyEvent(.character(Self.sample[i % Self.sample.count])))
      form.frame()
      after.append(now() - t1)
    }
    row(
      "  then a key + frame: median / p99",
      "\(fmtTime(median(after))) / \(fmtTime(percentile(after, 0.99)))", "a frame is 16 ms")
  }
}
