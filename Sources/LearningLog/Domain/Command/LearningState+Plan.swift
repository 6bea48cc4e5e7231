import Foundation

extension LearningState {
  /// Validates `command` against this state and returns the records to append.
  ///
  /// Throws a ``DomainError`` naming what is wrong (unknown or ambiguous id, bad date, unknown
  /// field, bad choice, missing value, invalid transition) and how to fix it; nothing is
  /// appended then.
  public func plan(_ command: Command, context: CommandContext) throws -> Plan {
    var ctx = context
    switch command {
    case .addIncident(let n): return try planAddIncident(n, &ctx)
    case .setIncidentField(let id, let field, let value):
      return try planSetField(id, field, value, ctx)
    case .review(let id, let template, let answers):
      return try planReview(id, template, answers, &ctx)
    case .addAction(let n): return try planAddAction(n, &ctx)
    case .startAction(let id): return try planActionStatus(id, .doing, reason: "", ctx)
    case .finishAction(let id): return try planActionStatus(id, .done, reason: "", ctx)
    case .moveActionBack(let id): return try planMoveActionBack(id, ctx)
    case .dropAction(let id, let reason):
      return try planActionStatus(id, .dropped, reason: reason, ctx)
    case .verifyAction(let id, let outcome, let evidence):
      let aid = try resolve(id, .action)
      guard let a = actions[aid] else { throw DomainError("no action \(DomainError.echo(id))") }
      let o = try VerificationOutcome.parse(outcome, field: "outcome")
      guard a.status == .done else {
        throw DomainError(
          "action \(shortID(for: aid)) is \(a.status.rawValue), not done; mark it done before verifying it"
        )
      }
      return Plan(shared: [
        draft(
          EventType.actionVerified, aid,
          ["outcome": .string(o.rawValue), "evidence": .string(evidence)], ctx)
      ])
    case .addExperiment(let n): return try planAddExperiment(n, &ctx)
    case .decideExperiment(let id, let decision, let result):
      let eid = try resolve(id, .experiment)
      let d = try ExperimentDecision.parse(decision, field: "decision")
      if let done = experiments[eid]?.decision {
        throw DomainError(
          "experiment \(shortID(for: eid)) was already decided (\(done.rawValue)); add a new experiment to test again"
        )
      }
      return Plan(shared: [
        draft(
          EventType.experimentDecided, eid,
          ["decision": .string(d.rawValue), "result": .string(result)], ctx)
      ])
    case .addLesson(let n): return try planAddLesson(n, &ctx)
    case .revalidateLesson(let id, let next):
      let lid = try resolve(id, .lesson)
      var body: [String: JSONValue] = ["day": .string(ctx.today.description)]
      if let next {
        let d = try Day.parse(next, field: "revalidate")
        guard d > ctx.today else {
          throw DomainError("revalidate: \(d) is not after today (\(ctx.today)); pick a later day")
        }
        body["next"] = .string(d.description)
      }
      return Plan(shared: [draft(EventType.lessonRevalidated, lid, body, ctx)])
    case .addTemplate(let name, let title, let questions, let team, let because):
      return try planAddTemplate(name, title, questions, team, because, ctx)
    case .changeTemplate(let change): return try planChangeTemplate(change, ctx)
    case .addChecklist(let n): return try planAddChecklist(n, ctx)
    case .reviseChecklist(let name, let add, let remove, let because):
      return try planReviseChecklist(name, add, remove, because, ctx)
    case .addFactor(let n): return try planAddFactor(n, &ctx)
    case .addTimelineEntry(let n): return try planAddTimelineEntry(n, &ctx)
    case .reviseTemplate(let name, let title, let questions):
      if ReviewTemplate.builtIns.contains(where: { $0.name == name }) {
        throw DomainError(
          "template '\(DomainError.echo(name))' is built in; add a team template with another name instead"
        )
      }
      guard templateRevisions[name] != nil else {
        throw DomainError("no team template '\(DomainError.echo(name))'; add it first")
      }
      try validateQuestions(questions)
      var body: [String: JSONValue] = [
        "name": .string(name), "questions": .array(questions.map(\.json)),
      ]
      if let title { body["title"] = .string(title) }
      return Plan(shared: [draft(EventType.templateRevised, name, body, ctx)])
    case .setPatterns(let id, let keys):
      let iid = try resolve(id, .incident)
      let ks = try normalisedPatterns(keys)
      return Plan(shared: [
        draft(
          EventType.incidentFieldSet, iid,
          ["field": "patterns", "value": .array(ks.map { .string($0) })], ctx)
      ])
    case .delete(let id):
      let eid = try resolve(id, nil)
      guard let kind = kind(of: eid) else { throw DomainError("no entity \(DomainError.echo(id))") }
      var drafts = [draft(EventType.entityDeleted, eid, ["kind": .string(kind.rawValue)], ctx)]
      if kind == .incident {
        for a in actions(of: eid) {
          drafts.append(draft(EventType.entityDeleted, a.id, ["kind": "action"], ctx))
        }
        for f in factors(of: eid) {
          drafts.append(draft(EventType.entityDeleted, f.id, ["kind": "factor"], ctx))
        }
        for t in timeline(of: eid) {
          drafts.append(draft(EventType.entityDeleted, t.id, ["kind": "timeline"], ctx))
        }
      }
      return Plan(shared: drafts)
    case .addNote(let id, let text):
      let iid = try resolve(id, .incident)
      let t = try required(text, "text", "give the note's text")
      let nid = newID(&ctx)
      return Plan(
        private: [
          draft(EventType.noteAdded, nid, ["incident": .string(iid), "text": .string(t)], ctx)
        ],
        createdID: nid)
    case .addGrowthItem(let id, let text):
      let iid = try resolve(id, .incident)
      let t = try required(text, "text", "give the growth item's text")
      let gid = newID(&ctx)
      return Plan(
        private: [
          draft(
            EventType.growthCreated, gid,
            [
              "incident": .string(iid), "person": .string(ctx.author ?? ""),
              "text": .string(t),
            ], ctx)
        ],
        createdID: gid)
    case .retireAction(let id, let decision, let reason):
      return try planRetireAction(id, decision, reason, ctx)
    case .scheduleReview(let n): return try planScheduleReview(n, ctx)
    case .addWin(let n): return try planAddWin(n, &ctx)
    }
  }

