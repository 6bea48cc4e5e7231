import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

/// The app over several teams' logs read together: the union, read-only, every row marked
/// with its team log, every write key refused with one line, patterns escalating across teams.
@Suite struct AppSeveralLogsTests {
  /// Two team logs on a memory file system: `web` holds the demo and one `queue/backlog`
  /// incident, `api` two incidents of that pattern and of one the demo has once
  /// (`data/lost-writes`), an action and a lesson.
  static func twoTeams() throws -> (MemoryFileSystem, paths: [String]) {
    let fs = MemoryFileSystem()
    let notes = PrivateStore(directory: "/home/private")
    let web = try Workspace.create(
      path: "/repos/web/.learnlog/log.jsonl", privateStore: notes, fileSystem: fs)
    web.store.writerID = "web"
    _ = try web.perform { _ in Plan(shared: try DemoData.drafts(today: testToday)) }
    _ = try web.perform(
      .addIncident(
        NewIncident(
          title: "web queue backlog", team: "web", patterns: ["queue/backlog"],
          occurred: "2026-11-10")),
      context: CommandContext(today: testToday, now: 1_764_000_000_000, author: "web-lead"))
    let api = try Workspace.create(
      path: "/repos/api/.learnlog/log.jsonl", privateStore: notes, fileSystem: fs)
    api.store.writerID = "api"
    let context = CommandContext(today: testToday, now: 1_764_000_000_000, author: "api-lead")
    for n in 1...2 {
      let plan = try api.perform(
        .addIncident(
          NewIncident(
            title: "api lost writes \(n)", team: "api",
            patterns: ["data/lost-writes", "queue/backlog"],
            occurred: "2026-11-1\(n)")),
        context: context)
      if n == 1, let id = plan.createdID {
        _ = try api.perform(
          .addAction(
            NewAction(
              incident: id, title: "api: fsync before ack", owner: "api-ops", due: "2026-11-20")),
          context: context)
      }
    }
    _ = try api.perform(
      .addLesson(NewLesson(text: "api: acknowledge after fsync")), context: context)
    return (fs, [web.path, api.path])
  }

  /// The union of `paths`, each opened read-only, as `learnlog --file a --file b` opens it.
  static func union(_ fs: MemoryFileSystem, _ paths: [String]) throws -> UnionAppLog {
    let notes = PrivateStore(directory: "/home/private")
    return UnionAppLog(
      union: try LogUnion.open(paths: paths) {
        try Workspace(path: $0, readOnly: true, privateStore: notes, fileSystem: fs)
      })
  }

  /// The app over the union of the two team logs, 100×30.
  static func app() throws -> (
    MemoryFileSystem, [String], UnionAppLog, Program<AppModel>, AppModel, AppState
  ) {
    let (fs, paths) = try twoTeams()
    let appLog = try union(fs, paths)
    let model = AppModel()
    let runner = EffectRunner(appLog: appLog, drafts: nil)
    let program = Program(model: model, tickMilliseconds: 500) { runner.run($0) }
    let state = AppState(
      appLog: appLog, today: testToday, theme: .monochrome, size: Size(width: 100, height: 30),
      drafts: [])
    return (fs, paths, appLog, program, model, state)
  }

  static func type(
    _ script: String, _ model: AppModel, _ program: Program<AppModel>, _ s: inout AppState
  ) throws {
    for event in try KeyScript.parse(script) {
      if let action = model.action(for: event, in: s) { program.send(action, to: &s) }
    }
  }

  @Test func theStatusLineSaysReadOnlyAndNamesTheLogs() throws {
    let (_, _, appLog, program, _, s) = try Self.app()
    #expect(appLog.readOnlyReason == "2 logs read together: web, api")
    let status = program.frame(for: s, size: s.size).buffer.lines()[28]
    #expect(status.hasPrefix("read-only · 2 logs: web, api · "), "\(status)")
  }

