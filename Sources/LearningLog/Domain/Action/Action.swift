import Foundation

/// A corrective action with one owner, a due day and a review day.
public struct Action: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// The incident it corrects.
  public var incident: String
  /// What will be done.
  public var title: String
  /// The one person who owns it.
  public var owner: String
  /// When it is due.
  public var due: Day?
  /// When to check whether it worked.
  public var review: Day?
  /// What it does.
  public var type: ActionType
  /// What we will see if it worked.
  public var signal: String
  /// Where it stands.
  public var status: ActionStatus
  /// Why it was dropped.
  public var dropReason: String
  /// Every verification, oldest first.
  public var verifications: [Verification]
  /// When it was created (ms).
  public var createdAt: Int64
  /// When it was last marked done (ms).
  public var doneAt: Int64?
  /// The last day a temporary mitigation should stand (type `mitigate` only).
  public var until: Day? = nil
  /// How the mitigation was retired, once it was.
  public var retirement: Retirement? = nil

  /// The latest verification outcome, if any.
  public var outcome: VerificationOutcome? { verifications.last?.outcome }

  /// Whether owner, due day and expected signal are all given.
  public var isSpecific: Bool {
    !owner.isEmpty && due != nil && !signal.trimmingCharacters(in: .whitespaces).isEmpty
  }

  /// Whether it is settled: done and verified, or dropped.
  public var isResolved: Bool {
    status == .dropped || (status == .done && outcome == .verified)
  }
}

/// An answer to "did it work?" on an action's review day.
public struct Verification: Sendable, Hashable {
  /// The outcome.
  public var outcome: VerificationOutcome
  /// The evidence given.
  public var evidence: String
  /// When (ms).
  public var at: Int64
  /// Who verified.
  public var by: String
}