  // MARK: pieces

  func draft(_ type: String, _ entity: String, _ body: [String: JSONValue], _ ctx: CommandContext)
    -> RecordDraft
  {
    var b = body
    if let who = ctx.author, !who.isEmpty { b["by"] = .string(who) }
    return RecordDraft(type: type, schema: 1, entity: entity, body: .object(b))
  }

  func newID(_ ctx: inout CommandContext) -> String {
    var id = ctx.makeID()
    var tries = 0
    while (kind(of: id) != nil || tombstones.contains(id)) && tries < 100 {
      id = ctx.makeID()
      tries += 1
    }
    return id
  }

  func required(_ value: String, _ field: String, _ fix: String) throws -> String {
    let t = value.trimmedSpacesAndNewlines()
    guard !t.isEmpty else { throw DomainError("\(field) is missing; \(fix)") }
    return t
  }

  /// `value` trimmed, refused when it names more than one person (`lena, omar`): an owner is
  /// the one person who answers for it.
  func onePerson(_ value: String) throws -> String {
    let t = value.trimmedSpacesAndNewlines()
    // Two or more names joined by a list separator; other text (a handle, an address) passes.
    func isName(_ part: String) -> Bool {
      !part.isEmpty
        && part.unicodeScalars.allSatisfy {
          $0.properties.isAlphabetic || " .'-’@_".unicodeScalars.contains($0)
        }
    }
    // Most owners hold no separator at all: nothing to split (the splits below are slow).
    if !Self.mayJoinNames(t) { return t }
    for separator in [",", ";", "&", "/", "+", " and "] {
      let parts = t.lowercased().components(separatedBy: separator)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count > 1, parts.allSatisfy(isName) else { continue }
      let first =
        t.components(separatedBy: separator.trimmingCharacters(in: .whitespaces)).first?
        .trimmingCharacters(in: .whitespaces) ?? t
      throw DomainError(
        "owner: '\(t)' names more than one person; an owner is one person: give one name, such as '\(first)'"
      )
    }
    return t
  }

