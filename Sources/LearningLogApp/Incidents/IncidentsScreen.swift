import LearningLog
import TerminalUI

/// Screen 2: the incident list beside the selected incident's detail.
public enum IncidentsScreen: AppScreen {
  /// Which pane takes the navigation keys.
  public enum Focus: Hashable, Sendable { case list, detail }

  /// Selection, focus, order, filter and search of the list.
  public struct State: Hashable, Sendable {
    public var list = ListState()
    public var focus: Focus = .list
    /// The first detail line shown.
    public var detailScroll = 0
    public var sort: IncidentSort = .date
    public var filter = IncidentFilter()
    /// The search text (kept after Enter, cleared by Esc).
    public var search = TextEditState()
    /// Whether the search box takes the keys.
    public var isSearching = false
    /// The filter form, while it is open.
    public var filterForm: FormState?
    /// The list's ids as last computed, and what they were computed from.
    var cache: RowCache?
    /// The width the list's widest row asks for (kept with the cache), which lays out the panes.
    var contentWidth = 0
    /// A list at the top, newest first, unfiltered.
    public init() {}
  }

  /// What can happen on the screen.
  public enum Action: Hashable, Sendable {
    case navigate(KeyEvent)
    case switchFocus
    case open
    case cycleSort
    case openFilter
    case filterKey(KeyEvent)
    case applyFilter
    case cancelFilter
    case clearFilter
    case startSearch
    case searchKey(KeyEvent)
    case searchPaste(String)
    case keepSearch
    case clearSearch
    case select(Int)
    case scroll(Int)
    /// Select the incident with this id (clearing filters that hide it).
    case selectIncident(String)
    case newIncident
    case review
    case addAction
    case addLesson
    case edit
    case setPattern
    case addFactor
    case addTimelineEntry
    case changeChecklist
    case changeTemplate
    case addExperiment
    case scheduleReview
    case addNote
    /// Copy the selected incident's id (`y`).
    case copyID
  }

  public static var keymap: KeymapContext<Action> {
    let move: @Sendable (KeyEvent) -> Action = { .navigate($0) }
    return KeymapContext(
      "incidents",
      [
        KeyBinding(
          keys: [.char("j"), KeyEvent(.down)], help: "next incident (detail: scroll down)",
          hint: "move", hintKeys: "j/k ↓/↑", forwarding: move),
        KeyBinding(
          keys: [.char("k"), KeyEvent(.up)], help: "previous incident (detail: scroll up)",
          forwarding: move),
        KeyBinding(
          keys: [.char("g"), KeyEvent(.home)], help: "first", keyLabel: "g/Home", forwarding: move),
        KeyBinding(
          keys: [.char("G"), KeyEvent(.end)], help: "last", keyLabel: "G/End", forwarding: move),
        KeyBinding(
          keys: [KeyEvent(.pageUp), KeyEvent(.pageDown)], help: "page up / down",
          forwarding: move),
        KeyBinding(
          keys: [.char("/")], help: "search as you type", action: .startSearch, hint: "search"),
        KeyBinding(keys: [KeyEvent(.enter)], help: "open the detail", action: .open),
        KeyBinding(
          keys: [KeyEvent(.tab)], help: "switch list / detail", action: .switchFocus, hint: "detail"
        ),
        KeyBinding(keys: [.char("n")], help: "new incident", action: .newIncident, hint: "new"),
        KeyBinding(
          keys: [.char("r")], help: "review the selected one", action: .review, hint: "review"),
        KeyBinding(keys: [.char("a")], help: "add an action", action: .addAction, hint: "action"),
        KeyBinding(keys: [.char("L")], help: "add a lesson", action: .addLesson, hint: "lesson"),
        KeyBinding(keys: [.char("e")], help: "edit", action: .edit, hint: "edit"),
        KeyBinding(keys: [.char("p")], help: "set pattern", action: .setPattern, hint: "pattern"),
        KeyBinding(
          keys: [.char("c")], help: "add a contributing factor", action: .addFactor),
        KeyBinding(keys: [.char("t")], help: "add a timeline entry", action: .addTimelineEntry),
        KeyBinding(
          keys: [.char("C")], help: "this led to a checklist change (new or revised)",
          action: .changeChecklist),
        KeyBinding(
          keys: [.char("T")], help: "this led to a template change (new or revised)",
          action: .changeTemplate),
        KeyBinding(
          keys: [.char("x")], help: "add an experiment (any incident)", action: .addExperiment),
        KeyBinding(
          keys: [.char("S")], help: "schedule the review (day, facilitator, participants)",
          action: .scheduleReview),
        KeyBinding(
          keys: [.char("N")], help: "add a private note (your private file only)",
          action: .addNote),
        KeyBinding(
          keys: [.char("o")], help: "cycle sort: date, severity, repeats", action: .cycleSort,
          hint: "sort"),
        KeyBinding(
          keys: [.char("f")], help: "filter by status, kind, team, tag, pattern, severity",
          action: .openFilter, hint: "filter"),
        KeyBinding(keys: [.char("F")], help: "clear the filter", action: .clearFilter),
        KeyBinding(
          keys: [.char("y")], help: "copy the incident's id (clipboard: LEARNLOG_OSC52=1)",
          action: .copyID),
        KeyBinding(
          keys: [KeyEvent(.escape)], help: "clear a kept search", action: .clearSearch),
      ])
  }

