import Foundation
import LearningLog
import TerminalUI

/// Runs the root's effects against the app log, the draft store and the editor, and turns
/// every result (and every failure) into actions, so nothing fails silently.
///
/// Drafts are gathered, encoded and written off the keystroke path: a key only marks the form's
/// draft changed (``AppEffect/draftTouched``, O(1)); the values are gathered, encoded and
/// written on the next idle tick, after ``draftDelayNanoseconds`` of continued typing, or on
/// ``flushDrafts(from:)`` at an orderly exit. Never one encoding or write (and fsync) per key.
/// The bytes handed to ``onPendingDraft`` for the signal handlers are those being written, so a
/// crash signal loses at most the text typed since the last write (about a second).
public final class EffectRunner {
  /// The log.
  public let appLog: any AppLog
  /// Where drafts are kept (nil: drafts are not kept).
  public let drafts: DraftStore?
  /// Edits a text in `$EDITOR` (the real one suspends the terminal).
  public var editText: (String) throws -> String
  /// Repaints the whole terminal (Ctrl-L); the backend's hook.
  public var repaint: () -> Void
  /// The monotonic time in nanoseconds (a test sets its own clock).
  public var clock: () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
  /// The longest typed text goes without its draft being kept while typing goes on (1 s).
  public var draftDelayNanoseconds: UInt64 = 1_000_000_000
  /// Told the file and the bytes of the draft waiting to be written, or nil when none waits.
  public var onPendingDraft: ((path: String, bytes: [UInt8])?) -> Void = { _ in }
  /// Puts a text on the terminal's clipboard (OSC 52), or nil when copying is not turned on
  /// (`LEARNLOG_OSC52=1`): then `y` only shows the id.
  public var copyToClipboard: ((String) -> Void)?
  /// How many draft files have been written (each one write, fsync and rename).
  public private(set) var draftWrites = 0
  /// How many times a draft has been encoded (each one gathers and encodes the whole form).
  public internal(set) var draftEncodings = 0
  /// How many bytes of drafts have been encoded in all.
  public internal(set) var draftBytesEncoded = 0

  /// Since when the open form's text has changed without its draft being kept (nil: kept).
  var dirtySince: UInt64?

  /// A runner over `appLog`.
  public init(
    appLog: any AppLog, drafts: DraftStore?,
    editText: @escaping (String) throws -> String = { $0 },
    repaint: @escaping () -> Void = {}
  ) {
    self.appLog = appLog
    self.drafts = drafts
    self.editText = editText
    self.repaint = repaint
  }

  /// The drafts kept from an earlier run, to offer back.
  public func pendingDrafts() -> [FormDraft] { drafts?.all() ?? [] }

  /// Runs `effect` and returns the actions that report its result.
  public func run(_ effect: RootEffect) -> [AppAction] {
    switch effect {
    case .refresh:
      do {
        guard try appLog.refresh() else { return [] }
        return [.logChanged(appLog.state)]
          + (appLog.logLabels.map { [AppAction.logsLabelled($0)] } ?? [])
      } catch {
        return [.setStatus("error: cannot read the log: \(describe(error))")]
      }
    case .redraw:
      repaint()
      return []
    case .app(let e): return run(e)
    }
  }

  func run(_ effect: AppEffect) -> [AppAction] {
    switch effect {
    case .perform(let command, let purpose): return perform([command], purpose: purpose)
    case .performAll(let commands, let purpose): return perform(commands, purpose: purpose)
    case .loadDemo:
      do {
        try appLog.loadDemo()
        return [
          .logChanged(appLog.state),
          .setStatus("demo data loaded: \(appLog.state.incidents.count) incidents"),
        ]
      } catch {
        return [.setStatus("error: demo not loaded: \(describe(error))")]
      }
    case .editExternally(let text, let field):
      do {
        return [.editorReturned(field: field, text: try editText(text))]
      } catch {
        return [.setStatus("error: \(describe(error))")]
      }
    case .saveDraft(let key, let values):
      return keepDraft(FormDraft(key: key, values: values))
    case .draftTouched:
      return touchDraft()
    case .discardDraft(let key):
      dirtySince = nil
      do {
        try drafts?.discard(key)
        return []
      } catch {
        return [.setStatus("error: draft not removed: \(describe(error))")]
      }
    case .copy(let text, let label):
      guard let copyToClipboard else {
        return [
          .setStatus(
            "id of \(label): \(text) (LEARNLOG_OSC52=1 lets y copy it to the clipboard)"
          )
        ]
      }
      copyToClipboard(text)
      return [.setStatus("copied \(label): \(text)")]
    case .openPrivateSpace:
      do {
        return [.showPrivateSpace(try appLog.privateNotes())]
      } catch {
        return [.setStatus("error: cannot read your private notes: \(describe(error))")]
      }
    }
  }
}

