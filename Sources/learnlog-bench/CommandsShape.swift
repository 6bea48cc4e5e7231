import Foundation
import LearningLog

// `--shapes commands`: every command of the parser's tree, on the generator's logs of 250k
// and 1M events, with its peak memory against the bar and its growth from one to the other.

/// One command as `--shapes commands` times it.
struct CommandCase {
  /// The command's words in the parser's tree (`action done`).
  var leaf: String
  /// What the row says, when the command is timed more than one way.
  var label: String
  /// Whether it writes the log (the write bar: ≤ 50 ms, fsync included).
  var writes: Bool
  /// The arguments of run `n`, after whatever untimed commands it needs first (an action
  /// to finish is added first).
  var args: (inout CommandFixture, Int) throws -> [String]
}

/// The ids the command cases use, read or made through the real executable.
struct CommandFixture {
  let cli: RealCommands
  var incident = ""
  var counter = 0

  /// Runs an untimed command and returns what it printed, trimmed (an `add` prints the id).
  mutating func make(_ args: [String]) throws -> String {
    counter += 1
    let r = try cli.run(args)
    guard r.status == 0 else {
      throw BenchError("learnlog \(args.joined(separator: " ")) exited \(r.status)")
    }
    return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A new open action on the fixture's incident (a mitigation when `mitigation`).
  mutating func action(mitigation: Bool = false) throws -> String {
    try make(
      [
        "action", "add", incident, "--title", "bench action \(counter)", "--owner", "bench",
        "--due", "2027-01-01",
      ]
        + (mitigation ? ["--type", "mitigate", "--until", "2027-02-01"] : []))
  }
}

extension ShapeBench {
  /// The leaf commands of the parser's tree, as `learnlog --experimental-dump-help` gives it.
  static func leafCommands(_ executable: String) throws -> [String] {
    let r = try RealCommands.spawn(
      executable, ["--experimental-dump-help"], environment: ProcessInfo.processInfo.environment)
    guard r.status == 0,
      let tree = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any],
      let root = tree["command"] as? [String: Any]
    else { throw BenchError("learnlog --experimental-dump-help gave no command tree") }
    var out: [String] = []
    func walk(_ c: [String: Any], _ path: [String]) {
      let subs = c["subcommands"] as? [[String: Any]] ?? []
      if subs.isEmpty {
        out.append(path.joined(separator: " "))
        return
      }
      for s in subs { walk(s, path + [(s["commandName"] as? String) ?? "?"]) }
    }
    walk(root, [])
    return out
  }

  /// Leaf commands not timed here, and why: none reads or writes a large log.
  static let untimed: [String: String] = [
    "help": "prints help", "init": "creates an empty log", "demo": "writes a demo log",
    "git-setup": "configures a git repository", "sync": "commits, pulls and pushes with git",
    "merge-driver": "run by git on a merge of two versions of the log",
  ]

