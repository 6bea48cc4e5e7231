/// Counts of new events by kind, worded for a commit message.
public struct EventSummary: Sendable, Equatable {
  /// Incidents created.
  public var incidents = 0
  /// Review answers given.
  public var reviewAnswers = 0
  /// Actions created.
  public var actions = 0
  /// Experiments created.
  public var experiments = 0
  /// Lessons created.
  public var lessons = 0
  /// Every other event (field changes, status changes, verifications, deletes…).
  public var updates = 0

  /// Counts `records` by kind.
  public init(_ records: [Record] = []) {
    for r in records {
      switch r.type {
      case EventType.incidentCreated: incidents += 1
      case EventType.reviewAnswered: reviewAnswers += 1
      case EventType.actionCreated: actions += 1
      case EventType.experimentCreated: experiments += 1
      case EventType.lessonCreated: lessons += 1
      default: updates += 1
      }
    }
  }

  /// The number of events counted.
  public var total: Int { incidents + reviewAnswers + actions + experiments + lessons + updates }

  /// "3 incidents, 2 actions, 1 lesson": only the kinds present, in a fixed order.
  public var text: String {
    let parts: [(Int, String, String)] = [
      (incidents, "incident", "incidents"), (reviewAnswers, "review answer", "review answers"),
      (actions, "action", "actions"), (experiments, "experiment", "experiments"),
      (lessons, "lesson", "lessons"), (updates, "update", "updates"),
    ]
    return parts.filter { $0.0 > 0 }.map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
      .joined(separator: ", ")
  }

  /// The commit message for these events: `learnlog: 3 incidents, 2 actions, 1 lesson`.
  public var commitMessage: String {
    total == 0 ? "learnlog: share the log through git" : "learnlog: \(text)"
  }
}
