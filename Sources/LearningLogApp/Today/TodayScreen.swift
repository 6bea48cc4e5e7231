import LearningLog
import TerminalUI

/// Screen 1: the carry-over queue, each item one Enter away from what resolves it.
public enum TodayScreen: AppScreen {
  /// The selection in the queue.
  public struct State: Hashable, Sendable {
    /// Selection and scroll of the queue.
    public var list = ListState()
    /// A queue at its top.
    public init() {}
  }

  /// What can happen on the screen.
  public enum Action: Hashable, Sendable {
    /// A list navigation key (j/k, g/G, PgUp/PgDn…).
    case navigate(KeyEvent)
    /// Go to what resolves the selected item.
    case open
    /// Select the row at an index.
    case select(Int)
    /// Move the selection by rows (the mouse wheel).
    case scroll(Int)
  }

  public static var keymap: KeymapContext<Action> {
    let move: @Sendable (KeyEvent) -> Action = { .navigate($0) }
    return KeymapContext(
      "today",
      [
        KeyBinding(
          keys: [.char("j"), KeyEvent(.down)], help: "next item", hint: "move", hintKeys: "j/k",
          forwarding: move),
        KeyBinding(keys: [.char("k"), KeyEvent(.up)], help: "previous item", forwarding: move),
        KeyBinding(keys: [.char("g"), KeyEvent(.home)], help: "first item", forwarding: move),
        KeyBinding(keys: [.char("G"), KeyEvent(.end)], help: "last item", forwarding: move),
        KeyBinding(keys: [KeyEvent(.pageDown)], help: "page down", forwarding: move),
        KeyBinding(keys: [KeyEvent(.pageUp)], help: "page up", forwarding: move),
        KeyBinding(
          keys: [KeyEvent(.enter)], help: "open what resolves the item", action: .open,
          hint: "resolve"),
      ])
  }

  /// The rows of the list inside the screen's area (a header line above them).
  static func listArea(_ area: Rect) -> Rect {
    Rect(x: area.x, y: area.y + 2, width: area.width, height: Swift.max(0, area.height - 2))
  }

  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? {
    let list = listArea(area)
    guard list.contains(mouse.position) else { return nil }
    switch mouse.action {
    case .press(button: 1):
      return .select(
        state.list.visibleOffset(count: Int.max / 2, height: list.height) + mouse.position.y
          - list.y)
    case .wheelDown: return .scroll(3)
    case .wheelUp: return .scroll(-3)
    default: return nil
    }
  }

  /// The rows the queue takes in `area`: below the header, above the selected item's detail
  /// (two lines, when the list has at least 8 rows).
  static func rowsArea(_ area: Rect) -> Rect {
    let list = listArea(area)
    let detailHeight = list.height >= 8 ? 2 : 0
    return Rect(x: list.x, y: list.y, width: list.width, height: list.height - detailHeight)
  }

  /// The queue's visible rows in the area the screen is drawn in (`context.viewport`).
  static func visibleRows(_ context: ViewContext) -> Int {
    Swift.max(1, rowsArea(Rect(size: context.viewport)).height)
  }

