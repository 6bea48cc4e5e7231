import CursesBackend
import Foundation
import LearningLog
import LearningLogApp
import TerminalUI

/// Opens the full-screen app on the log at `logPath` (created empty when missing) and runs it
/// until the user quits, restoring the terminal on the way out.
///
/// - Throws: a store error when the log cannot be opened or created, or `CursesTerminalError`
///   when standard input or output is not a usable terminal; each describes itself in one line.
func runApp(logPath: String) throws {
  let environment = ProcessInfo.processInfo.environment
  // The terminal first: without one nothing is opened or created.
  let terminal = try CursesTerminal()
  defer { terminal.shutdown() }
  let privateStore = PrivateStore(
    directory: PrivateStore.defaultDirectory(environment: environment))
  let session: StoreSession
  if FileManager.default.fileExists(atPath: logPath) {
    // Through the snapshot cache: a large log opens from its snapshot plus the new lines.
    let (store, state) = try LearningState.load(
      path: logPath, cache: SnapshotCache.standard(environment: environment))
    session = StoreSession(store: store, state: state, privateStore: privateStore)
  } else {
    session = StoreSession(store: try LogStore.create(path: logPath), privateStore: privateStore)
  }
  let support: TerminalUI.ColorSupport
  switch terminal.palette.support {
  case .monochrome: support = .monochrome
  case .colors(let count): support = count >= 256 ? .palette256 : .ansi8
  }
  let editor = ExternalEditor.fromEnvironment(environment) { body in
    terminal.withFullScreenSuspended(body)
  }
  let runner = EffectRunner(
    session: session, drafts: DraftStore.standard(environment: environment),
    editText: { try editor.edit($0) }, repaint: { terminal.redrawAll() })
  let state = AppState(
    session: session, today: Day(date: Date()), theme: .standard(support), size: terminal.size,
    drafts: runner.pendingDrafts())
  let program = Program(model: AppModel(), tickMilliseconds: 500) { runner.run($0) }
  program.run(state, on: terminal)
}
