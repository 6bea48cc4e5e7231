// learnlog-bench: generates logs shaped like real use and measures the bars of quality.md.
//
//   swift run -c release learnlog-bench [--sizes 10k,100k,1m] [--runs N] [--dir DIR]
//                                       [--no-taskwarrior]
//   swift run -c release learnlog-bench --shapes cold,pull,patterns,typing [--pulls 1,100,10k]
//   swift run -c release learnlog-bench --shapes tw [--incidents 100k]
//
// Each size is measured in a child process of its own (and peak memory in further
// children), so one size's allocations never count against another's.
import Foundation
import LearningLog

#if canImport(Glibc)
  import Glibc
#endif

struct Options {
  var sizes = [10_000, 100_000, 1_000_000]
  var runs = 5
  var dir = "/tmp/learnlog-bench"
  var taskwarrior = true
  var child: [String] = []
  /// The shapes to measure instead of the size table (`--shapes`), none for the table.
  var shapes: [String] = []
  /// How many records each measured pull brings.
  var pulls = [1, 100, 10_000]
  /// How many characters the typing shape types.
  var keys = 10_000
  /// How many incidents (and Taskwarrior tasks) the tw shape imports.
  var incidents = 100_000
}

func parseSize(_ s: Substring) -> Int? {
  let t = s.lowercased()
  if t.hasSuffix("k"), let v = Int(t.dropLast()) { return v * 1000 }
  if t.hasSuffix("m"), let v = Int(t.dropLast()) { return v * 1_000_000 }
  return Int(t)
}

func parseOptions() -> Options {
  var o = Options()
  var args = Array(CommandLine.arguments.dropFirst())
  while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--sizes":
      o.sizes = (args.isEmpty ? "" : args.removeFirst()).split(separator: ",").compactMap(
        parseSize)
    case "--runs": o.runs = max(1, Int(args.isEmpty ? "" : args.removeFirst()) ?? 5)
    case "--dir": o.dir = args.isEmpty ? o.dir : args.removeFirst()
    case "--no-taskwarrior": o.taskwarrior = false
    case "--shapes":
      let list = args.isEmpty ? "all" : args.removeFirst()
      o.shapes =
        list == "all"
        ? ["cold", "pull", "patterns", "typing", "paste", "import", "tw", "commands"]
        : list.split(separator: ",").map(String.init)
    case "--keys":
      o.keys = max(100, parseSize((args.isEmpty ? "" : args.removeFirst())[...]) ?? 10_000)
    case "--incidents":
      o.incidents = max(100, parseSize((args.isEmpty ? "" : args.removeFirst())[...]) ?? 100_000)
    case "--pulls":
      o.pulls = (args.isEmpty ? "" : args.removeFirst()).split(separator: ",").compactMap(parseSize)
    case "--child":
      o.child = args
      args = []
    case "-h", "--help":
      print(
        """
        usage: learnlog-bench [--sizes 10k,100k,1m] [--runs N] [--dir DIR] [--no-taskwarrior]
               learnlog-bench --shapes all|cold,pull,patterns,typing,paste,import,tw,commands [--pulls 1,100,10k]
                              [--keys 10k] [--incidents 100k] [--runs N]

          --shapes   measure other shapes instead of the size table: cold (an open without a
                     snapshot against reading the file, 1M events), pull (the first open after
                     the log is replaced by a copy with --pulls new records, against a warm
                     open), patterns (100k one-event incidents on one pattern and on none),
                     typing (10,000 characters typed into a review answer), paste (1 MB
                     pasted into one, then keys), import (`learnlog import` of a 100k-row
                     CSV and the first open after it, beside `task import` of 100k tasks),
                     tw (beside Taskwarrior in one run: --incidents
                     incidents imported from a CSV, one event and a 30-word "what happened"
                     each, and as many pending tasks imported with `task import` into a
                     temporary TASKDATA; incident list --json against task export, every row
                     against task status:pending list, --search "canary schema" against
                     task /canary schema/ list, the first list after the log is replaced by a
                     copy against a warm one; the same commands on the 1M-event log; each row
                     with its ratio and bar, or "skipped" when task is not installed),
                     commands (every command of the parser's tree on the generator's logs of
                     250k and 1M events — reads, and writes on a copy — with its peak memory
                     against the bar, writes against 50 ms, and the growth from 250k to 1M;
                     a command with no case here is printed as NOT timed)
        """)
      exit(0)
    default:
      FileHandle.standardError.write(Data("error: unknown option \(a); see --help\n".utf8))
      exit(2)
    }
  }
  if o.sizes.isEmpty {
    FileHandle.standardError.write(Data("error: --sizes needs sizes such as 10k,100k,1m\n".utf8))
    exit(2)
  }
  return o
}

