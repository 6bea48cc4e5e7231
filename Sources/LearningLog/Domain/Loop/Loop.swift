import Foundation

/// What a retired mitigation became: undone, or made permanent.
public enum RetireDecision: String, DomainChoice {
  public static let ordered = allCases
  /// The stopgap is undone.
  case revert
  /// The stopgap is made permanent.
  case keep
}

/// How a temporary mitigation was retired.
public struct Retirement: Sendable, Hashable {
  /// Revert or keep.
  public var decision: RetireDecision
  /// Why.
  public var reason: String
  /// When (ms since the epoch).
  public var at: Int64
  /// Who retired it ("" when unknown).
  public var by: String
}

/// A reflection set for an incident: a day, who facilitates, who takes part.
public struct ReviewSchedule: Sendable, Hashable {
  /// The incident it reflects on.
  public var incident: String
  /// The day of the review.
  public var on: Day
  /// Who facilitates ("" when nobody is named).
  public var facilitator: String
  /// Who takes part.
  public var participants: [String]
  /// When it was scheduled (ms since the epoch).
  public var at: Int64
  /// Who scheduled it.
  public var by: String
}

/// Something that went right.
public struct Win: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// What went right.
  public var title: String
  /// The team it belongs to ("" when none).
  public var team: String
  /// The people it recognises.
  public var people: [String]
  /// When it was written (ms since the epoch).
  public var at: Int64
  /// Who wrote it.
  public var by: String
}

/// The fields of a review schedule, as typed.
public struct NewReviewSchedule: Sendable, Hashable {
  /// The incident id or a unique prefix.
  public var incident: String
  /// `YYYY-MM-DD`.
  public var on: String
  public var facilitator: String
  public var participants: [String]

  /// A schedule.
  public init(incident: String, on: String, facilitator: String = "", participants: [String] = []) {
    self.incident = incident
    self.on = on
    self.facilitator = facilitator
    self.participants = participants
  }
}

/// The fields of a new win.
public struct NewWin: Sendable, Hashable {
  public var title: String
  public var team: String
  public var people: [String]

  /// A new win.
  public init(title: String, team: String = "", people: [String] = []) {
    self.title = title
    self.team = team
    self.people = people
  }
}

/// Days within which a review is due, by severity.
public struct ReviewDueDays: Sendable, Hashable {
  public var critical: Int
  public var high: Int
  public var medium: Int
  public var low: Int

  /// The defaults: critical 2 days, high 5, medium 10, low 20.
  public init(critical: Int = 2, high: Int = 5, medium: Int = 10, low: Int = 20) {
    self.critical = critical
    self.high = high
    self.medium = medium
    self.low = low
  }

  /// The days for `severity`.
  public func days(_ severity: Severity) -> Int {
    switch severity {
    case .critical: return critical
    case .high: return high
    case .medium: return medium
    case .low: return low
    }
  }
}

/// What a gap answer shows on every shared path: a skill gap is shown as `private`.
public enum SharedGap {
  /// The word written and shown for a skill gap beside an incident.
  public static let privateWord = "private"

  /// `value` as it may be shown beside an incident (`skill` becomes `private`).
  public static func shown(_ value: String) -> String {
    value == GapType.skill.rawValue ? privateWord : value
  }
}

extension Incident {
  /// The day its review is due under `days`.
  public func reviewDue(_ days: ReviewDueDays) -> Day {
    occurred.adding(days: days.days(severity))
  }
}

extension Action {
  /// Whether it is a temporary mitigation whose end day has come by `day` and that is not
  /// yet retired (nor dropped).
  public func needsRetiring(on day: Day) -> Bool {
    guard type == .mitigate, let u = until, u <= day else { return false }
    return retirement == nil && status != .dropped
  }
}

extension LearningState {
  /// Every scheduled review, in the order scheduled (the latest per incident).
  public var reviewScheduleList: [ReviewSchedule] {
    scheduleOrder.compactMap { reviewSchedules[$0] }
  }

  /// Wins in creation order.
  public var winList: [Win] { winOrder.compactMap { wins[$0] } }

  /// Private notes (not growth items) in creation order.
  public var privateNotes: [PrivateNote] { noteList.filter { $0.kind == "note" } }

  /// The experiments of `incident`, in creation order.
  public func experiments(of incident: String) -> [Experiment] {
    experimentList.filter { $0.incident == incident }
  }
}
