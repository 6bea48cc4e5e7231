import LearningLog
import TerminalUI

extension DashboardScreen {
  /// One block of the dashboard: a title row, `height` rows of content, a blank row after.
  struct Section {
    var title: String
    var height: Int
    var draw: (inout ScreenBuffer, Rect) -> Void
  }

  /// The most rows a roll-up table shows.
  static let rollupLimit = 12

  /// The width from which the charts sit in two columns.
  static let twoColumnWidth = 100

  static func days(_ value: Double) -> String {
    guard value.isFinite else { return "–" }
    let tenths = Int((value * 10).rounded())
    let text = tenths % 10 == 0 ? String(tenths / 10) : "\(tenths / 10).\(abs(tenths % 10))"
    return text + (tenths == 10 ? " day" : " days")
  }

  static func percent(_ share: Double) -> String {
    guard share.isFinite else { return "–" }
    return "\(Int((share * 100).rounded()))%"
  }

  /// The charts' sections: left column (metrics) and right column (roll-ups).
  static func sections(context: ViewContext) -> (left: [Section], right: [Section]) {
    let stats = context.stats
    let theme = context.theme

    // Incidents per week by kind: a sparkline per kind that occurred, and the total.
    let kinds = IncidentKind.allCases.map(\.rawValue).filter { kind in
      stats.weeks.contains { ($0.byKind[kind] ?? 0) > 0 }
    }
    let weekRows: [(String, [Double])] =
      [("all kinds", stats.weeks.map { Double($0.total) })]
      + kinds.map { kind in (kind, stats.weeks.map { Double($0.byKind[kind] ?? 0) }) }
    let firstWeek = stats.weeks.first?.weekStart.description ?? "–"
    let perWeek = Section(
      title: "Incidents per week (\(stats.weeks.count) weeks from \(firstWeek))",
      height: weekRows.count
    ) { buffer, rect in
      let labelWidth = 14
      for (i, row) in weekRows.enumerated() where i < rect.height {
        let y = rect.y + i
        buffer.setString(
          rect.x, y, row.0, style: i == 0 ? theme.title : theme.normal, maxWidth: labelWidth)
        let spark = Rect(
          x: rect.x + labelWidth, y: y,
          width: min(row.1.count, max(0, rect.width - labelWidth - 5)), height: 1)
        Sparkline(values: row.1, style: i == 0 ? theme.accent : theme.normal).render(
          into: &buffer, area: spark)
        buffer.setString(
          spark.maxX + 1, y, String(Int(row.1.reduce(0, +))),
          maxWidth: max(0, rect.maxX - spark.maxX - 1))
      }
    }

    let health = Section(title: "Learning health", height: 4) { buffer, rect in
      let bars = [
        Bar(
          label: "repeat rate", value: stats.repeatRate * 100, valueText: percent(stats.repeatRate),
          style: theme.warning),
        Bar(
          label: "verified effective", value: stats.verifiedEffectiveShare * 100,
          valueText: percent(stats.verifiedEffectiveShare), style: theme.success),
        Bar(
          label: "specific plans", value: stats.specificityShare * 100,
          valueText: percent(stats.specificityShare), style: theme.accent),
      ]
      BarChart(bars: bars, maxValue: 100).render(
        into: &buffer, area: Rect(x: rect.x, y: rect.y, width: min(rect.width, 60), height: 3))
      let median = stats.medianDaysToFirstAction.map { days($0) } ?? "no actions yet"
      buffer.setLine(
        rect.x, rect.y + 3,
        Line([
          Span("median time from incident to first action: "), Span(median, style: theme.title),
        ]),
        maxWidth: rect.width)
    }

    let gapTypes = GapType.allCases.filter { $0 != .skill }
    let gaps = Section(title: "Gap types (private ones never counted)", height: gapTypes.count) {
      buffer, rect in
      // The root causes' shares, and how many contributing factors of each type.
      let bars = gapTypes.map { g in
        let factors = stats.factorsByGap[g.rawValue] ?? 0
        return Bar(
          label: g.rawValue, value: (stats.gapShares[g.rawValue] ?? 0) * 100,
          valueText: percent(stats.gapShares[g.rawValue] ?? 0)
            + (factors > 0 ? " · \(factors) factor\(factors == 1 ? "" : "s")" : ""),
          style: theme.accent)
      }
      BarChart(bars: bars, maxValue: 100).render(
        into: &buffer,
        area: Rect(x: rect.x, y: rect.y, width: min(rect.width, 60), height: rect.height))
    }

    // The roll-ups stay a dashboard's size however long the log: the busiest first.
    let teams = Array(
      stats.byTeam.enumerated().sorted {
        ($0.element.incidents, -$0.offset) > ($1.element.incidents, -$1.offset)
      }.prefix(rollupLimit).map(\.element)
    ).sorted { $0.team < $1.team }
    let teamTitle =
      stats.byTeam.count > teams.count
      ? "By team (\(teams.count) busiest of \(stats.byTeam.count))" : "By team"
    let byTeam = Section(title: teamTitle, height: teams.count + 1) { buffer, rect in
      TableView(
        columns: [
          TableColumn("team", width: .fill(1)),
          TableColumn("incidents", width: .length(9), alignment: .right),
          TableColumn("repeats", width: .length(7), alignment: .right),
          TableColumn("open", width: .length(4), alignment: .right),
          TableColumn("overdue", width: .length(7), alignment: .right),
          TableColumn("verified", width: .length(8), alignment: .right),
        ], count: teams.count, headerStyle: theme.dim, highlight: nil, emptyText: "no incidents yet"
      ) { i in
        let t = teams[i]
        return [
          t.team.isEmpty ? "(no team)" : t.team, String(t.incidents), String(t.repeats),
          String(t.openActions), String(t.overdueActions), String(t.verifiedActions),
        ]
      }.render(into: &buffer, area: rect, state: ListState())
    }

    let patterns = Array(stats.byPattern.prefix(rollupLimit))
    let patternTitle =
      stats.byPattern.count > patterns.count
      ? "By pattern (\(patterns.count) of \(stats.byPattern.count); all on 5 Patterns)"
      : "By pattern"
    let byPattern = Section(title: patternTitle, height: patterns.count + 1) { buffer, rect in
      TableView(
        columns: [
          TableColumn("pattern", width: .fill(1)),
          TableColumn("all", width: .length(3), alignment: .right),
          TableColumn("90d", width: .length(3), alignment: .right),
          TableColumn("step", width: .length(9)),
          TableColumn("weekly", width: .length(12)),
        ], count: patterns.count, headerStyle: theme.dim, highlight: nil,
        emptyText: "no pattern keys yet"
      ) { i in
        let p = patterns[i]
        return [
          p.key, String(p.count), String(p.inWindow),
          p.step == .repeated ? "repeated" : p.step.rawValue,
          Sparkline.text(p.weekly.map(Double.init)),
        ]
      }.render(into: &buffer, area: rect, state: ListState())
    }
    return ([perWeek, health, gaps], [byTeam, byPattern])
  }

