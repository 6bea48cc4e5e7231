import Foundation
import LearningLog
import TerminalUI

/// The repeating failure patterns: counts, escalation step, recurrence after verified fixes and a
/// weekly trend, with the incidents, actions and experiments behind the selected one.
public enum PatternsScreen: AppScreen {
  /// Which pane takes the navigation keys.
  public enum Focus: Sendable, Hashable {
    case table, detail
  }

  /// The fields of the experiment form, in order.
  public enum ExperimentField: Int, Sendable, Hashable, CaseIterable {
    case hypothesis, criteria, check

    /// The label drawn before the field.
    public var label: String {
      switch self {
      case .hypothesis: return "hypothesis"
      case .criteria: return "criteria"
      case .check: return "check on"
      }
    }
  }

  /// The experiment form for an escalated pattern.
  public struct ExperimentForm: Sendable, Hashable {
    /// The pattern key the experiment targets.
    public var pattern: String
    /// What we believe will stop the repeats.
    public var hypothesis: TextEditState
    /// How we will know it worked.
    public var criteria: TextEditState
    /// The day to check (YYYY-MM-DD).
    public var check: TextEditState
    /// The field taking keys.
    public var focus: ExperimentField
    /// What is wrong with the form, after a failed save.
    public var error: String?

    /// An empty form for `pattern`, suggesting `check` as the check day.
    public init(pattern: String, check: Day) {
      self.pattern = pattern
      self.hypothesis = TextEditState()
      self.criteria = TextEditState()
      self.check = TextEditState(check.description)
      self.focus = .hypothesis
      self.error = nil
    }

    subscript(field: ExperimentField) -> TextEditState {
      get {
        switch field {
        case .hypothesis: return hypothesis
        case .criteria: return criteria
        case .check: return check
        }
      }
      set {
        switch field {
        case .hypothesis: hypothesis = newValue
        case .criteria: criteria = newValue
        case .check: check = newValue
        }
      }
    }
  }

  /// The screen's state: table selection, focus, the selected incident in the detail, the form.
  public struct State: Sendable, Hashable {
    /// Selection and scroll of the pattern table.
    public var table: ListState
    /// Which pane has focus.
    public var focus: Focus
    /// The selected incident of the selected pattern (index into its incidents).
    public var incident: Int
    /// The experiment form, when open.
    public var form: ExperimentForm?

    /// The first pattern selected, focus on the table.
    public init() {
      self.table = ListState()
      self.focus = .table
      self.incident = 0
      self.form = nil
    }
  }

  /// What can happen on the patterns screen.
  public enum Action: Sendable, Hashable {
    case up, down, top, bottom, pageUp, pageDown
    /// Enter: on the table, open the detail; on an incident, show it.
    case open
    /// Tab: switch table / detail.
    case switchFocus
    /// `e`: add an experiment to the selected (escalated) pattern.
    case addExperiment
    /// A key typed into the form.
    case input(KeyEvent)
    /// Next / previous form field.
    case nextField, previousField
    /// Enter in the form: next field, or save on the last.
    case formEnter
    /// Ctrl-S in the form.
    case save
    /// Esc in the form.
    case cancel
    /// A click or wheel turn over the screen drawn in `area`.
    case mouse(MouseEvent, area: Rect)
  }

  /// The rows of the table (below its header) and of the detail panel, in the area the screen
  /// is drawn in (`context.viewport`).
  static func visibleRows(_ context: ViewContext) -> (table: Int, detail: Int) {
    let parts = layout(Rect(size: context.viewport), patternCount: context.patterns.count)
    return (max(1, parts.table.height - 1), max(1, Panel.inner(parts.detail).height))
  }
  /// Days ahead the form suggests as the check day.
  public static let suggestedCheckDays = 28

