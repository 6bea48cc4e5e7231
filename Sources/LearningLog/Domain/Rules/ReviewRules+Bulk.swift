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
  /// The incidents with an action that counts for a review, when found at once.
  let owned: Set<String>?

  // A class: a reader is handed to every element's writer on both threads, and copying the
  // state it holds would retain each of its parts every time.
  init(state: LearningState, timeline: PatternTimeline, owned: Set<String>?) {
    self.state = state
    self.timeline = timeline
    self.owned = owned
  }

  /// What the review of `incident` (one of those whose patterns the reader was made for)
  /// lacks: ``ReviewStatus/missing``, ``ReviewStatus/isComplete`` and
  /// ``ReviewStatus/isRepeat`` as ``LearningState/reviewStatus(_:)`` gives them, without the
  /// questions or the earlier incidents' actions (which would read every earlier incident of
  /// its patterns).
  public func status(of incident: Incident) -> ReviewStatus {
    state.reviewStatus(incident, timeline, detail: false, questions: false, owned: owned)
  }
}

extension LearningState {
  /// A reader of review statuses for incidents whose patterns are all in `patterns`.
  ///
  /// `times` gives the occurred day's ordinal and creation time of incidents the caller has
  /// already read (those with patterns, from a listing's walk), so they are not read again.
  /// `reading` is how many incidents it will be asked about: when that is an eighth of them
  /// or more and they are in a snapshot, which have an owned action is found in one walk of
  /// the actions rather than by reading each incident's actions.
  public func reviewStatusReader(
    patterns: Set<String>, times: [String: (day: Int, createdAt: Int64)]? = nil,
    reading: Int
  ) -> ReviewStatusReader {
    ReviewStatusReader(
      state: self, timeline: PatternTimeline(self, keys: Array(patterns), times: times),
      owned: incidentsWithOwnedAction(reading: reading))
  }
}
