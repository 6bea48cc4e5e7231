import Foundation
import LearningLog
import LearningLogApp
import TerminalUI
import Testing

struct WriteFailure: Error, CustomStringConvertible {
  var description: String { "disk full" }
}

@Suite struct AppReducerTests {
  @Test func globalKeysSwitchViewsOpenHelpQuitAndRedraw() throws {
    let app = try AppHarness()
    var s = app.initialState()
    for tab in AppTab.allCases {
      try app.type("\(tab.rawValue)", into: &s)
      #expect(s.tab == tab)
    }
    try app.type("?", into: &s)
    #expect(s.overlay == .help(scroll: 0))
    try app.type("j j k", into: &s)
    #expect(s.overlay == .help(scroll: 1))
    try app.type("<Esc>", into: &s)
    #expect(s.overlay == nil)
    try app.type("<C-l>", into: &s)
    #expect(s.redrawCount == 1)
    #expect(app.model.reduce(&s, .global(.redraw)) == [.redraw])
    try app.type("q", into: &s)
    #expect(s.isQuitting)
  }

  @Test func escClosesTheFormBeforeQuitAndQTypesInAForm() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n q", into: &s)
    #expect(!s.isQuitting)
    #expect(s.form?.value("title") == "q")
    try app.type("<Esc>", into: &s)
    #expect(s.overlay == .leaveForm)
    try app.type("<Esc>", into: &s)
    #expect(s.form != nil)
    try app.type("<Esc> d", into: &s)
    #expect(s.form == nil)
    try app.type("q", into: &s)
    #expect(s.isQuitting)
  }

  @Test func escOnAnUneditedFormClosesWithoutAsking() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 a <Esc>", into: &s)
    #expect(s.form == nil)
    #expect(s.overlay == nil)
  }

  @Test func loadDemoOnlyOnAnEmptyLog() throws {
    let app = try AppHarness(demo: false)
    var s = app.initialState()
    #expect(app.model.hints(s).contains(HintItem(keys: "d", label: "demo data")))
    try app.type("d", into: &s)
    #expect(s.context.domain.incidents.count == 13 || s.context.domain.incidents.count > 10)
    #expect(s.logVersion == 1)
    #expect(s.status?.text.hasPrefix("demo data loaded") == true)
    var again = s
    _ = app.model.reduce(&again, .global(.loadDemo))
    #expect(app.model.reduce(&again, .global(.loadDemo)).isEmpty)
    #expect(again.status?.text == "error: the demo loads only into an empty log")
  }

  @Test func resizeTickAndLogChanges() throws {
    let app = try AppHarness()
    var s = app.initialState()
    _ = app.model.reduce(&s, .resize(Size(width: 100, height: 30)))
    #expect(s.size == Size(width: 100, height: 30))
    #expect(app.model.reduce(&s, .tick) == [.refresh])
    // Another process appends; the tick's refresh brings it in.
    try app.appLog.appendFromElsewhere(.addIncident(NewIncident(title: "Seen from elsewhere")))
    let before = s.context.domain.incidents.count
    app.send(.tick, to: &s)
    #expect(s.context.domain.incidents.count == before + 1)
    #expect(s.logVersion == 1)
    app.send(.tick, to: &s)
    #expect(s.logVersion == 1)
  }

  @Test func navigateOpensTheRightViewOrForm() throws {
    let app = try AppHarness()
    var s = app.initialState()
    let domain = s.context.domain
    let inc = try #require(domain.incidentList.first)
    let action = try #require(domain.actionList.first)
    let lesson = try #require(domain.lessonList.first)
    app.send(.navigate(.incident(inc.id)), to: &s)
    #expect(s.tab == .incidents)
    #expect(IncidentsScreen.selected(s.incidents, context: s.context)?.id == inc.id)
    for a in domain.actionList {
      app.send(.navigate(.action(a.id)), to: &s)
      #expect(s.tab == .actions)
      let cards = BoardScreen.cards(s.board.column, state: s.board, context: s.context)
      let index = s.board.lists[s.board.column.rawValue].selection(count: cards.count)
      #expect(index.map { cards[$0].id } == a.id, "\(a.title)")
    }
    _ = action
    for l in domain.lessonList {
      app.send(.navigate(.lesson(l.id)), to: &s)
      #expect(s.tab == .lessons)
      let list = LessonsScreen.lessons(state: s.lessons, context: s.context)
      #expect(s.lessons.list.selection(count: list.count).map { list[$0].id } == l.id)
    }
    _ = lesson
    app.send(.navigate(.pattern("deploy/config-drift")), to: &s)
    #expect(s.tab == .patterns)
    let patterns = s.context.patterns
    #expect(
      s.patterns.table.selection(count: patterns.count).map { patterns[$0].key }
        == "deploy/config-drift")
    app.send(.navigate(.dashboard), to: &s)
    #expect(s.tab == .dashboard)
    app.send(.navigate(.today), to: &s)
    #expect(s.tab == .today)
    let forms: [(Destination, FormKind)] = [
      (.review(inc.id), .review(incident: inc.id, template: inc.template)),
      (.newIncident, .newIncident), (.editIncident(inc.id), .editIncident(inc.id)),
      (.setPatterns(inc.id), .setPatterns(inc.id)),
      (.addAction(incident: inc.id), .addAction(incident: inc.id)),
      (.addLesson(incident: inc.id), .addLesson(incident: inc.id)),
      (.revalidateLesson(lesson.id), .revalidateLesson(lesson.id)),
      (.addFactor(incident: inc.id), .addFactor(incident: inc.id)),
      (.addTimelineEntry(incident: inc.id), .addTimelineEntry(incident: inc.id)),
      (.changeChecklist(incident: inc.id), .changeChecklist(incident: inc.id)),
      (.changeTemplate(incident: inc.id), .changeTemplate(incident: inc.id)),
    ]
    for (destination, kind) in forms {
      s.form = nil
      app.send(.navigate(destination), to: &s)
      #expect(s.form?.kind == kind)
    }
    s.form = nil
    app.send(.navigate(.review("nosuchid")), to: &s)
    #expect(s.form == nil)
    #expect(s.status?.isError == true)
  }

  @Test func newIncidentIsSavedAndSelected() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n \(words("Config drift on the canary")) <C-s>", into: &s)
    #expect(s.form == nil)
    #expect(s.status?.text == "saved: new incident")
    let selected = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
    #expect(selected.title == "Config drift on the canary")
    #expect(app.appLog.records.last?.type == "incident.created")
  }

  @Test func saveWithAProblemFocusesItAndSaysWhy() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 n <Tab> <Tab> <Tab> <Tab> <C-u> 2026-02-30 <C-s>", into: &s)
    #expect(s.form != nil)
    #expect(s.form?.showsAllProblems == true)
    #expect(s.form?.form.focus == 0)
    #expect(s.status?.text == "error: cannot save: Title is required")
  }

  @Test func aFailedWriteIsShownAndTheFormStaysOpen() throws {
    let app = try AppHarness()
    var s = app.initialState()
    app.appLog.failNextWrite = WriteFailure()
    let count = app.appLog.records.count
    try app.type("2 a Fix it <Tab> omar <C-s>", into: &s)
    #expect(s.form != nil)
    #expect(s.status?.text == "error: action not saved: disk full")
    #expect(app.appLog.records.count == count)
    try app.type("<C-s>", into: &s)
    #expect(s.form == nil)
    #expect(app.appLog.records.count == count + 1)
  }

  @Test func entityFormsSaveTheirCommands() throws {
    let app = try AppHarness()
    var s = app.initialState()
    let inc = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
    try app.type("2 e <C-u> Renamed <C-s>", into: &s)
    #expect(s.context.domain.incidents[inc.id]?.title == "Renamed")
    try app.type("p <C-u> deploy/flag-drift <C-s>", into: &s)
    #expect(s.context.domain.incidents[inc.id]?.patterns == ["deploy/flag-drift"])
    try app.type("L \(words("Flags are config too.")) <C-s>", into: &s)
    #expect(
      s.context.domain.lessonList.contains {
        $0.text == "Flags are config too." && $0.incidents == [inc.id]
      })
    try app.type("a \(words("Diff flags after rollback")) <Tab> omar <C-s>", into: &s)
    #expect(
      s.context.domain.actions(of: inc.id).contains {
        $0.title == "Diff flags after rollback" && $0.owner == "omar"
      })
    let lesson = try #require(s.context.domain.lessonList.first)
    app.send(.navigate(.revalidateLesson(lesson.id)), to: &s)
    try app.type("<C-s>", into: &s)
    #expect(s.context.domain.lessons[lesson.id]?.revalidated == testToday)
  }

  @Test func followThroughFormsSaveTheirCommands() throws {
    let app = try AppHarness()
    var s = app.initialState()
    let inc = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
    try app.type("2 c \(words("No drift check")) <Tab> <Right> <C-s>", into: &s)
    #expect(s.status?.text == "saved: factor")
    #expect(s.context.domain.factors(of: inc.id).map(\.gap) == [.tooling])
    try app.type("t 09:30 <Tab> <Tab> \(words("Rolled back")) <C-s>", into: &s)
    #expect(s.context.domain.timeline(of: inc.id).map(\.text) == ["Rolled back"])
    try app.type("C <Tab> \(words("Before rollback")) <Tab> <Tab> flags <C-s>", into: &s)
    #expect(s.context.domain.checklists["before-rollback"]?.items == ["flags"])
    let position = try #require(
      s.context.domain.checklistList.firstIndex { $0.name == "before-rollback" })
    let rights = Array(repeating: "<Right>", count: position + 1).joined(separator: " ")
    try app.type("C \(rights) <Tab> <Tab> <Tab> canary <Tab> 1 <C-s>", into: &s)
    #expect(s.context.domain.checklists["before-rollback"]?.items == ["canary"])
    try app.type("T <Tab> ops <Tab> \(words("risk:text:What could we lose?")) <C-s>", into: &s)
    let led = s.context.domain.ledTo(inc.id).map(\.description)
    #expect(
      led == [
        "checklist before-rollback rev 1", "checklist before-rollback rev 2", "template ops rev 1",
      ])
    // A bad value keeps the form open and says why.
    try app.type("t 25:99 <Tab> <Tab> x <C-s>", into: &s)
    #expect(s.form != nil)
    #expect(s.status?.isError == true)
  }

  @Test func theReviewFormAddsAFactorATimelineEntryAndAChecklistChange() throws {
    let app = try AppHarness()
    var s = app.initialState()
    let inc = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
    try app.type("2 r", into: &s)
    let form = try #require(s.form)
    let first = try #require(form.form.fields.firstIndex { $0.id == "+factor" })
    let tabs = Array(repeating: "<Tab>", count: first).joined(separator: " ")
    // A factor without its gap type is refused, naming the field.
    try app.type("\(tabs) \(words("Flags outside the release")) <C-s>", into: &s)
    #expect(s.status?.text == "error: cannot save: choose the factor's gap type")
    #expect(s.form?.form.fields[s.form?.form.focus ?? 0].id == "+factor-gap")
    try app.type(
      "<Right> <Right> <Tab> 10:15 <Tab> \(words("Rollback started")) <Tab> <Right> <Tab> "
        + "\(words("before rollback")) <Tab> \(words("Diff the flags")) <C-s>", into: &s)
    #expect(s.form == nil)
    #expect(s.status?.text == "saved: review")
    let domain = s.context.domain
    #expect(domain.factors(of: inc.id).map(\.text) == ["Flags outside the release"])
    #expect(domain.factors(of: inc.id).map(\.gap) == [.process])
    #expect(domain.timeline(of: inc.id).map(\.text) == ["Rollback started"])
    #expect(domain.checklists["before-rollback"]?.items == ["Diff the flags"])
    #expect(domain.ledTo(inc.id).map(\.description) == ["checklist before-rollback rev 1"])
    // The follow-through fields are never review answers.
    #expect(!domain.incidents[inc.id, default: inc].answers.keys.contains { $0.hasPrefix("+") })
  }

  @Test func ctrlEMovesToTheEndThenOpensTheEditor() throws {
    let app = try AppHarness()
    var calls: [String] = []
    app.runner.editText = { text in
      calls.append(text)
      return text + " (edited)"
    }
    var s = app.initialState()
    try app.type("2 n Title <C-a> <C-e>", into: &s)
    #expect(calls.isEmpty)
    #expect(s.form?.isCursorAtLineEnd == true)
    try app.type("<C-e>", into: &s)
    #expect(calls == ["Title"])
    #expect(s.form?.value("title") == "Title (edited)")
    // An empty field opens the editor at once.
    try app.type("<Tab> <C-e>", into: &s)
    #expect(calls == ["Title", ""])
    #expect(s.form?.value("what") == " (edited)")
  }

  @Test func editorFailureIsShown() throws {
    let app = try AppHarness()
    app.runner.editText = { _ in throw WriteFailure() }
    var s = app.initialState()
    try app.type("2 n <C-e>", into: &s)
    #expect(s.status?.text == "error: disk full")
    #expect(s.form != nil)
  }

  @Test func blameLanguageIsFlaggedWithoutBlockingTheSave() throws {
    let app = try AppHarness()
    var s = app.initialState()
    let inc = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
    try app.type("2 r", into: &s)
    try app.type(words("Omar should have checked the flags"), into: &s)
    let lines = app.frame(s).lines()
    #expect(lines.containsLine(with: "“should have” — try:"))
    try app.type("<C-s>", into: &s)
    #expect(s.form == nil)
    #expect(
      s.context.domain.incidents[inc.id]?.answer("expected") == "Omar should have checked the flags"
    )
  }

  @Test func pasteGoesToTheFocusedFieldOrTheSearch() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 /", into: &s)
    if let a = app.model.action(for: .paste("cache"), in: s) { app.send(a, to: &s) }
    #expect(s.incidents.search.text == "cache")
    try app.type("<Esc> n", into: &s)
    if let a = app.model.action(for: .paste("pasted title"), in: s) { app.send(a, to: &s) }
    #expect(s.form?.value("title") == "pasted title")
  }

  @Test func mouseSelectsTabsAndRows() throws {
    let app = try AppHarness()
    var s = app.initialState()
    let incidentsTab = try #require(AppModelProbe.tabColumn(.incidents, width: 80))
    let click = InputEvent.mouse(
      MouseEvent(action: .press(button: 1), position: Point(x: incidentsTab, y: 0)))
    app.send(try #require(app.model.action(for: click, in: s)), to: &s)
    #expect(s.tab == .incidents)
    let row = InputEvent.mouse(MouseEvent(action: .press(button: 1), position: Point(x: 3, y: 5)))
    app.send(try #require(app.model.action(for: row, in: s)), to: &s)
    #expect(s.incidents.list.selected == 3)
    let wheel = InputEvent.mouse(MouseEvent(action: .wheelDown, position: Point(x: 3, y: 5)))
    app.send(try #require(app.model.action(for: wheel, in: s)), to: &s)
    #expect(s.incidents.list.selected == 6)
  }

  @Test func setStatusAndPerformedResults() throws {
    let app = try AppHarness()
    var s = app.initialState()
    _ = app.model.reduce(&s, .setStatus("hello"))
    #expect(s.status == StatusMessage("hello"))
    _ = app.model.reduce(&s, .performFailed(purpose: "x", message: "x not saved: broken"))
    #expect(s.status?.isError == true)
    _ = app.model.reduce(&s, .setStatus(""))
    #expect(s.status == nil)
  }

  @Test func helpListsEveryKeyOfTheView() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2", into: &s)
    let help = app.model.helpSections(s)
    let keys = help.flatMap(\.entries).map(\.keys)
    for k in ["n", "r", "a", "L", "e", "p", "/", "Tab", "?", "q", "1", "Ctrl-L"] {
      #expect(keys.contains { $0 == k || $0.hasPrefix(k + "/") }, "\(k)")
    }
    try app.type("n", into: &s)
    let formHelp = app.model.helpSections(s).flatMap(\.entries)
    #expect(formHelp.contains { $0.keys == "Ctrl-E" && $0.help == "end of line · again: $EDITOR" })
    #expect(formHelp.contains { $0.keys == "Ctrl-S" })
  }
}

/// Reads the tabs bar of a frame to find where a tab's title is.
enum AppModelProbe {
  static func tabColumn(_ tab: AppTab, width: Int) -> Int? {
    let app = try? AppHarness()
    guard let app else { return nil }
    let line = app.frame(app.initialState(size: Size(width: width, height: 24))).lines()[0]
    guard let r = line.range(of: "\(tab.rawValue) \(tab.title)") else { return nil }
    return line.distance(from: line.startIndex, to: r.lowerBound) + 1
  }
}

@Test func ctrlTSwitchesTheReviewTemplateKeepingSharedAnswers() throws {
  let app = try AppHarness()
  var s = app.initialState()
  let inc = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
  try app.type("2 r \(words("Typed first")) <C-t>", into: &s)
  guard case .review(let id, let template)? = s.form?.kind else {
    Issue.record("no review form")
    return
  }
  #expect(id == inc.id)
  #expect(template != inc.template)
  #expect(s.form?.value("expected") == "Typed first")
  // The template's questions, then the follow-through fields every review form ends with.
  #expect(
    s.form?.form.fields.map(\.id).filter { !$0.hasPrefix("+") }
      == s.context.domain.reviewQuestions(for: inc, template: template).map(\.key))
  #expect(s.form?.form.fields.last?.id == "+template-question")
  try app.type("<C-s>", into: &s)
  #expect(s.context.domain.incidents[inc.id]?.answer("expected") == "Typed first")
}