  static var searchKeymap: KeymapContext<Action> {
    KeymapContext(
      "search",
      [
        KeyBinding(
          keys: [KeyEvent(.enter)], help: "keep the search", action: .keepSearch, hint: "keep"),
        KeyBinding(
          keys: [KeyEvent(.escape)], help: "clear the search", action: .clearSearch, hint: "clear"),
        KeyBinding(
          keys: [KeyEvent(.down), KeyEvent(.up), KeyEvent(.pageDown), KeyEvent(.pageUp)],
          help: "move in the list while typing", keyLabel: "↓/↑ PgDn/PgUp",
          forwarding: { .navigate($0) }),
        KeyBinding(
          keys: [KeyEvent(.tab)], help: "keep the search, go to the detail", action: .switchFocus),
      ] + KeyBinding.lineEditing { .searchKey($0) },
      typing: TypingBinding(help: "type to narrow the list") { .searchKey($0) })
  }

  static var filterKeymap: KeymapContext<Action> {
    KeymapContext(
      "filter",
      [
        KeyBinding(
          keys: [KeyEvent(.tab), KeyEvent(.down)], help: "next field", hint: "field",
          keyLabel: "Tab/↓", forwarding: { .filterKey($0) }),
        KeyBinding(
          keys: [KeyEvent(.tab, .shift), KeyEvent(.up)], help: "previous field",
          forwarding: { .filterKey($0) }),
        KeyBinding(
          keys: [.char(" "), KeyEvent(.left), KeyEvent(.right)], help: "cycle the value",
          hint: "cycle", keyLabel: "Space/←/→", forwarding: { .filterKey($0) }),
        KeyBinding(
          keys: [KeyEvent(.enter), .ctrl("s")], help: "apply", action: .applyFilter, hint: "apply"),
        KeyBinding(
          keys: [KeyEvent(.escape)], help: "cancel", action: .cancelFilter, hint: "cancel"),
      ],
      typing: TypingBinding(help: "type the start of a value to pick it") { .filterKey($0) })
  }

  /// Every key table of the screen: the list's, the search box's, the filter's.
  public static var keymaps: [KeymapContext<Action>] { [keymap, searchKeymap, filterKeymap] }

  public static func activeKeymap(_ state: State) -> KeymapContext<Action> {
    if state.filterForm != nil { return filterKeymap }
    if state.isSearching { return searchKeymap }
    return keymap
  }

  public static func isCapturingInput(_ state: State) -> Bool {
    state.isSearching || state.filterForm != nil
  }

  public static func action(forPaste text: String, state: State) -> Action? {
    state.isSearching ? .searchPaste(text) : nil
  }

  /// What the marks before each incident mean, for help.
  public static var legend: [HelpSection] { [marks] }

  /// The marks before each incident and what they mean.
  static let marks = HelpSection(
    title: "incident marks",
    entries: [
      HelpEntry(keys: "○ ◐ ● ✓", help: "○ open · ◐ reviewing · ● reviewed · ✓ closed"),
      HelpEntry(keys: "crit high", help: "severity: crit, high, med, low"),
    ])

  /// The columns the widest row of the list asks for: the log's mark (several logs), the marks,
  /// severity and day (13), the longest title (its UTF-8 length, a cheap bound of its width)
  /// and a blank; once per change.
  static func rowWidth(_ context: ViewContext) -> Int {
    context.derived("incidents.rowWidth") { () -> Int in
      var widest = 0
      context.domain.incidents.forEachEntity { _, inc in
        widest = Swift.max(widest, inc.title.utf8.count)
      }
      // With several logs, the team log's mark first.
      let mark = context.logs.map { context.logMarkWidth($0.names) + 1 } ?? 0
      return mark + 13 + widest + 1
    }
  }

