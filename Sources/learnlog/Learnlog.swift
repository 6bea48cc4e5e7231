import ArgumentParser
import Foundation
import LearningLog

/// The `learnlog` command: no subcommand opens the full-screen app; the rest is scriptable.
struct Learnlog: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "learnlog",
    abstract: "Turn failures into learning: incidents, reviews, actions, lessons, patterns.",
    discussion: """
      With no command, in a terminal, opens the full-screen app.
      The log is --file, else $LEARNLOG_FILE, else the nearest .learnlog/log.jsonl, else
      $XDG_DATA_HOME/learnlog/log.jsonl. Example: learnlog incident list --status open
      """,
    // Every command, in one list.
    subcommands: [
      InitCommand.self,
      IncidentCommand.self,
      ReviewCommand.self,
      ActionCommand.self,
      ExperimentCommand.self,
      LessonCommand.self,
      NoteCommand.self,
      PatternsCommand.self,
      TodayCommand.self,
      StatsCommand.self,
      ExportCommand.self,
      ImportCommand.self,
      CheckCommand.self,
      RepairCommand.self,
      DemoCommand.self,
      GitSetupCommand.self,
      SyncCommand.self,
      MergeDriverCommand.self,
    ]
  )

  @OptionGroup var global: GlobalOptions

  func run() throws {
    do {
      try runApp(logPath: global.logPath)
    } catch let error as StoreError {
      // A damaged log exits as it does for every command (status 3), not as bad input.
      throw error
    } catch {
      throw CLIError(message: "\(error)")
    }
  }

  /// Parses the command line, runs the command, and turns every error into one `error:` line
  /// and its exit status.
  static func main() {
    var arguments = Array(CommandLine.arguments.dropFirst())
    // `--file PATH` before the command name belongs to every command.
    while let first = arguments.first, first.hasPrefix("--file") {
      if first == "--file", arguments.count >= 2 {
        Invocation.leadingFile = arguments[1]
        arguments.removeFirst(2)
      } else if first.hasPrefix("--file=") {
        Invocation.leadingFile = String(first.dropFirst("--file=".count))
        arguments.removeFirst()
      } else {
        break
      }
    }
    // …and is handed to the command itself, so every command with a `--file` option sees it.
    if let file = Invocation.leadingFile {
      let (depth, target) = commandPath(arguments)
      if target == Learnlog.self || target.configuration.subcommands.isEmpty {
        arguments.insert(contentsOf: ["--file", file], at: depth)
      }
    }
    let command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      let status = exitCode(for: error)
      if status == .success {
        Out.raw(fullMessage(for: error) + "\n")
        terminate(0)
      }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
      fail(lowerFirst(message) + "; see `\(helpPath(arguments)) --help`", ExitStatus.usage)
    }
    do {
      var runnable = command
      try runnable.run()
      terminate(0)
    } catch {
      report(error)
    }
  }

  /// Prints `error` as one line and exits with its status.
  static func report(_ error: any Error) -> Never {
    switch error {
    case let e as CLIError:
      fail(e.message, e.status)
    case let e as DomainError:
      fail(e.message, ExitStatus.userError)
    case let e as StoreError:
      switch e {
      case .damaged, .damagedPrivate, .conflictMarkers, .unsupportedVersion:
        fail(e.description, ExitStatus.damagedLog)
      case .notFound, .alreadyExists, .notPrivate, .invalidDraft, .readOnly, .notWritable,
        .notRegularFile, .protectedFile:
        fail(e.description, ExitStatus.userError)
      case .sessionReadOnly, .writeFailed, .syncFailed, .io:
        fail(e.description, ExitStatus.ioError)
      }
    case let e as ExitCode:
      terminate(e.rawValue)
    default:
      if exitCode(for: error) == .success {
        let text = fullMessage(for: error)
        if !text.isEmpty { Out.raw(text + "\n") }
        terminate(0)
      }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? ""
      fail(lowerFirst(message.isEmpty ? "\(error)" : message), ExitStatus.usage)
    }
  }

  static func fail(_ message: String, _ status: Int32) -> Never {
    Out.note("error: " + message.replacingOccurrences(of: "\n", with: " "))
    terminate(status)
  }

  static func lowerFirst(_ s: String) -> String {
    guard let f = s.first else { return s }
    return f.lowercased() + s.dropFirst()
  }

  /// `learnlog` followed by the command names at the start of `arguments`.
  static func helpPath(_ arguments: [String]) -> String {
    let (depth, _) = commandPath(arguments)
    return (["learnlog"] + arguments.prefix(depth)).joined(separator: " ")
  }

  /// How many leading words of `arguments` name commands, and the command they name.
  static func commandPath(_ arguments: [String]) -> (Int, ParsableCommand.Type) {
    var depth = 0
    var current: ParsableCommand.Type = Learnlog.self
    for word in arguments {
      guard
        let next = current.configuration.subcommands.first(where: {
          $0._commandName == word || $0.configuration.aliases.contains(word)
        })
      else { break }
      depth += 1
      current = next
    }
    return (depth, current)
  }
}
