import Foundation
import LearningLog
import LearningLogTesting
import TerminalUI
import Testing

@testable import LearningLogApp

/// Help is dispatch: every key the app acts on comes from a key table, and help and the hint
/// bar are drawn from the same tables.
///
/// Walked over every view, dialog, form and overlay the
/// keys reach, on the demo log and on an empty one.
@Suite struct KeymapDispatchTests {
  /// Every key tried: printable ASCII, Ctrl and Alt with letters, the special keys with each
  /// modifier, F1–F12.
  static let universe: [KeyEvent] = {
    var keys: [KeyEvent] = (32...126).compactMap { UnicodeScalar($0).map { .char(Character($0)) } }
    keys += [.char("é"), .char("検")]
    for c in "abcdefghijklmnopqrstuvwxyz" {
      keys += [.ctrl(c), .alt(c)]
    }
    let specials: [Key] = [
      .enter, .tab, .backspace, .delete, .escape, .insert, .up, .down, .left, .right, .home, .end,
      .pageUp, .pageDown,
    ]
    let modifiers: [KeyModifiers] = [[], .shift, .alt, .ctrl]
    for k in specials { for m in modifiers { keys.append(KeyEvent(k, m)) } }
    keys += (1...12).map { KeyEvent(.function($0)) }
    return keys
  }()

  /// What tells two states apart for the walk: where the keys go.
  static func signature(_ s: AppState) -> String {
    let screen: String
    switch s.tab {
    case .today: screen = "\(s.today)"
    case .incidents:
      var i = s.incidents
      i.list = ListState()
      screen = "\(i.focus) \(i.isSearching) \(i.filterForm != nil) \(i.search.text.isEmpty)"
    case .actions: screen = "\(s.board.dialog.map { "\($0)" } ?? "") \(s.board.column)"
    case .lessons: screen = "\(s.lessons.dialog.map { "\($0)".prefix(12) } ?? "")"
    case .patterns: screen = "\(s.patterns.form != nil) \(s.patterns.focus)"
    default: screen = ""
    }
    return
      "\(s.tab)|\(screen)|\(s.form?.kind.name.rawValue ?? "")|\(String(describing: s.overlay).prefix(20))"
  }

  /// The states the keys reach from each tab (a breadth-first walk pressing each bound key),
  /// every form of the registry, and every overlay.
  static func states(demo: Bool) throws -> [AppState] {
    try states(of: try AppHarness(demo: demo), forms: demo)
  }

  /// The states the keys reach in `app` (from `prepare`d start states), with every form of the
  /// registry when `forms` is set.
  static func states(
    of app: AppHarness, forms: Bool, size: Size = Size(width: 100, height: 30),
    prepare: (inout AppState) -> Void = { _ in }
  ) throws -> [AppState] {
    let model = app.model
    var start = app.initialState(size: size)
    start.pendingDrafts = []
    start.overlay = nil
    prepare(&start)
    var seen: Set<String> = []
    var out: [AppState] = []
    var frontier: [AppState] = []
    for tab in AppTab.allCases {
      var s = start
      _ = model.reduce(&s, .global(.show(tab)))
      frontier.append(s)
    }
    for depth in 0..<4 {
      var next: [AppState] = []
      for s in frontier where !seen.contains(signature(s)) {
        seen.insert(signature(s))
        out.append(s)
        guard depth < 3, !s.isQuitting else { continue }
        for keymap in AppModel.reachable(model.keymaps(s)) {
          for b in keymap.bindings {
            guard let key = b.keys.first, key != .char("q"), key != .ctrl("c") else { continue }
            var t = s
            if let action = model.action(for: .key(key), in: t) {
              _ = model.reduce(&t, action)
              if !seen.contains(signature(t)) { next.append(t) }
            }
          }
        }
      }
      frontier = next
    }
    // Every form of the registry.
    if forms {
      for name in FormKind.Name.allCases {
        var s = start
        _ = model.reduce(
          &s, .navigate(.form(try FormDraftTests.kind(name, in: s.context.domain))))
        try #require(s.form != nil, "form \(name) did not open")
        out.append(s)
      }
    }
    // Every overlay.
    var withForm = start
    _ = model.reduce(&withForm, .navigate(.newIncident))
    withForm.form?.form.setValue("title", "edited")
    let overlays: [(AppState, Overlay)] = [
      (start, .help(scroll: 0)), (start, .messages(scroll: 0)),
      (start, .privateSpace([], scroll: 0)), (withForm, .leaveForm),
      (start, .confirm(.restoreDraft(FormDraft(key: "new-incident", values: [:])))),
    ]
    for (base, overlay) in overlays {
      var s = base
      s.overlay = overlay
      out.append(s)
    }
    return out
  }

