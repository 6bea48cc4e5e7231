import LearningLog
import TerminalUI

/// Builds each form and turns a filled form into commands.
public enum FormCatalog {
  static func text(_ id: String, _ label: String, _ value: String = "", required: Bool = false)
    -> FormField
  {
    FormField(id: id, label: label, kind: .text(TextEditState(value)), isRequired: required)
  }
  static func area(_ id: String, _ label: String, _ value: String = "", height: Int = 3)
    -> FormField
  {
    FormField(id: id, label: label, kind: .textArea(TextAreaState(value)), height: height)
  }
  static func date(_ id: String, _ label: String, _ value: String = "", required: Bool = false)
    -> FormField
  {
    FormField(id: id, label: label, kind: .date(TextEditState(value)), isRequired: required)
  }
  static func choice(_ id: String, _ label: String, _ options: [String], _ value: String)
    -> FormField
  {
    FormField(
      id: id, label: label,
      kind: .choice(ChoiceState(options: options, index: options.firstIndex(of: value) ?? 0)))
  }

  /// The form for `kind`, or nil when what it is about no longer exists.
  public static func make(_ kind: FormKind, context: ViewContext) -> ActiveForm? {
    let domain = context.domain
    switch kind {
    case .addFactor, .addTimelineEntry, .changeChecklist, .changeTemplate:
      return makeFollowUp(kind, context: context)
    case .addExperiment, .decideExperiment, .scheduleReview, .retireMitigation, .addWin, .addNote,
      .addPrivateNote:
      return makeLoop(kind, context: context)
    case .review(let id, let template):
      guard let inc = domain.incidents[id] else { return nil }
      let questions = domain.reviewQuestions(for: inc, template: template)
      let fields = questions.map { q -> FormField in
        let current = inc.answer(q.key) ?? ""
        switch q.kind {
        case .line: return text(q.key, q.prompt, current)
        case .text: return area(q.key, q.prompt, current)
        case .date: return date(q.key, q.prompt, current)
        case .choice:
          return choice(q.key, q.prompt, [ActiveForm.unset] + q.choices, current)
        }
      }
      let t = domain.template(named: template)?.title ?? template
      return ActiveForm(
        kind: kind, title: "Review · \(t)",
        form: FormState(fields: fields + reviewFollowUpFields(domain)))
    case .newIncident:
      return ActiveForm(
        kind: kind, title: "New incident",
        form: FormState(fields: [
          text("title", "Title", required: true),
          area("what", "What happened"),
          choice("kind", "Kind", IncidentKind.allCases.map(\.rawValue), "production"),
          choice("severity", "Severity", Severity.allCases.map(\.rawValue), "medium"),
          date("occurred", "Occurred (YYYY-MM-DD)", context.today.description, required: true),
          text("team", "Team"),
          text("owner", "Owner"),
          text("tags", "Tags (comma-separated)"),
          text("triggers", "Triggers (comma-separated)"),
          text("patterns", "Pattern keys (comma-separated)"),
        ]))
    case .editIncident(let id):
      guard let inc = domain.incidents[id] else { return nil }
      return ActiveForm(
        kind: kind, title: "Edit incident",
        form: FormState(fields: [
          text("title", "Title", inc.title, required: true),
          area("what", "What happened", inc.what),
          choice("kind", "Kind", IncidentKind.allCases.map(\.rawValue), inc.kind.rawValue),
          choice("severity", "Severity", Severity.allCases.map(\.rawValue), inc.severity.rawValue),
          date("occurred", "Occurred (YYYY-MM-DD)", inc.occurred.description, required: true),
          text("team", "Team", inc.team),
          text("owner", "Owner", inc.owner),
          text("tags", "Tags (comma-separated)", inc.tags.joined(separator: ", ")),
          text("triggers", "Triggers (comma-separated)", inc.triggers.joined(separator: ", ")),
          choice("status", "Status", IncidentStatus.allCases.map(\.rawValue), inc.status.rawValue),
        ]))
    case .setPatterns(let id):
      guard let inc = domain.incidents[id] else { return nil }
      return ActiveForm(
        kind: kind, title: "Set pattern",
        form: FormState(fields: [
          text("patterns", "Pattern keys (comma-separated)", inc.patterns.joined(separator: ", "))
        ]))
    case .addAction(let id):
      guard domain.incidents.contains(id) else { return nil }
      return ActiveForm(
        kind: kind, title: "Add action",
        form: FormState(fields: [
          text("title", "Title", required: true),
          text("owner", "Owner (one person)", required: true),
          date(
            "due", "Due (YYYY-MM-DD)", context.today.adding(days: 14).description, required: true),
          date("review", "Review on (default due + 14)"),
          choice("type", "Type", ActionType.allCases.map(\.rawValue), "prevent"),
          text("signal", "Expected signal (what we will see if it worked)"),
        ]))
    case .addLesson(let id):
      let inc = id.flatMap { domain.incidents[$0] }
      return ActiveForm(
        kind: kind, title: "Add lesson",
        form: FormState(fields: [
          area("text", "What we learned"),
          text("teams", "Teams it concerns (comma-separated)", inc?.team ?? ""),
          text("tags", "Tags (comma-separated)", inc?.tags.joined(separator: ", ") ?? ""),
          date(
            "revalidate", "Revalidate on (YYYY-MM-DD)", context.today.adding(days: 90).description),
        ]))
    case .revalidateLesson(let id):
      guard domain.lessons[id] != nil else { return nil }
      return ActiveForm(
        kind: kind, title: "Revalidate lesson",
        form: FormState(fields: [
          date(
            "next", "Still true. Next revalidation (YYYY-MM-DD)",
            context.today.adding(days: 90).description)
        ]))
    }
  }

