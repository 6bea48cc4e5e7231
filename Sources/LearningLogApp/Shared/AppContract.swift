import Foundation
import LearningLog
import TerminalUI

/// Work for the runtime; the runtime runs it and reports back with an action.
public enum AppEffect: Sendable, Hashable {
  /// Plan `command` against fresh state and append it to the log (and the private file).
  case perform(Command, purpose: String)
  /// Plan `commands` (a form's save) and append them as one write: all of them or none.
  case performAll([Command], purpose: String)
  /// Append the demo log (only offered on an empty log).
  case loadDemo
  /// Open `$EDITOR` on `text`; the result comes back tagged with `field`.
  case editExternally(text: String, field: String)
  /// Keep an unsaved form as a draft so it survives a crash.
  case saveDraft(key: String, values: [String: String])
  /// The open form's text changed: its draft is due to be kept (cheap; nothing is encoded).
  case draftTouched
  /// Forget a draft once it has been saved or discarded.
  case discardDraft(key: String)
  /// Read the private notes and show the private space.
  case openPrivateSpace
  /// Copy `text` (an id) to the clipboard where that is turned on; `label` names it in the
  /// message either way.
  case copy(String, label: String)
}

/// A request a screen makes of the root: handled at once in the root's reduce, never sent
/// through the runtime.
public enum Delegate: Sendable, Hashable {
  /// Switch to another screen (or open a form), selecting the item named.
  case show(Destination)
  /// Show a one-line message in the status bar (errors start with "error:").
  case status(String)
}

/// What a screen's reducer hands back: requests to the root, and work for the runtime.
public enum ScreenEffect: Sendable, Hashable {
  /// A request the root handles in the same reduce (go somewhere, say something).
  case delegate(Delegate)
  /// Work for the runtime (a write); its result comes back as an action.
  case run(AppEffect)

  /// Asks the root to go to `destination`.
  public static func show(_ destination: Destination) -> ScreenEffect {
    .delegate(.show(destination))
  }
  /// Asks the root to show `text` in the status line.
  public static func status(_ text: String) -> ScreenEffect { .delegate(.status(text)) }
  /// Asks the runtime to plan `command` and append it to the log.
  public static func perform(_ command: Command, purpose: String) -> ScreenEffect {
    .run(.perform(command, purpose: purpose))
  }
}

/// A place in the app another screen can send the user to.
public enum Destination: Sendable, Hashable {
  case today
  case incident(String)
  /// The review form of an incident.
  case review(String)
  case action(String)
  case lesson(String)
  case pattern(String)
  case dashboard
  /// The new-incident form.
  case newIncident
  /// The form editing an incident's fields.
  case editIncident(String)
  /// The form setting an incident's pattern keys.
  case setPatterns(String)
  /// The form adding an action to an incident.
  case addAction(incident: String)
  /// The form adding a lesson, linked to an incident when one is given.
  case addLesson(incident: String?)
  /// The form revalidating a lesson.
  case revalidateLesson(String)
  /// The form adding a contributing factor to an incident.
  case addFactor(incident: String)
  /// The form adding a timeline entry to an incident.
  case addTimelineEntry(incident: String)
  /// The form adding or revising a checklist because of an incident.
  case changeChecklist(incident: String)
  /// The form adding or revising a team template because of an incident.
  case changeTemplate(incident: String)
  /// Any form, opened as it is.
  case form(FormKind)
}

/// Everything a screen reads while reducing or drawing, derived once per change of the log.
///
/// The derived figures (``todayItems``, ``todayCount``, ``patterns``, ``stats``, ``shortIDs``)
/// are computed on first use and kept until `domain` or `today` changes, so the first frame
/// pays only for what it draws.
public struct ViewContext: Sendable {
  /// The replayed state of the log.
  public var domain: LearningState {
    didSet { memo = Memo() }
  }
  /// The calendar day the app treats as today.
  public var today: Day {
    didSet { memo = Memo() }
  }
  /// Colours and attributes.
  public var theme: Theme {
    didSet { memo = memo.copy { _ in } }
  }
  /// Counts the changes of the log since the app started, so screens can cache what they
  /// derive from it (0 for a context made outside the app).
  public var revision = 0
  /// The derived figures computed so far, shared by copies of this context.
  private var memo = Memo()
  /// The size of the area a screen is drawn in (kept by the app as the terminal resizes), so
  /// a page key moves by what is on screen.
  public var viewport = Size(width: 80, height: 21)
  /// Which team log each entity and pattern came from when several logs are read together
  /// (nil with one log): rows are marked with it.
  public var logs: LogLabels?

  /// Keeps `domain` and `today`; the derived figures follow on first use.
  public init(domain: LearningState, today: Day, theme: Theme) {
    self.domain = domain
    self.today = today
    self.theme = theme
  }

