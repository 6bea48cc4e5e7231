import TerminalUI

/// The key tables of the root: global keys, the welcome key, forms, overlays and dialogs.
///
/// Every key the app acts on is dispatched from one of these tables (or a screen's, mapped into
/// ``AppAction``), and help and the hint bar are drawn from the same tables: ``all`` lists every
/// one, so a test can walk them.
public enum AppKeymaps {
  /// Keys that work in every view.
  public static let global = KeymapContext<AppAction>(
    "global",
    [
      KeyBinding(
        keys: [.char("?"), KeyEvent(.function(1))], help: "help: every key of this view",
        action: .global(.help), hint: "help", keyLabel: "?/F1"),
      KeyBinding(
        keys: [.char("q")], help: "quit (Esc first closes an overlay or form)",
        action: .global(.quit), hint: "quit"),
      quitAtOnce,
    ]
      // Each registered screen's number key.
      + ScreenRegistry.all.map { screen in
        KeyBinding(
          keys: [.char(Character(String(screen.tab.rawValue)))], help: screen.title.lowercased(),
          action: AppAction.global(.show(screen.tab)))
      }
      + [
        KeyBinding(
          keys: [.char("P")], help: "your private space: notes and growth items (only you see it)",
          action: .global(.privateSpace)),
        redraw,
        KeyBinding(
          keys: [.char("M")], help: "messages: what the status line said",
          action: .global(.messages)),
        KeyBinding(
          keys: [.char(":")], help: "command palette: find and run a command of this view",
          action: .global(.palette)),
      ])

  static let quitAtOnce = KeyBinding<AppAction>(
    keys: [.ctrl("c")], help: "quit at once (an open form's text stays as a draft)",
    action: .global(.quit))
  static let redraw = KeyBinding<AppAction>(
    keys: [.ctrl("l")], help: "redraw the screen", action: .global(.redraw))

  /// The keys that work even while a view takes text or a form or dialog is open.
  public static let always = KeymapContext<AppAction>("any view", [quitAtOnce, redraw])

  /// The key offered on an empty log.
  public static let welcome = KeymapContext<AppAction>(
    "empty log",
    [
      KeyBinding(
        keys: [.char("d")], help: "load the demo data", action: .global(.loadDemo),
        hint: "demo data")
    ])

