import Foundation
import LearningLog

#if canImport(Glibc)
  import Glibc
#endif

/// Runs the real `learnlog` executable, as a user or a script would, and times it.
///
/// Process start, argument parsing, the snapshot cache in `$XDG_CACHE_HOME`, output and exit
/// are all in the figure, as they are in Taskwarrior's.
struct RealCommands {
  let executable: String
  let logPath: String
  /// Holds the cache (`xdg-cache/learnlog`) and private store of these runs.
  let home: String

  /// The `learnlog` built beside this benchmark.
  ///
  /// In the package's folder it is built first
  /// (nothing to do when it is up to date): a `learnlog` left from older sources would be timed
  /// instead (`swift build` with two `--product` flags builds only the last).
  static func locate() -> String? {
    let mine = URL(fileURLWithPath: selfPath()).deletingLastPathComponent()
    let beside = mine.appendingPathComponent("learnlog").path
    guard FileManager.default.fileExists(atPath: "Package.swift") else {
      return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
    }
    // The configuration this benchmark was built in: its `learnlog` is the one beside it.
    #if DEBUG
      let configuration = "debug"
    #else
      let configuration = "release"
    #endif
    print("  building learnlog (swift build -c \(configuration) --product learnlog) …")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["swift", "build", "-c", configuration, "--product", "learnlog"]
    p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    do {
      try p.run()
      p.waitUntilExit()
    } catch {
      return nil
    }
    return FileManager.default.isExecutableFile(atPath: beside) ? beside : nil
  }

  /// Runs `learnlog --file LOG args…`; the exit status and what it printed.
  ///
  /// Started with `posix_spawn` and read through a pipe, so the figure is the command's, not
  /// the cost of starting a process from this (large) one.
  func run(_ args: [String]) throws -> (status: Int32, output: String) {
    try Self.spawn(executable, ["--file", logPath] + args, environment: environment)
  }

