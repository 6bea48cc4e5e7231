import LearningLog
import TerminalUI

/// Which form is open, and what it is about.
public enum FormKind: Hashable, Sendable {
  /// The review of an incident in a template.
  case review(incident: String, template: String)
  case newIncident
  case editIncident(String)
  case setPatterns(String)
  case addAction(incident: String)
  case addLesson(incident: String?)
  case revalidateLesson(String)
  /// A contributing factor of an incident.
  case addFactor(incident: String)
  /// A timeline entry of an incident.
  case addTimelineEntry(incident: String)
  /// A new or revised checklist because of an incident.
  case changeChecklist(incident: String)
  /// A new or revised team template because of an incident.
  case changeTemplate(incident: String)
  /// An experiment for an incident (any incident).
  case addExperiment(incident: String)
  /// The result and decision of an experiment.
  case decideExperiment(String)
  /// The review schedule of an incident.
  case scheduleReview(incident: String)
  /// Retiring a temporary mitigation: revert or keep, with a reason.
  case retireMitigation(String)
  /// A win.
  case addWin
  /// A private note on an incident (the private file only).
  case addNote(incident: String)
  /// A private note or reflection added from the private space, about any incident (the
  /// private file only).
  case addPrivateNote
}

extension FormKind {
  /// Every kind of form by name, so tests and drafts can enumerate them; `name` is an exhaustive
  /// switch, so a new kind of form cannot be added without a name here.
  public enum Name: String, CaseIterable, Sendable {
    case review
    case newIncident = "new-incident"
    case editIncident = "edit-incident"
    case setPatterns = "set-patterns"
    case addAction = "add-action"
    case addLesson = "add-lesson"
    case revalidateLesson = "revalidate-lesson"
    case addFactor = "add-factor"
    case addTimelineEntry = "add-timeline-entry"
    case changeChecklist = "change-checklist"
    case changeTemplate = "change-template"
    case addExperiment = "add-experiment"
    case decideExperiment = "decide-experiment"
    case scheduleReview = "schedule-review"
    case retireMitigation = "retire-mitigation"
    case addWin = "add-win"
    case addNote = "add-note"
    case addPrivateNote = "add-private-note"

    /// How the form is called in messages ("new incident").
    public var title: String {
      switch self {
      case .review: return "review"
      case .newIncident: return "new incident"
      case .editIncident: return "incident edit"
      case .setPatterns: return "pattern keys"
      case .addAction: return "new action"
      case .addLesson: return "new lesson"
      case .revalidateLesson: return "lesson revalidation"
      case .addFactor: return "new factor"
      case .addTimelineEntry: return "new timeline entry"
      case .changeChecklist: return "checklist change"
      case .changeTemplate: return "template change"
      case .addExperiment: return "new experiment"
      case .decideExperiment: return "experiment decision"
      case .scheduleReview: return "review schedule"
      case .retireMitigation: return "mitigation retirement"
      case .addWin: return "new win"
      case .addNote: return "private note"
      case .addPrivateNote: return "private note or reflection"
      }
    }
  }

  /// The kind's name.
  public var name: Name {
    switch self {
    case .review: return .review
    case .newIncident: return .newIncident
    case .editIncident: return .editIncident
    case .setPatterns: return .setPatterns
    case .addAction: return .addAction
    case .addLesson: return .addLesson
    case .revalidateLesson: return .revalidateLesson
    case .addFactor: return .addFactor
    case .addTimelineEntry: return .addTimelineEntry
    case .changeChecklist: return .changeChecklist
    case .changeTemplate: return .changeTemplate
    case .addExperiment: return .addExperiment
    case .decideExperiment: return .decideExperiment
    case .scheduleReview: return .scheduleReview
    case .retireMitigation: return .retireMitigation
    case .addWin: return .addWin
    case .addNote: return .addNote
    case .addPrivateNote: return .addPrivateNote
    }
  }

