/// A concise "What we learned" note.
public struct Lesson: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// The lesson.
  public var text: String
  /// The incidents it draws on.
  public var incidents: [String]
  /// The teams it concerns.
  public var teams: [String]
  /// Tags it matches new incidents by.
  public var tags: [String]
  /// Patterns it matches new incidents by.
  public var patterns: [String]
  /// When to check it still holds.
  public var revalidate: Day?
  /// When it was last revalidated.
  public var revalidated: Day?
  /// Who wrote it.
  public var author: String
  /// When it was written (ms).
  public var createdAt: Int64
}

/// A private coaching note or growth item: kept only in the user's private file.
public struct PrivateNote: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// The incident it relates to.
  public var incident: String
  /// The person it concerns (growth items), if any.
  public var person: String
  /// The note.
  public var text: String
  /// `note` or `growth`.
  public var kind: String
  /// When (ms).
  public var at: Int64
}
