import LearningLog
import TerminalUI

/// The forms of the follow-through, each reached from an incident: a contributing factor, a
/// timeline entry, and "this led to a change" to a checklist or a template.
extension FormCatalog {
  /// The option that starts a new checklist or template instead of revising one.
  static let newOne = "(new)"

  /// `field`, used only while choice `choice` is at `(new)` (a new one's name, say).
  static func onlyNew(_ field: FormField, _ choice: String, _ what: String) -> FormField {
    var f = field
    f.dependency = FieldDependency(
      choice: choice, onlyWith: [newOne],
      message: "the name is for a new \(what): choose (new), or clear the name")
    return f
  }

  /// `field`, used only while choice `choice` is set (not "—"), or not (new) when `existing`.
  static func needs(
    _ field: FormField, _ choice: String, _ message: String, existing: Bool = false
  ) -> FormField {
    var f = field
    f.dependency = FieldDependency(
      choice: choice, ignoredWith: existing ? [ActiveForm.unset, newOne] : [ActiveForm.unset],
      message: message)
    return f
  }

  /// The follow-through form for `kind`, or nil when `kind` is another form or its incident is
  /// gone.
  static func makeFollowUp(_ kind: FormKind, context: ViewContext) -> ActiveForm? {
    let domain = context.domain
    switch kind {
    case .addFactor(let id):
      guard domain.incidents.contains(id) else { return nil }
      return ActiveForm(
        kind: kind, title: "Add contributing factor",
        form: FormState(fields: [
          area("text", "What contributed", height: 2),
          choice(
            "gap", "Gap type (skill stays private)", GapType.ordered.map(\.rawValue), "process"),
        ]))
    case .addTimelineEntry(let id):
      guard domain.incidents.contains(id) else { return nil }
      return ActiveForm(
        kind: kind, title: "Add timeline entry",
        form: FormState(fields: [
          text("at", "When (HH:MM on its day, or YYYY-MM-DDTHH:MM)", required: true),
          choice("kind", "Kind", TimelineKind.ordered.map(\.rawValue), "note"),
          text("text", "What happened", required: true),
          text("link", "Link (shown in full)"),
        ]))
    case .changeChecklist(let id):
      guard domain.incidents.contains(id) else { return nil }
      return ActiveForm(
        kind: kind, title: "This led to a checklist change",
        form: FormState(fields: [
          choice(
            "checklist", "Checklist", [newOne] + domain.checklistList.map(\.name), newOne),
          onlyNew(text("name", "Name of a new checklist"), "checklist", "checklist"),
          choice("kind", "Kind (a new one)", ChecklistKind.ordered.map(\.rawValue), "checklist"),
          area("items", "Items to add (one a line)", height: 3),
          needs(
            text("remove", "Item numbers to remove (comma-separated)"), "checklist",
            "items are removed from an existing checklist: choose it, or clear the numbers",
            existing: true),
        ]))
    case .changeTemplate(let id):
      guard domain.incidents.contains(id) else { return nil }
      return ActiveForm(
        kind: kind, title: "This led to a template change",
        form: FormState(fields: [
          choice("template", "Template", [newOne] + domain.templateNames, newOne),
          onlyNew(text("name", "Name of a new template"), "template", "template"),
          area("questions", "Questions to add or replace, KEY:KIND:PROMPT (one a line)", height: 3),
          needs(
            text("remove", "Question keys to remove (comma-separated)"), "template",
            "questions are removed from an existing template: choose it, or clear the keys",
            existing: true),
        ]))
    default:
      return nil
    }
  }

