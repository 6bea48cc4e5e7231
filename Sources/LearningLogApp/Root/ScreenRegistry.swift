import LearningLog
import TerminalUI

/// The screens of the app, each registered once: the root routes keys, the mouse, pasted
/// text, actions, drawing, help and hints through this list and never names a screen.
///
/// Adding a screen: write it (an ``AppScreen``), give its state a stored property in
/// ``AppState``, and add one line here. Its tab, its number key, its help and hints follow.
public enum ScreenRegistry {
  /// Every screen, in tab order.
  public static let all: [ScreenRegistration] = [
    ScreenRegistration(TodayScreen.self, tab: .today, title: "Today", state: \.today),
    ScreenRegistration(
      IncidentsScreen.self, tab: .incidents, title: "Incidents", state: \.incidents),
    ScreenRegistration(BoardScreen.self, tab: .actions, title: "Actions", state: \.board),
    ScreenRegistration(LessonsScreen.self, tab: .lessons, title: "Lessons", state: \.lessons),
    ScreenRegistration(PatternsScreen.self, tab: .patterns, title: "Patterns", state: \.patterns),
    ScreenRegistration(
      DashboardScreen.self, tab: .dashboard, title: "Dashboard", short: "Dash", state: \.dashboard),
  ]

  /// The screen shown under `tab`.
  public static func screen(_ tab: AppTab) -> ScreenRegistration? {
    all.first { $0.tab == tab }
  }
}

/// One screen as the root sees it: its tab, where its state lives in ``AppState``, how its
/// actions are wrapped in ``AppAction``, and its keys, reducer and drawing (the model is TCA's
/// `Scope`: a state key path, an action embedding and the child's reducer).
public struct ScreenRegistration: Sendable {
  /// The tab; its number is the key that shows the screen.
  public let tab: AppTab
  /// The title in the tabs bar.
  public let title: String
  /// The title on a narrow tabs bar.
  public let shortTitle: String
  /// The screen's type name, for messages and tests.
  public let name: String

  /// Every key table the screen can have active, as the root's.
  public let keymaps: [KeymapContext<AppAction>]
  let activeTable: @Sendable (AppState) -> KeymapContext<AppAction>
  let legendSections: @Sendable (AppState) -> [HelpSection]
  let mouseAction: @Sendable (MouseEvent, Rect, AppState) -> AppAction?
  let pasteAction: @Sendable (String, AppState) -> AppAction?
  let capturing: @Sendable (AppState) -> Bool
  let writing: @Sendable (AppState) -> Bool
  let incident: @Sendable (AppState) -> String?
  let reduceAction: @Sendable (inout AppState, any Sendable) -> [ScreenEffect]?
  let draw: @Sendable (AppState, inout ScreenBuffer, Rect) -> Point?
  let help: @Sendable (AppState) -> [HelpSection]
  let hintItems: @Sendable (AppState) -> [HintItem]
  let revealing: @Sendable (Destination, inout AppState) -> Bool
  let following: @Sendable (inout AppState, ViewContext) -> Void
  let boundActions: @Sendable (AppState) -> [BoundAction]

