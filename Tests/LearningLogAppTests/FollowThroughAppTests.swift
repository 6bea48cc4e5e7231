import Foundation
import LearningLog
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

/// The loop closed in the app: the review form changes a template and a checklist as the
/// command line does; the checklist form lists the items it numbers; the private space adds
/// notes to the private file only; and no shared screen shows a private skill gap.
@Suite struct FollowThroughAppTests {
  static let size = Size(width: 100, height: 30)

  /// A program over a real log file (the one write path, `Workspace.perform`) with the demo.
  struct OnDisk {
    let dir = temporaryDirectory()
    let path: String
    let session: FileAppLog
    let program: Program<AppModel>

    init() throws {
      path = dir.appendingPathComponent("log.jsonl").path
      session = FileAppLog(
        store: try LogStore.create(path: path),
        privateStore: PrivateStore(directory: dir.appendingPathComponent("private").path),
        today: { testToday })
      try session.loadDemo()
      let runner = EffectRunner(
        appLog: session, drafts: DraftStore(directory: dir.appendingPathComponent("drafts")))
      program = Program(model: AppModel(), tickMilliseconds: 500) { runner.run($0) }
    }

    func start() -> AppState {
      AppState(appLog: session, today: testToday, theme: .monochrome, size: size, drafts: [])
    }

    /// The log as another process reads it from disk.
    func reread() throws -> LearningState {
      FileAppLog(store: try LogStore.open(path: path), privateStore: nil, today: { testToday })
        .state
    }
  }

  @Test func theReviewFormChangesATemplateAndAChecklistAsTheCommandLineDoes() throws {
    let disk = try OnDisk()
    defer { try? FileManager.default.removeItem(at: disk.dir) }
    var s = disk.start()
    let domain = disk.session.state
    let inc = try #require(domain.incidentList.first)
    let checklist = try #require(domain.checklistList.first)
    // A team template with revisions (the demo revised one).
    let template = try #require(domain.templateNames.first { domain.templateRevisions[$0] != nil })
    let revisionsBefore = domain.templateRevisions[template]?.count ?? 0
    disk.program.send(.navigate(.review(inc.id)), to: &s)
    let form = try #require(s.form)
    let ids = form.form.fields.map(\.id)
    #expect(ids.contains("+template") && ids.contains("+template-question"))
    // A question without a template is refused, naming the field.
    s.form?.form.setValue("+template-question", "cache-risk:text:What could a cache lose?")
    disk.program.send(.form(.save), to: &s)
    #expect(s.status?.text.hasPrefix("error: cannot save: choose the template") == true)
    s.form?.form.setValue("+template", template)
    s.form?.form.setValue("+change", checklist.name)
    s.form?.form.setValue("+change-item", "Check write-behind caches before enabling them")
    disk.program.send(.form(.save), to: &s)
    #expect(s.form == nil, "\(s.status?.text ?? "")")
    let after = try disk.reread()
    let revisions = try #require(after.templateRevisions[template])
    #expect(revisions.count == revisionsBefore + 1)
    let last = try #require(revisions.last)
    #expect(last.because == inc.id)
    #expect(last.template.questions.contains { $0.key == "cache-risk" })
    let revised = try #require(after.checklistList.first { $0.name == checklist.name })
    #expect(revised.revisions.last?.because == inc.id)
    #expect(revised.items.last == "Check write-behind caches before enabling them")
    // The same events the command line writes: `template revise NAME --question … --because`.
    let cli = domain
    let plan = try cli.plan(
      .changeTemplate(
        TemplateChange(
          name: template, set: [try Question.parseSpec("cache-risk:text:What could a cache lose?")],
          remove: [], because: inc.id)),
      context: .seeded(1, today: testToday))
    let lines = try String(contentsOfFile: disk.path, encoding: .utf8).split(separator: "\n")
    let types = lines.suffix(4).compactMap { line -> String? in
      guard case .object(let o) = try? JSONParser.parse(Array(line.utf8)) else { return nil }
      if case .string(let t) = o["type"] { return t }
      return nil
    }
    #expect(types.contains(try #require(plan.shared.first).type))
  }

