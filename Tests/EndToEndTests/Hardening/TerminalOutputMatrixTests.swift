import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Every command of the argument parser's own tree × hostile values in every argument and
/// option, on a log whose every text field (ids and keys included) is hostile: nothing the
/// real binary writes to a terminal holds a raw ESC, C0 (but line feed and tab), C1, DEL or
/// bidi control, and error lines hold none even on a pipe.
///
/// The commands come from `learnlog --experimental-dump-help` (the parser's command tree),
/// so a new command or option is in the matrix the day it is added.
@Suite(.serialized) struct TerminalOutputMatrixTests {
  /// The whole campaign (every hostile value in every slot) when set; else a rotating subset.
  static let stress = ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1"

  /// The hostile values, each one kind of attack (no NUL: an argument cannot hold one).
  static let hostile: [(name: String, value: String)] = [
    ("osc-title", "\u{1B}]0;PWNED\u{07}"),
    ("esc-csi", "a\u{1B}[2J\u{1B}[Hb\u{1B}[31mred"),
    (
      "c0",
      "c0 " + String(String.UnicodeScalarView((1..<0x20).compactMap(Unicode.Scalar.init)))
        + " end"
    ),
    ("c1", "c1 " + String(String.UnicodeScalarView((0x80...0x9F).compactMap(Unicode.Scalar.init)))),
    ("del", "del \u{7F} end"),
    (
      "bidi",
      "bidi \u{202E}gnp.exe\u{202C} \u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}"
    ),
    ("osc52", "\u{1B}]52;c;ZWNobyBwd25lZA==\u{07}"),
    ("100KB", String(repeating: "\u{1B}]0;PWNED\u{07}x\u{9B}\u{202E}", count: 6_000)),
  ]

