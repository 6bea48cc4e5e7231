import LearningLog
import TerminalUI

/// The forms of the closed loop: an experiment for any incident and its decision, a review
/// schedule, retiring a mitigation, a win, and a private note.
extension FormCatalog {
  /// The closed-loop form for `kind`, or nil when `kind` is another form or what it is about is
  /// gone.
  ///
  /// The kinds of a private space entry: a coaching note, or a growth item of one's own.
  static let privateKinds = ["note", "growth item"]

  static func makeLoop(_ kind: FormKind, context: ViewContext) -> ActiveForm? {
    let domain = context.domain
    switch kind {
    case .addExperiment(let id):
      guard let inc = domain.incidents[id] else { return nil }
      // The review's "What will we test next?" answer, when there is one, is the starting point.
      let next = inc.answer("hypothesis") ?? ""
      return ActiveForm(
        kind: kind, title: "Add experiment",
        form: FormState(fields: [
          text("hypothesis", "What we believe (hypothesis)", next, required: true),
          text("change", "What we change to test it"),
          text("criteria", "How we will know (criteria)", required: true),
          date(
            "check", "Check on (YYYY-MM-DD)", context.today.adding(days: 14).description,
            required: true),
        ]))
    case .decideExperiment(let id):
      guard domain.experiments[id] != nil else { return nil }
      return ActiveForm(
        kind: kind, title: "Decide the experiment",
        form: FormState(fields: [
          choice("decision", "Decision", ExperimentDecision.ordered.map(\.rawValue), "adopt"),
          area("result", "What the check showed", height: 2),
        ]))
    case .scheduleReview(let id):
      guard domain.incidents.contains(id) else { return nil }
      let current = domain.reviewSchedules[id]
      return ActiveForm(
        kind: kind, title: "Schedule the review",
        form: FormState(fields: [
          date("on", "On (YYYY-MM-DD)", current?.on.description ?? "", required: true),
          text("facilitator", "Facilitator", current?.facilitator ?? ""),
          text(
            "with", "Participants (comma-separated)",
            current?.participants.joined(separator: ", ") ?? ""),
        ]))
    case .retireMitigation(let id):
      guard domain.actions[id] != nil else { return nil }
      return ActiveForm(
        kind: kind, title: "Retire the mitigation",
        form: FormState(fields: [
          choice(
            "decision", "Revert the stopgap or keep it", RetireDecision.ordered.map(\.rawValue),
            "revert"),
          text("reason", "Why", required: true),
        ]))
    case .addWin:
      return ActiveForm(
        kind: kind, title: "Add a win",
        form: FormState(fields: [
          text("title", "What went right", required: true),
          text("team", "Team"),
          text("people", "People (comma-separated)"),
        ]))
    case .addPrivateNote:
      return ActiveForm(
        kind: kind, title: "Private note or reflection (your private file only)",
        form: FormState(fields: [
          text("incident", "About incident (id or short id)", required: true),
          choice("kind", "Kind", privateKinds, privateKinds[0]),
          area("text", "Note or reflection", height: 4),
        ]))
    case .addNote(let id):
      guard domain.incidents.contains(id) else { return nil }
      return ActiveForm(
        kind: kind, title: "Add a private note (your private file only)",
        form: FormState(fields: [area("text", "Note", height: 4)]))
    default:
      return nil
    }
  }

  /// The commands a filled closed-loop form saves (nil for other forms).
  static func loopCommands(_ f: ActiveForm, context: ViewContext) -> Result<
    [Command], FormProblem
  >? {
    switch f.kind {
    case .addPrivateNote:
      let id: String
      do {
        id = try context.domain.resolve(f.value("incident"), .incident)
      } catch let e as DomainError {
        return .failure(FormProblem(field: 0, message: e.message))
      } catch {
        return .failure(FormProblem(field: 0, message: "\(error)"))
      }
      guard !f.value("text").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        return .failure(FormProblem(field: 2, message: "the note is empty; write something"))
      }
      if f.value("kind") == privateKinds[1] {
        return .success([.addGrowthItem(incident: id, text: f.value("text"))])
      }
      return .success([.addNote(incident: id, text: f.value("text"))])
    case .addExperiment(let id):
      return .success([
        .addExperiment(
          NewExperiment(
            incident: id, hypothesis: f.value("hypothesis"), change: f.value("change"),
            criteria: f.value("criteria"), check: f.value("check")))
      ])
    case .decideExperiment(let id):
      return .success([
        .decideExperiment(id, decision: f.value("decision"), result: f.value("result"))
      ])
    case .scheduleReview(let id):
      return .success([
        .scheduleReview(
          NewReviewSchedule(
            incident: id, on: f.value("on"), facilitator: f.value("facilitator"),
            participants: splitList(f.value("with"))))
      ])
    case .retireMitigation(let id):
      return .success([
        .retireAction(id, decision: f.value("decision"), reason: f.value("reason"))
      ])
    case .addWin:
      return .success([
        .addWin(
          NewWin(
            title: f.value("title"), team: f.value("team"), people: splitList(f.value("people"))))
      ])
    case .addNote(let id):
      guard !f.value("text").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        return .failure(FormProblem(field: 0, message: "the note is empty; write something"))
      }
      return .success([.addNote(incident: id, text: f.value("text"))])
    default:
      return nil
    }
  }
}
