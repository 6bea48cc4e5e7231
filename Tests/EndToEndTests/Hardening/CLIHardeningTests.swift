import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The command line with terminal-injection text in every field, and the privacy canary
/// through every command that touches notes.
@Suite(.serialized) struct CLIHardeningTests {
  static let bidi =
    "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}"
    + "\u{061C}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{2028}\u{2029}"
  /// The attacks (no NUL: an argument cannot hold one).
  static let strings: [String] = [
    "c0 " + String(String.UnicodeScalarView((1..<0x20).compactMap(Unicode.Scalar.init)))
      + "\u{7F} end",
    "c1 " + String(String.UnicodeScalarView((0x80...0x9F).compactMap(Unicode.Scalar.init)))
      + " end",
    "clear \u{1B}[2J\u{1B}[H\u{1B}[31mred", "osc52 \u{1B}]52;c;ZWNobyBwd25lZA==\u{07} copied",
    "osc8 \u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\ here",
    "dcs \u{1B}P1$r0m\u{1B}\\ done", "unterminated osc \u{1B}]0;the title never ends",
    "bidi \u{202E}gnp.exe\u{202C} " + bidi, "carriage visible\roverwritten",
    "csi8 \u{9B}31m \u{9D}0;t\u{9C}",
    "long " + String(repeating: "ab\u{1B}[31m日本\u{202E}", count: 400),
  ]

  /// The scalars of `text` that must not reach a terminal (line feeds allowed).
  static func forbidden(_ text: String) -> [String] {
    var out: [String] = []
    for s in text.unicodeScalars {
      let v = s.value
      let bad =
        (v < 0x20 && v != 0x0A) || (0x7F...0x9F).contains(v) || bidi.unicodeScalars.contains(s)
      if bad, !out.contains(String(v, radix: 16)) { out.append(String(v, radix: 16)) }
    }
    return out
  }

  @Test func hostileTextNeverReachesTheTerminalThroughAnyCommand() throws {
    let cli = try CLISandbox()
    try cli.ok(["init"])
    var k = 0
    func next() -> String {
      defer { k += 1 }
      return Self.strings[k % Self.strings.count]
    }
    var incidents: [String] = []
    var actions: [String] = []
    for n in 0..<Self.strings.count {
      let inc = try cli.ok([
        "incident", "add", "--title", "t\(n) " + next(), "--what", next(), "--team", next(),
        "--owner", next(), "--tag", next(), "--trigger", next(), "--pattern", "db/timeout",
        "--occurred", "2026-01-1\(n % 10)",
      ]).trimmingCharacters(in: .whitespacesAndNewlines)
      incidents.append(inc)
      try cli.ok([
        "review", inc, "--answer", "root-cause=" + next(), "--answer", "expected=" + next(),
      ])
      let a = try cli.ok([
        "action", "add", inc, "--title", next(), "--owner", next(), "--due", "2026-01-20",
        "--signal", next(),
      ]).trimmingCharacters(in: .whitespacesAndNewlines)
      actions.append(a)
      if n % 2 == 0 {
        try cli.ok(["action", "drop", a, "--reason", next()])
      } else {
        try cli.ok(["action", "done", a])
        try cli.ok(["action", "verify", a, "--outcome", "verified", "--evidence", next()])
      }
      let e = try cli.ok([
        "experiment", "add", inc, "--hypothesis", next(), "--criteria", next(), "--check",
        "2026-02-01", "--change", next(),
      ]).trimmingCharacters(in: .whitespacesAndNewlines)
      try cli.ok(["experiment", "result", e, "--decision", "adopt", "--evidence", next()])
      try cli.ok([
        "lesson", "add", "--text", next(), "--incident", inc, "--team", next(), "--tag", next(),
      ])
      try cli.ok(["note", "add", inc, "--text", next()])
      try cli.ok(["incident", "set", inc, "owner", next()])
    }
    #expect(String(decoding: cli.bytes(cli.log), as: UTF8.self).contains("\\u001b]52"))
    var reads: [[String]] = [
      ["incident", "list"], ["action", "list"], ["lesson", "list"], ["patterns"], ["today"],
      ["stats"], ["check"], ["export", "--format", "markdown", "--since", "2025-01-01"],
      ["export", "--format", "json"], ["export", "--format", "json", "--include-private"],
      ["incident", "list", "--json"], ["action", "list", "--json"], ["lesson", "list", "--json"],
      ["today", "--json"], ["patterns", "--json"], ["stats", "--json"],
    ]
    for inc in incidents {
      reads += [["incident", "show", inc], ["incident", "show", inc, "--json"]]
    }
    var checked = 0
    for args in reads {
      let r = try cli.run(args)
      #expect(r.status == 0, "learnlog \(args.joined(separator: " ")): \(r.stderr)")
      #expect(!r.stdout.isEmpty)
      let bad = Self.forbidden(r.stdout) + Self.forbidden(r.stderr)
      #expect(bad.isEmpty, "learnlog \(args.joined(separator: " ")) printed raw \(bad.prefix(8))")
      checked += 1
    }
    // A file whose ids and fields are hostile: the refusal names them without raw controls.
    let export = try cli.ok(["export", "--format", "json"])
    let hostileID = export.replacingOccurrences(
      of: "\"id\": \"\(incidents[0])\"", with: "\"id\": \"\\u001b]52;c;eA==\\u0007\"")
    let file = cli.file("hostile.json", hostileID)
    for args in [["import", file], ["import", file, "--format", "json"]] {
      let r = try cli.run(args)
      let bad = Self.forbidden(r.stdout) + Self.forbidden(r.stderr)
      #expect(bad.isEmpty, "learnlog \(args.joined(separator: " ")) printed raw \(bad.prefix(8))")
      checked += 1
    }
    print(
      "hostile text through the command line: \(Self.strings.count) incidents with every field "
        + "hostile, \(checked) command outputs, 0 raw control, C1 or bidi scalars")
  }