  /// Whether `s` may never reach a terminal from data (line feed and tab may).
  static func isForbidden(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    if v == 0x0A || v == 0x09 { return false }
    if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
    switch v {
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// The escape sequences the command line itself writes to a terminal.
  ///
  /// Its colours and the progress line; everything else must be escaped.
  static let ownSequences = [
    "\r\u{1B}[K", "\u{1B}[0m", "\u{1B}[1m", "\u{1B}[2m", "\u{1B}[31m", "\u{1B}[32m",
    "\u{1B}[33m", "\u{1B}[36m",
  ]

  /// The forbidden scalars in `bytes` (its own colour and progress sequences removed), as hex;
  /// bytes that are not UTF-8 count as forbidden (an 8-bit C1 byte is one).
  static func forbidden(in bytes: [UInt8], ownSequencesAllowed: Bool) -> [String] {
    guard var text = String(validating: bytes, as: UTF8.self) else { return ["not UTF-8"] }
    if ownSequencesAllowed {
      for s in ownSequences { text = text.replacingOccurrences(of: s, with: "") }
    }
    var found: [String] = []
    for s in text.unicodeScalars where isForbidden(s) {
      let h = String(s.value, radix: 16)
      if !found.contains(h) { found.append(h) }
    }
    return found
  }

  // MARK: - Running the binary on a terminal

  /// What one run wrote.
  struct Run {
    var status: Int32
    /// Standard output and standard error as the terminal received them (tty mode), or
    /// standard output alone (pipe mode).
    var terminal: [UInt8]
    /// Standard error (pipe mode only).
    var stderr: [UInt8]
  }

  /// Runs `binary arguments` in `directory` with standard output and standard error on a new
  /// pseudo-terminal (output post-processing off, so the bytes are exactly the program's),
  /// standard input from /dev/null (or the terminal too, with `inputOnTerminal`).
  static func runOnTerminal(
    _ binary: String, _ arguments: [String], directory: String, environment: [String: String],
    inputOnTerminal: Bool = false
  ) throws -> Run {
    // /dev/ptmx, unlocked, and its pts number (grantpt is nothing on Linux's devpts).
    let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
    try #require(master >= 0, "open /dev/ptmx: \(errno)")
    defer { close(master) }
    var unlock: Int32 = 0
    try #require(ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0)
    var number: UInt32 = 0
    try #require(ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0)
    let name = "/dev/pts/\(number)"
    // Close-on-exec: a process another test starts meanwhile must not keep the terminal open.
    let slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
    try #require(slave >= 0, "open \(name): \(errno)")
    var mode = termios()
    tcgetattr(slave, &mode)
    mode.c_oflag &= ~tcflag_t(OPOST)
    mode.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(slave, TCSANOW, &mode)
    var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if inputOnTerminal {
      posix_spawn_file_actions_adddup2(&actions, slave, 0)
    } else {
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, slave, 1)
    posix_spawn_file_actions_adddup2(&actions, slave, 2)
    posix_spawn_file_actions_addclose(&actions, slave)
    let pid = try spawn(binary, arguments, directory: directory, environment, &actions)
    close(slave)
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let deadline = Date().addingTimeInterval(60)
    while true {
      var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
      let ready = poll(&p, 1, 1000)
      if ready < 0 && errno == EINTR { continue }
      if ready == 0 {
        if Date() > deadline {
          kill(pid, SIGKILL)
          Issue.record("learnlog \(arguments.prefix(4)) did not end within 60 s")
          break
        }
        continue
      }
      let n = read(master, &buffer, buffer.count)
      if n > 0 {
        out.append(contentsOf: buffer[0..<n])
        continue
      }
      if n < 0 && errno == EINTR { continue }
      break  // EIO: every copy of the slave is closed (the program ended)
    }
    return Run(status: wait(pid), terminal: out, stderr: [])
  }

  /// Runs `binary arguments` with standard output and standard error on pipes (files).
  static func runOnPipes(
    _ binary: String, _ arguments: [String], directory: String, environment: [String: String]
  ) throws -> Run {
    let out = directory + "/.matrix-out"
    let err = directory + "/.matrix-err"
    defer {
      unlink(out)
      unlink(err)
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let pid = try spawn(binary, arguments, directory: directory, environment, &actions)
    let status = wait(pid)
    func bytes(_ p: String) -> [UInt8] {
      [UInt8](FileManager.default.contents(atPath: p) ?? Data())
    }
    return Run(status: status, terminal: bytes(out), stderr: bytes(err))
  }

  /// Starts `binary arguments` in `directory` (through `sh -c 'cd … && exec …'`).
  static func spawn(
    _ binary: String, _ arguments: [String], directory: String, _ environment: [String: String],
    _ actions: inout posix_spawn_file_actions_t
  ) throws -> pid_t {
    let words = ["sh", "-c", "cd \"$0\" && exec \"$@\"", directory, binary] + arguments
    let argv = words.map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
    try #require(spawned == 0, "could not start \(binary): \(spawned)")
    return pid
  }

  /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
  static func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { break }
    }
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }

  // MARK: - The command tree

  /// One argument of a command, as the parser describes it.
  struct Argument {
    enum Kind: String { case positional, option, flag }
    var kind: Kind
    /// The long name of an option or flag; the value name of a positional.
    var name: String
    var isOptional: Bool
    /// The values an enumerated option accepts.
    var allValues: [String]

    /// How the argument is written on the command line.
    func words(_ value: String) -> [String] {
      switch kind {
      case .positional: return [value]
      case .option: return ["--\(name)", value]
      case .flag: return ["--\(name)"]
      }
    }
  }

  /// One command of the tree.
  struct Command {
    var path: [String]
    var arguments: [Argument]
  }

  /// Every command of the tree (groups included), from the binary's own description of it.
  static func commandTree(_ cli: CLISandbox) throws -> [Command] {
    let r = try cli.run(["--experimental-dump-help"])
    try #require(r.status == 0, "dump-help: \(r.stderr)")
    let root = try #require(
      (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["command"]
        as? [String: Any])
    var commands: [Command] = []
    func walk(_ node: [String: Any], _ path: [String]) {
      var arguments: [Argument] = []
      for a in node["arguments"] as? [[String: Any]] ?? [] {
        guard let kind = Argument.Kind(rawValue: a["kind"] as? String ?? "") else { continue }
        let preferred = (a["preferredName"] as? [String: Any])?["name"] as? String
        let name = kind == .positional ? a["valueName"] as? String : preferred
        guard let name, name != "help" else { continue }
        arguments.append(
          Argument(
            kind: kind, name: name, isOptional: a["isOptional"] as? Bool ?? true,
            allValues: a["allValues"] as? [String] ?? []))
      }
      commands.append(Command(path: path, arguments: arguments))
      for s in node["subcommands"] as? [[String: Any]] ?? [] {
        if let n = s["commandName"] as? String { walk(s, path + [n]) }
      }
    }
    walk(root, [])
    return commands
  }

  // MARK: - The hostile log

  /// An export whose every free-text field, id, key and name holds a hostile value; choice
  /// fields hold valid words (a hostile one is refused: see the import-error cases).
  static func hostileExport(ids: [String]) -> (json: [String: Any], fields: Int) {
    var k = 0
    var fields = 0
    func next() -> String {
      defer { k += 1 }
      fields += 1
      // The 100 KB value in every seventh field in the full campaign, in a few by default
      // (each command prints them all; they are what costs).
      let long = stress ? k % 7 == 6 : k % 31 == 30
      return long ? hostile[7].value : hostile[k % 7].value
    }
    func key() -> String {
      fields += 1
      return "k-" + String(hostile[k % 7].value.prefix(40))
    }
    let template = "tpl-" + hostile[0].value
    let qKey = "q-" + hostile[0].value
    var incidents: [[String: Any]] = []
    var actions: [[String: Any]] = []
    var experiments: [[String: Any]] = []
    var lessons: [[String: Any]] = []
    var notes: [[String: Any]] = []
    for (n, id) in ids.enumerated() {
      fields += 1  // the id
      incidents.append([
        "id": id, "title": "t\(n) " + next(), "what": next(), "kind": "production",
        "severity": "high", "status": "reviewing", "occurred": "2026-02-1\(n % 10)",
        "team": next(), "owner": next(), "tags": [next(), next()], "triggers": [next()],
        "patterns": [next()], "created": "2026-02-10T10:00:00Z", "createdBy": next(),
        "template": n == 0 ? template : "diagnostic",
        "answerHistory": [
          [
            "key": key(), "value": next(), "template": n == 0 ? template : "diagnostic",
            "at": "2026-02-11T10:00:00Z", "by": next(),
          ],
          [
            "key": n == 0 ? qKey : "root-cause", "value": next(),
            "template": n == 0 ? template : "diagnostic", "at": "2026-02-12T10:00:00Z",
            "by": next(),
          ],
          [
            "key": n == 0 ? qKey : "root-cause", "value": next(),
            "template": n == 0 ? template : "diagnostic", "at": "2026-02-13T10:00:00Z",
            "by": next(),
          ],
        ],
      ])
      let aid = id + "-act"
      fields += 1
      actions.append([
        "id": aid, "incident": id, "title": next(), "owner": next(), "type": "detect",
        "signal": next(), "status": n % 2 == 0 ? "dropped" : "done", "dropReason": next(),
        "due": "2026-03-01", "created": "2026-02-10T11:00:00Z",
        "done": n % 2 == 0 ? NSNull() : "2026-02-20T11:00:00Z",
        "verifications": n % 2 == 0
          ? []
          : [
            ["outcome": "verified", "evidence": next(), "at": "2026-02-21T11:00:00Z", "by": next()]
          ],
      ])
      fields += 1
      experiments.append([
        "id": id + "-exp", "incident": id, "hypothesis": next(), "change": next(),
        "criteria": next(), "check": "2026-04-01", "created": "2026-02-10T12:00:00Z",
        "createdBy": next(), "decision": "adopt", "result": next(),
      ])
      fields += 1
      lessons.append([
        "id": id + "-les", "text": next(), "incidents": [id], "teams": [next()], "tags": [next()],
        "patterns": [next()], "created": "2026-02-10T13:00:00Z", "author": next(),
        "revalidate": "2026-09-01",
      ])
      fields += 1
      notes.append([
        "id": id + "-note", "kind": "note", "incident": id, "person": next(), "text": next(),
        "at": "2026-02-10T14:00:00Z",
      ])
    }
    fields += 4
    let templates: [[String: Any]] = [
      [
        "name": template, "builtIn": false,
        "revisions": [
          [
            "title": next(), "at": "2026-02-01T10:00:00Z", "by": next(),
            "questions": [
              ["key": qKey, "prompt": next(), "kind": "text"],
              [
                "key": "pick-" + hostile[6].value, "prompt": next(), "kind": "choice",
                "choices": [next(), "plain"],
              ],
            ],
          ]
        ],
      ]
    ]
    return (
      [
        "format": "learnlog-export", "version": 1, "templates": templates,
        "incidents": incidents, "actions": actions, "experiments": experiments,
        "lessons": lessons, "private": notes,
      ], fields
    )
  }

  // MARK: - The matrix

  @Test("the terminal runner sees what a program writes, and the check flags raw controls")
  func theDetectorDetects() throws {
    let dir = FileManager.default.temporaryDirectory.path
    let r = try Self.runOnTerminal(
      "/bin/sh",
      ["-c", "printf 'ok\\033]0;PWNED\\007\\302\\233\\342\\200\\256\\n'; printf 'e\\n' >&2"],
      directory: dir, environment: ["PATH": "/usr/bin:/bin"])
    #expect(r.status == 0)
    #expect(String(decoding: r.terminal, as: UTF8.self).hasPrefix("ok"))
    #expect(String(decoding: r.terminal, as: UTF8.self).hasSuffix("e\n"))
    #expect(Self.forbidden(in: r.terminal, ownSequencesAllowed: true) == ["1b", "7", "9b", "202e"])
    #expect(
      Self.forbidden(
        in: Array("plain\ttext\n\u{1B}[1mbold\u{1B}[0m".utf8), ownSequencesAllowed: true
      ).isEmpty)
    #expect(Self.forbidden(in: [0x61, 0x9B, 0x62], ownSequencesAllowed: true) == ["not UTF-8"])
  }

