import Foundation
import LearningLog

#if canImport(Glibc)
  import Glibc
#endif

// `--shapes tw`: the issue's shape beside Taskwarrior in one run. A log of `count` incidents
// imported from a CSV (one event each, a 30-word "what happened") and `count` pending
// Taskwarrior tasks imported with `task import` (the same titles and texts), then each listing
// timed on both; the same learnlog commands on the benchmark's own 1M-event log.

extension LogGenerator {
  /// Writes a CSV of `count` incidents as `learnlog import` reads it, and the same items as
  /// Taskwarrior's import format (one JSON object a line: description, entry, project).
  ///
  /// One row in 100 has "canary schema" in what happened, so a search finds about 1 %.
  mutating func writeCSV(_ count: Int, csv: String, tasks: String) throws {
    let longWords = [
      "deployment", "configuration", "regional", "replication", "fallback", "throttled",
      "overloaded", "migration", "certificate", "rollback", "dependency", "latency",
      "monitoring", "escalation", "postmortem", "capacity", "canary", "schema", "données",
      "réseau", "検索", "naïve", "retries", "dashboards", "threshold", "handoff", "on-call",
    ]
    var out = Array("title,what,kind,severity,team,owner,tags,occurred\n".utf8)
    var tw: [UInt8] = []
    out.reserveCapacity(count * 330)
    tw.reserveCapacity(count * 330)
    let entry = 1_704_067_200
    func quoted(_ s: String) -> String {
      "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    func jsonString(_ s: String) -> String {
      var o = "\""
      for c in s.unicodeScalars {
        switch c {
        case "\"": o += "\\\""
        case "\\": o += "\\\\"
        default: o.unicodeScalars.append(c)
        }
      }
      return o + "\""
    }
    for i in 0..<count {
      var words = (0..<30).map { _ in pick(longWords) }
      if i % 100 == 7 {
        words[10] = "canary"
        words[11] = "schema"
      } else {
        // Elsewhere the two words never follow each other.
        for k in 1..<words.count where words[k - 1] == "canary" && words[k] == "schema" {
          words[k] = "rollback"
        }
      }
      let what = words.joined(separator: " ")
      let title = "\(pick(subjects)) #\(i)"
      let team = pick(teams)
      let date = Day(utcMilliseconds: wall + Int64(i) * 60_000).description
      let row = [
        quoted(title), quoted(what), "production", pick(["low", "medium", "high"]), quoted(team),
        quoted(pick(owners)), quoted("\(pick(words));\(pick(words))"), date,
      ].joined(separator: ",")
      out += Array(row.utf8)
      out.append(0x0A)
      let t = entry + i * 60
      let task =
        "{\"description\":\(jsonString(title + ": " + what)),\"entry\":\"\(t)\","
        + "\"project\":\(jsonString(team)),\"status\":\"pending\"}\n"
      tw += Array(task.utf8)
    }
    guard FileManager.default.createFile(atPath: csv, contents: Data(out)),
      FileManager.default.createFile(atPath: tasks, contents: Data(tw))
    else { throw BenchError("cannot write \(csv) or \(tasks)") }
  }
}