  /// Whether `text` holds one of ``onePerson(_:)``'s separators: `,` `;` `&` `/` `+` or
  /// ` and ` in any case (no other letter lowercases to `a`, `n` or `d`).
  static func mayJoinNames(_ text: String) -> Bool {
    let u = Array(text.utf8)
    for (i, b) in u.enumerated() {
      switch b {
      case 0x2C, 0x3B, 0x26, 0x2F, 0x2B: return true
      case 0x20:
        if i + 4 < u.count, u[i + 1] | 0x20 == 0x61, u[i + 2] | 0x20 == 0x6E,
          u[i + 3] | 0x20 == 0x64, u[i + 4] == 0x20
        {
          return true
        }
      default: continue
      }
    }
    return false
  }

  func cleanList(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    var out: [String] = []
    for v in values {
      let t = v.trimmedSpaces().lowercased()
      if !t.isEmpty, seen.insert(t).inserted { out.append(t) }
    }
    return out
  }

  func cleanNames(_ values: [String]) -> [String] {
    var seen: Set<String> = []
    var out: [String] = []
    for v in values {
      let t = v.trimmedSpaces()
      if !t.isEmpty, seen.insert(t).inserted { out.append(t) }
    }
    return out
  }

  func normalisedPatterns(_ keys: [String]) throws -> [String] {
    var out: [String] = []
    for k in keys where !k.trimmingCharacters(in: .whitespaces).isEmpty {
      let n = try PatternKey.parse(k)
      if !out.contains(n) { out.append(n) }
    }
    return out
  }

  func normalisedTriggers(_ values: [String]) -> [String] {
    var out: [String] = []
    for v in values {
      if let k = Trigger.normalise(v), !out.contains(k) { out.append(k) }
    }
    return out
  }

