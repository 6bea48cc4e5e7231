extension LearningState {
  /// The review status of each of `incidents`, as ``reviewStatus(_:)`` gives it, with the
  /// pattern timeline built once for all of them instead of once an incident.
  public func reviewStatuses(of incidents: [Incident]) -> [ReviewStatus] {
    guard incidents.count > 1 else { return incidents.map { reviewStatus($0) } }
    var keys = Set<String>()
    for i in incidents { keys.formUnion(i.patterns) }
    let timeline = PatternTimeline(self, keys: Array(keys))
    return incidents.map { reviewStatus($0, timeline, detail: true) }
  }
}

/// What the review of many incidents read one at a time (a streamed list) lacks, with the
/// pattern timeline built once.
public final class ReviewStatusReader: Sendable {
  let state: LearningState
  let timeline: PatternTimeline

  // A class: a reader is handed to every element's writer on both threads, and copying the
  // state it holds would retain each of its parts every time.
  init(state: LearningState, timeline: PatternTimeline) {
    self.state = state
    self.timeline = timeline
  }

  /// What the review of `incident` (one of those whose patterns the reader was made for)
  /// lacks: ``ReviewStatus/missing``, ``ReviewStatus/isComplete`` and
  /// ``ReviewStatus/isRepeat`` as ``LearningState/reviewStatus(_:)`` gives them, without the
  /// questions or the earlier incidents' actions (which would read every earlier incident of
  /// its patterns).
  public func status(of incident: Incident) -> ReviewStatus {
    state.reviewStatus(incident, timeline, detail: false, questions: false)
  }
}

extension LearningState {
  /// A reader of review statuses for incidents whose patterns are all in `patterns`.
  public func reviewStatusReader(patterns: Set<String>) -> ReviewStatusReader {
    ReviewStatusReader(state: self, timeline: PatternTimeline(self, keys: Array(patterns)))
  }
}
