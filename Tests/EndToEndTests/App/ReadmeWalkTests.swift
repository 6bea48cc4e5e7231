import Foundation
import Testing

/// What the README walk needs.
enum ReadmeWalk {
  /// The repository this test file is part of.
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Whether the tools are installed and the sources are a git repository to clone.
  static let canWalk =
    TestTools.tmux != nil
    && ["bash", "git", "make"].allSatisfy { TestTools.executable(named: $0) != nil }
    && FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent(".git").path)
}

/// The README's newcomer path, walked as written: the section between `<!-- newcomer-walk -->`
/// and `<!-- /newcomer-walk -->` is the script.
///
/// A fresh `git clone` of this repository in a temporary directory; an interactive bash in tmux
/// started there with an empty `$HOME` and a clean environment; then, in the order the README
/// gives them: each line of a `sh` block typed and run (its prompt must come back with status
/// 0), each line of the `text` block after it found in what the commands printed, and each row
/// of a `press | you see` table pressed in the app (a key in backticks, `type` and the text to
/// type, or nothing) until the screen shows the row's first backticked text (a row with none
/// waits for the shell's prompt). For speed a stand-in for `swift` (see `swiftStandIn`) hands
/// over the already built binary instead of building the clone.
@Suite(
  .serialized, .enabled(if: ReadmeWalk.canWalk, "tmux, bash, git, make or the clone is missing"))
struct ReadmeWalkTests {
  static var repositoryRoot: URL { ReadmeWalk.repositoryRoot }

  /// One step of the walk.
  enum Step: Equatable {
    /// A shell command; `opensApp` when a key table follows it (the prompt comes back at its end).
    case command(String, opensApp: Bool)
    /// Lines the commands before printed.
    case output([String])
    /// Keys pressed (tmux names), or text typed, then the text to wait for (nil: the prompt).
    case keys([String], typed: String?, see: String?)
  }

  /// The steps of the README's marked section.
  static func steps(readme: String) throws -> [Step] {
    let begin = try #require(readme.range(of: "<!-- newcomer-walk -->"), "no walk marker")
    let end = try #require(readme.range(of: "<!-- /newcomer-walk -->"), "no walk end marker")
    let lines = readme[begin.upperBound..<end.lowerBound].components(separatedBy: "\n")
    var steps: [Step] = []
    var fence: String?
    var pending = ""
    for line in lines {
      if line.hasPrefix("```") {
        fence = fence == nil ? String(line.dropFirst(3)) : nil
        if fence == "text" { steps.append(.output([])) }
        continue
      }
      switch fence {
      case "sh":
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
        if trimmed.hasSuffix("\\") {
          pending += trimmed.dropLast().trimmingCharacters(in: .whitespaces) + " "
        } else {
          steps.append(.command(pending + trimmed, opensApp: false))
          pending = ""
        }
      case "text":
        if case .output(let earlier) = steps.last, !line.isEmpty {
          steps[steps.count - 1] = .output(earlier + [line])
        }
      case nil:
        guard line.hasPrefix("| "), !line.hasPrefix("| press"), !line.hasPrefix("|---") else {
          continue
        }
        let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        guard cells.count >= 2 else { continue }
        let press = backticked(cells[0])
        let see = backticked(cells[1]).first
        if case .command(let command, _) = steps.last {
          steps[steps.count - 1] = .command(command, opensApp: true)
        }
        if cells[0].hasPrefix("type ") {
          steps.append(.keys([], typed: press.first, see: see))
        } else {
          steps.append(.keys(press.map(tmuxKey), typed: nil, see: see))
        }
      default:
        continue
      }
    }
    return steps
  }

  /// The texts between backticks in `cell`, in order.
  static func backticked(_ cell: String) -> [String] {
    let parts = cell.components(separatedBy: "`")
    return stride(from: 1, to: parts.count, by: 2).map { parts[$0] }
  }

  /// The tmux name of a key as the README writes it (`Ctrl-S`, `Esc`, `Enter`, `j`).
  static func tmuxKey(_ key: String) -> String {
    switch key {
    case "Esc": return "Escape"
    case "PgDn": return "NPage"
    case "PgUp": return "PPage"
    case "↓": return "Down"
    case "↑": return "Up"
    default:
      if key.hasPrefix("Ctrl-"), key.count == 6 { return "C-" + key.suffix(1).lowercased() }
      return key
    }
  }

  /// The `swift` stand-in: `build` succeeds at once (`--show-bin-path` names the directory of the
  /// built binaries), `run learnlog ARGS` runs the built learnlog, `package generate-manual`
  /// writes a page made from `learnlog --help`; anything else fails loudly.
  static func swiftStandIn(binDirectory: String) -> String {
    """
    #!/bin/sh
    # A stand-in for swift in the README walk: the binaries the test suite was built with.
    bin=\(TmuxSession.shellQuoted(binDirectory))
    case "$1" in
    build)
      for a in "$@"; do [ "$a" = --show-bin-path ] && { echo "$bin"; exit 0; }; done
      echo "Build complete! (the test suite's build)"
      exit 0 ;;
    run)
      [ "$2" = learnlog ] || { echo "swift stand-in: cannot run '$2'" >&2; exit 1; }
      shift 2
      exec "$bin/learnlog" "$@" ;;
    package)
      case "$*" in *generate-manual*)
        out=.build/plugins/GenerateManual/outputs/learnlog
        mkdir -p "$out"
        { echo '.TH LEARNLOG 1'; echo '.SH NAME'; echo 'learnlog'; echo '.SH DESCRIPTION';
          "$bin/learnlog" --help | sed 's/^[.'"'"']/\\\\\\&&/'; } > "$out/learnlog.1"
        exit 0 ;;
      esac ;;
    esac
    echo "swift stand-in: 'swift $*' is not part of the walk" >&2
    exit 1

    """
  }

