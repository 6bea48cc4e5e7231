import LearningLog
import TerminalUI

extension PatternsScreen {
  /// The header row, the table (header row included) and the detail panel.
  static func layout(_ area: Rect, patternCount: Int) -> (header: Rect, table: Rect, detail: Rect) {
    let body = max(0, area.height - 1)
    let tableHeight = min(max(2, patternCount + 1), max(2, body * 2 / 5))
    let rows = Layout.split(area, .vertical, [.length(1), .length(tableHeight), .fill(1)])
    return (rows[0], rows[1], rows[2])
  }

  /// The table's columns for a screen `width` cells wide.
  static func columns(width: Int) -> [(TableColumn, (PatternSummary) -> String)] {
    let key: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("pattern", width: .fill(1)), { $0.key }
    )
    let count: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("all", width: .length(3), alignment: .right), { String($0.count) }
    )
    let window: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("90d", width: .length(3), alignment: .right), { String($0.inWindow) }
    )
    let first: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("first", width: .length(10)), { $0.firstSeen.description }
    )
    let last: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("last", width: .length(10)), { $0.lastSeen.description }
    )
    let step: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("step", width: .length(9)), { stepText($0.step) }
    )
    let recur: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("recurred", width: .length(18)), { recurrenceText($0) }
    )
    let recurShort: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("recurred", width: .length(8)),
      { $0.recurredAfterVerifiedFix ? "verified" : ($0.recurredAfterFix ? "done" : "") }
    )
    let trend: (TableColumn, (PatternSummary) -> String) = (
      TableColumn("weekly", width: .length(12)), { Sparkline.text($0.weekly.map(Double.init)) }
    )
    if width >= 110 { return [key, count, window, first, last, step, recur, trend] }
    if width >= 76 { return [key, count, window, step, recurShort, trend] }
    return [key, count, window, step, recurShort]
  }

  public static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area)
    let theme = context.theme
    let patterns = context.patterns
    let parts = layout(area, patternCount: patterns.count)
    let escalated = patterns.filter { $0.step == .escalated }.count
    var x = buffer.setString(
      parts.header.x, parts.header.y, "Failure patterns", style: theme.title,
      maxWidth: parts.header.width)
    x = buffer.setString(
      x, parts.header.y,
      "  \(patterns.count) keys, \(escalated) escalated · window \(context.domain.policy.windowDays) days",
      style: theme.dim, maxWidth: max(0, parts.header.maxX - x))

    let cols = columns(width: area.width)
    TableView(
      columns: cols.map(\.0), count: patterns.count, headerStyle: theme.title,
      highlight: state.focus == .table ? theme.selection : theme.accent,
      emptyText: "no pattern keys yet: p on an incident sets one"
    ) { i in cols.map { $0.1(patterns[i]) } }
    .render(into: &buffer, area: parts.table, state: state.table)
    // The step column in colour: escalated in red, a repeat in yellow.
    if let stepIndex = cols.firstIndex(where: { $0.0.title == "step" }) {
      let rects = Layout.split(parts.table.row(0), .horizontal, cols.map(\.0.width), spacing: 1)
      let body = max(0, parts.table.height - 1)
      let top = state.table.visibleOffset(count: patterns.count, height: body)
      for row in 0..<min(body, max(0, patterns.count - top)) {
        let p = patterns[top + row]
        guard p.step != .logged, state.table.selection(count: patterns.count) != top + row else {
          continue
        }
        let r = rects[stepIndex]
        buffer.setStyle(
          Rect(x: r.x, y: parts.table.y + 1 + row, width: r.width, height: 1),
          p.step == .escalated ? theme.danger : theme.warning)
      }
    }

    var cursor: Point? = nil
    if let p = selectedPattern(state, context: context) {
      let inner = Panel(
        title: p.key, borderStyle: state.focus == .detail ? theme.accent : theme.border,
        titleStyle: theme.title
      ).render(into: &buffer, area: parts.detail)
      renderDetail(p, state: state, context: context, into: &buffer, area: inner)
    }
    if let form = state.form {
      cursor = renderForm(form, context: context, into: &buffer, area: area)
    }
    return cursor
  }

  /// One row of the detail and, for incident rows, which incident it is.
  struct DetailRow {
    var line: Line
    var incident: Int?
  }

  /// The detail rows of `p`: summary, experiments, then each incident with its actions.
  static func detailRows(_ p: PatternSummary, context: ViewContext) -> [DetailRow] {
    let theme = context.theme
    var rows: [DetailRow] = []
    var summary: [Span] = [
      Span(
        stepText(p.step),
        style: p.step == .escalated
          ? theme.danger : (p.step == .repeated ? theme.warning : theme.normal)),
      Span(" · \(p.count) in all, \(p.inWindow) in the window"),
      Span(" · first \(p.firstSeen) · last \(p.lastSeen)", style: theme.dim),
    ]
    if !recurrenceText(p).isEmpty {
      summary.append(Span(" · recurred \(recurrenceText(p))", style: theme.warning))
    }
    rows.append(DetailRow(line: Line(summary)))
    // Several logs read together: the teams the pattern recurs across.
    if let logs = context.logs?.pattern[p.key], !logs.isEmpty {
      rows.append(
        DetailRow(
          line: Line(
            (logs.count > 1 ? "across \(logs.count) teams: " : "in one team: ")
              + logs.joined(separator: ", "),
            style: logs.count > 1 ? theme.danger : theme.dim)))
    }
    let experiments = experiments(for: p, context: context)
    if experiments.isEmpty {
      rows.append(
        DetailRow(
          line: p.step == .escalated
            ? Line("Experiments: none yet — e sets one up", style: theme.warning)
            : Line("Experiments: none", style: theme.dim)))
    } else {
      rows.append(DetailRow(line: Line("Experiments", style: theme.title)))
      for e in experiments {
        let decision =
          e.decision.map { "decided \($0.rawValue)" } ?? "check \(e.check?.description ?? "–")"
        rows.append(
          DetailRow(
            line: Line([Span("  ⚗ "), Span(e.hypothesis), Span(" · \(decision)", style: theme.dim)])
          ))
      }
    }
    rows.append(DetailRow(line: Line("Incidents (Enter shows one)", style: theme.title)))
    for (i, id) in p.incidents.enumerated() {
      let short = context.shortIDs[id] ?? String(id.prefix(6))
      guard let inc = context.domain.incidents[id] else { continue }
      rows.append(
        DetailRow(
          line: Line([
            Span("  #\(short) ", style: theme.dim),
            context.logMark(id) ?? Span(""), Span("\(inc.occurred) "), Span(inc.title),
            Span(" [\(inc.status.rawValue)]", style: theme.dim),
          ]), incident: i))
      for a in context.domain.actions(of: id) {
        var spans: [Span] = [
          Span("      ▸ "), Span(a.title),
          Span(" · \(a.owner) · \(a.status.rawValue)", style: theme.dim),
        ]
        if let outcome = a.outcome {
          spans.append(
            Span(
              " · \(outcome.rawValue)",
              style: outcome == .verified
                ? theme.success : (outcome == .ineffective ? theme.danger : theme.warning)))
        }
        rows.append(DetailRow(line: Line(spans)))
      }
    }
    return rows
  }

  static func renderDetail(
    _ p: PatternSummary, state: State, context: ViewContext, into buffer: inout ScreenBuffer,
    area: Rect
  ) {
    guard !area.isEmpty else { return }
    let rows = detailRows(p, context: context)
    let selectedRow =
      rows.firstIndex { $0.incident == min(state.incident, max(0, p.incidents.count - 1)) } ?? 0
    let listState = ListState(selected: selectedRow, offset: 0)
    let drawArea = Rect(
      x: area.x + 1, y: area.y, width: max(0, area.width - 1), height: area.height)
    ListView(count: rows.count, highlight: nil) { rows[$0].line }
      .render(into: &buffer, area: drawArea, state: listState)
    if state.focus == .detail {
      let top = listState.visibleOffset(count: rows.count, height: drawArea.height)
      if selectedRow >= top, selectedRow < top + drawArea.height {
        buffer.setStyle(drawArea.row(selectedRow - top), context.theme.selection)
      }
    }
  }

  static func renderForm(
    _ form: ExperimentForm, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    let theme = context.theme
    let box = area.centered(width: min(area.width, 64), height: min(area.height, 9))
    let inner = Panel(
      title: "New experiment: \(form.pattern)", borderStyle: theme.border, titleStyle: theme.title
    ).render(into: &buffer, area: box)
    guard inner.height >= 5 else { return nil }
    var cursor: Point? = nil
    let labelWidth = 11
    let placeholders: [ExperimentField: String] = [
      .hypothesis: "what will stop the repeats?", .criteria: "how we will know it worked",
      .check: "YYYY-MM-DD",
    ]
    for field in ExperimentField.allCases {
      let y = inner.y + field.rawValue
      let focused = field == form.focus
      buffer.setString(
        inner.x + 1, y, field.label, style: focused ? theme.accent : theme.normal,
        maxWidth: labelWidth)
      let rect = Rect(
        x: inner.x + 1 + labelWidth, y: y, width: max(0, inner.width - labelWidth - 2), height: 1)
      let point = TextField(
        form[field], style: Style(attributes: .underline), placeholder: placeholders[field] ?? "",
        isFocused: focused
      ).render(into: &buffer, area: rect)
      if focused { cursor = point }
    }
    if let error = form.error {
      buffer.setString(
        inner.x + 1, inner.y + 3, error, style: theme.danger, maxWidth: inner.width - 1)
    }
    buffer.setLine(
      inner.x + 1, inner.maxY - 1,
      Line([
        Span("Tab", style: theme.accent), Span(" next  "), Span("Ctrl-S", style: theme.accent),
        Span(" save  "), Span("Esc", style: theme.accent), Span(" cancel"),
      ]), maxWidth: inner.width - 1)
    return cursor
  }
}
