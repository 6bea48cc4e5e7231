/// The fields of a new incident, as typed (validated by ``LearningState/plan(_:context:)``).
public struct NewIncident: Sendable, Hashable {
  public var title: String
  public var what: String
  public var kind: String?
  public var severity: String?
  public var team: String
  public var owner: String
  public var tags: [String]
  public var triggers: [String]
  public var patterns: [String]
  /// `YYYY-MM-DD`; today when nil.
  public var occurred: String?

  /// A new incident; only the title is required.
  public init(
    title: String, what: String = "", kind: String? = nil, severity: String? = nil,
    team: String = "", owner: String = "", tags: [String] = [], triggers: [String] = [],
    patterns: [String] = [], occurred: String? = nil
  ) {
    self.title = title
    self.what = what
    self.kind = kind
    self.severity = severity
    self.team = team
    self.owner = owner
    self.tags = tags
    self.triggers = triggers
    self.patterns = patterns
    self.occurred = occurred
  }
}

/// The fields of a new corrective action.
public struct NewAction: Sendable, Hashable {
  /// The incident id or a unique prefix.
  public var incident: String
  public var title: String
  public var owner: String
  /// `YYYY-MM-DD`.
  public var due: String
  /// `YYYY-MM-DD`; 14 days after the due day when nil.
  public var review: String?
  public var type: String?
  /// What we will see if it worked.
  public var signal: String
  /// `YYYY-MM-DD`: the last day a temporary mitigation stands (type `mitigate` only).
  public var until: String?

  /// A new action.
  public init(
    incident: String, title: String, owner: String, due: String, review: String? = nil,
    type: String? = nil, signal: String = "", until: String? = nil
  ) {
    self.until = until
    self.incident = incident
    self.title = title
    self.owner = owner
    self.due = due
    self.review = review
    self.type = type
    self.signal = signal
  }
}

/// The fields of a new experiment.
public struct NewExperiment: Sendable, Hashable {
  /// The incident id or prefix (optional when a pattern is given).
  public var incident: String?
  /// The pattern it targets.
  public var pattern: String?
  public var hypothesis: String
  public var change: String
  public var criteria: String
  /// `YYYY-MM-DD`.
  public var check: String

  /// A new experiment.
  public init(
    incident: String? = nil, pattern: String? = nil, hypothesis: String, change: String = "",
    criteria: String, check: String
  ) {
    self.incident = incident
    self.pattern = pattern
    self.hypothesis = hypothesis
    self.change = change
    self.criteria = criteria
    self.check = check
  }
}

/// The fields of a new lesson.
public struct NewLesson: Sendable, Hashable {
  public var text: String
  /// Incident ids or prefixes.
  public var incidents: [String]
  public var teams: [String]
  public var tags: [String]
  public var patterns: [String]
  /// `YYYY-MM-DD`.
  public var revalidate: String?

  /// A new lesson.
  public init(
    text: String, incidents: [String] = [], teams: [String] = [], tags: [String] = [],
    patterns: [String] = [], revalidate: String? = nil
  ) {
    self.text = text
    self.incidents = incidents
    self.teams = teams
    self.tags = tags
    self.patterns = patterns
    self.revalidate = revalidate
  }
}

/// One answer given to a review.
public struct ReviewAnswer: Sendable, Hashable {
  /// The question key.
  public var key: String
  /// The answer.
  public var value: String
  /// An answer.
  public init(key: String, value: String) {
    self.key = key
    self.value = value
  }
}

