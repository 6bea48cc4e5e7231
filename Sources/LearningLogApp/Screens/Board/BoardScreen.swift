import Foundation
import LearningLog
import TerminalUI

/// The action board: corrective actions in `open` / `doing` / `done` columns (and `dropped` on
/// request), moved, finished, dropped with a reason and verified on their review day.
public enum BoardScreen: AppScreen {
  /// The board's columns, left to right.
  public enum Column: Int, Sendable, Hashable, CaseIterable {
    case open, doing, done, dropped

    /// The status the column shows.
    public var status: ActionStatus {
      switch self {
      case .open: return .open
      case .doing: return .doing
      case .done: return .done
      case .dropped: return .dropped
      }
    }
  }

  /// Which typed-text filter a prompt edits.
  public enum FilterField: Sendable, Hashable {
    case search, owner, team
  }

  /// The field of the verify dialog that has focus.
  public enum VerifyFocus: Sendable, Hashable {
    case outcome, evidence
  }

  /// The verify dialog: an outcome cycled with Space / ←/→ and evidence text.
  public struct VerifyForm: Sendable, Hashable {
    /// The action being verified.
    public var actionID: String
    /// The chosen outcome.
    public var outcome: VerificationOutcome
    /// The evidence typed so far.
    public var evidence: TextEditState
    /// Which field takes keys.
    public var focus: VerifyFocus
    /// A form for `actionID`, outcome `verified`, no evidence.
    public init(actionID: String) {
      self.actionID = actionID
      self.outcome = .verified
      self.evidence = TextEditState()
      self.focus = .outcome
    }
  }

  /// What is open over the board.
  public enum Dialog: Sendable, Hashable {
    /// A filter prompt in the header; typing filters at once.
    case filter(FilterField, TextEditState)
    /// Asks the reason for dropping `actionID`.
    case drop(actionID: String, reason: TextEditState, error: String?)
    /// Asks whether a done action worked.
    case verify(VerifyForm)
  }

  /// The board's state: focused column, selection per column, filters and any open dialog.
  public struct State: Sendable, Hashable {
    /// The focused column.
    public var column: Column
    /// Selection and scroll of each column, by `Column.rawValue`.
    public var lists: [ListState]
    /// Whether the `dropped` column is shown.
    public var showDropped: Bool
    /// Search text (title, owner, signal, incident title), case-insensitive.
    public var search: String
    /// Owner filter (part of the owner's name), case-insensitive.
    public var owner: String
    /// Team filter (part of the incident's team), case-insensitive.
    public var team: String
    /// Whether only overdue actions are shown.
    public var overdueOnly: Bool
    /// The open dialog or prompt, if any.
    public var dialog: Dialog?
    /// The action just moved to another column: the selection follows it there once the log
    /// has the move.
    public var follow: String?

    /// A board on the `open` column with no filters.
    public init(
      column: Column = .open, showDropped: Bool = false, search: String = "", owner: String = "",
      team: String = "", overdueOnly: Bool = false
    ) {
      self.column = column
      self.lists = Array(repeating: ListState(), count: Column.allCases.count)
      self.showDropped = showDropped
      self.search = search
      self.owner = owner
      self.team = team
      self.overdueOnly = overdueOnly
      self.dialog = nil
    }
  }