  @Test(arguments: [true, false]) func everyBindingShownInHelpDispatchesItsAction(demo: Bool)
    throws
  {
    let model = AppModel()
    var checked = 0
    for s in try Self.states(demo: demo) {
      let live = AppModel.reachable(model.keymaps(s))
      // Help is made of exactly these tables (the incident marks are a legend, not keys).
      if s.overlay == nil {
        // (The view's own keys are listed first; the order differs, not the content.)
        let shown = model.helpSections(s).filter { !IncidentsScreen.legend.contains($0) }
        #expect(
          shown.sorted { $0.title < $1.title }
            == live.map(\.helpSection).sorted { $0.title < $1.title },
          "\(Self.signature(s))")
      }
      let bound = live.flatMap(\.hintItems)
      for hint in model.hints(s) {
        #expect(bound.contains(hint), "hint \(hint) in \(Self.signature(s)) is bound to nothing")
      }
      for keymap in live {
        for b in keymap.bindings {
          #expect(!b.keys.isEmpty, "\(keymap.name): “\(b.help)” names no key")
          for key in b.keys {
            let sent = model.action(for: .key(key), in: s).map { "\($0)" }
            #expect(
              sent == "\(b.action(for: key))",
              "\(key.displayName) in \(keymap.name) (\(Self.signature(s))) is shown as “\(b.help)” but sends \(sent ?? "nothing")"
            )
            checked += 1
          }
        }
      }
    }
    #expect(checked > 500, "only \(checked) bindings checked")
  }

  @Test(arguments: [true, false]) func noKeyActsWithoutBeingInHelp(demo: Bool) throws {
    let model = AppModel()
    for s in try Self.states(demo: demo) {
      let live = AppModel.reachable(model.keymaps(s))
      let named = Set(live.flatMap(\.keys))
      let typed = live.contains { $0.typing != nil }
      for key in Self.universe where model.action(for: .key(key), in: s) != nil {
        let shown = named.contains(key) || (typed && TypingBinding<AppAction>.isTyped(key))
        #expect(shown, "\(key.displayName) acts in \(Self.signature(s)) but help does not name it")
      }
    }
  }

  @Test func everyLiveKeyTableIsListedInAppKeymaps() throws {
    let model = AppModel()
    let listed = Set(AppKeymaps.all.map(\.outline))
    var names: Set<String> = []
    for demo in [true, false] {
      for s in try Self.states(demo: demo) {
        for keymap in model.keymaps(s) {
          names.insert(keymap.name)
          #expect(
            listed.contains(keymap.outline),
            "\(keymap.name) (\(Self.signature(s))) is not in AppKeymaps.all")
        }
      }
    }
    // The walk reaches the dialogs, the forms and the overlays, not only the views.
    for name in [
      "search", "filter", "drop action", "verify action", "revalidate lesson", "new experiment",
      "form", "help", "private space", "unsaved form", "dialog", "empty log", "any view",
    ] {
      #expect(names.contains(name), "the walk never reached \(name)")
    }
  }

  @Test func noTableBindsAKeyTwice() {
    #expect(Keymap(AppKeymaps.all).conflicts().isEmpty)
  }

  /// Help shows each binding with its own keys: "next" never names the key of "previous"
  /// (the hint bar alone may speak for a pair, `j/k move`).
  @Test func helpNamesOnlyEachBindingsOwnKeys() {
    for context in AppKeymaps.all {
      for (i, b) in context.bindings.enumerated() {
        // "Alt-←/→" names Alt-← and Alt-→: a modifier applies to each key after the slash.
        var shown: Set<String> = []
        for word in b.keyNames.split(separator: " ") {
          let parts = word.split(separator: "/").map(String.init)
          let first = parts.first ?? ""
          let cut = first.count > 1 ? first.range(of: "-", options: .backwards) : nil
          let prefix = cut.map { String(first[..<$0.upperBound]) } ?? ""
          shown.insert(first)
          for p in parts.dropFirst() { shown.insert(prefix + p) }
        }
        for (j, other) in context.bindings.enumerated() where j != i {
          for key in other.keys where !b.keys.contains(key) && shown.contains(key.displayName) {
            Issue.record(
              "\(context.name): “\(b.keyNames) \(b.help)” names \(key.displayName), the key of “\(other.help)”"
            )
          }
        }
      }
    }
  }
}