extension ShapeBench {
  /// The listings of a CSV-imported log and of the 1M-event log beside Taskwarrior.
  ///
  /// `count` incidents imported from a CSV beside as many Taskwarrior tasks, and the same
  /// commands on the 1M-event log. Rows print as they are measured, each with its ratio to
  /// Taskwarrior and its bar; without `task` the Taskwarrior rows say they are skipped.
  mutating func taskwarriorShape(count: Int) throws {
    guard let exe = RealCommands.locate() else {
      row("tw: the learnlog executable is missing", "skipped", "build it: swift build -c release")
      return
    }
    let csv = "\(dir)/tw-\(count).csv"
    let tasksFile = "\(dir)/tw-\(count).tasks.json"
    let pristine = "\(dir)/tw-\(count).jsonl"
    if !FileManager.default.fileExists(atPath: csv)
      || !FileManager.default.fileExists(atPath: tasksFile)
    {
      var g = LogGenerator(seed: 16)
      try g.writeCSV(count, csv: csv + ".part", tasks: tasksFile)
      try? FileManager.default.removeItem(atPath: csv)
      try FileManager.default.moveItem(atPath: csv + ".part", toPath: csv)
    }
    // The import, timed once into a fresh log (it becomes the pristine log of the shape).
    let home = "\(dir)/tw-home"
    try? FileManager.default.removeItem(atPath: home)
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    try? FileManager.default.removeItem(atPath: pristine)
    let importer = RealCommands(executable: exe, logPath: pristine, home: home)
    guard try importer.run(["init"]).status == 0 else { throw BenchError("learnlog init failed") }
    let t0 = now()
    let imported = try importer.run(["import", csv, "--format", "csv"])
    let importTime = now() - t0
    guard imported.status == 0 else { throw BenchError("learnlog import failed") }
    let logBytes = Double(
      (try? FileManager.default.attributesOfItem(atPath: pristine)[.size] as? Int) ?? 0)

    var peer: TaskwarriorRun?
    if let tw = TaskwarriorPeer.find() {
      let t = TaskwarriorPeer(executable: tw.executable, directory: "\(dir)/tw-taskdata")
      peer = try t.measureListings(tasksFile: tasksFile, count: count, runs: runs)
      row(
        "Taskwarrior \(t.version()): \(count) pending tasks", "imported", "TASKDATA \(t.directory)")
    } else {
      row("Taskwarrior: `task` is not installed", "skipped", "apt-get install taskwarrior")
    }
    if let p = peer {
      row(
        "import of the \(sizeName(count))-row CSV vs task import", fmtTime(importTime),
        "task import \(fmtTime(p.importTime)); "
          + String(
            format: "%.2f× (bar ≤ 0.2×) %@", importTime / p.importTime,
            importTime <= 0.2 * p.importTime ? "met" : "NOT met"))
    } else {
      row("import of the \(sizeName(count))-row CSV", fmtTime(importTime), "task import: skipped")
    }

    let big = try bigLog()
    for (name, log) in [("csv \(sizeName(count))", pristine), ("1M events", big)] {
      let bytes = Double(
        (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0)
      row("\(name): log", fmtBytes(bytes), name == "1M events" ? "" : "imported from \(csv)")
      try listings(name: name, pristine: log, executable: exe, peer: peer)
    }
    _ = logBytes
  }

  /// The listings of one log timed with the real executable, each beside its Taskwarrior row.
  mutating func listings(
    name: String, pristine: String, executable: String, peer: TaskwarriorRun?
  ) throws {
    let log = "\(dir)/tw-work.jsonl"
    try? FileManager.default.removeItem(atPath: log)
    try FileManager.default.copyItem(atPath: pristine, toPath: log)
    let home = "\(dir)/tw-home-work"
    try? FileManager.default.removeItem(atPath: home)
    let cli = RealCommands(executable: executable, logPath: log, home: home)
    // The first run writes the snapshot; every timed run is warm.
    _ = try cli.time(["incident", "list", "--limit", "5"])
    let bytes = Double((try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0)

    func timed(_ args: [String]) throws -> (Double, RealCommands.Run) {
      var times: [Double] = []
      var cpus: [Double] = []
      var last: RealCommands.Run?
      for _ in 0..<runs {
        let t0 = now()
        let r = try RealCommands.spawnCounting(
          executable, ["--file", log] + args, environment: cli.environment, keep: false)
        times.append(now() - t0)
        cpus.append(r.cpu)
        guard r.status == 0 else {
          throw BenchError("learnlog \(args.joined(separator: " ")) exited \(r.status)")
        }
        last = r
      }
      guard var last else { throw BenchError("no runs") }
      // One more run, under GNU `time`, for the peak memory (see `spawnCounting`).
      last.peakBytes =
        try RealCommands.spawnCounting(
          executable, ["--file", log] + args, environment: cli.environment, keep: false,
          peak: true
        ).peakBytes
      last.cpu = median(cpus)
      return (median(times), last)
    }
    func peakRow(_ what: String, _ run: RealCommands.Run) {
      // The CPU beside the wall time: on a machine whose speed moves, the work itself.
      row(
        "\(name):   CPU of \(what)", fmtTime(run.cpu),
        "user + system, every thread; median of the timed runs")
      guard let peak = run.peakBytes else {
        row("\(name):   peak memory of \(what)", "skipped", "GNU time not installed")
        return
      }
      // The bar: 1.5× the log beyond a fixed ~25 MB for the process (quality.md).
      let bar = 1.5 * bytes + 25e6
      row(
        "\(name):   peak memory of \(what)", fmtBytes(Double(peak)),
        String(
          format: "%.2f× the log (bar ≤ 1.5× + 25 MB) %@", Double(peak) / bytes,
          Double(peak) <= bar ? "met" : "NOT met"))
    }
    func compare(_ what: String, _ mine: Double, _ theirs: Double?, _ task: String, bar: Double) {
      guard let theirs else {
        row("\(name): \(what)", fmtTime(mine), "vs \(task): skipped (no Taskwarrior)")
        return
      }
      let ratio = mine / theirs
      row(
        "\(name): \(what)", fmtTime(mine),
        String(
          format: "%@ %@: %.3f× (bar ≤ %.1f×) %@", task, fmtTime(theirs), ratio, bar,
          ratio <= bar ? "met" : "NOT met"))
    }

    let (json, jsonRun) = try timed(["incident", "list", "--json"])
    compare(
      "incident list --json (\(fmtBytes(Double(jsonRun.bytes))))", json, peer?.export,
      "task export", bar: 0.1)
    peakRow("incident list --json", jsonRun)
    let (all, allRun) = try timed(["incident", "list"])
    compare(
      "incident list, every row (\(allRun.lines - 1) rows)", all, peer?.list,
      "task status:pending list", bar: 0.1)
    peakRow("incident list", allRun)
    let (search, searchRun) = try timed(["incident", "list", "--search", "canary schema"])
    compare(
      "incident list --search \"canary schema\" (\(max(0, searchRun.lines - 1)) rows)", search,
      peer?.search, "task /canary schema/ list", bar: 0.1)
    peakRow("incident list --search", searchRun)
    // The other JSON outputs the bar names, against the same `task export`.
    let (actions, actionsRun) = try timed(["action", "list", "--json"])
    compare(
      "action list --json (\(fmtBytes(Double(actionsRun.bytes))))", actions, peer?.export,
      "task export", bar: 0.1)
    let (export, exportRun) = try timed(["export", "--format", "json"])
    compare(
      "export --format json (\(fmtBytes(Double(exportRun.bytes))))", export, peer?.export,
      "task export", bar: 0.1)
    peakRow("export --format json", exportRun)
    let (warm, _) = try timed(["incident", "list", "--limit", "5"])
    row("\(name): incident list --limit 5, warm", fmtTime(warm))
    // The log replaced by a copy (a new inode, as `git pull` leaves it), then the first list.
    var firsts: [Double] = []
    for _ in 0..<runs {
      try replaceByCopy(pristine, log)
      let t0 = now()
      let r = try RealCommands.spawnCounting(
        executable, ["--file", log, "incident", "list", "--limit", "5"],
        environment: cli.environment, keep: false)
      firsts.append(now() - t0)
      guard r.status == 0 else { throw BenchError("incident list after a copy failed") }
    }
    forgetReplaced(log)
    let first = median(firsts)
    row(
      "\(name): first incident list --limit 5 after a copy", fmtTime(first),
      String(
        format: "%.2f× warm (bar ≤ 1.5×) %@", first / warm, first <= 1.5 * warm ? "met" : "NOT met")
    )
  }
}

/// Taskwarrior's side of `--shapes tw`: medians of seconds.
struct TaskwarriorRun {
  var importTime: Double
  var export: Double
  var list: Double
  var search: Double
}

extension TaskwarriorPeer {
  /// Imports `tasksFile` (`count` tasks) with `task import` into an empty TASKDATA, then times
  /// `task export`, `task status:pending list` and `task /canary schema/ list`.
  func measureListings(tasksFile: String, count: Int, runs: Int) throws -> TaskwarriorRun {
    let fm = FileManager.default
    try? fm.removeItem(atPath: directory)
    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let rc = directory + "/taskrc"
    try """
    data.location=\(directory)
    confirmation=off
    hooks=off
    news.version=2.6.0

    """.write(toFile: rc, atomically: false, encoding: .utf8)
    var env = ProcessInfo.processInfo.environment
    env["TASKRC"] = rc
    env["TASKDATA"] = directory
    func time(_ args: [String]) throws -> (Double, RealCommands.Run) {
      let t0 = now()
      let r = try RealCommands.spawnCounting(
        executable, ["rc.confirmation=off"] + args, environment: env, keep: false)
      let t = now() - t0
      if r.status != 0 { throw BenchError("task \(args.joined(separator: " ")) failed") }
      return (t, r)
    }
    let (importTime, _) = try time(["import", tasksFile])
    let check = try run(["rc.confirmation=off", "count"], rc: rc).output
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard Int(check) == count else { throw BenchError("task count says \(check)") }
    var exports: [Double] = []
    var lists: [Double] = []
    var searches: [Double] = []
    for _ in 0..<runs {
      exports.append(try time(["export"]).0)
      lists.append(try time(["status:pending", "list"]).0)
      searches.append(try time(["/canary schema/", "list"]).0)
    }
    return TaskwarriorRun(
      importTime: importTime, export: median(exports), list: median(lists),
      search: median(searches))
  }
}