  /// What can happen on the board.
  public enum Action: Sendable, Hashable {
    case columnLeft, columnRight
    case up, down, top, bottom, pageUp, pageDown
    /// Mark the selected action done (open or doing).
    case markDone
    /// Start the selected open action.
    case start
    /// Move the selected card one column right (open → doing → done).
    case moveRight
    /// Move the selected card one column left, where the log allows it.
    case moveLeft
    /// Ask a reason, then drop the selected action.
    case drop
    /// Ask outcome and evidence, then verify the selected done action.
    case verify
    /// Retire the selected temporary mitigation (revert or keep, with a reason).
    case retire
    /// Open the selected action's incident.
    case openIncident
    /// Copy the selected action's id (`y`).
    case copyID
    case toggleDropped, toggleOverdue
    /// Open a filter prompt.
    case editFilter(FilterField)
    /// Clear every filter.
    case clearFilters
    /// A key typed into the open dialog or prompt.
    case input(KeyEvent)
    /// Enter in a dialog: save (or keep a filter).
    case submit
    /// Esc in a dialog: close it (a filter prompt clears its filter).
    case cancel
    /// Tab in the verify dialog.
    case switchField
    /// Space / ←/→ on the verify dialog's outcome.
    case cycleOutcome(forward: Bool)
    /// A click or wheel turn over the board drawn in `area`.
    case mouse(MouseEvent, area: Rect)
  }

  /// How many days ahead a due day counts as soon.
  public static let soonDays = 3