  /// The screen's keys.
  public static let keymap = KeymapContext<Action>(
    "patterns",
    [
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "next", action: .down, keyLabel: "j/↓"),
      KeyBinding(
        keys: [.char("k"), KeyEvent(.up)], help: "previous", action: .up, keyLabel: "k/↑"),
      KeyBinding(keys: [.char("g"), KeyEvent(.home)], help: "first", action: .top),
      KeyBinding(keys: [.char("G"), KeyEvent(.end)], help: "last", action: .bottom),
      KeyBinding(keys: [KeyEvent(.pageUp)], help: "page up", action: .pageUp),
      KeyBinding(keys: [KeyEvent(.pageDown)], help: "page down", action: .pageDown),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "open the pattern / show the incident", action: .open,
        hint: "open"),
      KeyBinding(
        keys: [KeyEvent(.tab)], help: "switch table / detail", action: .switchFocus, hint: "focus"),
      KeyBinding(
        keys: [.char("e")], help: "add an experiment (escalated pattern)", action: .addExperiment,
        hint: "experiment"),
    ])

  /// Keys of the experiment form (typing edits the field).
  public static let formKeymap = KeymapContext<Action>(
    "new experiment",
    [
      KeyBinding(
        keys: [KeyEvent(.tab), KeyEvent(.down)], help: "next field", action: .nextField,
        hint: "next", keyLabel: "Tab/↓"),
      KeyBinding(
        keys: [KeyEvent(.tab, .shift), KeyEvent(.up)], help: "previous field",
        action: .previousField, keyLabel: "Shift-Tab/↑"),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "next field; save on the last", action: .formEnter),
      KeyBinding(keys: [.ctrl("s")], help: "save the experiment", action: .save, hint: "save"),
      KeyBinding(keys: [KeyEvent(.escape)], help: "cancel", action: .cancel, hint: "cancel"),
    ] + KeyBinding.lineEditing { .input($0) },
    typing: TypingBinding(help: "type into the field") { .input($0) })

  /// Every key table of the screen: the table's and the experiment form's.
  public static var keymaps: [KeymapContext<Action>] { [keymap, formKeymap] }

  public static func activeKeymap(_ state: State) -> KeymapContext<Action> {
    state.form == nil ? keymap : formKeymap
  }

  public static func isCapturingInput(_ state: State) -> Bool { state.form != nil }
  /// The experiment form saves.
  public static func isOpeningWrite(_ state: State) -> Bool { state.form != nil }
  /// The latest incident of the selected pattern.
  public static func selectedIncident(_ state: State, context: ViewContext) -> String? {
    selectedPattern(state, context: context)?.incidents.last
  }

  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? {
    mouseInside(mouse, area: area, state: state, Action.mouse)
  }

  /// The words of the escalation ladder as the table shows them: the command line's and the
  /// dashboard's words (`logged`, `repeated`, `escalated`), one vocabulary everywhere.
  public static func stepText(_ step: EscalationStep) -> String { step.rawValue }

  /// The recurrence marker: after a verified fix, after a done fix, or none.
  public static func recurrenceText(_ p: PatternSummary) -> String {
    if p.recurredAfterVerifiedFix { return "after verified fix" }
    if p.recurredAfterFix { return "after done fix" }
    return ""
  }

  static func selectedPattern(_ state: State, context: ViewContext) -> PatternSummary? {
    state.table.selection(count: context.patterns.count).map { context.patterns[$0] }
  }

  /// The experiments aimed at `pattern`, directly or through one of its incidents.
  public static func experiments(for pattern: PatternSummary, context: ViewContext) -> [Experiment]
  {
    let incidents = Set(pattern.incidents)
    return context.domain.experimentList.filter { e in
      e.pattern == pattern.key || e.incident.map { incidents.contains($0) } == true
    }
  }

  public static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    switch action {
    case .up, .down, .top, .bottom, .pageUp, .pageDown:
      if state.focus == .detail {
        let count = selectedPattern(state, context: context)?.incidents.count ?? 0
        var list = ListState(selected: state.incident)
        move(&list, action, count: count, page: visibleRows(context).detail)
        state.incident = list.selected
      } else {
        move(&state.table, action, count: context.patterns.count, page: visibleRows(context).table)
        state.incident = 0
      }
      return []
    case .open:
      guard let p = selectedPattern(state, context: context) else {
        return [.status("no pattern selected")]
      }
      if state.focus == .table {
        state.focus = .detail
        state.incident = 0
        return []
      }
      guard !p.incidents.isEmpty else { return [] }
      return [.show(.incident(p.incidents[min(max(0, state.incident), p.incidents.count - 1)]))]
    case .switchFocus:
      state.focus = state.focus == .table ? .detail : .table
      return []
    case .addExperiment:
      guard let p = selectedPattern(state, context: context) else {
        return [.status("no pattern selected")]
      }
      guard p.step == .escalated else {
        return [
          .status(
            "error: \(p.key) is at step \(stepText(p.step)); experiments are asked for escalated patterns"
          )
        ]
      }
      state.form = ExperimentForm(
        pattern: p.key, check: context.today.adding(days: suggestedCheckDays))
      return []
    case .input(let key):
      if var form = state.form, form[form.focus].handle(key) {
        form.error = nil
        state.form = form
      }
      return []
    case .nextField, .previousField:
      if var form = state.form {
        let all = ExperimentField.allCases
        let delta = action == .nextField ? 1 : all.count - 1
        form.focus = all[(form.focus.rawValue + delta) % all.count]
        state.form = form
      }
      return []
    case .formEnter:
      guard var form = state.form else { return [] }
      if form.focus != .check {
        form.focus = ExperimentField(rawValue: form.focus.rawValue + 1) ?? .check
        state.form = form
        return []
      }
      return save(&state, context: context)
    case .save:
      return save(&state, context: context)
    case .cancel:
      state.form = nil
      return []
    case .mouse(let event, let area):
      let parts = layout(area, patternCount: context.patterns.count)
      if parts.table.contains(event.position) {
        state.focus = .table
        let before = state.table.selected
        _ = state.table.handle(
          event, area: parts.table, firstRowY: parts.table.y + 1, count: context.patterns.count)
        if state.table.selected != before { state.incident = 0 }
      } else if parts.detail.contains(event.position) {
        state.focus = .detail
        let count = selectedPattern(state, context: context)?.incidents.count ?? 0
        var list = ListState(selected: state.incident)
        switch event.action {
        case .wheelDown: list.move(by: 1, count: count, height: visibleRows(context).detail)
        case .wheelUp: list.move(by: -1, count: count, height: visibleRows(context).detail)
        default: break
        }
        state.incident = list.selected
      }
      return []
    }
  }

  /// Moves `list` by `action` in a pane showing `page` rows.
  static func move(_ list: inout ListState, _ action: Action, count: Int, page: Int) {
    switch action {
    case .up: list.move(by: -1, count: count, height: page)
    case .down: list.move(by: 1, count: count, height: page)
    case .top: list.select(0, count: count, height: page)
    case .bottom: list.select(count - 1, count: count, height: page)
    case .pageUp: list.move(by: -max(1, page - 1), count: count, height: page)
    default: list.move(by: max(1, page - 1), count: count, height: page)
    }
  }

  public static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  {
    guard case .pattern(let key) = destination else { return false }
    if let i = context.patterns.firstIndex(where: { $0.key == key }) {
      state.table.select(i, count: context.patterns.count, height: visibleRows(context).table)
      state.incident = 0
    }
    return true
  }

  /// Checks the form; on success closes it and asks for the experiment to be added.
  static func save(_ state: inout State, context: ViewContext) -> [ScreenEffect] {
    guard var form = state.form else { return [] }
    let hypothesis = form.hypothesis.text.trimmingCharacters(in: .whitespacesAndNewlines)
    let criteria = form.criteria.text.trimmingCharacters(in: .whitespacesAndNewlines)
    let check = form.check.text.trimmingCharacters(in: .whitespaces)
    var error: String?
    var focus = form.focus
    if hypothesis.isEmpty {
      error = "hypothesis is required: what do you believe will stop the repeats?"
      focus = .hypothesis
    } else if criteria.isEmpty {
      error = "criteria are required: how will you know it worked?"
      focus = .criteria
    } else if Day(check) == nil {
      error = "check on: “\(check)” is not a day; write YYYY-MM-DD"
      focus = .check
    } else if let day = Day(check), day < context.today {
      error = "check on: \(day) is in the past; pick today or later"
      focus = .check
    }
    if let error {
      form.error = error
      form.focus = focus
      state.form = form
      return []
    }
    state.form = nil
    return [
      .perform(
        .addExperiment(
          NewExperiment(
            pattern: form.pattern, hypothesis: hypothesis, criteria: criteria, check: check)),
        purpose: "add experiment")
    ]
  }
}
