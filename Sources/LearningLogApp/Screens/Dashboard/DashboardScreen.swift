import LearningLog
import TerminalUI

/// The learning-health dashboard: charts of the metrics, roll-ups by team and pattern, and a
/// recognition view of one person's contributions to learning (never a ranking, never failures).
public enum DashboardScreen: AppScreen {
  /// The dashboard's state: which view, whose contributions, and the scroll position.
  public struct State: Sendable, Hashable {
    /// Whether the recognition view is shown instead of the charts.
    public var showRecognition: Bool
    /// The chosen person, as an index into ``DashboardScreen/people(context:)``.
    public var person: Int
    /// The first content row shown (for small terminals).
    public var scroll: Int

    /// The charts, scrolled to the top.
    public init(showRecognition: Bool = false, person: Int = 0) {
      self.showRecognition = showRecognition
      self.person = person
      self.scroll = 0
    }
  }

  /// What can happen on the dashboard.
  public enum Action: Sendable, Hashable {
    /// `c`: switch between the charts and the recognition view.
    case toggleRecognition
    /// ←/→ in the recognition view: the previous / next person.
    case previousPerson, nextPerson
    case up, down, top, bottom, pageUp, pageDown
    /// A wheel turn over the dashboard.
    case mouse(MouseEvent)
    /// `w`: record a win.
    case addWin
  }

  /// The rows the scrolled body shows (below the header) in the area the screen is drawn in
  /// (`context.viewport`).
  static func visibleRows(_ context: ViewContext) -> Int { max(1, context.viewport.height - 1) }

  /// The dashboard's keys.
  public static let keymap = KeymapContext<Action>(
    "dashboard",
    [
      KeyBinding(
        keys: [.char("c")], help: "contributions to learning (toggle)", action: .toggleRecognition,
        hint: "contributions"),
      KeyBinding(
        keys: [.char("h"), KeyEvent(.left)], help: "previous person (contributions)",
        action: .previousPerson, keyLabel: "h/←"),
      KeyBinding(
        keys: [.char("l"), KeyEvent(.right)], help: "next person (contributions)",
        action: .nextPerson, hint: "person", keyLabel: "l/→"),
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "scroll down", action: .down, keyLabel: "j/↓"),
      KeyBinding(
        keys: [.char("k"), KeyEvent(.up)], help: "scroll up", action: .up, keyLabel: "k/↑"),
      KeyBinding(keys: [.char("g"), KeyEvent(.home)], help: "top", action: .top),
      KeyBinding(keys: [.char("G"), KeyEvent(.end)], help: "bottom", action: .bottom),
      KeyBinding(keys: [KeyEvent(.pageUp)], help: "page up", action: .pageUp),
      KeyBinding(keys: [KeyEvent(.pageDown)], help: "page down", action: .pageDown),
      KeyBinding(keys: [.char("w")], help: "add a win", action: .addWin, hint: "win"),
    ])

  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? {
    guard area.contains(mouse.position) else { return nil }
    switch mouse.action {
    case .wheelUp, .wheelDown: return .mouse(mouse)
    default: return nil
    }
  }

  /// Everyone who contributed to learning (wrote a lesson, owns a fix verified effective, set up
  /// an experiment, revised a checklist) or is named in a win, in alphabetical order — never
  /// ordered by how much.
  public static func people(context: ViewContext) -> [String] {
    context.domain.recognisedPeople
  }

  public static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  {
    destination == .dashboard
  }

  public static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  {
    switch action {
    case .addWin:
      return [.show(.form(.addWin))]
    case .toggleRecognition:
      state.showRecognition.toggle()
      state.scroll = 0
      if state.showRecognition, people(context: context).isEmpty {
        return [.status("no contributions yet: lessons, verified fixes and experiments show here")]
      }
      return []
    case .previousPerson, .nextPerson:
      guard state.showRecognition else {
        return [.status("c opens contributions to learning; ←/→ then choose a person")]
      }
      let count = people(context: context).count
      guard count > 0 else { return [] }
      let delta = action == .nextPerson ? 1 : count - 1
      state.person = (min(max(0, state.person), count - 1) + delta) % count
      state.scroll = 0
      return []
    case .up: state.scroll -= 1
    case .down: state.scroll += 1
    case .top: state.scroll = 0
    case .bottom: state.scroll = Int.max / 2
    case .pageUp: state.scroll -= visibleRows(context)
    case .pageDown: state.scroll += visibleRows(context)
    case .mouse(let event):
      if event.action == .wheelDown { state.scroll += 3 }
      if event.action == .wheelUp { state.scroll -= 3 }
    }
    state.scroll = max(0, min(state.scroll, maxScroll(state, context: context)))
    return []
  }

  /// The most rows there are to scroll: the charts stacked in one column, or the recognition
  /// view's rows (the drawing clamps further to what the area holds).
  static func maxScroll(_ state: State, context: ViewContext) -> Int {
    if state.showRecognition {
      let people = people(context: context)
      guard !people.isEmpty else { return 0 }
      let index = min(max(0, state.person), people.count - 1)
      return recognitionLines(
        person: people[index], index: index, count: people.count, context: context
      ).count
    }
    let (left, right) = sections(context: context)
    return stackHeight(left + right)
  }
}
