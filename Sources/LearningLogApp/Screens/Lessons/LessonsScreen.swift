import Foundation
import LearningLog
import TerminalUI

/// The lessons library: "What we learned" notes beside their detail, searched as you type and
/// revalidated on their day.
public enum LessonsScreen: AppScreen {
  /// Which pane takes the navigation keys.
  public enum Focus: Sendable, Hashable {
    case list, detail
  }

  /// What is open over the library.
  public enum Dialog: Sendable, Hashable {
    /// The search prompt; typing filters at once.
    case search(TextEditState)
    /// Asks the next revalidation day of `lessonID`.
    case revalidate(lessonID: String, next: TextEditState, error: String?)
  }

  /// The library's state: selection, focus, detail scroll, search and any open dialog.
  public struct State: Sendable, Hashable {
    /// Selection and scroll of the list.
    public var list: ListState
    /// Which pane has focus.
    public var focus: Focus
    /// The first detail row shown.
    public var detailScroll: Int
    /// The kept search text (text, teams, tags, patterns), case-insensitive.
    public var search: String
    /// The open dialog, if any.
    public var dialog: Dialog?

    /// A library with the first lesson selected and no search.
    public init(search: String = "") {
      self.list = ListState()
      self.focus = .list
      self.detailScroll = 0
      self.search = search
      self.dialog = nil
    }
  }

  /// What can happen in the library.
  public enum Action: Sendable, Hashable {
    case up, down, top, bottom, pageUp, pageDown
    /// Enter: open the selected lesson's detail.
    case open
    /// Tab: switch focus between list and detail.
    case switchFocus
    /// `/`: search as you type.
    case search
    /// `R` / `v`: revalidate the selected lesson (asks the next day).
    case revalidate
    /// `x`: how to export a digest from the command line.
    case exportHint
    /// A key typed into the open dialog.
    case input(KeyEvent)
    /// Enter in a dialog.
    case submit
    /// Esc in a dialog (the search prompt clears the search).
    case cancel
    /// A click or wheel turn over the library drawn in `area`.
    case mouse(MouseEvent, area: Rect)
  }

  /// Days ahead the revalidation prompt suggests.
  public static let suggestedRevalidationDays = 90

