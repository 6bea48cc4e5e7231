import TerminalUI

/// The key tables of the root: global keys, the welcome key, forms, help and dialogs.
public enum AppKeymaps {
  /// Keys that work in every view.
  public static let global = KeymapContext<GlobalCommand>(
    "global",
    [
      KeyBinding(
        keys: [.char("?"), KeyEvent(.function(1))], help: "help: every key of this view",
        action: .help, hint: "help", keyLabel: "?/F1"),
      KeyBinding(
        keys: [.char("q")], help: "quit (Esc first closes an overlay or form)", action: .quit,
        hint: "quit"),
      KeyBinding(
        keys: [.ctrl("c")], help: "quit at once (an open form's text stays as a draft)",
        action: .quit),
    ]
      // Each registered screen's number key.
      + ScreenRegistry.all.map { screen in
        KeyBinding(
          keys: [.char(Character(String(screen.tab.rawValue)))], help: screen.title.lowercased(),
          action: GlobalCommand.show(screen.tab))
      }
      + [
        KeyBinding(
          keys: [.char("P")], help: "your private space: notes and growth items (only you see it)",
          action: .privateSpace),
        KeyBinding(keys: [.ctrl("l")], help: "redraw the screen", action: .redraw),
        KeyBinding(
          keys: [.char("M")], help: "messages: what the status line said", action: .messages),
        KeyBinding(
          keys: [.char(":")], help: "command palette: find and run a command of this view",
          action: .palette),
      ])

  /// The key offered on an empty log.
  public static let welcome = KeymapContext<GlobalCommand>(
    "empty log",
    [
      KeyBinding(
        keys: [.char("d")], help: "load the demo data", action: .loadDemo, hint: "demo data")
    ])

  /// The keys of an open form.
  public static let form = KeymapContext<FormInput>(
    "form",
    [
      KeyBinding(
        keys: [KeyEvent(.tab), KeyEvent(.down)], help: "next field", action: .key(KeyEvent(.tab)),
        hint: "field", keyLabel: "Tab/↓"),
      KeyBinding(
        keys: [KeyEvent(.tab, .shift), KeyEvent(.up)], help: "previous field",
        action: .key(KeyEvent(.tab, .shift)), keyLabel: "Shift-Tab/↑"),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "next field (new line in a multi-line field)",
        action: .key(KeyEvent(.enter))),
      KeyBinding(keys: [], help: "cycle a choice", action: .key(.char(" ")), keyLabel: "Space/←/→"),
      KeyBinding(
        keys: [], help: "move in the text", action: .key(KeyEvent(.left)),
        keyLabel: "←/→ Home/End Ctrl-A Alt-B/F"),
      KeyBinding(
        keys: [], help: "delete a word / to the start / to the end", action: .key(.ctrl("w")),
        keyLabel: "Ctrl-W Ctrl-U Ctrl-K"),
      KeyBinding(keys: [.ctrl("s")], help: "save", action: .save, hint: "save"),
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "leave (if edited: keep as draft, discard or back)",
        action: .cancel, hint: "leave"),
      KeyBinding(
        keys: [.ctrl("e")], help: "Ctrl-E end of line · again: $EDITOR", action: .endOrEditor,
        hint: "$EDITOR"),
      KeyBinding(
        keys: [.ctrl("t")], help: "review: the next template (answers to shared questions stay)",
        action: .nextTemplate),
      KeyBinding(
        keys: [.ctrl("p")], help: "incident: add the first likely pattern key shown",
        action: .acceptSuggestion),
      KeyBinding(
        keys: [KeyEvent(.function(1))], help: "this help", action: .key(KeyEvent(.function(1)))),
    ])

  /// The keys of the help overlay.
  public static let help = KeymapContext<Int>(
    "help",
    [
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "scroll down", action: 1, hint: "scroll",
        keyLabel: "j/k"),
      KeyBinding(keys: [.char("k"), KeyEvent(.up)], help: "scroll up", action: -1),
      KeyBinding(
        keys: [KeyEvent(.escape), .char("?"), .char("q"), KeyEvent(.function(1))], help: "close",
        action: 0, hint: "close", keyLabel: "Esc"),
    ])

  /// The keys of the dialog on leaving an edited form.
  public static let leaveForm = KeymapContext<LeaveFormChoice>(
    "unsaved form",
    [
      KeyBinding(
        keys: [.char("k"), KeyEvent(.enter)], help: "keep as draft", action: .keepDraft,
        hint: "keep as draft", keyLabel: "k"),
      KeyBinding(keys: [.char("d")], help: "discard", action: .discard, hint: "discard"),
      KeyBinding(
        keys: [KeyEvent(.escape), .char("b")], help: "back to the form", action: .back,
        hint: "back", keyLabel: "Esc/b"),
    ])

  /// The keys of a yes/no dialog.
  public static let confirm = KeymapContext<Bool>(
    "dialog",
    [
      KeyBinding(
        keys: [.char("y"), KeyEvent(.enter)], help: "yes", action: true, hint: "yes", keyLabel: "y"),
      KeyBinding(
        keys: [.char("n"), KeyEvent(.escape)], help: "no", action: false, hint: "no",
        keyLabel: "n/Esc"),
    ])
}

extension KeymapContext {
  /// The context as a help section.
  var helpSection: HelpSection {
    HelpSection(title: name, entries: bindings.map { HelpEntry(keys: $0.keyNames, help: $0.help) })
  }

  /// The context's hint bar items.
  var hintItems: [HintItem] {
    bindings.compactMap { b in b.hint.map { HintItem(keys: b.keyNames, label: $0) } }
  }
}
