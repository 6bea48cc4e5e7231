import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

/// The fixed day every app test runs on, so goldens are stable.
let testToday = Day(year: 2026, month: 11, day: 25) ?? Day(ordinal: 0)

/// A temporary directory for drafts, removed by the caller.
func temporaryDirectory() -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "learnlog-app-\(UUID().uuidString)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// An app over an in-memory log: the model, the runner, and a program wiring them.
final class AppHarness {
  let appLog: InMemoryAppLog
  let runner: EffectRunner
  let model = AppModel()
  let draftDirectory: URL
  var edited: [String] = []

  let ownsDrafts: Bool

  init(demo: Bool = true, appLog: InMemoryAppLog? = nil, draftDirectory: URL? = nil) throws {
    self.appLog =
      try appLog
      ?? (demo ? InMemoryAppLog.demo(today: testToday) : InMemoryAppLog(today: testToday))
    self.ownsDrafts = draftDirectory == nil
    self.draftDirectory = draftDirectory ?? temporaryDirectory()
    runner = EffectRunner(appLog: self.appLog, drafts: DraftStore(directory: self.draftDirectory))
  }

  deinit { if ownsDrafts { try? FileManager.default.removeItem(at: draftDirectory) } }

  func initialState(size: Size = Size(width: 80, height: 24), theme: Theme = .monochrome)
    -> AppState
  {
    AppState(
      appLog: appLog, today: testToday, theme: theme, size: size,
      drafts: runner.pendingDrafts())
  }

  var program: Program<AppModel> {
    let runner = self.runner
    return Program(model: model, tickMilliseconds: 500) { runner.run($0) }
  }

  /// Sends `action` and everything its effects produce.
  func send(_ action: AppAction, to state: inout AppState) {
    program.send(action, to: &state)
  }

  /// Types a key script through the model's input routing.
  func type(_ script: String, into state: inout AppState) throws {
    for event in try KeyScript.parse(script) {
      if let action = model.action(for: event, in: state) { send(action, to: &state) }
    }
  }

  /// Runs a scripted session on a test terminal of `size`, returning the terminal and final state.
  func run(_ script: String, size: Size = Size(width: 80, height: 24), from state: AppState? = nil)
    throws -> (TestTerminal, AppState)
  {
    let terminal = TestTerminal(size: size, events: try KeyScript.parse(script))
    let final = program.run(state ?? initialState(size: size), on: terminal)
    // As the app does on its way out (q, Ctrl-C, a signal): the typed draft goes to disk.
    runner.flushDrafts(from: final)
    return (terminal, final)
  }

  /// The frame of `state` at its size.
  func frame(_ state: AppState) -> ScreenBuffer {
    program.frame(for: state, size: state.size).buffer
  }
}

extension Array where Element == String {
  /// Whether some line contains `text`.
  func containsLine(with text: String) -> Bool { contains { $0.contains(text) } }
}

/// A key-script fragment typing `text` with its spaces.
func words(_ text: String) -> String {
  text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    .joined(separator: " <Space> ")
}
