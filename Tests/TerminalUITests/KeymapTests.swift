import TerminalUI
import TerminalUITesting
import Testing

enum DemoAction: Hashable, Sendable { case quit, help, down, up, save, cancel, new }

let demoKeymap = Keymap<DemoAction>([
  KeymapContext(
    "form",
    [
      KeyBinding(keys: [.ctrl("s")], help: "save", action: .save, hint: "save"),
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "cancel (asks if edited)", action: .cancel, hint: "cancel"),
    ]),
  KeymapContext(
    "list",
    [
      KeyBinding(
        keys: [.char("j"), KeyEvent(.down)], help: "next row", action: .down, keyLabel: "j/↓"),
      KeyBinding(keys: [.char("k"), KeyEvent(.up)], help: "previous row", action: .up),
      KeyBinding(keys: [.char("n")], help: "new incident", action: .new, hint: "new"),
    ]),
  KeymapContext(
    "global",
    [
      KeyBinding(keys: [.char("q")], help: "quit", action: .quit, hint: "quit"),
      KeyBinding(
        keys: [.char("?")], help: "help: every key of this view", action: .help, hint: "help"),
    ]),
])

@Suite struct KeymapTests {
  @Test func displayNames() {
    #expect(KeyEvent.ctrl("s").displayName == "Ctrl-S")
    #expect(KeyEvent(.tab, .shift).displayName == "Shift-Tab")
    #expect(KeyEvent(.up).displayName == "↑")
    #expect(KeyEvent(.pageDown).displayName == "PgDn")
    #expect(KeyEvent(.function(1)).displayName == "F1")
    #expect(KeyEvent.char(" ").displayName == "Space")
    #expect(KeyEvent.alt("b").displayName == "Alt-B")
    #expect(KeyEvent.char("G").displayName == "G")
    #expect(KeyEvent(.escape).displayName == "Esc")
    #expect(KeyEvent(.enter).displayName == "Enter")
    #expect(KeyEvent(.character("\u{1B}")).displayName == "^[")
  }

  @Test func lookupPrefersTheMostSpecificContext() {
    #expect(demoKeymap.action(for: .char("j"), in: ["list", "global"]) == .down)
    #expect(demoKeymap.action(for: KeyEvent(.down), in: ["list", "global"]) == .down)
    #expect(demoKeymap.action(for: .char("q"), in: ["list", "global"]) == .quit)
    #expect(demoKeymap.action(for: .char("j"), in: ["form", "global"]) == nil)
    #expect(demoKeymap.action(for: .char("x"), in: ["list", "global"]) == nil)
  }

  @Test func conflictsAreFoundPerContext() {
    #expect(demoKeymap.conflicts().isEmpty)
    var broken = demoKeymap
    broken.contexts[1].bindings.append(
      KeyBinding(keys: [KeyEvent(.down)], help: "page down", action: .down))
    let conflicts = broken.conflicts()
    #expect(conflicts.count == 1)
    #expect(conflicts.first?.context == "list")
    #expect(conflicts.first?.key == KeyEvent(.down))
    #expect(conflicts.first?.description == "↓ is bound twice in list: next row, page down")
    // The same key in two different contexts is not a conflict (the specific one shadows).
    var shadow = demoKeymap
    shadow.contexts[1].bindings.append(
      KeyBinding(keys: [.char("q")], help: "close", action: .cancel))
    #expect(shadow.conflicts().isEmpty)
  }

  @Test func helpListsEveryBindingOfTheActiveContexts() {
    let sections = ["list", "global"].compactMap { demoKeymap.context($0)?.helpSection }
    let listed = sections.flatMap(\.entries).map(\.help)
    let bound = ["list", "global"].compactMap { demoKeymap.context($0) }.flatMap(\.bindings).map(
      \.help)
    #expect(listed == bound)
    let b = render(width: 50, height: 12) { buf, area in
      HelpOverlay(sections: sections).render(into: &buf, area: area)
    }
    expectLines(
      b,
      [
        "",
        "      ┌ Help (Esc closes) ────────────────┐",
        "      │ list                              │",
        "      │ j/↓  next row                     │",
        "      │ k/↑  previous row                 │",
        "      │ n    new incident                 │",
        "      │                                   │",
        "      │ global                            │",
        "      │ q    quit                         │",
        "      │ ?    help: every key of this view │",
        "      └───────────────────────────────────┘",
      ])
  }

  @Test func hintBarComesFromTheSameKeymap() {
    let items = ["list", "global"].compactMap { demoKeymap.context($0) }.flatMap(\.hintItems)
    #expect(
      items == [
        HintItem(keys: "n", label: "new"), HintItem(keys: "q", label: "quit"),
        HintItem(keys: "?", label: "help"),
      ])
    let b = render(width: 30, height: 1) { buf, area in
      HintBar(items: items).render(into: &buf, area: area)
    }
    expectLines(b, ["n new  q quit  ? help"])
    let narrow = render(width: 14, height: 1) { buf, area in
      HintBar(items: items).render(into: &buf, area: area)
    }
    expectLines(narrow, ["n new  q quit"])
  }
}
