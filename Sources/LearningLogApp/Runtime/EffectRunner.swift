import Foundation
import LearningLog
import TerminalUI

/// Runs the root's effects against the app log, the draft store and the editor, and turns
/// every result (and every failure) into actions, so nothing fails silently.
///
/// Drafts are written off the keystroke path: a typed change is kept in memory (and handed,
/// encoded, to ``onPendingDraft`` so a signal handler can write it), and reaches the disk on
/// the next idle tick, after ``draftDelayNanoseconds`` of continued typing, when another form's
/// draft comes, or on ``flushDrafts()`` at exit. Never one write (and fsync) per key.
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
  /// The longest a typed draft waits in memory while typing goes on (1 s).
  public var draftDelayNanoseconds: UInt64 = 1_000_000_000
  /// Told the file and the bytes of the draft waiting to be written, or nil when none waits.
  public var onPendingDraft: ((path: String, bytes: [UInt8])?) -> Void = { _ in }
  /// How many draft files have been written (each one write, fsync and rename).
  public private(set) var draftWrites = 0

  /// The draft typed and not yet written, its bytes, and since when it waits.
  private var pending: (key: String, bytes: [UInt8], since: UInt64)?

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
      // An idle tick: the draft typed so far goes to disk.
      let flushed = flushDrafts()
      do {
        guard try appLog.refresh() else { return flushed }
        return flushed + [.logChanged(appLog.state)]
          + (appLog.logLabels.map { [AppAction.logsLabelled($0)] } ?? [])
      } catch {
        return flushed + [.setStatus("error: cannot read the log: \(describe(error))")]
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
    case .discardDraft(let key):
      if pending?.key == key {
        pending = nil
        onPendingDraft(nil)
      }
      do {
        try drafts?.discard(key)
        return []
      } catch {
        return [.setStatus("error: draft not removed: \(describe(error))")]
      }
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

  /// Keeps `draft` in memory to be written soon; writes now when it has waited long enough.
  func keepDraft(_ draft: FormDraft) -> [AppAction] {
    guard let drafts else { return [] }
    var out: [AppAction] = []
    if let p = pending, p.key != draft.key { out += flushDrafts() }
    let bytes: [UInt8]
    do {
      bytes = try drafts.encoded(draft)
      if pending == nil { try drafts.prepareDirectory() }
    } catch {
      return out + [.setStatus("error: draft not kept: \(describe(error))")]
    }
    let now = clock()
    let since = pending?.since ?? now
    pending = (draft.key, bytes, since)
    onPendingDraft((drafts.path(for: draft.key), bytes))
    if now &- since >= draftDelayNanoseconds { out += flushDrafts() }
    return out
  }

  /// Writes the draft waiting in memory, if any; returns a status action when it fails.
  ///
  /// The bytes laid out for the signal handlers are cleared only once the file is renamed into
  /// place: a crash in the middle of this write still leaves the draft on disk.
  @discardableResult
  public func flushDrafts() -> [AppAction] {
    guard let p = pending, let drafts else { return [] }
    pending = nil
    do {
      try drafts.store(p.bytes, key: p.key)
      onPendingDraft(nil)
      draftWrites += 1
      return []
    } catch {
      // Not retried on every tick; the handlers may still write it on the way out.
      return [.setStatus("error: draft not kept: \(describe(error))")]
    }
  }

  /// Whether a typed draft waits in memory, not yet written.
  public var hasPendingDraft: Bool { pending != nil }
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