  @Test func everyRowIsMarkedWithItsTeamLog() throws {
    var (_, _, appLog, program, model, s) = try Self.app()
    let domain = appLog.state
    let labels = try #require(appLog.logLabels)
    func screen(_ key: String) throws -> [String] {
      try Self.type(key, model, program, &s)
      return program.frame(for: s, size: s.size).buffer.lines()
    }
    // Today: every item, a pattern's too, starts with its log (the pattern's: every log).
    let today = try screen("1")
    let items = domain.today(on: testToday)
    #expect(items.contains { $0.subject == "queue/backlog" })
    for item in items {
      let mark = labels.label(of: item)
      #expect(!mark.isEmpty, "\(item.kind) \(item.subject) has no log")
      let row = today.first {
        $0.contains(item.title.prefix(30)) && $0.contains(item.day?.description ?? "")
      }
      let text = try #require(row, "no row for \(item.title)")
      let start = text.drop { $0 == " " || $0 == "▶" }
      #expect(start.hasPrefix(mark + " "), "today row \(text) not marked \(mark)")
    }
    let backlog = try #require(items.first { $0.subject == "queue/backlog" })
    #expect(labels.label(of: backlog) == "web,api")
    // Incidents: every row starts with its log.
    let incidents = try screen("2")
    for inc in domain.incidentList {
      let row = incidents.first { $0.contains(String(inc.title.prefix(12))) }
      let text = try #require(row, "no incident row for \(inc.title)")
      #expect(text.drop { $0 == " " }.hasPrefix(labels.label(inc.id) + " "), "\(text)")
    }
    // Board: each card's detail line names its log.
    let board = try screen("3")
    #expect(board.contains { $0.contains(" api api-ops") }, "\(board.joined(separator: "\n"))")
    #expect(board.contains { $0.contains(" web ") })
    // Lessons: each row starts with its log.
    let lessons = try screen("4")
    #expect(lessons.contains { $0.contains("│api     ") && $0.contains("acknowledge after fsync") })
    #expect(lessons.contains { $0.contains("│web     ") })
  }

