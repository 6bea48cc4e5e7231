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
  func reviewStatus(
    _ incident: Incident, _ timeline: PatternTimeline, detail: Bool = false,
    questions: Bool = true
  ) -> ReviewStatus {
    var missing: [String] = []
    func answered(_ key: String) -> Bool {
      // Some character other than white space (the White_Space property is the set
      // `.whitespacesAndNewlines` trims), without bridging to NSString.
      (incident.answer(key) ?? "").unicodeScalars.contains { !$0.properties.isWhitespace }
    }
    if !answered("root-cause") {
      missing.append("root cause: answer root-cause with the cause the outcome ties to")
    }
    if GapType(rawValue: incident.answer("gap") ?? "") == nil {
      missing.append("gap type: answer gap with skill, process, tooling, context or capacity")
    }
    let owned = (actionsByIncident[incident.id] ?? []).contains { id in
      guard let a = actions[id] else { return false }
      return a.status != .dropped && !a.owner.isEmpty && a.due != nil
    }
    if !owned {
      missing.append("action: add at least one action with an owner and a due day")
    }
    let repeatCase = isRepeat(incident, timeline)
    var earlier: [Action] = []
    if repeatCase {
      if detail {
        earlier = timeline.earlier(of: incident, windowDays: policy.windowDays)
          .flatMap { actions(of: $0.id) }
      }
      if !answered(ReviewTemplate.whyFixFailedKey) {
        missing.append("repeat: answer why-fix-failed (why didn't our earlier fix hold?)")
      }
    }
    for p in timeline.escalatedWithoutExperiment(
      incident, windowDays: policy.windowDays, threshold: policy.escalateThreshold)
    {
      missing.append(
        "experiment: pattern \(p) is escalated (\(policy.escalateThreshold) in \(policy.windowDays) days); add an experiment that tests a fix"
      )
    }
    return ReviewStatus(
      missing: missing,
      questions: questions
        ? reviewQuestions(for: incident, template: nil, repeatCase: repeatCase) : [],
      isRepeat: repeatCase,
      earlierActions: earlier)
  }

  /// The review status of the incident with id `id`, if it exists.
  public func reviewStatus(_ id: String) -> ReviewStatus? {
    incidents[id].map { reviewStatus($0) }
  }
}