  /// The carry-over queue, computed once per change.
  public var todayItems: [TodayItem] {
    get { memo.value(\.todayItems) { domain.today(on: today) } }
    set { memo = memo.copy { $0.todayItems = newValue } }
  }
  /// The carry-over queue if it has been computed for this change, without computing it.
  public var todayItemsIfKnown: [TodayItem]? { memo.peek(\.todayItems) }
  /// How many items the carry-over queue holds, computed once per change.
  ///
  /// Counts without building the items (what the status line shows), unless ``todayItems``
  /// are known already.
  public var todayCount: Int {
    if let items = memo.peek(\.todayItems) { return items.count }
    return memo.value(\.todayCount) { domain.todayCount(on: today) }
  }
  /// Pattern summaries, computed once per change.
  public var patterns: [PatternSummary] {
    get { memo.value(\.patterns) { domain.patterns(on: today) } }
    set { memo = memo.copy { $0.patterns = newValue } }
  }
  /// Learning-health figures, computed once per change.
  public var stats: LearningStats {
    get { memo.value(\.stats) { domain.stats(on: today) } }
    set { memo = memo.copy { $0.stats = newValue } }
  }
  /// Short ids for every entity, computed once per change.
  public var shortIDs: [String: String] {
    get { memo.value(\.shortIDs) { domain.shortIDs() } }
    set { memo = memo.copy { $0.shortIDs = newValue } }
  }

  /// The summary of pattern `key`, without summarising every pattern when they are not yet known.
  public func pattern(_ key: String) -> PatternSummary? {
    if let all = memo.peek(\.patterns) { return all.first { $0.key == key } }
    return memo.value(key) { domain.pattern(key, on: today) }
  }

  /// The short id of `id` (the id itself when it is not live), without deriving every short id.
  public func shortID(_ id: String) -> String {
    if let all = memo.peek(\.shortIDs) { return all[id] ?? id }
    let index = memo.value(\.shortIDIndex) { ShortIDIndex(domain) }
    return index.shortID(id) ?? shortIDs[id] ?? id
  }

  /// Lines laid out for `subject` at `width`, made by `make` once per change of the log.
  ///
  /// A screen that redraws on every key (the incident detail beside the list) keeps its laid
  /// out text here; at most a few hundred entries are kept.
  public func laidOut(_ subject: String, width: Int, _ make: () -> [Line]) -> [Line] {
    memo.lines(LinesKey(subject: subject, width: width), make)
  }

  /// A value a screen derives from the log under `key`, made by `make` once per change of the log.
  ///
  /// For what a screen would otherwise recompute on every frame (the board's sorted columns).
  public func derived<T>(_ key: String, _ make: () -> T) -> T {
    memo.derived(key, make)
  }

  /// What ``laidOut(_:width:_:)`` keeps lines by.
  private struct LinesKey: Hashable {
    var subject: String
    var width: Int
  }

  /// The derived figures computed so far; copies of a context share it.
  private final class Memo: @unchecked Sendable {
    struct Values {
      var todayItems: [TodayItem]?
      var todayCount: Int?
      var patterns: [PatternSummary]?
      var stats: LearningStats?
      var shortIDs: [String: String]?
      var shortIDIndex: ShortIDIndex?
      var pattern: [String: PatternSummary?] = [:]
    }
    private let lock = NSLock()
    private var values = Values()

    /// The value at `path`, computing it with `make` the first time.
    func value<T>(_ path: WritableKeyPath<Values, T?>, _ make: () -> T) -> T {
      if let v = peek(path) { return v }
      let v = make()
      lock.withLock { values[keyPath: path] = v }
      return v
    }

    /// The summary of one pattern key, computing it with `make` the first time.
    func value(_ key: String, _ make: () -> PatternSummary?) -> PatternSummary? {
      if let v = lock.withLock({ values.pattern[key] }) { return v }
      let v = make()
      lock.withLock { values.pattern[key] = .some(v) }
      return v
    }

    private var lines: [LinesKey: [Line]] = [:]
    private var derivedValues: [String: Any] = [:]

    /// The value kept under `key`, made with `make` the first time (or when its type differs).
    func derived<T>(_ key: String, _ make: () -> T) -> T {
      if let v = lock.withLock({ derivedValues[key] }) as? T { return v }
      let v = make()
      lock.withLock { derivedValues[key] = v }
      return v
    }

    /// The lines kept under `key`, made with `make` the first time.
    func lines(_ key: LinesKey, _ make: () -> [Line]) -> [Line] {
      if let l = lock.withLock({ lines[key] }) { return l }
      let l = make()
      lock.withLock {
        if lines.count >= 256 { lines.removeAll(keepingCapacity: true) }
        lines[key] = l
      }
      return l
    }

    /// The value at `path` if it has been computed.
    func peek<T>(_ path: WritableKeyPath<Values, T?>) -> T? {
      lock.withLock { values[keyPath: path] }
    }

    /// A new memo holding what this one holds, changed by `change`.
    func copy(_ change: (inout Values) -> Void) -> Memo {
      let m = Memo()
      m.values = lock.withLock { values }
      change(&m.values)
      return m
    }
  }
}