  /// Every command with the arguments it is timed with.
  static var commandCases: [CommandCase] {
    func read(_ leaf: String, _ label: String? = nil, _ args: @escaping (String) -> [String])
      -> CommandCase
    {
      CommandCase(leaf: leaf, label: label ?? leaf, writes: false) { f, _ in args(f.incident) }
    }
    func write(
      _ leaf: String, _ args: @escaping (inout CommandFixture, Int) throws -> [String]
    ) -> CommandCase {
      CommandCase(leaf: leaf, label: leaf, writes: true, args: args)
    }
    return [
      read("incident list", "incident list --limit 50") { _ in
        ["incident", "list", "--limit", "50"]
      },
      read("incident show") { ["incident", "show", $0] },
      read("incident show", "incident show --json") { ["incident", "show", $0, "--json"] },
      read("action list") { _ in ["action", "list"] },
      read("action list", "action list --overdue") { _ in ["action", "list", "--overdue"] },
      read("experiment list") { _ in ["experiment", "list"] },
      read("lesson list") { _ in ["lesson", "list", "--json"] },
      read("template list") { _ in ["template", "list"] },
      read("template show") { _ in ["template", "show", "diagnostic"] },
      read("checklist list") { _ in ["checklist", "list"] },
      read("note list") { _ in ["note", "list"] },
      read("win list") { _ in ["win", "list"] },
      read("recognition") { _ in ["recognition"] },
      read("patterns") { _ in ["patterns", "--json"] },
      read("today") { _ in ["today", "--json"] },
      read("stats") { _ in ["stats", "--json"] },
      read("export", "export --format markdown") { _ in ["export", "--format", "markdown"] },
      read("export", "export --format csv") { _ in ["export", "--format", "csv"] },
      read("export", "export --format ics") { _ in ["export", "--format", "ics"] },
      read("check") { _ in ["check"] },
      read("repair") { _ in ["repair", "--yes"] },
      // With a pattern: every write after it applies a tail holding a patterned incident.
      write("incident add") { _, n in
        ["incident", "add", "--title", "bench incident \(n)", "--pattern", "bench/tail"]
      },
      write("incident set") { f, n in
        ["incident", "set", f.incident, "severity", n % 2 == 0 ? "high" : "low"]
      },
      write("review") { f, n in ["review", f.incident, "--answer", "root-cause=bench \(n)"] },
      write("review-schedule") { f, n in
        ["review", "schedule", f.incident, "--on", "2027-01-\(10 + n % 15)"]
      },
      write("action add") { f, n in
        [
          "action", "add", f.incident, "--title", "bench \(n)", "--owner", "bench", "--due",
          "2027-01-01",
        ]
      },
      write("action start") { f, _ in ["action", "start", try f.action()] },
      write("action done") { f, _ in ["action", "done", try f.action()] },
      write("action drop") { f, _ in ["action", "drop", try f.action(), "--reason", "bench"] },
      write("action verify") { f, _ in
        let a = try f.action()
        _ = try f.make(["action", "done", a])
        return ["action", "verify", a, "--outcome", "verified", "--evidence", "bench"]
      },
      write("action retire") { f, _ in
        ["action", "retire", try f.action(mitigation: true), "--decision", "keep", "--reason", "b"]
      },
      write("experiment add") { f, n in
        [
          "experiment", "add", f.incident, "--hypothesis", "h \(n)", "--criteria", "c", "--check",
          "2027-01-01",
        ]
      },
      write("experiment result") { f, n in
        let e = try f.make(
          [
            "experiment", "add", f.incident, "--hypothesis", "r \(n)", "--criteria", "c", "--check",
            "2027-01-01",
          ])
        return ["experiment", "result", e, "--decision", "adopt"]
      },
      write("lesson add") { f, n in
        ["lesson", "add", "--text", "bench lesson \(n)", "--incident", f.incident]
      },
      write("template add") { f, n in
        ["template", "add", "bench-\(f.counter)-\(n)", "--question", "k:text:What?"]
      },
      write("template revise") { f, n in
        let name = "bench-r-\(f.counter)-\(n)"
        _ = try f.make(["template", "add", name, "--question", "k:text:What?"])
        return ["template", "revise", name, "--question", "j:text:Why?", "--because", f.incident]
      },
      write("checklist add") { f, n in
        ["checklist", "add", "bench-\(f.counter)-\(n)", "--item", "a"]
      },
      write("checklist revise") { f, n in
        let name = "bench-c-\(f.counter)-\(n)"
        _ = try f.make(["checklist", "add", name, "--item", "a"])
        return ["checklist", "revise", name, "--add", "b", "--because", f.incident]
      },
      write("factor add") { f, n in
        ["factor", "add", f.incident, "--text", "f \(n)", "--gap", "process"]
      },
      write("timeline add") { f, n in
        ["timeline", "add", f.incident, "--at", "2026-11-01T10:00", "--text", "t \(n)"]
      },
      write("win add") { _, n in ["win", "add", "--title", "bench win \(n)"] },
      write("note add") { f, n in ["note", "add", f.incident, "--text", "bench note \(n)"] },
      CommandCase(leaf: "experiment show", label: "experiment show", writes: false) { f, n in
        let e = try f.make(
          [
            "experiment", "add", f.incident, "--hypothesis", "to show \(n)", "--criteria", "c",
            "--check", "2027-01-01",
          ])
        return ["experiment", "show", e]
      },
      CommandCase(leaf: "checklist show", label: "checklist show", writes: false) { f, n in
        let name = "bench-s-\(f.counter)-\(n)"
        _ = try f.make(["checklist", "add", name, "--item", "a"])
        return ["checklist", "show", name]
      },
      CommandCase(leaf: "note show", label: "note show", writes: false) { f, n in
        ["note", "show", try f.make(["note", "add", f.incident, "--text", "to show \(n)"])]
      },
      write("import") { f, n in
        let csv = "\(NSTemporaryDirectory())learnlog-bench-import-\(n).csv"
        try Data("title,what\nimported \(n),a row\n".utf8).write(to: URL(fileURLWithPath: csv))
        return ["import", csv, "--format", "csv"]
      },
    ]
  }

