import LearningLog
import TerminalUI

/// Keys that work everywhere.
public enum GlobalCommand: Hashable, Sendable {
  case help
  case quit
  case show(AppTab)
  case redraw
  case loadDemo
  /// Open the log of the status line's messages.
  case messages
  /// `P`: the owner's private space (notes and growth items, read from the private file).
  case privateSpace
  /// `:`: the command palette.
  case palette
}

/// What the open form does with a key.
public enum FormInput: Hashable, Sendable {
  /// An editing or moving key, handled by the form's fields.
  case key(KeyEvent)
  /// Pasted text.
  case paste(String)
  /// Ctrl-S.
  case save
  /// Esc: close, asking first when edited.
  case cancel
  /// Ctrl-E: end of line, or `$EDITOR` when already there.
  case endOrEditor
  /// Ctrl-T in a review: the next template, keeping answers to the questions both share.
  case nextTemplate
  /// Ctrl-P in an incident form: add the first suggested pattern key not yet there.
  case acceptSuggestion
  /// A click on a field: it takes the focus.
  case focus(Int)
}

/// The answer when Esc leaves a form with unsaved text: "keep as draft / discard / back".
public enum LeaveFormChoice: Hashable, Sendable {
  /// Close the form, keeping its text as a draft offered again when the form is next opened
  /// (or at the next start).
  case keepDraft
  /// Close the form and throw its text away.
  case discard
  /// Back to the form.
  case back
}

/// Everything that can happen in the app: input turned into intents, and results of effects.
public enum AppAction: Sendable {
  /// Whether the action comes from the user's input (a key or the mouse), which ends the
  /// status line's message.
  var isInput: Bool {
    switch self {
    case .global, .screen, .form, .palette, .helpSearch, .helpScroll, .closeOverlay, .confirm,
      .leaveForm, .addPrivateNote:
      return true
    case .resize, .tick, .draftDue, .logChanged, .logsLabelled, .performed, .becameReadOnly,
      .performFailed, .editorReturned,
      .navigate, .setStatus, .showPrivateSpace:
      return false
    }
  }

  case global(GlobalCommand)
  /// An action of the screen under the tab (its `Action`, wrapped by ``ScreenRegistration``).
  case screen(AppTab, any Sendable)
  case form(FormInput)
  /// A key in the command palette.
  case palette(PaletteInput)
  /// A key of the help overlay's search.
  case helpSearch(HelpSearchInput)
  /// Scroll the help overlay by lines.
  case helpScroll(Int)
  /// Close the help overlay.
  case closeOverlay
  /// The answer to the dialog shown.
  case confirm(Bool)
  /// The answer to "keep as draft / discard / back" on leaving an edited form.
  case leaveForm(LeaveFormChoice)
  /// The terminal has a new size.
  case resize(Size)
  /// No input for a tick: look for changes from other processes.
  case tick
  /// The open form's draft has changed for a while during typing: keep it now.
  case draftDue
  /// The log changed; the new state.
  case logChanged(LearningState)
  /// Several logs are read together: which log each entity and pattern came from now.
  case logsLabelled(LogLabels)
  /// A write succeeded.
  case performed(purpose: String, createdID: String?)
  /// The log cannot be written any more in this session (why): shown as "read-only".
  case becameReadOnly(String)
  /// A write failed; nothing was appended.
  case performFailed(purpose: String, message: String)
  /// `$EDITOR` returned text for a field.
  case editorReturned(field: String, text: String)
  /// Go somewhere (a screen's `.show` request is handled the same way).
  case navigate(Destination)
  /// Show a message in the status line.
  case setStatus(String)
  /// The private notes and growth items were read: show the private space.
  case showPrivateSpace([PrivateNote])
  /// `n` in the private space: the form adding a private note or reflection.
  case addPrivateNote
}

/// Work the root asks the runtime to do: a screen's effect, or looking for changes.
public enum RootEffect: Sendable, Hashable {
  /// An effect of a screen or form.
  case app(AppEffect)
  /// Read what other processes appended.
  case refresh
  /// Repaint the whole terminal (Ctrl-L).
  case redraw
}