  /// The commands a filled follow-through form saves (nil for other forms).
  static func followUpCommands(_ f: ActiveForm, context: ViewContext) -> Result<
    [Command], FormProblem
  >? {
    func lines(_ id: String) -> [String] {
      f.value(id).split(whereSeparator: \.isNewline).map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty }
    }
    func index(_ id: String) -> Int { f.form.fields.firstIndex { $0.id == id } ?? 0 }
    switch f.kind {
    case .addFactor(let id):
      return .success([
        .addFactor(NewFactor(incident: id, text: f.value("text"), gap: f.value("gap")))
      ])
    case .addTimelineEntry(let id):
      return .success([
        .addTimelineEntry(
          NewTimelineEntry(
            incident: id, at: f.value("at"), text: f.value("text"), kind: f.value("kind"),
            link: f.value("link")))
      ])
    case .changeChecklist(let id):
      let team = context.domain.incidents[id]?.team ?? ""
      if f.value("checklist") == newOne {
        return .success([
          .addChecklist(
            NewChecklist(
              name: f.value("name"), items: lines("items"), kind: f.value("kind"), team: team,
              because: id))
        ])
      }
      var numbers: [Int] = []
      for n in splitList(f.value("remove")) {
        guard let v = Int(n) else {
          return .failure(
            FormProblem(field: index("remove"), message: "'\(n)' is not an item number"))
        }
        numbers.append(v)
      }
      return .success([
        .reviseChecklist(
          name: f.value("checklist"), add: lines("items"), remove: numbers, because: id)
      ])
    case .changeTemplate(let id):
      var questions: [Question] = []
      for l in lines("questions") {
        do {
          questions.append(try Question.parseSpec(l))
        } catch let e as DomainError {
          return .failure(FormProblem(field: index("questions"), message: e.message))
        } catch {
          return .failure(FormProblem(field: index("questions"), message: "\(error)"))
        }
      }
      if f.value("template") == newOne {
        return .success([
          .addTemplate(
            name: f.value("name"), title: "", questions: questions,
            team: context.domain.incidents[id]?.team ?? "", because: id)
        ])
      }
      return .success([
        .changeTemplate(
          TemplateChange(
            name: f.value("template"), set: questions, remove: splitList(f.value("remove")),
            because: id))
      ])
    default:
      return nil
    }
  }

  /// Whether `id` is one of the review form's follow-through fields (not an answer).
  static func isFollowUpField(_ id: String) -> Bool { id.hasPrefix("+") }

  /// The review form's last fields: add a factor, a timeline entry, and "this led to a
  /// change" to a checklist, all saved with the review.
  static func reviewFollowUpFields(_ domain: LearningState) -> [FormField] {
    [
      text("+factor", "Add a contributing factor (optional)"),
      choice(
        "+factor-gap", "… its gap type", [ActiveForm.unset] + GapType.ordered.map(\.rawValue),
        ActiveForm.unset),
      text("+timeline-at", "Add a timeline entry: when (HH:MM or YYYY-MM-DDTHH:MM)"),
      text("+timeline-text", "… what happened"),
      choice(
        "+change", "This led to a checklist change",
        [ActiveForm.unset, newOne] + domain.checklistList.map(\.name), ActiveForm.unset),
      onlyNew(text("+change-name", "… name of a new checklist"), "+change", "checklist"),
      needs(
        text("+change-item", "… the item it adds"), "+change",
        "choose the checklist the item changes, or (new)"),
      choice(
        "+template", "This led to a template change",
        [ActiveForm.unset, newOne] + domain.templateNames, ActiveForm.unset),
      onlyNew(text("+template-name", "… name of a new template"), "+template", "template"),
      needs(
        text("+template-question", "… the question it adds or replaces (KEY:KIND:PROMPT)"),
        "+template", "choose the template the question changes, or (new)"),
    ]
  }

  /// The commands of the review form's follow-through fields, or what to fix.
  static func reviewFollowUpCommands(_ f: ActiveForm, incident id: String, team: String) -> Result<
    [Command], FormProblem
  > {
    func index(_ field: String) -> Int { f.form.fields.firstIndex { $0.id == field } ?? 0 }
    func given(_ field: String) -> String? {
      let v = f.value(field).trimmingCharacters(in: .whitespacesAndNewlines)
      return v.isEmpty ? nil : v
    }
    var out: [Command] = []
    if let factor = given("+factor") {
      guard let gap = given("+factor-gap") else {
        return .failure(
          FormProblem(field: index("+factor-gap"), message: "choose the factor's gap type"))
      }
      out.append(.addFactor(NewFactor(incident: id, text: factor, gap: gap)))
    }
    if let what = given("+timeline-text") {
      guard let at = given("+timeline-at") else {
        return .failure(
          FormProblem(field: index("+timeline-at"), message: "give the timeline entry's time"))
      }
      out.append(.addTimelineEntry(NewTimelineEntry(incident: id, at: at, text: what)))
    } else if given("+timeline-at") != nil {
      return .failure(
        FormProblem(field: index("+timeline-text"), message: "say what happened at that time"))
    }
    if let change = given("+change") {
      guard let item = given("+change-item") else {
        return .failure(
          FormProblem(field: index("+change-item"), message: "give the item the change adds"))
      }
      if change == newOne {
        out.append(
          .addChecklist(
            NewChecklist(name: f.value("+change-name"), items: [item], because: id)))
      } else {
        out.append(.reviseChecklist(name: change, add: [item], remove: [], because: id))
      }
    }
    if let template = given("+template") {
      // The same change `template add` / `template revise … --because` makes.
      guard let spec = given("+template-question") else {
        return .failure(
          FormProblem(
            field: index("+template-question"),
            message: "give the question the change adds, as KEY:KIND:PROMPT"))
      }
      let question: Question
      do {
        question = try Question.parseSpec(spec)
      } catch let e as DomainError {
        return .failure(FormProblem(field: index("+template-question"), message: e.message))
      } catch {
        return .failure(FormProblem(field: index("+template-question"), message: "\(error)"))
      }
      if template == newOne {
        out.append(
          .addTemplate(
            name: f.value("+template-name"), title: "", questions: [question], team: team,
            because: id))
      } else {
        out.append(
          .changeTemplate(TemplateChange(name: template, set: [question], remove: [], because: id)))
      }
    } else if given("+template-question") != nil {
      return .failure(
        FormProblem(
          field: index("+template"), message: "choose the template the question changes, or (new)"))
    }
    return .success(out)
  }
}