func selfPath() -> String {
  var buf = [CChar](repeating: 0, count: 4096)
  let n = readlink("/proc/self/exe", &buf, buf.count - 1)
  if n > 0 { return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
  return CommandLine.arguments[0]
}

func runChild(_ args: [String]) throws -> [String: Double] {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: selfPath())
  p.arguments = ["--child"] + args
  let pipe = Pipe()
  p.standardOutput = pipe
  try p.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  if p.terminationStatus != 0 {
    throw BenchError("child \(args.joined(separator: " ")) failed (\(p.terminationStatus))")
  }
  var out: [String: Double] = [:]
  for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
    let parts = line.split(separator: " ")
    if parts.count == 2, let v = Double(parts[1]) { out[String(parts[0])] = v }
  }
  return out
}

func sizeName(_ n: Int) -> String {
  n >= 1_000_000 && n % 1_000_000 == 0
    ? "\(n / 1_000_000)M" : n >= 1000 && n % 1000 == 0 ? "\(n / 1000)k" : "\(n)"
}

func fmtTime(_ s: Double?) -> String {
  guard let s, s.isFinite else { return "–" }
  if s < 0.001 { return String(format: "%.0f µs", s * 1e6) }
  if s < 1 { return String(format: "%.1f ms", s * 1e3) }
  return String(format: "%.2f s", s)
}

func fmtBytes(_ b: Double?) -> String {
  guard let b, b.isFinite else { return "–" }
  return String(format: "%.0f MB", b / 1e6)
}

func machineLine() -> String {
  let cpu =
    (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
    .first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(
      in: .whitespaces) ?? "?"
  let load =
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ")
    .prefix(3).joined(separator: " ") ?? "?"
  return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu); load average \(load)"
}

let options = parseOptions()

if !options.child.isEmpty {
  // --child measure|mem-warm|mem-cold|mem-legacy LOG CACHE RUNS
  let c = options.child
  do {
    guard c.count >= 3 else { throw BenchError("bad child arguments") }
    var results: [(String, Double)]
    if c[0] == "measure" {
      var m = ChildMeasure(logPath: c[1], cacheDir: c[2], runs: Int(c.count > 3 ? c[3] : "5") ?? 5)
      m.executable = c.count > 4 ? c[4] : nil
      try m.run(size: 0)
      results = m.results
    } else {
      results = try memoryChild(mode: String(c[0].dropFirst(4)), logPath: c[1], cacheDir: c[2])
    }
    for (k, v) in results { print("\(k) \(v)") }
    exit(0)
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
  }
}

if !options.shapes.isEmpty {
  print("learnlog-bench --shapes \(options.shapes.joined(separator: ",")): \(machineLine())")
  print("medians of \(options.runs) runs; logs in \(options.dir)")
  var bench = ShapeBench(dir: options.dir, runs: options.runs)
  do {
    try FileManager.default.createDirectory(atPath: options.dir, withIntermediateDirectories: true)
    for shape in options.shapes {
      switch shape {
      case "cold": try bench.coldOpen()
      case "pull": try bench.pull(options.pulls)
      case "patterns": try bench.patterns()
      case "typing": try bench.typing(keys: options.keys)
      case "paste": try bench.paste()
      case "import": try bench.importCSV()
      case "tw": try bench.taskwarriorShape(count: options.incidents)
      case "commands": try bench.everyCommand()
      default:
        throw BenchError(
          "unknown shape \(shape): cold, pull, patterns, typing, paste, import, tw or commands")
      }
    }
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
  }
  print("load after the run: \(machineLine())")
  exit(0)
}