  /// The height of `sections` stacked, each with its title and a blank row.
  static func stackHeight(_ sections: [Section]) -> Int {
    sections.reduce(0) { $0 + $1.height + 2 }
  }

  static func drawStack(
    _ sections: [Section], theme: Theme, into buffer: inout ScreenBuffer, x: Int, width: Int
  ) {
    var y = 0
    for s in sections {
      buffer.setString(x, y, s.title, style: theme.title, maxWidth: width)
      s.draw(&buffer, Rect(x: x, y: y + 1, width: width, height: s.height))
      y += s.height + 2
    }
  }

  /// The recognition view's rows for `person`: what they contributed to learning, nothing else.
  static func recognitionLines(person: String, index: Int, count: Int, context: ViewContext)
    -> [Line]
  {
    let theme = context.theme
    let r = context.domain.recognition(person: person)
    var lines: [Line] = [
      Line([
        Span("Contributions to learning: ", style: theme.title), Span(person, style: theme.accent),
      ]),
      Line(
        "person \(index + 1) of \(count), alphabetical · ←/→ another person · c the charts",
        style: theme.dim),
      "",
    ]
    func block(_ title: String, _ items: [String]) {
      lines.append(Line(title, style: theme.title))
      if items.isEmpty { lines.append(Line("  –", style: theme.dim)) }
      for item in items { lines.append(Line("  • " + item)) }
      lines.append("")
    }
    block("Lessons shared", r.lessons.map(\.text))
    block(
      "Fixes verified effective",
      r.verifiedFixes.map { a in
        let evidence = a.verifications.last?.evidence ?? ""
        return evidence.isEmpty ? a.title : "\(a.title) — \(evidence)"
      })
    block(
      "Experiments set up",
      r.experiments.map { e in
        e.decision.map { "\(e.hypothesis) (\($0.rawValue))" } ?? e.hypothesis
      })
    block("Checklists revised", r.revisedChecklists.map(\.description))
    block(
      "Wins", r.wins.map { w in w.team.isEmpty ? w.title : "\(w.title) (\(w.team))" })
    lines.append(
      Line("This view shows contributions only; people are never ranked.", style: theme.dim))
    return lines
  }

