import Foundation
import LearningLog
import TerminalUI

extension LessonsScreen {
  /// The header row, the list pane and the detail pane.
  static func layout(_ area: Rect) -> (header: Rect, list: Rect, detail: Rect) {
    let rows = Layout.split(area, .vertical, [.length(1), .fill(1)])
    let panes = Layout.split(rows[1], .horizontal, [.percentage(40), .fill(1)])
    return (rows[0], panes[0], panes[1])
  }

  /// The detail pane split for the checklists section below it (only on a pane at least 20
  /// rows high, when there are `checklistLines` lines to show).
  static func detailSplit(_ detail: Rect, checklistLines: Int) -> (detail: Rect, checklists: Rect?)
  {
    guard checklistLines > 0, detail.height >= 20 else { return (detail, nil) }
    let height = min(checklistLines + 2, detail.height / 3)
    let parts = Layout.split(detail, .vertical, [.fill(1), .length(height)])
    return (parts[0], parts[1])
  }

  /// The rows inside the list pane and inside the detail pane, in the area the screen is drawn
  /// in (`context.viewport`).
  static func visibleRows(_ context: ViewContext) -> (list: Int, detail: Int) {
    let panes = layout(Rect(size: context.viewport))
    let lines = checklistSection(context: context, width: max(1, panes.detail.width - 3)).count
    let detail = detailSplit(panes.detail, checklistLines: lines).detail
    return (max(1, Panel.inner(panes.list).height), max(1, Panel.inner(detail).height))
  }

