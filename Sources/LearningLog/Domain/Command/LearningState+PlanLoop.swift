import Foundation

extension LearningState {
  /// Plans retiring a temporary mitigation: reverted or kept, with a reason.
  func planRetireAction(
    _ idText: String, _ decision: String, _ reason: String, _ ctx: CommandContext
  ) throws -> Plan {
    let id = try resolve(idText, .action)
    guard let a = actions[id] else { throw DomainError("no action \(idText)") }
    guard a.type == .mitigate else {
      throw DomainError(
        "action \(shortID(for: id)) is a \(a.type.rawValue) action; only a mitigation is retired")
    }
    if let done = a.retirement {
      throw DomainError(
        "action \(shortID(for: id)) was already retired (\(done.decision.rawValue)); nothing to do")
    }
    let d = try RetireDecision.parse(decision, field: "decision")
    let why = try required(reason, "reason", "say why with --reason")
    return Plan(shared: [
      draft(
        EventType.actionRetired, id, ["decision": .string(d.rawValue), "reason": .string(why)],
        ctx)
    ])
  }

  /// Plans scheduling an incident's review: a day, a facilitator, participants.
  func planScheduleReview(_ n: NewReviewSchedule, _ ctx: CommandContext) throws -> Plan {
    let iid = try resolve(n.incident, .incident)
    let on = try Day.parse(n.on, field: "on")
    guard on >= ctx.today else {
      throw DomainError("on: \(on) is before today (\(ctx.today)); pick today or a later day")
    }
    let facilitator = n.facilitator.trimmingCharacters(in: .whitespaces)
    let participants = cleanNames(n.participants)
    return Plan(shared: [
      draft(
        EventType.reviewScheduled, iid,
        [
          "on": .string(on.description), "facilitator": .string(facilitator),
          "participants": .array(participants.map { .string($0) }),
        ], ctx)
    ])
  }

  /// Plans a new win.
  func planAddWin(_ n: NewWin, _ ctx: inout CommandContext) throws -> Plan {
    let title = try required(n.title, "title", "say what went right with --title")
    let id = newID(&ctx)
    return Plan(
      shared: [
        draft(
          EventType.winAdded, id,
          [
            "title": .string(title), "team": .string(n.team.trimmingCharacters(in: .whitespaces)),
            "people": .array(cleanNames(n.people).map { .string($0) }),
          ], ctx)
      ], createdID: id)
  }
}
