import Foundation
import LearningLog
import Testing

/// Real git, a bare remote and three clones configured by nothing but `git clone`.
@Suite("Sharing the log through git")
struct GitConvergenceTests {
  /// Every ordering of three clones.
  static let orders: [[Int]] = [
    [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0],
  ]

  /// A sandbox whose first clone made the log, ran git-setup and pushed; two more clones.
  static func team() throws -> (GitSandbox, [Clone]) {
    let box = try GitSandbox()
    let a = try box.clone("a", writer: "writer-a")
    _ = try LogStore.create(path: a.logPath)
    let setup = try GitSetup.run(logPath: a.logPath, git: a.git, environment: a.env)
    #expect(setup.changed)
    try a.run(["add", "-A"])
    try a.run(["commit", "--quiet", "-m", "start a learning log"])
    try a.run(["push", "--quiet", "origin", "HEAD:main"])
    let b = try box.clone("b", writer: "writer-b")
    let c = try box.clone("c", writer: "writer-c")
    return (box, [a, b, c])
  }

  @Test("three clones edit the same things, merge in every order, and converge")
  func convergeInEveryOrder() throws {
    let (_, clones) = try Self.team()
    var conflicting: [(incident: String, action: String)] = []
    for (round, order) in Self.orders.enumerated() {
      let first = clones[order[0]]
      let plan = try first.perform(.addIncident(NewIncident(title: "Round \(round) outage")))
      let incident = try #require(plan.createdID)
      let actionPlan = try first.perform(
        .addAction(
          NewAction(incident: incident, title: "Add a check", owner: "ops", due: "2099-01-01")))
      let action = try #require(actionPlan.createdID)
      conflicting.append((incident, action))
      try first.userSync()
      for i in order.dropFirst() { try clones[i].userSync() }

      // Concurrent edits: nobody pulls until everyone has written.
      for (k, i) in order.enumerated() {
        let c = clones[i]
        try c.perform(
          .review(
            incident: incident, template: nil,
            answers: [ReviewAnswer(key: "root-cause", value: "cause seen by \(c.writer)")]))
        try c.perform(
          .setIncidentField(incident: incident, field: "title", value: "Retitled by \(c.writer)"))
        if k == 0 { try c.perform(.finishAction(action)) }
        if k == 1 { try c.perform(.dropAction(action, reason: "superseded")) }
        let own = try c.perform(.addIncident(NewIncident(title: "\(c.writer) round \(round)")))
        try c.perform(
          .addLesson(
            NewLesson(
              text: "Lesson \(round) from \(c.writer)", incidents: [try #require(own.createdID)])))
      }
      for i in order { try clones[i].userSync() }
      for i in order.dropLast() { try clones[i].userSync() }
    }

    // No conflict: every log opens cleanly (no markers, no damage).
    let stores = try clones.map { try $0.openStore() }
    let written = clones.flatMap(\.written)
    let writtenIDs = Set(written.map(\.id))
    #expect(writtenIDs.count == written.count)
    for s in stores {
      let ids = s.records.map(\.id)
      #expect(ids.count == Set(ids).count, "a record appears twice in \(s.path)")
      #expect(Set(ids) == writtenIDs, "\(s.path) lacks or adds records")
    }
    // The same state everywhere, byte for byte.
    let day = try #require(Day("2099-06-01"))
    let exports = stores.map { Exporter.json(LearningState.replay($0.records), on: day) }
    #expect(exports[0] == exports[1])
    #expect(exports[0] == exports[2])

    // Each conflicting field: the later record by (clock, writer, id) won everywhere.
    let state = LearningState.replay(stores[0].records)
    func latest(_ entity: String, _ type: String, _ match: (Record) -> Bool) throws -> Record {
      let candidates = written.filter { $0.entity == entity && $0.type == type && match($0) }
      #expect(candidates.count >= 2, "no conflict to resolve for \(entity) \(type)")
      return try #require(candidates.max(by: Record.replayOrder))
    }
    func text(_ r: Record, _ key: String) -> String? {
      if case .object(let o) = r.body, case .string(let s)? = o[key] { return s }
      return nil
    }
    for (incident, action) in conflicting {
      let answer = try latest(incident, "review.answered") { text($0, "key") == "root-cause" }
      #expect(state.incidents[incident]?.answer("root-cause") == text(answer, "value"))
      let title = try latest(incident, "incident.field-set") { text($0, "field") == "title" }
      #expect(state.incidents[incident]?.title == text(title, "value"))
      let status = try latest(action, "action.status-set") { _ in true }
      #expect(state.actions[action]?.status.rawValue == text(status, "status"))
    }
    #expect(state.problems.isEmpty, "\(state.problems)")
    // The clones really merged concurrent work (not only fast-forwards).
    let merges = try clones[0].run(["rev-list", "--merges", "--count", "HEAD"]).text
    #expect((Int(merges) ?? 0) >= Self.orders.count * 2)
    print("git convergence: \(written.count) events, \(merges) merge commits, 3 clones agree")
  }

  @Test("a new record sorts after every record its writer has seen, even a clock ahead")
  func clockPassesMergedRecords() throws {
    let (_, clones) = try Self.team()
    let (a, b) = (clones[0], clones[1])
    // a's machine clock runs a day ahead.
    a.wallClock = HybridClock.wallMilliseconds() + 86_400_000
    let plan = try a.perform(.addIncident(NewIncident(title: "Clock ahead")))
    let incident = try #require(plan.createdID)
    try a.userSync()
    try b.userSync()
    try b.perform(.setIncidentField(incident: incident, field: "title", value: "Seen later"))
    let ahead = try #require(a.written.first)
    let after = try #require(b.written.first)
    #expect(ahead.clock < after.clock)
    #expect(try b.state().incidents[incident]?.title == "Seen later")
  }
}

/// Template and checklist revisions made in several clones at once.
@Suite("Sharing revisions through git")
struct GitRevisionConvergenceTests {
  @Test("three clones revise one template and one checklist at once and agree on every revision")
  func concurrentRevisionsConverge() throws {
    let (_, clones) = try GitConvergenceTests.team()
    let a = clones[0]
    let incident = try #require(
      try a.perform(.addIncident(NewIncident(title: "Cache lost writes"))).createdID)
    try a.perform(
      .addTemplate(
        name: "ops-retro", title: "Ops retro",
        questions: [Question(key: "expected", prompt: "What was expected?")]))
    try a.perform(
      .addChecklist(NewChecklist(name: "before deploy", items: ["diff the config", "canary"])))
    try a.userSync()
    for c in clones.dropFirst() { try c.userSync() }

    // Each clone revises both, nobody pulls until all have written.
    for c in clones {
      try c.perform(
        .changeTemplate(
          TemplateChange(
            name: "ops-retro",
            set: [Question(key: "seen-by-\(c.writer)", prompt: "What did \(c.writer) see?")],
            because: incident)))
      try c.perform(
        .reviseChecklist(
          name: "before-deploy", add: ["check from \(c.writer)"], remove: [], because: incident))
    }
    // One clone also removes an item everyone else kept.
    try clones[1].perform(
      .reviseChecklist(name: "before-deploy", add: [], remove: [2], because: incident))
    for c in clones { try c.userSync() }
    for c in clones.dropLast() { try c.userSync() }

    let states = try clones.map { try $0.state() }
    let day = try #require(Day("2099-06-01"))
    let exports = states.map { Exporter.json($0, on: day) }
    #expect(exports[0] == exports[1])
    #expect(exports[0] == exports[2])
    for s in states {
      #expect(s.problems.isEmpty, "\(s.problems)")
      let revs = try #require(s.templateRevisions["ops-retro"])
      #expect(revs.map(\.number) == [1, 2, 3, 4])
      #expect(revs.dropFirst().allSatisfy { $0.because == incident })
      let list = try #require(s.checklists["before-deploy"])
      #expect(list.revisions.map(\.number) == [1, 2, 3, 4, 5])
      // Every clone's addition survives; the removal holds.
      #expect(
        Set(list.items) == Set(["diff the config"] + clones.map { "check from \($0.writer)" }))
      #expect(s.ledTo(incident).count == 7)
    }
  }
}