  @Test func aPatternSeenOnceHereAndTwiceThereEscalatesAcrossTeams() throws {
    var (fs, paths, appLog, program, model, s) = try Self.app()
    let web = try Workspace(
      path: paths[0], readOnly: true, privateStore: PrivateStore(directory: "/p"), fileSystem: fs)
    let alone = try #require(
      web.state.patterns(on: testToday).first { $0.key == "data/lost-writes" })
    let both = try #require(
      appLog.state.patterns(on: testToday).first { $0.key == "data/lost-writes" })
    #expect(alone.step != .escalated && alone.count == 1)
    #expect(both.step == .escalated && both.count == 3)
    #expect(appLog.logLabels?.pattern["data/lost-writes"] == ["web", "api"])
    // The patterns screen shows it escalated, across both teams, each incident marked.
    try Self.type("5", model, program, &s)
    let i = try #require(s.context.patterns.firstIndex { $0.key == "data/lost-writes" })
    try Self.type(String(repeating: "j ", count: i), model, program, &s)
    let lines = program.frame(for: s, size: s.size).buffer.lines()
    #expect(lines.contains { $0.contains("data/lost-writes") && $0.contains("escalated") })
    #expect(
      lines.contains { $0.contains("across 2 teams: web, api") }, "\(lines.joined(separator: "\n"))"
    )
    #expect(lines.contains { $0.contains(" api ") && $0.contains("api lost writes 1") })
  }

  @Test func anIncidentAppendedToATeamLogMeanwhileShowsMarkedWithItsLog() throws {
    var (fs, paths, _, program, model, s) = try Self.app()
    let api = try Workspace(
      path: paths[1], privateStore: PrivateStore(directory: "/home/private"), fileSystem: fs)
    api.store.writerID = "api-2"
    let plan = try api.perform(
      .addIncident(NewIncident(title: "api fresh one", team: "api", occurred: "2026-11-24")),
      context: CommandContext(today: testToday, now: 1_764_100_000_000, author: "api-lead"))
    let id = try #require(plan.createdID)
    // The next idle tick reads what the team's log gained, and its mark.
    program.send(.tick, to: &s)
    #expect(s.context.domain.incidents[id] != nil)
    #expect(s.context.logs?.label(id) == "api")
    try Self.type("2", model, program, &s)
    let lines = program.frame(for: s, size: s.size).buffer.lines()
    #expect(
      lines.contains { $0.hasPrefix("api ") && $0.contains("api fresh one") },
      "\(lines.joined(separator: "\n"))")
  }

  /// Every key of every screen's keymap, then keys that would complete what it opened (a
  /// reason, an outcome, a save): no form opens, no write reaches the session or the logs, and
  /// every write is refused with the one line naming the logs.
  @Test func everyWriteKeyOfEveryScreenIsRefusedWithOneLine() throws {
    let (fs, paths, _, _, _, _) = try Self.app()
    let before = paths.map { fs.contents($0) }
    // Every registered screen, with the first key of each of its bindings.
    let (_, _, _, _, _, start) = try Self.app()
    let screens = ScreenRegistry.all.map { screen in
      (screen.tab, screen.bindings(start).compactMap(\.keys.first))
    }
    let refusal = "error: read-only, 2 logs read together (web, api): open one alone to change it"
    let finish = try KeyScript.parse("v x <Enter> y <Enter> <C-s> <Enter>")
    var tried = 0
    var refused = 0
    // Where each key is tried: the first row of each tab, and also a done card and an open
    // card on the board and the escalated pattern, so every writing dialog has its subject.
    let escalated = try #require(start.context.patterns.firstIndex { $0.step == .escalated })
    let places: [AppTab: [String]] = [
      .actions: ["", "l l"],
      .patterns: ["", String(repeating: "j ", count: escalated)],
    ]
    #expect(!BoardScreen.cards(.done, state: start.board, context: start.context).isEmpty)
    #expect(!BoardScreen.cards(.open, state: start.board, context: start.context).isEmpty)
    #expect(!start.context.domain.lessonList.isEmpty)
    for (tab, list) in screens {
      #expect(!list.isEmpty, "\(tab) has no keys")
      for place in places[tab] ?? [""] {
        for key in list where key != .char("q") {
          // A fresh app each time, on the tab, at the place.
          var (_, _, _, program, model, s) = try Self.app()
          try Self.type("\(tab.rawValue) \(place)", model, program, &s)
          for event in [InputEvent.key(key)] + finish {
            if s.isQuitting { break }
            if let action = model.action(for: event, in: s) { program.send(action, to: &s) }
            #expect(s.form == nil, "\(tab) \(place) \(key) opened a form")
            // No dialog or form that saves opens: the key itself is refused, nothing typed lost.
            switch s.board.dialog {
            case .drop, .verify: Issue.record("\(tab) \(place) \(key) opened a board dialog")
            default: break
            }
            if case .revalidate = s.lessons.dialog {
              Issue.record("\(tab) \(place) \(key) opened the revalidate dialog")
            }
            #expect(s.patterns.form == nil, "\(tab) \(place) \(key) opened the experiment form")
            #expect(!ScreenRegistry.all.contains { $0.isOpeningWrite(s) }, "\(tab) \(key)")
          }
          tried += 1
          // A key may be refused for what it is about first (verifying an open action): that
          // is one line too; a write that reached the session would say "not saved".
          let errors = s.messageLog.filter { $0.hasPrefix("error:") }
          for e in errors {
            #expect(!e.contains("\n") && !e.contains("not saved"), "\(tab) \(key): \(e)")
          }
          #expect(!s.messageLog.contains { $0.hasPrefix("saved") }, "\(tab) \(key) saved")
          if errors.contains(refusal) { refused += 1 }
        }
      }
    }
    #expect(paths.map { fs.contents($0) } == before)
    // The form keys and the board's moves at least.
    #expect(refused >= 8, "only \(refused) of \(tried) keys were refused")
  }
}
