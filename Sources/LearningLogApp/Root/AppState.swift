import LearningLog
import TerminalUI

/// A view of the app, named by the number key that shows it.
///
/// The screen shown under a tab, its title and its place in the tabs bar come from
/// ``ScreenRegistry``.
public struct AppTab: Hashable, Sendable {
  /// The number key that shows the tab.
  public let rawValue: Int

  /// The tab shown by number key `rawValue`.
  public init(_ rawValue: Int) { self.rawValue = rawValue }

  public static let today = AppTab(1)
  public static let incidents = AppTab(2)
  public static let actions = AppTab(3)
  public static let lessons = AppTab(4)
  public static let patterns = AppTab(5)
  public static let dashboard = AppTab(6)

  /// Every registered tab, in order.
  public static var allCases: [AppTab] { ScreenRegistry.all.map(\.tab) }

  /// The title in the tabs bar.
  public var title: String { ScreenRegistry.screen(self)?.title ?? "" }
}

/// A question the app is asking in a dialog.
public enum ConfirmRequest: Hashable, Sendable {
  /// Restore a draft found on start?
  case restoreDraft(FormDraft)
}

/// What is drawn over the current view.
public enum Overlay: Hashable, Sendable {
  /// The help listing every key of the current view, scrolled by `scroll` lines.
  case help(scroll: Int)
  /// The messages the status line showed, newest first, scrolled by `scroll` lines.
  case messages(scroll: Int)
  /// A yes/no question.
  case confirm(ConfirmRequest)
  /// Esc on an edited form: keep as draft, discard, or back to the form?
  case leaveForm
  /// The owner's private space: notes and growth items, scrolled by `scroll` lines.
  case privateSpace([PrivateNote], scroll: Int)
  /// The command palette (`:`).
  case palette(CommandPalette)
}

/// A line in the status bar.
///
/// A message leaves at the next key, or after a few seconds without keys (errors stay twice as
/// long); every message is kept in the message log (`M`).
public struct StatusMessage: Hashable, Sendable {
  /// The text; errors start with "error:".
  public var text: String
  /// Whether it reports a failure.
  public var isError: Bool { text.hasPrefix("error:") }
  /// Ticks (500 ms each without input) the message has been shown.
  public var ticks = 0
  /// Ticks after which the message leaves: about 4 s, 8 s for an error.
  public var lifetime: Int { isError ? 16 : 8 }
  /// A message of `text`.
  public init(_ text: String) { self.text = text }
}

/// Everything the app shows and remembers.
public struct AppState {
  /// The view shown.
  public var tab: AppTab = .today
  /// The log's state and what is derived from it, recomputed only when the log changes.
  public var context: ViewContext
  /// How many times the log changed since start (for tests and redraw decisions).
  public var logVersion = 0
  /// Screen 1.
  public var today = TodayScreen.State()
  /// Screen 2.
  public var incidents = IncidentsScreen.State()
  /// Screen 3.
  public var board = BoardScreen.State()
  /// Screen 4.
  public var lessons = LessonsScreen.State()
  /// Screen 5.
  public var patterns = PatternsScreen.State()
  /// Screen 6.
  public var dashboard = DashboardScreen.State()
  /// The open form, if any.
  public var form: ActiveForm?
  /// The help overlay or a dialog, if any.
  public var overlay: Overlay? {
    didSet { if case .help = overlay {} else { helpSearch = nil } }
  }
  /// The search of the help overlay, while it is open.
  public var helpSearch: HelpSearch?
  /// The status line.
  public var status: StatusMessage? {
    didSet {
      guard let status, status.text != oldValue?.text || oldValue == nil else { return }
      messageLog.append(status.text)
      if messageLog.count > Self.messageLogLimit {
        messageLog.removeFirst(messageLog.count - Self.messageLogLimit)
      }
    }
  }
  /// What the status line said since start, oldest first (at most ``messageLogLimit``).
  public var messageLog: [String] = []
  /// How many messages the log keeps.
  public static let messageLogLimit = 200
  /// Why the log cannot be written (nil: it can): shown as "read-only" in the status line,
  /// and every form refused with one line.
  public var readOnly: String?
  /// Drafts found on start and not yet offered.
  public var pendingDrafts: [FormDraft] = []
  /// Drafts kept this run (Esc → keep as draft), by draft key: reopening the form restores one.
  public var keptDrafts: [String: FormDraft] = [:]
  /// The terminal size (updated on resize).
  public var size: Size
  /// Set by q: the loop ends.
  public var isQuitting = false
  /// Bumped by Ctrl-L: the backend repaints the whole screen.
  public var redrawCount = 0

  /// The app at start: `context` for the log, `drafts` found on disk offered first.
  public init(
    context: ViewContext, size: Size = Size(width: 80, height: 24), drafts: [FormDraft] = []
  ) {
    self.context = context
    // Within the app every change of the log bumps the revision, so screens may cache.
    self.context.revision = Swift.max(1, context.revision)
    self.size = size
    self.pendingDrafts = drafts
    if let first = pendingDrafts.first {
      pendingDrafts.removeFirst()
      overlay = .confirm(.restoreDraft(first))
    }
  }
}
