import WorkCounting

/// Reading event bodies without trusting them.
struct BodyReader {
  let body: [String: JSONValue]
  var missing: [String] = []

  init(_ body: [String: JSONValue]) { self.body = body }

  /// The member `key`: small bodies are scanned (short keys compare without hashing).
  @inline(__always)
  subscript(_ key: String) -> JSONValue? {
    if body.count <= 8 {
      var i = body.startIndex
      while i != body.endIndex {
        if body.keys[i] == key { return body.values[i] }
        body.formIndex(after: &i)
      }
      return nil
    }
    return body[key]
  }

  mutating func required(_ key: String) -> String {
    if let s = self[key]?.stringValue { return s }
    missing.append(key)
    return ""
  }
  func string(_ key: String) -> String { self[key]?.stringValue ?? "" }
  func optionalString(_ key: String) -> String? { self[key]?.stringValue }
  func strings(_ key: String) -> [String] { self[key]?.stringArray ?? [] }
  func day(_ key: String) -> Day? { self[key]?.stringValue.flatMap { Day($0) } }
  mutating func choice<T: DomainChoice>(_ key: String, default d: T? = nil) -> T? {
    if let s = self[key]?.stringValue, let v = T(rawValue: s) { return v }
    if self[key] == nil, let d { return d }
    missing.append(key)
    return nil
  }
}

/// Event types as small codes, so dispatch is one hash instead of many string compares.
enum EventCode: UInt8 {
  case incidentCreated, incidentFieldSet, reviewAnswered, actionCreated, actionStatusSet
  case actionVerified, experimentCreated, experimentDecided, lessonCreated, lessonRevalidated
  case templateCreated, templateRevised, entityDeleted, noteAdded, growthCreated
  case factorAdded, timelineAdded, checklistCreated, checklistRevised
  case actionRetired, reviewScheduled, winAdded

  static let byType: [String: EventCode] = [
    EventType.incidentCreated: .incidentCreated, EventType.incidentFieldSet: .incidentFieldSet,
    EventType.reviewAnswered: .reviewAnswered, EventType.actionCreated: .actionCreated,
    EventType.actionStatusSet: .actionStatusSet, EventType.actionVerified: .actionVerified,
    EventType.experimentCreated: .experimentCreated,
    EventType.experimentDecided: .experimentDecided, EventType.lessonCreated: .lessonCreated,
    EventType.lessonRevalidated: .lessonRevalidated, EventType.templateCreated: .templateCreated,
    EventType.templateRevised: .templateRevised, EventType.entityDeleted: .entityDeleted,
    EventType.noteAdded: .noteAdded, EventType.growthCreated: .growthCreated,
    EventType.factorAdded: .factorAdded, EventType.timelineAdded: .timelineAdded,
    EventType.checklistCreated: .checklistCreated, EventType.checklistRevised: .checklistRevised,
    EventType.actionRetired: .actionRetired, EventType.reviewScheduled: .reviewScheduled,
    EventType.winAdded: .winAdded,
  ]
}

extension LearningState {
  mutating func problem(_ r: Record, _ what: String) {
    decodeProblems.append("record \(r.id) (\(r.type)): \(what); skipped")
  }

  mutating func hold(_ r: Record) { pending[r.entity, default: []].append(r) }

  mutating func released(_ id: String) {
    guard !pending.isEmpty, let held = pending.removeValue(forKey: id) else { return }
    for r in held { applyOnce(r) }
  }

