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
