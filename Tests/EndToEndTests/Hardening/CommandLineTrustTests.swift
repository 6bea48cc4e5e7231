import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The command line's edges: private text off argv, arguments that are not UTF-8, long echoed
/// values, data formats to a pipe and to a terminal, and one writer for every byte printed.
@Suite(.serialized) struct CommandLineTrustTests {
  /// `/proc/PID/cmdline` of a running process, its arguments joined by spaces.
  static func commandLine(_ pid: Int32) -> String {
    let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
    return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
  }

  /// Starts `learnlog arguments` with standard input on a pipe, reads its command line as any
  /// local user could while it waits for input, then writes `input` and waits.
  static func runWatchingArgv(_ cli: CLISandbox, _ arguments: [String], input: String) throws
    -> (status: Int32, argv: String)
  {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: cli.binary)
    p.arguments = arguments
    p.environment = cli.environment
    let stdin = Pipe()
    p.standardInput = stdin
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    // Every moment of the process's life is the same: read it until it exits or 2 s pass.
    var seen = ""
    for _ in 0..<20 {
      let now = commandLine(p.processIdentifier)
      if now.contains("note") { seen = now }
      if !seen.isEmpty { break }
      usleep(10_000)
    }
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    p.waitUntilExit()
    return (p.terminationStatus, seen)
  }

  @Test("note add reads the private text from standard input: /proc/PID/cmdline never holds it")
  func privateTextNeverOnArgv() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "t"])
    var rounds = 0
    var saved = 0
    for (n, arguments) in [["note", "add", inc], ["note", "add", inc, "--text", "-"]].enumerated() {
      for k in 0..<5 {
        let marker = "canary-\(n)-\(k)-\(UUID().uuidString)"
        let (status, argv) = try Self.runWatchingArgv(cli, arguments, input: marker + "\n")
        #expect(status == 0)
        #expect(argv.contains("note add"), "the process was not seen: \(argv)")
        #expect(!argv.contains(marker), "the note was on the command line: \(argv)")
        let notes = String(decoding: cli.bytes(cli.privateFile), as: UTF8.self)
        #expect(notes.contains(marker), "the note was not saved")
        if status == 0 && notes.contains(marker) && !argv.contains(marker) { saved += 1 }
        #expect(!notes.contains(marker + "\\n"), "the trailing newline was kept")
        #expect(!String(decoding: cli.bytes(cli.log), as: UTF8.self).contains(marker))
        rounds += 1
      }
    }
    // The observation can fail: with --text TEXT (kept for scripts), the text is on argv.
    let marker = "visible-\(UUID().uuidString)"
    let (status, argv) = try Self.runWatchingArgv(
      cli, ["note", "add", inc, "--text", marker], input: "")
    #expect(status == 0)
    #expect(argv.contains(marker))
    // An empty note from standard input is refused, naming the way to give one.
    let empty = try cli.run(["note", "add", inc], stdin: "  \n")
    #expect(empty.status == 1 && empty.stderr.contains("the note on standard input is empty"))
    // --help says where the text should come from, and that --text is visible.
    let help = try cli.ok(["note", "add", "--help"])
    #expect(help.contains("standard input") && help.contains("visible to other local users"))
    print(
      "private text off argv: \(saved) of \(rounds) notes saved through standard input and "
        + "not seen in /proc/PID/cmdline; --text shows it there (the control)")
  }

  @Test("on a terminal, note add opens $EDITOR and saves what was written there")
  func noteFromTheEditor() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let inc = try cli.ok(["incident", "add", "--title", "t"])
    let marker = "from-the-editor-\(UUID().uuidString)"
    let editor = cli.file("editor.sh", "#!/bin/sh\nprintf '%s\\n' '\(marker)' > \"$1\"\n")
    chmod(editor, 0o755)
    var env = cli.environment
    // Run through sh, so the script is read, not executed: a child forked meanwhile by another
    // test can still hold the file open for writing, and exec would fail with "Text file busy".
    env["EDITOR"] = "sh \(editor)"
    env["TERM"] = "xterm"
    let r = try TerminalOutputMatrixTests.runOnTerminal(
      cli.binary, ["note", "add", inc], directory: cli.directory, environment: env,
      inputOnTerminal: true)
    #expect(r.status == 0, "\(String(decoding: r.terminal, as: UTF8.self))")
    #expect(String(decoding: cli.bytes(cli.privateFile), as: UTF8.self).contains(marker))
    // An editor that fails leaves nothing saved and says how else to give the note.
    env["EDITOR"] = "false"
    let failed = try TerminalOutputMatrixTests.runOnTerminal(
      cli.binary, ["note", "add", inc], directory: cli.directory, environment: env,
      inputOnTerminal: true)
    #expect(failed.status == 1)
    #expect(String(decoding: failed.terminal, as: UTF8.self).contains("standard input"))
  }

  @Test("an argument that is not UTF-8 is refused, naming it, instead of becoming U+FFFD")
  func invalidUTF8Arguments() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let before = cli.bytes(cli.log)
    // Through sh: a Swift string cannot hold the raw bytes.
    for (script, named) in [
      (
        "exec \"$0\" incident add --title \"$(printf 'ab\\377\\376')\"",
        "argument 4 ('ab\\xFF\\xFE', after '--title')"
      ),
      (
        "exec \"$0\" incident list --team \"$(printf '\\303')\"",
        "argument 4 ('\\xC3', after '--team')"
      ),
      ("exec \"$0\" \"$(printf '\\355\\240\\200')\"", "argument 1 ('\\xED\\xA0\\x80')"),
    ] {
      let r = try cli.run(["-c", script, cli.binary], program: "/bin/sh")
      #expect(r.status == 2, "\(r.stderr)")
      #expect(r.stderr.hasPrefix("error: \(named) is not valid UTF-8"), "\(r.stderr)")
      #expect(r.stderr.split(separator: "\n").count == 1)
    }
    #expect(cli.bytes(cli.log) == before)
  }

  @Test("an error never echoes a long argument whole: 80 columns, then …; the advice is kept")
  func echoedValuesAreCapped() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let huge = "\u{1B}]0;PWNED\u{07}" + String(repeating: "y", count: 100_000)
    for args in [
      ["incident", "list", "--kind", huge], ["incident", "show", huge],
      ["export", "--format", huge],
      ["export", "--format", "csv", "--table", huge], ["review", "x", "--answer", huge],
      ["incident", huge], [huge], ["import", huge], ["incident", "list", "--limit", huge],
      ["action", "verify", huge, "--outcome", "verified"],
    ] {
      let r = try cli.run(args)
      #expect(r.status != 0)
      #expect(r.stderr.hasPrefix("error: "))
      #expect(r.stderr.count < 600, "\(args.prefix(3)): \(r.stderr.count) characters")
      #expect(!r.stderr.contains("\u{1B}"))
      if r.stderr.contains("^[]0;PWNED^G") {
        #expect(r.stderr.contains("yyy…"), "\(r.stderr.prefix(200))")
      }
    }
  }

  @Test("CSV and JSON keep their exact bytes on a pipe and are escaped on a terminal")
  func dataFormatsOnPipesAndTerminals() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let title = "raw \u{1B}]0;PWNED\u{07} \u{9B}31m \u{202E}x"
    try cli.ok(["incident", "add", "--title", title, "--what", "tab\there"])
    // To a pipe: the data as written, so it imports back byte for byte.
    let csv = try cli.run(["export", "--format", "csv"])
    #expect(csv.stdout.contains(title))
    #expect(csv.stdout.contains("\r\n"))
    let copy = try CLISandbox()
    try copy.ok(["init"])
    _ = try copy.ok(["import", copy.file("back.csv", csv.stdout)])
    #expect(try copy.ok(["export", "--format", "csv"]).contains(title))
    // To a terminal: escaped, lines ending in a line feed.
    var env = cli.environment
    env["TERM"] = "xterm"
    for format in ["csv", "json", "markdown"] {
      let r = try TerminalOutputMatrixTests.runOnTerminal(
        cli.binary, ["export", "--format", format], directory: cli.directory, environment: env)
      let bad = TerminalOutputMatrixTests.forbidden(in: r.terminal, ownSequencesAllowed: false)
      #expect(bad.isEmpty, "\(format) to a terminal: raw \(bad)")
      #expect(r.terminal.count > 50)
      // One line a row, as on a pipe; CRLF shown as a line break, not ^M^J.
      let shown = String(decoding: r.terminal, as: UTF8.self)
      #expect(!shown.contains("^M") && !shown.contains("^J"), "\(format): \(shown.prefix(300))")
      #expect(shown.split(separator: "\n").count >= 2)
    }
  }

  @Test("no command writes to standard output or error but through the one writer")
  func oneWriterForEveryByte() throws {
    let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/learnlog")
    let files = try #require(FileManager.default.subpaths(atPath: sources.path))
      .filter { $0.hasSuffix(".swift") }
    #expect(files.count >= 10)
    // Calls that would write to descriptors 1 or 2 without the sanitiser.
    let forbidden = [
      #"(?<![.\w])print\("#, #"debugPrint\("#, #"dump\("#, "FileHandle.standardOutput",
      "FileHandle.standardError", #"\bfputs\("#, #"\bputs\("#, #"\bfwrite\("#, #"\bputchar\("#,
      #"\bdprintf\("#, #"\bprintf\("#, #"STDOUT_FILENO"#, #"STDERR_FILENO"#,
      #"\bwrite\(\s*[12]\s*,"#,
      #"Glibc\.write"#, #"Darwin\.write"#, #"[(,]\s*std(out|err)\s*[,)]"#, #"/dev/tty"#,
    ]
    var hits: [String] = []
    var scanned = 0
    for file in files where file != "Support/Output.swift" {
      let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
      scanned += 1
      for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let code =
          line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first
          ?? ""
        for pattern in forbidden where code.range(of: pattern, options: .regularExpression) != nil {
          hits.append("\(file):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
        }
      }
    }
    #expect(hits.isEmpty, "writes that bypass Out:\n\(hits.joined(separator: "\n"))")
    // And Output.swift keeps its raw writer private to the file.
    let output = try String(
      contentsOf: sources.appendingPathComponent("Support/Output.swift"), encoding: .utf8)
    #expect(output.contains("fileprivate static func write("))
    #expect(!output.contains("static func raw(") && !output.contains("static func emit("))
    print(
      "one writer: \(scanned) command-line sources scanned, \(hits.count) direct writes to 1 or 2")
  }
}
