import Foundation

/// Planning the follow-through: templates and checklists revised, factors, timeline entries.
extension LearningState {
  /// The full id of the incident `because` names, or nil when none is given.
  func becauseIncident(_ because: String?) throws -> String? {
    guard let b = because?.trimmingCharacters(in: .whitespaces), !b.isEmpty else { return nil }
    return try resolve(b, .incident)
  }

  func planAddTemplate(
    _ name: String, _ title: String, _ questions: [Question], _ team: String, _ because: String?,
    _ ctx: CommandContext
  ) throws -> Plan {
    let key = Self.objectName(name)
    guard !key.isEmpty else {
      throw DomainError(
        "template name '\(DomainError.echo(name))' has no letters or digits; use a name like team-retro"
      )
    }
    if template(named: key) != nil {
      throw DomainError("template '\(key)' already exists; revise it or pick another name")
    }
    try validateQuestions(questions)
    let cause = try becauseIncident(because)
    var body: [String: JSONValue] = [
      "name": .string(key), "title": .string(title.isEmpty ? key : title),
      "questions": .array(questions.map(\.json)),
    ]
    let t = team.trimmingCharacters(in: .whitespaces)
    if !t.isEmpty { body["team"] = .string(t) }
    if let cause { body["because"] = .string(cause) }
    return Plan(shared: [draft(EventType.templateCreated, key, body, ctx)], createdID: key)
  }

  /// The team template named `name` (as typed or normalised), or an error naming the fix.
  func teamTemplateName(_ name: String) throws -> String {
    let key = templateRevisions[name] != nil ? name : Self.objectName(name)
    if ReviewTemplate.builtIns.contains(where: { $0.name == key }) {
      throw DomainError(
        "template '\(key)' is built in; add a team template with another name instead")
    }
    guard templateRevisions[key] != nil else {
      throw DomainError(
        "no team template '\(DomainError.echo(name))'; add it with `learnlog template add` or list them with `learnlog template list`"
      )
    }
    return key
  }

  func planChangeTemplate(_ change: TemplateChange, _ ctx: CommandContext) throws -> Plan {
    let key = try teamTemplateName(change.name)
    guard let current = templateRevisions[key]?.last?.template else {
      throw DomainError("no team template '\(DomainError.echo(change.name))'")
    }
    if change.set.isEmpty && change.remove.isEmpty && change.title == nil {
      throw DomainError(
        "nothing to revise; give --question KEY:KIND:PROMPT, --remove KEY or --title")
    }
    var questions = current.questions
    for k in change.remove {
      let r = k.trimmingCharacters(in: .whitespaces).lowercased()
      guard questions.contains(where: { $0.key == r }) else {
        throw DomainError(
          "template \(key) has no question '\(DomainError.echo(k))'; use one of \(questions.map(\.key).joined(separator: ", "))"
        )
      }
      questions.removeAll { $0.key == r }
    }
    for q in change.set {
      if let i = questions.firstIndex(where: { $0.key == q.key }) {
        questions[i] = q
      } else {
        questions.append(q)
      }
    }
    try validateQuestions(questions)
    let title = change.title?.trimmingCharacters(in: .whitespaces)
    if questions == current.questions && (title == nil || title == current.title) {
      throw DomainError("template \(key) already reads like that; nothing to revise")
    }
    let cause = try becauseIncident(change.because)
    var body: [String: JSONValue] = [
      "name": .string(key), "questions": .array(questions.map(\.json)),
    ]
    if let title, !title.isEmpty { body["title"] = .string(title) }
    if let cause { body["because"] = .string(cause) }
    return Plan(shared: [draft(EventType.templateRevised, key, body, ctx)], createdID: key)
  }

  /// Items trimmed, empty ones refused, repeats refused.
  func cleanItems(_ items: [String], field: String) throws -> [String] {
    var out: [String] = []
    for (n, raw) in items.enumerated() {
      let t = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !t.isEmpty else {
        throw DomainError("\(field) number \(n + 1) is empty; give the item's text")
      }
      guard
        !t.unicodeScalars.contains(where: {
          "\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0)
        })
      else {
        throw DomainError(
          "\(field) number \(n + 1) has a line break; give one line per item")
      }
      guard !out.contains(t) else {
        throw DomainError("\(field) number \(n + 1) appears twice; give each item once")
      }
      out.append(t)
    }
    return out
  }