  /// The id of the entity the form is about (an incident or a lesson), if any.
  public var subject: String? {
    switch self {
    case .review(let id, _), .editIncident(let id), .setPatterns(let id), .addAction(let id),
      .revalidateLesson(let id), .addFactor(let id), .addTimelineEntry(let id),
      .changeChecklist(let id), .changeTemplate(let id), .addExperiment(let id),
      .decideExperiment(let id), .scheduleReview(let id), .retireMitigation(let id),
      .addNote(let id):
      return id
    case .addLesson(let id): return id
    case .newIncident, .addWin, .addPrivateNote: return nil
    }
  }

  /// The key a draft of this form is kept under: one per kind and entity
  /// ("new-incident", "add-action-<incident id>", "review-<incident id>").
  public var draftKey: String {
    subject.map { "\(name.rawValue)-\($0)" } ?? name.rawValue
  }

  /// What a draft keeps besides the values to reopen this form (keys start with "_").
  public var draftIdentity: [String: String] {
    var v = ["_form": name.rawValue]
    if let subject { v["_subject"] = subject }
    if case .review(let id, let template) = self {
      v["_incident"] = id
      v["_template"] = template
    }
    return v
  }

  /// The form a draft was kept for, or nil when the draft does not say.
  ///
  /// Drafts kept before every form had them name only `_incident` and `_template`: a review.
  public init?(draft: FormDraft) {
    let v = draft.values
    let name = v["_form"].flatMap(Name.init(rawValue:)) ?? (v["_incident"] != nil ? .review : nil)
    guard let name else { return nil }
    let subject = v["_subject"] ?? v["_incident"]
    switch name {
    case .review:
      guard let id = subject else { return nil }
      self = .review(incident: id, template: v["_template"] ?? ReviewTemplate.defaultName)
    case .newIncident: self = .newIncident
    case .editIncident:
      guard let id = subject else { return nil }
      self = .editIncident(id)
    case .setPatterns:
      guard let id = subject else { return nil }
      self = .setPatterns(id)
    case .addAction:
      guard let id = subject else { return nil }
      self = .addAction(incident: id)
    case .addLesson: self = .addLesson(incident: subject)
    case .revalidateLesson:
      guard let id = subject else { return nil }
      self = .revalidateLesson(id)
    case .addFactor, .addTimelineEntry, .changeChecklist, .changeTemplate:
      guard let id = subject else { return nil }
      switch name {
      case .addFactor: self = .addFactor(incident: id)
      case .addTimelineEntry: self = .addTimelineEntry(incident: id)
      case .changeChecklist: self = .changeChecklist(incident: id)
      default: self = .changeTemplate(incident: id)
      }
    case .addWin: self = .addWin
    case .addPrivateNote: self = .addPrivateNote
    case .addExperiment, .decideExperiment, .scheduleReview, .retireMitigation, .addNote:
      guard let id = subject else { return nil }
      switch name {
      case .addExperiment: self = .addExperiment(incident: id)
      case .decideExperiment: self = .decideExperiment(id)
      case .scheduleReview: self = .scheduleReview(incident: id)
      case .retireMitigation: self = .retireMitigation(id)
      default: self = .addNote(incident: id)
      }
    }
  }
}

/// An open form: its fields, the values it started with, and how it is shown.
public struct ActiveForm: Hashable, Sendable {
  /// What the form is for.
  public var kind: FormKind
  /// The panel title.
  public var title: String
  /// The fields and focus.
  public var form: FormState
  /// The values the form started with, by field id (to tell what changed).
  public var initial: [String: String]
  /// Set after a save attempt with problems: show every field's problem.
  public var showsAllProblems = false
  /// Whether the text changed since the draft was last kept (a key only sets this; the values
  /// are gathered and encoded on the next idle tick, within a second while typing, or at exit).
  public var isDraftDirty = false
  /// Each field's revision when the form was made: a field still at it holds its initial value.
  var initialRevisions: [String: UInt64]
  /// Each field's length in clusters when the form was made (a different length is a change).
  var initialLengths: [String: Int]