  @Test func theChecklistFormNumbersTheItemsItRemovesByNumber() throws {
    let app = try AppHarness()
    var s = app.initialState(size: Self.size)
    s.pendingDrafts = []
    s.overlay = nil
    let inc = try #require(s.context.domain.incidentList.first)
    let checklist = try #require(s.context.domain.checklistList.first { $0.items.count >= 2 })
    _ = app.model.reduce(&s, .navigate(.changeChecklist(incident: inc.id)))
    let blank = trimmedLines(app.frame(s)).joined(separator: "\n")
    #expect(!blank.contains("1. \(checklist.items[0])"), "a new checklist has no items yet")
    s.form?.form.setValue("checklist", checklist.name)
    let shown = trimmedLines(app.frame(s)).joined(separator: "\n")
    #expect(shown.contains("\(checklist.name) rev \(checklist.revisions.count) now holds:"))
    for (i, item) in checklist.items.enumerated() {
      #expect(shown.contains("\(i + 1). \(item.prefix(40))"), "item \(i + 1) not listed")
    }
    // Removing by a number shown removes that item.
    s.form?.form.setValue("remove", "2")
    let commands = try FormCatalog.commands(try #require(s.form), context: s.context).get()
    let state = s.context.domain
    for c in commands {
      let plan = try state.plan(c, context: .seeded(3, today: testToday))
      #expect(!plan.shared.isEmpty)
    }
    guard case .reviseChecklist(_, _, let remove, _) = try #require(commands.first) else {
      Issue.record("not a checklist revision: \(commands)")
      return
    }
    #expect(remove == [2])
    _ = state
  }

  @Test func thePrivateSpaceAddsANoteToThePrivateFileOnly() throws {
    let disk = try OnDisk()
    defer { try? FileManager.default.removeItem(at: disk.dir) }
    var s = disk.start()
    let before = try Data(contentsOf: URL(fileURLWithPath: disk.path))
    disk.program.send(.global(.privateSpace), to: &s)
    guard case .privateSpace = s.overlay else {
      Issue.record("P did not open the private space: \(String(describing: s.overlay))")
      return
    }
    let overlay = trimmedLines(disk.program.frame(for: s, size: Self.size).buffer)
    #expect(overlay.contains { $0.contains("add a private note or reflection") })
    // `n` opens the private form, about the newest incident unless another id is typed.
    let action = try #require(AppModel().action(for: .key(.char("n")), in: s))
    disk.program.send(action, to: &s)
    let form = try #require(s.form)
    #expect(form.kind == .addPrivateNote)
    #expect(!form.value("incident").isEmpty)
    #expect(!form.isEdited, "the incident filled in is not an edit")
    s.form?.form.setValue("text", "PRIVATE-REFLECTION-TEXT: I rushed the rollback")
    disk.program.send(.form(.save), to: &s)
    #expect(s.form == nil, "\(s.status?.text ?? "")")
    #expect(s.status?.text.hasPrefix("saved: private note") == true)
    // The shared log is byte for byte what it was; the private file holds the note.
    #expect(try Data(contentsOf: URL(fileURLWithPath: disk.path)) == before)
    let notes = try disk.session.privateNotes()
    #expect(notes.contains { $0.text.contains("PRIVATE-REFLECTION-TEXT") })
    // A growth item of one's own goes to the private file too, listed under growth items.
    disk.program.send(.addPrivateNote, to: &s)
    s.form?.form.setValue("kind", "growth item")
    s.form?.form.setValue("text", "PRIVATE-GROWTH-TEXT: practise rollbacks")
    disk.program.send(.form(.save), to: &s)
    #expect(s.form == nil, "\(s.status?.text ?? "")")
    #expect(try Data(contentsOf: URL(fileURLWithPath: disk.path)) == before)
    let growth = try disk.session.privateNotes().filter { $0.kind == "growth" }
    #expect(growth.contains { $0.text.contains("PRIVATE-GROWTH-TEXT") })
    disk.program.send(.global(.privateSpace), to: &s)
    let listed = trimmedLines(disk.program.frame(for: s, size: Self.size).buffer).joined(
      separator: "\n")
    #expect(listed.contains("Growth items (1)"))
    #expect(listed.contains("PRIVATE-GROWTH-TEXT"))
    _ = AppModel().reduce(&s, .closeOverlay)
    // A wrong id is refused on its field, nothing written.
    disk.program.send(.addPrivateNote, to: &s)
    s.form?.form.setValue("incident", "no-such-incident")
    s.form?.form.setValue("text", "x")
    disk.program.send(.form(.save), to: &s)
    #expect(s.form != nil)
    #expect(s.status?.isError == true)
    #expect(try Data(contentsOf: URL(fileURLWithPath: disk.path)) == before)
  }

