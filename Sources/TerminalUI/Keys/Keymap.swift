/// One key binding: the keys that trigger an action, and the help text that describes it.
public struct KeyBinding<Action> {
  /// The keys, any of which triggers the action.
  public var keys: [KeyEvent]
  /// What the action does, as shown in the help overlay ("new incident").
  public var help: String
  /// The action sent when one of the keys is pressed (for a forwarding binding: the first key's).
  public var action: Action
  /// A short label for the hint bar, or nil to leave the binding out of the hint bar.
  public var hint: String?
  /// How the keys are shown, when the joined key names are not right ("1–6", "g/Home").
  public var keyLabel: String?
  /// How the hint bar shows the keys when it speaks for this binding and its pair ("j/k" for
  /// next and previous); help still shows the binding's own keys.
  public var hintKeys: String?
  /// Makes the action from the key pressed, for bindings that hand the key on (editing keys).
  var forward: (@Sendable (KeyEvent) -> Action)?

  /// A binding of `keys` to `action`, described by `help`.
  public init(
    keys: [KeyEvent], help: String, action: Action, hint: String? = nil, keyLabel: String? = nil,
    hintKeys: String? = nil
  ) {
    self.keys = keys
    self.help = help
    self.action = action
    self.hint = hint
    self.keyLabel = keyLabel
    self.hintKeys = hintKeys
  }

  /// A binding that hands the key pressed on: each of `keys` sends `forwarding(key)`.
  ///
  /// For keys whose meaning belongs to a widget (cursor movement, deletion): the table still
  /// names each key, so help lists exactly the keys that do something.
  public init(
    keys: [KeyEvent], help: String, hint: String? = nil, keyLabel: String? = nil,
    hintKeys: String? = nil, forwarding: @escaping @Sendable (KeyEvent) -> Action
  ) {
    self.keys = keys
    self.help = help
    self.action = forwarding(keys.first ?? KeyEvent(.escape))
    self.hint = hint
    self.keyLabel = keyLabel
    self.hintKeys = hintKeys
    self.forward = forwarding
  }

  /// The action pressing `key` (one of ``keys``) sends.
  public func action(for key: KeyEvent) -> Action {
    forward?(key) ?? action
  }

  /// The keys as shown in help: `keyLabel` or the key names joined with "/".
  public var keyNames: String {
    keyLabel ?? keys.map(\.displayName).joined(separator: "/")
  }
}

extension KeyBinding: Sendable where Action: Sendable {}

/// What a context does with a typed character no binding claims (a search box, a text field).
public struct TypingBinding<Action> {
  /// How help describes typing ("type to narrow the list").
  public var help: String
  /// The action a typed key sends.
  let make: @Sendable (KeyEvent) -> Action

  /// Typed characters send `make(key)`; `help` describes it.
  public init(help: String, _ make: @escaping @Sendable (KeyEvent) -> Action) {
    self.help = help
    self.make = make
  }

  /// Whether `key` is typing: a printable character, alone or with Shift.
  public static func isTyped(_ key: KeyEvent) -> Bool {
    guard key.modifiers.isEmpty || key.modifiers == .shift,
      case .character(let c) = key.key
    else { return false }
    return !c.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }

  /// The action for `key` when it is typing, else nil.
  public func action(for key: KeyEvent) -> Action? {
    Self.isTyped(key) ? make(key) : nil
  }
}

extension TypingBinding: Sendable where Action: Sendable {}

/// A named group of bindings that are active together ("global", "list", "form").
public struct KeymapContext<Action> {
  /// The context's name, also the heading in the help overlay.
  public var name: String
  /// The bindings, in the order help lists them.
  public var bindings: [KeyBinding<Action>]
  /// What a typed character no binding claims does, if anything (shown last in help as "typing").
  public var typing: TypingBinding<Action>?
  /// A context called `name` with `bindings` (and typed characters sent by `typing`).
  public init(
    _ name: String, _ bindings: [KeyBinding<Action>], typing: TypingBinding<Action>? = nil
  ) {
    self.name = name
    self.bindings = bindings
    self.typing = typing
  }

