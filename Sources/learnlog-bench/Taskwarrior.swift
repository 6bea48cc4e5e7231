import Foundation
import LearningLog

/// Times Taskwarrior on the same number of tasks, when it is installed.
struct TaskwarriorPeer {
  let executable: String
  let directory: String

  static func find() -> TaskwarriorPeer? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
      let p = "\(dir)/task"
      if FileManager.default.isExecutableFile(atPath: p) {
        return TaskwarriorPeer(executable: p, directory: "")
      }
    }
    return nil
  }

  /// The installed version, such as `2.6.2`.
  func version() -> String {
    (try? run(["--version"], rc: nil).output.trimmingCharacters(in: .whitespacesAndNewlines))
      ?? "?"
  }

  /// Writes `count` pending tasks straight into Taskwarrior's data files (its import is slow).
  func prepare(count: Int) throws -> String {
    let fm = FileManager.default
    try? fm.removeItem(atPath: directory)
    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var rng = SeededGenerator(seed: 42)
    var text = ""
    text.reserveCapacity(count * 160)
    let entry = 1_704_067_200
    func hex(_ v: UInt64, _ n: Int) -> String {
      let s = String(v, radix: 16)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    for i in 0..<count {
      let a = rng.next()
      let b = rng.next()
      let uuid =
        "\(hex(a >> 32, 8))-\(hex((a >> 16) & 0xFFFF, 4))-4\(hex(a & 0xFFF, 3))-"
        + "8\(hex(b >> 52, 3))-\(hex(b & 0xFFFF_FFFF_FFFF, 12))"
      let t = entry + i * 60
      text +=
        "[description:\"Incident \(i) follow-up: add a check\" entry:\"\(t)\" modified:\"\(t)\" "
        + "project:\"team\(i % 8)\" status:\"pending\" uuid:\"\(uuid)\"]\n"
    }
    try text.write(toFile: directory + "/pending.data", atomically: false, encoding: .utf8)
    for f in ["completed.data", "undo.data", "backlog.data"] {
      _ = fm.createFile(atPath: directory + "/" + f, contents: Data())
    }
    let rc = directory + "/taskrc"
    try """
    data.location=\(directory)
    confirmation=off
    verbose=nothing
    hooks=off
    recurrence=off
    news.version=2.6.0

    """.write(toFile: rc, atomically: false, encoding: .utf8)
    return rc
  }

  struct Output {
    var status: Int32
    var output: String
  }

  func run(_ args: [String], rc: String?) throws -> Output {
    // Started the same way as learnlog's runs (posix_spawn, stdout read through a pipe).
    var env = ProcessInfo.processInfo.environment
    if let rc {
      env["TASKRC"] = rc
      env["TASKDATA"] = directory
    }
    let r = try RealCommands.spawn(executable, args, environment: env)
    return Output(status: r.status, output: r.output)
  }

  /// Median seconds of `task count`, `task … list`, `task add`, `task N done`.
  func measure(count: Int, runs: Int) throws -> [(String, Double)] {
    let rc = try prepare(count: count)
    func time(_ args: [String]) throws -> Double {
      let t0 = now()
      let o = try run(args, rc: rc)
      let t = now() - t0
      if o.status != 0 { throw BenchError("task \(args.joined(separator: " ")) failed") }
      return t
    }
    let check = try run(["count"], rc: rc).output.trimmingCharacters(in: .whitespacesAndNewlines)
    guard Int(check) == count else { throw BenchError("task count says \(check)") }
    var counts: [Double] = []
    var lists: [Double] = []
    var adds: [Double] = []
    var dones: [Double] = []
    for k in 0..<runs {
      counts.append(try time(["count"]))
      lists.append(try time(["status:pending", "limit:50", "list"]))
      adds.append(try time(["add", "bench task \(k)"]))
      dones.append(try time(["\(5 + k)", "done"]))
    }
    return [
      ("taskCount", median(counts)), ("taskList", median(lists)), ("taskAdd", median(adds)),
      ("taskDone", median(dones)),
    ]
  }
}