  /// The list and detail rectangles of the screen's area.
  ///
  /// Laid out by content: the list takes what its widest row asks for (`contentWidth`), up to
  /// 55 % of the width and leaving the detail 40 columns, at least 26; the detail takes the rest.
  static func panes(_ area: Rect, contentWidth: Int = 0) -> (header: Rect, list: Rect, detail: Rect)
  {
    let header = area.row(0)
    let body = Rect(
      x: area.x, y: area.y + 1, width: area.width, height: Swift.max(0, area.height - 1))
    let wanted = Swift.max(26, Swift.min(contentWidth, area.width * 11 / 20, area.width - 41))
    let listWidth = Swift.min(wanted, Swift.max(0, area.width - 24))
    let list = Rect(x: body.x, y: body.y, width: listWidth, height: body.height)
    let detail = Rect(
      x: body.x + listWidth + 1, y: body.y, width: Swift.max(0, body.width - listWidth - 1),
      height: body.height)
    return (header, list, detail)
  }

  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? {
    let (_, list, detail) = panes(area, contentWidth: state.contentWidth)
    if list.contains(mouse.position) {
      switch mouse.action {
      case .press(button: 1):
        let top = state.list.visibleOffset(count: Int.max / 2, height: list.height)
        return .select(top + mouse.position.y - list.y)
      case .wheelDown: return .scroll(3)
      case .wheelUp: return .scroll(-3)
      default: return nil
      }
    }
    if detail.contains(mouse.position) {
      switch mouse.action {
      case .wheelDown: return .navigate(KeyEvent(.down))
      case .wheelUp: return .navigate(KeyEvent(.up))
      case .press(button: 1): return .switchFocus
      default: return nil
      }
    }
    return nil
  }

  /// The list's ids and the inputs they were computed from.
  struct RowCache: Hashable, Sendable {
    var revision: Int
    var filter: IncidentFilter
    var search: String
    var sort: IncidentSort
    var ids: [String]
  }

  /// The ids of the incidents the list shows now (from the cache when it is current).
  ///
  /// The cache is trusted only within the app, where every change of the log bumps the
  /// context's revision.
  public static func rowIDs(_ state: State, context: ViewContext) -> [String] {
    if let c = state.cache, context.revision > 0, c.revision == context.revision,
      c.filter == state.filter, c.search == state.search.text, c.sort == state.sort
    {
      return c.ids
    }
    return IncidentQuery.rowIDs(
      context, filter: state.filter, search: state.search.text, sort: state.sort)
  }

  static func refreshCache(_ state: inout State, context: ViewContext) {
    state.contentWidth = rowWidth(context)
    guard context.revision > 0 else { return }
    let ids = rowIDs(state, context: context)
    state.cache = RowCache(
      revision: context.revision, filter: state.filter, search: state.search.text,
      sort: state.sort, ids: ids)
  }

  /// The incidents the list shows now.
  public static func rows(_ state: State, context: ViewContext) -> [Incident] {
    rowIDs(state, context: context).compactMap { context.domain.incidents[$0] }
  }

  /// The selected incident's id, if any.
  public static func selectedIncident(_ state: State, context: ViewContext) -> String? {
    selected(state, context: context)?.id
  }

  public static func selected(_ state: State, context: ViewContext) -> Incident? {
    let ids = rowIDs(state, context: context)
    return state.list.selection(count: ids.count).flatMap { context.domain.incidents[ids[$0]] }
  }

  /// The list's visible rows in the area the screen is drawn in (`context.viewport`).
  static func listRows(_ context: ViewContext) -> Int {
    Swift.max(1, panes(Rect(size: context.viewport), contentWidth: rowWidth(context)).list.height)
  }