  /// Every shared screen of the app (each tab, dialog and overlay the keys reach, every
  /// incident's whole detail, every lesson and pattern) on a log holding a skill gap, a legacy
  /// `gap: skill` record and private notes: neither the word "skill" nor a private text shows.
  @Test func noSharedScreenShowsASkillGapOrPrivateText() throws {
    let session = try InMemoryAppLog.demo(today: testToday)
    let domain = session.state
    let incidents = domain.incidentList
    let target = try #require(incidents.first)
    _ = try session.perform([
      .addFactor(
        NewFactor(
          incident: target.id, text: "SECRET-SKILL-FACTOR did not know the tool", gap: "skill")),
      .addNote(incident: target.id, text: "SECRET-PRIVATE-NOTE coaching"),
    ])
    // A log written before skill gaps became private: `gap: skill` in the shared log.
    var legacy = session.state
    legacy.apply(
      Record(
        id: EventID(rawValue: "legacy-0000001"), clock: HybridTimestamp(wall: 1, logical: 0),
        writer: "old", type: EventType.factorAdded, schema: 1, entity: "legacy-factor",
        body: [
          "incident": .string(target.id), "gap": .string("skill"),
          "text": .string("SECRET-LEGACY-SKILL text"),
        ]))
    let app = try AppHarness(appLog: session)
    let big = Size(width: 160, height: 60)
    let forbidden = ["skill", "SECRET-"]
    func check(_ s: AppState, _ where_: String) {
      let text = trimmedLines(app.frame(s)).joined(separator: "\n")
      for word in forbidden where text.range(of: word, options: .caseInsensitive) != nil {
        Issue.record("“\(word)” shows on \(where_):\n\(text)")
      }
    }
    let prepare: (inout AppState) -> Void = { s in
      _ = app.model.reduce(&s, .logChanged(legacy))
    }
    var screens = 0
    for size in [Size(width: 100, height: 30), big] {
      for s in try KeymapDispatchTests.states(of: app, forms: false, size: size, prepare: prepare)
      where s.form == nil {
        if case .privateSpace = s.overlay { continue }
        check(s, KeymapDispatchTests.signature(s))
        screens += 1
      }
    }
    // Every incident's detail, paged to its end.
    var s = app.initialState(size: big)
    s.pendingDrafts = []
    s.overlay = nil
    prepare(&s)
    for inc in legacy.incidentList {
      _ = app.model.reduce(&s, .navigate(.incident(inc.id)))
      _ = app.model.reduce(&s, .screen(.incidents, IncidentsScreen.Action.switchFocus))
      for _ in 0..<12 {
        check(s, "the detail of \(inc.title)")
        _ = app.model.reduce(
          &s, .screen(.incidents, IncidentsScreen.Action.navigate(KeyEvent(.pageDown))))
        screens += 1
      }
      s.incidents.focus = .list
    }
    for lesson in legacy.lessonList {
      _ = app.model.reduce(&s, .navigate(.lesson(lesson.id)))
      check(s, "lesson \(lesson.id)")
      screens += 1
    }
    for p in s.context.patterns {
      _ = app.model.reduce(&s, .navigate(.pattern(p.key)))
      check(s, "pattern \(p.key)")
      screens += 1
    }
    #expect(screens > 150, "only \(screens) screens swept")
  }
}
