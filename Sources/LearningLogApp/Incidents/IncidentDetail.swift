import Foundation
import LearningLog
import TerminalUI

/// The detail pane of an incident, as lines wrapped to a width.
enum IncidentDetail {
  static func lines(_ incident: Incident, context: ViewContext, width: Int) -> [Line] {
    let theme = context.theme
    let domain = context.domain
    let w = Swift.max(10, width)
    var out: [Line] = []
    func text(_ s: String, _ style: Style = .plain, indent: Int = 0) {
      let pad = String(repeating: " ", count: indent)
      for l in wrap(s, width: Swift.max(1, w - indent)) { out.append(Line(pad + l, style: style)) }
    }
    func heading(_ s: String) {
      out.append("")
      out.append(Line(s, style: theme.title))
    }
    let short = context.shortID(incident.id)
    text(incident.title, theme.title)
    text(
      "\(short) · \(incident.kind.rawValue) · \(incident.severity.rawValue) · \(incident.status.rawValue) · \(incident.occurred)",
      theme.dim)
    var who: [String] = []
    if !incident.team.isEmpty { who.append("team \(incident.team)") }
    if !incident.owner.isEmpty { who.append("owner \(incident.owner)") }
    if !incident.tags.isEmpty { who.append("tags " + incident.tags.joined(separator: ", ")) }
    if !who.isEmpty { text(who.joined(separator: " · "), theme.dim) }
    if !incident.triggers.isEmpty {
      let labels = incident.triggers.map { key in
        Trigger.named.first { $0.key == key }?.label ?? key
      }
      text("triggers: " + labels.joined(separator: "; "), theme.dim)
    }
    if !incident.patterns.isEmpty {
      heading("Pattern")
      for key in incident.patterns {
        guard let p = context.pattern(key) else {
          text(key, indent: 2)
          continue
        }
        var notes = [
          "\(p.inWindow) in \(counted(domain.policy.windowDays, "day"))", p.step.rawValue,
        ]
        if p.recurredAfterVerifiedFix {
          notes.append("recurred after a verified fix")
        } else if p.recurredAfterFix {
          notes.append("recurred after a fix")
        }
        if p.step == .escalated {
          notes.append(p.hasExperiment ? "experiment set" : "needs an experiment")
        }
        let style =
          p.step == .escalated ? theme.danger : p.step == .repeated ? theme.warning : theme.normal
        text("\(key): " + notes.joined(separator: " · "), style, indent: 2)
      }
    }
    heading("What happened")
    text(incident.what.isEmpty ? "(not written yet: e to edit)" : incident.what, indent: 2)

    let status = domain.reviewStatus(incident)
    let tmpl = domain.template(named: incident.template)
    heading(
      "Review (\(tmpl?.title ?? incident.template))"
        + (status.isComplete ? " — complete" : ""))
    var authors: [String] = []
    for v in incident.understandingHistory where !authors.contains(Authorship.shown(v.by)) {
      authors.append(Authorship.shown(v.by))
    }
    if !authors.isEmpty {
      text("answered by " + authors.joined(separator: ", "), theme.dim, indent: 2)
    }
    var anyAnswer = false
    for q in status.questions {
      let history = incident.history(q.key)
      guard let current = history.last else { continue }
      anyAnswer = true
      out.append(Line("  " + q.prompt, style: theme.accent))
      text(current.value, indent: 4)
      if history.count > 1 {
        out.append(
          Line("    changed \(history.count - 1)× — earlier versions:", style: theme.dim))
        for v in history.dropLast().reversed() {
          let day = Day(utcMilliseconds: v.at)
          text("\(day) \(Authorship.shown(v.by)): \(v.value)", theme.dim, indent: 6)
        }
      }
    }
    if !anyAnswer { text("No answers yet: r opens the review form", theme.dim, indent: 2) }
    if !status.isComplete {
      out.append(Line("  Missing for completeness:", style: theme.warning))
      for m in status.missing { text("• " + m, theme.warning, indent: 4) }
    }
    // Answers another template (or an earlier revision's removed question) asked stay shown.
    let asked = Set(status.questions.map(\.key))
    for g in AnswerGroup.of(incident) {
      let rest = g.answers.filter { g.template != incident.template || !asked.contains($0.key) }
      guard !rest.isEmpty else { continue }
      out.append(Line("  Answered under \(g.label):", style: theme.dim))
      for v in rest { text("\(v.key): \(v.value)", indent: 4) }
    }

    heading("Contributing factors")
    let factors = domain.factors(of: incident.id)
    if factors.isEmpty { text("none yet: c adds one", theme.dim, indent: 2) }
    for f in factors { text("• [\(f.gap.rawValue)] \(f.text)", indent: 2) }

    heading("Timeline")
    let entries = domain.timeline(of: incident.id)
    if entries.isEmpty { text("none yet: t adds an entry", theme.dim, indent: 2) }
    for e in entries {
      text("\(LocalTime.string(e.time)) \(e.kind.rawValue): \(e.text)", indent: 2)
      if !e.link.isEmpty { text(e.link, theme.dim, indent: 4) }
    }
    let led = domain.ledTo(incident.id)
    if !led.isEmpty {
      heading("This led to")
      for c in led { text("• " + c.description, theme.success, indent: 2) }
    }

    heading("Actions")
    let actions = domain.actions(of: incident.id)
    if actions.isEmpty { text("none yet: a adds one", theme.dim, indent: 2) }
    for a in actions {
      var state = a.status.rawValue
      if let o = a.outcome { state += ", \(o.rawValue)" }
      let overdue =
        (a.status == .open || a.status == .doing) && (a.due.map { $0 < context.today } ?? false)
      var parts = [a.owner.isEmpty ? "no owner" : a.owner]
      if let due = a.due { parts.append("due \(due)") }
      if a.status == .dropped, !a.dropReason.isEmpty { parts.append("dropped: \(a.dropReason)") }
      if a.type == .mitigate, let u = a.until {
        parts.append(
          a.retirement.map {
            "mitigation until \(u), retired: \($0.decision.rawValue) — \($0.reason)"
          }
            ?? "mitigation until \(u)")
      }
      text(
        "[\(state)] \(a.title) — " + parts.joined(separator: ", "),
        overdue ? theme.danger : a.status == .done ? theme.success : theme.normal, indent: 2)
    }
    heading("Experiments")
    let experiments = domain.experiments(of: incident.id)
    if experiments.isEmpty { text("none yet: x adds one", theme.dim, indent: 2) }
    for e in experiments {
      let state =
        e.decision.map { "decided: \($0.rawValue)" }
        ?? ((e.check.map { $0 <= context.today } ?? false) ? "check due" : "open")
      text(
        "[\(state)] \(e.hypothesis)", e.decision == nil ? theme.normal : theme.success, indent: 2)
      if !e.change.isEmpty { text("change: \(e.change)", theme.dim, indent: 4) }
      text("criteria: \(e.criteria) · check \(e.check?.description ?? "?")", theme.dim, indent: 4)
      if !e.result.isEmpty { text("result: \(e.result)", indent: 4) }
    }
    heading("Review schedule")
    if let s = domain.reviewSchedules[incident.id] {
      text(LearningState.scheduleDetail(s), indent: 2)
    } else {
      let due = incident.reviewDue(domain.policy.reviewDueDays)
      text(
        "not scheduled (due by \(due) for \(incident.severity.rawValue)): S schedules it",
        incident.severity >= .high && !status.isComplete ? theme.warning : theme.dim, indent: 2)
    }
    heading("Lessons")
    let own = domain.lessonList.filter { $0.incidents.contains(incident.id) }
    let related = domain.lessons(for: incident)
    if own.isEmpty && related.isEmpty { text("none yet: L adds one", theme.dim, indent: 2) }
    for l in own { text("• " + l.text, indent: 2) }
    for l in related { text("• (related) " + l.text, theme.dim, indent: 2) }
    return out
  }
}
