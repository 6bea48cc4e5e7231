import Foundation
import LearningLog
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// No command writes over the log, its lock, the private notes, the cache, a directory or a
/// non-regular file; no command opens a directory, a device, a FIFO or `--file ""` as a log.
///
/// The commands and their file arguments come from the argument parser's own tree
/// (`--experimental-dump-help`), so a new command or a new output option cannot be forgotten.
@Suite("protected files, every command")
struct CLIProtectedFilesTests {
  /// One argument of one command, from the parser's tree.
  struct Argument: Hashable {
    var command: String
    var name: String
    var kind: String
    var abstract: String
  }

  /// Every command path (leaf commands) and every argument, read from the binary.
  static func tree(_ cli: CLISandbox) throws -> (commands: [String], arguments: [Argument]) {
    let dump = try cli.run(["--experimental-dump-help"])
    let root = try #require(try dump.json() as? [String: Any])
    let top = try #require(root["command"] as? [String: Any])
    var commands: [String] = []
    var arguments: [Argument] = []
    func walk(_ c: [String: Any], _ path: [String]) {
      let subs = (c["subcommands"] as? [[String: Any]]) ?? []
      for a in (c["arguments"] as? [[String: Any]]) ?? [] {
        let names = ((a["names"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        let name = names.first ?? (a["valueName"] as? String) ?? "?"
        arguments.append(
          Argument(
            command: path.joined(separator: " "), name: name,
            kind: (a["kind"] as? String) ?? "", abstract: (a["abstract"] as? String) ?? ""))
      }
      if subs.isEmpty && !path.isEmpty { commands.append(path.joined(separator: " ")) }
      for s in subs {
        if let name = s["commandName"] as? String, name != "help" { walk(s, path + [name]) }
      }
    }
    walk(top, [])
    return (commands, arguments)
  }

  /// An argument that names a file the command writes.
  static func writesAFile(_ a: Argument) -> Bool {
    a.name == "output" || a.abstract.lowercased().contains("replaced by the result")
      || a.abstract.lowercased().contains("write to this file")
  }

  /// How to run each writing argument with `target` as the file written (the log is
  /// `cli.log`; `copy` is a scratch copy of it).
  static let writers: [String: @Sendable (_ target: String, _ copy: String) -> [String]] = [
    "export output": { t, _ in ["export", "--format", "csv", "--output", t] },
    "merge-driver ours": { t, c in ["merge-driver", c, t, c] },
  ]

  /// The protected kinds of target, each made in `cli`: its path.
  static func targets(_ cli: CLISandbox) throws -> [(String, String)] {
    let dir = PathName.directory(of: cli.log)
    let fm = FileManager.default
    // The private notes exist (a note), so their file and lock are real files.
    let notes = PrivateStore(directory: cli.directory + "/home/data/learnlog/private")
    notes.writerID = "cli-test"
    try notes.append(RecordDraft(type: "note.added", entity: "n1", body: ["text": "private"]))
    // A read through the cache leaves a snapshot there.
    _ = try cli.run(["incident", "list"])
    let cacheDir = cli.directory + "/home/.cache/learnlog"
    let snapshot = try #require(
      try fm.contentsOfDirectory(atPath: cacheDir).first { $0.hasSuffix(".snapshot") },
      "no snapshot in \(cacheDir)")
    let symlink = dir + "/link-to-log"
    try fm.createSymbolicLink(atPath: symlink, withDestinationPath: cli.log)
    let hardlink = dir + "/hard-link-to-log"
    #expect(link(cli.log, hardlink) == 0)
    let fifo = cli.directory + "/fifo"
    #expect(mkfifo(fifo, 0o644) == 0)
    return [
      ("the log", cli.log),
      ("the log by another spelling", dir + "/./../team//log.jsonl"),
      ("a symbolic link to the log", symlink),
      ("a hard link to the log", hardlink),
      ("the log's lock file", cli.log + ".lock"),
      ("the private notes file", notes.path),
      ("the private notes' lock file", notes.path + ".lock"),
      ("a new file in the private notes directory", notes.directory + "/export.csv"),
      ("a snapshot in the cache", cacheDir + "/" + snapshot),
      ("a new file in the cache", cacheDir + "/export.csv"),
      ("a directory", cli.directory),
      ("a character device", "/dev/null"),
      ("a FIFO", fifo),
    ]
  }

  @Test("every output path of every command refuses every protected file, the log unchanged")
  func everyOutputRefusesEveryProtectedFile() throws {
    let cli = try CLISandbox()
    #expect(cli.run0(["demo"]) == 0)
    let (_, arguments) = try Self.tree(cli)
    let writing = Set(arguments.filter(Self.writesAFile).map { "\($0.command) \($0.name)" })
    #expect(
      writing == Set(Self.writers.keys),
      "commands that write a file changed: \(writing.sorted()); add each to `writers`")
    let targets = try Self.targets(cli)
    let copy = cli.directory + "/copy.jsonl"
    try cli.bytes(cli.log).write(to: URL(fileURLWithPath: copy))
    var cases = 0
    var bytesChecked = 0
    for (writer, args) in Self.writers.sorted(by: { $0.key < $1.key }) {
      for (what, target) in targets {
        let log = cli.bytes(cli.log)
        let before = cli.bytes(target)
        let r = try cli.run(args(target, copy))
        cases += 1
        let label = "\(writer) onto \(what) (\(target))"
        #expect(r.status != 0, "\(label) was accepted")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && r.stderr.hasPrefix("error: "), "\(label): \(r.stderr)")
        #expect(
          r.stderr.contains("refusing to write") || r.stderr.contains("not a regular file"),
          "\(label): \(r.stderr)")
        #expect(cli.bytes(cli.log) == log, "\(label) changed the log")
        if what != "a FIFO" && what != "a character device" {
          #expect(cli.bytes(target) == before, "\(label) changed the target")
        }
        bytesChecked += log.count
      }
    }
    #expect(try LogStore.inspect(path: cli.log).isClean)
    // A plain new file still works.
    #expect(cli.run0(["export", "--format", "csv", "--output", cli.directory + "/ok.csv"]) == 0)
    print(
      "protected outputs: \(Self.writers.count) writing arguments × \(targets.count) protected "
        + "kinds = \(cases) refusals, \(bytesChecked) log bytes compared, 0 changed")
  }