  /// The first binding of `key` in this context, if any.
  public func binding(for key: KeyEvent) -> KeyBinding<Action>? {
    bindings.first { $0.keys.contains(key) }
  }

  /// The action `key` sends in this context: its binding's, else typing's, else nil.
  public func action(for key: KeyEvent) -> Action? {
    if let b = binding(for: key) { return b.action(for: key) }
    return typing?.action(for: key)
  }

  /// Every key this context names, in help order.
  public var keys: [KeyEvent] { bindings.flatMap(\.keys) }

  /// The same context sending `transform` of each action (a screen's keys as the root's).
  public func map<B>(_ transform: @escaping @Sendable (Action) -> B) -> KeymapContext<B>
  where Action: Sendable {
    KeymapContext<B>(
      name,
      bindings.map { b in
        if let forward = b.forward {
          return KeyBinding<B>(
            keys: b.keys, help: b.help, hint: b.hint, keyLabel: b.keyLabel, hintKeys: b.hintKeys,
            forwarding: { transform(forward($0)) })
        }
        return KeyBinding<B>(
          keys: b.keys, help: b.help, action: transform(b.action), hint: b.hint,
          keyLabel: b.keyLabel, hintKeys: b.hintKeys)
      },
      typing: typing.map { t in TypingBinding<B>(help: t.help) { transform(t.make($0)) } })
  }

  /// The context as a help section: every binding, then typing.
  public var helpSection: HelpSection {
    var entries = bindings.map { HelpEntry(keys: $0.keyNames, help: $0.help) }
    if let typing { entries.append(HelpEntry(keys: "typing", help: typing.help)) }
    return HelpSection(title: name, entries: entries)
  }

  /// The context's hint bar items: bindings with a hint.
  public var hintItems: [HintItem] {
    bindings.compactMap { b in b.hint.map { HintItem(keys: b.hintKeys ?? b.keyNames, label: $0) } }
  }
}

extension KeymapContext: Sendable where Action: Sendable {}

/// Two bindings of one context that claim the same key.
public struct KeymapConflict: Hashable, Sendable, CustomStringConvertible {
  /// The context both bindings are in.
  public var context: String
  /// The key they share.
  public var key: KeyEvent
  /// The help texts of the bindings that claim it.
  public var helps: [String]
  /// One line naming the key, the context and the bindings.
  public var description: String {
    "\(key.displayName) is bound twice in \(context): \(helps.joined(separator: ", "))"
  }
}

/// Key bindings as data: the same table decides what a key does and draws help and hints.
///
/// ```swift
/// let keymap = Keymap<AppAction>([
///   KeymapContext("global", [
///     KeyBinding(keys: [.char("q")], help: "quit", action: .quit, hint: "quit"),
///     KeyBinding(keys: [.char("?")], help: "help", action: .help, hint: "help"),
///   ]),
/// ])
/// keymap.action(for: event, in: ["list", "global"])
/// ```
public struct Keymap<Action> {
  /// The contexts, in the order help lists them.
  public var contexts: [KeymapContext<Action>]

  /// A keymap of `contexts`.
  public init(_ contexts: [KeymapContext<Action>]) { self.contexts = contexts }

  /// The context called `name`, if any.
  public func context(_ name: String) -> KeymapContext<Action>? {
    contexts.first { $0.name == name }
  }

  /// The binding for `key` in the first of `active` contexts (most specific first) that has one.
  public func binding(for key: KeyEvent, in active: [String]) -> KeyBinding<Action>? {
    for name in active {
      guard let ctx = context(name) else { continue }
      if let b = ctx.binding(for: key) { return b }
    }
    return nil
  }

  /// The action for `key` in the first of `active` contexts that binds it.
  public func action(for key: KeyEvent, in active: [String]) -> Action? {
    for name in active {
      if let a = context(name)?.action(for: key) { return a }
    }
    return nil
  }

