/// A miss of any kind, with its review answers.
public struct Incident: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// A short title.
  public var title: String
  /// What happened.
  public var what: String
  /// What kind of miss.
  public var kind: IncidentKind
  /// How bad.
  public var severity: Severity
  /// The day it happened.
  public var occurred: Day
  /// The team it concerns.
  public var team: String
  /// The person looking after it.
  public var owner: String
  /// Free tags.
  public var tags: [String]
  /// Trigger keys: named ones (see ``Trigger/named``) and free ones.
  public var triggers: [String]
  /// Normalised failure-pattern keys.
  public var patterns: [String]
  /// Where its review stands.
  public var status: IncidentStatus
  /// The template of the latest answer (the default until answered).
  public var template: String
  /// Every version of every answer, by question key, oldest first.
  public var answers: [String: [AnswerVersion]]
  /// When it was recorded (ms since the epoch).
  public var createdAt: Int64
  /// Who recorded it.
  public var createdBy: String

  /// The current answer to `key`, if any.
  public func answer(_ key: String) -> String? { answers[key]?.last?.value }

  /// How the answer to `key` changed over time, oldest first.
  public func history(_ key: String) -> [AnswerVersion] { answers[key] ?? [] }

  /// Every answer version of every key, in the order they were written.
  public var understandingHistory: [AnswerVersion] {
    answers.values.flatMap { $0 }.sorted { ($0.at, $0.by, $0.key) < ($1.at, $1.by, $1.key) }
  }

  /// The fields `incident set` accepts.
  public static let settableFields = [
    "title", "what", "kind", "severity", "occurred", "team", "owner", "tags", "triggers",
    "patterns", "status",
  ]
}

/// One version of an answer: what was written, when and by whom.
public struct AnswerVersion: Sendable, Hashable {
  /// The question key.
  public var key: String
  /// The answer text.
  public var value: String
  /// The template it was answered in.
  public var template: String
  /// When (ms since the epoch).
  public var at: Int64
  /// Who wrote it ("" when the record predates authorship).
  public var by: String
  /// The team template's revision it was answered under (0 for a built-in template).
  public var revision: Int = 0

  /// An answer version.
  public init(
    key: String, value: String, template: String, at: Int64, by: String, revision: Int = 0
  ) {
    self.key = key
    self.value = value
    self.template = template
    self.at = at
    self.by = by
    self.revision = revision
  }
}