  /// Registers `screen` under `tab`, its state at `state`.
  public init<S: AppScreen>(
    _ screen: S.Type, tab: AppTab, title: String, short: String? = nil,
    state path: WritableKeyPath<AppState, S.State> & Sendable
  ) {
    self.tab = tab
    self.title = title
    self.shortTitle = short ?? title
    self.name = String(describing: screen)
    let embed: @Sendable (S.Action) -> AppAction = { .screen(tab, $0) }
    keymaps = S.keymaps.map { $0.map(embed) }
    activeTable = { app in S.activeKeymap(app[keyPath: path]).map(embed) }
    legendSections = { _ in S.legend }
    mouseAction = { mouse, area, app in
      S.action(for: mouse, area: area, state: app[keyPath: path]).map(embed)
    }
    pasteAction = { text, app in S.action(forPaste: text, state: app[keyPath: path]).map(embed) }
    capturing = { app in S.isCapturingInput(app[keyPath: path]) }
    writing = { app in S.isOpeningWrite(app[keyPath: path]) }
    incident = { app in S.selectedIncident(app[keyPath: path], context: app.context) }
    reduceAction = { app, action in
      guard let action = action as? S.Action else { return nil }
      return S.reduce(&app[keyPath: path], action, context: app.context)
    }
    draw = { app, buffer, area in
      S.render(app[keyPath: path], context: app.context, into: &buffer, area: area)
    }
    help = { app in [S.activeKeymap(app[keyPath: path]).helpSection] + S.legend }
    hintItems = { app in S.activeKeymap(app[keyPath: path]).hintItems }
    revealing = { destination, app in
      S.reveal(destination, in: &app[keyPath: path], context: app.context)
    }
    following = { app, old in S.follow(&app[keyPath: path], from: old, to: app.context) }
    boundActions = { app in
      S.activeKeymap(app[keyPath: path]).bindings.map {
        BoundAction(keys: $0.keys, keyNames: $0.keyNames, help: $0.help, action: embed($0.action))
      }
    }
  }

  /// The action `key` means on this screen now, wrapped for the root: its active table's.
  public func action(for key: KeyEvent, in state: AppState) -> AppAction? {
    activeTable(state).action(for: key)
  }

  /// The key table of what is open on the screen now, wrapped for the root.
  public func keymap(_ state: AppState) -> KeymapContext<AppAction> { activeTable(state) }

  /// What the marks the screen draws mean, for help.
  public func legend(_ state: AppState) -> [HelpSection] { legendSections(state) }

  /// The action a mouse report inside `area` means on this screen, wrapped for the root.
  public func action(for mouse: MouseEvent, area: Rect, in state: AppState) -> AppAction? {
    mouseAction(mouse, area, state)
  }

  /// The action pasted text means on this screen, wrapped for the root.
  public func action(forPaste text: String, in state: AppState) -> AppAction? {
    pasteAction(text, state)
  }

  /// Whether the screen is taking text, so global keys must not fire.
  public func isCapturingInput(_ state: AppState) -> Bool { capturing(state) }

  /// Whether a dialog or form open on the screen leads to a write when completed.
  public func isOpeningWrite(_ state: AppState) -> Bool { writing(state) }

  /// The id of the incident what is selected on the screen is about, if any.
  public func selectedIncident(_ state: AppState) -> String? { incident(state) }

  /// Applies a screen action to the screen's state; nil when `action` is not this screen's.
  public func reduce(_ state: inout AppState, _ action: any Sendable) -> [ScreenEffect]? {
    reduceAction(&state, action)
  }

  /// Draws the screen into `area`, returning where the cursor goes.
  public func render(_ state: AppState, into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    draw(state, &buffer, area)
  }

  /// The help sections of what is open on the screen now: its keys, then its legend.
  public func helpSections(_ state: AppState) -> [HelpSection] { help(state) }

  /// The hint bar items of what is open on the screen now.
  public func hints(_ state: AppState) -> [HintItem] { hintItems(state) }

  /// Selects what `destination` names, returning whether this screen shows it.
  public func reveal(_ destination: Destination, in state: inout AppState) -> Bool {
    revealing(destination, &state)
  }

  /// Keeps the screen's selection on its item after the log changed from `old`.
  public func follow(_ state: inout AppState, from old: ViewContext) { following(&state, old) }

  /// The bindings of what is open on the screen now, each with the action it dispatches.
  public func bindings(_ state: AppState) -> [BoundAction] { boundActions(state) }
}

/// A key binding with the root's action it dispatches.
public struct BoundAction: Sendable {
  /// The keys (empty for an entry that only documents keys).
  public var keys: [KeyEvent]
  /// The keys as help shows them.
  public var keyNames: String
  /// What it does.
  public var help: String
  /// The action, wrapped for the root.
  public var action: AppAction
}