  /// Arguments that make each leaf command reach its open of the log.
  static let sampleArguments: [String: [String]] = [
    "init": ["init"],
    "incident add": ["incident", "add", "--title", "t"],
    "incident list": ["incident", "list"],
    "incident show": ["incident", "show", "abc"],
    "incident set": ["incident", "set", "abc", "title", "t"],
    "review": ["review", "abc", "--answer", "what=x"],
    "action add": ["action", "add", "abc", "--title", "t", "--owner", "o", "--due", "2026-12-31"],
    "action start": ["action", "start", "abc"],
    "action done": ["action", "done", "abc"],
    "action drop": ["action", "drop", "abc", "--reason", "r"],
    "action verify": ["action", "verify", "abc", "--outcome", "verified"],
    "action list": ["action", "list"],
    "experiment add": [
      "experiment", "add", "abc", "--hypothesis", "h", "--criteria", "c", "--check", "2026-12-31",
    ],
    "experiment result": ["experiment", "result", "abc", "--decision", "adopt"],
    "lesson add": ["lesson", "add", "--text", "t"],
    "lesson list": ["lesson", "list"],
    "note add": ["note", "add", "abc", "--text", "t"],
    "patterns": ["patterns"],
    "today": ["today"],
    "stats": ["stats"],
    "export": ["export", "--format", "json"],
    "import": ["import", "IMPORT"],
    "check": ["check"],
    "repair": ["repair", "--yes"],
    "demo": ["demo"],
    "git-setup": ["git-setup"],
    "sync": ["sync"],
    "template list": ["template", "list"],
    "template show": ["template", "show", "t"],
    "template add": ["template", "add", "t", "--question", "a:text:b"],
    "template revise": ["template", "revise", "t", "--remove", "a"],
    "checklist add": ["checklist", "add", "c", "--item", "i"],
    "checklist revise": ["checklist", "revise", "c", "--add", "i", "--because", "abc"],
    "checklist list": ["checklist", "list"],
    "checklist show": ["checklist", "show", "c"],
    "factor add": ["factor", "add", "abc", "--text", "t", "--gap", "process"],
    "timeline add": ["timeline", "add", "abc", "--at", "10:00", "--text", "t"],
    "experiment list": ["experiment", "list"],
    "experiment show": ["experiment", "show", "abc"],
    "note list": ["note", "list"],
    "note show": ["note", "show", "abc"],
    "action retire": ["action", "retire", "abc", "--decision", "keep", "--reason", "r"],
    "review-schedule": ["review", "schedule", "abc", "--on", "2026-12-31"],
    "win add": ["win", "add", "--title", "t"],
    "win list": ["win", "list"],
    "recognition": ["recognition"],
  ]