  @Test(
    "every command × hostile values in every argument, on a log hostile in every field: no raw control reaches a terminal or an error line"
  )
  func everyCommandEveryArgumentEveryField() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    // Ids sharing a hostile prefix, so an ambiguous prefix lists hostile candidates.
    let ids = (1...4).map { "\u{1B}]0;pwned\u{07}-\u{202E}\($0)" }
    let (export, fieldCount) = Self.hostileExport(ids: ids)
    let exportFile = cli.directory + "/hostile.json"
    try JSONSerialization.data(withJSONObject: export).write(to: URL(fileURLWithPath: exportFile))
    let imported = try cli.run(["import", exportFile, "--include-private"])
    try #require(imported.status == 0, "the hostile export did not import: \(imported.stderr)")
    #expect(try cli.ok(["check"]).hasPrefix("ok:"))
    // A CSV of hostile cells (a copy of the log's incidents), for `import` as a data file.
    let csvFile = cli.file("hostile.csv", try cli.ok(["export", "--format", "csv"]) + "\n")
    let mergeBase = cli.directory + "/merge"

    var environment = cli.environment
    environment["TERM"] = "xterm-256color"
    environment["EDITOR"] = "false"
    environment["VISUAL"] = "false"
    let tree = try Self.commandTree(cli)
    // Every command that runs: the leaves, and the root (it opens the app).
    let leaves = tree.filter { c in
      c.path.isEmpty
        || !tree.contains { $0.path.count > c.path.count && $0.path.starts(with: c.path) }
    }

