import Foundation

/// The gap type of a contributing factor as the shared log holds it.
///
/// A skill gap is never written next to an incident: it is recorded as `private` (the detail
/// goes to the owner's private file), and statistics never count it.
public enum FactorGap: String, DomainChoice {
  public static let ordered = allCases
  case process, tooling, context, capacity
  /// A skill gap, classified privately.
  case `private`

  /// The shared gap for a typed one (`skill` becomes `private`).
  public init(_ gap: GapType) {
    switch gap {
    case .skill: self = .private
    case .process: self = .process
    case .tooling: self = .tooling
    case .context: self = .context
    case .capacity: self = .capacity
    }
  }
}

/// One of several causes of an incident, each with its own gap type.
public struct ContributingFactor: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// The incident it contributed to.
  public var incident: String
  /// What contributed.
  public var text: String
  /// Its gap type.
  public var gap: FactorGap
  /// When it was written (ms since the epoch).
  public var at: Int64
  /// Who wrote it ("" when the record predates authorship).
  public var by: String
}

/// What a timeline entry marks.
public enum TimelineKind: String, DomainChoice {
  public static let ordered = allCases
  case detected, escalated, mitigated, resolved, note
}

/// A time-stamped fact of an incident.
public struct TimelineEntry: Sendable, Hashable, Identifiable {
  /// The entity id.
  public var id: String
  /// The incident it belongs to.
  public var incident: String
  /// When it happened (ms since the epoch).
  public var time: Int64
  /// What it marks.
  public var kind: TimelineKind
  /// What happened.
  public var text: String
  /// A link (shown in full, never made clickable).
  public var link: String
  /// When it was written (ms since the epoch).
  public var at: Int64
  /// Who wrote it ("" when the record predates authorship).
  public var by: String
}

/// Whether a checklist is a list of steps or a set of decision criteria.
public enum ChecklistKind: String, DomainChoice {
  public static let ordered = allCases
  case checklist, criteria
}

/// One revision of a checklist: its items after the change, and what prompted it.
public struct ChecklistRevision: Sendable, Hashable {
  /// 1 for the first version, counting up.
  public var number: Int
  /// The items as of this revision.
  public var items: [String]
  /// Items this revision added.
  public var added: [String]
  /// Items this revision removed.
  public var removed: [String]
  /// The incident that prompted it ("" when none).
  public var because: String
  /// When it was written (ms since the epoch).
  public var at: Int64
  /// Who wrote it ("" when the record predates authorship).
  public var by: String
}

/// A named, team-owned list run at a moment, or a set of decision criteria; every revision kept.
public struct Checklist: Sendable, Hashable {
  /// The name (the entity id).
  public var name: String
  /// Checklist or criteria.
  public var kind: ChecklistKind
  /// The team that owns it.
  public var team: String
  /// Every revision, oldest first.
  public var revisions: [ChecklistRevision]

  /// The current items.
  public var items: [String] { revisions.last?.items ?? [] }
}

/// Something an incident led to: a template or checklist revision made because of it.
public struct ChangeLink: Sendable, Hashable {
  /// `template` or `checklist`.
  public var kind: String
  /// The template's or checklist's name.
  public var name: String
  /// The revision number.
  public var revision: Int

  /// "template X rev N".
  public var description: String { "\(kind) \(name) rev \(revision)" }
}

/// The fields of a new contributing factor.
public struct NewFactor: Sendable, Hashable {
  /// The incident id or a unique prefix.
  public var incident: String
  public var text: String
  /// `skill`, `process`, `tooling`, `context` or `capacity`.
  public var gap: String

  /// A new factor.
  public init(incident: String, text: String, gap: String) {
    self.incident = incident
    self.text = text
    self.gap = gap
  }
}

/// The fields of a new timeline entry.
public struct NewTimelineEntry: Sendable, Hashable {
  /// The incident id or a unique prefix.
  public var incident: String
  /// An ISO 8601 time, `YYYY-MM-DDTHH:MM` (local), or `HH:MM` on the incident's day.
  public var at: String
  public var text: String
  /// `detected`, `escalated`, `mitigated`, `resolved` or `note` (the default).
  public var kind: String?
  public var link: String

  /// A new timeline entry.
  public init(incident: String, at: String, text: String, kind: String? = nil, link: String = "") {
    self.incident = incident
    self.at = at
    self.text = text
    self.kind = kind
    self.link = link
  }
}

/// The fields of a new checklist.
public struct NewChecklist: Sendable, Hashable {
  public var name: String
  public var items: [String]
  /// `checklist` (default) or `criteria`.
  public var kind: String?
  public var team: String
  /// The incident that prompted it, if any.
  public var because: String?

  /// A new checklist.
  public init(
    name: String, items: [String], kind: String? = nil, team: String = "", because: String? = nil
  ) {
    self.name = name
    self.items = items
    self.kind = kind
    self.team = team
    self.because = because
  }
}

/// A change to a team template: questions set (added or replaced by key) and removed.
public struct TemplateChange: Sendable, Hashable {
  public var name: String
  /// Questions added, or replacing the question with the same key.
  public var set: [Question]
  /// Keys of questions removed.
  public var remove: [String]
  public var title: String?
  /// The incident that prompted it, if any.
  public var because: String?