  public static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area)
    let theme = context.theme
    let panes = layout(area)
    let list = lessons(state: state, context: context)
    var cursor: Point? = nil

    // Header: title, then the search (being typed or kept).
    let header = panes.header
    var x = buffer.setString(
      header.x, header.y, "Lessons — what we learned", style: theme.title, maxWidth: header.width)
    if case .search(let edit) = state.dialog {
      x = buffer.setString(
        x, header.y, "  / ", style: theme.accent, maxWidth: max(0, header.maxX - x))
      cursor = TextField(edit, style: Style(attributes: .underline)).render(
        into: &buffer, area: Rect(x: x, y: header.y, width: max(0, header.maxX - x), height: 1))
    } else if !state.search.isEmpty {
      buffer.setString(
        x, header.y, "  /\(state.search)", style: theme.warning, maxWidth: max(0, header.maxX - x))
    }

    // List.
    let listInner = Panel(
      title: "\(list.count) lesson\(list.count == 1 ? "" : "s")",
      borderStyle: state.focus == .list ? theme.accent : theme.border, titleStyle: theme.title
    ).render(into: &buffer, area: panes.list)
    let today = context.today
    let logWidth = context.logs.map { context.logMarkWidth($0.names) + 1 } ?? 0
    let rowWidth = max(1, listInner.width - 4 - logWidth)
    ListView(
      count: list.count, highlight: state.focus == .list ? theme.selection : theme.accent,
      emptyText: state.search.isEmpty ? "no lessons yet" : "no lesson matches"
    ) { i in
      let l = list[i]
      let first = (l.text.split(separator: "\n").first.map(String.init) ?? "")
        .truncated(toWidth: rowWidth)
      let mark = context.logMark(l.id).map { [$0] } ?? []
      return isDue(l, today: today)
        ? Line(mark + [Span("due ", style: theme.warning), Span(first)])
        : Line(mark + [Span("    " + first)])
    }.render(into: &buffer, area: listInner, state: state.list)

    // Detail, and below it the checklists and decision criteria the incidents led to.
    let selected = state.list.selection(count: list.count).map { list[$0] }
    let checklistLines = checklistSection(context: context, width: max(1, panes.detail.width - 3))
    let (detailArea, checklists) = detailSplit(panes.detail, checklistLines: checklistLines.count)
    if let checklists {
      let inner = Panel(
        title: "checklists and decision criteria", borderStyle: theme.border,
        titleStyle: theme.title
      ).render(into: &buffer, area: checklists)
      ListView(count: checklistLines.count, highlight: nil) { checklistLines[$0] }.render(
        into: &buffer,
        area: Rect(
          x: inner.x + 1, y: inner.y, width: max(0, inner.width - 1), height: inner.height),
        state: ListState())
    }
    let detailInner = Panel(
      title: "detail", borderStyle: state.focus == .detail ? theme.accent : theme.border,
      titleStyle: theme.title
    ).render(into: &buffer, area: detailArea)
    if let selected {
      let lines = detailLines(selected, width: max(1, detailInner.width - 1), context: context)
      let top = max(0, min(state.detailScroll, lines.count - detailInner.height))
      ListView(count: lines.count, highlight: nil) { lines[$0] }.render(
        into: &buffer,
        area: Rect(
          x: detailInner.x + 1, y: detailInner.y, width: max(0, detailInner.width - 1),
          height: detailInner.height),
        state: ListState(selected: top, offset: top))
    }

    if case .revalidate(let id, let next, let error) = state.dialog {
      let text = context.domain.lessons[id]?.text ?? id
      cursor = TextInputDialog(
        title: "Revalidate: \(text)", prompt: "Next check (YYYY-MM-DD, empty for none)",
        input: next, error: error, theme: theme
      ).render(into: &buffer, area: area)
    }
    return cursor
  }

  /// The checklists section: each checklist with its kind, revision, team and the incident
  /// behind its latest change (`checklist show NAME` prints every revision).
  static func checklistSection(context: ViewContext, width: Int) -> [Line] {
    let theme = context.theme
    var lines: [Line] = []
    for c in context.domain.checklistList {
      let last = c.revisions.last
      var head = "\(c.name) · \(c.kind.rawValue) · rev \(c.revisions.count)"
      if !c.team.isEmpty { head += " · \(c.team)" }
      lines.append(Line(head.truncated(toWidth: width), style: theme.accent))
      if let because = last?.because, !because.isEmpty {
        let title = context.domain.incidents[because]?.title ?? because
        lines.append(Line(("  because: " + title).truncated(toWidth: width), style: theme.dim))
      }
      for (n, item) in c.items.enumerated() {
        lines.append(Line("  \(n + 1). \(item)".truncated(toWidth: width)))
      }
    }
    return lines
  }

  /// The detail pane's rows for `lesson`, wrapped to `width`.
  static func detailLines(_ lesson: Lesson, width: Int, context: ViewContext) -> [Line] {
    let theme = context.theme
    var lines: [Line] = wrap(lesson.text, width: width).map { Line($0) }
    lines.append("")
    lines.append(Line("Incidents", style: theme.title))
    if lesson.incidents.isEmpty { lines.append(Line("  none linked", style: theme.dim)) }
    for id in lesson.incidents {
      let short = context.shortIDs[id] ?? String(id.prefix(6))
      let title = context.domain.incidents[id]?.title ?? "(not in this log)"
      lines.append(Line([Span("  #\(short) ", style: theme.dim), Span(title)]))
    }
    func row(_ label: String, _ values: [String]) {
      lines.append(
        Line([
          Span(label.padding(toLength: 12, withPad: " ", startingAt: 0), style: theme.title),
          Span(values.isEmpty ? "–" : values.joined(separator: ", ")),
        ]))
    }
    lines.append("")
    row("Teams", lesson.teams)
    row("Tags", lesson.tags)
    row("Patterns", lesson.patterns)
    var revalidate: [Span] = [
      Span("Revalidate  ", style: theme.title), Span(lesson.revalidate?.description ?? "–"),
    ]
    if isDue(lesson, today: context.today) {
      revalidate.append(Span("  due, R revalidates", style: theme.warning))
    }
    lines.append(Line(revalidate))
    if let last = lesson.revalidated { row("Last check", [last.description]) }
    row("Written by", [Authorship.shown(lesson.author)])
    lines.append("")
    lines.append(Line("Digest for a team:", style: theme.dim))
    lines.append(Line("  " + exportCommand(for: lesson), style: theme.accent))
    return lines
  }
}
