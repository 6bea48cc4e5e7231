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

  /// A form of `kind` titled `title`.
  public init(kind: FormKind, title: String, form: FormState) {
    self.kind = kind
    self.title = title
    self.form = form
    self.initial = Self.values(of: form)
  }

  static func values(of form: FormState) -> [String: String] {
    var out: [String: String] = [:]
    for f in form.fields { out[f.id] = f.value }
    return out
  }

  /// The current values by field id.
  public var values: [String: String] { Self.values(of: form) }

  /// Whether any value differs from what the form started with.
  public var isEdited: Bool { values != initial }

  /// The value of field `id` ("" when unset; a choice's "—" counts as unset).
  public func value(_ id: String) -> String {
    let v = form.value(id) ?? ""
    return v == ActiveForm.unset ? "" : v
  }

  /// The option standing for "no answer" in a choice.
  public static let unset = "—"

  /// The draft key of this form, when its kind keeps drafts (reviews do).
  public var draftKey: String? {
    if case .review(let id, _) = kind { return "review-\(id)" }
    return nil
  }

  /// The values to keep as a draft, with what is needed to reopen the form.
  public var draftValues: [String: String] {
    var v = values
    if case .review(let id, let template) = kind {
      v["_incident"] = id
      v["_template"] = template
    }
    return v
  }

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
  mutating func setValue(_ id: String, _ value: String) {
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