  /// The generator's log of `events` events (written once).
  func generatedLog(_ events: Int) throws -> String {
    let pristine = "\(dir)/gen-\(events).jsonl"
    if !FileManager.default.fileExists(atPath: pristine) {
      var g = LogGenerator(seed: UInt64(events))
      try g.write(events: events, to: pristine + ".part")
      try FileManager.default.moveItem(atPath: pristine + ".part", toPath: pristine)
    }
    return pristine
  }

  /// Times every command of the parser's tree at 250k and 1M events.
  mutating func everyCommand() throws {
    guard let executable = RealCommands.locate() else {
      throw BenchError("the learnlog executable was not found")
    }
    let leaves = try Self.leafCommands(executable)
    let covered = Set(Self.commandCases.map(\.leaf))
    for leaf in leaves where !covered.contains(leaf) {
      if let why = Self.untimed[leaf] {
        row("commands: \(leaf)", "not timed", why)
      } else {
        row("commands: \(leaf)", "NOT timed", "a command of the parser's tree with no case here")
      }
    }
    let sizes = [250_000, 1_000_000]
    var medians: [String: [Int: Double]] = [:]
    for size in sizes {
      let name = sizeName(size)
      let log = "\(dir)/cmd-\(size).jsonl"
      let home = "\(dir)/cmd-home-\(size)"
      try? FileManager.default.removeItem(atPath: log)
      try? FileManager.default.removeItem(atPath: home)
      try FileManager.default.copyItem(atPath: try generatedLog(size), toPath: log)
      let cli = RealCommands(executable: executable, logPath: log, home: home)
      var fixture = CommandFixture(cli: cli)
      // The first run writes the snapshot; every timed run is warm.
      let first = try fixture.make(["incident", "list", "--limit", "1", "--json"])
      guard
        let list = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [[String: Any]],
        let id = list.first?["id"] as? String
      else { throw BenchError("no incident in the \(name) log") }
      fixture.incident = id
      let bytes = Double(
        (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0)
      let memoryBar = 1.5 * bytes + 25e6
      for c in Self.commandCases where leaves.contains(c.leaf) {
        var times: [Double] = []
        var failed: String?
        for n in 0..<runs where failed == nil {
          // A case that cannot run (its setup or the command fails) is a row, not the end.
          do {
            let args = try c.args(&fixture, n)
            let t0 = now()
            let r = try RealCommands.spawnCounting(
              executable, ["--file", log] + args, environment: cli.environment, keep: false)
            times.append(now() - t0)
            if r.status != 0 {
              failed = "learnlog \(args.joined(separator: " ")) exited \(r.status)"
            }
          } catch {
            failed = "\(error)"
          }
        }
        if let failed {
          row("\(name): \(c.label)", "FAILED", failed)
          continue
        }
        let peak = try? RealCommands.spawnCounting(
          executable, ["--file", log] + (try c.args(&fixture, runs)), environment: cli.environment,
          keep: false, peak: true
        ).peakBytes
        let t = median(times)
        medians[c.label, default: [:]][size] = t
        var note =
          (peak ?? nil).map {
            String(
              format: "peak %@, %.2f× the log: %@", fmtBytes(Double($0)), Double($0) / bytes,
              Double($0) <= memoryBar ? "met" : "NOT met (bar ≤ 1.5× + 25 MB)")
          } ?? "peak not measured (GNU time not installed)"
        if c.writes { note += t <= 0.05 ? "; write ≤ 50 ms: met" : "; write ≤ 50 ms: NOT met" }
        row("\(name): \(c.label)", fmtTime(t), note)
      }
    }
    // Four times the events may cost at most 4 × 1.25 the time; a command whose time is mostly
    // starting the process grows less.
    for c in Self.commandCases {
      guard let small = medians[c.label]?[sizes[0]], let large = medians[c.label]?[sizes[1]]
      else { continue }
      let ratio = large / max(small, 1e-9)
      row(
        "growth 250k → 1M: \(c.label)", String(format: "×%.2f", ratio),
        ratio <= 5 ? "linear (bar ≤ ×5)" : "NOT linear (bar ≤ ×5)")
    }
  }
}
