import Foundation

/// What a review still needs before it is complete.
public struct ReviewStatus: Sendable, Hashable {
  /// Whether it has a root cause, a gap type, an action with owner and due day, for a repeat
  /// an answer to why the earlier fix did not hold, and for an escalated pattern an experiment.
  public var isComplete: Bool { missing.isEmpty }
  /// One line per missing piece, saying how to supply it.
  public var missing: [String]
  /// The questions to ask: the template's, plus `why-fix-failed` for a repeat.
  public var questions: [Question]
  /// Whether the incident repeats a pattern within the window.
  public var isRepeat: Bool
  /// The earlier occurrences' actions, to be weighed by `why-fix-failed`.
  public var earlierActions: [Action]
}

extension LearningState {
  /// The questions a review of `incident` asks in `template` (its current one when nil).
  public func reviewQuestions(for incident: Incident, template: String? = nil) -> [Question] {
    reviewQuestions(for: incident, template: template, repeatCase: isRepeat(incident))
  }

  func reviewQuestions(for incident: Incident, template: String?, repeatCase: Bool) -> [Question] {
    let t =
      self.template(named: template ?? incident.template)
      ?? self.template(named: ReviewTemplate.defaultName)
    var qs = t?.questions ?? []
    if repeatCase, !qs.contains(where: { $0.key == ReviewTemplate.whyFixFailedKey }) {
      qs.append(ReviewTemplate.whyFixFailed)
    }
    return qs
  }

  /// What the review of `incident` has and lacks.
  public func reviewStatus(_ incident: Incident) -> ReviewStatus {
    reviewStatus(incident, PatternTimeline(self, keys: incident.patterns), detail: true)
  }

  /// The review status using a timeline built once for many incidents; without `detail` the
  /// earlier actions are left out (bulk queries only need what is missing); without
  /// `questions` the questions are left out too.
  ///
  /// `owned`, when given, holds every incident ``hasOwnedAction(_:)`` is true of
  /// (``incidentsWithOwnedAction()``), read instead of the incident's actions.
  func reviewStatus(
    _ incident: Incident, _ timeline: PatternTimeline, detail: Bool = false,
    questions: Bool = true, owned: Set<String>? = nil
  ) -> ReviewStatus {
    let subject = PatternTimeline.Subject(incident)
    let gaps = reviewGaps(
      incident.answers, patternFacts(subject, timeline),
      hasOwnedAction: owned.map { $0.contains(incident.id) } ?? hasOwnedAction(incident.id))
    var missing: [String] = []
    if gaps.rootCause { missing.append(ReviewGaps.rootCauseText) }
    if gaps.gapType { missing.append(ReviewGaps.gapTypeText) }
    if gaps.action { missing.append(ReviewGaps.actionText) }
    var earlier: [Action] = []
    if gaps.isRepeat, detail {
      earlier = timeline.earlierIDs(of: subject, windowDays: policy.windowDays)
        .flatMap { actions(of: $0) }
    }
    if gaps.whyFixFailed { missing.append(ReviewGaps.whyFixFailedText) }
    for p in gaps.escalated {
      missing.append(
        "experiment: pattern \(p) is escalated (\(policy.escalateThreshold) in \(policy.windowDays) days); add an experiment that tests a fix"
      )
    }
    return ReviewStatus(
      missing: missing,
      questions: questions
        ? reviewQuestions(for: incident, template: nil, repeatCase: gaps.isRepeat) : [],
      isRepeat: gaps.isRepeat,
      earlierActions: earlier)
  }

  /// The questions whose answers the review rules read (``reviewGaps(_:_:hasOwnedAction:)``,
  /// ``reviewIsComplete(_:_:_:)``), only ever the current answer: a reader may hand them an
  /// incident with these answers alone.
  static let reviewAnswerKeys: Set<String> = [
    rootCauseKey, gapKey, ReviewTemplate.whyFixFailedKey,
  ]
  static let rootCauseKey = "root-cause"
  static let gapKey = "gap"

  /// What the review of an incident with `answers`, pattern `facts` and, if `hasOwnedAction`,
  /// an owned action lacks.
  func reviewGaps(
    _ answers: [String: [AnswerVersion]], _ facts: PatternFacts, hasOwnedAction: Bool
  ) -> ReviewGaps {
    var gaps = ReviewGaps()
    gaps.rootCause = !Self.isAnswered(answers, Self.rootCauseKey)
    gaps.gapType = !Self.hasGapType(answers)
    gaps.action = !hasOwnedAction
    gaps.isRepeat = facts.isRepeat
    gaps.whyFixFailed = facts.isRepeat && !Self.isAnswered(answers, ReviewTemplate.whyFixFailedKey)
    gaps.escalated = facts.escalated
    return gaps
  }

  /// Whether the review of the incident `id` with `answers` and pattern `facts` is complete,
  /// as ``reviewGaps(_:_:hasOwnedAction:)`` would say, stopping at the first missing piece.
  func reviewIsComplete(_ id: String, _ answers: [String: [AnswerVersion]], _ facts: PatternFacts)
    -> Bool
  {
    // The pattern facts first: they are known already.
    guard facts.escalated.isEmpty else { return false }
    if facts.isRepeat, !Self.isAnswered(answers, ReviewTemplate.whyFixFailedKey) {
      return false
    }
    return Self.isAnswered(answers, Self.rootCauseKey) && Self.hasGapType(answers)
      && hasOwnedAction(id)
  }