/// A screen of the app: its own state, actions, keys, reducer and drawing.
///
/// The root composes the screens through ``ScreenRegistry``; a screen never touches another's
/// state. Its reducer and its drawing get the same area: `context.viewport` is the size of the
/// area `render` draws into, so a page key moves by what is on screen.
public protocol AppScreen: SendableMetatype {
  /// State that outlives a frame (selection, scroll, filters).
  associatedtype State
  /// What can happen on the screen.
  associatedtype Action: Sendable
  /// The screen's keys, drawn in the help overlay and the hint bar.
  static var keymap: KeymapContext<Action> { get }
  /// Every key table the screen can have active (its own and each dialog's), so the app can
  /// list them all; ``activeKeymap(_:)`` returns one of these.
  static var keymaps: [KeymapContext<Action>] { get }
  /// Applies `action`, returning requests to the root and work for the runtime.
  static func reduce(_ state: inout State, _ action: Action, context: ViewContext)
    -> [ScreenEffect]
  /// Draws the screen into `area` of `buffer`, returning where the cursor goes (if anywhere).
  static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point?
  /// Turns a mouse report inside `area` into an action; by default none.
  static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action?
  /// Turns pasted text into an action (a search box takes it); by default none.
  static func action(forPaste text: String, state: State) -> Action?
  /// Whether the screen is taking text (a search box, a dialog), so global keys must not fire.
  static func isCapturingInput(_ state: State) -> Bool
  /// Whether what is open on the screen (a dialog, a form) leads to a write when completed, so
  /// a read-only log refuses it at the key that opens it.
  static func isOpeningWrite(_ state: State) -> Bool
  /// The id of the incident what is selected on the screen is about (nil when none), which a
  /// new private note is about at first.
  static func selectedIncident(_ state: State, context: ViewContext) -> String?
  /// The name and keys of what is open on the screen now (a dialog's), for help and hints.
  static func activeKeymap(_ state: State) -> KeymapContext<Action>
  /// What help shows after the keys (what the screen's marks mean); by default nothing.
  static var legend: [HelpSection] { get }
  /// Selects what `destination` names, returning whether this screen shows it (the root then
  /// shows this screen); by default the screen shows nothing.
  static func reveal(_ destination: Destination, in state: inout State, context: ViewContext)
    -> Bool
  /// Keeps the selection on its item when the log changes from `old` to `new` (others'
  /// records shift the lists); by default nothing moves.
  static func follow(_ state: inout State, from old: ViewContext, to new: ViewContext)
}

extension AppScreen {
  /// What `key` does: a lookup in the active keymap, the one place keys are dispatched from.
  public static func action(for key: KeyEvent, state: State) -> Action? {
    activeKeymap(state).action(for: key)
  }

  /// The screen's one key table, unless it has dialogs.
  public static var keymaps: [KeymapContext<Action>] { [keymap] }

  /// The mouse report inside `area`, unless the screen is taking text.
  public static func mouseInside(
    _ mouse: MouseEvent, area: Rect, state: State, _ make: (MouseEvent, Rect) -> Action
  ) -> Action? {
    guard !isCapturingInput(state), area.contains(mouse.position) else { return nil }
    return make(mouse, area)
  }
  /// No mouse handling unless the screen provides it.
  public static func action(for mouse: MouseEvent, area: Rect, state: State) -> Action? { nil }
  /// Pasted text is ignored unless the screen takes it.
  public static func action(forPaste text: String, state: State) -> Action? { nil }
  /// Not capturing input unless the screen says so.
  public static func isCapturingInput(_ state: State) -> Bool { false }
  /// Nothing open leads to a write unless the screen says so.
  public static func isOpeningWrite(_ state: State) -> Bool { false }
  /// No incident is selected unless the screen says so.
  public static func selectedIncident(_ state: State, context: ViewContext) -> String? { nil }
  /// The screen's own keymap unless something is open.
  public static func activeKeymap(_ state: State) -> KeymapContext<Action> { keymap }
  /// No legend unless the screen has marks to explain.
  public static var legend: [HelpSection] { [] }
  /// Shows no destination unless the screen says so.
  public static func reveal(
    _ destination: Destination, in state: inout State, context: ViewContext
  ) -> Bool { false }
  /// Keeps the state as it is.
  public static func follow(_ state: inout State, from old: ViewContext, to new: ViewContext) {}
}

extension ViewContext {
  /// The widest a log mark is drawn (a longer label is cut with an ellipsis).
  static let logMarkLimit = 14

  /// The width of the log marks of rows, `labels` among them (0 with one log).
  func logMarkWidth(_ labels: [String]) -> Int {
    guard logs != nil else { return 0 }
    return Swift.min(Self.logMarkLimit, labels.map(\.displayWidth).max() ?? 0)
  }

  /// The mark a row of `label` starts with, `width` wide plus a space (nil with one log).
  func logMark(_ label: String, width: Int) -> Span? {
    guard logs != nil, width > 0 else { return nil }
    return Span(
      label.truncated(toWidth: width).padded(toWidth: width) + " ", style: theme.accent)
  }

  /// The mark a row of entity `id` starts with, as wide as every log's label (nil with one
  /// log).
  func logMark(_ id: String) -> Span? {
    guard let logs else { return nil }
    return logMark(logs.label(id), width: logMarkWidth(logs.names))
  }
}