@Test func selectionsFollowTheirItemWhenTheLogChanges() throws {
  let app = try AppHarness()
  var s = app.initialState()
  try app.type("2 j j 1 j", into: &s)
  let incident = try #require(IncidentsScreen.selected(s.incidents, context: s.context)?.id)
  let item = s.context.todayItems[s.today.list.selected]
  // Another process records a newer incident: it lands on top of both lists.
  try app.appLog.appendFromElsewhere(
    .addIncident(NewIncident(title: "Newest from elsewhere", occurred: "2026-11-25")))
  app.send(.tick, to: &s)
  #expect(s.context.domain.incidentList.contains { $0.title == "Newest from elsewhere" })
  #expect(IncidentsScreen.selected(s.incidents, context: s.context)?.id == incident)
  let now = s.context.todayItems[s.today.list.selected]
  #expect(now.kind == item.kind && now.subject == item.subject)
}

@Test func theCachedListFollowsEveryChangeOfTheLog() throws {
  let app = try AppHarness()
  var s = app.initialState()
  try app.type("2 o o o", into: &s)
  let oldest = try #require(IncidentsScreen.rows(s.incidents, context: s.context).last)
  try app.appLog.appendFromElsewhere(
    .setIncidentField(incident: oldest.id, field: "occurred", value: "2026-11-25"))
  app.send(.tick, to: &s)
  #expect(IncidentsScreen.rows(s.incidents, context: s.context).first?.id == oldest.id)
  let lines = app.frame(s).lines()
  #expect(lines[2].contains("11-25"))
  #expect(
    IncidentsScreen.rowIDs(s.incidents, context: s.context)
      == IncidentQuery.rowIDs(s.context, filter: IncidentFilter(), search: "", sort: .date))
}
