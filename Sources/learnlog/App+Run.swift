import CursesBackend
import Foundation
import LearningLog
import LearningLogApp
import TerminalUI

/// The screen shown while a large log opens: its name and how far the open is.
func openingScreen(_ p: LoadProgress, logPath: String, size: Size) -> ScreenBuffer {
  var buffer = ScreenBuffer(size: size)
  let y = max(0, size.height / 2 - 1)
  let name = "learnlog · " + (logPath.split(separator: "/").last.map(String.init) ?? logPath)
  buffer.setString(max(0, (size.width - DisplayWidth.of(name)) / 2), y, name)
  let line = p.line
  buffer.setString(max(0, (size.width - DisplayWidth.of(line)) / 2), y + 1, line)
  let width = min(40, max(0, size.width - 4))
  let done = Int(Double(width) * p.fraction)
  let bar = String(repeating: "█", count: done) + String(repeating: "░", count: width - done)
  buffer.setString(max(0, (size.width - width) / 2), y + 3, bar)
  return buffer
}

/// Opens the full-screen app on the log at `logPath` (created empty when missing) and runs it
/// until the user quits, restoring the terminal on the way out.
///
/// - Throws: a store error when the log cannot be opened or created, or `CursesTerminalError`
///   when standard input or output is not a usable terminal; each describes itself in one line.
///
/// With several `logPaths` (`--file a --file b`, `LEARNLOG_FILES`), the app reads their union,
/// read-only: every row marked with its team log, every change refused with one line.
func runApp(logPaths: [String]) throws {
  let environment = ProcessInfo.processInfo.environment
  // The terminal first: without one nothing is opened or created.
  let terminal = try CursesTerminal()
  defer { terminal.shutdown() }
  let privateStore = PrivateStore(
    directory: PrivateStore.defaultDirectory(environment: environment))
  let appLog: any AppLog
  let logPath = logPaths.first ?? ""
  if logPaths.count > 1 {
    // Each log through its own snapshot, read-only; a missing one is an error, never created.
    let union = try LogUnion.open(paths: logPaths) { path in
      try Workspace(
        path: path, readOnly: true, privateStore: privateStore,
        cache: SnapshotCache.standard(environment: environment),
        progress: { p in
          guard p.isWorthShowing else { return }
          terminal.draw(openingScreen(p, logPath: path, size: terminal.size), cursor: nil)
        })
    }
    appLog = UnionAppLog(union: union)
  } else if FileManager.default.fileExists(atPath: logPath) {
    // Through the snapshot cache: a large log opens from its snapshot plus the new lines.
    // A first open (no snapshot yet) takes seconds: the screen says how far it is.
    let (store, state) = try LearningState.load(
      path: logPath, cache: SnapshotCache.standard(environment: environment),
      progress: { p in
        guard p.isWorthShowing else { return }
        terminal.draw(openingScreen(p, logPath: logPath, size: terminal.size), cursor: nil)
      })
    let one = FileAppLog(store: store, state: state, privateStore: privateStore)
    // Every record the app writes names its author, as the command line's do.
    one.author = Authorship.resolve(
      environment: environment, directory: (logPath as NSString).deletingLastPathComponent)
    appLog = one
  } else {
    let one = FileAppLog(store: try LogStore.create(path: logPath), privateStore: privateStore)
    one.author = Authorship.resolve(
      environment: environment, directory: (logPath as NSString).deletingLastPathComponent)
    appLog = one
  }
  let support = terminal.palette.support
  let editor = ExternalEditor.fromEnvironment(environment) { body in
    terminal.withFullScreenSuspended(body)
  }
  let drafts = DraftStore.standard(environment: environment)
  let runner = EffectRunner(
    appLog: appLog, drafts: drafts,
    editText: { try editor.edit($0) }, repaint: { terminal.redrawAll() })
  // `y` copies an id with OSC 52 only when asked to (LEARNLOG_OSC52=1).
  if Clipboard.isEnabled(environment) {
    runner.copyToClipboard = { terminal.copyToClipboard($0) }
  }
  // The draft typed and not yet on disk is laid out for the signal handlers, which write it on
  // a crash or a signal; a crash report goes to a file named on standard error.
  runner.onPendingDraft = { pending in
    if let pending {
      LastWrite.keep(path: pending.path, contents: pending.bytes)
    } else {
      LastWrite.clear()
    }
  }
  let report = crashReportPath(stateDirectory: drafts.directory.deletingLastPathComponent())
  LastWrite.crashReport(
    directory: report.directory, path: report.path,
    line: "learnlog: crashed; the report is in \(Sanitizer.sanitize(report.path))\n")
  let state = AppState(
    appLog: appLog, today: Day(date: Date()), theme: .standard(support), size: terminal.size,
    // A draft belongs to one log: none is offered while several are read.
    drafts: logPaths.count > 1 ? [] : runner.pendingDrafts())
  let program = Program(model: AppModel(), tickMilliseconds: 500) { runner.run($0) }
  // A SIGINT, SIGTERM or SIGHUP acted on by the loop ends it, so the draft is kept first.
  terminal.returnsOnSignal = true
  let final = program.run(state, on: terminal)
  // q, Ctrl-C, SIGTERM or SIGHUP: the text typed since the draft was last kept goes to disk
  // before the process ends.
  let unwritten = runner.flushDrafts(from: final)
  LastWrite.clear()
  terminal.shutdown()
  if let form = final.form, form.isEdited {
    Out.note(
      unwritten.isEmpty
        ? "learnlog: the unsaved \(form.kind.name.title) form is kept as a draft; "
          + "it is offered at the next start"
        : "learnlog: the unsaved \(form.kind.name.title) form could not be kept as a draft")
  }
  if let signal = terminal.takenSignal { exit(128 + signal) }
}

/// Where a crash report of this run would go: `<state>/crash-<start time>-<pid>.txt`.
func crashReportPath(stateDirectory: URL) -> (directory: String, path: String) {
  let formatter = ISO8601DateFormatter()
  formatter.timeZone = TimeZone(identifier: "UTC")
  let stamp = formatter.string(from: Date()).replacingOccurrences(of: ":", with: "-")
  let name = "crash-\(stamp)-\(ProcessInfo.processInfo.processIdentifier).txt"
  return (stateDirectory.path, stateDirectory.appendingPathComponent(name).path)
}