  static func mode(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
  }

  @Test(arguments: [0o000, 0o022] as [mode_t])
  func privacyCanaryThroughTheCommandLine(mask: mode_t) throws {
    let old = umask(mask)
    defer { umask(old) }
    let cli = try CLISandbox()
    try cli.ok(["init"])
    let marker = "canary-\(UUID().uuidString)"
    let inc = try cli.ok(["incident", "add", "--title", "Public"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    var outputs: [String] = []
    func run(_ args: [String]) throws -> CLIResult {
      let r = try cli.run(args)
      outputs.append(r.stdout + r.stderr)
      return r
    }
    #expect(try run(["note", "add", inc, "--text", "one \(marker)"]).status == 0)
    #expect(try run(["incident", "set", inc, "what", "edited"]).status == 0)
    #expect(try run(["note", "add", inc, "--text", "two \(marker)"]).status == 0)
    // Bad note commands: the text is never echoed.
    #expect(try run(["note", "add", "no-such-incident", "--text", marker]).status != 0)
    #expect(try run(["note", "add", inc]).status != 0)
    #expect(try run(["note", "add", inc, "--text", "   "]).status != 0)
    // A private directory open to others is refused, naming the path, not the notes.
    let privateDir = (cli.privateFile as NSString).deletingLastPathComponent
    chmod(privateDir, 0o755)
    #expect(try run(["note", "add", inc, "--text", "three \(marker)"]).status != 0)
    #expect(try run(["export", "--format", "json", "--include-private"]).status != 0)
    chmod(privateDir, 0o700)
    // Every read and export, without private items.
    for args in [
      ["incident", "show", inc], ["incident", "show", inc, "--json"], ["incident", "list"],
      ["today"], ["stats", "--json"], ["check"], ["export", "--format", "markdown"],
      ["export", "--format", "csv"], ["export", "--format", "json"],
    ] {
      #expect(try run(args).status == 0, "\(args)")
    }
    let exports = cli.directory + "/team/exports"
    try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
    for f in ["json", "markdown", "csv"] {
      #expect(try run(["export", "--format", f, "--output", exports + "/plain.\(f)"]).status == 0)
    }
    // With private items asked for: a 0600 file outside the shared tree.
    let withPrivate = cli.directory + "/private-export.json"
    #expect(
      try run(["export", "--format", "json", "--include-private", "--output", withPrivate]).status
        == 0)
    #expect(Self.mode(withPrivate) == 0o600)
    // A torn tail and a repair of the shared log: backups carry no note.
    let h = try FileHandle(forWritingTo: URL(fileURLWithPath: cli.log))
    try h.seekToEnd()
    try h.write(contentsOf: Data(#"{"id":"01"#.utf8))
    try h.close()
    #expect(try run(["incident", "list"]).status == 0)
    var bytes = [UInt8](cli.bytes(cli.log))
    bytes[bytes.count / 2] ^= 0x20
    try Data(bytes).write(to: URL(fileURLWithPath: cli.log))
    #expect(try run(["check"]).status != 0)
    #expect(try run(["repair", "--yes"]).status == 0)
    #expect(try run(["check"]).status == 0)
    // Into git: no object holds the marker.
    let team = (cli.log as NSString).deletingLastPathComponent
    for args in [
      ["init", "-q"], ["add", "-A"],
      ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "share"],
    ] {
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = ["git", "-C", team] + args
      try p.run()
      p.waitUntilExit()
    }
    let cat = Process()
    cat.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    cat.arguments = ["git", "-C", team, "cat-file", "--batch-all-objects", "--batch"]
    let pipe = Pipe()
    cat.standardOutput = pipe
    try cat.run()
    let objects = pipe.fileHandleForReading.readDataToEndOfFile()
    cat.waitUntilExit()
    #expect(!objects.isEmpty)
    #expect(objects.range(of: Data(marker.utf8)) == nil, "the marker is in a git object")

    for o in outputs { #expect(!o.contains(marker), "echoed: \(o.prefix(200))") }
    // The sweep: only the private file and the export asked for hold the marker.
    var holders: [String] = []
    let walker = FileManager.default.enumerator(atPath: cli.directory)
    while let rel = walker?.nextObject() as? String {
      let path = cli.directory + "/" + rel
      if let d = FileManager.default.contents(atPath: path), d.range(of: Data(marker.utf8)) != nil {
        holders.append(path)
      }
    }
    #expect(Set(holders) == [cli.privateFile, withPrivate], "\(holders)")
    #expect(Self.mode(cli.privateFile) == 0o600 && Self.mode(privateDir) == 0o700)
    for name in try FileManager.default.contentsOfDirectory(atPath: privateDir) {
      #expect(Self.mode(privateDir + "/" + name) == 0o600, "\(name)")
    }
    print(
      "privacy canary through the command line (umask \(String(mask, radix: 8))): "
        + "\(outputs.count) commands, the marker only in the 0600 private file and the "
        + "0600 --include-private export; 0 in outputs, the log, backups, plain exports, git")
  }
}
