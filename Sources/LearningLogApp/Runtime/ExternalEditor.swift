import Foundation

/// Runs `$EDITOR` on a piece of text and returns the edited text.
///
/// The terminal must be given up while the editor runs; `suspend` is the backend's hook: it
/// ends the full-screen mode, calls the closure, and takes the screen back. The editor runs in
/// the terminal's foreground (see `ForegroundProcess`), as a shell or git would run it.
public struct ExternalEditor {
  /// The editor command (`$VISUAL`, else `$EDITOR`, else `vi`).
  public var command: String
  /// Gives up the terminal around the closure (the backend's job).
  public var suspend: (() -> Void) -> Void

  /// An editor running `command`, suspending the terminal with `suspend`.
  public init(command: String, suspend: @escaping (() -> Void) -> Void) {
    self.command = command
    self.suspend = suspend
  }

  /// The editor named by the environment.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment,
    suspend: @escaping (() -> Void) -> Void
  ) -> ExternalEditor {
    let cmd =
      [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }
      .first { !$0.isEmpty } ?? "vi"
    return ExternalEditor(command: cmd, suspend: suspend)
  }

  /// Writes `text` to a private temporary file, runs the editor on it and reads it back
  /// (one trailing newline, as editors add, is dropped).
  public func edit(_ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory
    let file = dir.appendingPathComponent("learnlog-\(UUID().uuidString).md")
    try Data(text.utf8).write(to: file, options: [.atomic])
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    defer { try? FileManager.default.removeItem(at: file) }
    var status: Int32 = 0
    var failure: (any Error)?
    suspend {
      do {
        status = try ForegroundProcess.run(["/bin/sh", "-c", command + " \"$1\"", "sh", file.path])
      } catch { failure = error }
    }
    if let failure { throw EditorError("cannot run \(command): \(failure)") }
    if status == 128 + SIGHUP {
      // The terminal hung up: only the editor's process group (the terminal's foreground)
      // was told, so pass it on, as this process would have heard it without the editor.
      _ = raise(SIGHUP)
    }
    guard status == 0 else {
      throw EditorError("\(command) exited with status \(status); the field is unchanged")
    }
    var result = try String(contentsOf: file, encoding: .utf8)
    if result.hasSuffix("\n") { result.removeLast() }
    return result
  }
}

/// The external editor failed.
public struct EditorError: Error, CustomStringConvertible, Sendable {
  /// One line saying what failed.
  public var description: String
  init(_ description: String) { self.description = description }
}