  /// Whether the incident `subject` repeats a pattern, and its escalated patterns without an
  /// experiment, searched in `timeline`.
  func patternFacts(_ subject: PatternTimeline.Subject, _ timeline: PatternTimeline)
    -> PatternFacts
  {
    PatternFacts(
      isRepeat: isRepeat(subject, timeline),
      escalated: timeline.escalatedWithoutExperiment(
        subject, windowDays: policy.windowDays, threshold: policy.escalateThreshold))
  }

  /// ``patternFacts(_:_:)`` read from `sweep` for the incident kept at `position`, with
  /// `cursor` walking the incidents in the order their map keeps them.
  func patternFacts(
    _ subject: PatternTimeline.Subject, at position: EntityMap<Incident>.Position,
    _ sweep: PatternSweep, _ cursor: inout PatternSweep.Cursor
  ) -> PatternFacts {
    switch subject.patterns.count {
    case 0: return PatternFacts(isRepeat: false, escalated: [])
    case 1:
      guard let fact = cursor.fact(at: position, key: subject.patterns[0], in: sweep) else {
        return patternFacts(subject, sweep.timeline)
      }
      return PatternFacts(
        isRepeat: fact.isRepeat, escalated: fact.escalates ? subject.patterns : [])
    default: return patternFacts(subject, sweep.timeline)
    }
  }

  /// Whether the current answer to `key` in `answers` has some character other than white
  /// space.
  static func isAnswered(_ answers: [String: [AnswerVersion]], _ key: String) -> Bool {
    guard let versions = answers[key], !versions.isEmpty else { return false }
    // The White_Space property (the set `.whitespacesAndNewlines` trims), without bridging
    // to NSString; ASCII is decided without the property tables.
    return versions[versions.count - 1].value.unicodeScalars.contains { u in
      u.value < 0x80
        ? !(u.value == 0x20 || (0x09...0x0D).contains(u.value)) : !u.properties.isWhitespace
    }
  }

  /// Whether `answers` name a known gap type.
  static func hasGapType(_ answers: [String: [AnswerVersion]]) -> Bool {
    let v = answers[gapKey]?.last?.value ?? ""
    return GapType(rawValue: v) != nil || v == SharedGap.privateWord
  }

  /// Whether `a` counts for a review: not dropped, with an owner and a due day.
  @inline(__always)
  static func isOwned(_ a: Action) -> Bool {
    a.status != .dropped && !a.owner.isEmpty && a.due != nil
  }

  /// Whether the incident with id `id` has an action, not dropped, with an owner and a due day.
  func hasOwnedAction(_ id: String) -> Bool {
    guard let ids = actionsByIncident[id] else { return false }
    for actionID in ids {
      if actions.withValue(actionID, Self.isOwned) == true { return true }
    }
    return false
  }

  /// The incidents with an action that counts for a review (``hasOwnedAction(_:)`` of each),
  /// found in one walk of the actions: from a snapshot each record is read in order, its texts
  /// skipped, with no search of its index.
  func incidentsWithOwnedAction() -> Set<String> {
    var out = Set<String>()
    let stored = actions.stored
    for (_, a) in stored where Self.isOwned(a) { out.insert(a.incident) }
    guard let base = actions.base else { return out }
    let hidden = actions.hidden
    let changed = !stored.isEmpty || !hidden.isEmpty
    let walked = base.walkKeys { id, a, _ in
      if Self.isOwned(a), !changed || (stored[id] == nil && !hidden.contains(id)) {
        out.insert(a.incident)
      }
      return true
    }
    if walked { return out }
    // The snapshot could not be walked: by id (what was found so far is found again).
    for id in base.ids() where stored[id] == nil && !hidden.contains(id) {
      if let a = base.value(id), Self.isOwned(a) { out.insert(a.incident) }
    }
    return out
  }

  /// ``incidentsWithOwnedAction()`` when `reading` incidents are an eighth of them or more and
  /// the actions are in a snapshot (a walk then costs less than reading each incident's
  /// actions); nil otherwise.
  func incidentsWithOwnedAction(reading: Int) -> Set<String>? {
    actions.isLazy && reading * 8 >= incidents.count ? incidentsWithOwnedAction() : nil
  }

  /// The review status of the incident with id `id`, if it exists.
  public func reviewStatus(_ id: String) -> ReviewStatus? {
    incidents[id].map { reviewStatus($0) }
  }
}

/// What the pattern rules say of one incident.
struct PatternFacts {
  /// Whether it repeats a pattern within the window.
  var isRepeat: Bool
  /// Its escalated patterns without an experiment.
  var escalated: [String]
}

/// What a review lacks, as flags: the pieces of ``ReviewStatus/missing`` without their text.
struct ReviewGaps {
  /// No root cause answered.
  var rootCause = false
  /// No known gap type answered.
  var gapType = false
  /// No action, not dropped, with an owner and a due day.
  var action = false
  /// Whether the incident repeats a pattern within the window.
  var isRepeat = false
  /// A repeat without an answer to why the earlier fix did not hold.
  var whyFixFailed = false
  /// The incident's escalated patterns without an experiment.
  var escalated: [String] = []

  /// Whether nothing is missing.
  var isComplete: Bool {
    !rootCause && !gapType && !action && !whyFixFailed && escalated.isEmpty
  }

  static let rootCauseText = "root cause: answer root-cause with the cause the outcome ties to"
  static let gapTypeText =
    "gap type: answer gap with the kind of gap (the review form lists them; a personal one stays private)"
  static let actionText = "action: add at least one action with an owner and a due day"
  static let whyFixFailedText =
    "repeat: answer why-fix-failed (why didn't our earlier fix hold?)"
  /// How the missing line of an escalated pattern starts.
  static let experimentName = "experiment"

  /// The name of a missing piece: its line up to the colon.
  static func name(_ text: String) -> String { String(text.prefix { $0 != ":" }) }
}
