import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

/// What a newcomer meets in the first hour: the detail pane's scrolling, messages, truncation.
@Suite struct NewcomerTests {
  let size = Size(width: 100, height: 30)

  /// The detail pane's rows (right of the divider) of a frame.
  func detailRows(_ buffer: ScreenBuffer) -> [String] {
    trimmedLines(buffer).dropFirst(2).prefix(size.height - 4).map { line in
      guard let bar = line.firstIndex(of: "│") else { return "" }
      return String(line[line.index(after: bar)...])
    }
  }

  /// The detail of the selected incident, scrolled by `keys` after Tab.
  func detailAfter(_ keys: String, harness: AppHarness) throws -> (AppState, ScreenBuffer) {
    var state = harness.initialState(size: size)
    try harness.type("2 <Tab> " + keys, into: &state)
    return (state, harness.frame(state))
  }

  @Test func theDetailClampsItsScrollToItsEnd() throws {
    let harness = try AppHarness()
    let (_, atEnd) = try detailAfter(
      Array(repeating: "<PgDn>", count: 30).joined(separator: " "), harness: harness)
    let (_, oneUp) = try detailAfter(
      Array(repeating: "<PgDn>", count: 30).joined(separator: " ") + " k", harness: harness)
    // One k after scrolling far past the end moves the text at once.
    #expect(detailRows(atEnd) != detailRows(oneUp), "k did nothing after PgDn past the end")
    // The end shows the last line in the pane's last row, not blank rows below it.
    #expect(detailRows(atEnd).last?.trimmingCharacters(in: .whitespaces).isEmpty == false)
  }

  @Test func gAndEndReachTheEndAndGAndHomeTheTopOfTheDetail() throws {
    let harness = try AppHarness()
    let (_, top) = try detailAfter("", harness: harness)
    let (_, many) = try detailAfter(
      Array(repeating: "j", count: 400).joined(separator: " "), harness: harness)
    for end in ["G", "<End>"] {
      let (_, frame) = try detailAfter(end, harness: harness)
      #expect(detailRows(frame) == detailRows(many), "\(end) does not reach the detail's end")
      for home in ["g", "<Home>"] {
        let (_, back) = try detailAfter(end + " " + home, harness: harness)
        #expect(detailRows(back) == detailRows(top), "\(home) does not go back to the top")
      }
    }
  }