print("learnlog-bench: \(machineLine())")
print(
  "sizes \(options.sizes.map(sizeName).joined(separator: ", ")); medians of \(options.runs) runs; logs in \(options.dir)"
)
var results: [Int: [String: Double]] = [:]
let learnlogExecutable = RealCommands.locate()
if learnlogExecutable == nil {
  print("  learnlog executable not found: the real-command rows are skipped")
}
do {
  try FileManager.default.createDirectory(atPath: options.dir, withIntermediateDirectories: true)
  for size in options.sizes {
    let pristine = "\(options.dir)/gen-\(size).jsonl"
    let log = "\(options.dir)/log-\(size).jsonl"
    let cacheDir = "\(options.dir)/cache-\(size)"
    if !FileManager.default.fileExists(atPath: pristine) {
      let t0 = now()
      var g = LogGenerator(seed: UInt64(size))
      try g.write(events: size, to: pristine + ".part")
      try FileManager.default.moveItem(atPath: pristine + ".part", toPath: pristine)
      print("  generated \(sizeName(size)) events in \(fmtTime(now() - t0))")
    }
    // Each run starts from the generated log (writes append to the working copy).
    try? FileManager.default.removeItem(atPath: log)
    try FileManager.default.copyItem(atPath: pristine, toPath: log)
    // Flush the copy now, so the first measured fsync does not write the whole file.
    let fd = open(log, O_RDONLY)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
    try? FileManager.default.removeItem(atPath: log + ".lock")
    try FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
    print("  measuring \(sizeName(size)) …")
    var r = try runChild(
      ["measure", log, cacheDir, String(options.runs)] + (learnlogExecutable.map { [$0] } ?? []))
    for mode in ["legacy", "cold", "warm"] {
      var peaks: [Double] = []
      var resident: [Double] = []
      for _ in 0..<max(1, min(3, options.runs)) {
        let m = try runChild(["mem-\(mode)", log, cacheDir])
        peaks.append(m["peak"] ?? .nan)
        resident.append(m["resident"] ?? .nan)
      }
      r["mem.\(mode).peak"] = median(peaks)
      r["mem.\(mode).resident"] = median(resident)
    }
    results[size] = r
  }
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}

var peer: [String: Double] = [:]
var peerVersion = ""
let largest = options.sizes.max() ?? 0
let taskCount = max(1, largest / 10)
if options.taskwarrior, let tw = TaskwarriorPeer.find() {
  let t = TaskwarriorPeer(executable: tw.executable, directory: options.dir + "/taskwarrior")
  peerVersion = t.version()
  print("  Taskwarrior \(peerVersion) with \(taskCount) tasks …")
  do {
    for (k, v) in try t.measure(count: taskCount, runs: options.runs) { peer[k] = v }
  } catch {
    print("  Taskwarrior run failed: \(error)")
  }
}

// The table.
let sizes = options.sizes
let large = sizes.contains(1_000_000) ? 1_000_000 : largest
let hundredK = sizes.contains(100_000) ? 100_000 : nil
@MainActor func col(_ key: String, _ f: (Double?) -> String = fmtTime) -> [String] {
  sizes.map { f(results[$0]?[key]) }
}
@MainActor func v(_ size: Int?, _ key: String) -> Double? { size.flatMap { results[$0]?[key] } }
func verdict(_ ok: Bool?) -> String { ok.map { $0 ? "met" : "NOT met" } ?? "–" }

var rows: [[String]] = []
@MainActor func row(_ what: String, _ cells: [String], _ bar: String = "", _ ok: Bool? = nil) {
  rows.append([what] + cells + [bar, ok == nil ? "" : verdict(ok)])
}
row("events", sizes.map { sizeName($0) })
row("incidents", col("incidents") { $0.map { String(Int($0)) } ?? "–" })
row("log file", col("fileBytes", fmtBytes))
row("read file + find newlines", col("baseline"))
row("open, no cache: store + replay", col("legacyOpen"))
row("  of which replay", col("legacyReplay"))
row("open, cold cache: ready", col("coldReady"))
row("open, cold cache: + write snapshot", col("coldWithSave"))
row("snapshot size", col("snapshotBytes", fmtBytes))
row("open, warm cache: ready", col("warmReady"))
let ff = v(large, "warmFirstFrame")
let ffBase = v(large, "baseline")
row(
  "open to first frame (warm)", col("warmFirstFrame"),
  "≤ 0.5 s and ≤ 3× read at \(sizeName(large))",
  ff.map { $0 <= 0.5 && $0 <= 3 * (ffBase ?? 0) })
if let h = hundredK {
  row(
    "open 100k to first frame (warm)", col("warmFirstFrame"), "≤ 60 ms at 100k",
    v(h, "warmFirstFrame").map { $0 <= 0.060 })
  row(
    "open 100k to first frame (cold)", col("coldReady"), "(no snapshot yet)",
    nil)
}
row("`action done` in process: lazy open + append + fsync", col("write"))
row("  of which catch-up + validate + append", col("writeAppend"))
row("floor: start and exit `learnlog --version`", col("cliFloor"))
row(
  "`learnlog action done ID` (process)", col("cliDone"), "≤ 50 ms at \(sizeName(large))",
  v(large, "cliDone").map { $0 <= 0.050 })
row("  floor: append one line + fdatasync", col("fsyncFloor"))
let taskList = peer["taskList"]
row("`incident list` in process: lazy open, 50 rows", col("list50"))
row("`incident list` in process: every row", col("listAll"))
row(
  "`learnlog incident list --limit 50` (process)", col("cliList50"),
  taskList.map { "≤ task list / 10 = \(fmtTime($0 / 10))" } ?? "≤ 0.16 s",
  v(large, "cliList50").map { $0 <= (taskList.map { $0 / 10 } ?? 0.16) })
