import LearningLog
import TerminalUI

/// The `:` overlay: type to narrow the commands of the current screen and the global ones,
/// Enter runs the selected one.
public struct CommandPalette: Hashable, Sendable {
  /// The text typed, matched against each command's keys and help.
  public var query = TextEditState()
  /// The selected row among the matching commands.
  public var selected = 0
  /// An empty palette listing every command.
  public init() {}
}

/// What a key does in the command palette.
public enum PaletteInput: Hashable, Sendable {
  /// A key typed into the filter.
  case key(KeyEvent)
  /// Text pasted into the filter.
  case paste(String)
  /// Move the selection by rows.
  case move(Int)
  /// Run the selected command.
  case run
  /// Close the palette.
  case close
}

/// One command the palette offers: a key binding of the current screen or a global one.
public struct PaletteEntry: Sendable {
  /// Where it comes from (the screen's keymap name, or "global").
  public var section: String
  /// Its keys as help shows them.
  public var keys: String
  /// What it does.
  public var help: String
  /// The action it dispatches.
  public var action: AppAction
}

extension AppModel {
  /// The keys of the command palette: moving, running, closing, and editing the filter.
  public static let paletteKeymap = KeymapContext<AppAction>(
    "command palette",
    [
      KeyBinding(
        keys: [KeyEvent(.down), .ctrl("n")], help: "next command", action: .palette(.move(1)),
        hint: "move", hintKeys: "↓/↑"),
      KeyBinding(
        keys: [KeyEvent(.up), .ctrl("p")], help: "previous command", action: .palette(.move(-1))),
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "run the selected command", action: .palette(.run),
        hint: "run"),
      KeyBinding(keys: [KeyEvent(.escape)], help: "close", action: .palette(.close), hint: "close"),
    ] + KeyBinding.lineEditing { .palette(.key($0)) },
    typing: TypingBinding(help: "type to narrow by name or key") { .palette(.key($0)) })

  /// Every command the palette offers now: the current screen's keys (of what is open on it),
  /// then the welcome key on an empty log, then the global keys.
  public static func paletteEntries(_ state: AppState) -> [PaletteEntry] {
    var entries: [PaletteEntry] = []
    if let screen = screen(state) {
      let name = screen.title.lowercased()
      entries += screen.bindings(state).filter { !$0.keys.isEmpty }.map {
        PaletteEntry(section: name, keys: $0.keyNames, help: $0.help, action: $0.action)
      }
    }
    var global = AppKeymaps.global.bindings
    if TodayScreen.isEmptyLog(state.context.domain) {
      global = AppKeymaps.welcome.bindings + global
    }
    // The palette itself, and the second quit key, are not worth a row.
    let skipped: Set<KeyEvent> = [.char(":"), .ctrl("c")]
    entries += global.filter { !$0.keys.allSatisfy(skipped.contains) }.map {
      PaletteEntry(section: "global", keys: $0.keyNames, help: $0.help, action: $0.action)
    }
    return entries
  }

  /// The entries whose keys or help contain every word of `query` (case and accents ignored).
  public static func matching(_ entries: [PaletteEntry], _ query: String) -> [PaletteEntry] {
    let words = query.split(whereSeparator: \.isWhitespace).map(String.init)
    guard !words.isEmpty else { return entries }
    return entries.filter { e in
      let haystack = e.keys + " " + e.help + " " + e.section
      return words.allSatisfy {
        haystack.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) != nil
      }
    }
  }

  /// The commands the open palette lists now.
  static func paletteMatches(_ palette: CommandPalette, _ state: AppState) -> [PaletteEntry] {
    matching(paletteEntries(state), palette.query.text)
  }

  func reducePalette(_ state: inout AppState, _ input: PaletteInput) -> [RootEffect] {
    guard case .palette(var p) = state.overlay else { return [] }
    switch input {
    case .key(let key):
      if p.query.handle(key) { p.selected = 0 }
    case .paste(let text):
      p.query.insert(text.split(whereSeparator: \.isNewline).joined(separator: " "))
      p.selected = 0
    case .move(let d):
      let count = Self.paletteMatches(p, state).count
      p.selected = Swift.max(0, Swift.min(p.selected + d, count - 1))
    case .close:
      state.overlay = nil
      return []
    case .run:
      let matches = Self.paletteMatches(p, state)
      guard !matches.isEmpty else {
        state.status = StatusMessage("error: no command matches “\(p.query.text)”")
        return []
      }
      state.overlay = nil
      return reduce(&state, matches[Swift.min(p.selected, matches.count - 1)].action)
    }
    state.overlay = .palette(p)
    return []
  }

  /// Draws the palette: the filter on top, the matching commands below, the selected one
  /// highlighted; returns the cursor in the filter.
  static func renderPalette(
    _ palette: CommandPalette, state: AppState, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    let theme = state.context.theme
    let matches = paletteMatches(palette, state)
    let width = Swift.min(area.width, 76)
    let height = Swift.min(area.height, Swift.max(6, matches.count + 4))
    let box = area.centered(width: width, height: height)
    buffer.fill(box)
    let inner = Panel(
      title: "Run a command (Enter runs, Esc closes)", borderStyle: theme.accent,
      titleStyle: theme.title
    ).render(into: &buffer, area: box)
    guard inner.height >= 2, inner.width >= 4 else { return nil }
    let x = buffer.setString(inner.x + 1, inner.y, ":", style: theme.accent)
    let field = Rect(x: x, y: inner.y, width: Swift.max(0, inner.maxX - x - 1), height: 1)
    let cursor = TextField(
      palette.query, style: Style(attributes: .underline), placeholder: "type to narrow"
    )
    .render(into: &buffer, area: field)
    let list = Rect(
      x: inner.x + 1, y: inner.y + 2, width: Swift.max(0, inner.width - 2),
      height: Swift.max(0, inner.height - 2))
    let keyWidth = Swift.min(14, matches.map { $0.keys.displayWidth }.max() ?? 0)
    let sectionWidth = Swift.min(12, matches.map { $0.section.displayWidth }.max() ?? 0)
    ListView(
      count: matches.count, highlight: theme.selection,
      emptyText: "no command matches"
    ) { i in
      let e = matches[i]
      return Line([
        Span(e.keys.truncated(toWidth: keyWidth).padded(toWidth: keyWidth), style: theme.accent),
        Span(
          "  " + e.section.truncated(toWidth: sectionWidth).padded(toWidth: sectionWidth),
          style: theme.dim),
        Span("  " + e.help),
      ])
    }
    .render(
      into: &buffer, area: list,
      state: ListState(selected: Swift.min(palette.selected, Swift.max(0, matches.count - 1))))
    return cursor
  }
}