  /// The library's keys.
  public static let keymap = KeymapContext<Action>(
    "lessons",
    [
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "next lesson / scroll", action: .down,
        keyLabel: "j/↓"),
      KeyBinding(
        keys: [.char("k"), KeyEvent(.up)], help: "previous lesson / scroll", action: .up,
        keyLabel: "k/↑"),
      KeyBinding(keys: [.char("g"), KeyEvent(.home)], help: "first", action: .top),
      KeyBinding(keys: [.char("G"), KeyEvent(.end)], help: "last", action: .bottom),
      KeyBinding(keys: [KeyEvent(.pageUp)], help: "page up", action: .pageUp),
      KeyBinding(keys: [KeyEvent(.pageDown)], help: "page down", action: .pageDown),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "open the lesson's detail", action: .open, hint: "open"),
      KeyBinding(
        keys: [KeyEvent(.tab)], help: "switch list / detail", action: .switchFocus, hint: "focus"),
      KeyBinding(keys: [.char("/")], help: "search as you type", action: .search, hint: "search"),
      KeyBinding(
        keys: [.char("R"), .char("v")], help: "revalidate: does it still hold?",
        action: .revalidate,
        hint: "revalidate", keyLabel: "R/v"),
      KeyBinding(
        keys: [.char("x")], help: "how to export a digest", action: .exportHint, hint: "export"),
    ])

  /// Keys of the search prompt (typing edits it).
  public static let searchKeymap = KeymapContext<Action>(
    "search",
    [
      KeyBinding(keys: [KeyEvent(.enter)], help: "keep the search", action: .submit, hint: "keep"),
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "clear the search", action: .cancel, hint: "clear"),
    ] + KeyBinding.lineEditing { .input($0) },
    typing: TypingBinding(help: "type to narrow the library") { .input($0) })

  /// Keys of the revalidation dialog (typing edits the day).
  public static let revalidateKeymap = KeymapContext<Action>(
    "revalidate lesson",
    [
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "revalidate with this next day", action: .submit,
        hint: "save"),
      KeyBinding(keys: [KeyEvent(.escape)], help: "cancel", action: .cancel, hint: "cancel"),
    ] + KeyBinding.lineEditing { .input($0) },
    typing: TypingBinding(help: "type the next day (YYYY-MM-DD)") { .input($0) })

  /// Every key table of the screen: the library's, the search's, the revalidation's.
  public static var keymaps: [KeymapContext<Action>] { [keymap, searchKeymap, revalidateKeymap] }

  public static func activeKeymap(_ state: State) -> KeymapContext<Action> {
    switch state.dialog {
    case nil: return keymap
    case .search: return searchKeymap
    case .revalidate: return revalidateKeymap
    }
  }

  public static func isCapturingInput(_ state: State) -> Bool { state.dialog != nil }
  /// The revalidation dialog saves; the search prompt only narrows the library.
  public static func isOpeningWrite(_ state: State) -> Bool {
    if case .revalidate = state.dialog { return true }
    return false
  }
  /// The incident the selected lesson was learnt from (its first).
  public static func selectedIncident(_ state: State, context: ViewContext) -> String? {
    selected(state, context: context)?.incidents.first
  }

  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? {
    mouseInside(mouse, area: area, state: state, Action.mouse)
  }

  /// The lessons matching the search, those due for revalidation first, then newest first.
  public static func lessons(state: State, context: ViewContext) -> [Lesson] {
    let query = state.search.lowercased()
    let today = context.today
    let found = context.domain.lessonList.filter { l in
      guard !query.isEmpty else { return true }
      let hay = ([l.text] + l.teams + l.tags + l.patterns).joined(separator: "\n").lowercased()
      return hay.contains(query)
    }
    return found.enumerated().sorted { x, y in
      let dx = isDue(x.element, today: today)
      let dy = isDue(y.element, today: today)
      if dx != dy { return dx }
      return x.offset > y.offset
    }.map(\.element)
  }

  /// Whether the lesson's revalidation day has come.
  public static func isDue(_ l: Lesson, today: Day) -> Bool {
    guard let r = l.revalidate else { return false }
    return r <= today
  }

  static func selected(_ state: State, context: ViewContext) -> Lesson? {
    let list = lessons(state: state, context: context)
    return state.list.selection(count: list.count).map { list[$0] }
  }

  /// The digest command for `lesson`'s first team (or a placeholder team).
  public static func exportCommand(for lesson: Lesson?) -> String {
    let team = lesson?.teams.first.map { $0.contains(" ") ? "\"\($0)\"" : $0 } ?? "TEAM"
    return "learnlog export --format markdown --team \(team)"
  }

  public static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  {
    guard case .lesson(let id) = destination else { return false }
    var list = lessons(state: state, context: context)
    if !list.contains(where: { $0.id == id }) {
      state = State()
      list = lessons(state: state, context: context)
    }
    if let i = list.firstIndex(where: { $0.id == id }) {
      state.list.select(i, count: list.count, height: visibleRows(context).list)
    }
    return true
  }

  public static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    switch action {
    case .up, .down, .top, .bottom, .pageUp, .pageDown:
      let rows = visibleRows(context)
      if state.focus == .detail {
        switch action {
        case .up: state.detailScroll = max(0, state.detailScroll - 1)
        case .down: state.detailScroll += 1
        case .top: state.detailScroll = 0
        case .pageUp: state.detailScroll = max(0, state.detailScroll - rows.detail)
        case .pageDown: state.detailScroll += rows.detail
        default: state.detailScroll = Int.max / 2
        }
        return []
      }
      let count = lessons(state: state, context: context).count
      let page = rows.list
      switch action {
      case .up: state.list.move(by: -1, count: count, height: page)
      case .down: state.list.move(by: 1, count: count, height: page)
      case .top: state.list.select(0, count: count, height: page)
      case .bottom: state.list.select(count - 1, count: count, height: page)
      case .pageUp: state.list.move(by: -max(1, page - 1), count: count, height: page)
      default: state.list.move(by: max(1, page - 1), count: count, height: page)
      }
      state.detailScroll = 0
      return []
    case .open:
      guard selected(state, context: context) != nil else { return [.status("no lesson selected")] }
      state.focus = .detail
      state.detailScroll = 0
      return []
    case .switchFocus:
      state.focus = state.focus == .list ? .detail : .list
      return []
    case .search:
      state.dialog = .search(TextEditState(state.search))
      return []
    case .revalidate:
      guard let l = selected(state, context: context) else {
        return [.status("no lesson selected")]
      }
      let suggestion = context.today.adding(days: suggestedRevalidationDays).description
      state.dialog = .revalidate(lessonID: l.id, next: TextEditState(suggestion), error: nil)
      return []
    case .exportHint:
      return [
        .status(
          "digests are made on the command line: "
            + exportCommand(for: selected(state, context: context)))
      ]
    case .input(let key):
      switch state.dialog {
      case .search(var edit):
        if edit.handle(key) {
          state.dialog = .search(edit)
          state.search = edit.text
          state.list = ListState()
          state.detailScroll = 0
        }
      case .revalidate(let id, var next, let error):
        if next.handle(key) { state.dialog = .revalidate(lessonID: id, next: next, error: error) }
      case nil:
        break
      }
      return []
    case .submit:
      switch state.dialog {
      case .search:
        state.dialog = nil
        return []
      case .revalidate(let id, let next, _):
        let text = next.text.trimmingCharacters(in: .whitespaces)
        if let error = validateNext(text, today: context.today) {
          state.dialog = .revalidate(lessonID: id, next: next, error: error)
          return []
        }
        state.dialog = nil
        return [
          .perform(
            .revalidateLesson(id, next: text.isEmpty ? nil : text), purpose: "revalidate lesson")
        ]
      case nil:
        return []
      }
    case .cancel:
      if case .search = state.dialog {
        state.search = ""
        state.list = ListState()
      }
      state.dialog = nil
      return []
    case .mouse(let event, let area):
      let panes = layout(area)
      if panes.list.contains(event.position) {
        state.focus = .list
        let count = lessons(state: state, context: context).count
        let inner = Panel.inner(panes.list)
        if state.list.handle(event, area: inner, count: count) { state.detailScroll = 0 }
      } else if panes.detail.contains(event.position) {
        state.focus = .detail
        switch event.action {
        case .wheelDown: state.detailScroll += 3
        case .wheelUp: state.detailScroll = max(0, state.detailScroll - 3)
        default: break
        }
      }
      return []
    }
  }

  /// Why `text` is not a valid next revalidation day (nil when it is, or when empty: no next day).
  public static func validateNext(_ text: String, today: Day) -> String? {
    guard !text.isEmpty else { return nil }
    guard let day = Day(text) else {
      return "“\(text)” is not a day: write YYYY-MM-DD, e.g. \(today.adding(days: 90))"
    }
    guard day > today else { return "\(day) is not after today (\(today)); pick a later day" }
    return nil
  }
}