  /// The board's keys.
  public static let keymap = KeymapContext<Action>(
    "action board",
    [
      KeyBinding(
        keys: [.char("h"), KeyEvent(.left)], help: "column to the left", action: .columnLeft,
        keyLabel: "h/←"),
      KeyBinding(
        keys: [.char("l"), KeyEvent(.right)], help: "column to the right", action: .columnRight,
        keyLabel: "l/→"),
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "next card", action: .down, keyLabel: "j/↓"),
      KeyBinding(
        keys: [.char("k"), KeyEvent(.up)], help: "previous card", action: .up, keyLabel: "k/↑"),
      KeyBinding(keys: [.char("g"), KeyEvent(.home)], help: "first card", action: .top),
      KeyBinding(keys: [.char("G"), KeyEvent(.end)], help: "last card", action: .bottom),
      KeyBinding(keys: [KeyEvent(.pageUp)], help: "page up", action: .pageUp),
      KeyBinding(keys: [KeyEvent(.pageDown)], help: "page down", action: .pageDown),
      KeyBinding(
        keys: [.char(" "), .char("x")], help: "mark done", action: .markDone, hint: "done",
        keyLabel: "x/Space"),
      KeyBinding(keys: [.char("s")], help: "start (open → doing)", action: .start, hint: "start"),
      KeyBinding(keys: [.char(">")], help: "move right (open → doing → done)", action: .moveRight),
      KeyBinding(keys: [.char("<")], help: "move left", action: .moveLeft),
      KeyBinding(keys: [.char("d")], help: "drop (asks a reason)", action: .drop, hint: "drop"),
      KeyBinding(
        keys: [.char("v")], help: "verify: did it work?", action: .verify, hint: "verify"),
      KeyBinding(
        keys: [.char("R")], help: "retire a mitigation: revert or keep, with a reason",
        action: .retire, hint: "retire"),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "open the action's incident", action: .openIncident),
      KeyBinding(
        keys: [.char("/")], help: "search as you type", action: .editFilter(.search), hint: "search"
      ),
      KeyBinding(
        keys: [.char("o")], help: "filter by owner", action: .editFilter(.owner), hint: "owner"),
      KeyBinding(
        keys: [.char("t")], help: "filter by team", action: .editFilter(.team), hint: "team"),
      KeyBinding(
        keys: [.char("O")], help: "overdue only (toggle)", action: .toggleOverdue, hint: "overdue"),
      KeyBinding(keys: [.char("D")], help: "show dropped (toggle)", action: .toggleDropped),
      KeyBinding(keys: [.char("c")], help: "clear filters", action: .clearFilters),
      KeyBinding(
        keys: [.char("y")], help: "copy the action's id (clipboard: LEARNLOG_OSC52=1)",
        action: .copyID),
    ])

  /// Keys of a filter prompt (typing edits it).
  public static let filterKeymap = KeymapContext<Action>(
    "filter",
    [
      KeyBinding(keys: [KeyEvent(.enter)], help: "keep the filter", action: .submit, hint: "keep"),
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "clear the filter", action: .cancel, hint: "clear"),
    ] + KeyBinding.lineEditing { .input($0) },
    typing: TypingBinding(help: "type the filter") { .input($0) })

  /// Keys of the drop dialog (typing edits the reason).
  public static let dropKeymap = KeymapContext<Action>(
    "drop action",
    [
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "drop with this reason", action: .submit, hint: "drop"),
      KeyBinding(keys: [KeyEvent(.escape)], help: "cancel", action: .cancel, hint: "cancel"),
    ] + KeyBinding.lineEditing { .input($0) },
    typing: TypingBinding(help: "type the reason") { .input($0) })

  /// Keys of the verify dialog while the outcome has focus.
  public static let verifyOutcomeKeymap = KeymapContext<Action>(
    "verify action",
    [
      KeyBinding(
        keys: [.char(" "), KeyEvent(.right)], help: "next outcome",
        action: .cycleOutcome(forward: true), hint: "outcome", keyLabel: "Space/→"),
      KeyBinding(
        keys: [KeyEvent(.left)], help: "previous outcome", action: .cycleOutcome(forward: false)),
      KeyBinding(
        keys: [KeyEvent(.tab), KeyEvent(.down), KeyEvent(.up), KeyEvent(.tab, .shift)],
        help: "switch to evidence", action: .switchField, hint: "field", keyLabel: "Tab"),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "save the verification", action: .submit, hint: "save"),
      KeyBinding(keys: [KeyEvent(.escape)], help: "cancel", action: .cancel, hint: "cancel"),
    ])

  /// Keys of the verify dialog while the evidence has focus (typing edits it).
  public static let verifyEvidenceKeymap = KeymapContext<Action>(
    "verify action",
    [
      KeyBinding(
        keys: [KeyEvent(.tab), KeyEvent(.down), KeyEvent(.up), KeyEvent(.tab, .shift)],
        help: "switch to outcome", action: .switchField, hint: "field", keyLabel: "Tab"),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "save the verification", action: .submit, hint: "save"),
      KeyBinding(keys: [KeyEvent(.escape)], help: "cancel", action: .cancel, hint: "cancel"),
    ] + KeyBinding.lineEditing { .input($0) },
    typing: TypingBinding(help: "type the evidence") { .input($0) })

  /// Every key table of the screen: the board's and each dialog's.
  public static var keymaps: [KeymapContext<Action>] {
    [keymap, filterKeymap, dropKeymap, verifyOutcomeKeymap, verifyEvidenceKeymap]
  }

  // MARK: - AppScreen

  public static func activeKeymap(_ state: State) -> KeymapContext<Action> {
    switch state.dialog {
    case nil: return keymap
    case .filter: return filterKeymap
    case .drop: return dropKeymap
    case .verify(let form):
      return form.focus == .outcome ? verifyOutcomeKeymap : verifyEvidenceKeymap
    }
  }

  public static func isCapturingInput(_ state: State) -> Bool { state.dialog != nil }
  /// The drop and verify dialogs save; a filter prompt only narrows the board.
  public static func isOpeningWrite(_ state: State) -> Bool {
    switch state.dialog {
    case .drop, .verify: return true
    case .filter, nil: return false
    }
  }
  /// The incident of the selected card's action.
  public static func selectedIncident(_ state: State, context: ViewContext) -> String? {
    selectedAction(state, context: context)?.incident
  }

  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? {
    mouseInside(mouse, area: area, state: state, Action.mouse)
  }

  // MARK: - Cards

  /// The cards of `column` after the filters, most urgent first (by due day, then title).
  public static func cards(_ column: Column, state: State, context: ViewContext) -> [LearningLog
    .Action]
  {
    let search = state.search.lowercased()
    let owner = state.owner.lowercased()
    let team = state.team.lowercased()
    let today = context.today
    // Sorted once per change of the log, not on every frame.
    let columns = context.derived("board.columns") {
      Dictionary(grouping: context.domain.actionList.sorted(by: boardOrder), by: \.status)
    }
    let sorted = columns[column.status] ?? []
    if search.isEmpty, owner.isEmpty, team.isEmpty, !state.overdueOnly { return sorted }
    return sorted.filter { a in
      if !owner.isEmpty, !a.owner.lowercased().contains(owner) { return false }
      if !team.isEmpty {
        guard let t = context.domain.incidents[a.incident]?.team.lowercased(), t.contains(team)
        else { return false }
      }
      if state.overdueOnly, !isOverdue(a, today: today) { return false }
      if !search.isEmpty {
        let incidentTitle = context.domain.incidents[a.incident]?.title ?? ""
        let hay = [a.title, a.owner, a.signal, incidentTitle].joined(separator: "\n").lowercased()
        if !hay.contains(search) { return false }
      }
      return true
    }
  }

  /// The board's order within a column: by due day, then title, then id.
  static func boardOrder(_ x: LearningLog.Action, _ y: LearningLog.Action) -> Bool {
    let dx = x.due?.ordinal ?? Int.max
    let dy = y.due?.ordinal ?? Int.max
    if dx != dy { return dx < dy }
    if x.title != y.title { return x.title < y.title }
    return x.id < y.id
  }

  /// Whether an open or doing action is past its due day.
  public static func isOverdue(_ a: LearningLog.Action, today: Day) -> Bool {
    guard a.status == .open || a.status == .doing, let due = a.due else { return false }
    return due < today
  }

  /// Whether an open or doing action falls due within ``soonDays`` days.
  public static func isDueSoon(_ a: LearningLog.Action, today: Day) -> Bool {
    guard a.status == .open || a.status == .doing, let due = a.due else { return false }
    return due >= today && today.days(to: due) <= soonDays
  }

  /// Whether a done action's review day has come and it has not been verified yet.
  public static func isVerifyDue(_ a: LearningLog.Action, today: Day) -> Bool {
    guard a.status == .done, let review = a.review else { return false }
    return review <= today && a.outcome != .verified && a.outcome != .ineffective
  }

  static func visibleColumns(_ state: State) -> [Column] {
    state.showDropped ? Column.allCases : [.open, .doing, .done]
  }

  /// How a message names an action: its short id, as its card shows it.
  static func named(_ a: LearningLog.Action, _ context: ViewContext) -> String {
    "action \(context.shortID(a.id))"
  }

  static func selectedAction(_ state: State, context: ViewContext) -> LearningLog.Action? {
    let list = cards(state.column, state: state, context: context)
    guard let i = state.lists[state.column.rawValue].selection(count: list.count) else {
      return nil
    }
    return list[i]
  }

  // MARK: - Reduce

  public static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    switch action {
    case .columnLeft, .columnRight:
      let cols = visibleColumns(state)
      let at = cols.firstIndex(of: state.column) ?? 0
      let next = action == .columnLeft ? max(0, at - 1) : min(cols.count - 1, at + 1)
      state.column = cols[next]
      return []
    case .up, .down, .top, .bottom, .pageUp, .pageDown:
      let count = cards(state.column, state: state, context: context).count
      var list = state.lists[state.column.rawValue]
      let page = visibleCards(state, context: context)
      switch action {
      case .up: list.move(by: -1, count: count, height: page)
      case .down: list.move(by: 1, count: count, height: page)
      case .top: list.select(0, count: count, height: page)
      case .bottom: list.select(count - 1, count: count, height: page)
      case .pageUp: list.move(by: -Swift.max(1, page - 1), count: count, height: page)
      default: list.move(by: Swift.max(1, page - 1), count: count, height: page)
      }
      state.lists[state.column.rawValue] = list
      return []
    case .markDone:
      guard let a = selectedAction(state, context: context) else { return noCard }
      switch a.status {
      case .open, .doing:
        state.follow = a.id
        return [.perform(.finishAction(a.id), purpose: "mark action done")]
      case .done:
        return [.status("\(named(a, context)) is already done; v verifies whether it worked")]
      case .dropped:
        return [.status("error: \(named(a, context)) is dropped; it cannot be marked done")]
      }
    case .start:
      guard let a = selectedAction(state, context: context) else { return noCard }
      guard a.status == .open else {
        return [
          .status(
            "error: \(named(a, context)) is \(a.status.rawValue); only an open action can be started"
          )
        ]
      }
      state.follow = a.id
      return [.perform(.startAction(a.id), purpose: "start action")]
    case .moveRight:
      guard let a = selectedAction(state, context: context) else { return noCard }
      switch a.status {
      case .open:
        state.follow = a.id
        return [.perform(.startAction(a.id), purpose: "start action")]
      case .doing:
        state.follow = a.id
        return [.perform(.finishAction(a.id), purpose: "mark action done")]
      case .done: return [.status("done is the last column; v verifies whether it worked")]
      case .dropped: return [.status("error: \(named(a, context)) is dropped and stays dropped")]
      }
    case .moveLeft:
      guard let a = selectedAction(state, context: context) else { return noCard }
      switch a.status {
      case .open: return [.status("open is the first column")]
      case .doing, .done:
        state.follow = a.id
        return [.perform(.moveActionBack(a.id), purpose: "move action back")]
      case .dropped: return [.status("error: \(named(a, context)) is dropped and stays dropped")]
      }
    case .drop:
      guard let a = selectedAction(state, context: context) else { return noCard }
      guard a.status == .open || a.status == .doing else {
        return [
          .status(
            "error: \(named(a, context)) is \(a.status.rawValue); only an open or doing action can be dropped"
          )
        ]
      }
      state.dialog = .drop(actionID: a.id, reason: TextEditState(), error: nil)
      return []
    case .verify:
      guard let a = selectedAction(state, context: context) else { return noCard }
      guard a.status == .done else {
        return [
          .status(
            "error: \(named(a, context)) is \(a.status.rawValue); only a done action can be verified (x marks it done)"
          )
        ]
      }
      state.dialog = .verify(VerifyForm(actionID: a.id))
      return []
    case .retire:
      guard let a = selectedAction(state, context: context) else { return noCard }
      guard a.type == .mitigate else {
        return [.status("error: only a mitigation is retired; this is a \(a.type.rawValue) action")]
      }
      if let r = a.retirement {
        return [.status("error: this mitigation was already retired (\(r.decision.rawValue))")]
      }
      return [.show(.form(.retireMitigation(a.id)))]
    case .openIncident:
      guard let a = selectedAction(state, context: context) else { return noCard }
      return [.show(.incident(a.incident))]
    case .copyID:
      guard let a = selectedAction(state, context: context) else { return noCard }
      return [.run(.copy(a.id, label: "action \(context.shortID(a.id))"))]
    case .toggleDropped:
      state.showDropped.toggle()
      if !state.showDropped, state.column == .dropped { state.column = .done }
      return []
    case .toggleOverdue:
      state.overdueOnly.toggle()
      return []
    case .editFilter(let field):
      let current: String
      switch field {
      case .search: current = state.search
      case .owner: current = state.owner
      case .team: current = state.team
      }
      state.dialog = .filter(field, TextEditState(current))
      return []
    case .clearFilters:
      state.search = ""
      state.owner = ""
      state.team = ""
      state.overdueOnly = false
      return []
    case .input(let key):
      return input(&state, key)
    case .submit:
      return submit(&state)
    case .cancel:
      if case .filter(let field, _) = state.dialog { setFilter(&state, field, "") }
      state.dialog = nil
      return []
    case .switchField:
      if case .verify(var form) = state.dialog {
        form.focus = form.focus == .outcome ? .evidence : .outcome
        state.dialog = .verify(form)
      }
      return []
    case .cycleOutcome(let forward):
      if case .verify(var form) = state.dialog {
        let all = VerificationOutcome.allCases
        let i = all.firstIndex(of: form.outcome) ?? 0
        form.outcome = all[(i + (forward ? 1 : all.count - 1)) % all.count]
        state.dialog = .verify(form)
      }
      return []
    case .mouse(let event, let area):
      mouse(&state, event, area: area, context: context)
      return []
    }
  }

  static let noCard: [ScreenEffect] = [.status("no action selected")]

  /// How many cards the focused column shows in the area the screen is drawn in
  /// (`context.viewport`).
  static func visibleCards(_ state: State, context: ViewContext) -> Int {
    let (_, columns) = layout(Rect(size: context.viewport), state: state)
    let rect =
      columns.first { $0.0 == state.column }?.1 ?? columns.first?.1
      ?? Rect(x: 0, y: 0, width: 0, height: 0)
    return Swift.max(1, Panel.inner(rect).height / cardRows)
  }

  public static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  {
    guard case .action(let id) = destination else { return false }
    if let a = context.domain.actions[id] { select(action: a, in: &state, context: context) }
    return true
  }

  /// Selects the action just moved once the log holds the move.
  public static func follow(_ state: inout State, from old: ViewContext, to new: ViewContext) {
    guard let moved = state.follow else { return }
    state.follow = nil
    if let a = new.domain.actions[moved] { select(action: a, in: &state, context: new) }
  }

  /// Shows `action` selected (its column; filters that hide it are cleared).
  static func select(action a: LearningLog.Action, in state: inout State, context: ViewContext) {
    guard let column = Column.allCases.first(where: { $0.status == a.status }) else { return }
    if column == .dropped { state.showDropped = true }
    state.column = column
    var list = cards(column, state: state, context: context)
    if !list.contains(where: { $0.id == a.id }) {
      state = State(column: column, showDropped: column == .dropped)
      list = cards(column, state: state, context: context)
    }
    if let i = list.firstIndex(where: { $0.id == a.id }) {
      state.lists[column.rawValue].select(
        i, count: list.count, height: visibleCards(state, context: context))
    }
  }

  static func setFilter(_ state: inout State, _ field: FilterField, _ text: String) {
    switch field {
    case .search: state.search = text
    case .owner: state.owner = text
    case .team: state.team = text
    }
  }

  static func input(_ state: inout State, _ key: KeyEvent) -> [ScreenEffect] {
    switch state.dialog {
    case .filter(let field, var edit):
      if edit.handle(key) {
        state.dialog = .filter(field, edit)
        setFilter(&state, field, edit.text)
      }
    case .drop(let id, var reason, let error):
      if reason.handle(key) { state.dialog = .drop(actionID: id, reason: reason, error: error) }
    case .verify(var form):
      if form.focus == .evidence, form.evidence.handle(key) { state.dialog = .verify(form) }
    case nil:
      break
    }
    return []
  }

  static func submit(_ state: inout State) -> [ScreenEffect] {
    switch state.dialog {
    case .filter:
      state.dialog = nil
      return []
    case .drop(let id, let reason, _):
      let text = reason.text.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !text.isEmpty else {
        state.dialog = .drop(
          actionID: id, reason: reason, error: "a reason is required: say why it is dropped")
        return []
      }
      state.dialog = nil
      return [.perform(.dropAction(id, reason: text), purpose: "drop action")]
    case .verify(let form):
      state.dialog = nil
      return [
        .perform(
          .verifyAction(
            form.actionID, outcome: form.outcome.rawValue,
            evidence: form.evidence.text.trimmingCharacters(in: .whitespacesAndNewlines)),
          purpose: "verify action")
      ]
    case nil:
      return []
    }
  }
}