  /// The environment of the runs: their own cache and private store, no colour.
  var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["XDG_CACHE_HOME"] = home + "/xdg-cache"
    env["XDG_DATA_HOME"] = home + "/xdg-data"
    env["LEARNLOG_AUTHOR"] = "bench"
    env["NO_COLOR"] = "1"
    return env
  }

  /// Spawns `path` with `args`, stdin and stderr on /dev/null, and reads its stdout to the end.
  static func spawn(_ path: String, _ args: [String], environment: [String: String]) throws -> (
    status: Int32, output: String
  ) {
    let r = try spawnCounting(path, args, environment: environment, keep: true)
    return (r.status, String(decoding: r.kept, as: UTF8.self))
  }

  /// What ``spawnCounting(_:_:environment:keep:)`` saw of a process.
  struct Run {
    var status: Int32
    /// The bytes of standard output (when kept).
    var kept: [UInt8]
    /// How many bytes and lines the process wrote to standard output.
    var bytes: Int
    var lines: Int
    /// The child's peak resident memory in bytes, measured by GNU `time` (see
    /// ``spawnCounting(_:_:environment:keep:peak:)``); nil when not measured.
    var peakBytes: Int?
    /// The child's CPU time in seconds, user and system, every thread (`wait4`'s usage).
    var cpu: Double = 0
  }

  /// GNU `time`, which reports the peak memory of a child it forks (`apt-get install time`).
  static let gnuTime = "/usr/bin/time"

  /// Spawns `path` with `args`, stdin and stderr on /dev/null, and reads its stdout to the end,
  /// keeping it or only counting its bytes and lines; with `peak`, the child's peak memory.
  ///
  /// The peak is not `ru_maxrss` from `wait4` here: `posix_spawn` starts the child in this
  /// process's memory, and Linux carries that memory's high-water mark into the child's
  /// `ru_maxrss` at `exec`, so every child would report at least this benchmark's own peak.
  /// With `peak` the child runs under GNU `time`, a small process that forks it, and its `%M`
  /// (the child's own `ru_maxrss`) is read back; nil when `time` is not installed.
  static func spawnCounting(
    _ path: String, _ args: [String], environment: [String: String], keep: Bool,
    peak: Bool = false
  ) throws -> Run {
    let peakFile = "\(NSTemporaryDirectory())learnlog-bench-peak-\(getpid())"
    let measured = peak && access(gnuTime, X_OK) == 0
    if measured {
      unlink(peakFile)
      var r = try spawnCounting(
        gnuTime, ["-f", "%M", "-o", peakFile, path] + args, environment: environment, keep: keep)
      let text = (try? String(contentsOfFile: peakFile, encoding: .utf8)) ?? ""
      unlink(peakFile)
      // The last line is the figure; a line before it says how the child ended, if not 0.
      let kb = text.split(separator: "\n").last.flatMap { Int($0) }
      r.peakBytes = kb.map { $0 * 1024 }
      return r
    }
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw BenchError("pipe failed") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    let argv = ([path] + args).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
    close(fds[1])
    guard rc == 0 else {
      close(fds[0])
      throw BenchError("cannot start \(path): \(String(cString: strerror(rc)))")
    }
    var out: [UInt8] = []
    var bytes = 0
    var lines = 0
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = buf.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { break }
      bytes += n
      if keep {
        out.append(contentsOf: buf[0..<n])
      } else {
        // Newlines counted eight bytes at a time, so reading the output costs the benchmark
        // little beside the command it times (both share the machine's cores).
        buf.withUnsafeBytes { p in
          var i = 0
          let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
          while i + 8 <= n {
            let x = p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            // A byte's top bit set in `t` exactly when the byte of `x` is not zero.
            let t = ((x & low) &+ low) | x
            lines += (~t & ~low).nonzeroBitCount
            i += 8
          }
          while i < n {
            if p[i] == 0x0A { lines += 1 }
            i += 1
          }
        }
      }
    }
    close(fds[0])
    if keep { lines = out.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let exited = status & 0x7F == 0
    return Run(
      status: exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F), kept: out, bytes: bytes,
      lines: lines, peakBytes: nil,
      cpu: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6)
  }

  /// Seconds `learnlog args…` takes, start to exit; throws when it fails.
  func time(_ args: [String]) throws -> (Double, String) {
    let t0 = now()
    let r = try run(args)
    let t = now() - t0
    guard r.status == 0 else {
      throw BenchError("learnlog \(args.joined(separator: " ")) exited \(r.status)")
    }
    return (t, r.output)
  }

  /// Medians of `action done`, `incident list --limit 50`, `incident list` and `action list`.
  func measure(runs: Int, doing: [String]) throws -> [(String, Double)] {
    // The first run writes the snapshot this executable's cache will use.
    _ = try time(["incident", "list", "--limit", "1"])
    var floor: [Double] = []
    var dones: [Double] = []
    var list50: [Double] = []
    var listAll: [Double] = []
    var rows = 0
    for k in 0..<runs {
      let t0 = now()
      _ = try Self.spawn(executable, ["--version"], environment: environment)
      floor.append(now() - t0)
      if k < doing.count {
        let (t, _) = try time(["action", "done", doing[doing.count - 1 - k]])
        dones.append(t)
      }
      let (t50, out50) = try time(["incident", "list", "--limit", "50"])
      guard out50.split(separator: "\n").count == 51 else {
        throw BenchError(
          "incident list --limit 50 printed \(out50.split(separator: "\n").count) lines")
      }
      list50.append(t50)
      let (tAll, outAll) = try time(["incident", "list"])
      rows = outAll.split(separator: "\n").count - 1
      listAll.append(tAll)
    }
    return [
      ("cliFloor", median(floor)), ("cliDone", median(dones)), ("cliList50", median(list50)),
      ("cliListAll", median(listAll)),
      ("cliListRows", Double(rows)),
    ]
  }
}