    /// A valid value for each argument, so the hostile one is the only thing wrong.
    func valid(_ command: Command, _ a: Argument) -> String {
      if let first = a.allValues.first { return first }
      if a.kind == .option && (a.name == "path" || a.name == "file") { return cli.log }
      switch (command.path.last ?? "", a.name) {
      case ("import", "file"): return exportFile
      case (_, "id"), (_, "incident"): return ids[0]
      case (_, "action"): return ids[1] + "-act"
      case (_, "experiment"): return ids[0] + "-exp"
      case (_, "field"): return "what"
      case (_, "value"), (_, "title"), (_, "text"), (_, "owner"), (_, "reason"): return "plain"
      case (_, "hypothesis"), (_, "criteria"), (_, "evidence"), (_, "signal"), (_, "change"):
        return "plain"
      case (_, "due"), (_, "check"), (_, "review"), (_, "revalidate"): return "2027-01-01"
      case (_, "since"), (_, "occurred"): return "2026-01-01"
      case (_, "answer"): return "expected=plain"
      case (_, "decision"): return "adopt"
      case (_, "outcome"): return "verified"
      case (_, "table"): return "incidents"
      case (_, "weeks"), (_, "limit"): return "3"
      case (_, "output"): return cli.directory + "/out.data"
      case (_, "base"), (_, "ours"), (_, "theirs"): return mergeBase + "-" + a.name
      default: return "plain"
      }
    }
    /// The base invocation: every required argument given a valid value.
    func base(_ command: Command, except skipped: Int? = nil) -> [String] {
      var words = command.path
      for (i, a) in command.arguments.enumerated() where i != skipped {
        if a.kind == .positional && !a.isOptional { words += a.words(valid(command, a)) }
        if a.kind == .option && !a.isOptional { words += a.words(valid(command, a)) }
      }
      return words
    }