  @Test("every command refuses a directory, a device, a FIFO and an empty --file, never blocking")
  func everyOpenRefusesNonRegularFiles() throws {
    let cli = try CLISandbox()
    let (commands, arguments) = try Self.tree(cli)
    let withFile = Set(arguments.filter { $0.name == "file" && $0.kind == "option" }.map(\.command))
    let expected = Set(commands).subtracting(["merge-driver"])
    #expect(
      withFile.isSuperset(of: expected),
      "commands without --file: \(expected.subtracting(withFile))")
    #expect(
      Set(Self.sampleArguments.keys) == expected,
      "commands changed: \(expected.symmetricDifference(Self.sampleArguments.keys).sorted())")
    let fifo = cli.directory + "/fifo"
    #expect(mkfifo(fifo, 0o644) == 0)
    let importFile = cli.file("in.json", "{}")
    let kinds = [
      ("a directory", cli.directory, "directory"),
      ("a character device", "/dev/null", "character device"),
      ("a FIFO", fifo, "FIFO"),
      ("an empty --file", "", "--file is empty"),
    ]
    var cases = 0
    for command in expected.sorted() {
      let args = (Self.sampleArguments[command] ?? []).map { $0 == "IMPORT" ? importFile : $0 }
      for (what, path, says) in kinds {
        let r = try cli.run(["--file", path] + args)
        cases += 1
        #expect(r.status != 0, "\(command) --file \(what) was accepted")
        #expect(r.stderr.hasPrefix("error: "), "\(command) --file \(what): \(r.stderr)")
        let expected = command == "init" && !path.isEmpty ? "already exists" : says
        #expect(r.stderr.contains(expected), "\(command) --file \(what): \(r.stderr)")
      }
      // Spelled after the command too.
      let r = try cli.run(args + ["--file", fifo])
      cases += 1
      #expect(r.status != 0 && r.stderr.contains(command == "init" ? "already exists" : "FIFO"))
    }
    var st = stat()
    #expect(stat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR, "/dev/null replaced")
    #expect(stat(fifo, &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO, "the FIFO was replaced")
    print(
      "non-regular logs: \(expected.count) commands × \(kinds.count) kinds + after-command "
        + "spelling = \(cases) refusals, no hang, nothing replaced")
  }

  @Test("git-setup never writes its files over the log nor waits on a FIFO named .gitignore")
  func gitSetupFilesFollowTheSameRule() throws {
    let cli = try CLISandbox()
    let repo = cli.directory + "/repo"
    let log = repo + "/.learnlog/log.jsonl"
    try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
    #expect(
      try CLIReadOnlyLogTests.spawn(
        ["/usr/bin/env", "git", "-C", repo, "init", "-q"], environment: cli.environment
      ).status == 0)
    #expect(cli.run0(["--file", log, "demo"]) == 0)
    let before = cli.bytes(log)
    try FileManager.default.createSymbolicLink(
      atPath: repo + "/.gitattributes", withDestinationPath: ".learnlog/log.jsonl")
    let linked = try cli.run(["--file", log, "git-setup"])
    #expect(linked.status != 0 && linked.stderr.contains("refusing to write"), "\(linked.stderr)")
    #expect(cli.bytes(log) == before)
    try FileManager.default.removeItem(atPath: repo + "/.gitattributes")
    #expect(mkfifo(repo + "/.gitignore", 0o644) == 0)
    let fifo = try cli.run(["--file", log, "git-setup"])
    #expect(fifo.status != 0 && fifo.stderr.contains("FIFO"), "\(fifo.stderr)")
    #expect(cli.bytes(log) == before)
  }
}
