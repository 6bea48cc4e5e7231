/// One key binding: the keys that trigger an action, and the help text that describes it.
public struct KeyBinding<Action> {
  /// The keys, any of which triggers the action.
  public var keys: [KeyEvent]
  /// What the action does, as shown in the help overlay ("new incident").
  public var help: String
  /// The action sent when one of the keys is pressed.
  public var action: Action
  /// A short label for the hint bar, or nil to leave the binding out of the hint bar.
  public var hint: String?
  /// How the keys are shown, when the joined key names are not right ("j/k", "1–6").
  public var keyLabel: String?

  /// A binding of `keys` to `action`, described by `help`.
  public init(
    keys: [KeyEvent], help: String, action: Action, hint: String? = nil, keyLabel: String? = nil
  ) {
    self.keys = keys
    self.help = help
    self.action = action
    self.hint = hint
    self.keyLabel = keyLabel
  }

  /// The keys as shown in help: `keyLabel` or the key names joined with "/".
  public var keyNames: String {
    keyLabel ?? keys.map(\.displayName).joined(separator: "/")
  }
}

extension KeyBinding: Sendable where Action: Sendable {}

/// A named group of bindings that are active together ("global", "list", "form").
public struct KeymapContext<Action> {
  /// The context's name, also the heading in the help overlay.
  public var name: String
  /// The bindings, in the order help lists them.
  public var bindings: [KeyBinding<Action>]
  /// A context called `name` with `bindings`.
  public init(_ name: String, _ bindings: [KeyBinding<Action>]) {
    self.name = name
    self.bindings = bindings
  }

  /// The first binding of `key` in this context, if any.
  public func binding(for key: KeyEvent) -> KeyBinding<Action>? {
    bindings.first { $0.keys.contains(key) }
  }

  /// The action bound to `key` in this context, if any.
  public func action(for key: KeyEvent) -> Action? {
    binding(for: key)?.action
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
    binding(for: key, in: active)?.action
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

  /// The hint bar items of `active` contexts: bindings with a hint, first context first.
  public func hints(in active: [String]) -> [HintItem] {
    var items: [HintItem] = []
    var usedKeys = Set<KeyEvent>()
    for name in active {
      guard let ctx = context(name) else { continue }
      for b in ctx.bindings {
        guard let hint = b.hint else { continue }
        // A key shadowed by a more specific context is not advertised twice.
        if b.keys.allSatisfy({ usedKeys.contains($0) }) { continue }
        usedKeys.formUnion(b.keys)
        items.append(HintItem(keys: b.keyNames, label: hint))
      }
    }
    return items
  }

  /// The help overlay's sections for `active` contexts: every binding, as (keys, help).
  public func helpSections(in active: [String]) -> [HelpSection] {
    active.compactMap { name in
      guard let ctx = context(name) else { return nil }
      return HelpSection(
        title: ctx.name, entries: ctx.bindings.map { HelpEntry(keys: $0.keyNames, help: $0.help) })
    }
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