  @Test func theStepsAreReadFromTheMarkedSection() throws {
    let readme = """
      before
      <!-- newcomer-walk -->
      ```sh
      make install PREFIX=$HOME/.local
      # a comment
      learnlog incident add --title "A b" \\
        --team web
      swift run learnlog
      ```

      | press | you see |
      |---|---|
      | (nothing yet) | `Welcome` |
      | `j` `Ctrl-S` | `saved: x`: more |
      | type `Some words` | the words |
      | `q` | the shell again |

      ```text
      pushed
      ```
      <!-- /newcomer-walk -->
      ```sh
      not this
      ```
      """
    let steps = try Self.steps(readme: readme)
    #expect(
      steps == [
        .command("make install PREFIX=$HOME/.local", opensApp: false),
        .command("learnlog incident add --title \"A b\" --team web", opensApp: false),
        .command("swift run learnlog", opensApp: true),
        .keys([], typed: nil, see: "Welcome"),
        .keys(["j", "C-s"], typed: nil, see: "saved: x"),
        .keys([], typed: "Some words", see: nil),
        .keys(["q"], typed: nil, see: nil),
        .output(["pushed"]),
      ], "\(steps)")
  }

  @Test func theReadmeNewcomerPathWorksAsWritten() throws {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-readme-walk-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: work) }
    let git = try #require(TestTools.executable(named: "git"))
    let clone = work.appendingPathComponent("learnlog").path
    let cloned = try TestTools.run(
      git, ["clone", "-q", Self.repositoryRoot.path, clone], withErrors: true)
    try #require(cloned.status == 0, "git clone failed: \(cloned.output)")
    let readme = try String(contentsOfFile: clone + "/README.md", encoding: .utf8)
    let steps = try Self.steps(readme: readme)
    #expect(steps.count > 15, "the walk looks too short: \(steps)")

    // An empty home (git knows who commits, as it does for anyone who uses it), the stand-in.
    let home = work.appendingPathComponent("home").path
    let tools = work.appendingPathComponent("tools").path
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: tools, withIntermediateDirectories: true)
    try "[user]\n\tname = Sam\n\temail = sam@example.com\n".write(
      toFile: home + "/.gitconfig", atomically: true, encoding: .utf8)
    let bin = try #require(TestTools.binDirectory).path
    try Self.swiftStandIn(binDirectory: bin).write(
      toFile: tools + "/swift", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: tools + "/swift")
    // A program forked meanwhile by another test may hold the new file open for writing a
    // moment (exec then fails with "Text file busy"): wait until the stand-in runs.
    var runs = false
    let deadline = Date().addingTimeInterval(10)
    while !runs, Date() < deadline {
      runs = (try? TestTools.run(tools + "/swift", ["build", "--show-bin-path"]))?.status == 0
      if !runs { usleep(50_000) }
    }
    try #require(runs, "the swift stand-in does not run")
    let bash = try #require(TestTools.executable(named: "bash"))
    let path = tools + ":/usr/local/bin:/usr/bin:/bin"
    let environment = [
      "HOME=\(home)", "PATH=\(path)", "TERM=xterm-256color", "LANG=C.UTF-8", "EDITOR=true",
      "SWIFT_BACKTRACE=enable=no", "PROMPT_COMMAND=rc=$?; n=$((n+1))",
      "PS1=[walk $n rc=$rc] $ ",
    ]
    let script =
      "cd " + TmuxSession.shellQuoted(clone) + " && exec env -i "
      + environment.map(TmuxSession.shellQuoted).joined(separator: " ") + " "
      + TmuxSession.shellQuoted(bash) + " --norc --noprofile -i"
    let shell = try TmuxSession(command: ["sh", "-c", script])
    defer { shell.stop() }

    var prompt = 1
    func expectPrompt(after step: String) throws {
      prompt += 1
      let marker = "[walk \(prompt) rc="
      let result = shell.waitForScreen(timeout: 60) { $0.contains { $0.contains(marker) } }
      try #require(
        result.matched, "no prompt after \(step):\n\(result.screen.joined(separator: "\n"))")
      let row = result.screen.last { $0.contains(marker) } ?? ""
      #expect(
        row.contains(marker + "0]"),
        "\(step) failed:\n\(shell.history().suffix(40).joined(separator: "\n"))")
    }
    shell.expectRow(containing: "[walk 1 rc=0]")
    for step in steps {
      switch step {
      case .command(let command, let opensApp):
        try shell.type(command)
        try shell.press("Enter")
        if !opensApp { try expectPrompt(after: command) }
      case .output(let lines):
        let printed = shell.history()
        for line in lines {
          #expect(
            printed.contains { $0.contains(line) },
            "not printed: \(line)\n\(printed.suffix(30).joined(separator: "\n"))")
        }
      case .keys(let keys, let typed, let see):
        if let typed { try shell.type(typed) }
        for key in keys { try shell.press(key) }
        let what = typed.map { "type \($0)" } ?? keys.joined(separator: " ")
        if let see {
          let result = shell.waitForScreen(timeout: 20) { $0.contains { $0.contains(see) } }
          try #require(
            result.matched,
            "after \(what) no row shows \"\(see)\":\n\(result.screen.joined(separator: "\n"))")
        } else if typed == nil {
          try expectPrompt(after: what)
        }
      }
    }
  }
}
