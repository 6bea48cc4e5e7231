import Foundation

/// The kind of answer a question takes.
public enum QuestionKind: String, DomainChoice {
  public static let ordered = allCases
  case line, text, choice, date
}

/// One question of a review template.
public struct Question: Sendable, Hashable {
  /// The stable key answers are stored under (such as `root-cause`).
  public var key: String
  /// The question shown to people.
  public var prompt: String
  /// What kind of answer it takes.
  public var kind: QuestionKind
  /// The allowed answers of a `choice` question.
  public var choices: [String]

  /// A question.
  public init(key: String, prompt: String, kind: QuestionKind = .text, choices: [String] = []) {
    self.key = key
    self.prompt = prompt
    self.kind = kind
    self.choices = choices
  }

  /// Checks `value` against the kind; returns the value to store (dates normalised).
  public func validate(_ value: String) throws -> String {
    switch kind {
    case .line:
      if value.contains("\n") {
        throw DomainError("answer \(DomainError.echo(key)): takes one line; remove the line breaks")
      }
      return value
    case .text: return value
    case .date: return try Day.parse(value, field: "answer \(key)").description
    case .choice:
      let t = value.trimmingCharacters(in: .whitespaces).lowercased()
      guard let c = choices.first(where: { $0.lowercased() == t }) else {
        throw DomainError(
          "answer \(DomainError.echo(key)): '\(DomainError.echo(value))' is not one of \(choices.joined(separator: ", ")); use one of those"
        )
      }
      return c
    }
  }

  /// The question as JSON: key, prompt, kind and (for a choice) the choices.
  public var json: JSONValue {
    var o: [String: JSONValue] = [
      "key": .string(key), "prompt": .string(prompt), "kind": .string(kind.rawValue),
    ]
    if !choices.isEmpty { o["choices"] = .array(choices.map { .string($0) }) }
    return .object(o)
  }

  init?(json: JSONValue) {
    guard let key = json["key"]?.stringValue, let prompt = json["prompt"]?.stringValue,
      let kind = QuestionKind(rawValue: json["kind"]?.stringValue ?? "text")
    else { return nil }
    self.init(key: key, prompt: prompt, kind: kind, choices: json["choices"]?.stringArray ?? [])
  }
}

/// A named list of review questions; team templates keep every revision.
public struct ReviewTemplate: Sendable, Hashable {
  /// The template's name (such as `diagnostic`).
  public var name: String
  /// A human title.
  public var title: String
  /// The questions in order.
  public var questions: [Question]
  /// Whether this template ships with the app.
  public var builtIn: Bool

  /// A template.
  public init(name: String, title: String, questions: [Question], builtIn: Bool = false) {
    self.name = name
    self.title = title
    self.questions = questions
    self.builtIn = builtIn
  }

  /// The question with `key`.
  public func question(_ key: String) -> Question? { questions.first { $0.key == key } }

  /// The name of the default template.
  public static let defaultName = "diagnostic"

  /// The key of the question added to a repeat's review.
  public static let whyFixFailedKey = "why-fix-failed"

  /// The question added to the review of a pattern's second and later occurrences.
  public static let whyFixFailed = Question(
    key: whyFixFailedKey, prompt: "Why didn't our earlier fix hold?", kind: .text)

  /// The gap-type question every built-in template asks.
  public static let gapQuestion = Question(
    key: "gap", prompt: "What type of gap was it?", kind: .choice,
    choices: GapType.allCases.map(\.rawValue))
  /// The root-cause question every built-in template asks.
  public static let rootCause = Question(
    key: "root-cause", prompt: "What cause does the outcome tie to?", kind: .text)

  /// The templates that ship with the app.
  public static let builtIns: [ReviewTemplate] = [
    ReviewTemplate(
      name: "diagnostic", title: "Diagnostic review",
      questions: [
        Question(key: "expected", prompt: "What was supposed to happen?"),
        Question(key: "assumption", prompt: "What assumption guided this decision?"),
        Question(key: "evidence", prompt: "What evidence did we have?"),
        Question(key: "changed", prompt: "What changed?"),
        rootCause, gapQuestion,
        Question(key: "hypothesis", prompt: "What will we test next?"),
      ], builtIn: true),
    ReviewTemplate(
      name: "aar", title: "After-Action Review",
      questions: [
        Question(key: "expected", prompt: "What was supposed to happen?"),
        Question(key: "happened", prompt: "What actually happened?"),
        Question(key: "difference", prompt: "Why was there a difference?"),
        Question(key: "sustain", prompt: "What do we sustain?"),
        Question(key: "improve", prompt: "What do we improve?"),
        rootCause, gapQuestion,
      ], builtIn: true),
    ReviewTemplate(
      name: "five-whys", title: "Five whys",
      questions: [
        Question(key: "problem", prompt: "What was the problem?", kind: .line),
        Question(key: "why-1", prompt: "Why did it happen?"),
        Question(key: "why-2", prompt: "Why was that so?"),
        Question(key: "why-3", prompt: "And why was that so?"),
        Question(key: "why-4", prompt: "And why that?"),
        Question(key: "why-5", prompt: "And underneath that?"),
        rootCause, gapQuestion,
      ], builtIn: true),
    ReviewTemplate(
      name: "decision-card", title: "Decision card",
      questions: [
        Question(key: "assumption", prompt: "What assumption guided the decision?"),
        Question(key: "evidence", prompt: "What evidence was there at the time?"),
        Question(
          key: "confidence", prompt: "How confident were we?", kind: .choice,
          choices: ["low", "medium", "high"]),
        Question(key: "alternatives", prompt: "What alternatives did we consider?"),
        Question(key: "changed", prompt: "What changed?"),
        Question(key: "missed-signal", prompt: "What signal did we miss?"),
        rootCause, gapQuestion,
      ], builtIn: true),
  ]
}

/// One revision of a team template.
public struct TemplateRevision: Sendable, Hashable {
  /// 1 for the first version, counting up.
  public var number: Int
  /// The template as of this revision.
  public var template: ReviewTemplate
  /// When it was written (ms since the epoch).
  public var at: Int64
  /// Who wrote it ("" when the record predates authorship).
  public var by: String
  /// The team that owns the template ("" when none).
  public var team: String = ""
  /// The incident that prompted this revision ("" when none).
  public var because: String = ""
}
