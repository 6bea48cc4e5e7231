/// A small bet to test a fix.
public struct Experiment: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// The incident it came from, if any.
  public var incident: String?
  /// The pattern it targets, if any.
  public var pattern: String?
  /// What we believe.
  public var hypothesis: String
  /// What we change.
  public var change: String
  /// How we will know (metric and threshold).
  public var criteria: String
  /// When to check.
  public var check: Day?
  /// What we saw.
  public var result: String
  /// What we decided, once decided.
  public var decision: ExperimentDecision?
  /// Who set it up.
  public var createdBy: String
  /// When it was created (ms).
  public var createdAt: Int64
}
