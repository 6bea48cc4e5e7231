import LearningLog
import TerminalUI

/// What a screen asks the runtime to do; the runtime runs it and reports back with an action.
public enum AppEffect: Sendable, Hashable {
  /// Plan `command` against fresh state and append it to the log (and the private file).
  case perform(Command, purpose: String)
  /// Append the demo log (only offered on an empty log).
  case loadDemo
  /// Open `$EDITOR` on `text`; the result comes back tagged with `field`.
  case editExternally(text: String, field: String)
  /// Keep an unsaved form as a draft so it survives a crash.
  case saveDraft(key: String, values: [String: String])
  /// Forget a draft once it has been saved or discarded.
  case discardDraft(key: String)
  /// Leave the app.
  case quit
}

/// Everything a screen reads while reducing or drawing, computed once per change of the log.
public struct ViewContext: Sendable {
  /// The replayed state of the log.
  public var domain: LearningState
  /// The calendar day the app treats as today.
  public var today: Day
  /// Colours and attributes.
  public var theme: Theme
  /// The carry-over queue, computed once per change.
  public var todayItems: [TodayItem]
  /// Pattern summaries, computed once per change.
  public var patterns: [PatternSummary]
  /// Learning-health figures, computed once per change.
  public var stats: LearningStats
  /// Short ids for every entity, computed once per change.
  public var shortIDs: [String: String]

  /// Derives the per-change data from `domain` on `today`.
  public init(domain: LearningState, today: Day, theme: Theme) {
    self.domain = domain
    self.today = today
    self.theme = theme
    self.todayItems = domain.today(on: today)
    self.patterns = domain.patterns(on: today)
    self.stats = domain.stats(on: today)
    self.shortIDs = domain.shortIDs()
  }
}

/// A screen of the app: its own state, actions, keys, reducer and drawing.
///
/// The root composes the screens; a screen never touches another's state.
public protocol AppScreen {
  /// State that outlives a frame (selection, scroll, filters).
  associatedtype State
  /// What can happen on the screen.
  associatedtype Action
  /// The screen's keys, drawn in the help overlay and the hint bar.
  static var keymap: KeymapContext<Action> { get }
  /// Applies `action`, returning the effects to run.
  static func reduce(_ state: inout State, _ action: Action, context: ViewContext) -> [AppEffect]
  /// Draws the screen into `area` of `buffer`.
  static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect)
}