  @Test func pageDownMovesOneViewportOfTheDetail() throws {
    // A short terminal: the pane is 12 rows, so a page is not the 10 a fixed step would give.
    let harness = try AppHarness()
    let small = Size(width: 100, height: 16)
    func rows(_ keys: String) throws -> [String] {
      var state = harness.initialState(size: small)
      try harness.type("2 <Tab> " + keys, into: &state)
      return trimmedLines(harness.frame(state)).dropFirst(2).prefix(small.height - 4).map {
        line in line.firstIndex(of: "│").map { String(line[line.index(after: $0)...]) } ?? ""
      }
    }
    let height = small.height - 4
    let page = try rows("<PgDn>")
    #expect(page == (try rows(Array(repeating: "j", count: height).joined(separator: " "))))
    #expect(
      (try rows("<PgDn> <PgUp>")) == (try rows("")), "PgUp did not come back one page")
  }

  @Test func theScrollMarkerNeverCoversText() throws {
    let harness = try AppHarness()
    // Across widths, some detail line reaches the pane's last column.
    for width in 60...140 {
      let size = Size(width: width, height: 30)
      var state = harness.initialState(size: size)
      try harness.type("2", into: &state)
      let unfocused = harness.frame(state)
      try harness.type("<Tab>", into: &state)
      let focused = harness.frame(state)
      for y in 0..<size.height {
        for x in 0..<size.width where focused[x, y].text == "◆" {
          #expect(
            unfocused[x, y].text == " ",
            "at \(width) columns the marker covers \"\(unfocused[x, y].text)\"")
        }
      }
    }
  }

  // MARK: Messages

  @Test func aMessageLeavesAtTheNextKey() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: size)
    try harness.type("2", into: &state)
    harness.send(.setStatus("saved: review"), to: &state)
    #expect(state.status?.text == "saved: review")
    try harness.type("j", into: &state)
    #expect(state.status == nil, "the message stayed after a key")
    // A key that says something shows its own message.
    try harness.type("o", into: &state)
    #expect(state.status?.text.hasPrefix("sorted by") == true)
  }

  @Test func aMessageLeavesAfterAFewSecondsWithoutKeys() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: size)
    for text in ["saved: review", "error: something failed"] {
      harness.send(.setStatus(text), to: &state)
      // Ticks come every 500 ms without input: a few seconds are under 30 of them.
      var ticks = 0
      while state.status != nil, ticks < 30 {
        harness.send(.tick, to: &state)
        ticks += 1
      }
      #expect(state.status == nil, "\(text) stayed for \(ticks) ticks")
      #expect(ticks >= 4, "\(text) left too soon to be read (\(ticks) ticks)")
    }
  }

  @Test func messagesAreKeptInALogThatMOpens() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: size)
    harness.send(.setStatus("error: the first failure"), to: &state)
    harness.send(.setStatus("saved: review"), to: &state)
    try harness.type("j j 3", into: &state)
    #expect(state.status == nil)
    try harness.type("M", into: &state)
    let screen = trimmedLines(harness.frame(state))
    #expect(screen.containsLine(with: "Messages"), "\(screen.joined(separator: "\n"))")
    #expect(screen.containsLine(with: "error: the first failure"))
    #expect(screen.containsLine(with: "saved: review"))
    try harness.type("<Esc>", into: &state)
    #expect(state.overlay == nil)
    let entries = harness.model.helpSections(state).flatMap(\.entries)
    #expect(entries.contains { $0.keys == "M" }, "help does not list M")
  }

  // MARK: Order

  /// The list's order is the command line's: newest day first, then the latest recorded
  /// (creation time, then place in the log).
  @Test func incidentsAreNewestFirstThenLatestRecorded() throws {
    // Imported in one go: several incidents of one day recorded at the same instant, their ids
    // in no particular order.
    var state = try InMemoryAppLog.demo(today: testToday).state
    let now = testToday.utcMilliseconds + 3_600_000
    for (n, (title, id)) in [
      ("Alpha", "m2k4b7q9"), ("Bravo", "x8c3d5f1"), ("Charlie", "b4n6p8r2"),
      ("Delta", "t7v9w3y5"),
    ].enumerated() {
      let plan = try state.plan(
        .addIncident(NewIncident(title: title, occurred: "2026-11-20")),
        context: CommandContext(today: testToday, now: now, makeID: { id }))
      for draft in plan.shared {
        state.apply(
          Record(
            id: EventID(rawValue: "import-\(n)"),
            clock: HybridTimestamp(wall: now, logical: Int32(n)),
            writer: "import", type: draft.type, schema: draft.schema, entity: draft.entity,
            body: draft.body))
      }
    }
    let context = ViewContext(domain: state, today: testToday, theme: .monochrome)
    let list = state.incidentList
    let expected = list.indices.sorted { a, b in
      let x = list[a]
      let y = list[b]
      if x.occurred != y.occurred { return x.occurred > y.occurred }
      if x.createdAt != y.createdAt { return x.createdAt > y.createdAt }
      return a > b
    }.map { list[$0].id }
    #expect(IncidentsScreen.rows(IncidentsScreen.State(), context: context).map(\.id) == expected)
    var searching = IncidentsScreen.State()
    searching.search.insert("e")
    let matches = Set(IncidentsScreen.rows(searching, context: context).map(\.id))
    #expect(
      IncidentsScreen.rows(searching, context: context).map(\.id)
        == expected.filter(matches.contains))
  }

  // MARK: One vocabulary

  /// The Patterns tab names a pattern's step with the words the command line and the
  /// dashboard use (logged, repeated, escalated).
  @Test func patternStepsHaveOneNameEverywhere() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: Size(width: 140, height: 40))
    try harness.type("5", into: &state)
    let screen = trimmedLines(harness.frame(state)).joined(separator: "\n")
    let steps = Set(state.context.patterns.map(\.step))
    #expect(steps.count >= 2)
    for step in steps {
      #expect(
        screen.contains(" \(step.rawValue)"), "the Patterns tab does not say \(step.rawValue)")
    }
    #expect(!screen.contains("why-didn't-fix-hold"))
    #expect(!screen.contains(" log "))
  }

  // MARK: Search

  /// The list's search ignores accents and the shape of quotes, as the command line's does.
  @Test func searchFoldsAccentsAndQuotes() throws {
    let appLog = InMemoryAppLog(today: testToday)
    for title in ["Résumé parser drops the CRÈME field", "Tucows’ DNS outage", "Unrelated"] {
      _ = try appLog.perform(.addIncident(NewIncident(title: title)))
    }
    let context = ViewContext(domain: appLog.state, today: testToday, theme: .monochrome)
    func found(_ needle: String) -> [String] {
      var state = IncidentsScreen.State()
      state.search.insert(needle)
      return IncidentsScreen.rows(state, context: context).map(\.title)
    }
    #expect(found("resume") == ["Résumé parser drops the CRÈME field"])
    #expect(found("creme") == ["Résumé parser drops the CRÈME field"])
    #expect(found("RÉSUMÉ") == ["Résumé parser drops the CRÈME field"])
    #expect(found("tucows'") == ["Tucows’ DNS outage"])
    #expect(found("tucows’") == ["Tucows’ DNS outage"])
  }

  /// ↓/↑/PgDn move the list while a search is typed, and Tab goes to the detail keeping it.
  @Test func navigationKeysWorkWhileTypingASearch() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: size)
    try harness.type("2 / e", into: &state)
    #expect(state.incidents.isSearching)
    let first = state.incidents.list.selected
    try harness.type("<Down>", into: &state)
    #expect(state.incidents.list.selected == first + 1, "↓ did not move while searching")
    #expect(state.incidents.isSearching && state.incidents.search.text == "e")
    try harness.type("<Up>", into: &state)
    #expect(state.incidents.list.selected == first)
    try harness.type("<PgDn>", into: &state)
    #expect(state.incidents.list.selected > first)
    try harness.type("<Tab>", into: &state)
    #expect(state.incidents.focus == .detail)
    #expect(!state.incidents.isSearching && state.incidents.search.text == "e")
  }

  /// The list says where the selection is (`3/12`), and help explains the status marks.
  @Test func theListShowsItsPositionAndHelpItsMarks() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: size)
    try harness.type("2 j j", into: &state)
    let total = state.context.domain.incidents.count
    #expect(trimmedLines(harness.frame(state)).containsLine(with: "3/\(total)"))
    let help = harness.model.helpSections(state).flatMap(\.entries).map { $0.keys + " " + $0.help }
    for mark in ["○ open", "◐ reviewing", "● reviewed", "✓ closed"] {
      #expect(help.contains { $0.contains(mark) }, "help does not explain \(mark)")
    }
  }

  // MARK: Truncation

  /// Every view, at several sizes, with texts far longer than any pane: wherever a word of
  /// them is cut, "…" says so.
  @Test func everyCutIsMarked() throws {
    // Words of four characters (Zq01 … Zq60): a shorter run is a cut word.
    let long = (1...60).map { "Zq" + ($0 < 10 ? "0\($0)" : "\($0)") }.joined(separator: " ")
    let appLog = try InMemoryAppLog.demo(today: testToday)
    let id = try #require(
      try appLog.perform(
        .addIncident(
          NewIncident(
            title: long, what: long, team: "team" + long.replacingOccurrences(of: " ", with: ""),
            owner: "Zq99", patterns: ["deploy/config-drift"], occurred: "2026-11-24"))
      ).createdID)
    _ = try appLog.perform(
      .addAction(NewAction(incident: id, title: long, owner: "Zq98", due: "2026-11-20")))
    _ = try appLog.perform(.addLesson(NewLesson(text: long, incidents: [id])))
    let harness = try AppHarness(appLog: appLog)
    var unmarked: [String] = []
    var marked = 0
    for size in [
      Size(width: 60, height: 16), Size(width: 80, height: 24), Size(width: 140, height: 40),
    ] {
      for keys in ["1", "2", "2 <Tab>", "3", "4", "5", "6", "2 r"] {
        var state = harness.initialState(size: size)
        try harness.type(keys, into: &state)
        for line in trimmedLines(harness.frame(state)) {
          let chars = Array(line)
          var i = 0
          while i < chars.count {
            guard chars[i] == "Z", i + 1 < chars.count, chars[i + 1] == "q" || chars[i + 1] == "…"
            else {
              i += 1
              continue
            }
            var j = i
            while j < chars.count, chars[j] == "Z" || chars[j] == "q" || chars[j].isNumber {
              j += 1
            }
            if j - i < 4, j >= chars.count || chars[j] != "…" {
              unmarked.append("\(size.width)x\(size.height) [\(keys)]: \(line)")
            } else if j < chars.count, chars[j] == "…" {
              marked += 1
            }
            i = j
          }
        }
      }
    }
    #expect(marked > 5, "the long texts were not cut anywhere (\(marked))")
    #expect(unmarked.isEmpty, "cut without …:\n\(unmarked.joined(separator: "\n"))")
  }

  /// The list is as wide as its titles ask, up to about half the screen: on a wide terminal
  /// the demo's titles show whole, and the detail takes the rest.
  @Test func theIncidentListIsLaidOutByContent() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: Size(width: 140, height: 40))
    try harness.type("2", into: &state)
    let screen = trimmedLines(harness.frame(state))
    let titles = state.context.domain.incidentList.map(\.title).filter { $0.count <= 60 }
    #expect(!titles.isEmpty)
    for title in titles {
      #expect(screen.contains { $0.contains(title) }, "\(title) is cut at 140 columns")
    }
  }

  // MARK: Forms

  /// Pattern suggestions show full keys (not word stems) and Ctrl-P adds the first one.
  @Test func patternSuggestionsShowKeysAndCtrlPAcceptsOne() throws {
    let harness = try AppHarness()
    var state = harness.initialState(size: Size(width: 120, height: 40))
    try harness.type("2 n " + words("Config drift between regions after deploy"), into: &state)
    let screen = trimmedLines(harness.frame(state))
    let line = try #require(screen.first { $0.contains("Likely patterns") }, "no suggestions")
    #expect(line.contains("deploy/config-drift"), "\(line)")
    #expect(!line.contains("words "), "stems shown: \(line)")
    try harness.type("<C-p>", into: &state)
    let patterns = state.form?.form.value("patterns") ?? ""
    #expect(patterns.contains("deploy/config-drift"), "Ctrl-P added nothing: '\(patterns)'")
    // Again: the next suggestion, not the same key twice.
    try harness.type("<C-p>", into: &state)
    let again = state.form?.form.value("patterns") ?? ""
    #expect(again.components(separatedBy: "deploy/config-drift").count == 2, "\(again)")
  }
}