extension EffectRunner {
  /// Appends `commands` in one write and reports the new state, or why nothing was saved.
  func perform(_ commands: [Command], purpose: String) -> [AppAction] {
    do {
      let plan = try appLog.perform(commands)
      return [.logChanged(appLog.state), .performed(purpose: purpose, createdID: plan.createdID)]
    } catch {
      let failed = AppAction.performFailed(
        purpose: purpose, message: "\(purpose) not saved: \(describe(error))")
      // A failed write that stops the log's writes for the rest of the process shows in the status line from now on.
      if let why = appLog.readOnlyReason { return [failed, .becameReadOnly(why)] }
      return [failed]
    }
  }

  /// Notes that the open form's text changed; asks for the draft (``AppAction/draftDue``) once
  /// changes have gone on for ``draftDelayNanoseconds`` without an idle tick.
  ///
  /// O(1): nothing is
  /// gathered or encoded here.
  func touchDraft() -> [AppAction] {
    guard drafts != nil else { return [] }
    let now = clock()
    guard let since = dirtySince else {
      dirtySince = now
      return []
    }
    guard now &- since >= draftDelayNanoseconds else { return [] }
    dirtySince = nil
    return [.draftDue]
  }

  /// Encodes `draft` and writes it; returns a status action when it fails.
  ///
  /// While the file is written, its bytes are laid out for the signal handlers
  /// (``onPendingDraft``): a crash in the middle of the write still leaves the draft on disk.
  func keepDraft(_ draft: FormDraft) -> [AppAction] {
    dirtySince = nil
    guard let drafts else { return [] }
    do {
      let bytes = try drafts.encoded(draft)
      draftEncodings += 1
      draftBytesEncoded += bytes.count
      try drafts.prepareDirectory()
      onPendingDraft((drafts.path(for: draft.key), bytes))
      try drafts.store(bytes, key: draft.key)
      onPendingDraft(nil)
      draftWrites += 1
      return []
    } catch {
      // The handlers may still write it on the way out; the next change tries again.
      return [.setStatus("error: draft not kept: \(describe(error))")]
    }
  }

  /// Keeps the draft of `state`'s open form if its text changed since it was last kept: what
  /// every orderly way out (q, Ctrl-C, SIGTERM, SIGHUP acted on by the loop) runs before the
  /// process ends.
  ///
  /// Returns the status actions of a failure.
  @discardableResult
  public func flushDrafts(from state: AppState) -> [AppAction] {
    var state = state
    var out: [AppAction] = []
    for effect in AppModel().dirtyDraftEffects(&state) { out += run(effect) }
    dirtySince = nil
    return out.filter {
      if case .setStatus = $0 { return true }
      return false
    }
  }

  /// Whether the open form's text changed and its draft is not kept yet.
  public var hasPendingDraft: Bool { dirtySince != nil }
}

func describe(_ error: any Error) -> String {
  if let e = error as? DomainError { return e.message }
  if let e = error as? LocalizedError, let d = e.errorDescription { return d }
  return String(describing: error)
}

extension AppState {
  /// The app at start on `appLog`, on `today`, offering the drafts `runner` finds.
  public init(
    appLog: any AppLog, today: Day, theme: Theme, size: Size, drafts: [FormDraft]
  ) {
    self.init(
      context: ViewContext(domain: appLog.state, today: today, theme: theme), size: size,
      drafts: drafts)
    readOnly = appLog.readOnlyReason
    context.logs = appLog.logLabels
  }
}
