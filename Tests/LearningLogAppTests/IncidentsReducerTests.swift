import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import Testing

@Suite struct IncidentsReducerTests {
  let context: ViewContext

  init() throws {
    let appLog = try InMemoryAppLog.demo(today: testToday)
    context = ViewContext(domain: appLog.state, today: testToday, theme: .monochrome)
  }

  func rows(_ s: IncidentsScreen.State) -> [Incident] { IncidentsScreen.rows(s, context: context) }

  @Test func listIsNewestFirstAndSortCycles() {
    var s = IncidentsScreen.State()
    let byDate = rows(s)
    #expect(byDate.count == context.domain.incidents.count)
    #expect(zip(byDate, byDate.dropFirst()).allSatisfy { $0.occurred >= $1.occurred })
    let effects = IncidentsScreen.reduce(&s, .cycleSort, context: context)
    #expect(s.sort == .severity)
    #expect(effects == [.status("sorted by severity")])
    let bySeverity = rows(s)
    #expect(zip(bySeverity, bySeverity.dropFirst()).allSatisfy { $0.severity >= $1.severity })
    _ = IncidentsScreen.reduce(&s, .cycleSort, context: context)
    #expect(s.sort == .repeats)
    let first = rows(s).first
    #expect(first?.patterns.contains("deploy/config-drift") == true)
    _ = IncidentsScreen.reduce(&s, .cycleSort, context: context)
    #expect(s.sort == .date)
  }

  @Test func sortKeepsTheSelectedIncident() {
    var s = IncidentsScreen.State()
    _ = IncidentsScreen.reduce(&s, .navigate(.char("j")), context: context)
    _ = IncidentsScreen.reduce(&s, .navigate(.char("j")), context: context)
    let chosen = IncidentsScreen.selected(s, context: context)?.id
    _ = IncidentsScreen.reduce(&s, .cycleSort, context: context)
    #expect(IncidentsScreen.selected(s, context: context)?.id == chosen)
  }

  @Test func navigationMovesTheListOrScrollsTheDetail() {
    var s = IncidentsScreen.State()
    _ = IncidentsScreen.reduce(&s, .navigate(.char("j")), context: context)
    #expect(s.list.selected == 1)
    _ = IncidentsScreen.reduce(&s, .switchFocus, context: context)
    #expect(s.focus == .detail)
    _ = IncidentsScreen.reduce(&s, .navigate(.char("j")), context: context)
    _ = IncidentsScreen.reduce(&s, .navigate(KeyEvent(.pageDown)), context: context)
    #expect(s.list.selected == 1)
    #expect(s.detailScroll > 1)  // a page on, clamped to the detail's end
    _ = IncidentsScreen.reduce(&s, .navigate(.char("g")), context: context)
    #expect(s.detailScroll == 0)
    _ = IncidentsScreen.reduce(&s, .switchFocus, context: context)
    #expect(s.focus == .list)
    _ = IncidentsScreen.reduce(&s, .open, context: context)
    #expect(s.focus == .detail)
  }

  @Test func filterFormNarrowsByEachField() throws {
    var s = IncidentsScreen.State()
    _ = IncidentsScreen.reduce(&s, .openFilter, context: context)
    let form = try #require(s.filterForm)
    #expect(form.fields.map(\.id) == ["status", "kind", "team", "tag", "pattern", "severity"])
    // kind: cycle once from "any" to the first kind.
    _ = IncidentsScreen.reduce(&s, .filterKey(KeyEvent(.tab)), context: context)
    _ = IncidentsScreen.reduce(&s, .filterKey(.char(" ")), context: context)
    _ = IncidentsScreen.reduce(&s, .applyFilter, context: context)
    #expect(s.filterForm == nil)
    #expect(s.filter.kind == "production")
    #expect(!rows(s).isEmpty && rows(s).allSatisfy { $0.kind == .production })
    _ = IncidentsScreen.reduce(&s, .clearFilter, context: context)
    #expect(s.filter.isEmpty)
    _ = IncidentsScreen.reduce(&s, .openFilter, context: context)
    _ = IncidentsScreen.reduce(&s, .filterKey(.char(" ")), context: context)
    _ = IncidentsScreen.reduce(&s, .cancelFilter, context: context)
    #expect(s.filter.isEmpty)
    #expect(s.filterForm == nil)
  }

  @Test func everyFilterFieldMatches() {
    let all = context.domain.incidentList
    let sample = all[0]
    for field in ["status", "kind", "team", "tag", "pattern", "severity"] {
      var f = IncidentFilter()
      switch field {
      case "status": f.status = sample.status.rawValue
      case "kind": f.kind = sample.kind.rawValue
      case "team": f.team = sample.team
      case "tag": f.tag = sample.tags.first
      case "pattern": f.pattern = sample.patterns.first
      default: f.severity = sample.severity.rawValue
      }
      #expect(f.matches(sample), "\(field)")
      #expect(all.filter(f.matches).count <= all.count)
    }
    #expect(!IncidentFilter(team: "no-such-team").matches(sample))
  }