  public static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    let effects = reduceAction(&state, action, context: context)
    refreshCache(&state, context: context)
    return effects
  }

  static func reduceAction(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    let rows = rowIDs(state, context: context)
    let selectedID = state.list.selection(count: rows.count).map { rows[$0] }
    switch action {
    case .navigate(let key):
      let (_, listArea, detailArea) = panes(
        Rect(size: context.viewport), contentWidth: rowWidth(context))
      if state.focus == .detail {
        // Clamped to the end: the last line in the pane's last row at most.
        let count =
          selectedID.flatMap { context.domain.incidents[$0] }.map {
            detailLines($0, context: context, paneWidth: detailArea.width).count
          } ?? 0
        let end = Swift.max(0, count - detailArea.height)
        let page = Swift.max(1, detailArea.height)
        var top = Swift.min(state.detailScroll, end)
        switch key.key {
        case .down, .character("j"): top += 1
        case .up, .character("k"): top -= 1
        case .pageDown: top += page
        case .pageUp: top -= page
        case .home, .character("g"): top = 0
        case .end, .character("G"): top = end
        default: break
        }
        state.detailScroll = Swift.max(0, Swift.min(top, end))
      } else if state.list.handle(key, count: rows.count, height: Swift.max(1, listArea.height)) {
        state.detailScroll = 0
      }
    case .switchFocus:
      state.isSearching = false
      state.focus = state.focus == .list ? .detail : .list
    case .open:
      if !rows.isEmpty { state.focus = .detail }
    case .cycleSort:
      state.sort = state.sort.next
      reselect(&state, id: selectedID, context: context)
      return [.status("sorted by \(state.sort.rawValue)")]
    case .openFilter:
      state.filterForm = FormState(
        fields: IncidentFilter.fields.map { f in
          let options = IncidentFilter.options(f, in: context.domain)
          let index = state.filter[f].flatMap { options.firstIndex(of: $0) } ?? 0
          return FormField(
            id: f, label: f, kind: .choice(ChoiceState(options: options, index: index)))
        })
    case .filterKey(let key):
      _ = state.filterForm?.handle(key)
    case .applyFilter:
      if let form = state.filterForm {
        for f in IncidentFilter.fields {
          let v = form.value(f) ?? "any"
          state.filter[f] = v == "any" ? nil : v
        }
      }
      state.filterForm = nil
      reselect(&state, id: selectedID, context: context)
    case .cancelFilter:
      state.filterForm = nil
    case .clearFilter:
      state.filter = IncidentFilter()
      reselect(&state, id: selectedID, context: context)
    case .startSearch:
      state.isSearching = true
    case .searchKey(let key):
      if state.search.handle(key) { state.list = ListState() }
    case .searchPaste(let text):
      state.search.insert(text)
      state.list = ListState()
    case .keepSearch:
      state.isSearching = false
    case .clearSearch:
      state.isSearching = false
      state.search = TextEditState()
      reselect(&state, id: selectedID, context: context)
    case .select(let i):
      guard i >= 0, i < rows.count else { return [] }
      state.list.select(i, count: rows.count, height: listRows(context))
      state.focus = .list
      state.detailScroll = 0
    case .scroll(let d):
      state.list.move(by: d, count: rows.count, height: listRows(context))
      state.detailScroll = 0
    case .selectIncident(let id):
      if !rows.contains(id) {
        state.filter = IncidentFilter()
        state.search = TextEditState()
        state.isSearching = false
      }
      reselect(&state, id: id, context: context)
      state.detailScroll = 0
    case .newIncident:
      return [.show(.newIncident)]
    case .copyID:
      guard let id = selectedID else { return [.status("no incident selected: n records one")] }
      return [.run(.copy(id, label: "incident \(context.shortID(id))"))]
    case .review, .addAction, .addLesson, .edit, .setPattern, .addFactor, .addTimelineEntry,
      .changeChecklist, .changeTemplate, .addExperiment, .scheduleReview, .addNote:
      guard let id = selectedID else {
        return [.status("no incident selected: n records one")]
      }
      switch action {
      case .review: return [.show(.review(id))]
      case .addAction: return [.show(.addAction(incident: id))]
      case .addLesson: return [.show(.addLesson(incident: id))]
      case .edit: return [.show(.editIncident(id))]
      case .addFactor: return [.show(.addFactor(incident: id))]
      case .addTimelineEntry: return [.show(.addTimelineEntry(incident: id))]
      case .changeChecklist: return [.show(.changeChecklist(incident: id))]
      case .changeTemplate: return [.show(.changeTemplate(incident: id))]
      case .addExperiment: return [.show(.form(.addExperiment(incident: id)))]
      case .scheduleReview: return [.show(.form(.scheduleReview(incident: id)))]
      case .addNote: return [.show(.form(.addNote(incident: id)))]
      default: return [.show(.setPatterns(id))]
      }
    }
    return []
  }

  public static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  {
    guard case .incident(let id) = destination else { return false }
    _ = reduce(&state, .selectIncident(id), context: context)
    return true
  }

  /// Keeps the selected incident selected when others' records move it in the list.
  public static func follow(_ state: inout State, from old: ViewContext, to new: ViewContext) {
    guard let id = selected(state, context: old)?.id else { return }
    reselect(&state, id: id, context: new)
  }

  static func reselect(_ state: inout State, id: String?, context: ViewContext) {
    let r = rowIDs(state, context: context)
    let index = id.flatMap { r.firstIndex(of: $0) } ?? 0
    state.list.select(index, count: r.count, height: listRows(context))
    refreshCache(&state, context: context)
  }

  /// The detail of `incident` laid out for a pane `paneWidth` wide: a blank column on the left
  /// and one on the right, kept for the scroll marker so it never covers text.
  static func detailLines(_ incident: Incident, context: ViewContext, paneWidth: Int) -> [Line] {
    let width = Swift.max(1, paneWidth - 2)
    return context.laidOut("incident:" + incident.id, width: width) {
      IncidentDetail.lines(incident, context: context, width: width)
    }
  }

  public static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    let theme = context.theme
    let rows = rowIDs(state, context: context)
    let incidents = context.domain.incidents
    let (header, listArea, detailArea) = panes(area, contentWidth: rowWidth(context))
    var cursor: Point?
    // Header: count, order, filter, search.
    if state.isSearching || !state.search.isEmpty {
      let count = " \(rows.count) of \(context.domain.incidents.count)"
      let x = buffer.setString(header.x, header.y, "/", style: theme.accent)
      let fieldWidth = Swift.max(0, listArea.width - 1 - count.displayWidth)
      buffer.setString(
        x + fieldWidth, header.y, count, style: theme.dim, maxWidth: count.displayWidth)
      let field = Rect(x: x, y: header.y, width: fieldWidth, height: 1)
      let c = TextField(
        state.search, style: Style(attributes: .underline), isFocused: state.isSearching
      )
      .render(into: &buffer, area: field)
      if state.isSearching { cursor = c }
    } else {
      buffer.setString(
        header.x, header.y, "\(rows.count) of \(context.domain.incidents.count) incidents",
        style: theme.title, maxWidth: listArea.width)
    }
    var info = "sort: \(state.sort.rawValue)"
    if !state.filter.isEmpty { info += " · filter: " + state.filter.summary }
    // Where the selection is in the list, at the header's right end.
    let position = state.list.selection(count: rows.count).map { " \($0 + 1)/\(rows.count)" } ?? ""
    let infoWidth = Swift.max(0, detailArea.width - position.displayWidth)
    buffer.setString(detailArea.x, header.y, info, style: theme.dim, maxWidth: infoWidth)
    if !position.isEmpty, detailArea.width > position.displayWidth {
      buffer.setString(
        detailArea.maxX - position.displayWidth, header.y, position, style: theme.dim)
    }

    let listFocused = state.focus == .list
    ListView(
      count: rows.count, highlight: listFocused ? theme.selection : Style(attributes: .bold),
      emptyText: context.domain.incidents.isEmpty
        ? "No incidents yet: n records one" : "Nothing matches"
    ) { i in
      guard let inc = incidents[rows[i]] else { return Line("") }
      let sevStyle: Style
      switch inc.severity {
      case .critical, .high: sevStyle = theme.danger
      case .medium: sevStyle = theme.warning
      case .low: sevStyle = theme.dim
      }
      return Line(
        (context.logMark(inc.id).map { [$0] } ?? []) + [
          Span(inc.statusGlyph + " "),
          Span(inc.severity.short.padded(toWidth: 5), style: sevStyle),
          Span(inc.occurred.monthDay + " ", style: theme.dim),
          Span(inc.title),
        ])
    }.render(into: &buffer, area: listArea, state: state.list)
    // A thin divider between the panes.
    for y in detailArea.y..<detailArea.maxY where detailArea.x > 0 {
      buffer.setString(detailArea.x - 1, y, "│", style: theme.border)
    }
    if let i = state.list.selection(count: rows.count), let inc = incidents[rows[i]] {
      let lines = detailLines(inc, context: context, paneWidth: detailArea.width)
      let top = Swift.max(0, Swift.min(state.detailScroll, lines.count - detailArea.height))
      for row in 0..<detailArea.height where top + row < lines.count {
        buffer.setLine(
          detailArea.x + 1, detailArea.y + row, lines[top + row], maxWidth: detailArea.width - 2)
      }
      if state.focus == .detail, detailArea.width > 2 {
        buffer.setString(detailArea.maxX - 1, detailArea.y, "◆", style: theme.accent)
      }
    }
    if let form = state.filterForm {
      let box = area.centered(width: Swift.min(area.width, 44), height: Swift.min(area.height, 9))
      let inner = Panel(
        title: "Filter (Enter applies)", borderStyle: theme.border, titleStyle: theme.title
      )
      .render(into: &buffer, area: box)
      FormView(form: form, theme: theme).render(into: &buffer, area: inner.inset(horizontal: 1))
      cursor = nil
    }
    return cursor
  }
}