    var runs = 0
    var bytesChecked = 0
    var slots = 0
    var covered: Set<String> = []
    var values: Set<String> = []
    var failures: [String] = []
    /// Runs `words` on a terminal and, with `pipes` (or in the full campaign), on pipes too.
    func check(_ words: [String], label: String, pipes withPipes: Bool = true) throws {
      // The merge driver overwrites "ours": fresh copies each time.
      for side in ["base", "ours", "theirs"] {
        try? FileManager.default.removeItem(atPath: mergeBase + "-" + side)
        try? FileManager.default.copyItem(atPath: cli.log, toPath: mergeBase + "-" + side)
      }
      let tty = try Self.runOnTerminal(
        cli.binary, words, directory: cli.directory, environment: environment)
      let pipes =
        withPipes || Self.stress
        ? try Self.runOnPipes(cli.binary, words, directory: cli.directory, environment: environment)
        : Run(status: 0, terminal: [], stderr: [])
      runs += withPipes || Self.stress ? 2 : 1
      bytesChecked += tty.terminal.count + pipes.stderr.count
      let shown = label
      if tty.status >= 128 || pipes.status >= 128 {
        failures.append("\(shown): ended by a signal (\(tty.status), \(pipes.status))")
      }
      let onTerminal = Self.forbidden(in: tty.terminal, ownSequencesAllowed: true)
      if !onTerminal.isEmpty {
        failures.append("\(shown): the terminal received raw \(onTerminal.prefix(6))")
      }
      let onPipe = Self.forbidden(in: pipes.stderr, ownSequencesAllowed: false)
      if !onPipe.isEmpty {
        failures.append("\(shown): standard error (a pipe) received raw \(onPipe.prefix(6))")
      }
      // An error line is one line, capped: no whole 100 KB value echoed.
      for line in String(decoding: pipes.stderr, as: UTF8.self).split(separator: "\n")
      where line.hasPrefix("error:") && line.unicodeScalars.count > 2_000 {
        failures.append("\(shown): an error line of \(line.unicodeScalars.count) characters")
      }
    }

