import ArgumentParser
import Foundation
import LearningLog

/// `--file PATH`, accepted before the command (`learnlog --file x.jsonl incident list`) or after.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The log file (default: $LEARNLOG_FILE, else the nearest .learnlog/log.jsonl, else "
        + "$XDG_DATA_HOME/learnlog/log.jsonl).", valueName: "path"))
  var file: String?

  /// The log path this invocation works on.
  var logPath: String {
    Workspace.locate(explicit: file ?? Invocation.leadingFile)
  }

  /// Refuses an empty `--file ""` (it never falls back to `$LEARNLOG_FILE` silently).
  func validate() throws {
    if (file ?? Invocation.leadingFile)?.isEmpty == true { throw ValidationError(emptyFile) }
  }
}

/// The message for `--file ""`.
let emptyFile =
  "--file is empty; give the path of a log, or leave --file out to use $LEARNLOG_FILE or "
  + "the nearest .learnlog/log.jsonl"

/// What the command line found before the command name.
enum Invocation {
  /// A `--file` given before the command name.
  nonisolated(unsafe) static var leadingFile: String?
}

/// Opening the log for a command.
enum Session {
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
        self.value = Session.resolveAuthor(logPath: logPath)
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
    // A first open of a large log (no snapshot yet) takes seconds: say how far it is, on a
    // terminal, once it has taken a moment; the line is cleared when the open ends.
    var shown = false
    let ws = try Workspace(
      path: options.logPath, notice: { Out.note("learnlog: \($0)") },
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

  /// Values kept until the process exits, never freed.
  nonisolated(unsafe) static var kept: [Any] = []

  /// Keeps large values alive until exit: the operating system reclaims their memory at
  /// once, where freeing them one by one would cost a list command a third of its time.
  static func keepUntilExit(_ values: Any...) { kept.append(contentsOf: values) }

  /// Opens the log (lazily) and performs `command`, returning the plan written.
  static func perform(_ options: GlobalOptions, _ command: Command) throws -> (Workspace, Plan) {
    let author = PendingAuthor(logPath: options.logPath)
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