  static func splitList(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == "," || $0 == ";" }).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  func validateQuestions(_ questions: [Question]) throws {
    guard !questions.isEmpty else {
      throw DomainError("template has no questions; give at least one key and prompt")
    }
    var keys: Set<String> = []
    for q in questions {
      guard !q.key.isEmpty, PatternKey.normalise(q.key) == q.key, !q.key.contains("/") else {
        throw DomainError(
          "question key '\(DomainError.echo(q.key))' must be lowercase words joined by '-', e.g. root-cause"
        )
      }
      guard keys.insert(q.key).inserted else {
        throw DomainError(
          "question key '\(DomainError.echo(q.key))' appears twice; give each question its own key")
      }
      guard !q.prompt.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw DomainError(
          "question '\(DomainError.echo(q.key))' has no prompt; give the question text")
      }
      if q.kind == .choice && q.choices.isEmpty {
        throw DomainError(
          "question '\(DomainError.echo(q.key))' is a choice without choices; list the choices")
      }
    }
  }

  func planAddIncident(_ n: NewIncident, _ ctx: inout CommandContext) throws -> Plan {
    let title = try required(n.title, "title", "give a short title with --title")
    let kind = try n.kind.map { try IncidentKind.parse($0, field: "kind") } ?? .other
    let severity = try n.severity.map { try Severity.parse($0, field: "severity") } ?? .medium
    let occurred = try n.occurred.map { try Day.parse($0, field: "occurred") } ?? ctx.today
    guard occurred <= ctx.today else {
      throw DomainError(
        "occurred: \(occurred) is in the future (today is \(ctx.today)); give the day it happened")
    }
    let patterns = try normalisedPatterns(n.patterns)
    let id = newID(&ctx)
    let body: [String: JSONValue] = [
      "title": .string(title), "what": .string(n.what), "kind": .string(kind.rawValue),
      "severity": .string(severity.rawValue), "occurred": .string(occurred.description),
      "team": .string(n.team.trimmedSpaces()),
      "owner": .string(try onePerson(n.owner)),
      "tags": .array(cleanList(n.tags).map { .string($0) }),
      "triggers": .array(normalisedTriggers(n.triggers).map { .string($0) }),
      "patterns": .array(patterns.map { .string($0) }),
    ]
    return Plan(shared: [draft(EventType.incidentCreated, id, body, ctx)], createdID: id)
  }

  func planSetField(_ idText: String, _ fieldText: String, _ value: String, _ ctx: CommandContext)
    throws -> Plan
  {
    let id = try resolve(idText, .incident)
    guard let inc = incidents[id] else {
      throw DomainError("no incident \(DomainError.echo(idText))")
    }
    let field = fieldText.lowercased()
    var v: JSONValue
    switch field {
    case "title": v = .string(try required(value, "title", "give a non-empty title"))
    case "what", "team": v = .string(value.trimmingCharacters(in: .whitespaces))
    case "owner": v = .string(try onePerson(value))
    case "kind": v = .string(try IncidentKind.parse(value, field: "kind").rawValue)
    case "severity": v = .string(try Severity.parse(value, field: "severity").rawValue)
    case "occurred":
      let d = try Day.parse(value, field: "occurred")
      guard d <= ctx.today else {
        throw DomainError(
          "occurred: \(d) is in the future (today is \(ctx.today)); give the day it happened")
      }
      v = .string(d.description)
    case "tags": v = .array(cleanList(Self.splitList(value)).map { .string($0) })
    case "triggers": v = .array(normalisedTriggers(Self.splitList(value)).map { .string($0) })
    case "patterns": v = .array(try normalisedPatterns(Self.splitList(value)).map { .string($0) })
    case "status":
      let s = try IncidentStatus.parse(value, field: "status")
      if s == .reviewed || s == .closed {
        let rs = reviewStatus(inc)
        if !rs.isComplete {
          throw DomainError(
            "incident \(shortID(for: id)) cannot be \(s.rawValue): the review lacks \(rs.missing[0])"
          )
        }
      }
      v = .string(s.rawValue)
    default:
      throw DomainError(
        "unknown field '\(DomainError.echo(fieldText))'; use one of \(Incident.settableFields.joined(separator: ", "))"
      )
    }
    return Plan(shared: [
      draft(EventType.incidentFieldSet, id, ["field": .string(field), "value": v], ctx)
    ])
  }

  func planReview(
    _ idText: String, _ templateName: String?, _ answers: [ReviewAnswer],
    _ ctx: inout CommandContext
  ) throws -> Plan {
    let id = try resolve(idText, .incident)
    guard let inc = incidents[id] else {
      throw DomainError("no incident \(DomainError.echo(idText))")
    }
    let name = templateName ?? inc.template
    guard template(named: name) != nil else {
      let names = templates.map(\.name).joined(separator: ", ")
      throw DomainError("no template '\(DomainError.echo(name))'; use one of \(names)")
    }
    guard !answers.isEmpty else {
      throw DomainError("no answers given; add --answer KEY=TEXT for each question you answer")
    }
    let questions = reviewQuestions(for: inc, template: name)
    // A team template's answers name the revision that asked them.
    let revision = templateRevisions[name]?.last?.number
    var shared: [RecordDraft] = []
    var priv: [RecordDraft] = []
    var updated = self
    for a in answers {
      let key = a.key.trimmingCharacters(in: .whitespaces).lowercased()
      guard let q = questions.first(where: { $0.key == key }) else {
        throw DomainError(
          "template \(DomainError.echo(name)) has no question '\(DomainError.echo(a.key))'; use one of \(questions.map(\.key).joined(separator: ", "))"
        )
      }
      guard !a.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw DomainError(
          "answer \(DomainError.echo(key)) is empty; give some text or leave it out")
      }
      let typed = try q.validate(a.value)
      // A skill gap is written as `private`: the detail goes to the private file only.
      let value = key == "gap" ? SharedGap.shown(typed) : typed
      if inc.answer(key) == value && inc.template == name
        && (inc.answers[key]?.last?.revision ?? 0) == (revision ?? 0)
      {
        continue
      }
      var body: [String: JSONValue] = [
        "template": .string(name), "key": .string(key), "value": .string(value),
      ]
      if let revision { body["revision"] = .int(revision) }
      shared.append(draft(EventType.reviewAnswered, id, body, ctx))
      updated.incidents[id]?.answers[key, default: []].append(
        AnswerVersion(
          key: key, value: value, template: name, at: ctx.now, by: ctx.author ?? "",
          revision: revision ?? 0))
      if key == "gap", typed == GapType.skill.rawValue, inc.answer("gap") != value {
        let gid = newID(&ctx)
        let cause = updated.incidents[id]?.answer("root-cause") ?? ""
        priv.append(
          draft(
            EventType.growthCreated, gid,
            [
              "incident": .string(id), "person": .string(inc.owner),
              "text": .string(
                "Growth item from \"\(inc.title)\": pair or practise on \(cause.isEmpty ? "the skill this review found" : cause)"
              ),
            ], ctx))
      }
    }
    if let u = updated.incidents[id], inc.status == .open || inc.status == .reviewing,
      updated.reviewStatus(u).isComplete
    {
      shared.append(
        draft(EventType.incidentFieldSet, id, ["field": "status", "value": "reviewed"], ctx))
    }
    return Plan(shared: shared, private: priv)
  }

  func planAddAction(_ n: NewAction, _ ctx: inout CommandContext) throws -> Plan {
    let iid = try resolve(n.incident, .incident)
    let title = try required(n.title, "title", "say what will be done with --title")
    let owner = try onePerson(
      try required(n.owner, "owner", "name the one person who owns it with --owner"))
    let due = try Day.parse(n.due, field: "due")
    let review = try n.review.map { try Day.parse($0, field: "review") } ?? due.adding(days: 14)
    guard review >= due else {
      throw DomainError("review: \(review) is before the due day \(due); pick a day on or after it")
    }
    let type = try n.type.map { try ActionType.parse($0, field: "type") } ?? .prevent
    var until: Day?
    if let u = n.until?.trimmingCharacters(in: .whitespaces), !u.isEmpty {
      guard type == .mitigate else {
        throw DomainError(
          "--until is for temporary mitigations; add --type mitigate or leave --until out")
      }
      until = try Day.parse(u, field: "until")
    }
    let id = newID(&ctx)
    var body: [String: JSONValue] = [
      "incident": .string(iid), "title": .string(title), "owner": .string(owner),
      "due": .string(due.description), "review": .string(review.description),
      "type": .string(type.rawValue), "signal": .string(n.signal),
    ]
    if let until { body["until"] = .string(until.description) }
    var shared = [draft(EventType.actionCreated, id, body, ctx)]
    if let inc = incidents[iid], inc.status == .open || inc.status == .reviewing {
      var updated = self
      updated.actions[id] = Action(
        id: id, incident: iid, title: title, owner: owner, due: due, review: review, type: type,
        signal: n.signal, status: .open, dropReason: "", verifications: [], createdAt: ctx.now,
        doneAt: nil)
      updated.actionsByIncident[iid, default: []].append(id)
      if updated.reviewStatus(inc).isComplete {
        shared.append(
          draft(EventType.incidentFieldSet, iid, ["field": "status", "value": "reviewed"], ctx))
      }
    }
    return Plan(shared: shared, createdID: id)
  }

  func planActionStatus(
    _ idText: String, _ to: ActionStatus, reason: String, _ ctx: CommandContext
  ) throws -> Plan {
    let id = try resolve(idText, .action)
    guard let a = actions[id] else { throw DomainError("no action \(DomainError.echo(idText))") }
    let allowed: [ActionStatus: Set<ActionStatus>] = [
      .doing: [.open], .done: [.open, .doing], .dropped: [.open, .doing],
    ]
    guard allowed[to]?.contains(a.status) == true else {
      throw DomainError(
        "action \(shortID(for: id)) is \(a.status.rawValue) and cannot become \(to.rawValue); "
          + (a.status == .done ? "verify it instead" : "it is already settled"))
    }
    var body: [String: JSONValue] = ["status": .string(to.rawValue)]
    if to == .dropped {
      body["reason"] = .string(
        try required(reason, "reason", "say why it is dropped with --reason"))
    }
    return Plan(shared: [draft(EventType.actionStatusSet, id, body, ctx)])
  }

  /// Plans moving an action one column back; a verified or dropped action stays settled.
  func planMoveActionBack(_ idText: String, _ ctx: CommandContext) throws -> Plan {
    let id = try resolve(idText, .action)
    guard let a = actions[id] else { throw DomainError("no action \(DomainError.echo(idText))") }
    let to: ActionStatus
    switch a.status {
    case .doing: to = .open
    case .done where a.verifications.isEmpty: to = .doing
    case .done:
      throw DomainError(
        "action \(shortID(for: id)) has been verified; verify it ineffective to reopen it")
    case .open:
      throw DomainError("action \(shortID(for: id)) is open, the first column already")
    case .dropped:
      throw DomainError("action \(shortID(for: id)) was dropped; add a new action instead")
    }
    return Plan(shared: [
      draft(EventType.actionStatusSet, id, ["status": .string(to.rawValue)], ctx)
    ])
  }

  func planAddExperiment(_ n: NewExperiment, _ ctx: inout CommandContext) throws -> Plan {
    let iid = try n.incident.map { try resolve($0, .incident) }
    let pattern = try n.pattern.flatMap { $0.isEmpty ? nil : try PatternKey.parse($0) }
    guard iid != nil || pattern != nil else {
      throw DomainError("experiment needs an incident or a pattern; give one")
    }
    let hypothesis = try required(
      n.hypothesis, "hypothesis", "say what you believe with --hypothesis")
    let criteria = try required(n.criteria, "criteria", "say how you will know with --criteria")
    let check = try Day.parse(n.check, field: "check")
    let id = newID(&ctx)
    var body: [String: JSONValue] = [
      "hypothesis": .string(hypothesis), "change": .string(n.change),
      "criteria": .string(criteria), "check": .string(check.description),
    ]
    if let iid { body["incident"] = .string(iid) }
    if let pattern { body["pattern"] = .string(pattern) }
    return Plan(shared: [draft(EventType.experimentCreated, id, body, ctx)], createdID: id)
  }

  func planAddLesson(_ n: NewLesson, _ ctx: inout CommandContext) throws -> Plan {
    let text = try required(n.text, "text", "write the lesson with --text")
    var incs: [String] = []
    for p in n.incidents {
      let i = try resolve(p, .incident)
      if !incs.contains(i) { incs.append(i) }
    }
    let revalidate = try n.revalidate.map { try Day.parse($0, field: "revalidate") }
    let id = newID(&ctx)
    var body: [String: JSONValue] = [
      "text": .string(text), "incidents": .array(incs.map { .string($0) }),
      "teams": .array(cleanNames(n.teams).map { .string($0) }),
      "tags": .array(cleanList(n.tags).map { .string($0) }),
      "patterns": .array(try normalisedPatterns(n.patterns).map { .string($0) }),
    ]
    if let revalidate { body["revalidate"] = .string(revalidate.description) }
    return Plan(shared: [draft(EventType.lessonCreated, id, body, ctx)], createdID: id)
  }
}
