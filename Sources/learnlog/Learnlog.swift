import ArgumentParser
import Foundation
import LearningLog

/// The `learnlog` command: no subcommand opens the full-screen app; the rest is scriptable.
struct Learnlog: ParsableCommand {
  /// The version `--version` prints.
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "learnlog",
    abstract: "Turn failures into learning: incidents, reviews, actions, lessons, patterns.",
    discussion: """
      With no command, in a terminal, opens the full-screen app (`learnlog demo` first for a \
      log to explore). Every command takes --help.

      Examples:
        learnlog
        learnlog incident list --status open

      Where things live:
        log             --file, else $LEARNLOG_FILE, else the nearest
                        .learnlog/log.jsonl, else $XDG_DATA_HOME/learnlog/log.jsonl
        several logs    --file more than once, or $LEARNLOG_FILES (a:b): read
                        together, read-only, by the read commands and the app
        private notes   $XDG_DATA_HOME/learnlog/private/ (never shared)
        form drafts     $XDG_STATE_HOME/learnlog/drafts/
        writer id       $XDG_CONFIG_HOME/learnlog/writer-id
        snapshot cache  $XDG_CACHE_HOME/learnlog/ (safe to delete)
        crash reports   $XDG_STATE_HOME/learnlog/crash-*.txt
        (an XDG variable unset: ~/.local/share, ~/.local/state, ~/.config, ~/.cache)

      Settings (environment):
        VISUAL, EDITOR    the editor of Ctrl-E in a form and of `note add`
        LEARNLOG_AUTHOR   who wrote a record (else git's user.name, else $USER)
        LEARNLOG_OSC52=1  y in the app copies an id to the clipboard (OSC 52)
      """,
    version: "learnlog \(Learnlog.version)",
    // Every command, in one list.
    subcommands: [
      InitCommand.self,
      IncidentCommand.self,
      ReviewCommand.self,
      ActionCommand.self,
      ExperimentCommand.self,
      LessonCommand.self,
      TemplateCommand.self,
      ChecklistCommand.self,
      FactorCommand.self,
      TimelineCommand.self,
      NoteCommand.self,
      ReviewCommand.Schedule.self,
      WinCommand.self,
      RecognitionCommand.self,
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
      try runApp(logPaths: global.logPaths)
    } catch let error as CLIError {
      throw error
    } catch let error as StoreError {
      // A damaged log exits as it does for every command (status 3), not as bad input.
      throw error
    } catch let error as DomainError {
      throw CLIError(message: error.message)
    } catch {
      throw CLIError(message: "\(error)")
    }
  }

  /// Parses the command line, runs the command, and turns every error into one `error:` line
  /// and its exit status.
  static func main() {
    var arguments = validatedArguments()
    // `--file PATH` (once or more) before the command name belongs to every command.
    while let first = arguments.first, first.hasPrefix("--file") {
      if first == "--file", arguments.count >= 2 {
        Invocation.leadingFiles.append(arguments[1])
        arguments.removeFirst(2)
      } else if first.hasPrefix("--file=") {
        Invocation.leadingFiles.append(String(first.dropFirst("--file=".count)))
        arguments.removeFirst()
      } else {
        break
      }
    }
    let typed = arguments
    // `review schedule` is its own command: `review` takes an incident id.
    if arguments.count >= 2, arguments[0] == "review", arguments[1] == "schedule" {
      arguments.replaceSubrange(0..<2, with: [ReviewCommand.Schedule._commandName])
    }
    // …and is handed to the command itself, so every command with a `--file` option sees it.
    if !Invocation.leadingFiles.isEmpty {
      let (depth, target) = commandPath(arguments)
      if target == Learnlog.self || target.configuration.subcommands.isEmpty {
        let words = Invocation.leadingFiles.flatMap { ["--file", $0] }
        arguments.insert(contentsOf: words, at: depth)
      }
    }
    if let problem = negativeCount(arguments) {
      fail(problem, ExitStatus.usage)
    }
    let command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      let status = exitCode(for: error)
      if status == .success {
        // Help, a completion script or the command tree: a data format like any other.
        Out.data(spoken(fullMessage(for: error)) + "\n")
        terminate(0)
      }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
      if let typo = unknownCommand(typed) {
        fail(typo, ExitStatus.usage)
      }
      fail(
        withoutFinalStop(lowerFirst(message)) + "; see `\(helpPath(arguments)) --help`",
        ExitStatus.usage)
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
        .notRegularFile, .protectedFile, .noDirectory:
        fail(e.description, ExitStatus.userError)
      case .sessionReadOnly, .writeFailed, .syncFailed, .io:
        fail(e.description, ExitStatus.ioError)
      }
    case let e as ExitCode:
      terminate(e.rawValue)
    default:
      if exitCode(for: error) == .success {
        let text = spoken(fullMessage(for: error))
        if !text.isEmpty { Out.data(text + "\n") }
        terminate(0)
      }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? ""
      fail(lowerFirst(message.isEmpty ? "\(error)" : message), ExitStatus.usage)
    }
  }

  /// Prints `error: message` (sanitised, every long argument it quotes cut to its echo form)
  /// and exits with `status`.
  static func fail(_ message: String, _ status: Int32) -> Never {
    Out.error(echoingArguments(message))
    terminate(status)
  }

  /// `s` without a final full stop, so more can follow after a semicolon.
  static func withoutFinalStop(_ s: String) -> String {
    var s = s
    while s.hasSuffix(".") { s.removeLast() }
    return s
  }

  /// An option given a negative number (`--limit -3`), which would otherwise read as a missing
  /// value, or nil.
  static func negativeCount(_ arguments: [String]) -> String? {
    for (option, value) in zip(arguments, arguments.dropFirst())
    where option.hasPrefix("--") && value.wholeMatch(of: /-[0-9]+/) != nil {
      return "\(option) must be a number of 0 or more, not \(value)"
    }
    return nil
  }

  /// `message` with each command-line argument it quotes whole and that is long or holds a
  /// control character replaced by its echo form (sanitised, cut to 80 columns with "…").
  ///
  /// Messages of the argument parser and of the domain quote what was typed; this caps them
  /// all in one place, whichever layer wrote the message.
  static func echoingArguments(_ message: String) -> String {
    var text = message
    let words = Set(CommandLine.arguments.dropFirst()).sorted { $0.utf8.count > $1.utf8.count }
    for word in words where !word.isEmpty {
      let shown = Out.echo(word)
      if shown != word, text.contains(word) {
        text = text.replacingOccurrences(of: word, with: shown)
      }
    }
    return text
  }

  /// The arguments, refusing any that is not valid UTF-8 with an error naming it (the
  /// standard library would turn its bytes into U+FFFD silently).
  static func validatedArguments() -> [String] {
    var out: [String] = []
    for i in 1..<Int(CommandLine.argc) {
      guard let raw = CommandLine.unsafeArgv[i] else { continue }
      let bytes = UnsafeBufferPointer(
        start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
      guard let word = String(validating: bytes, as: UTF8.self) else {
        let after = i > 1 ? CommandLine.arguments[i - 1] : nil
        let place =
          "argument \(i) ('\(Out.echo(shownBytes(bytes)))'"
          + (after.map { ", after '\(Out.echo($0))'" } ?? "") + ")"
        Out.error(
          "\(place) is not valid UTF-8 text; give it as UTF-8 (check the terminal's or "
            + "the script's encoding)")
        terminate(ExitStatus.usage)
      }
      out.append(word)
    }
    return out
  }

  /// `bytes` as text, each byte outside valid UTF-8 shown as `\xFF`.
  static func shownBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var out = ""
    var i = 0
    while i < bytes.count {
      // The longest valid sequence starting here (1–4 bytes), else one byte as \xFF.
      var taken = false
      for n in 1...4 where i + n <= bytes.count {
        if let s = String(validating: bytes[i..<(i + n)], as: UTF8.self) {
          out += s
          i += n
          taken = true
          break
        }
      }
      if !taken {
        out += "\\x" + String(bytes[i], radix: 16, uppercase: true)
        i += 1
      }
    }
    return out
  }

  /// "unknown command 'x'; did you mean 'y'?" when the word after the commands given is not a
  /// command of one that has commands; nil otherwise.
  static func unknownCommand(_ arguments: [String]) -> String? {
    let (depth, target) = commandPath(arguments)
    var names: [String] = []
    for command in target.configuration.subcommands where command.configuration.shouldDisplay {
      names.append(command._commandName)
    }
    guard !names.isEmpty, depth < arguments.count else { return nil }
    let word = arguments[depth]
    guard !word.hasPrefix("-") else { return nil }
    let place = (["learnlog"] + arguments.prefix(depth)).joined(separator: " ")
    let best = names.map { ($0, editDistance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }
    if let (name, distance) = best, distance <= max(1, name.count / 3) {
      return "unknown command '\(word)'; did you mean '\(name)'? see `\(place) --help`"
    }
    // A command one level down (`learnlog list`): name the commands that hold it.
    var deeper: [String] = []
    for command in target.configuration.subcommands where command.configuration.shouldDisplay {
      for sub in command.configuration.subcommands where sub._commandName == word.lowercased() {
        deeper.append("\(command._commandName) \(sub._commandName)")
      }
    }
    if !deeper.isEmpty {
      let quoted = deeper.map { "'\($0)'" }
      let options =
        quoted.count == 1
        ? quoted[0] : quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
      return "unknown command '\(word)'; did you mean \(options)? see `\(place) --help`"
    }
    return "unknown command '\(word)'; the commands are \(names.joined(separator: ", ")); "
      + "see `\(place) --help`"
  }

  /// The Levenshtein distance between `a` and `b` (short words only: command names).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.prefix(64))
    let y = Array(b)
    if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
    var row = Array(0...y.count)
    for i in 1...x.count {
      var diagonal = row[0]
      row[0] = i
      for j in 1...y.count {
        let above = row[j]
        row[j] = min(above + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1))
        diagonal = above
      }
    }
    return row[y.count]
  }

  static func lowerFirst(_ s: String) -> String {
    guard let f = s.first else { return s }
    return f.lowercased() + s.dropFirst()
  }

  /// A help or usage text naming the routed command as it is typed.
  ///
  /// `learnlog review schedule`, never its internal name `review-schedule`.
  static func spoken(_ text: String) -> String {
    text.replacingOccurrences(
      of: "learnlog \(ReviewCommand.Schedule._commandName)", with: "learnlog review schedule")
  }

  /// `learnlog` followed by the command names at the start of `arguments`.
  static func helpPath(_ arguments: [String]) -> String {
    let (depth, _) = commandPath(arguments)
    return (["learnlog"] + arguments.prefix(depth)).joined(separator: " ")
      .replacingOccurrences(of: ReviewCommand.Schedule._commandName, with: "review schedule")
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