  func planAddChecklist(_ n: NewChecklist, _ ctx: CommandContext) throws -> Plan {
    let key = Self.objectName(n.name)
    guard !key.isEmpty else {
      throw DomainError(
        "checklist name '\(DomainError.echo(n.name))' has no letters or digits; use a name like before-deploy"
      )
    }
    if checklists[key] != nil {
      throw DomainError(
        "checklist '\(key)' already exists; revise it with `learnlog checklist revise \(key)`")
    }
    let items = try cleanItems(n.items, field: "--item")
    guard !items.isEmpty else {
      throw DomainError("checklist has no items; give at least one --item TEXT")
    }
    let kind = try n.kind.map { try ChecklistKind.parse($0, field: "kind") } ?? .checklist
    let cause = try becauseIncident(n.because)
    var body: [String: JSONValue] = [
      "name": .string(key), "kind": .string(kind.rawValue),
      "team": .string(n.team.trimmingCharacters(in: .whitespaces)),
      "items": .array(items.map { .string($0) }),
    ]
    if let cause { body["because"] = .string(cause) }
    return Plan(shared: [draft(EventType.checklistCreated, key, body, ctx)], createdID: key)
  }

  func planReviseChecklist(
    _ name: String, _ add: [String], _ remove: [Int], _ because: String, _ ctx: CommandContext
  ) throws -> Plan {
    let key = checklists[name] != nil ? name : Self.objectName(name)
    guard let list = checklists[key] else {
      throw DomainError(
        "no checklist '\(DomainError.echo(name))'; add it with `learnlog checklist add` or list them with `learnlog checklist list`"
      )
    }
    guard let cause = try becauseIncident(because) else {
      throw DomainError(
        "--because is missing; name the incident that prompted this revision")
    }
    guard !add.isEmpty || !remove.isEmpty else {
      throw DomainError("nothing to revise; give --add TEXT or --remove N")
    }
    let items = list.items
    var removed: [String] = []
    for n in remove {
      guard n >= 1, n <= items.count else {
        throw DomainError(
          "--remove \(n): checklist \(key) has items 1 to \(items.count); see `learnlog checklist show \(key)`"
        )
      }
      if !removed.contains(items[n - 1]) { removed.append(items[n - 1]) }
    }
    let added = try cleanItems(add, field: "--add")
    if let n = added.firstIndex(where: { items.contains($0) && !removed.contains($0) }) {
      throw DomainError(
        "--add number \(n + 1): checklist \(key) has that item already; add something new")
    }
    let body: [String: JSONValue] = [
      "name": .string(key), "add": .array(added.map { .string($0) }),
      "remove": .array(removed.map { .string($0) }), "because": .string(cause),
    ]
    return Plan(shared: [draft(EventType.checklistRevised, key, body, ctx)], createdID: key)
  }

  func planAddFactor(_ n: NewFactor, _ ctx: inout CommandContext) throws -> Plan {
    let iid = try resolve(n.incident, .incident)
    guard let inc = incidents[iid] else {
      throw DomainError("no incident \(DomainError.echo(n.incident))")
    }
    let text = try required(n.text, "text", "say what contributed with --text")
    let gap = try GapType.parse(n.gap, field: "gap")
    let id = newID(&ctx)
    if gap == .skill {
      // A skill gap stays private: the shared log says only that it was classified privately.
      let gid = newID(&ctx)
      return Plan(
        shared: [
          draft(
            EventType.factorAdded, id,
            [
              "incident": .string(iid), "gap": .string(FactorGap.private.rawValue),
              "text": .string("classified privately"),
            ], ctx)
        ],
        private: [
          draft(
            EventType.growthCreated, gid,
            [
              "incident": .string(iid), "person": .string(inc.owner),
              "text": .string("Growth item from \"\(inc.title)\": \(text)"),
            ], ctx)
        ], createdID: id)
    }
    return Plan(
      shared: [
        draft(
          EventType.factorAdded, id,
          [
            "incident": .string(iid), "gap": .string(FactorGap(gap).rawValue),
            "text": .string(text),
          ], ctx)
      ], createdID: id)
  }

  func planAddTimelineEntry(_ n: NewTimelineEntry, _ ctx: inout CommandContext) throws -> Plan {
    let iid = try resolve(n.incident, .incident)
    guard let inc = incidents[iid] else {
      throw DomainError("no incident \(DomainError.echo(n.incident))")
    }
    let text = try required(n.text, "text", "say what happened with --text")
    let time = try LocalTime.parse(n.at, day: inc.occurred, field: "--at")
    let kind = try n.kind.map { try TimelineKind.parse($0, field: "kind") } ?? .note
    let link = n.link.trimmingCharacters(in: .whitespaces)
    if link.unicodeScalars.contains(where: {
      $0.properties.isWhitespace || Exporter.isHidden($0)
    }) {
      throw DomainError("--link holds spaces or control characters; give one URL")
    }
    let id = newID(&ctx)
    var body: [String: JSONValue] = [
      "incident": .string(iid), "time": .string(ISOTime.string(time)),
      "kind": .string(kind.rawValue), "text": .string(text),
    ]
    if !link.isEmpty { body["link"] = .string(link) }
    return Plan(shared: [draft(EventType.timelineAdded, id, body, ctx)], createdID: id)
  }
}
