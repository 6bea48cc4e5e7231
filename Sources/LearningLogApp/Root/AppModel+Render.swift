import LearningLog
import TerminalUI

/// Where the parts of the app sit on screen.
struct AppLayout {
  var tabs: Rect
  var body: Rect
  var status: Rect
  var hints: Rect
}

extension AppModel {
  static func layout(_ size: Size) -> AppLayout {
    let rows = Layout.split(
      Rect(size: size), .vertical, [.length(1), .fill(1), .length(1), .length(1)])
    return AppLayout(tabs: rows[0], body: rows[1], status: rows[2], hints: rows[3])
  }

  public func render(_ state: AppState, into frame: inout Frame) {
    let size = frame.size
    if TooSmallView.isTooSmall(size, required: Self.minimumSize) {
      TooSmallView(current: size, required: Self.minimumSize).render(
        into: &frame.buffer, area: frame.area)
      frame.cursor = nil
      return
    }
    let theme = state.context.theme
    let l = Self.layout(size)
    let items = Self.tabItems(width: l.tabs.width)
    for item in items where item.columns.upperBound <= l.tabs.maxX {
      frame.buffer.setString(
        l.tabs.x + item.columns.lowerBound, l.tabs.y, item.text,
        style: item.tab == state.tab ? theme.selection : theme.normal)
    }
    let name = "learnlog"
    if l.tabs.width > (items.last?.columns.upperBound ?? 0) + name.count + 2 {
      frame.buffer.setString(l.tabs.maxX - name.count, l.tabs.y, name, style: theme.title)
    }
    var cursor: Point?
    if let form = state.form {
      cursor = FormRenderer.render(form, context: state.context, into: &frame.buffer, area: l.body)
    } else {
      cursor = renderScreen(state, into: &frame.buffer, area: l.body)
    }
    // Status line: the last message, else a quiet summary of the log.
    if let status = state.status {
      frame.buffer.setString(
        l.status.x, l.status.y, status.text, style: status.isError ? theme.danger : theme.success,
        maxWidth: l.status.width)
    } else {
      let d = state.context.domain
      let summary =
        (state.readOnly == nil ? "" : "read-only · ")
        + (state.context.logs.map {
          "\($0.names.count) logs: \($0.names.joined(separator: ", ")) · "
        }
          ?? "")
        + "\(d.incidents.count) incidents · \(d.actions.count) actions · \(d.lessons.count) lessons · \(state.context.todayCount) carried over"
      frame.buffer.setString(
        l.status.x, l.status.y, summary, style: theme.dim, maxWidth: l.status.width)
    }
    HintBar(items: hints(state), keyStyle: theme.accent, labelStyle: theme.normal)
      .render(into: &frame.buffer, area: l.hints)
    switch state.overlay {
    case .help(let scroll):
      let (sections, title) = helpOverlayContent(state)
      HelpOverlay(sections: sections, scroll: scroll, theme: theme, title: title)
        .render(into: &frame.buffer, area: l.body)
      cursor = nil
    case .messages(let scroll):
      let entries = state.messageLog.reversed().map { text in
        HelpEntry(keys: text.hasPrefix("error:") ? "!" : "·", help: text)
      }
      let section = HelpSection(
        title: entries.isEmpty ? "No messages yet" : "Newest first", entries: entries)
      HelpOverlay(
        sections: [section], scroll: scroll, theme: theme, title: "Messages (Esc closes)"
      )
      .render(into: &frame.buffer, area: l.body)
      cursor = nil
    case .privateSpace(let notes, let scroll):
      HelpOverlay(
        sections: Self.privateSections(notes, context: state.context), scroll: scroll, theme: theme,
        title: "Private space (Esc closes)"
      )
      .render(into: &frame.buffer, area: l.body)
      cursor = nil
    case .confirm(let request):
      let (title, message) = Self.confirmText(request, state: state)
      ConfirmDialog(title: title, message: message, theme: theme)
        .render(into: &frame.buffer, area: l.body)
      cursor = nil
    case .leaveForm:
      Self.renderLeaveDialog(state, theme: theme, into: &frame.buffer, area: l.body)
      cursor = nil
    case .palette(let palette):
      cursor = Self.renderPalette(palette, state: state, into: &frame.buffer, area: l.body)
    case nil: break
    }
    frame.cursor = cursor
  }

