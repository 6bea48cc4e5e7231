/// The event types of the learning domain (the `type` of a ``Record``).
///
/// Each body is a JSON object; `docs/domain-model.md` lists every field. Optional `at`
/// (ms since the epoch) and `by` (a person) in any body override the record's clock and writer
/// as the event's time and author, so imports keep their original times.
public enum EventType {
  public static let incidentCreated = "incident.created"
  public static let incidentFieldSet = "incident.field-set"
  public static let reviewAnswered = "review.answered"
  public static let actionCreated = "action.created"
  public static let actionStatusSet = "action.status-set"
  public static let actionVerified = "action.verified"
  public static let experimentCreated = "experiment.created"
  public static let experimentDecided = "experiment.decided"
  public static let lessonCreated = "lesson.created"
  public static let lessonRevalidated = "lesson.revalidated"
  public static let templateCreated = "template.created"
  public static let templateRevised = "template.revised"
  public static let entityDeleted = "entity.deleted"
  public static let factorAdded = "factor.added"
  public static let timelineAdded = "timeline.added"
  public static let checklistCreated = "checklist.created"
  public static let checklistRevised = "checklist.revised"
  public static let actionRetired = "action.retired"
  public static let reviewScheduled = "review.scheduled"
  public static let winAdded = "win.added"
  /// Private: a coaching note (private file only).
  public static let noteAdded = "note.added"
  /// Private: a growth item made from a skill gap (private file only).
  public static let growthCreated = "growth.created"

  /// Every shared event type.
  public static let shared: [String] = [
    incidentCreated, incidentFieldSet, reviewAnswered, actionCreated, actionStatusSet,
    actionVerified, experimentCreated, experimentDecided, lessonCreated, lessonRevalidated,
    templateCreated, templateRevised, entityDeleted, factorAdded, timelineAdded,
    checklistCreated, checklistRevised, actionRetired, reviewScheduled, winAdded,
  ]
  /// Every private event type.
  public static let privateOnly: [String] = [noteAdded, growthCreated]
}

/// Thresholds of the learning rules.
public struct PolicySettings: Sendable, Hashable {
  /// The rolling window for pattern counts, in days.
  public var windowDays: Int
  /// The occurrence that asks "why didn't our earlier fix hold?".
  public var repeatThreshold: Int
  /// The occurrence within the window that escalates a pattern.
  public var escalateThreshold: Int
  /// Days before a due day that count as "due soon".
  public var dueSoonDays: Int
  /// Days within which a review is due, by severity.
  public var reviewDueDays: ReviewDueDays

  /// The defaults: 90 days, 2nd and 3rd occurrence, 3 days.
  public init(
    windowDays: Int = 90, repeatThreshold: Int = 2, escalateThreshold: Int = 3,
    dueSoonDays: Int = 3, reviewDueDays: ReviewDueDays = ReviewDueDays()
  ) {
    self.reviewDueDays = reviewDueDays
    self.windowDays = windowDays
    self.repeatThreshold = repeatThreshold
    self.escalateThreshold = escalateThreshold
    self.dueSoonDays = dueSoonDays
  }
}