/// Every write the app and the command line can make.
public enum Command: Sendable, Hashable {
  /// `incident add`.
  case addIncident(NewIncident)
  /// `incident set ID FIELD VALUE` (lists split by `,` or `;`).
  case setIncidentField(incident: String, field: String, value: String)
  /// `review ID [--template NAME] --answer KEY=TEXT...`.
  case review(incident: String, template: String?, answers: [ReviewAnswer])
  /// `action add`.
  case addAction(NewAction)
  /// `action start`.
  case startAction(String)
  /// `action done`.
  case finishAction(String)
  /// Move an action one column back on the board: doing → open, done (unverified) → doing.
  case moveActionBack(String)
  /// `action drop --reason`.
  case dropAction(String, reason: String)
  /// `action verify --outcome [--evidence]`.
  case verifyAction(String, outcome: String, evidence: String)
  /// `experiment add`.
  case addExperiment(NewExperiment)
  /// `experiment result --decision [--evidence]`.
  case decideExperiment(String, decision: String, result: String)
  /// `lesson add`.
  case addLesson(NewLesson)
  /// Revalidates a lesson, optionally setting the next revalidation day.
  case revalidateLesson(String, next: String?)
  /// Adds a team template, owned by `team`, prompted by the incident `because`.
  case addTemplate(
    name: String, title: String, questions: [Question], team: String = "", because: String? = nil)
  /// `template revise`: sets and removes questions of a team template (a new revision).
  case changeTemplate(TemplateChange)
  /// `checklist add`.
  case addChecklist(NewChecklist)
  /// `checklist revise`: adds items and removes items by number (1 = the first), because of
  /// an incident.
  case reviseChecklist(name: String, add: [String], remove: [Int], because: String)
  /// `factor add`.
  case addFactor(NewFactor)
  /// `timeline add`.
  case addTimelineEntry(NewTimelineEntry)
  /// Revises a team template (every revision is kept).
  case reviseTemplate(name: String, title: String?, questions: [Question])
  /// Sets an incident's pattern keys.
  case setPatterns(incident: String, keys: [String])
  /// Deletes an entity (a tombstone; an incident takes its actions with it).
  case delete(String)
  /// `note add`: a private note (private file only).
  case addNote(incident: String, text: String)
  /// A growth item of the writer's own (private file only), from the app's private space.
  case addGrowthItem(incident: String, text: String)
  /// `action retire`: a temporary mitigation reverted or kept, with a reason.
  case retireAction(String, decision: String, reason: String)
  /// `review schedule`.
  case scheduleReview(NewReviewSchedule)
  /// `win add`.
  case addWin(NewWin)
}

/// What a command needs from outside: the day, the time, who, and fresh ids.
public struct CommandContext {
  /// Today's date.
  public var today: Day
  /// Now, in ms since the epoch.
  public var now: Int64
  /// The person acting, written as `by` when given (else the record's writer stands).
  public var author: String?
  /// Makes a fresh entity id.
  public var makeID: () -> String

  /// A context with every part given.
  public init(today: Day, now: Int64, author: String? = nil, makeID: @escaping () -> String) {
    self.today = today
    self.now = now
    self.author = author
    self.makeID = makeID
  }

  /// A context with ids from the system's random source.
  public init(today: Day, now: Int64, author: String? = nil) {
    var gen = EntityIDGenerator(rng: BufferedRandom())
    self.init(today: today, now: now, author: author, makeID: { gen.next() })
  }

  /// A context with reproducible ids from `seed` (tests and demos).
  public static func seeded(_ seed: UInt64, today: Day, now: Int64? = nil, author: String? = nil)
    -> CommandContext
  {
    var gen = EntityIDGenerator(rng: SeededGenerator(seed: seed))
    return CommandContext(
      today: today, now: now ?? today.utcMilliseconds + 9 * 3_600_000, author: author,
      makeID: { gen.next() })
  }
}

/// The records a command appends: shared ones to the log, private ones to the private file.
public struct Plan: Sendable, Hashable {
  /// Drafts for the shared log.
  public var shared: [RecordDraft]
  /// Drafts for the private file only (notes, growth items).
  public var `private`: [RecordDraft]
  /// The id of the entity the command created, if any.
  public var createdID: String?

  /// A plan.
  public init(shared: [RecordDraft] = [], private: [RecordDraft] = [], createdID: String? = nil) {
    self.shared = shared
    self.private = `private`
    self.createdID = createdID
  }
}