  mutating func applyOnce(_ r: Record) {
    if !tombstones.isEmpty, !r.entity.isEmpty, tombstones.contains(r.entity) { return }
    guard case .object(let object) = r.body else {
      problem(r, "body is not an object")
      return
    }
    var b = BodyReader(object)
    let at = b["at"]?.intValue.map(Int64.init) ?? r.clock.wall
    // The author a record names; the writer id is a machine id, never shown as a person.
    var by: String { b["by"]?.stringValue ?? "" }
    guard let code = EventCode.byType[r.type] else {
      unknownTypes[r.type, default: 0] += 1
      return
    }
    switch code {
    case .incidentCreated:
      let title = b.required("title")
      let kind: IncidentKind? = b.choice("kind", default: .other)
      let severity: Severity? = b.choice("severity", default: .medium)
      let status: IncidentStatus? = b.choice("status", default: .open)
      guard b.missing.isEmpty, let kind, let severity, let status, !r.entity.isEmpty else {
        problem(
          r,
          "missing or wrong \(b.missing.count == 1 ? "field" : "fields") \(b.missing.joined(separator: ", "))"
        )
        return
      }
      guard !incidents.contains(r.entity) else {
        problem(r, "incident \(r.entity) already exists")
        return
      }
      incidents[r.entity] = Incident(
        id: r.entity, title: title, what: b.string("what"), kind: kind, severity: severity,
        occurred: b.day("occurred") ?? Day(utcMilliseconds: at), team: b.string("team"),
        owner: b.string("owner"), tags: b.strings("tags"), triggers: b.strings("triggers"),
        patterns: b.strings("patterns"), status: status,
        template: ReviewTemplate.defaultName, answers: [:], createdAt: at, createdBy: by)
      appendToIncidentOrder(r.entity)
      indexPatterns(r.entity, old: [], new: incidents[r.entity]?.patterns ?? [])
      released(r.entity)

    case .incidentFieldSet:
      guard incidents.contains(r.entity) else { return hold(r) }
      let field = b.required("field")
      guard let value = b["value"], b.missing.isEmpty else {
        return problem(r, "missing field or value")
      }
      if !setIncidentField(r.entity, field, value) {
        problem(r, "field '\(field)' cannot take \(value)")
      }

    case .reviewAnswered:
      guard incidents.contains(r.entity) else { return hold(r) }
      let key = b.required("key")
      // A skill gap is never kept beside an incident, even when an older log wrote it.
      let value = key == "gap" ? SharedGap.shown(b.required("value")) : b.required("value")
      guard b.missing.isEmpty else { return problem(r, "missing \(b.missing)") }
      let template = b.optionalString("template") ?? ReviewTemplate.defaultName
      let version = AnswerVersion(
        key: key, value: value, template: template, at: at, by: by,
        revision: b["revision"]?.intValue ?? 0)
      incidents.modify(r.entity) { inc in
        inc.answers[key, default: []].append(version)
        inc.template = template
        if inc.status == .open { inc.status = .reviewing }
      }

    case .actionCreated:
      let incident = b.required("incident")
      let title = b.required("title")
      let type: ActionType? = b.choice("type", default: .prevent)
      guard b.missing.isEmpty, let type, !r.entity.isEmpty else {
        return problem(
          r,
          "missing or wrong \(b.missing.count == 1 ? "field" : "fields") \(b.missing.joined(separator: ", "))"
        )
      }
      guard !actions.contains(r.entity) else { return problem(r, "action already exists") }
      actions[r.entity] = Action(
        id: r.entity, incident: incident, title: title, owner: b.string("owner"),
        due: b.day("due"), review: b.day("review"), type: type, signal: b.string("signal"),
        status: .open, dropReason: "", verifications: [], createdAt: at, doneAt: nil,
        until: type == .mitigate ? b.day("until") : nil)
      appendToActionOrder(r.entity)
      if !actionsByIncident.modify(incident, { $0.append(r.entity) }) {
        actionsByIncident[incident] = [r.entity]
      }
      released(r.entity)

    case .actionStatusSet:
      guard actions.contains(r.entity) else { return hold(r) }
      guard let status: ActionStatus = b.choice("status") else {
        return problem(r, "missing or wrong status")
      }
      let reason = status == .dropped ? b.string("reason") : ""
      actions.modify(r.entity) { a in
        a.status = status
        a.dropReason = reason
        if status == .done { a.doneAt = at }
      }

    case .actionVerified:
      guard actions.contains(r.entity) else { return hold(r) }
      guard let outcome: VerificationOutcome = b.choice("outcome") else {
        return problem(r, "missing or wrong outcome")
      }
      let v = Verification(outcome: outcome, evidence: b.string("evidence"), at: at, by: by)
      actions.modify(r.entity) { a in
        a.verifications.append(v)
        if outcome == .ineffective { a.status = .open }
      }

    case .experimentCreated:
      let hypothesis = b.required("hypothesis")
      guard b.missing.isEmpty, !r.entity.isEmpty else { return problem(r, "missing hypothesis") }
      guard experiments[r.entity] == nil else { return problem(r, "experiment already exists") }
      experiments[r.entity] = Experiment(
        id: r.entity, incident: b.optionalString("incident"), pattern: b.optionalString("pattern"),
        hypothesis: hypothesis, change: b.string("change"), criteria: b.string("criteria"),
        check: b.day("check"), result: "", decision: nil, createdBy: by, createdAt: at)
      experimentOrder.append(r.entity)
      released(r.entity)

    case .experimentDecided:
      guard experiments[r.entity] != nil else { return hold(r) }
      guard let decision: ExperimentDecision = b.choice("decision") else {
        return problem(r, "missing or wrong decision")
      }
      experiments[r.entity]?.decision = decision
      experiments[r.entity]?.result = b.string("result")

    case .lessonCreated:
      let text = b.required("text")
      guard b.missing.isEmpty, !r.entity.isEmpty else { return problem(r, "missing text") }
      guard lessons[r.entity] == nil else { return problem(r, "lesson already exists") }
      lessons[r.entity] = Lesson(
        id: r.entity, text: text, incidents: b.strings("incidents"), teams: b.strings("teams"),
        tags: b.strings("tags"), patterns: b.strings("patterns"), revalidate: b.day("revalidate"),
        revalidated: nil, author: by, createdAt: at)
      lessonOrder.append(r.entity)
      released(r.entity)

    case .lessonRevalidated:
      guard lessons[r.entity] != nil else { return hold(r) }
      lessons[r.entity]?.revalidated = b.day("day") ?? Day(utcMilliseconds: at)
      lessons[r.entity]?.revalidate = b.day("next")

    case .templateCreated, .templateRevised:
      let name = r.entity.isEmpty ? b.string("name") : r.entity
      guard !name.isEmpty, let qs = r.body["questions"]?.arrayValue else {
        return problem(r, "missing name or questions")
      }
      let questions = qs.compactMap(Question.init(json:))
      guard questions.count == qs.count, !questions.isEmpty else {
        return problem(r, "a question lacks key or prompt, or has an unknown kind")
      }
      var revs = templateRevisions[name] ?? []
      if revs.isEmpty { templateOrder.append(name) }
      let title = b.optionalString("title") ?? revs.last?.template.title ?? name
      revs.append(
        TemplateRevision(
          number: revs.count + 1,
          template: ReviewTemplate(name: name, title: title, questions: questions),
          at: at, by: by, team: b.optionalString("team") ?? revs.last?.team ?? "",
          because: b.string("because")))
      templateRevisions[name] = revs

    case .entityDeleted:
      guard !r.entity.isEmpty else { return problem(r, "no entity to delete") }
      tombstones.insert(r.entity)
      if let gone = incidents.removeValue(forKey: r.entity) {
        indexPatterns(r.entity, old: gone.patterns, new: [])
      }
      if let a = actions.removeValue(forKey: r.entity) {
        actionsByIncident.modify(a.incident) { $0.removeAll { $0 == r.entity } }
      }
      experiments[r.entity] = nil
      lessons[r.entity] = nil
      notes[r.entity] = nil
      if templateRevisions.removeValue(forKey: r.entity) != nil {
        templateOrder.removeAll { $0 == r.entity }
      }
      if let f = factors.removeValue(forKey: r.entity) {
        factorsByIncident[f.incident]?.removeAll { $0 == r.entity }
      }
      if let e = timelineEntries.removeValue(forKey: r.entity) {
        timelineByIncident[e.incident]?.removeAll { $0 == r.entity }
      }
      if checklists.removeValue(forKey: r.entity) != nil {
        checklistOrder.removeAll { $0 == r.entity }
      }
      if wins.removeValue(forKey: r.entity) != nil { winOrder.removeAll { $0 == r.entity } }
      if reviewSchedules.removeValue(forKey: r.entity) != nil {
        scheduleOrder.removeAll { $0 == r.entity }
      }
      pending[r.entity] = nil

    case .factorAdded:
      let incident = b.required("incident")
      let text = b.required("text")
      let gap: FactorGap? = b.choice("gap")
      guard b.missing.isEmpty, let gap, !r.entity.isEmpty else {
        return problem(
          r,
          "missing or wrong \(b.missing.count == 1 ? "field" : "fields") \(b.missing.joined(separator: ", "))"
        )
      }
      guard factors[r.entity] == nil else { return problem(r, "factor already exists") }
      factors[r.entity] = ContributingFactor(
        id: r.entity, incident: incident, text: text, gap: gap, at: at, by: by)
      factorOrder.append(r.entity)
      factorsByIncident[incident, default: []].append(r.entity)

    case .timelineAdded:
      let incident = b.required("incident")
      let text = b.required("text")
      let kind: TimelineKind? = b.choice("kind", default: .note)
      guard b.missing.isEmpty, let kind, !r.entity.isEmpty,
        let time = b.optionalString("time").flatMap(ISOTime.parse)
      else {
        return problem(r, "missing or wrong incident, text, kind or time")
      }
      guard timelineEntries[r.entity] == nil else {
        return problem(r, "timeline entry already exists")
      }
      timelineEntries[r.entity] = TimelineEntry(
        id: r.entity, incident: incident, time: time, kind: kind, text: text,
        link: b.string("link"), at: at, by: by)
      timelineOrder.append(r.entity)
      timelineByIncident[incident, default: []].append(r.entity)

    case .checklistCreated, .checklistRevised:
      let name = r.entity
      guard !name.isEmpty else { return problem(r, "missing name") }
      let old = checklists[name]
      if code == .checklistRevised && old == nil { return hold(r) }
      let previous = old?.items ?? []
      var items: [String]
      var added: [String]
      var removed: [String]
      if code == .checklistCreated {
        guard let given = b["items"]?.stringArray, !given.isEmpty else {
          return problem(r, "missing items")
        }
        // Created twice (two clones at once): the later one is a revision to its items.
        items = given
        added = given.filter { !previous.contains($0) }
        removed = previous.filter { !given.contains($0) }
      } else {
        let remove = b.strings("remove")
        removed = previous.filter { remove.contains($0) }
        items = previous.filter { !remove.contains($0) }
        added = []
        for t in b.strings("add") where !items.contains(t) {
          items.append(t)
          added.append(t)
        }
      }
      let kind: ChecklistKind =
        b.optionalString("kind").flatMap(ChecklistKind.init(rawValue:)) ?? old?.kind ?? .checklist
      let team = b.optionalString("team") ?? old?.team ?? ""
      let number = (old?.revisions.count ?? 0) + 1
      let rev = ChecklistRevision(
        number: number, items: items, added: added, removed: removed,
        because: b.string("because"), at: at, by: by)
      if let old {
        checklists[name] = Checklist(
          name: name, kind: kind, team: team, revisions: old.revisions + [rev])
      } else {
        checklists[name] = Checklist(name: name, kind: kind, team: team, revisions: [rev])
        checklistOrder.append(name)
        released(name)
      }

    case .actionRetired:
      guard actions.contains(r.entity) else { return hold(r) }
      guard let decision: RetireDecision = b.choice("decision") else {
        return problem(r, "missing or wrong decision")
      }
      let retirement = Retirement(decision: decision, reason: b.string("reason"), at: at, by: by)
      actions.modify(r.entity) { $0.retirement = retirement }

    case .reviewScheduled:
      guard incidents.contains(r.entity) else { return hold(r) }
      guard let on = b.day("on") else { return problem(r, "missing or wrong day 'on'") }
      if reviewSchedules[r.entity] == nil { scheduleOrder.append(r.entity) }
      reviewSchedules[r.entity] = ReviewSchedule(
        incident: r.entity, on: on, facilitator: b.string("facilitator"),
        participants: b.strings("participants"), at: at, by: by)

    case .winAdded:
      let title = b.required("title")
      guard b.missing.isEmpty, !r.entity.isEmpty else { return problem(r, "missing title") }
      guard wins[r.entity] == nil else { return problem(r, "win already exists") }
      wins[r.entity] = Win(
        id: r.entity, title: title, team: b.string("team"), people: b.strings("people"), at: at,
        by: by)
      winOrder.append(r.entity)

    case .noteAdded, .growthCreated:
      let text = b.required("text")
      guard b.missing.isEmpty, !r.entity.isEmpty else { return problem(r, "missing text") }
      if notes[r.entity] == nil { noteOrder.append(r.entity) }
      notes[r.entity] = PrivateNote(
        id: r.entity, incident: b.string("incident"), person: b.string("person"), text: text,
        kind: code == .noteAdded ? "note" : "growth", at: at)
    }
  }