  /// A change.
  public init(
    name: String, set: [Question] = [], remove: [String] = [], title: String? = nil,
    because: String? = nil
  ) {
    self.name = name
    self.set = set
    self.remove = remove
    self.title = title
    self.because = because
  }
}

extension Question {
  /// Parses `KEY:KIND:PROMPT` (`KIND` one of line, text, date, or `choice=a|b|c`).
  public static func parseSpec(_ spec: String) throws -> Question {
    let parts = spec.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map {
      String($0)
    }
    guard parts.count == 3 else {
      throw DomainError(
        "question '\(DomainError.echo(spec))' is not KEY:KIND:PROMPT; e.g. cache-risk:text:What could the cache lose?"
      )
    }
    let key = parts[0].trimmingCharacters(in: .whitespaces).lowercased()
    var kindText = parts[1].trimmingCharacters(in: .whitespaces).lowercased()
    var choices: [String] = []
    if kindText.hasPrefix("choice=") {
      choices = kindText.dropFirst("choice=".count).split(separator: "|").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
      kindText = "choice"
    }
    let kind = try QuestionKind.parse(kindText, field: "question '\(DomainError.echo(key))' kind")
    return Question(
      key: key, prompt: parts[2].trimmingCharacters(in: .whitespaces), kind: kind,
      choices: choices)
  }

  /// The `KEY:KIND:PROMPT` form of this question.
  public var spec: String {
    let k = kind == .choice ? "choice=" + choices.joined(separator: "|") : kind.rawValue
    return "\(key):\(k):\(prompt)"
  }
}

/// Times as people type and read them: local `YYYY-MM-DD HH:MM`.
public enum LocalTime {
  /// The offset from UTC of `timeZone` at `ms`, in ms.
  static func offset(_ ms: Int64, _ timeZone: TimeZone) -> Int64 {
    Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000
  }

  /// `YYYY-MM-DD HH:MM` of `ms` in `timeZone`.
  public static func string(_ ms: Int64, timeZone: TimeZone = .current) -> String {
    let local = ms + offset(ms, timeZone)
    let day = Day(utcMilliseconds: local)
    let minutes = (local - day.utcMilliseconds) / 60_000
    let h = minutes / 60
    let m = minutes % 60
    return "\(day) \(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
  }

  /// Parses an ISO 8601 UTC time, a local `YYYY-MM-DD HH:MM` (or with `T`), or `HH:MM` on
  /// `day`; throws naming `field` and the forms accepted.
  public static func parse(
    _ text: String, day: Day, field: String, timeZone: TimeZone = .current
  ) throws -> Int64 {
    let t = text.trimmingCharacters(in: .whitespaces)
    if let ms = ISOTime.parse(t) { return ms }
    func hm(_ s: Substring) -> Int64? {
      let p = s.split(separator: ":", omittingEmptySubsequences: false)
      guard p.count == 2, p[0].count == 2, p[1].count == 2, let h = Int64(p[0]),
        let m = Int64(p[1]), (0..<24).contains(h), (0..<60).contains(m)
      else { return nil }
      return (h * 60 + m) * 60_000
    }
    var onDay = day
    var clock: Int64?
    if t.count == 5 {
      clock = hm(Substring(t))
    } else if t.count == 16, let d = Day(String(t.prefix(10))),
      t[t.index(t.startIndex, offsetBy: 10)] == "T" || t[t.index(t.startIndex, offsetBy: 10)] == " "
    {
      onDay = d
      clock = hm(t.suffix(5))
    }
    guard let clock else {
      throw DomainError(
        "\(field): '\(DomainError.echo(text))' is not a time; give HH:MM (on the incident's day), YYYY-MM-DDTHH:MM or an ISO time like 2026-11-03T14:05:00Z"
      )
    }
    let guess = onDay.utcMilliseconds + clock
    return guess - offset(guess - offset(guess, timeZone), timeZone)
  }
}

/// The answers one template (at one revision) asked, for showing every answer grouped.
public struct AnswerGroup: Sendable, Hashable {
  /// The template's name.
  public var template: String
  /// The team template's revision (0 for a built-in template).
  public var revision: Int
  /// The latest answer to each key under this template, in the order first answered.
  public var answers: [AnswerVersion]

  /// "ops-retro rev 2", or the template's name alone for a built-in one.
  public var label: String { revision > 0 ? "\(template) rev \(revision)" : template }

  /// The groups of `incident`'s answers, in the order each template first asked.
  public static func of(_ incident: Incident) -> [AnswerGroup] {
    var groups: [AnswerGroup] = []
    for v in incident.understandingHistory {
      let i =
        groups.firstIndex { $0.template == v.template && $0.revision == v.revision }
        ?? {
          groups.append(AnswerGroup(template: v.template, revision: v.revision, answers: []))
          return groups.count - 1
        }()
      if let k = groups[i].answers.firstIndex(where: { $0.key == v.key }) {
        groups[i].answers[k] = v
      } else {
        groups[i].answers.append(v)
      }
    }
    return groups
  }
}
