import ArgumentParser
import Foundation
import LearningLog

/// The `--file` option of the sharing commands, and how they report.
///
/// The same `--file` as every other command (``GlobalOptions``): given before the command or
/// after it, an empty one refused.
struct SharingOptions: ParsableArguments {
  @OptionGroup var global: GlobalOptions

  /// The log the command works on: the `--file`, else the one log `$LEARNLOG_FILES` names,
  /// else the one found as for every command; several logs are refused, as by every write.
  func logPath(environment: [String: String]) throws -> String {
    var explicit = global.file.isEmpty ? Invocation.leadingFiles : global.file
    if explicit.isEmpty {
      explicit = (environment["LEARNLOG_FILES"] ?? "").split(separator: ":").map(String.init)
        .filter { !$0.isEmpty }
    }
    guard explicit.count <= 1 else { throw GlobalOptions.severalLogs(explicit.count) }
    return LogLocator.resolve(
      explicit: explicit.first, environment: environment,
      currentDirectory: FileManager.default.currentDirectoryPath)
  }
}

/// Shared plumbing of the sharing commands.
enum SharingCLI {
  /// A runner for the git on PATH, or an error line and exit 1.
  static func git(environment: [String: String]) throws -> GitRunner {
    guard let git = GitRunner(environment: environment) else {
      fail(SharingError.gitUnavailable("no `git` on PATH"))
    }
    return git
  }

  /// Prints `error: <message>` on standard error and exits with status 1.
  static func fail(_ error: any Error) -> Never {
    Learnlog.fail("\(error)", ExitStatus.userError)
  }

  /// Prints lines on standard output.
  static func say(_ lines: [String]) {
    for line in lines { Out.line(line) }
  }
}