row("`learnlog incident list` (process, every row)", col("cliListAll"))
row("  of which short ids", col("shortIDs"))
row(
  "keystroke to frame, median", col("keyMedian"), "≤ 1 ms",
  v(large, "keyMedian").map { $0 <= 0.001 })
row("keystroke to frame, p99", col("keyP99"), "≤ 4 ms", v(large, "keyP99").map { $0 <= 0.004 })
let appStart = v(large, "appStart")
row(
  "app: open to its first frame (Today, warm)", col("appStart"),
  "≤ 0.5 s and ≤ 3× read at \(sizeName(large))",
  appStart.map { $0 <= 0.5 && $0 <= 3 * (ffBase ?? 0) })
row(
  "app: open to incidents screen (warm)", col("appFirstFrame"), "≤ 0.5 s at \(sizeName(large))",
  v(large, "appFirstFrame").map { $0 <= 0.5 })
row("  of which the view context (derives on use)", col("appContext"))
row("  of which the carry-over queue (header)", col("appToday"))
row("  the carry-over queue's items (Today screen)", col("appTodayItems"))
row(
  "app: key to frame, median", col("appKeyMedian"), "≤ 1 ms",
  v(large, "appKeyMedian").map { $0 <= 0.001 })
row(
  "app: key to frame, p99", col("appKeyP99"), "≤ 4 ms", v(large, "appKeyP99").map { $0 <= 0.004 })
row(
  "search as you type, median", col("searchMedian"), "≤ 20 ms",
  v(large, "searchMedian").map { $0 <= 0.020 })
row(
  "search as you type, worst", col("searchMax"), "≤ 20 ms",
  v(large, "searchMax").map { $0 <= 0.020 })
row("  search index build (first keystroke)", col("searchIndex"))
let peakWarm = v(large, "mem.warm.peak")
let fileBytes = v(large, "fileBytes")
row(
  "peak memory, warm open (VmHWM)", col("mem.warm.peak", fmtBytes), "≤ 1.5× file",
  peakWarm.flatMap { p in fileBytes.map { p <= 1.5 * $0 } })
row(
  "  ÷ file size",
  sizes.map { s in
    guard let p = results[s]?["mem.warm.peak"], let f = results[s]?["fileBytes"], f > 0 else {
      return "–"
    }
    return String(format: "%.2f×", p / f)
  })
row(
  "peak memory, cold open", col("mem.cold.peak", fmtBytes), "≤ 1.5× file",
  v(large, "mem.cold.peak").flatMap { p in fileBytes.map { p <= 1.5 * $0 } })
row(
  "  ÷ file size",
  sizes.map { s in
    guard let p = results[s]?["mem.cold.peak"], let f = results[s]?["fileBytes"], f > 0 else {
      return "–"
    }
    return String(format: "%.2f×", p / f)
  })
row("peak memory, no cache (records kept)", col("mem.legacy.peak", fmtBytes))

let header = ["measure"] + sizes.map { sizeName($0) + " events" } + ["bar", ""]
var widths = header.map { $0.count }
for r in rows {
  for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
}
@MainActor func printRow(_ r: [String]) {
  print(
    "| "
      + r.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
      .joined(separator: " | ") + " |")
}
print("")
printRow(header)
print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
for r in rows { printRow(r) }

if !peer.isEmpty {
  print("")
  print("Taskwarrior \(peerVersion), \(taskCount) pending tasks, same run (medians):")
  let ours: [(String, String, Double?)] = [
    ("task count", "taskCount", v(large, "warmReady")),
    ("task status:pending limit:50 list", "taskList", v(large, "cliList50") ?? v(large, "list50")),
    ("task add", "taskAdd", v(large, "cliDone") ?? v(large, "write")),
    ("task N done", "taskDone", v(large, "cliDone") ?? v(large, "write")),
  ]
  let names = [
    "task count": "open (warm)",
    "task status:pending limit:50 list": "incident list --limit 50",
    "task add": "action done", "task N done": "action done",
  ]
  for (what, key, mine) in ours {
    guard let t = peer[key] else { continue }
    let ratio = mine.map { String(format: "%.0f× faster", t / $0) } ?? "–"
    print(
      "  \(what.padding(toLength: 34, withPad: " ", startingAt: 0)) \(fmtTime(t).padding(toLength: 9, withPad: " ", startingAt: 0))  learnlog \(names[what] ?? "") at \(sizeName(large)) events: \(fmtTime(mine))  → \(ratio)"
    )
  }
} else if options.taskwarrior {
  print("\nTaskwarrior is not installed (apt-get install taskwarrior): no peer ratios.")
}
print("\nload after the run: \(machineLine())")
