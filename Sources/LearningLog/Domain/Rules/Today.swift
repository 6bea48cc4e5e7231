/// The kinds of item in the carry-over queue.
public enum TodayKind: String, Sendable, Hashable, CaseIterable {
  case overdueAction = "overdue-action"
  case reviewIncomplete = "review-incomplete"
  case verificationDue = "verification-due"
  case experimentCheckDue = "experiment-check-due"
  case escalatedPattern = "escalated-pattern"
  case lessonRevalidation = "lesson-revalidation"
}

/// One item of the carry-over queue; it stays until resolved.
public struct TodayItem: Sendable, Hashable {
  /// What kind of item.
  public var kind: TodayKind
  /// The entity id (or pattern key) it is about.
  public var subject: String
  /// A title to show.
  public var title: String
  /// The day it fell due, when it has one.
  public var day: Day?
  /// What to do about it.
  public var detail: String
}

extension LearningState {
  /// The carry-over queue on `day`: overdue actions, incomplete reviews, due verifications and
  /// experiment checks, escalated patterns without an experiment, lessons to revalidate.
  public func today(on day: Day) -> [TodayItem] {
    var items: [TodayItem] = []
    // One pass over the actions for both of their kinds; the sort below puts kinds in order.
    var verifications: [TodayItem] = []
    for id in actionOrder {
      guard let a = actions[id] else { continue }
      if a.status == .open || a.status == .doing, let due = a.due, due < day {
        let owner = a.owner.isEmpty ? "unassigned" : a.owner
        items.append(
          TodayItem(
            kind: .overdueAction, subject: a.id, title: a.title, day: due,
            detail: "owner \(owner), \(due.days(to: day)) day(s) overdue"))
      } else if a.status == .done, a.outcome != .verified, let r = a.review, r <= day {
        verifications.append(
          TodayItem(
            kind: .verificationDue, subject: a.id, title: a.title, day: r,
            detail: a.outcome == .unknown
              ? "last check was unknown; did it work?" : "did it work? \(a.signal)"))
      }
    }
    let timeline = PatternTimeline(self)
    for id in incidentOrder {
      guard let inc = incidents[id], inc.status != .closed else { continue }
      let rs = reviewStatus(inc, timeline, questions: false)
      if !rs.isComplete {
        items.append(
          TodayItem(
            kind: .reviewIncomplete, subject: inc.id, title: inc.title, day: inc.occurred,
            detail: "missing "
              + rs.missing.map { String($0.prefix { $0 != ":" }) }
              .joined(separator: ", ")))
      }
    }
    items += verifications
    for e in experimentList where e.decision == nil {
      if let c = e.check, c <= day {
        items.append(
          TodayItem(
            kind: .experimentCheckDue, subject: e.id, title: e.hypothesis, day: c,
            detail: "check against: \(e.criteria)"))
      }
    }
    let summaries = patterns(on: day, weeks: 12, timeline: timeline)
    for p in summaries where p.step == .escalated && !p.hasExperiment {
      items.append(
        TodayItem(
          kind: .escalatedPattern, subject: p.key, title: p.key, day: p.lastSeen,
          detail: "\(p.inWindow) in \(policy.windowDays) days; needs an experiment"))
    }
    for l in lessonList {
      if let r = l.revalidate, r <= day {
        items.append(
          TodayItem(
            kind: .lessonRevalidation, subject: l.id, title: l.text, day: r,
            detail: "does this still hold?"))
      }
    }
    // Kind, then day, then the order found: a stable sort on precomputed keys.
    let rank = Dictionary(uniqueKeysWithValues: TodayKind.allCases.enumerated().map { ($1, $0) })
    let keys = items.map { (rank[$0.kind] ?? 0, $0.day?.ordinal ?? Int.max) }
    let order = items.indices.sorted { x, y in
      let a = keys[x]
      let b = keys[y]
      return a.0 != b.0 ? a.0 < b.0 : a.1 != b.1 ? a.1 < b.1 : x < y
    }
    return order.map { items[$0] }
  }
}