  public static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    let items = context.todayItems
    let height = visibleRows(context)
    switch action {
    case .navigate(let key):
      _ = state.list.handle(key, count: items.count, height: height)
    case .select(let i):
      guard i < items.count else { return [] }
      state.list.select(i, count: items.count, height: height)
    case .scroll(let d):
      state.list.move(by: d, count: items.count, height: height)
    case .open:
      guard let i = state.list.selection(count: items.count) else { return [] }
      return [.show(destination(of: items[i], in: context.domain))]
    }
    return []
  }

  public static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  {
    destination == .today
  }

  /// Keeps the selected item selected when others' records move it in the queue (only a queue
  /// that has been shown has a selection to keep).
  public static func follow(_ state: inout State, from old: ViewContext, to new: ViewContext) {
    let items = old.todayItemsIfKnown ?? []
    guard let item = state.list.selection(count: items.count).map({ items[$0] }) else { return }
    let newItems = new.todayItems
    if let i = newItems.firstIndex(where: { $0.kind == item.kind && $0.subject == item.subject }) {
      state.list.select(i, count: newItems.count, height: visibleRows(new))
    }
  }

  /// The incident the selected item is about: its own, its action's or experiment's, its
  /// lesson's first, or its pattern's latest.
  public static func selectedIncident(_ state: State, context: ViewContext) -> String? {
    let items = context.todayItems
    guard let item = state.list.selection(count: items.count).map({ items[$0] }) else {
      return nil
    }
    let domain = context.domain
    switch item.kind {
    case .overdueAction, .verificationDue, .mitigationToRetire:
      return domain.actions[item.subject]?.incident
    case .reviewIncomplete, .reviewScheduled: return item.subject
    case .experimentCheckDue: return domain.experiments[item.subject]?.incident
    case .lessonRevalidation: return domain.lessons[item.subject]?.incidents.first
    case .escalatedPattern:
      return context.patterns.first { $0.key == item.subject }?.incidents.last
    }
  }

  /// Where an item is resolved.
  public static func destination(of item: TodayItem, in domain: LearningState) -> Destination {
    switch item.kind {
    case .overdueAction, .verificationDue: return .action(item.subject)
    case .reviewIncomplete: return .review(item.subject)
    case .escalatedPattern: return .pattern(item.subject)
    case .experimentCheckDue:
      if domain.experiments[item.subject] != nil { return .form(.decideExperiment(item.subject)) }
      return .today
    case .lessonRevalidation: return .revalidateLesson(item.subject)
    case .mitigationToRetire: return .action(item.subject)
    case .reviewScheduled: return .incident(item.subject)
    }
  }

  static func label(_ kind: TodayKind) -> String {
    switch kind {
    case .overdueAction: return "overdue"
    case .reviewIncomplete: return "review"
    case .verificationDue: return "verify"
    case .experimentCheckDue: return "check"
    case .escalatedPattern: return "escalated"
    case .lessonRevalidation: return "revalidate"
    case .mitigationToRetire: return "retire"
    case .reviewScheduled: return "scheduled"
    }
  }

  static func hint(_ kind: TodayKind) -> String {
    switch kind {
    case .overdueAction: return "Enter: action board"
    case .reviewIncomplete: return "Enter: review form"
    case .verificationDue: return "Enter: verify on the action board"
    case .experimentCheckDue: return "Enter: record the result and decide"
    case .escalatedPattern: return "Enter: patterns, add an experiment"
    case .lessonRevalidation: return "Enter: revalidate the lesson"
    case .mitigationToRetire: return "Enter: action board, retire the mitigation"
    case .reviewScheduled: return "Enter: the incident"
    }
  }

  public static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    let theme = context.theme
    if isEmptyLog(context.domain) {
      renderWelcome(theme: theme, into: &buffer, area: area)
      return nil
    }
    let items = context.todayItems
    let heading =
      items.isEmpty
      ? "Today \(context.today): nothing carried over — all caught up"
      : "Today \(context.today): \(items.count) item\(items.count == 1 ? "" : "s") carried over"
    buffer.setString(area.x, area.y, heading, style: theme.title, maxWidth: area.width)
    let list = listArea(area)
    let detailHeight = list.height >= 8 ? 2 : 0
    let rows = rowsArea(area)
    let kindWidth = 11
    let dayWidth = 11
    // With several logs, each item starts with its team log (a pattern's: every log it is in).
    let logLabels = context.logs.map { logs in items.map { logs.label(of: $0) } } ?? []
    let logWidth = context.logMarkWidth(logLabels)
    ListView(count: items.count, highlight: theme.selection, selectionSymbol: "▶ ") { i in
      let item = items[i]
      let style: Style
      switch item.kind {
      case .overdueAction, .escalatedPattern: style = theme.danger
      case .verificationDue, .experimentCheckDue, .lessonRevalidation, .mitigationToRetire:
        style = theme.warning
      case .reviewScheduled: style = theme.accent
      case .reviewIncomplete: style = theme.accent
      }
      let mark = logLabels.isEmpty ? nil : context.logMark(logLabels[i], width: logWidth)
      return Line(
        (mark.map { [$0] } ?? []) + [
          Span(label(item.kind).padded(toWidth: kindWidth), style: style),
          Span((item.day?.description ?? "").padded(toWidth: dayWidth), style: theme.dim),
          Span(item.title),
        ])
    }.render(into: &buffer, area: rows, state: state.list)
    if detailHeight > 0, let i = state.list.selection(count: items.count) {
      let item = items[i]
      let y = rows.maxY
      buffer.setString(area.x, y, "  " + item.detail, style: theme.dim, maxWidth: area.width)
      buffer.setString(
        area.x, y + 1, "  " + hint(item.kind), style: theme.accent, maxWidth: area.width)
    }
    return nil
  }

  /// Whether the log holds nothing yet.
  public static func isEmptyLog(_ domain: LearningState) -> Bool {
    domain.incidents.isEmpty && domain.actions.isEmpty && domain.lessons.isEmpty
      && domain.experiments.isEmpty
  }

  static func renderWelcome(theme: Theme, into buffer: inout ScreenBuffer, area: Rect) {
    let lines: [(String, Style)] = [
      ("Welcome to learnlog", theme.title),
      ("", theme.normal),
      ("Your log is empty. Turn a miss into learning:", theme.normal),
      ("", theme.normal),
      ("  d   load the demo data to look around", theme.accent),
      ("  2   go to incidents, then n to record your first one", theme.normal),
      ("  ?   every key of the current view", theme.normal),
      ("  q   quit", theme.normal),
    ]
    let top = area.y + Swift.max(0, (area.height - lines.count) / 3)
    for (i, (text, style)) in lines.enumerated() where top + i < area.maxY {
      buffer.setString(area.x + 2, top + i, text, style: style, maxWidth: area.width - 2)
    }
  }
}