  /// Mutates a stored value in place (one access, no copy).
  @inline(__always)
  static func update<T>(_ value: inout T, _ body: (inout T) -> Void) { body(&value) }

  /// Keeps the pattern → incidents index in step with an incident's keys.
  ///
  /// Each key holds a set of ids, so adding or dropping a key costs the same however many
  /// incidents share it (a cold open stays linear in the incidents of one pattern).
  mutating func indexPatterns(_ id: String, old: [String], new: [String]) {
    for p in old where !new.contains(p) {
      WorkCounter.count("pattern index")
      guard var ids = incidentsByPatternKey.removeValue(forKey: p) else { continue }
      ids.remove(id)
      if !ids.isEmpty { incidentsByPatternKey[p] = ids }
    }
    for p in new where !old.contains(p) {
      WorkCounter.count("pattern index")
      addToPatternIndex(p, id)
    }
  }

  /// Sets one incident field from a stored value; false when the value does not fit.
  mutating func setIncidentField(
    _ id: String, _ field: String, _ value: JSONValue
  ) -> Bool {
    let s = value.stringValue
    switch field {
    case "title": guard let s else { return false }; incidents.modify(id) { $0.title = s }
    case "what": guard let s else { return false }; incidents.modify(id) { $0.what = s }
    case "team": guard let s else { return false }; incidents.modify(id) { $0.team = s }
    case "owner": guard let s else { return false }; incidents.modify(id) { $0.owner = s }
    case "kind":
      guard let v = s.flatMap(IncidentKind.init(rawValue:)) else { return false }
      incidents.modify(id) { $0.kind = v }
    case "severity":
      guard let v = s.flatMap(Severity.init(rawValue:)) else { return false }
      incidents.modify(id) { $0.severity = v }
    case "status":
      guard let v = s.flatMap(IncidentStatus.init(rawValue:)) else { return false }
      incidents.modify(id) { $0.status = v }
    case "occurred":
      guard let v = s.flatMap({ Day($0) }) else { return false }
      incidents.modify(id) { $0.occurred = v }
    case "tags":
      guard let v = value.stringArray else { return false }
      incidents.modify(id) { $0.tags = v }
    case "triggers":
      guard let v = value.stringArray else { return false }
      incidents.modify(id) { $0.triggers = v }
    case "patterns":
      guard let v = value.stringArray else { return false }
      var old: [String] = []
      incidents.modify(id) { inc in
        old = inc.patterns
        inc.patterns = v
      }
      indexPatterns(id, old: old, new: v)
    default: return false
    }
    return true
  }
}
