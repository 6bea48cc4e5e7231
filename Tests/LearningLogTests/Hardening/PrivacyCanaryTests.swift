import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// A random marker in private notes, then every path that could carry it somewhere else.
///
/// The marker must be found only in the private directory (0700) and its files (0600).
@Suite(.serialized) struct PrivacyCanaryTests {
  static func mode(_ path: String) -> UInt32? {
    (try? RealFileSystem().status(path: path)).flatMap { $0 }.map { $0.permissions & 0o777 }
  }

  /// Every regular file under `dir` holding `marker`.
  static func filesHolding(_ marker: String, under dir: String) -> [String] {
    let needle = Data(marker.utf8)
    var hits: [String] = []
    let walker = FileManager.default.enumerator(atPath: dir)
    while let rel = walker?.nextObject() as? String {
      let path = PathName.join(dir, rel)
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue
      else { continue }
      if let data = FileManager.default.contents(atPath: path), data.range(of: needle) != nil {
        hits.append(path)
      }
    }
    return hits.sorted()
  }

  /// Runs `git` in `dir`, returning its standard output.
  @discardableResult
  static func git(_ args: [String], in dir: String) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      ["git", "-c", "user.name=canary", "-c", "user.email=canary@example.invalid"]
      + args
    p.currentDirectoryURL = URL(fileURLWithPath: dir)
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "git \(args.joined(separator: " "))")
    return data
  }

  @Test(arguments: [0o000, 0o022] as [mode_t])
  func markerStaysInThePrivateFileOnEveryPath(mask: mode_t) throws {
    let root = try StoreFixture.tempDirectory("canary")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let old = umask(mask)
    defer { umask(old) }
    let marker = "canary-\(UUID().uuidString)"
    let repo = root + "/repo"
    let logPath = repo + "/.learnlog/log.jsonl"
    let privateDir = root + "/data/learnlog/private"
    let log = try LogStore.create(path: logPath)
    log.writerID = "writer-a"
    let priv = PrivateStore(directory: privateDir)
    priv.writerID = "writer-a"
    var state = LearningState()
    var seed: UInt64 = 1
    let today = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
    func perform(_ c: Command) throws -> Plan {
      seed += 1
      let plan = try state.plan(c, context: .seeded(seed, today: today))
      for r in try log.append({ _ in plan.shared }) { state.apply(r) }
      for d in plan.private { try priv.append(d) }
      return plan
    }

    // Create, then edit the incident and add a second note.
    let incident = try #require(
      try perform(.addIncident(NewIncident(title: "Public title", occurred: "2026-02-01")))
        .createdID)
    let note = try perform(.addNote(incident: incident, text: "first \(marker)"))
    #expect(note.shared.isEmpty && note.private.count == 1)
    _ = try perform(.setIncidentField(incident: incident, field: "what", value: "edited"))
    _ = try perform(.addNote(incident: incident, text: "second \(marker)\n\u{1B}[2J"))
    _ = try perform(
      .review(
        incident: incident, template: nil, answers: [ReviewAnswer(key: "gap", value: "skill")]))
    #expect(try priv.records().count >= 2)

    // Exports without private items hold no marker; with them, only the JSON asked for does.
    for r in try priv.records() { state.apply(r) }
    let exports = repo + "/exports"
    try FileManager.default.createDirectory(atPath: exports, withIntermediateDirectories: true)
    let shared = [
      ("export.json", Exporter.json(state, on: today)),
      ("digest.md", Exporter.markdown(state, since: today.adding(days: -90), until: today)),
      ("incidents.csv", Exporter.csv(state)),
      ("actions.csv", Exporter.csv(state, table: .actions)),
    ]
    for (name, text) in shared {
      #expect(!text.contains(marker), "\(name) carries the private marker")
      try Data(text.utf8).write(to: URL(fileURLWithPath: exports + "/" + name))
    }
    #expect(Exporter.json(state, on: today, includePrivate: true).contains(marker))

    // Errors of the private store and of note commands never echo the note's text.
    var messages: [String] = []
    func capture(_ body: () throws -> Void) {
      do {
        try body()
        Issue.record("expected an error")
      } catch {
        messages.append("\(error)")
      }
    }
    capture {
      _ = try state.plan(
        .addNote(incident: "nope", text: marker), context: .seeded(9, today: today))
    }
    capture {
      _ = try state.plan(
        .addNote(incident: incident, text: "  "), context: .seeded(9, today: today))
    }
    chmod(priv.path, 0o644)
    capture { _ = try priv.records() }
    capture {
      try priv.append(RecordDraft(type: "note.added", entity: "x", body: ["text": .string(marker)]))
    }
    chmod(priv.path, 0o600)
    chmod(privateDir, 0o755)
    capture { _ = try PrivateStore(directory: privateDir).records() }
    chmod(privateDir, 0o700)
    // A damaged line holding the marker, in the middle of the private file.
    let privBytes = try Data(contentsOf: URL(fileURLWithPath: priv.path))
    var damagedBytes = [UInt8](privBytes)
    if let at = damagedBytes.firstRange(of: Array(marker.utf8))?.lowerBound {
      damagedBytes[at + 1] ^= 0x01
    }
    try Data(damagedBytes).write(to: URL(fileURLWithPath: root + "/damaged-copy.jsonl"))
    chmod(root + "/damaged-copy.jsonl", 0o600)
    capture { _ = try LogStore.open(path: root + "/damaged-copy.jsonl") }
    capture { _ = try LogStore.open(path: root + "/damaged-copy.jsonl", readOnly: true) }
    try FileManager.default.removeItem(atPath: root + "/damaged-copy.jsonl")
    #expect(messages.count == 7)
    for m in messages {
      #expect(!m.contains(marker) && !m.contains(String(marker.dropFirst(7))), "leaked: \(m)")
      #expect(!m.contains("\n"), "one line: \(m)")
    }

    // Crash and repair of the shared log on real files: the backups hold no marker.
    let shareHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    try shareHandle.seekToEnd()
    try shareHandle.write(contentsOf: Data(#"{"id":"01torn"#.utf8))
    try shareHandle.close()
    var notices: [String] = []
    let reopened = try LogStore.open(path: logPath, notice: { notices.append($0) })
    #expect(notices.count == 1 && !notices[0].contains(marker))
    reopened.writerID = "writer-a"
    try reopened.append(RecordDraft(type: "test.after", entity: "x", body: ["n": 1]))
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: logPath)))
    bytes[bytes.count / 2] ^= 0x20
    try Data(bytes).write(to: URL(fileURLWithPath: logPath))
    let report = try LogStore.repair(path: logPath)
    #expect(report.changed)
    // And a torn tail of the private file: its backup stays private.
    let privHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: priv.path))
    try privHandle.seekToEnd()
    try privHandle.write(contentsOf: Data(#"{"id":"01torn-private","d":{"text":"x"#.utf8))
    try privHandle.close()
    let repairedPrivate = PrivateStore(directory: privateDir)
    #expect(try repairedPrivate.records().count >= 2)

    // Crash images of the same session on the fault layer: every image keeps the marker
    // only under the private directory.
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/home/.learnlog", permissions: 0o755)
    var images = 0
    fs.onSyncPoint = { f in
      for mode in [MemoryFileSystem.CrashMode.drop, .zeros, .tear(keeping: 7), .garble(seed: 3)] {
        let image = f.crashImage(mode)
        images += 1
        for path in image.allPaths where !path.hasPrefix("/priv") {
          let data = image.contents(path) ?? []
          #expect(data.firstRange(of: Array(marker.utf8)) == nil, "marker in \(path) after a crash")
        }
      }
    }
    let memLog = try LogStore.create(path: "/home/.learnlog/log.jsonl", fileSystem: fs)
    memLog.writerID = "w"
    let memPriv = PrivateStore(directory: "/priv/learnlog/private", fileSystem: fs)
    memPriv.writerID = "w"
    fs.currentUser = 1000
    try memLog.append(RecordDraft(type: "incident.created", entity: "i", body: ["title": "t"]))
    try memPriv.append(
      RecordDraft(type: "note.added", entity: "n", body: ["text": .string(marker)]))
    try memLog.append(RecordDraft(type: "incident.field.set", entity: "i", body: ["field": "what"]))
    try memPriv.append(
      RecordDraft(type: "note.added", entity: "n2", body: ["text": .string(marker)]))
    #expect(images > 8)

    // The snapshot cache of the shared state (written, then read back as a hit).
    let cache = SnapshotCache(directory: root + "/cache/learnlog")
    _ = try LearningState.load(path: logPath, cache: cache)
    _ = try LearningState.load(path: logPath, cache: cache)
    let snapshots = (try? FileManager.default.contentsOfDirectory(atPath: cache.directory)) ?? []
    #expect(!snapshots.isEmpty, "no snapshot was written")

    // Into git: the shared tree, exports and backups are committed; no object holds the marker.
    try Self.git(["init", "-q", "-b", "main"], in: repo)
    try Self.git(["add", "-A"], in: repo)
    try Self.git(["commit", "-q", "-m", "share"], in: repo)
    let objects = try Self.git(["cat-file", "--batch-all-objects", "--batch"], in: repo)
    #expect(!objects.isEmpty)
    #expect(objects.range(of: Data(marker.utf8)) == nil, "marker in a git object")

    // The sweep: the marker is in private files only, each 0600 in a 0700 directory.
    let holders = Self.filesHolding(marker, under: root)
    #expect(!holders.isEmpty)
    for path in holders {
      #expect(path.hasPrefix(privateDir + "/"), "marker outside the private directory: \(path)")
      #expect(
        Self.mode(path) == 0o600, "\(path) has mode \(String(Self.mode(path) ?? 0, radix: 8))")
    }
    #expect(Self.mode(privateDir) == 0o700)
    let privateFiles = try FileManager.default.contentsOfDirectory(atPath: privateDir)
    for name in privateFiles {
      #expect(Self.mode(privateDir + "/" + name) == 0o600, "\(name) is not 0600")
    }
    let backups = privateFiles.filter { $0.contains(".bak") }
    #expect(!backups.isEmpty, "the private torn tail left a backup")
    print(
      "privacy canary (umask \(String(mask, radix: 8))): \(holders.count) files hold the marker, "
        + "all private 0600 in a 0700 directory; 0 in \(shared.count) exports, \(messages.count) "
        + "error messages, shared-log backups, \(snapshots.count) cache snapshot, \(images) crash "
        + "images and every git object")
  }
}
