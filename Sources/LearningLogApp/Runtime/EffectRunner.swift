import Foundation
import LearningLog
import TerminalUI

/// Runs the root's effects against a log session, the draft store and the editor, and turns
/// every result (and every failure) into actions, so nothing fails silently.
public final class EffectRunner {
  /// The log.
  public let session: any LogSession
  /// Where drafts are kept (nil: drafts are not kept).
  public let drafts: DraftStore?
  /// Edits a text in `$EDITOR` (the real one suspends the terminal).
  public var editText: (String) throws -> String
  /// Repaints the whole terminal (Ctrl-L); the backend's hook.
  public var repaint: () -> Void

  /// A runner over `session`.
  public init(
    session: any LogSession, drafts: DraftStore?,
    editText: @escaping (String) throws -> String = { $0 },
    repaint: @escaping () -> Void = {}
  ) {
    self.session = session
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
        return try session.refresh() ? [.logChanged(session.state)] : []
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
    case .perform(let command, let purpose):
      do {
        let outcome = try session.perform(command)
        return [
          .logChanged(session.state), .performed(purpose: purpose, createdID: outcome.createdID),
        ]
      } catch {
        return [
          .performFailed(purpose: purpose, message: "\(purpose) not saved: \(describe(error))")
        ]
      }
    case .loadDemo:
      do {
        try session.loadDemo()
        return [
          .logChanged(session.state),
          .setStatus("demo data loaded: \(session.state.incidents.count) incidents"),
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
      do {
        try drafts?.save(FormDraft(key: key, values: values))
        return []
      } catch {
        return [.setStatus("error: draft not kept: \(describe(error))")]
      }
    case .discardDraft(let key):
      do {
        try drafts?.discard(key)
        return []
      } catch {
        return [.setStatus("error: draft not removed: \(describe(error))")]
      }
    case .show(let destination): return [.navigate(destination)]
    case .status(let text): return [.setStatus(text)]
    case .quit: return [.global(.quit)]
    }
  }
}

func describe(_ error: any Error) -> String {
  if let e = error as? DomainError { return e.message }
  if let e = error as? LocalizedError, let d = e.errorDescription { return d }
  return String(describing: error)
}

extension AppState {
  /// The app at start on `session`'s log, on `today`, offering the drafts `runner` finds.
  public init(
    session: any LogSession, today: Day, theme: Theme, size: Size, drafts: [FormDraft]
  ) {
    self.init(
      context: ViewContext(domain: session.state, today: today, theme: theme), size: size,
      drafts: drafts)
  }
}
