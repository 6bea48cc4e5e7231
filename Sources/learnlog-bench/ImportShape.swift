import Foundation
import LearningLog

// The `import` shape: a CSV of 100k incidents imported into an empty log by the real
// executable, the first open after it, and Taskwarrior's `task import` of as many tasks in the
// same run.

extension LogGenerator {
  /// A "what happened" of `n` words, each word three of the generator's joined by hyphens, so
  /// that 30 words make a paragraph of about 600 bytes (a CSV of 100k rows is then ~64 MB).
  mutating func longSentence(_ n: Int) -> String {
    (0..<n).map { _ in "\(pick(words))-\(pick(words))-\(pick(words))" }.joined(separator: " ")
  }

  /// Writes a CSV of `count` incidents (one a row, a 30-word "what happened" each) and the
  /// same rows as Taskwarrior's import JSON (one task an incident, the text as description).
  mutating func writeImportFiles(_ count: Int, csv: String, tasks: String) throws {
    var out = "title,what,kind,severity,team,owner,tags,patterns,occurred\n"
    var json = "["
    out.reserveCapacity(count * 700)
    json.reserveCapacity(count * 800)
    let entry = 1_704_067_200
    for i in 0..<count {
      let title = "\(pick(subjects)) #\(i)"
      let what = longSentence(30)
      let team = pick(teams)
      let day = Day(utcMilliseconds: wall + Int64(i) * 60_000).description
      out +=
        "\"\(title)\",\"\(what)\",production,\(pick(["low", "medium", "high"])),\(team),"
        + "\(pick(owners)),deploy;config,,\(day)\n"
      let uuid = entityUUID(i)
      let t = Date(timeIntervalSince1970: Double(entry + i * 60))
      json +=
        (i == 0 ? "" : ",\n")
        + "{\"uuid\":\"\(uuid)\",\"status\":\"pending\",\"entry\":\"\(Self.taskDate(t))\","
        + "\"description\":\"\(title): \(what)\",\"project\":\"team\(i % 8)\"}"
    }
    json += "]\n"
    guard FileManager.default.createFile(atPath: csv, contents: Data(out.utf8)),
      FileManager.default.createFile(atPath: tasks, contents: Data(json.utf8))
    else { throw BenchError("cannot write \(csv) or \(tasks)") }
  }

  /// A version-4 UUID for Taskwarrior, from the generator.
  mutating func entityUUID(_ i: Int) -> String {
    let a = rng.next()
    let b = rng.next()
    func hex(_ v: UInt64, _ n: Int) -> String {
      let s = String(v, radix: 16)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    return "\(hex(a >> 32, 8))-\(hex((a >> 16) & 0xFFFF, 4))-4\(hex(a & 0xFFF, 3))-"
      + "8\(hex(b >> 52, 3))-\(hex(b & 0xFFFF_FFFF_FFFF, 12))"
  }

  /// Taskwarrior's date form, `20240101T000000Z`.
  static func taskDate(_ d: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    return f.string(from: d)
  }
}

extension ShapeBench {
  /// `learnlog import` of a 100k-row CSV into an empty log, the first open after it, and
  /// `task import` of as many tasks (when `task` is on PATH).
  mutating func importCSV(rows: Int = 100_000) throws {
    guard let exe = RealCommands.locate() else {
      row("import: the learnlog executable", "not found", "skipped")
      return
    }
    let csv = "\(dir)/import-\(rows).csv"
    let tasks = "\(dir)/import-\(rows)-tasks.json"
    if !FileManager.default.fileExists(atPath: csv)
      || !FileManager.default.fileExists(atPath: tasks)
    {
      var g = LogGenerator(seed: 64)
      try g.writeImportFiles(rows, csv: csv, tasks: tasks)
    }
    let csvSize = (try? FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0
    let log = "\(dir)/import-log.jsonl"
    let home = "\(dir)/import-home"
    var times: [Double] = []
    var firstOpens: [Double] = []
    var warmOpens: [Double] = []
    for _ in 0..<runs {
      try? FileManager.default.removeItem(atPath: log)
      try? FileManager.default.removeItem(atPath: home)
      try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
      let cli = RealCommands(executable: exe, logPath: log, home: home)
      _ = try cli.time(["init"])
      let (t, _) = try cli.time(["import", csv, "--format", "csv"])
      times.append(t)
      let (first, out) = try cli.time(["incident", "list", "--limit", "5"])
      guard out.split(separator: "\n").count == 6 else {
        throw BenchError("incident list --limit 5 after the import printed \(out)")
      }
      firstOpens.append(first)
      warmOpens.append(try cli.time(["incident", "list", "--limit", "5"]).0)
    }
    let t = median(times)
    row(
      "import of \(sizeName(rows)) CSV rows (\(fmtBytes(Double(csvSize)))) (process)", fmtTime(t),
      String(format: "%.0f rows/s", Double(rows) / t))
    let first = median(firstOpens)
    let warm = median(warmOpens)
    row(
      "  first `incident list --limit 5` after it", fmtTime(first),
      String(
        format: "%.2f× the next one (%@): the snapshot is written by the import", first / warm,
        fmtTime(warm)))
    guard var peer = TaskwarriorPeer.find() else {
      row("`task import` of as many tasks", "skipped", "task is not on PATH")
      return
    }
    peer = TaskwarriorPeer(executable: peer.executable, directory: "\(dir)/import-task")
    var taskTimes: [Double] = []
    for _ in 0..<max(1, runs / 2) {
      let rc = try peer.prepare(count: 0)
      let t0 = now()
      let o = try peer.run(["import", tasks], rc: rc)
      taskTimes.append(now() - t0)
      if o.status != 0 { throw BenchError("task import failed (\(o.status))") }
    }
    let tw = median(taskTimes)
    row(
      "`task import` of \(sizeName(rows)) tasks (Taskwarrior \(peer.version()))", fmtTime(tw),
      String(format: "learnlog %.2f× of it (bar ≤ 0.2×)", t / tw))
  }
}