/// The search of the help overlay (`/` in help): only the keys whose name or help match stay.
public struct HelpSearch: Hashable, Sendable {
  /// The text searched for.
  public var text = TextEditState()
  /// Whether keys are typed into the search (else it is kept and the help keys work).
  public var isTyping = true
  /// A search being typed.
  public init() {}
}

/// What a key does to the help overlay's search.
public enum HelpSearchInput: Hashable, Sendable {
  /// `/`: start typing a search.
  case start
  /// A key typed into the search.
  case key(KeyEvent)
  /// Text pasted into the search.
  case paste(String)
  /// Enter: keep the search and scroll the matches.
  case keep
  /// Esc while typing, or on a kept search: clear the search.
  case clear
}

extension AppModel {
  /// The key that starts a search in the help overlay.
  public static let helpSearchStartKeys = KeymapContext<AppAction>(
    "help",
    [
      KeyBinding(
        keys: [.char("/")], help: "search the keys by name or what they do",
        action: .helpSearch(.start), hint: "search")
    ])

  /// The keys while a help search is kept (Enter): Esc clears it, and only Esc again closes.
  public static let helpSearchKeptKeys = KeymapContext<AppAction>(
    "help search kept",
    [
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "clear the search (Esc again closes)",
        action: .helpSearch(.clear), hint: "clear")
    ])

  /// The keys while a help search is typed.
  public static let helpSearchTypingKeys = KeymapContext<AppAction>(
    "help search",
    [
      KeyBinding(
        keys: [KeyEvent(.enter)], help: "keep the search", action: .helpSearch(.keep),
        hint: "keep"),
      KeyBinding(
        keys: [KeyEvent(.escape)], help: "clear the search", action: .helpSearch(.clear),
        hint: "clear"),
    ] + KeyBinding.lineEditing { .helpSearch(.key($0)) },
    typing: TypingBinding(help: "type to narrow the keys") { .helpSearch(.key($0)) })

  func reduceHelpSearch(_ state: inout AppState, _ input: HelpSearchInput) -> [RootEffect] {
    guard case .help = state.overlay else { return [] }
    var search = state.helpSearch ?? HelpSearch()
    switch input {
    case .start:
      search.isTyping = true
    case .key(let key):
      guard search.text.handle(key) else { return [] }
    case .paste(let text):
      search.text.insert(text.split(whereSeparator: \.isNewline).joined(separator: " "))
    case .keep:
      search.isTyping = false
      state.helpSearch = search.text.isEmpty ? nil : search
      return []
    case .clear:
      state.helpSearch = nil
      state.overlay = .help(scroll: 0)
      return []
    }
    state.helpSearch = search
    state.overlay = .help(scroll: 0)
    return []
  }

  /// `sections` narrowed to the entries whose keys or help contain every word of `query`
  /// (case and accents ignored); sections left empty are dropped.
  public static func searchHelp(_ sections: [HelpSection], _ query: String) -> [HelpSection] {
    let words = query.split(whereSeparator: \.isWhitespace).map(String.init)
    guard !words.isEmpty else { return sections }
    return sections.compactMap { section in
      let entries = section.entries.filter { e in
        let haystack = e.keys + " " + e.help
        return words.allSatisfy {
          haystack.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) != nil
        }
      }
      return entries.isEmpty ? nil : HelpSection(title: section.title, entries: entries)
    }
  }

  /// The help overlay's sections and title, narrowed by its search.
  func helpOverlayContent(_ state: AppState) -> (sections: [HelpSection], title: String) {
    guard let search = state.helpSearch else { return (helpSections(state), "Help (Esc closes)") }
    let query = search.text.text
    var sections = Self.searchHelp(helpSections(state), query)
    if sections.isEmpty {
      sections = [HelpSection(title: "No key matches “\(query)”", entries: [])]
    }
    return (sections, "Help /\(query)" + (search.isTyping ? "▏" : ""))
  }
}