    var k = 0
    for command in leaves {
      let name = (["learnlog"] + command.path).joined(separator: " ")
      // The command as a user runs it, on the hostile log: with no flag, each flag, each
      // value of an enumerated option, and --help.
      try check(base(command), label: name)
      covered.insert(name)
      for a in command.arguments where a.kind == .flag {
        try check(base(command) + a.words(""), label: "\(name) --\(a.name)", pipes: false)
      }
      for (i, a) in command.arguments.enumerated() where a.allValues.count > 1 {
        for v in a.allValues.dropFirst() {
          try check(
            base(command, except: i) + a.words(v), label: "\(name) --\(a.name) \(v)",
            pipes: false)
        }
      }
      if command.path.last == "export" {
        try check(
          base(command) + ["--format", "csv", "--table", "actions"], label: name + " csv actions",
          pipes: false)
      }
      if Self.stress { try check(command.path + ["--help"], label: "\(name) --help") }
      // Each argument hostile in turn; the rest valid.
      for (i, a) in command.arguments.enumerated() where a.kind != .flag {
        slots += 1
        // By default one value a slot, rotating so every value meets every kind of argument.
        let chosen = Self.stress ? Array(Self.hostile.indices) : [k % Self.hostile.count]
        k += 1
        for h in chosen {
          let (label, value) = Self.hostile[h]
          values.insert(label)
          var words = base(command, except: i)
          words += a.words(value)
          try check(words, label: "\(name) <\(a.name)=\(label)>")
        }
      }
    }
    // Paths the hostile log reaches only this way: an ambiguous hostile prefix, a hostile
    // CSV and a refused hostile cell of every choice column, an unknown hostile command.
    try check(["incident", "show", "\u{1B}]0;pwned"], label: "ambiguous hostile prefix")
    try check(["action", "start", "\u{1B}"], label: "ambiguous hostile action prefix")
    try check(["import", csvFile], label: "import hostile csv")
    for column in ["kind", "severity", "occurred", "title,kind" + Self.hostile[0].value] {
      let f = cli.file(
        "bad-\(column.count).csv", "title,\(column)\nplain,\(Self.hostile[0].value)\n")
      try check(["import", f], label: "import csv with a hostile \(column.prefix(10))")
    }
    for field in ["type", "status", "kind", "severity"] {
      var bad = export
      var incidents = bad["incidents"] as? [[String: Any]] ?? []
      incidents[0][field] = Self.hostile[0].value
      incidents[0]["id"] = "other-\(field)"
      bad["incidents"] = incidents
      bad["actions"] = []
      bad["experiments"] = []
      bad["lessons"] = []
      bad["templates"] = []
      let f = cli.directory + "/bad-\(field).json"
      try JSONSerialization.data(withJSONObject: bad).write(to: URL(fileURLWithPath: f))
      try check(["import", f], label: "import json with a hostile \(field)")
    }
    try check([Self.hostile[0].value, "list"], label: "unknown hostile command")
    try check(["incident", Self.hostile[7].value], label: "unknown 100 KB subcommand")
    let commands = Set(leaves.map { $0.path })
    #expect(
      covered.count == commands.count, "commands never run: \(commands.count - covered.count)")
    #expect(
      failures.isEmpty,
      "\(failures.count) leaks:\n\(failures.prefix(25).joined(separator: "\n"))")
    print(
      "terminal output matrix: \(commands.count) commands from the parser's tree, "
        + "\(slots) argument slots × \(values.count) hostile values"
        + " (\(Self.stress ? "all" : "1 rotating") per slot), a log with \(fieldCount) hostile "
        + "fields, \(runs) runs (terminal and pipe), \(bytesChecked) bytes checked, "
        + "\(failures.count) runs leaking a raw control, C1, DEL or bidi scalar")
  }
}
