import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import Testing

/// A new private note (`P` then `n`) is about the incident of what is selected on the screen
/// shown, whatever the incidents tab has selected.
@Suite struct PrivateNoteAboutTests {
  /// The "About incident" field of the private note opened on `state` as it is.
  static func about(_ app: AppHarness, _ state: AppState) throws -> String {
    var s = state
    app.send(.addPrivateNote, to: &s)
    let form = try #require(s.form)
    #expect(form.kind == .addPrivateNote)
    return form.value("incident")
  }

  @Test func onTodayTheNoteIsAboutTheSelectedItemsIncident() throws {
    let app = try AppHarness()
    var s = app.initialState()
    // The incidents tab selects its last row: not what Today's items are about.
    try app.type("2 G 1", into: &s)
    let incidentsTab = try #require(IncidentsScreen.selected(s.incidents, context: s.context))
    let items = s.context.todayItems
    var checked = 0
    var differed = 0
    for (i, item) in items.enumerated() {
      let expected: String?
      switch item.kind {
      case .reviewIncomplete, .reviewScheduled: expected = item.subject
      case .overdueAction, .verificationDue, .mitigationToRetire:
        expected = s.context.domain.actions[item.subject]?.incident
      default: continue
      }
      let id = try #require(expected, "\(item.kind) \(item.subject) has no incident")
      var here = s
      try app.type(String(repeating: "j ", count: i), into: &here)
      #expect(
        try Self.about(app, here) == s.context.shortID(id), "today item \(i): \(item.kind)")
      checked += 1
      if id != incidentsTab.id { differed += 1 }
    }
    #expect(checked >= 2, "the demo's queue has reviews and actions")
    #expect(differed >= 1, "every item was about the incidents tab's selection")
  }

  @Test func eachScreenFillsTheIncidentOfItsSelection() throws {
    let app = try AppHarness()
    var s = app.initialState()
    try app.type("2 G", into: &s)
    let context = s.context
    // Board: the selected (first open) card's action's incident.
    try app.type("3", into: &s)
    let card = try #require(BoardScreen.cards(.open, state: s.board, context: context).first)
    #expect(try Self.about(app, s) == context.shortID(card.incident))
    // Lessons: the selected (first) lesson's incident.
    try app.type("4", into: &s)
    let lesson = try #require(LessonsScreen.lessons(state: s.lessons, context: context).first)
    let learnt = try #require(lesson.incidents.first, "the demo's first lesson has an incident")
    #expect(try Self.about(app, s) == context.shortID(learnt))
    // Patterns: the selected pattern's latest incident.
    try app.type("5", into: &s)
    let pattern = try #require(context.patterns.first)
    let latest = try #require(pattern.incidents.last)
    #expect(try Self.about(app, s) == context.shortID(latest))
    // Dashboard: nothing is selected, nothing is filled in.
    try app.type("6", into: &s)
    #expect(try Self.about(app, s) == "")
  }
}