  /// Every key bound more than once within one context (an empty list means no conflicts).
  public func conflicts() -> [KeymapConflict] {
    var result: [KeymapConflict] = []
    for ctx in contexts {
      var seen: [KeyEvent: [String]] = [:]
      var order: [KeyEvent] = []
      for b in ctx.bindings {
        for k in Set(b.keys) {
          if seen[k] == nil { order.append(k) }
          seen[k, default: []].append(b.help)
        }
      }
      for k in order where (seen[k]?.count ?? 0) > 1 {
        result.append(KeymapConflict(context: ctx.name, key: k, helps: seen[k] ?? []))
      }
    }
    return result
  }
}

extension Keymap: Sendable where Action: Sendable {}

/// One item of the hint bar: "q quit".
public struct HintItem: Hashable, Sendable {
  /// The key names ("q", "Ctrl-S").
  public var keys: String
  /// The short label ("quit").
  public var label: String
  /// An item showing `keys` then `label`.
  public init(keys: String, label: String) {
    self.keys = keys
    self.label = label
  }
}

/// One line of the help overlay.
public struct HelpEntry: Hashable, Sendable {
  /// The key names.
  public var keys: String
  /// What the keys do.
  public var help: String
  /// An entry for `keys` doing `help`.
  public init(keys: String, help: String) {
    self.keys = keys
    self.help = help
  }
}

/// A titled group of help entries (one per keymap context).
public struct HelpSection: Hashable, Sendable {
  /// The heading.
  public var title: String
  /// The entries, in keymap order.
  public var entries: [HelpEntry]
  /// A section called `title` with `entries`.
  public init(title: String, entries: [HelpEntry]) {
    self.title = title
    self.entries = entries
  }
}

extension KeyBinding {
  /// The editing keys of a one-line text (`TextEditState`), each handed on by `forwarding`:
  /// moving, and deleting a character, a word, or to either end.
  ///
  /// `endKey` says whether Ctrl-E is among them (a form binds it to "end, or `$EDITOR`").
  public static func lineEditing(
    endKey: Bool = true, _ forwarding: @escaping @Sendable (KeyEvent) -> Action
  ) -> [KeyBinding] {
    [
      KeyBinding(
        keys: [
          KeyEvent(.left), KeyEvent(.right), KeyEvent(.left, .ctrl), KeyEvent(.right, .ctrl),
          KeyEvent(.home), KeyEvent(.end), .ctrl("a"), .ctrl("b"), .ctrl("f"),
        ] + (endKey ? [.ctrl("e")] : []),
        help: "move in the text",
        keyLabel: endKey ? "←/→ Home/End Ctrl-A/E/B/F" : "←/→ Home/End Ctrl-A/B/F",
        forwarding: forwarding),
      KeyBinding(
        keys: [KeyEvent(.left, .alt), KeyEvent(.right, .alt), .alt("b"), .alt("f")],
        help: "move by a word", keyLabel: "Alt-←/→ Alt-B/F", forwarding: forwarding),
      KeyBinding(
        keys: [
          KeyEvent(.backspace), KeyEvent(.backspace, .shift), KeyEvent(.delete), .ctrl("h"),
          .ctrl("d"),
        ],
        help: "delete a character (before / under the cursor)", keyLabel: "Backspace Del Ctrl-H/D",
        forwarding: forwarding),
      KeyBinding(
        keys: [.ctrl("w"), KeyEvent(.backspace, .alt), .alt("d")],
        help: "delete a word (before / after the cursor)", keyLabel: "Ctrl-W Alt-Backspace Alt-D",
        forwarding: forwarding),
      KeyBinding(
        keys: [.ctrl("u"), .ctrl("k")], help: "delete to the start / to the end",
        keyLabel: "Ctrl-U Ctrl-K", forwarding: forwarding),
    ]
  }
}