  static func confirmText(_ request: ConfirmRequest, state: AppState) -> (String, String) {
    switch request {
    case .restoreDraft(let draft):
      let kind = FormKind(draft: draft)
      let what = kind?.name.title ?? "form"
      var about = ""
      if let id = kind?.subject {
        let domain = state.context.domain
        let title =
          domain.incidents[id]?.title ?? domain.lessons[id].map { _ in "lesson \(id)" }
          ?? "something no longer in the log"
        about = " (“\(title)”)"
      }
      return (
        "Unsaved form found", "A draft of the \(what) form\(about) was not saved.\nRestore it?"
      )
    }
  }

  /// Draws the dialog Esc opens on an edited form: keep as draft, discard, or back.
  static func renderLeaveDialog(
    _ state: AppState, theme: Theme, into buffer: inout ScreenBuffer, area: Rect
  ) {
    let what = state.form?.kind.name.title ?? "form"
    let message = "The \(what) form has unsaved text."
    let width = Swift.min(area.width, Swift.max(44, message.displayWidth + 4))
    let box = area.centered(width: width, height: 5)
    let inner = Panel(title: "Leave the form?", borderStyle: theme.border, titleStyle: theme.title)
      .render(into: &buffer, area: box)
    guard inner.height > 0 else { return }
    buffer.setString(inner.x + 1, inner.y, message, maxWidth: inner.width - 1)
    let buttons = Line([
      Span("k", style: theme.accent), Span(" keep as draft   "),
      Span("d", style: theme.accent), Span(" discard   "),
      Span("Esc", style: theme.accent), Span(" back"),
    ])
    buffer.setLine(inner.x + 1, inner.maxY - 1, buttons, maxWidth: inner.width - 1)
  }

  func renderScreen(_ state: AppState, into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    Self.screen(state)?.render(state, into: &buffer, area: area)
  }

  /// The help sections of what is on screen now: the form's keys, or the view's followed by
  /// the global ones; made from the tables keys are dispatched from (``keymaps(_:)``).
  public func helpSections(_ state: AppState) -> [HelpSection] {
    var state = state
    state.overlay = nil
    let live = Self.reachable(keymaps(state))
    if state.form != nil { return live.map(\.helpSection) }
    // The view's own keys first, then the empty log's and the global ones.
    let screenName = screenKeymap(state).name
    var sections = live.filter { $0.name == screenName }.map(\.helpSection)
    sections += Self.screen(state)?.legend(state) ?? []
    sections += live.filter { $0.name != screenName }.map(\.helpSection)
    return sections
  }

  /// The private space as overlay sections: notes, then growth items, each with its incident.
  static func privateSections(_ notes: [PrivateNote], context: ViewContext) -> [HelpSection] {
    func entry(_ n: PrivateNote) -> HelpEntry {
      let title = context.domain.incidents[n.incident]?.title
      let day = Day(utcMilliseconds: n.at).description
      let text = n.text.split(whereSeparator: \.isNewline).joined(separator: " / ")
      return HelpEntry(keys: day, help: text + (title.map { "  (\($0))" } ?? ""))
    }
    let own = notes.filter { $0.kind == "note" }
    let growth = notes.filter { $0.kind != "note" }
    var sections = [
      HelpSection(
        title: "Private space — only you see this; it is never in the shared log",
        entries: AppKeymaps.privateSpace.helpSection.entries + [
          HelpEntry(keys: "N", help: "on an incident (2): add a private note about it")
        ])
    ]
    sections.append(
      HelpSection(
        title: "Coaching notes (\(own.count))",
        entries: own.isEmpty ? [HelpEntry(keys: "–", help: "none yet")] : own.map(entry)))
    sections.append(
      HelpSection(
        title: "Growth items (\(growth.count))",
        entries: growth.isEmpty ? [HelpEntry(keys: "–", help: "none yet")] : growth.map(entry)))
    return sections
  }

  /// The hint bar items of what is on screen now, from the tables keys are dispatched from.
  public func hints(_ state: AppState) -> [HintItem] {
    // A form's hints are made once for each kind of form.
    if state.overlay == nil, let f = state.form { return AppKeymaps.formHints(for: f) }
    let live = Self.reachable(keymaps(state))
    if state.overlay != nil || state.form != nil || isCapturing(state) {
      return live.flatMap(\.hintItems)
    }
    // The global help first, then the empty log's and the view's keys, quit last.
    let global = AppKeymaps.global.hintItems
    let others = live.filter { $0.name != AppKeymaps.global.name }.flatMap(\.hintItems)
    return global.filter { $0.label == "help" } + others + global.filter { $0.label == "quit" }
  }
}