  /// The commands a filled form saves, or a one-line message saying what to fix.
  public static func commands(_ f: ActiveForm, context: ViewContext) -> Result<
    [Command], FormProblem
  > {
    if let p = f.form.firstProblem {
      return .failure(FormProblem(field: p.field, message: p.message))
    }
    func opt(_ id: String) -> String? {
      let v = f.value(id).trimmingCharacters(in: .whitespaces)
      return v.isEmpty ? nil : v
    }
    if let result = followUpCommands(f, context: context) { return result }
    if let result = loopCommands(f, context: context) { return result }
    switch f.kind {
    case .addFactor, .addTimelineEntry, .changeChecklist, .changeTemplate, .addExperiment,
      .decideExperiment, .scheduleReview, .retireMitigation, .addWin, .addNote, .addPrivateNote:
      return .success([])
    case .review(let id, let template):
      let followUps: [Command]
      let team = context.domain.incidents[id]?.team ?? ""
      switch reviewFollowUpCommands(f, incident: id, team: team) {
      case .failure(let p): return .failure(p)
      case .success(let c): followUps = c
      }
      let answers = f.form.fields.filter { !isFollowUpField($0.id) }.compactMap {
        field -> ReviewAnswer? in
        let v = f.value(field.id)
        let old = f.initial[field.id].map { $0 == ActiveForm.unset ? "" : $0 } ?? ""
        // The log keeps every version; an emptied field is not a new answer.
        let blank = v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        return v == old || blank ? nil : ReviewAnswer(key: field.id, value: v)
      }
      guard !answers.isEmpty else { return .success(followUps) }
      return .success([.review(incident: id, template: template, answers: answers)] + followUps)
    case .newIncident:
      return .success([
        .addIncident(
          NewIncident(
            title: f.value("title"), what: f.value("what"), kind: f.value("kind"),
            severity: f.value("severity"), team: f.value("team"), owner: f.value("owner"),
            tags: splitList(f.value("tags")), triggers: splitList(f.value("triggers")),
            patterns: splitList(f.value("patterns")), occurred: opt("occurred")))
      ])
    case .editIncident(let id):
      return .success(
        f.form.fields.compactMap { field in
          let v = f.value(field.id)
          return v == (f.initial[field.id] ?? "")
            ? nil : .setIncidentField(incident: id, field: field.id, value: v)
        })
    case .setPatterns(let id):
      return .success([.setPatterns(incident: id, keys: splitList(f.value("patterns")))])
    case .addAction(let id):
      return .success([
        .addAction(
          NewAction(
            incident: id, title: f.value("title"), owner: f.value("owner"), due: f.value("due"),
            review: opt("review"), type: f.value("type"), signal: f.value("signal")))
      ])
    case .addLesson(let id):
      guard opt("text") != nil else {
        return .failure(FormProblem(field: 0, message: "What we learned is required"))
      }
      return .success([
        .addLesson(
          NewLesson(
            text: f.value("text"), incidents: id.map { [$0] } ?? [],
            teams: splitList(f.value("teams")), tags: splitList(f.value("tags")),
            revalidate: opt("revalidate")))
      ])
    case .revalidateLesson(let id):
      return .success([.revalidateLesson(id, next: opt("next"))])
    }
  }

  /// A new incident as typed so far (for live pattern suggestions and lessons): its
  /// description's first `whatLimit` clusters, so a key costs the same however long it grows.
  static func draftIncident(_ f: ActiveForm, whatLimit: Int = 2_000) -> NewIncident {
    NewIncident(
      title: f.value("title"), what: f.prefix("what", whatLimit),
      tags: splitList(f.value("tags")), triggers: splitList(f.value("triggers")),
      patterns: splitList(f.value("patterns")))
  }
}

/// What keeps a form from being saved.
public struct FormProblem: Error, Hashable, Sendable {
  /// The index of the field at fault.
  public var field: Int
  /// One line saying what to fix.
  public var message: String
}