  @Test func searchNarrowsAsYouTypeEnterKeepsEscClears() {
    var s = IncidentsScreen.State()
    _ = IncidentsScreen.reduce(&s, .startSearch, context: context)
    #expect(IncidentsScreen.isCapturingInput(s))
    for c in "drift" { _ = IncidentsScreen.reduce(&s, .searchKey(.char(c)), context: context) }
    let found = rows(s)
    #expect(!found.isEmpty && found.count < context.domain.incidents.count)
    #expect(found.allSatisfy { IncidentQuery.matches($0, search: "drift") })
    _ = IncidentsScreen.reduce(&s, .keepSearch, context: context)
    #expect(!s.isSearching)
    #expect(s.search.text == "drift")
    #expect(rows(s).count == found.count)
    _ = IncidentsScreen.reduce(&s, .clearSearch, context: context)
    #expect(s.search.text.isEmpty)
    #expect(rows(s).count == context.domain.incidents.count)
    _ = IncidentsScreen.reduce(&s, .searchPaste("cache"), context: context)
    #expect(rows(s).allSatisfy { IncidentQuery.matches($0, search: "cache") })
  }

  @Test func selectScrollAndSelectIncident() throws {
    var s = IncidentsScreen.State()
    _ = IncidentsScreen.reduce(&s, .select(4), context: context)
    #expect(s.list.selected == 4)
    _ = IncidentsScreen.reduce(&s, .scroll(3), context: context)
    #expect(s.list.selected == 7)
    // Selecting an incident hidden by the filter clears the filter.
    let target = try #require(rows(s).last)
    s.filter.team = "no-such-team"
    _ = IncidentsScreen.reduce(&s, .selectIncident(target.id), context: context)
    #expect(s.filter.isEmpty)
    #expect(IncidentsScreen.selected(s, context: context)?.id == target.id)
  }

  @Test func incidentKeysOpenTheirForms() throws {
    var s = IncidentsScreen.State()
    let id = try #require(IncidentsScreen.selected(s, context: context)?.id)
    #expect(IncidentsScreen.reduce(&s, .newIncident, context: context) == [.show(.newIncident)])
    #expect(IncidentsScreen.reduce(&s, .review, context: context) == [.show(.review(id))])
    #expect(
      IncidentsScreen.reduce(&s, .addAction, context: context) == [.show(.addAction(incident: id))])
    #expect(
      IncidentsScreen.reduce(&s, .addLesson, context: context) == [.show(.addLesson(incident: id))])
    #expect(IncidentsScreen.reduce(&s, .edit, context: context) == [.show(.editIncident(id))])
    #expect(IncidentsScreen.reduce(&s, .setPattern, context: context) == [.show(.setPatterns(id))])
    // With nothing selected the keys say so instead of opening a form.
    s.search = TextEditState("zzzz-nothing")
    #expect(
      IncidentsScreen.reduce(&s, .review, context: context) == [
        .status("no incident selected: n records one")
      ])
  }

  @Test func keysFollowTheProductTable() {
    let s = IncidentsScreen.State()
    let table: [(KeyEvent, IncidentsScreen.Action)] = [
      (.char("n"), .newIncident), (.char("r"), .review), (.char("a"), .addAction),
      (.char("L"), .addLesson), (.char("e"), .edit), (.char("p"), .setPattern),
      (.char("/"), .startSearch), (KeyEvent(.tab), .switchFocus), (KeyEvent(.enter), .open),
      (.char("o"), .cycleSort), (.char("f"), .openFilter),
    ]
    for (key, action) in table {
      #expect(IncidentsScreen.action(for: key, state: s) == action, "\(key.displayName)")
    }
    var searching = s
    searching.isSearching = true
    #expect(IncidentsScreen.action(for: .char("n"), state: searching) == .searchKey(.char("n")))
    #expect(IncidentsScreen.action(for: KeyEvent(.escape), state: searching) == .clearSearch)
    #expect(IncidentsScreen.action(for: KeyEvent(.enter), state: searching) == .keepSearch)
  }

  @Test func detailShowsAnswersActionsPatternAndHistory() throws {
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let changed = try #require(appLog.state.incidentList.first { $0.answer("root-cause") != nil })
    let before = try #require(changed.answer("root-cause"))
    _ = try appLog.perform(
      .review(
        incident: changed.id, template: nil,
        answers: [ReviewAnswer(key: "root-cause", value: "A better understanding.")]))
    let context = ViewContext(domain: appLog.state, today: testToday, theme: .monochrome)
    var s = IncidentsScreen.State()
    _ = IncidentsScreen.reduce(&s, .selectIncident(changed.id), context: context)
    var buffer = ScreenBuffer(size: Size(width: 120, height: 200))
    _ = IncidentsScreen.render(s, context: context, into: &buffer, area: buffer.area)
    let lines = buffer.lines()
    #expect(lines.containsLine(with: "What happened"))
    #expect(lines.containsLine(with: "Review ("))
    #expect(lines.containsLine(with: "A better understanding."))
    #expect(lines.containsLine(with: "changed 1× — earlier versions"))
    #expect(lines.containsLine(with: String(before.prefix(12))))
    #expect(lines.containsLine(with: "Actions"))
    #expect(lines.containsLine(with: "Lessons"))
  }
}
