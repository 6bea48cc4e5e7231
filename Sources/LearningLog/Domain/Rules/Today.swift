/// The kinds of item in the carry-over queue.
public enum TodayKind: String, Sendable, Hashable, CaseIterable {
  case overdueAction = "overdue-action"
  case reviewIncomplete = "review-incomplete"
  case verificationDue = "verification-due"
  case experimentCheckDue = "experiment-check-due"
  case escalatedPattern = "escalated-pattern"
  case lessonRevalidation = "lesson-revalidation"
  case mitigationToRetire = "retire-mitigation"
  case reviewScheduled = "review-scheduled"
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
    // The queue walks every incident and action in memory: decode a lazy open's first.
    if isLazy { return materialized().today(on: day) }
    // Kinds come in queue order; each kind is ordered by day, then by creation order.
    //
    // Actions and incidents are read in the order their maps keep them in memory, each in
    // place; only the ones in the queue are then put in creation order.
    var dueActions: [String: EntityMap<Action>.Position] = [:]
    var retiring: Set<String> = []
    actions.forEachInMemory { position, id, a in
      if Self.todayKind(of: a, on: day) != nil { dueActions[id] = position }
      if Self.needsRetiring(a, on: day) { retiring.insert(id) }
    }
    var overdue: [TodayItem] = []
    var verifications: [TodayItem] = []
    for id in actionOrder where !dueActions.isEmpty {
      guard let position = dueActions[id] else { continue }
      actions.withValue(at: position) { a in
        if Self.todayKind(of: a, on: day) == .overdueAction {
          overdue.append(Self.overdueItem(a, on: day))
        } else {
          verifications.append(Self.verificationItem(a))
        }
      }
    }
    let sweep = PatternSweep(self)
    let incomplete = incompleteReviews(sweep)
    var reviews: [TodayItem] = []
    reviews.reserveCapacity(incomplete.count)
    for id in incidentOrder where !incomplete.isEmpty {
      guard let (position, detail) = incomplete[id] else { continue }
      incidents.withValue(at: position) { inc in
        let due = inc.reviewDue(policy.reviewDueDays)
        reviews.append(
          TodayItem(
            kind: .reviewIncomplete, subject: id, title: inc.title, day: due,
            detail: detail + reviewDueNote(id, severity: inc.severity, due: due, on: day)))
      }
    }
    var checks: [TodayItem] = []
    for id in experimentOrder {
      guard let e = experiments[id], Self.isCheckDue(e, on: day), let c = e.check else { continue }
      checks.append(
        TodayItem(
          kind: .experimentCheckDue, subject: e.id, title: e.hypothesis, day: c,
          detail: "check against: \(e.criteria)"))
    }
    let escalated = escalatedWithoutExperiment(on: day, timeline: sweep.timeline).map { p in
      TodayItem(
        kind: .escalatedPattern, subject: p.key, title: p.key, day: p.lastSeen,
        detail: "\(p.inWindow) in \(counted(policy.windowDays, "day")); needs an experiment")
    }
    var revalidations: [TodayItem] = []
    for id in lessonOrder {
      guard let l = lessons[id], let r = l.revalidate, r <= day else { continue }
      revalidations.append(
        TodayItem(
          kind: .lessonRevalidation, subject: l.id, title: l.text, day: r,
          detail: "does this still hold?"))
    }
    var retire: [TodayItem] = []
    for id in actionOrder where !retiring.isEmpty && retiring.contains(id) {
      guard let m = actions[id], let u = m.until else { continue }
      retire.append(
        TodayItem(
          kind: .mitigationToRetire, subject: id, title: m.title, day: u,
          detail: "a temporary mitigation that ends \(u): revert it or keep it, with a reason"))
    }
    var scheduled: [TodayItem] = []
    for id in scheduleOrder {
      guard let c = scheduledReviewDue(id, on: day), let inc = incidents[id] else { continue }
      scheduled.append(
        TodayItem(
          kind: .reviewScheduled, subject: id, title: inc.title, day: c.on,
          detail: Self.scheduleDetail(c)))
    }
    var items: [TodayItem] = []
    items.reserveCapacity(
      overdue.count + reviews.count + verifications.count + checks.count + escalated.count
        + revalidations.count + retire.count + scheduled.count)
    for group in [
      overdue, reviews, verifications, checks, escalated, revalidations, retire, scheduled,
    ] {
      Self.appendByDay(group, to: &items)
    }
    return items
  }

  /// The incomplete reviews of open incidents by id: where each incident is kept, and what
  /// its queue item says is missing.
  func incompleteReviews(_ sweep: PatternSweep) -> [String: (
    position: EntityMap<Incident>.Position, detail: String
  )] {
    // The detail of an incomplete review depends only on what is missing: made once each.
    var details: [Int: String] = [:]
    var incomplete: [String: (position: EntityMap<Incident>.Position, detail: String)] = [:]
    forEachOpenReview(sweep) { n, subject, answers, facts in
      let gaps = reviewGaps(answers, facts, hasOwnedAction: hasOwnedAction(subject.id))
      guard !gaps.isComplete else { return }
      let key =
        (gaps.rootCause ? 1 : 0) | (gaps.gapType ? 2 : 0) | (gaps.action ? 4 : 0)
        | (gaps.whyFixFailed ? 8 : 0) | gaps.escalated.count << 4
      let detail: String
      if let known = details[key] {
        detail = known
      } else {
        detail = Self.reviewDetail(gaps)
        details[key] = detail
      }
      incomplete[subject.id] = (n, detail)
    }
    return incomplete
  }

  /// Calls `body` with every incident not closed, in the order its map keeps them: where it
  /// is kept, what its review is checked on, its answers, and its pattern facts from `sweep`
  /// (read in step with the walk).
  func forEachOpenReview(
    _ sweep: PatternSweep,
    _ body: (
      EntityMap<Incident>.Position, PatternTimeline.Subject, [String: [AnswerVersion]],
      PatternFacts
    ) -> Void
  ) {
    var cursor = PatternSweep.Cursor()
    incidents.forEachInMemory { position, id, inc in
      guard inc.status != .closed else { return }
      let subject = PatternTimeline.Subject(
        id: id, day: inc.occurred.ordinal, createdAt: inc.createdAt, patterns: inc.patterns)
      body(position, subject, inc.answers, patternFacts(subject, at: position, sweep, &cursor))
    }
  }

  /// How many items ``today(on:)`` holds on `day`, found without building them.
  ///
  /// A review is counted as soon as one missing piece is found, so most reviews need only
  /// part of the checks.
  public func todayCount(on day: Day) -> Int {
    if isLazy { return materialized().todayCount(on: day) }
    var count = 0
    actions.forEachInMemory { _, _, a in
      if Self.todayKind(of: a, on: day) != nil { count += 1 }
      if Self.needsRetiring(a, on: day) { count += 1 }
    }
    for id in scheduleOrder where scheduledReviewDue(id, on: day) != nil { count += 1 }
    let sweep = PatternSweep(self)
    forEachOpenReview(sweep) { _, subject, answers, facts in
      if !reviewIsComplete(subject.id, answers, facts) { count += 1 }
    }
    for id in experimentOrder {
      if let e = experiments[id], Self.isCheckDue(e, on: day) { count += 1 }
    }
    count += escalatedWithoutExperiment(on: day, timeline: sweep.timeline).count
    for id in lessonOrder {
      if let r = lessons[id]?.revalidate, r <= day { count += 1 }
    }
    return count
  }

  /// Whether `a` is in the queue on `day`, and as which kind.
  ///
  /// Reads the action's fields where it is (walks pass it in place): copying whole actions
  /// touches every string they hold.
  @inline(__always)
  static func todayKind(of a: Action, on day: Day) -> TodayKind? {
    let status = a.status
    if status == .open || status == .doing, let due = a.due, due < day {
      return .overdueAction
    }
    if status == .done, let r = a.review, r <= day, a.verifications.last?.outcome != .verified {
      return .verificationDue
    }
    return nil
  }

  /// Whether `a` is a mitigation whose end day has come by `day`, not retired.
  @inline(__always)
  static func needsRetiring(_ a: Action, on day: Day) -> Bool {
    guard a.type == .mitigate, let u = a.until, u <= day else { return false }
    return a.retirement == nil && a.status != .dropped
  }

  /// The schedule of incident `id` when its day is within the due-soon days of `day` (or past)
  /// and the incident is still open or in review.
  func scheduledReviewDue(_ id: String, on day: Day) -> ReviewSchedule? {
    guard let c = reviewSchedules[id], c.on <= day.adding(days: policy.dueSoonDays),
      let status = incidents[id]?.status, status == .open || status == .reviewing
    else { return nil }
    return c
  }

  /// "; due 2026-03-04 (high: 5 days)" or "; 3 days overdue (…)", and the schedule.
  func reviewDueNote(_ id: String, severity: Severity, due: Day, on day: Day) -> String {
    let limit = "\(severity.rawValue): \(policy.reviewDueDays.days(severity)) days"
    var note =
      due < day
      ? "; \(counted(due.days(to: day), "day")) overdue (\(limit))" : "; due \(due) (\(limit))"
    if let c = reviewSchedules[id] {
      note += "; scheduled \(c.on)"
    } else if severity >= .high {
      note += "; schedule a reflection"
    }
    return note
  }

  /// "on 2026-03-04, facilitator sam, with ana, lee".
  public static func scheduleDetail(_ c: ReviewSchedule) -> String {
    var t = "review on \(c.on)"
    if !c.facilitator.isEmpty { t += ", facilitator \(c.facilitator)" }
    if !c.participants.isEmpty { t += ", with " + c.participants.joined(separator: ", ") }
    return t
  }

  /// The queue item of the overdue action `a`.
  static func overdueItem(_ a: Action, on day: Day) -> TodayItem {
    let due = a.due ?? day
    let owner = a.owner.isEmpty ? "unassigned" : a.owner
    return TodayItem(
      kind: .overdueAction, subject: a.id, title: a.title, day: due,
      detail: "owner \(owner), \(counted(due.days(to: day), "day")) overdue")
  }

  /// The queue item of the action `a`, whose verification is due.
  static func verificationItem(_ a: Action) -> TodayItem {
    return TodayItem(
      kind: .verificationDue, subject: a.id, title: a.title, day: a.review,
      detail: a.outcome == .unknown
        ? "last check was unknown; did it work?" : "did it work? \(a.signal)")
  }

  /// Whether experiment `e` is undecided and its check day has come by `day`.
  static func isCheckDue(_ e: Experiment, on day: Day) -> Bool {
    guard e.decision == nil, let c = e.check else { return false }
    return c <= day
  }

  /// "missing root cause, action": the names of what an incomplete review lacks.
  static func reviewDetail(_ gaps: ReviewGaps) -> String {
    var names: [String] = []
    if gaps.rootCause { names.append(ReviewGaps.name(ReviewGaps.rootCauseText)) }
    if gaps.gapType { names.append(ReviewGaps.name(ReviewGaps.gapTypeText)) }
    if gaps.action { names.append(ReviewGaps.name(ReviewGaps.actionText)) }
    if gaps.whyFixFailed { names.append(ReviewGaps.name(ReviewGaps.whyFixFailedText)) }
    for _ in gaps.escalated { names.append(ReviewGaps.experimentName) }
    return "missing " + names.joined(separator: ", ")
  }

  /// Appends `group` to `items` ordered by day (items without one last), keeping the order
  /// found among equal days.
  static func appendByDay(_ group: [TodayItem], to items: inout [TodayItem]) {
    let keys = group.map { $0.day?.ordinal ?? Int.max }
    var sorted = true
    for i in keys.indices.dropFirst() where keys[i - 1] > keys[i] {
      sorted = false
      break
    }
    if sorted {
      items += group
      return
    }
    let order = group.indices.sorted { x, y in
      keys[x] != keys[y] ? keys[x] < keys[y] : x < y
    }
    for i in order { items.append(group[i]) }
  }
}