  public static func render(
    _ state: State, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    guard !area.isEmpty else { return nil }
    buffer.fill(area)
    let theme = context.theme
    let header = area.row(0)
    let body = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
    var x = buffer.setString(
      header.x, header.y, "Learning health", style: theme.title, maxWidth: header.width)
    let counts = "  \(context.stats.incidentCount) incidents · \(context.stats.actionCount) actions"
    let promise = " · by team and pattern, never by person"
    let room = header.maxX - x - 12
    x = buffer.setString(
      x, header.y, counts + (counts.displayWidth + promise.displayWidth <= room ? promise : ""),
      style: theme.dim, maxWidth: max(0, header.maxX - x))
    guard !body.isEmpty else { return nil }

    if state.showRecognition {
      let people = people(context: context)
      guard !people.isEmpty else {
        buffer.setString(
          body.x + 1, body.y + 1,
          "No contributions yet: lessons, verified fixes and experiments show here.",
          style: theme.dim, maxWidth: body.width - 1)
        return nil
      }
      let index = min(max(0, state.person), people.count - 1)
      let wrapWidth = max(10, body.width - 6)
      let lines = recognitionLines(
        person: people[index], index: index, count: people.count, context: context
      )
      .flatMap { line -> [Line] in
        // Long items wrap, keeping their style, with the bullet's indent.
        let text = line.spans.map(\.text).joined()
        guard text.displayWidth > wrapWidth + 4, line.spans.count == 1 else { return [line] }
        let style = line.spans.first?.style ?? .plain
        return wrap(text, width: wrapWidth + 4).enumerated().map { i, piece in
          Line(i == 0 ? piece : "    " + piece, style: style)
        }
      }
      let top = max(0, min(state.scroll, lines.count - body.height))
      ListView(count: lines.count, highlight: nil) { lines[$0] }
        .render(
          into: &buffer,
          area: Rect(x: body.x + 1, y: body.y, width: body.width - 1, height: body.height),
          state: ListState(selected: top, offset: top))
      return nil
    }

    let (left, right) = sections(context: context)
    let two = body.width >= twoColumnWidth
    let contentHeight = two ? max(stackHeight(left), stackHeight(right)) : stackHeight(left + right)
    let top = max(0, min(state.scroll, contentHeight - body.height))
    // Draw the whole dashboard off screen, then show the rows in view.
    var content = ScreenBuffer(size: Size(width: body.width, height: max(1, contentHeight)))
    if two {
      let halves = Layout.split(
        Rect(x: 0, y: 0, width: body.width, height: 1), .horizontal, [.fill(1), .fill(1)],
        spacing: 3)
      drawStack(left, theme: theme, into: &content, x: halves[0].x + 1, width: halves[0].width - 1)
      drawStack(right, theme: theme, into: &content, x: halves[1].x, width: halves[1].width - 1)
    } else {
      drawStack(left + right, theme: theme, into: &content, x: 1, width: body.width - 2)
    }
    for row in 0..<min(body.height, contentHeight - top) {
      for col in 0..<body.width {
        buffer[body.x + col, body.y + row] = content[col, top + row]
      }
    }
    // Where the view is, on the header row: more below (j) or above (k).
    let below = top + body.height < contentHeight
    if below || top > 0 {
      let more = below ? (top > 0 ? " ↑↓ j/k more" : " ↓ j more") : " ↑ k more"
      buffer.setString(header.maxX - more.displayWidth, header.y, more, style: theme.accent)
    }
    return nil
  }
}
