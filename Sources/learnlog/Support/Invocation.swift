import ArgumentParser
import Foundation
import LearningLog

/// `--file PATH`, accepted before the command (`learnlog --file x.jsonl incident list`) or after.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The log file (default: $LEARNLOG_FILES, else $LEARNLOG_FILE, else the nearest "
        + ".learnlog/log.jsonl, else $XDG_DATA_HOME/learnlog/log.jsonl). Read commands and "
        + "the app take it more than once to read several teams' logs together, read-only.",
      valueName: "path"))
  var file: [String] = []

  /// Every log path this invocation names: the `--file`s, else `$LEARNLOG_FILES` (split by
  /// `:`), else the one log found as `--file` would be.
  var logPaths: [String] {
    let explicit = file.isEmpty ? Invocation.leadingFiles : file
    if !explicit.isEmpty { return explicit.map { Workspace.locate(explicit: $0) } }
    let several = (ProcessInfo.processInfo.environment["LEARNLOG_FILES"] ?? "")
      .split(separator: ":").map(String.init).filter { !$0.isEmpty }
    if !several.isEmpty { return several.map { Workspace.locate(explicit: $0) } }
    return [Workspace.locate(explicit: nil)]
  }

  /// The one log path this invocation works on; several logs are refused.
  var logPath: String {
    get throws {
      let paths = logPaths
      guard paths.count == 1, let path = paths.first else {
        throw Self.severalLogs(paths.count)
      }
      return path
    }
  }

  /// The refusal of a command that works on one log when `count` are named.
  static func severalLogs(_ count: Int) -> CLIError {
    CLIError(
      message:
        "this command works on one log, and \(count) are named (--file or "
        + "LEARNLOG_FILES); several logs are read together, read-only, by incident list, "
        + "lesson list, patterns, stats, today and export: pass one --file")
  }

  /// Refuses an empty `--file ""` (it never falls back to `$LEARNLOG_FILE` silently).
  func validate() throws {
    if (file.isEmpty ? Invocation.leadingFiles : file).contains(where: \.isEmpty) {
      throw ValidationError(emptyFile)
    }
  }
}

/// The message for `--file ""`.
let emptyFile =
  "--file is empty; give the path of a log, or leave --file out to use $LEARNLOG_FILE or "
  + "the nearest .learnlog/log.jsonl"

/// This run of the command line: what it found before the command name, opening the log for the
/// command, and the day, time and author it is planned with.
enum Invocation {
  /// The `--file`s given before the command name.
  nonisolated(unsafe) static var leadingFiles: [String] = []

  /// Today in the local time zone.
  static var today: Day { Day(date: Date()) }

  /// Now in milliseconds since the epoch.
  static var now: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

  /// A context for planning a command now, naming the author (`$LEARNLOG_AUTHOR`, else
  /// `git config user.name` where the log is, else `$USER`).
  static func context(logPath: String? = nil, author: String?? = nil) -> CommandContext {
    CommandContext(today: today, now: now, author: author ?? resolveAuthor(logPath: logPath))
  }

  /// The author of this invocation's records (see ``Authorship/resolve(environment:directory:)``).
  static func resolveAuthor(logPath: String?) -> String? {
    let directory = logPath.map { ($0 as NSString).deletingLastPathComponent } ?? "."
    return Authorship.resolve(
      environment: ProcessInfo.processInfo.environment,
      directory: directory.isEmpty ? "." : directory)
  }

  /// The author, looked up on another thread while the log opens (asking git takes a few ms).
  final class PendingAuthor: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: String?

    init(logPath: String) {
      DispatchQueue.global().async {
        self.value = Invocation.resolveAuthor(logPath: logPath)
        self.done.signal()
      }
    }

    /// The author, once looked up.
    func wait() -> String? {
      done.wait()
      done.signal()
      return value
    }
  }

  /// Opens the log for `options`; a torn tail is repaired with a one-line notice on stderr.
  ///
  /// Through the snapshot cache in `$XDG_CACHE_HOME/learnlog`, so a command on a large log
  /// reads only what was appended since the snapshot.
  ///
  /// With `lazy`, entities a snapshot holds decode only when the command reads them: a write
  /// or a lookup of one incident on a large log then costs a fraction of a full open.
  static func open(_ options: GlobalOptions, lazy: Bool = false) throws -> Workspace {
    try open(path: try options.logPath, lazy: lazy)
  }

  /// Opens every log `options` names, read-only when there are several, and their union.
  static func openAll(_ options: GlobalOptions, lazy: Bool = false) throws -> LogUnion {
    let paths = options.logPaths
    if paths.count == 1, let path = paths.first {
      return LogUnion(workspaces: [try open(path: path, lazy: lazy)], labels: [""])
    }
    let union = try LogUnion.open(paths: paths) { try open(path: $0, lazy: false, readOnly: true) }
    keepUntilExit(union.state)
    return union
  }

  /// Opens the log at `path` (see ``open(_:lazy:)``).
  static func open(path: String, lazy: Bool, readOnly: Bool = false) throws -> Workspace {
    // A first open of a large log (no snapshot yet) takes seconds: say how far it is, on a
    // terminal, once it has taken a moment; the line is cleared when the open ends.
    var shown = false
    let ws = try Workspace(
      path: path, readOnly: readOnly, notice: { Out.note("learnlog: \($0)") },
      cache: SnapshotCache.standard(environment: ProcessInfo.processInfo.environment),
      lazy: lazy,
      progress: { p in
        guard Out.stderrIsTerminal else { return }
        if p.isWorthShowing {
          shown = true
          Out.progress("learnlog: \(p.line)")
        } else if p.phase == .done, shown {
          Out.progress(nil)
        }
      })
    // A command runs once and exits: its state is left to the operating system.
    keepUntilExit(ws)
    return ws
  }

  /// `value` (a JSON object) with the label of its team log as `"log"`.
  static func marked(_ value: JSONValue, log: String) -> JSONValue {
    guard case .object(var object) = value else { return value }
    object["log"] = .string(log)
    return .object(object)
  }

  /// Values kept until the process exits, never freed.
  nonisolated(unsafe) static var kept: [Any] = []

  /// Keeps large values alive until exit: the operating system reclaims their memory at
  /// once, where freeing them one by one would cost a list command a third of its time.
  static func keepUntilExit(_ values: Any...) { kept.append(contentsOf: values) }

  /// Opens the log (lazily) and performs `command`, returning the plan written.
  static func perform(_ options: GlobalOptions, _ command: Command) throws -> (Workspace, Plan) {
    let author = PendingAuthor(logPath: try options.logPath)
    let ws = try open(options, lazy: true)
    let plan = try ws.perform(command, context: context(logPath: ws.path, author: author.wait()))
    return (ws, plan)
  }

  /// Performs an `add` command and prints the new id alone, short form.
  static func performAdd(_ options: GlobalOptions, _ command: Command) throws {
    let (ws, plan) = try perform(options, command)
    guard let id = plan.createdID else { return }
    Out.line(ws.state.kind(of: id) == nil ? id : ws.state.shortID(for: id))
  }
}
