import Foundation

extension LearningState {
  /// Plans `commands` as one write: each against this state plus the drafts planned before it.
  ///
  /// The result holds every command's shared drafts, then every private draft, in order; its
  /// `createdID` is the first entity a command created. Throws the first command's
  /// ``DomainError`` (nothing is planned then), so a form's save is all or nothing.
  public func plan(_ commands: [Command], context: CommandContext) throws -> Plan {
    if commands.count == 1 { return try plan(commands[0], context: context) }
    var all = Plan()
    var scratch = self
    var provisional = 0
    for command in commands {
      let plan = try scratch.plan(command, context: context)
      for draft in plan.shared {
        provisional += 1
        scratch.apply(scratch.provisionalRecord(draft, number: provisional, now: context.now))
      }
      all.shared += plan.shared
      all.private += plan.private
      if all.createdID == nil { all.createdID = plan.createdID }
    }
    return all
  }

  /// A record standing for `draft` until the store stamps it: later than every record applied.
  func provisionalRecord(_ draft: RecordDraft, number: Int, now: Int64) -> Record {
    let wall = Swift.max(now, (lastClock?.wall ?? 0) + 1)
    return Record(
      id: EventID(rawValue: "planned-\(number)"), clock: HybridTimestamp(wall: wall, logical: 0),
      writer: "~planned", type: draft.type, schema: draft.schema, entity: draft.entity,
      body: draft.body)
  }
}