  /// The keys of an open form; Ctrl-T only in a review (`nextTemplate`), Ctrl-P only in a form
  /// with pattern keys (`suggestions`).
  public static func form(nextTemplate: Bool, suggestions: Bool) -> KeymapContext<AppAction> {
    let key: @Sendable (KeyEvent) -> AppAction = { .form(.key($0)) }
    var bindings: [KeyBinding<AppAction>] = [
      KeyBinding(
        keys: [KeyEvent(.tab), KeyEvent(.down)],
        help: "next field (↓ in a multi-line field: the next line)", hint: "field",
        keyLabel: "Tab/↓", forwarding: key),
      KeyBinding(
        keys: [KeyEvent(.tab, .shift), KeyEvent(.up)],
        help: "previous field (↑ in a multi-line field: the line above)",
        keyLabel: "Shift-Tab/↑", forwarding: key),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "next field (new line in a multi-line field)",
        forwarding: key),
      KeyBinding(
        keys: [.char(" ")], help: "a space (in a choice: the next option; ←/→ cycle too)",
        keyLabel: "Space", forwarding: key),
    ]
    bindings += KeyBinding.lineEditing(endKey: false, key)
    bindings += [
      KeyBinding(keys: [.ctrl("s")], help: "save", action: .form(.save), hint: "save"),
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "leave (if edited: keep as draft, discard or back)",
        action: .form(.cancel), hint: "leave"),
      KeyBinding(
        keys: [.ctrl("e")], help: "end of line · again: $EDITOR",
        action: .form(.endOrEditor), hint: "$EDITOR"),
    ]
    if nextTemplate {
      bindings.append(
        KeyBinding(
          keys: [.ctrl("t")], help: "the next template (answers to shared questions stay)",
          action: .form(.nextTemplate)))
    }
    if suggestions {
      bindings.append(
        KeyBinding(
          keys: [.ctrl("p")], help: "add the first likely pattern key shown",
          action: .form(.acceptSuggestion)))
    }
    bindings.append(
      KeyBinding(keys: [KeyEvent(.function(1))], help: "this help", action: .global(.help)))
    return KeymapContext(
      "form", bindings,
      typing: TypingBinding(help: "type into the field (in a choice: the option it starts)", key))
  }

  /// The keys of the open form `f`.
  public static func form(for f: ActiveForm) -> KeymapContext<AppAction> {
    forms[formVariant(f)]
  }

  /// The hint bar of the open form `f` with no overlay: the hints of its keys and the keys
  /// always live, those a key of the form's keys shadows left out (``AppModel/reachable(_:)``).
  static func formHints(for f: ActiveForm) -> [HintItem] { formHints[formVariant(f)] }

  /// Which of ``forms`` the form `f` has: Ctrl-T in a review (1), Ctrl-P with pattern keys (2).
  static func formVariant(_ f: ActiveForm) -> Int {
    var review = false
    if case .review = f.kind { review = true }
    return (review ? 1 : 0) + (f.form.fields.contains { $0.id == "patterns" } ? 2 : 0)
  }

  /// The keys of a form, by ``formVariant(_:)``: made once, not on every key and frame.
  static let forms: [KeymapContext<AppAction>] = (0..<4).map { v in
    form(nextTemplate: v & 1 != 0, suggestions: v & 2 != 0)
  }

  /// The hint bar of a form, by ``formVariant(_:)``.
  static let formHints: [[HintItem]] = forms.map { form in
    AppModel.reachable([form, always]).flatMap(\.hintItems)
  }

  /// The keys of a scrolling overlay (help, the messages).
  public static let help = KeymapContext<AppAction>(
    "help",
    [
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "scroll down", action: .helpScroll(1),
        hint: "scroll", hintKeys: "j/k"),
      KeyBinding(keys: [.char("k"), KeyEvent(.up)], help: "scroll up", action: .helpScroll(-1)),
      KeyBinding(
        keys: [KeyEvent(.escape), .char("?"), .char("q"), KeyEvent(.function(1))], help: "close",
        action: .closeOverlay, hint: "close", keyLabel: "Esc"),
    ])

  /// The keys of the private space: scroll, close, and add a private note.
  public static let privateSpace = KeymapContext<AppAction>(
    "private space",
    help.bindings + [
      KeyBinding(
        keys: [.char("n")], help: "add a private note or reflection (your private file only)",
        action: .addPrivateNote, hint: "new note")
    ])

  /// The keys of the dialog on leaving an edited form.
  public static let leaveForm = KeymapContext<AppAction>(
    "unsaved form",
    [
      KeyBinding(
        keys: [.char("k"), KeyEvent(.enter)], help: "keep as draft",
        action: .leaveForm(.keepDraft), hint: "keep as draft", keyLabel: "k"),
      KeyBinding(
        keys: [.char("d")], help: "discard", action: .leaveForm(.discard), hint: "discard"),
      KeyBinding(
        keys: [KeyEvent(.escape), .char("b")], help: "back to the form", action: .leaveForm(.back),
        hint: "back", keyLabel: "Esc/b"),
    ])

  /// The keys of a yes/no dialog.
  public static let confirm = KeymapContext<AppAction>(
    "dialog",
    [
      KeyBinding(
        keys: [.char("y"), .char("Y"), KeyEvent(.enter)], help: "yes", action: .confirm(true),
        hint: "yes", keyLabel: "y"),
      KeyBinding(
        keys: [.char("n"), .char("N"), KeyEvent(.escape)], help: "no", action: .confirm(false),
        hint: "no", keyLabel: "n/Esc"),
    ])

  /// Every screen's key tables, as the root's, from the registry.
  public static var screens: [KeymapContext<AppAction>] {
    ScreenRegistry.all.flatMap(\.keymaps)
  }

  /// Every key table of the app: the root's, every form variant's, and every screen's.
  public static var all: [KeymapContext<AppAction>] {
    [
      global, always, welcome, help, privateSpace, leaveForm, confirm, AppModel.helpSearchStartKeys,
      AppModel.helpSearchTypingKeys, AppModel.helpSearchKeptKeys, AppModel.paletteKeymap,
    ]
      + [false, true].flatMap { t in
        [false, true].map { s in form(nextTemplate: t, suggestions: s) }
      } + screens
  }
}

extension KeymapContext {
  /// What tells two tables apart: the name, each binding's keys and help, and typing's help.
  public var outline: String {
    ([name] + bindings.map { "\($0.keys.map(\.displayName)) \($0.help)" } + [typing?.help ?? ""])
      .joined(separator: "\n")
  }
}
