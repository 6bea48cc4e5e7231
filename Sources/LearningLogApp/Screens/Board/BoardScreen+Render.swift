import LearningLog
import TerminalUI

extension BoardScreen {
  /// The header row and one bordered rect per visible column.
  static func layout(_ area: Rect, state: State) -> (header: Rect, columns: [(Column, Rect)]) {
    let rows = Layout.split(area, .vertical, [.length(1), .fill(1)])
    let cols = visibleColumns(state)
    let rects = Layout.split(rows[1], .horizontal, cols.map { _ in .fill(1) }, spacing: 0)
    return (rows[0], Array(zip(cols, rects)))
  }

  /// The rows a card takes: its title on two rows, then owner, due day and incident.
  static let cardRows = 3

  /// The first card shown in a column whose inner area is `height` rows high.
  static func topCard(_ list: ListState, count: Int, height: Int) -> Int {
    list.visibleOffset(count: count, height: max(1, height / cardRows))
  }

  public static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area)
    let theme = context.theme
    let (header, columns) = layout(area, state: state)
    var cursor: Point? = nil
    cursor = renderHeader(state, theme: theme, into: &buffer, area: header)
    for (column, rect) in columns {
      let list = cards(column, state: state, context: context)
      let focused = column == state.column
      let inner = Panel(
        title: "\(column.status.rawValue) (\(list.count))",
        borderStyle: focused ? theme.accent : theme.border,
        titleStyle: focused ? theme.title : theme.normal
      ).render(into: &buffer, area: rect)
      renderCards(
        list, listState: state.lists[column.rawValue], focused: focused, context: context,
        into: &buffer, area: inner)
    }
    switch state.dialog {
    case .drop(let id, let reason, let error):
      let title = context.domain.actions[id]?.title ?? id
      cursor = TextInputDialog(
        title: "Drop: \(title)", prompt: "Why is it dropped? (required)", input: reason,
        error: error,
        theme: theme
      ).render(into: &buffer, area: area)
    case .verify(let form):
      cursor = renderVerify(form, context: context, into: &buffer, area: area)
    case .filter, nil:
      break
    }
    return cursor
  }

  static func renderHeader(
    _ state: State, theme: Theme, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    var x = buffer.setString(area.x, area.y, "Actions", style: theme.title, maxWidth: area.width)
    if case .filter(let field, let edit) = state.dialog {
      let label: String
      switch field {
      case .search: label = " / "
      case .owner: label = " owner: "
      case .team: label = " team: "
      }
      x = buffer.setString(x, area.y, label, style: theme.accent, maxWidth: area.maxX - x)
      let width = max(0, area.maxX - x)
      return TextField(edit, style: Style(attributes: .underline)).render(
        into: &buffer, area: Rect(x: x, y: area.y, width: width, height: 1))
    }
    var parts: [String] = []
    if !state.search.isEmpty { parts.append("/\(state.search)") }
    if !state.owner.isEmpty { parts.append("owner:\(state.owner)") }
    if !state.team.isEmpty { parts.append("team:\(state.team)") }
    if state.overdueOnly { parts.append("overdue only") }
    if state.showDropped { parts.append("+dropped") }
    let text =
      parts.isEmpty
      ? "  no filters (/ search, o owner, t team, O overdue)" : "  " + parts.joined(separator: "  ")
    buffer.setString(
      x, area.y, text, style: parts.isEmpty ? theme.dim : theme.warning, maxWidth: area.maxX - x)
    return nil
  }

  static func renderCards(
    _ list: [LearningLog.Action], listState: ListState, focused: Bool, context: ViewContext,
    into buffer: inout ScreenBuffer, area: Rect
  ) {
    guard !area.isEmpty else { return }
    let height = area.height - area.height % cardRows
    let top = topCard(listState, count: list.count, height: height)
    let selected = listState.selection(count: list.count)
    let theme = context.theme
    let today = context.today
    let width = area.width
    // Three rows a card; rows are made by index, only for the cards in view.
    let view = ListView(count: list.count * cardRows, highlight: nil, emptyText: "nothing here") {
      row in
      let a = list[row / cardRows]
      switch row % cardRows {
      case 0, 1: return cardTitle(a, line: row % cardRows, width: width, today: today, theme: theme)
      default: return cardDetail(a, context: context, width: width)
      }
    }
    let drawArea = Rect(x: area.x, y: area.y, width: area.width, height: height)
    let first = top * cardRows
    view.render(into: &buffer, area: drawArea, state: ListState(selected: first, offset: first))
    if focused, let selected, selected >= top, (selected - top + 1) * cardRows <= height {
      for r in 0..<cardRows {
        buffer.setStyle(drawArea.row((selected - top) * cardRows + r), theme.selection)
      }
    }
  }

  static func cardTitle(
    _ a: LearningLog.Action, line: Int, width: Int, today: Day, theme: Theme
  ) -> Line {
    let style: Style
    if isOverdue(a, today: today) {
      style = theme.danger
    } else if isDueSoon(a, today: today) {
      style = theme.warning
    } else {
      style = theme.normal
    }
    let lines = wrap(a.title, width: max(1, width))
    guard line < lines.count else { return Line("") }
    var text = lines[line]
    if line == 1, lines.count > 2 { text = (text + " " + lines[2]).truncated(toWidth: width) }
    return Line(text, style: style)
  }

  /// A card's meta line: what is due or owed, the owner, the state, and last the action's id.
  ///
  /// When the line is wider than `width`, the words before the id are cut (marked "…") so the
  /// id, the name messages and the command line use, always shows.
  static func cardDetail(_ a: LearningLog.Action, context: ViewContext, width: Int? = nil) -> Line {
    let today = context.today
    var spans: [Span] = [Span(" ")]
    if let mark = context.logMark(a.id) { spans.append(mark) }
    if isVerifyDue(a, today: today) {
      spans.append(Span("verify due ", style: context.theme.warning))
    }
    if a.needsRetiring(on: today) {
      spans.append(Span("retire (R) ", style: context.theme.warning))
    }
    spans.append(Span(a.owner.isEmpty ? "unassigned" : a.owner, style: context.theme.accent))
    if a.status != .done, a.outcome == .ineffective {
      // Reopened after its verification said it did not work, as the command line says.
      spans.append(Span(" ineffective", style: context.theme.warning))
    }
    func shortDay(_ day: Day) -> String {
      let (y, m, d) = day.components
      return y == today.components.year ? format2(m) + "-" + format2(d) : day.description
    }
    if a.status == .done, let outcome = a.outcome {
      spans.append(
        Span(
          " \(outcome.rawValue)",
          style: outcome == .verified ? context.theme.success : context.theme.warning))
    } else if a.status == .done, !isVerifyDue(a, today: today), let review = a.review {
      spans.append(Span(" review \(shortDay(review))", style: context.theme.dim))
    } else if let due = a.due, a.status != .dropped, a.status != .done {
      let text = shortDay(due)
      if isOverdue(a, today: today) {
        spans.append(Span(" overdue \(text)", style: context.theme.danger))
      } else if isDueSoon(a, today: today) {
        spans.append(Span(" due \(text)", style: context.theme.warning))
      } else {
        spans.append(Span(" due \(text)", style: context.theme.dim))
      }
    }
    if a.type == .mitigate, let u = a.until {
      let (y, m, d) = u.components
      let text = y == today.components.year ? format2(m) + "-" + format2(d) : u.description
      spans.append(
        Span(
          a.retirement.map { " \($0.decision.rawValue)" } ?? " until \(text)",
          style: context.theme.dim))
    }
    // The action's own id (the one messages and the command line name it by); Enter opens
    // its incident.
    let id = Span(" " + context.shortID(a.id), style: context.theme.dim)
    guard let width, Line(spans + [id]).displayWidth > width else { return Line(spans + [id]) }
    var room = max(0, width - id.text.displayWidth - 1)
    var cut: [Span] = []
    for span in spans {
      let w = span.text.displayWidth
      if w <= room {
        cut.append(span)
        room -= w
      } else {
        cut.append(Span(span.text.truncated(toWidth: room, ellipsis: "") + "…", style: span.style))
        break
      }
    }
    return Line(cut + [id])
  }

  static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

  static func renderVerify(
    _ form: VerifyForm, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    let theme = context.theme
    let box = area.centered(width: min(area.width, 56), height: min(area.height, 8))
    let inner = Panel(
      title: "Verify: did it work?", borderStyle: theme.border, titleStyle: theme.title
    )
    .render(into: &buffer, area: box)
    guard inner.height >= 4 else { return nil }
    let a = context.domain.actions[form.actionID]
    buffer.setString(
      inner.x + 1, inner.y, a?.title ?? form.actionID, style: theme.title, maxWidth: inner.width - 1
    )
    if let signal = a?.signal, !signal.isEmpty {
      buffer.setString(
        inner.x + 1, inner.y + 1, "signal: " + signal, style: theme.dim, maxWidth: inner.width - 1)
    }
    var x = buffer.setString(inner.x + 1, inner.y + 2, "outcome  ", maxWidth: inner.width - 1)
    for o in VerificationOutcome.allCases {
      let chosen = o == form.outcome
      let style = chosen ? (form.focus == .outcome ? theme.selection : theme.accent) : theme.dim
      x = buffer.setString(
        x, inner.y + 2, chosen ? "[\(o.rawValue)]" : " \(o.rawValue) ", style: style,
        maxWidth: max(0, inner.maxX - x))
      x = buffer.setString(x, inner.y + 2, " ", maxWidth: max(0, inner.maxX - x))
    }
    let labelX = buffer.setString(inner.x + 1, inner.y + 3, "evidence ", maxWidth: inner.width - 1)
    let field = Rect(x: labelX, y: inner.y + 3, width: max(0, inner.maxX - labelX - 1), height: 1)
    let cursor = TextField(
      form.evidence, style: Style(attributes: .underline), placeholder: "what you saw",
      isFocused: form.focus == .evidence
    ).render(into: &buffer, area: field)
    buffer.setLine(
      inner.x + 1, inner.maxY - 1,
      Line([
        Span("Space/←/→", style: theme.accent), Span(" outcome  "),
        Span("Tab", style: theme.accent),
        Span(" field  "), Span("Enter", style: theme.accent), Span(" save  "),
        Span("Esc", style: theme.accent), Span(" cancel"),
      ]), maxWidth: inner.width - 1)
    return cursor
  }

  static func mouse(_ state: inout State, _ event: MouseEvent, area: Rect, context: ViewContext) {
    let (_, columns) = layout(area, state: state)
    guard let (column, rect) = columns.first(where: { $0.1.contains(event.position) }) else {
      return
    }
    let inner = Panel.inner(rect)
    let count = cards(column, state: state, context: context).count
    let height = inner.height - inner.height % cardRows
    let page = max(1, height / cardRows)
    var list = state.lists[column.rawValue]
    switch event.action {
    case .press(button: 1):
      state.column = column
      guard inner.contains(event.position), count > 0 else { return }
      let index =
        topCard(list, count: count, height: height) + (event.position.y - inner.y) / cardRows
      guard index < count else { return }
      list.select(index, count: count, height: page)
    case .wheelDown: list.move(by: 3, count: count, height: page)
    case .wheelUp: list.move(by: -3, count: count, height: page)
    default: return
    }
    state.lists[column.rawValue] = list
  }
}
