import Foundation
import LearningLog
import Testing

/// `learnlog sync`, git-setup, conflicts without the attributes, and the privacy canary.
@Suite("sync, setup, conflicts and privacy")
struct GitSyncTests {
  @Test("sync commits only the log with a counting message, merges, pushes; two clones converge")
  func syncAcrossTwoClones() throws {
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    _ = try GitSetup.run(logPath: a.logPath, git: a.git, environment: a.env)
    let first = try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    #expect(first.commitMessage == "learnlog: share the log through git")
    #expect(Set(first.committedFiles) == [".learnlog/log.jsonl", ".gitattributes", ".gitignore"])
    #expect(!first.pulled && first.pushed)

    let b = try box.clone("b", writer: "writer-b")
    // An unrelated file, staged and unstaged, never goes into a sync commit.
    try Data("draft\n".utf8).write(to: URL(fileURLWithPath: PathName.join(a.dir, "draft.txt")))
    try a.run(["add", "draft.txt"])
    let i1 = try #require(try a.perform(.addIncident(NewIncident(title: "One"))).createdID)
    try a.perform(.addIncident(NewIncident(title: "Two")))
    try a.perform(.addAction(NewAction(incident: i1, title: "Fix", owner: "o", due: "2099-01-01")))
    try a.perform(.addLesson(NewLesson(text: "Learned")))
    try b.perform(.addIncident(NewIncident(title: "Three")))

    let ra = try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    #expect(ra.commitMessage == "learnlog: 2 incidents, 1 action, 1 lesson")
    #expect(ra.committedFiles == [".learnlog/log.jsonl"])
    #expect(ra.pulled && ra.pulledRecords == 0 && ra.pushed)
    let shown = try a.run(["show", "--name-only", "--format=%s", "HEAD"]).text
    #expect(shown == "learnlog: 2 incidents, 1 action, 1 lesson\n\n.learnlog/log.jsonl")
    #expect(try a.run(["diff", "--cached", "--name-only"]).text == "draft.txt")

    let rb = try GitSync.run(logPath: b.logPath, git: b.git, environment: b.env)
    #expect(rb.commitMessage == "learnlog: 1 incident")
    #expect(rb.pulledRecords == 4 && rb.pushed)
    let ra2 = try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    #expect(ra2.commitMessage == nil && ra2.pulledRecords == 1)
    let rb2 = try GitSync.run(logPath: b.logPath, git: b.git, environment: b.env)
    #expect(rb2.commitMessage == nil && rb2.pulledRecords == 0 && !rb2.pushed)
    #expect(rb2.lines.last == "origin/main is up to date")

    let day = try #require(Day("2099-06-01"))
    #expect(
      Exporter.json(try a.state(), on: day) == Exporter.json(try b.state(), on: day))
    #expect(try a.state().incidents.count == 3)
  }

  @Test("sync stops with one clear line on git errors")
  func syncErrors() throws {
    let box = try GitSandbox()
    // Not in a repository.
    let loose = PathName.join(box.root, "loose/log.jsonl")
    _ = try LogStore.create(path: loose)
    #expect(throws: SharingError.notInRepository(directory: PathName.join(box.root, "loose"))) {
      try GitSync.run(logPath: loose, git: box.git, environment: box.env)
    }
    // A repository without a remote.
    let solo = PathName.join(box.root, "solo")
    try box.run(["init", "--quiet", solo], in: box.root)
    let soloLog = PathName.join(solo, ".learnlog/log.jsonl")
    _ = try LogStore.create(path: soloLog)
    #expect(throws: SharingError.self) {
      try GitSync.run(logPath: soloLog, git: box.git, environment: box.env)
    }
    let noRemote = Self.failure { () throws(SharingError) in
      try GitSync.run(logPath: soloLog, git: box.git, environment: box.env)
    }
    #expect(noRemote?.description.contains("has no remote") == true)
    #expect(noRemote?.description.contains("\n") == false)

    // A rejected push: the remote refuses updates.
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    _ = try GitSetup.run(logPath: a.logPath, git: a.git, environment: a.env)
    _ = try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    let hook = PathName.join(box.remote, "hooks/pre-receive")
    try Data("#!/bin/sh\necho 'frozen' >&2\nexit 1\n".utf8).write(to: URL(fileURLWithPath: hook))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
    try a.perform(.addIncident(NewIncident(title: "Blocked")))
    let rejected = Self.failure { () throws(SharingError) in
      try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    }
    if case .pushRejected = rejected {
      #expect(rejected?.description.contains("rejected") == true)
    } else {
      Issue.record("expected pushRejected, got \(String(describing: rejected))")
    }
  }

  /// The error `body` throws, or nil.
  static func failure(_ body: () throws(SharingError) -> SyncReport) -> SharingError? {
    switch Result(catching: body) {
    case .success: return nil
    case .failure(let e): return e
    }
  }

  @Test("git-setup writes the attributes and ignores, is idempotent and commits nothing")
  func setupIsIdempotent() throws {
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    try Data("*.o\n".utf8).write(to: URL(fileURLWithPath: PathName.join(a.dir, ".gitignore")))
    let store = try LogStore.create(path: a.logPath)
    try store.append(
      RecordDraft(type: "incident.created", schema: 1, entity: "x", body: .object([:])))
    let first = try GitSetup.run(logPath: a.logPath, git: a.git, environment: a.env)
    #expect(first.changed)
    #expect(first.attributesAdded.first == "/.learnlog/log.jsonl merge=union text eol=lf")
    let attributes = try String(
      contentsOfFile: PathName.join(a.dir, ".gitattributes"), encoding: .utf8)
    #expect(attributes.contains("/.learnlog/log.jsonl merge=union text eol=lf\n"))
    #expect(attributes.contains("**/.learnlog/*.jsonl merge=union text eol=lf\n"))
    let ignore = try String(contentsOfFile: PathName.join(a.dir, ".gitignore"), encoding: .utf8)
    #expect(ignore.hasPrefix("*.o\n"))
    let attr = try a.run(["check-attr", "merge", "text", "eol", "--", ".learnlog/log.jsonl"]).text
    #expect(attr.contains("merge: union") && attr.contains("eol: lf"))
    // Every side file the store keeps beside the log is ignored; the log is not.
    let sides = [
      "log.jsonl.lock", "log.jsonl.torn-1764090000000.bak", "log.jsonl.1764090000000.bak",
      "log.jsonl.1764090000000-1.bak", ".log.jsonl.12345.tmp",
      ".log.jsonl.1764090000000.repair.tmp",
      ".cache/index",
    ].map { ".learnlog/" + $0 }
    for side in sides {
      #expect(
        try a.git.run(["check-ignore", "-q", "--no-index", side], in: a.dir).succeeded, "\(side)")
    }
    #expect(
      !(try a.git.run(["check-ignore", "-q", "--no-index", ".learnlog/log.jsonl"], in: a.dir))
        .succeeded)
    #expect(try a.git.run(["rev-parse", "--verify", "-q", "HEAD"], in: a.dir).status != 0)

    let second = try GitSetup.run(logPath: a.logPath, git: a.git, environment: a.env)
    #expect(!second.changed)
    #expect(second.lines.first?.hasPrefix("already set up") == true)
    #expect(
      try String(contentsOfFile: PathName.join(a.dir, ".gitattributes"), encoding: .utf8)
        == attributes)
    #expect(
      try String(contentsOfFile: PathName.join(a.dir, ".gitignore"), encoding: .utf8) == ignore)

    // The optional per-clone driver leaves the committed attributes as they are.
    let driver = try GitSetup.run(
      logPath: a.logPath, git: a.git, environment: a.env, mergeDriver: "learnlog merge-driver")
    #expect(driver.changed)
    #expect(
      try a.run(["check-attr", "merge", "--", ".learnlog/log.jsonl"]).text.hasSuffix(
        "merge: learnlog"))
    #expect(
      try a.run(["config", "merge.learnlog.driver"]).text == "learnlog merge-driver %O %A %B")
    #expect(
      try String(contentsOfFile: PathName.join(a.dir, ".gitattributes"), encoding: .utf8)
        == attributes)
  }

  @Test(
    "a merge without the attributes leaves markers: open and inspect name them, repair keeps every record"
  )
  func conflictMarkersWithoutAttributes() throws {
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    try a.run(["add", "-A"])
    try a.run(["commit", "--quiet", "-m", "log without attributes"])
    try a.run(["push", "--quiet", "origin", "HEAD:main"])
    let b = try box.clone("b", writer: "writer-b")
    try a.perform(.addIncident(NewIncident(title: "From a")))
    try a.perform(.addIncident(NewIncident(title: "Also from a")))
    try b.perform(.addIncident(NewIncident(title: "From b")))
    try a.userSync()
    try b.run(["add", "-A"])
    try b.run(["commit", "--quiet", "-m", "b"])
    let pull = try b.git.run(["pull", "--no-rebase", "--no-edit", "origin", "main"], in: b.dir)
    #expect(!pull.succeeded)

    #expect {
      _ = try LogStore.open(path: b.logPath)
    } throws: { error in
      guard let e = error as? StoreError, case .conflictMarkers(_, let line, _, let count) = e
      else {
        return false
      }
      return line == 2 && count == 3 && e.description.contains("learnlog repair")
    }
    let inspection = try LogStore.inspect(path: b.logPath)
    #expect(inspection.conflictMarkers.count == 3 && inspection.damaged.isEmpty)
    #expect(inspection.records.count == 3)
    // sync refuses to go on while the merge is unfinished.
    #expect(
      throws: SharingError.operationInProgress(
        repository: try b.run(["rev-parse", "--show-toplevel"]).text, operation: "merge")
    ) {
      try GitSync.run(logPath: b.logPath, git: b.git, environment: b.env)
    }

    let report = try LogStore.repair(path: b.logPath)
    #expect(report.droppedConflictMarkers == 3 && report.keptRecords == 3)
    let repaired = try LogStore.open(path: b.logPath)
    #expect(Set(repaired.records.map(\.id)) == Set((a.written + b.written).map(\.id)))
    #expect(Set(try b.state().incidentList.map(\.title)) == ["From a", "Also from a", "From b"])
  }

  @Test("a private note is in no commit, no object and no working-tree file")
  func privacyCanary() throws {
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    _ = try GitSetup.run(logPath: a.logPath, git: a.git, environment: a.env)
    _ = try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    let b = try box.clone("b", writer: "writer-b")
    let incident = try #require(try a.perform(.addIncident(NewIncident(title: "Public"))).createdID)
    let marker = "canary-\(UUID().uuidString)"
    let plan = try a.perform(.addNote(incident: incident, text: "private \(marker)"))
    #expect(plan.shared.isEmpty && plan.private.count == 1)
    // The skill-gap answer makes a private growth item too.
    try a.perform(
      .review(
        incident: incident, template: nil, answers: [ReviewAnswer(key: "gap", value: "skill")]))
    let privatePath = PathName.join(
      PrivateStore.defaultDirectory(environment: a.env), "notes.jsonl")
    let privateBytes = try String(contentsOfFile: privatePath, encoding: .utf8)
    #expect(privateBytes.contains(marker))

    _ = try GitSync.run(logPath: a.logPath, git: a.git, environment: a.env)
    try a.userSync()
    _ = try GitSync.run(logPath: b.logPath, git: b.git, environment: b.env)
    for (clone, repo) in [(a, a.dir), (b, b.dir), (a, box.remote)] {
      let objects = try clone.git.run(["cat-file", "--batch-all-objects", "--batch"], in: repo)
      #expect(objects.succeeded && !objects.output.isEmpty)
      #expect(objects.output.range(of: Data(marker.utf8)) == nil, "marker in objects of \(repo)")
      let trees = try clone.git.run(["log", "--all", "-p", "--format=%B"], in: repo)
      #expect(trees.output.range(of: Data(marker.utf8)) == nil)
    }
    for dir in [a.dir, b.dir] {
      let files = FileManager.default.enumerator(atPath: dir)
      while let f = files?.nextObject() as? String {
        let p = PathName.join(dir, f)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue
        else { continue }
        let data = FileManager.default.contents(atPath: p) ?? Data()
        #expect(data.range(of: Data(marker.utf8)) == nil, "marker in \(p)")
      }
    }
  }

  @Test("sync refuses when the private notes would be visible to git")
  func privateInsideRepository() throws {
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    var env = a.env
    env["XDG_DATA_HOME"] = PathName.join(a.dir, "data")
    let notes = PrivateStore(directory: PrivateStore.defaultDirectory(environment: env))
    notes.writerID = "writer-a"
    try notes.append(RecordDraft(type: "note.added", schema: 1, entity: "n", body: .object([:])))
    #expect(throws: SharingError.self) {
      try GitSync.run(logPath: a.logPath, git: a.git, environment: env)
    }
    // git-setup ignores them; then sync goes ahead and commits only the shared files.
    _ = try GitSetup.run(logPath: a.logPath, git: a.git, environment: env)
    let r = try GitSync.run(logPath: a.logPath, git: a.git, environment: env)
    #expect(!r.committedFiles.contains { $0.contains("private") })
    #expect(
      try a.run(["ls-files"]).text.split(separator: "\n").allSatisfy { !$0.contains("data/") })
  }
}
