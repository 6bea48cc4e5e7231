import Foundation
import Testing

@testable import LearningLog

/// Every stored field of every entity survives the snapshot: each entity type is built with
/// every field (nested ones too) set to a value no decoder would invent, put through
/// `StateCoding.image` and `decodeImage`, and compared field by field by reflection.
///
/// A field
/// added to an entity and forgotten by the snapshot coding fails here: either the sample
/// leaves it at its default (set it below), or the decoded entity differs in that field.
@Suite struct SnapshotFieldRoundTripTests {
  static let d1 = day("2026-02-03")
  static let d2 = day("2026-04-05")

  static let answer = AnswerVersion(
    key: "cause", value: "the check read the old file", template: "diagnostic", at: 17, by: "ana",
    revision: 2)

  static let incident = Incident(
    id: "inc-1", title: "Config drift", what: "rollback kept the flags", kind: .handoff,
    severity: .critical, occurred: d1, team: "payments", owner: "omar", tags: ["deploy"],
    triggers: ["rush"], patterns: ["deploy/config-drift"], status: .reviewed,
    template: "diagnostic", answers: ["cause": [answer]], createdAt: 11, createdBy: "lena")

  static let action = Action(
    id: "act-1", incident: "inc-1", title: "Checksum the config", owner: "omar", due: d1,
    review: d2, type: .mitigate, signal: "no drift alarms", status: .done,
    dropReason: "kept for the record",
    verifications: [
      Verification(outcome: .ineffective, evidence: "drifted twice", at: 21, by: "sam")
    ],
    createdAt: 12, doneAt: 19, until: d2,
    retirement: Retirement(decision: .keep, reason: "still needed", at: 23, by: "ana"))

  static let experiment = Experiment(
    id: "exp-1", incident: "inc-1", pattern: "deploy/config-drift", hypothesis: "one source",
    change: "merge the configs", criteria: "no drift in 30 days", check: d2, result: "held",
    decision: .adapt, createdBy: "maya", createdAt: 13)

  static let lesson = Lesson(
    id: "les-1", text: "A check reads only what it reads", incidents: ["inc-1"],
    teams: ["payments"], tags: ["deploy"], patterns: ["deploy/config-drift"], revalidate: d2,
    revalidated: d1, author: "lena", createdAt: 14)

  static let note = PrivateNote(
    id: "note-1", incident: "inc-1", person: "ana", text: "ask about the rota", kind: "growth",
    at: 15)

  static let revision = TemplateRevision(
    number: 3,
    template: ReviewTemplate(
      name: "team-review", title: "Team review",
      questions: [
        Question(
          key: "why", prompt: "Why then?", kind: .choice, choices: ["a", "b"])
      ], builtIn: false), at: 16, by: "sam", team: "payments", because: "inc-1")

  static let factor = ContributingFactor(
    id: "fac-1", incident: "inc-1", text: "two config files", gap: .tooling, at: 17, by: "ana")

  static let entry = TimelineEntry(
    id: "tl-1", incident: "inc-1", time: 18, kind: .mitigated, text: "rolled back",
    link: "https://example.invalid/1", at: 19, by: "omar")

  static let checklist = Checklist(
    name: "deploy", kind: .criteria, team: "payments",
    revisions: [
      ChecklistRevision(
        number: 2, items: ["checksum"], added: ["checksum"], removed: ["eyeball"],
        because: "inc-1", at: 20, by: "lena")
    ])

  static let schedule = ReviewSchedule(
    incident: "inc-1", on: d2, facilitator: "sam", participants: ["ana"], at: 21, by: "maya")

  static let win = Win(
    id: "win-1", title: "Caught a drift early", team: "payments", people: ["omar"], at: 22,
    by: "ana")

  /// A state holding one of each entity.
  static func sampleState() -> LearningState {
    var s = LearningState()
    s.incidents["inc-1"] = incident
    s.incidentOrder = ["inc-1"]
    s.actions["act-1"] = action
    s.actionOrder = ["act-1"]
    s.actionsByIncident["inc-1"] = ["act-1"]
    s.experiments["exp-1"] = experiment
    s.experimentOrder = ["exp-1"]
    s.lessons["les-1"] = lesson
    s.lessonOrder = ["les-1"]
    s.notes["note-1"] = note
    s.noteOrder = ["note-1"]
    s.templateRevisions["team-review"] = [revision]
    s.templateOrder = ["team-review"]
    s.factors["fac-1"] = factor
    s.factorOrder = ["fac-1"]
    s.factorsByIncident["inc-1"] = ["fac-1"]
    s.timelineEntries["tl-1"] = entry
    s.timelineOrder = ["tl-1"]
    s.timelineByIncident["inc-1"] = ["tl-1"]
    s.checklists["deploy"] = checklist
    s.checklistOrder = ["deploy"]
    s.reviewSchedules["inc-1"] = schedule
    s.scheduleOrder = ["inc-1"]
    s.wins["win-1"] = win
    s.winOrder = ["win-1"]
    return s
  }