  /// A form of `kind` titled `title`.
  public init(kind: FormKind, title: String, form: FormState) {
    self.kind = kind
    self.title = title
    self.form = form
    self.initial = Self.values(of: form)
    var revisions: [String: UInt64] = [:]
    var lengths: [String: Int] = [:]
    for f in form.fields {
      revisions[f.id] = f.revision
      lengths[f.id] = Self.length(f)
    }
    initialRevisions = revisions
    initialLengths = lengths
  }

  /// A field's length in clusters, found without building its value.
  static func length(_ field: FormField) -> Int {
    switch field.kind {
    case .text(let s), .date(let s): return s.characters.count
    case .textArea(let s): return s.characterCount
    case .choice(let c): return c.value.count
    }
  }

  static func values(of form: FormState) -> [String: String] {
    var out: [String: String] = [:]
    for f in form.fields { out[f.id] = f.value }
    return out
  }

  /// The current values by field id.
  public var values: [String: String] { Self.values(of: form) }

  /// Whether any value differs from what the form started with.
  ///
  /// A field not edited since (same revision) is not compared, nor one whose length changed;
  /// only an edited field of its initial length has its value compared.
  public var isEdited: Bool {
    form.fields.contains { f in
      if initialRevisions[f.id] == f.revision { return false }
      if initialLengths[f.id] != Self.length(f) { return true }
      return f.value != initial[f.id]
    }
  }

  /// The value of field `id` ("" when unset; a choice's "—" counts as unset).
  public func value(_ id: String) -> String {
    let v = form.value(id) ?? ""
    return v == ActiveForm.unset ? "" : v
  }

  /// The first `limit` clusters of field `id`'s value ("" when unset), without building the rest.
  public func prefix(_ id: String, _ limit: Int) -> String {
    guard let field = form.fields.first(where: { $0.id == id }) else { return "" }
    switch field.kind {
    case .text(let s), .date(let s): return String(s.characters.prefix(limit))
    case .textArea(let a):
      var out: [Character] = []
      for (i, line) in a.lines.enumerated() where out.count < limit {
        if i > 0 { out.append("\n") }
        out += line.characters.prefix(limit - out.count)
      }
      return String(out.prefix(limit))
    case .choice: return value(id)
    }
  }

  /// The option standing for "no answer" in a choice.
  public static let unset = "—"

  /// The draft key of this form: one draft per form kind and the entity it is about.
  public var draftKey: String { kind.draftKey }

  /// The values to keep as a draft, with what is needed to reopen the form.
  public var draftValues: [String: String] {
    values.merging(kind.draftIdentity) { _, identity in identity }
  }

  /// The draft of this form as typed now.
  public var draft: FormDraft { FormDraft(key: draftKey, values: draftValues) }

  /// The field with focus.
  public var focusedField: FormField? {
    form.fields.indices.contains(form.focus) ? form.fields[form.focus] : nil
  }

  /// Whether the focused field's cursor is at the end of its line (or the field is empty), so
  /// Ctrl-E opens `$EDITOR` instead of moving.
  public var isCursorAtLineEnd: Bool {
    guard let f = focusedField else { return false }
    switch f.kind {
    case .text(let s), .date(let s): return s.cursor == s.characters.count
    case .textArea(let s): return s.lines[s.row].cursor == s.lines[s.row].characters.count
    case .choice: return false
    }
  }
}

extension FormState {
  /// Replaces the value of field `id` (the cursor goes to the end).
  public mutating func setValue(_ id: String, _ value: String) {
    guard let i = fields.firstIndex(where: { $0.id == id }) else { return }
    switch fields[i].kind {
    case .text:
      fields[i].kind = .text(TextEditState(value.replacingOccurrences(of: "\n", with: " ")))
    case .date:
      fields[i].kind = .date(TextEditState(value.trimmingCharacters(in: .whitespacesAndNewlines)))
    case .textArea: fields[i].kind = .textArea(TextAreaState(value))
    case .choice(var c):
      if let j = c.options.firstIndex(of: value) { c.index = j }
      fields[i].kind = .choice(c)
    }
  }
}

func splitList(_ text: String) -> [String] {
  text.split(whereSeparator: { $0 == "," || $0 == ";" })
    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
