import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The app on a log it cannot write: "read-only" in the status line, every change refused with
/// one line, reading as usual; after a failed write, the real reason.
@Suite struct AppReadOnlyTests {
  /// A demo log on a memory file system, opened as the app opens it, with writes denied.
  static func readOnlySession(code: Int32) throws -> FileAppLog {
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/data", permissions: 0o755)
    let writer = try LogStore.create(path: "/data/log.jsonl", fileSystem: fs)
    writer.writerID = "w"
    _ = try writer.append { _ in try DemoData.drafts(today: testToday) }
    fs.deniedWrites = ["/data/": code]
    let (store, state) = try LearningState.load(path: "/data/log.jsonl", fileSystem: fs)
    return FileAppLog(store: store, state: state, privateStore: nil, today: { testToday })
  }

  @Test(arguments: [(EACCES, "Permission denied"), (EROFS, "Read-only file system")])
  func aReadOnlyLogSaysSoAndRefusesEveryChange(code: Int32, reason: String) throws {
    let appLog = try Self.readOnlySession(code: code)
    #expect(appLog.readOnlyReason == reason)
    let model = AppModel()
    let runner = EffectRunner(appLog: appLog, drafts: nil)
    let program = Program(model: model, tickMilliseconds: 500) { runner.run($0) }
    var s = AppState(
      appLog: appLog, today: testToday, theme: .monochrome, size: Size(width: 100, height: 24),
      drafts: [])
    #expect(s.readOnly == reason)
    let status = program.frame(for: s, size: s.size).buffer.lines()[22]
    #expect(status.hasPrefix("read-only · "), "\(status)")
    #expect(appLog.state.incidentList.count > 0, "reading works")
    // Every form key of every screen is refused with the same one line; no form opens.
    var refused = 0
    for script in ["2 n", "2 r", "2 a", "2 L", "2 e", "3 n", "4 n"] {
      for event in try KeyScript.parse(script) {
        if let action = model.action(for: event, in: s) { program.send(action, to: &s) }
      }
      #expect(s.form == nil, "\(script) opened a form on a read-only log")
      if let text = s.status?.text {
        #expect(
          text.contains("read-only (\(reason))") && !text.contains("\n"), "\(script): \(text)")
        refused += 1
      }
      s.status = nil
    }
    #expect(refused >= 3)
  }

  @Test func epermOnAWriteSaysWhatHappenedAndTheStatusLineTurnsReadOnly() throws {
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/data", permissions: 0o755)
    let store = try LogStore.create(path: "/data/log.jsonl", fileSystem: fs)
    store.writerID = "w"
    _ = try store.append { _ in try DemoData.drafts(today: testToday) }
    let appLog = FileAppLog(store: store, privateStore: nil, today: { testToday })
    let model = AppModel()
    let runner = EffectRunner(appLog: appLog, drafts: nil)
    let program = Program(model: model, tickMilliseconds: 500) { runner.run($0) }
    var s = AppState(
      appLog: appLog, today: testToday, theme: .monochrome, size: Size(width: 100, height: 24),
      drafts: [])
    #expect(s.readOnly == nil)
    func type(_ script: String) throws {
      for event in try KeyScript.parse(script) {
        if let action = model.action(for: event, in: s) { program.send(action, to: &s) }
      }
    }
    // The write fails with EPERM, and so does cutting it back: the session stops writing.
    fs.pendingWriteErrors = [EPERM]
    fs.pendingTruncateErrors = [EPERM]
    try type("2 n \(words("Disk full")) <C-s>")
    let text = try #require(s.status?.text)
    #expect(text.contains("Operation not permitted") && !text.contains("failed sync"), "\(text)")
    #expect(s.form != nil, "the typed text stays in its form")
    #expect(s.readOnly?.contains("Operation not permitted") == true)
    try type("<Esc>")
    s.overlay = nil
    s.form = nil
    s.status = nil
    #expect(program.frame(for: s, size: s.size).buffer.lines()[22].hasPrefix("read-only · "))
    try type("2 n")
    #expect(s.form == nil && s.status?.text.contains("Operation not permitted") == true)
  }
}
