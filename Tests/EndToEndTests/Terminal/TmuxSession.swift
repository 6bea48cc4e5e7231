import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Where the test tools and the built programs are.
enum TestTools {
  /// The tmux executable on PATH, or nil when tmux is not installed.
  static let tmux: String? = executable(named: "tmux")

  /// The directory holding the built products (`learnlog`, `learnlog-tui-demo`).
  ///
  /// The test bundle is built next to them; if they are not there, asks `swift build`.
  static let binDirectory: URL? = {
    var candidates: [URL] = []
    if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
    }
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    if let first = CommandLine.arguments.first {
      candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent())
    }
    for candidate in candidates
    where FileManager.default.isExecutableFile(
      atPath: candidate.appendingPathComponent("learnlog").path)
    {
      return candidate
    }
    guard let swift = executable(named: "swift"),
      let output = try? run(swift, ["build", "--show-bin-path"]).output
    else { return nil }
    let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
    return path.isEmpty ? nil : URL(fileURLWithPath: path)
  }()

  /// The path of the built program `name`.
  static func binary(_ name: String) throws -> String {
    let directory = try #require(binDirectory, "cannot find the built products; run swift build")
    let path = directory.appendingPathComponent(name).path
    try #require(
      FileManager.default.isExecutableFile(atPath: path), "\(path) is missing; run swift build")
    return path
  }

  static func executable(named name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Polls `condition` until it holds or `timeout` seconds pass; returns whether it held.
  static func waitUntil(timeout: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
      guard Date() < deadline else { return false }
      usleep(20_000)
    }
    return true
  }

  /// Runs a program to completion; returns its exit status and standard output.
  @discardableResult
  static func run(_ executable: String, _ arguments: [String], withErrors: Bool = false) throws -> (
    status: Int32, output: String
  ) {
    // Output goes to a file, not a pipe: a tmux server started by the command keeps the
    // descriptor open, so a pipe would never reach end of file. posix_spawn and waitpid rather
    // than Foundation's Process, whose exit monitoring can miss a quickly exiting child here.
    let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-test-output-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    if withErrors {
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    } else {
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    // A clean signal state: the test runner's threads block most signals, and a tmux server
    // started from one would hand that mask down to every program in its panes.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    var allSignals = sigset_t()
    sigemptyset(&noSignals)
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
    guard spawned == 0 else {
      throw CocoaError(.executableLoad, userInfo: ["errno": spawned, "path": executable])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    let data = FileManager.default.contents(atPath: outputPath) ?? Data()
    let exitStatus = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return (exitStatus, String(decoding: data, as: UTF8.self))
  }
}

/// A program running in a private tmux server, wrapped so its terminal modes are recorded.
///
/// The pane runs a small script: `stty -g` before, the program (its pid written to a file), its
/// exit status, `stty -g` after. The server is private (`-L` with a unique name) and killed by
/// `stop()`.
final class TmuxSession {
  let socket = "learnlog-test-\(UUID().uuidString)"
  let directory: URL
  private let tmux: String
  private var serverPID: pid_t?
  private var socketPath: String?

  /// Starts `program` with `arguments` in a `width`×`height` pane, wrapped in the script that
  /// records the terminal modes before and after.
  convenience init(program: String, arguments: [String] = [], width: Int = 100, height: Int = 30)
    throws
  {
    try self.init(width: width, height: height) { directory in
      let quoted = ([program] + arguments).map(Self.shellQuoted).joined(separator: " ")
      let dir = Self.shellQuoted(directory.path)
      return ["sh", "-c", Self.wrapperScript(dir: dir, command: quoted)]
    }
  }

  /// Starts an interactive shell with job control (bash) in the pane.
  convenience init(interactiveShell bash: String) throws {
    try self.init(width: 100, height: 30) { _ in
      ["env", "LANG=C.UTF-8", "PS1=$ ", bash, "--norc", "--noprofile", "-i"]
    }
  }

  /// Starts `command` (a program and its arguments, run as given) in a `width`×`height` pane.
  convenience init(command: [String], width: Int = 100, height: Int = 30) throws {
    try self.init(width: width, height: height) { _ in command }
  }

  private init(width: Int, height: Int, command: (URL) throws -> [String]) throws {
    tmux = try #require(TestTools.tmux, "tmux is not installed")
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try tmuxCommand(
      ["-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)"]
        + (try command(directory)))
    let info = try tmuxCommand(["display-message", "-p", "#{pid} #{socket_path}"])
      .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1)
    if info.count == 2 {
      serverPID = pid_t(info[0])
      socketPath = String(info[1])
    }
  }

  /// The wrapper: modes before, the program (pid written to a file), status, modes after.
  private static func wrapperScript(dir: String, command quoted: String) -> String {
    let script = """
      export LANG=C.UTF-8 SWIFT_BACKTRACE=enable=no
      unset NO_COLOR
      stty -g > \(dir)/before
      sh -c 'echo $$ > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid" && shift && exec "$@"' \
        \(dir) -- \(quoted)
      echo $? > \(dir)/status.tmp
      mv \(dir)/status.tmp \(dir)/status
      stty -g > \(dir)/after.tmp
      mv \(dir)/after.tmp \(dir)/after
      """
    return script
  }

  /// The pane's terminal device, such as /dev/pts/3.
  func paneTTY() throws -> String {
    try tmuxCommand(["display-message", "-p", "#{pane_tty}"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The pane terminal's modes as `stty -g` prints them, read from outside.
  func paneModes() throws -> String {
    let stty = try #require(TestTools.executable(named: "stty"))
    return try TestTools.run(stty, ["-g", "-F", try paneTTY()]).output
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Polls until the pane terminal's modes equal `modes`; returns whether they did in time.
  func waitForModes(_ modes: String, timeout: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while (try? paneModes()) != modes {
      guard Date() < deadline else { return false }
      usleep(20_000)
    }
    return true
  }

  /// Kills the tmux server and removes the files.
  func stop() {
    _ = try? TestTools.run(tmux, ["-L", socket, "kill-server"])
    if let serverPID {
      // The server normally exits at once; if a pane program ignores the hang-up, end it.
      let deadline = Date().addingTimeInterval(2)
      while Self.isRunning(serverPID), Date() < deadline { usleep(20_000) }
      if Self.isRunning(serverPID) { kill(serverPID, SIGKILL) }
    }
    if let socketPath { try? FileManager.default.removeItem(atPath: socketPath) }
    try? FileManager.default.removeItem(at: directory)
  }

  @discardableResult
  func tmuxCommand(_ arguments: [String]) throws -> String {
    let result = try TestTools.run(tmux, ["-L", socket, "-u"] + arguments)
    return result.output
  }

  /// Types `text` literally.
  func type(_ text: String) throws { try tmuxCommand(["send-keys", "-l", text]) }

  /// Presses keys by tmux name (`Home`, `C-a`, `M-b`, `F5`, `Escape`).
  func press(_ keys: String...) throws { try tmuxCommand(["send-keys"] + keys) }

  /// Pastes `text` as a bracketed paste when the program asked for it.
  func paste(_ text: String) throws {
    try tmuxCommand(["set-buffer", "--", text])
    try tmuxCommand(["paste-buffer", "-p"])
  }

  /// Resizes the window.
  func resize(width: Int, height: Int) throws {
    try tmuxCommand(["resize-window", "-x", "\(width)", "-y", "\(height)"])
  }

  /// The pane's rows as text, trailing spaces trimmed.
  func screen() -> [String] {
    guard let output = try? tmuxCommand(["capture-pane", "-p"]) else { return [] }
    return output.split(separator: "\n", omittingEmptySubsequences: false).map {
      var line = String($0)
      while line.last == " " { line.removeLast() }
      return line
    }
  }

  /// The pane's rows and up to `lines` rows of its history, wrapped rows joined.
  func history(lines: Int = 3000) -> [String] {
    guard let output = try? tmuxCommand(["capture-pane", "-p", "-J", "-S", "-\(lines)"]) else {
      return []
    }
    return output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// Polls the screen until `predicate` holds or `timeout` seconds pass; returns the last screen
  /// and whether it matched.
  @discardableResult
  func waitForScreen(timeout: Double = 10, _ predicate: ([String]) -> Bool) -> (
    screen: [String], matched: Bool
  ) {
    let deadline = Date().addingTimeInterval(timeout)
    var lines = screen()
    while !predicate(lines) {
      guard Date() < deadline else { return (lines, false) }
      usleep(20_000)
      lines = screen()
    }
    return (lines, true)
  }

  /// Waits until a row contains `text`; records an issue showing the screen if it never does.
  @discardableResult
  func expectRow(
    containing text: String, timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [String] {
    let result = waitForScreen(timeout: timeout) { $0.contains { $0.contains(text) } }
    #expect(
      result.matched,
      "no row contains \"\(text)\"; screen:\n\(result.screen.joined(separator: "\n"))",
      sourceLocation: sourceLocation)
    return result.screen
  }

  /// Saves the open form with Ctrl-S and waits for the app to say "saved: `what`".
  func save(expecting what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try press("C-s")
    expectRow(containing: "saved: \(what)", sourceLocation: sourceLocation)
  }

  /// Waits until a row contains `text` and no row contains `absent` (a list narrowed to what
  /// was typed); records an issue starting with `failure` and showing the screen if it never
  /// does.
  func expectRow(
    containing text: String, without absent: String, else failure: String,
    timeout: Double = 10, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let result = waitForScreen(timeout: timeout) { rows in
      rows.contains { $0.contains(text) } && !rows.contains { $0.contains(absent) }
    }
    #expect(
      result.matched, "\(failure):\n\(result.screen.joined(separator: "\n"))",
      sourceLocation: sourceLocation)
  }

  /// The contents of a file the wrapper writes, once it exists (nil after `timeout` seconds).
  func file(_ name: String, timeout: Double = 10) -> String? {
    let path = directory.appendingPathComponent(name).path
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: path, encoding: .utf8) {
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
      }
      usleep(20_000)
    }
    return nil
  }

  /// The program's process id.
  func programPID() throws -> pid_t {
    let text = try #require(file("pid"), "the program did not start")
    return try #require(pid_t(text), "bad pid file: \(text)")
  }

  /// Whether `pid` is a live process (not gone, not a zombie nobody reaped).
  static func isRunning(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else {
      return kill(pid, 0) == 0
    }
    guard let end = stat.range(of: ") ", options: .backwards) else { return false }
    return stat[end.upperBound...].first != "Z"
  }

  static func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}

extension TmuxSession {
  /// Starts an interactive bash (job control on), waits for its prompt and returns the session
  /// with the pane's modes under the shell.
  static func startInteractiveShell() throws -> (shell: TmuxSession, modes: String) {
    let shell = try TmuxSession(
      interactiveShell: try #require(TestTools.executable(named: "bash")))
    shell.expectRow(containing: "$")
    return (shell, try shell.paneModes())
  }

  /// Starts the toolkit demo (`learnlog-tui-demo`) with `arguments` in a pane of its own.
  static func startToolkitDemo(arguments: [String] = []) throws -> TmuxSession {
    try TmuxSession(program: try TestTools.binary("learnlog-tui-demo"), arguments: arguments)
  }

  /// Runs `command` (shell words, quoted) as a job of this pane's shell, its pid written where
  /// `programPID()` reads it; waits for a row containing `firstRow` and returns the pid.
  func startJob(_ command: String, waitingFor firstRow: String) throws -> pid_t {
    let pidFile = directory.appendingPathComponent("pid").path
    let script = directory.appendingPathComponent("job.sh").path
    try Data("echo $$ > \(Self.shellQuoted(pidFile)); exec \(command)\n".utf8)
      .write(to: URL(fileURLWithPath: script))
    try type("sh \(Self.shellQuoted(script))")
    try press("Enter")
    expectRow(containing: firstRow)
    return try programPID()
  }

  /// Stops the shell's job `pid`, by Ctrl-Z when `how` is "ctrl-z" and by SIGTSTP otherwise;
  /// returns whether it stopped (state T in /proc) within `timeout` seconds.
  func stopJob(
    _ pid: pid_t, by how: String, timeout: Double = 10,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Bool {
    if how == "ctrl-z" {
      try press("C-z")
    } else {
      #expect(kill(pid, SIGTSTP) == 0, sourceLocation: sourceLocation)
    }
    return TestTools.waitUntil(timeout: timeout) { Self.isStopped(pid) }
  }

  /// Brings the shell's stopped job back to the foreground with `fg`.
  func resumeJob() throws {
    try type("fg")
    try press("Enter")
  }

  /// Whether process `pid` is stopped (state T in /proc).
  static func isStopped(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let end = stat.range(of: ") ", options: .backwards)
    else { return false }
    return stat[end.upperBound...].first == "T"
  }

  /// Loads the demo data with `d` once rows containing each of `firstRows` show, and waits for
  /// the app to say it is loaded.
  func loadDemo(
    after firstRows: [String] = ["Welcome to learnlog"],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    for row in firstRows { expectRow(containing: row, sourceLocation: sourceLocation) }
    try press("d")
    expectRow(containing: "demo data loaded", sourceLocation: sourceLocation)
  }
}