  /// Each entity type: its sample, and how to find it in a state.
  static var entities: [(name: String, sample: Any, read: (LearningState) -> Any?)] {
    [
      ("Incident", incident, { $0.incidents["inc-1"] }),
      ("Action", action, { $0.actions["act-1"] }),
      ("Experiment", experiment, { $0.experiments["exp-1"] }),
      ("Lesson", lesson, { $0.lessons["les-1"] }),
      ("TemplateRevision", revision, { $0.templateRevisions["team-review"]?.first }),
      ("ContributingFactor", factor, { $0.factors["fac-1"] }),
      ("TimelineEntry", entry, { $0.timelineEntries["tl-1"] }),
      ("Checklist", checklist, { $0.checklists["deploy"] }),
      ("ReviewSchedule", schedule, { $0.reviewSchedules["inc-1"] }),
      ("Win", win, { $0.wins["win-1"] }),
    ]
  }

  /// The paths of the fields of `value` left at a value a decoder could make up: nil, empty,
  /// zero or false (nested structs, collections and optionals searched too).
  static func defaultFields(_ value: Any, path: String) -> [String] {
    let mirror = Mirror(reflecting: value)
    switch value {
    case let s as String: return s.isEmpty ? [path] : []
    case let n as Int: return n == 0 ? [path] : []
    case let n as Int64: return n == 0 ? [path] : []
    case let b as Bool: return b ? [] : [path]
    default: break
    }
    switch mirror.displayStyle {
    case .optional:
      guard let payload = mirror.children.first?.value else { return [path] }
      return defaultFields(payload, path: path)
    case .collection, .set, .dictionary:
      guard !mirror.children.isEmpty else { return [path] }
      return mirror.children.enumerated().flatMap { i, c in
        defaultFields(c.value, path: "\(path)[\(i)]")
      }
    case .tuple:
      return mirror.children.enumerated().flatMap { i, c in
        defaultFields(c.value, path: "\(path).\(c.label ?? String(i))")
      }
    case .struct, .class:
      return mirror.children.flatMap { c in
        defaultFields(c.value, path: "\(path).\(c.label ?? "?")")
      }
    default:
      return []
    }
  }

  /// The stored fields of `a` and `b` that differ, by name.
  static func differingFields(_ a: Any, _ b: Any) -> [String] {
    let left = Mirror(reflecting: a).children
    let right = Dictionary(
      Mirror(reflecting: b).children.map { ($0.label ?? "?", $0.value) },
      uniquingKeysWith: { x, _ in x })
    var out: [String] = []
    for c in left {
      let label = c.label ?? "?"
      guard let other = right[label] else {
        out.append(label)
        continue
      }
      let x = c.value as? AnyHashable
      let y = other as? AnyHashable
      if x == nil || x != y { out.append(label) }
    }
    return out
  }

  /// Fields the snapshot may leave at their default, each with the reason it holds nothing there.
  static let notStored: [String: String] = [
    "TemplateRevision.template.builtIn": "a team template's revision is never a built-in one"
  ]

  @Test func everySampleSetsEveryStoredField() {
    for (name, sample, _) in Self.entities {
      let left = Self.defaultFields(sample, path: name).filter { Self.notStored[$0] == nil }
      #expect(left.isEmpty, "set these in the sample so the round trip can see them: \(left)")
    }
  }

  @Test func everyStoredFieldSurvivesTheSnapshot() throws {
    let state = Self.sampleState()
    let image = try StateCoding.image(state)
    let decoded = try image.withUnsafeBytes { bytes in try StateCoding.decodeImage(bytes) }
    // Private notes never enter the snapshot, which holds shared state only.
    var withNote = state
    withNote.notes["note-1"] = Self.note
    withNote.noteOrder = ["note-1"]
    let noteImage = try StateCoding.image(withNote)
    #expect(noteImage == image, "a private note reached the snapshot")
    #expect(Self.defaultFields(Self.note, path: "PrivateNote").isEmpty)
    for (name, sample, read) in Self.entities {
      #expect(read(state) != nil, "\(name) is not in the sample state")
      let back = try #require(read(decoded), "\(name) did not come back from the snapshot")
      let lost = Self.differingFields(sample, back)
      #expect(lost.isEmpty, "\(name): the snapshot coding drops or changes \(lost)")
    }
  }

  @Test func theComparisonSeesADroppedField() {
    var changed = Self.experiment
    changed.result = ""
    #expect(Self.differingFields(Self.experiment, changed) == ["result"])
    #expect(Self.defaultFields(changed, path: "Experiment") == ["Experiment.result"])
  }
}
