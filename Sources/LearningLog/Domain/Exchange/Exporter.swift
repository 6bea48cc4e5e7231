import Foundation

/// Which table a CSV export holds.
public enum CSVTable: String, Sendable, CaseIterable {
  case incidents, actions
}

/// Exports the state as JSON, a Markdown "What we learned" digest, or CSV.
public enum Exporter {
  static func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
  static func dayJSON(_ d: Day?) -> JSONValue { d.map { .string($0.description) } ?? .null }
  static func time(_ ms: Int64?) -> JSONValue { ms.map { .string(ISOTime.string($0)) } ?? .null }

  /// Every entity as one JSON object (dates `YYYY-MM-DD`, times ISO 8601), patterns as of `day`.
  ///
  /// Private notes and growth items are included only when `includePrivate` is true.
  public static func jsonValue(_ state: LearningState, on day: Day, includePrivate: Bool = false)
    -> JSONValue
  {
    let timeline = PatternTimeline(state)
    let factors = Dictionary(grouping: state.factorList, by: \.incident)
    let entries = Dictionary(
      grouping: state.timelineOrder.compactMap { state.timelineEntries[$0] }, by: \.incident)
    let trials = Dictionary(grouping: state.experimentList.filter { $0.incident != nil }) {
      $0.incident ?? ""
    }
    let incidents = state.incidentList.map { inc -> JSONValue in
      let base = incidentJSON(inc, review: state.reviewStatus(inc, timeline))
      guard case .object(var o) = base else { return base }
      o.merge(
        followUpJSON(
          state, incident: inc.id, factors: factors[inc.id] ?? [],
          timeline: LearningState.inTimeOrder(entries[inc.id] ?? []),
          experiments: trials[inc.id] ?? [])
      ) { $1 }
      return .object(o)
    }
    let actions = state.actionList.map(actionJSON)
    let experiments = state.experimentList.map(experimentJSON)
    let lessons = state.lessonList.map(lessonJSON)
    let patterns: [JSONValue] = state.patterns(on: day).map(patternJSON)
    var templates: [JSONValue] = ReviewTemplate.builtIns.map { t in
      [
        "name": .string(t.name), "title": .string(t.title), "builtIn": true,
        "revisions": .array([
          ["number": 1, "questions": .array(t.questions.map(\.json)), "at": .null, "by": ""]
        ]),
      ]
    }
    for name in state.templateOrder {
      guard let revs = state.templateRevisions[name], !revs.isEmpty else { continue }
      templates.append(templateJSON(name, revs))
    }
    var root: [String: JSONValue] = [
      "format": "learnlog-export", "version": 1, "incidents": .array(incidents),
      "actions": .array(actions), "experiments": .array(experiments),
      "lessons": .array(lessons), "patterns": .array(patterns), "templates": .array(templates),
      "checklists": .array(state.checklistList.map(checklistJSON)),
      "reviewSchedules": .array(state.reviewScheduleList.map(scheduleJSON)),
      "wins": .array(state.winList.map(winJSON)),
    ]
    if includePrivate {
      root["private"] = .array(
        state.noteList.map { n in
          [
            "id": .string(n.id), "kind": .string(n.kind), "incident": .string(n.incident),
            "person": .string(n.person), "text": .string(n.text), "at": time(n.at),
          ]
        })
    }
    return .object(root)
  }

  /// One incident as JSON (as `incident show --json` prints it), with answers, the history of
  /// every answer, and what its review still lacks.
  public static func incidentJSON(_ inc: Incident, review rs: ReviewStatus) -> JSONValue {
    var answers: [String: JSONValue] = [:]
    for (k, versions) in inc.answers {
      if let v = versions.last { answers[k] = .string(v.value) }
    }
    let history: [JSONValue] = inc.understandingHistory.map { v in
      [
        "key": .string(v.key), "value": .string(v.value), "template": .string(v.template),
        "revision": .int(v.revision), "at": time(v.at), "by": .string(v.by),
      ]
    }
    return [
      "id": .string(inc.id), "title": .string(inc.title), "what": .string(inc.what),
      "kind": .string(inc.kind.rawValue), "severity": .string(inc.severity.rawValue),
      "occurred": dayJSON(inc.occurred), "team": .string(inc.team), "owner": .string(inc.owner),
      "tags": strings(inc.tags), "triggers": strings(inc.triggers),
      "patterns": strings(inc.patterns), "status": .string(inc.status.rawValue),
      "template": .string(inc.template), "created": time(inc.createdAt),
      "createdBy": .string(inc.createdBy), "answers": .object(answers),
      "answerHistory": .array(history), "reviewComplete": .bool(rs.isComplete),
      "reviewMissing": strings(rs.missing),
    ]
  }

  /// One contributing factor as JSON.
  public static func factorJSON(_ f: ContributingFactor) -> JSONValue {
    [
      "id": .string(f.id), "incident": .string(f.incident), "text": .string(f.text),
      "gap": .string(f.gap.rawValue), "created": time(f.at), "by": .string(f.by),
    ]
  }

  /// One timeline entry as JSON.
  public static func timelineJSON(_ e: TimelineEntry) -> JSONValue {
    [
      "id": .string(e.id), "incident": .string(e.incident), "time": time(e.time),
      "kind": .string(e.kind.rawValue), "text": .string(e.text), "link": .string(e.link),
      "created": time(e.at), "by": .string(e.by),
    ]
  }

  /// One checklist as JSON, every revision with the incident that prompted it.
  public static func checklistJSON(_ c: Checklist) -> JSONValue {
    [
      "name": .string(c.name), "kind": .string(c.kind.rawValue), "team": .string(c.team),
      "items": strings(c.items),
      "revisions": .array(
        c.revisions.map {
          [
            "number": .int($0.number), "items": strings($0.items), "added": strings($0.added),
            "removed": strings($0.removed), "because": .string($0.because), "at": time($0.at),
            "by": .string($0.by),
          ]
        }),
    ]
  }

  /// One team template as JSON, every revision with its questions and the incident behind it.
  public static func templateJSON(_ name: String, _ revs: [TemplateRevision]) -> JSONValue {
    [
      "name": .string(name), "title": .string(revs.last?.template.title ?? name),
      "builtIn": false, "team": .string(revs.last?.team ?? ""),
      "revisions": .array(
        revs.map {
          [
            "number": .int($0.number), "title": .string($0.template.title),
            "questions": .array($0.template.questions.map(\.json)), "at": time($0.at),
            "by": .string($0.by), "team": .string($0.team), "because": .string($0.because),
          ]
        }),
    ]
  }

  /// The follow-through of one incident as JSON members: factors, timeline, what it led to.
  public static func followUpJSON(_ state: LearningState, incident id: String) -> [String:
    JSONValue]
  {
    followUpJSON(
      state, incident: id, factors: state.factors(of: id), timeline: state.timeline(of: id),
      experiments: state.experiments(of: id))
  }

  static func followUpJSON(
    _ state: LearningState, incident id: String, factors: [ContributingFactor],
    timeline: [TimelineEntry], experiments: [Experiment]
  ) -> [String: JSONValue] {
    [
      "factors": .array(factors.map(factorJSON)),
      "timeline": .array(timeline.map(timelineJSON)),
      "ledTo": .array(
        state.ledTo(id).map {
          ["kind": .string($0.kind), "name": .string($0.name), "revision": .int($0.revision)]
        }),
      "experiments": .array(experiments.map(experimentJSON)),
      "reviewSchedule": state.reviewSchedules[id].map(scheduleJSON) ?? .null,
    ]
  }

  /// One action as JSON (as `action list --json` prints each).
  public static func actionJSON(_ a: Action) -> JSONValue {
    var o: [String: JSONValue] = [
      "id": .string(a.id), "incident": .string(a.incident), "title": .string(a.title),
      "owner": .string(a.owner), "due": dayJSON(a.due), "review": dayJSON(a.review),
      "type": .string(a.type.rawValue), "signal": .string(a.signal),
      "status": .string(a.status.rawValue), "dropReason": .string(a.dropReason),
      "created": time(a.createdAt), "done": time(a.doneAt),
      "verifications": .array(
        a.verifications.map {
          [
            "outcome": .string($0.outcome.rawValue), "evidence": .string($0.evidence),
            "at": time($0.at), "by": .string($0.by),
          ]
        }),
    ]
    if a.type == .mitigate {
      o["until"] = dayJSON(a.until)
      o["retirement"] =
        a.retirement.map {
          [
            "decision": .string($0.decision.rawValue), "reason": .string($0.reason),
            "at": time($0.at), "by": .string($0.by),
          ]
        } ?? .null
    }
    return .object(o)
  }

  /// One review schedule as JSON.
  public static func scheduleJSON(_ c: ReviewSchedule) -> JSONValue {
    [
      "incident": .string(c.incident), "on": .string(c.on.description),
      "facilitator": .string(c.facilitator), "participants": strings(c.participants),
      "at": time(c.at), "by": .string(c.by),
    ]
  }

  /// One win as JSON.
  public static func winJSON(_ w: Win) -> JSONValue {
    [
      "id": .string(w.id), "title": .string(w.title), "team": .string(w.team),
      "people": strings(w.people), "created": time(w.at), "by": .string(w.by),
    ]
  }

  /// One experiment as JSON.
  public static func experimentJSON(_ e: Experiment) -> JSONValue {
    [
      "id": .string(e.id), "incident": e.incident.map { .string($0) } ?? .null,
      "pattern": e.pattern.map { .string($0) } ?? .null, "hypothesis": .string(e.hypothesis),
      "change": .string(e.change), "criteria": .string(e.criteria), "check": dayJSON(e.check),
      "result": .string(e.result), "decision": e.decision.map { .string($0.rawValue) } ?? .null,
      "created": time(e.createdAt), "createdBy": .string(e.createdBy),
    ]
  }

  /// One lesson as JSON (as `lesson list --json` prints each).
  public static func lessonJSON(_ l: Lesson) -> JSONValue {
    [
      "id": .string(l.id), "text": .string(l.text), "incidents": strings(l.incidents),
      "teams": strings(l.teams), "tags": strings(l.tags), "patterns": strings(l.patterns),
      "revalidate": dayJSON(l.revalidate), "revalidated": dayJSON(l.revalidated),
      "author": .string(l.author), "created": time(l.createdAt),
    ]
  }

  /// One item of the carry-over queue as JSON (as `today --json` prints each).
  public static func todayJSON(_ t: TodayItem) -> JSONValue {
    [
      "kind": .string(t.kind.rawValue), "subject": .string(t.subject), "title": .string(t.title),
      "day": dayJSON(t.day), "detail": .string(t.detail),
    ]
  }

  /// The learning-health metrics as JSON (as `stats --json` prints them).
  public static func statsJSON(_ s: LearningStats) -> JSONValue {
    func counts(_ d: [String: Int]) -> JSONValue { .object(d.mapValues { .int($0) }) }
    return [
      "incidents": .int(s.incidentCount), "actions": .int(s.actionCount),
      "repeatRate": .double(s.repeatRate),
      "verifiedEffectiveShare": .double(s.verifiedEffectiveShare),
      "awaitingVerification": .int(s.awaitingVerification),
      "specificityShare": .double(s.specificityShare),
      "medianDaysToFirstAction": s.medianDaysToFirstAction.map { .double($0) } ?? .null,
      "gapShares": .object(s.gapShares.mapValues { .double($0) }),
      "factorsByGap": counts(s.factorsByGap),
      "weeks": .array(
        s.weeks.map {
          [
            "weekStart": dayJSON($0.weekStart), "byKind": counts($0.byKind),
            "total": .int($0.total),
          ]
        }),
      "byTeam": .array(
        s.byTeam.map {
          [
            "team": .string($0.team), "incidents": .int($0.incidents), "repeats": .int($0.repeats),
            "openActions": .int($0.openActions), "overdueActions": .int($0.overdueActions),
            "verifiedActions": .int($0.verifiedActions), "gaps": counts($0.gaps),
          ]
        }),
      "byPattern": .array(s.byPattern.map(patternJSON)),
    ]
  }

  /// One pattern summary as JSON (as `patterns --json` prints it).
  public static func patternJSON(_ p: PatternSummary) -> JSONValue {
    [
      "key": .string(p.key), "count": .int(p.count), "inWindow": .int(p.inWindow),
      "ineffectiveInWindow": .int(p.ineffectiveInWindow), "firstSeen": dayJSON(p.firstSeen),
      "lastSeen": dayJSON(p.lastSeen), "step": .string(p.step.rawValue),
      "incidents": strings(p.incidents), "recurredAfterFix": .bool(p.recurredAfterFix),
      "recurredAfterVerifiedFix": .bool(p.recurredAfterVerifiedFix),
      "hasExperiment": .bool(p.hasExperiment), "weekly": .array(p.weekly.map { .int($0) }),
    ]
  }

  /// The JSON export as text (keys sorted, two-space indent).
  public static func json(_ state: LearningState, on day: Day, includePrivate: Bool = false)
    -> String
  {
    var out = ""
    streamJSON(state, on: day, includePrivate: includePrivate) { out += $0 }
    return out
  }

  /// Writes ``json(_:on:includePrivate:)`` as it is produced, in the same bytes: the root
  /// object's members in key order, each array one element at a time, so memory holds one
  /// entity's value and the text not yet emitted, never the document.
  public static func streamJSON(
    _ state: LearningState, on day: Day, includePrivate: Bool = false, emit: (String) -> Void
  ) {
    streamJSON(state, on: day, includePrivate: includePrivate) { (bytes: [UInt8]) in
      emit(String(decoding: bytes, as: UTF8.self))
    }
  }

  /// ``streamJSON(_:on:includePrivate:emit:)`` with the text handed over as UTF-8 bytes (to be
  /// written to a file or a pipe as they are, never made a string).
  public static func streamJSON(
    _ state: LearningState, on day: Day, includePrivate: Bool = false,
    bytes emit: ([UInt8]) -> Void
  ) {
    let timeline = PatternTimeline(state)
    let factors = Dictionary(grouping: state.factorList, by: \.incident)
    let entries = Dictionary(
      grouping: state.timelineOrder.compactMap { state.timelineEntries[$0] }, by: \.incident)
    let trials = Dictionary(grouping: state.experimentList.filter { $0.incident != nil }) {
      $0.incident ?? ""
    }
    // Each incident written field by field with its follow-up among its members.
    // Read from the snapshot's records where they are (the places of one walk).
    // Which incidents have an owned action, found in one walk of a snapshot's actions.
    let owned = state.incidentsWithOwnedAction(reading: state.incidents.count)
    let incident: @Sendable (inout JSONText, IncidentKeyPlace) -> Bool = { out, e in
      state.writeIncidentJSON(
        e.id, at: e.place,
        review: {
          state.reviewStatus($0, timeline, detail: false, questions: false, owned: owned)
        },
        extra: followUpJSON(
          state, incident: e.id, factors: factors[e.id] ?? [],
          timeline: LearningState.inTimeOrder(entries[e.id] ?? []),
          experiments: trials[e.id] ?? []), into: &out, indent: 2)
    }
    var templates: [JSONValue] = ReviewTemplate.builtIns.map { t in
      [
        "name": .string(t.name), "title": .string(t.title), "builtIn": true,
        "revisions": .array([
          ["number": 1, "questions": .array(t.questions.map(\.json)), "at": .null, "by": ""]
        ]),
      ]
    }
    for name in state.templateOrder {
      guard let revs = state.templateRevisions[name], !revs.isEmpty else { continue }
      templates.append(templateJSON(name, revs))
    }
    /// A member of the root: its value written by `write` at indent 1, the text so far handed
    /// to `emit` as it grows.
    typealias Member = (key: String, write: (inout JSONText, ([UInt8]) -> Void) -> Void)
    func value(_ v: JSONValue) -> (inout JSONText, ([UInt8]) -> Void) -> Void {
      { out, _ in out.value(v, indent: 1) }
    }
    // Entities missing from their maps are left out, as the lists in creation order leave them.
    // `write` writes one element at indent 2 and says whether there was one.
    func array<S: Sequence>(
      _ elements: S, writing write: @escaping (inout JSONText, S.Element) -> Bool
    )
      -> (inout JSONText, ([UInt8]) -> Void) -> Void
    {
      { out, emit in
        var first = true
        for e in elements {
          let mark = out.bytes.count
          out.raw(first ? "[\n    " : ",\n    ")
          guard write(&out, e) else {
            out.bytes.removeSubrange(mark...)
            continue
          }
          first = false
          if out.bytes.count >= 1 << 16 {
            emit(out.bytes)
            out.bytes.removeAll(keepingCapacity: true)
          }
        }
        out.raw(first ? "[]" : "\n  ]")
      }
    }
    // A long array written on both cores, in order (``OrderedJSONArray``).
    func ordered<T: Sendable>(
      _ elements: [T], writing write: @escaping @Sendable (inout JSONText, T) -> Bool
    ) -> (inout JSONText, ([UInt8]) -> Void) -> Void {
      { out, emit in
        if !out.bytes.isEmpty { emit(out.bytes) }
        out.bytes.removeAll(keepingCapacity: true)
        OrderedJSONArray.write(count: elements.count, indent: 2, { write(&$0, elements[$1]) }) {
          emit($0.bytes)
        }
      }
    }
    func array<S: Sequence>(_ elements: S, _ element: @escaping (S.Element) -> JSONValue?)
      -> (inout JSONText, ([UInt8]) -> Void) -> Void
    {
      array(elements) { out, e in
        guard let v = element(e) else { return false }
        out.value(v, indent: 2)
        return true
      }
    }
    var members: [Member] = [
      ("format", value("learnlog-export")), ("version", value(1)),
      ("incidents", ordered(state.incidentPlacesInCreationOrder(), writing: incident)),
      (
        "actions",
        // Each read from the place one walk of the actions' keys found, not searched by id.
        ordered(state.actionRecordsInCreationOrder()) {
          (out: inout JSONText, e: EntityRecord) -> Bool in
          guard let a = state.action(at: e) else { return false }
          writeActionJSON(a, into: &out, indent: 2)
          return true
        }
      ),
      ("experiments", array(state.experimentList, experimentJSON)),
      ("lessons", array(state.lessonList, lessonJSON)),
      ("patterns", array(state.patterns(on: day), patternJSON)),
      ("templates", array(templates) { $0 }),
      ("checklists", array(state.checklistList, checklistJSON)),
      ("reviewSchedules", array(state.reviewScheduleList, scheduleJSON)),
      ("wins", array(state.winList, winJSON)),
    ]
    if includePrivate {
      members.append(
        (
          "private",
          array(state.noteList) { n in
            [
              "id": .string(n.id), "kind": .string(n.kind), "incident": .string(n.incident),
              "person": .string(n.person), "text": .string(n.text), "at": time(n.at),
            ]
          }
        ))
    }
    members.sort { $0.key < $1.key }
    var out = JSONText()
    out.bytes.reserveCapacity(1 << 17)
    out.raw("{")
    for (i, m) in members.enumerated() {
      out.raw(i > 0 ? ",\n  " : "\n  ")
      out.string(m.key)
      out.raw(": ")
      m.write(&out, emit)
    }
    out.raw("\n}\n")
    emit(out.bytes)
  }

  /// A CSV table of incidents or actions, RFC 4180 with CRLF, guarded against formulas.
  public static func csv(_ state: LearningState, table: CSVTable = .incidents) -> String {
    var out = ""
    streamCSV(state, table: table) { out += $0 }
    return out
  }

  /// Writes ``csv(_:table:)`` as it is produced, in the same bytes, one entity at a time.
  public static func streamCSV(
    _ state: LearningState, table: CSVTable = .incidents, emit: (String) -> Void
  ) {
    var out = ""
    func flush() {
      if out.utf8.count >= 1 << 16 {
        emit(out)
        out = ""
      }
    }
    defer { emit(out) }
    switch table {
    case .incidents:
      out += CSV.row([
        "id", "title", "what", "kind", "severity", "team", "owner", "tags", "triggers",
        "patterns", "occurred", "status", "root-cause", "gap",
      ])
      // Each incident read from the place one walk of the keys found, not searched by id.
      for k in state.incidentPlacesInCreationOrder() {
        guard let i = state.incident(k.id, at: k.place) else { continue }
        flush()
        let gap = i.answer("gap") == GapType.skill.rawValue ? "" : (i.answer("gap") ?? "")
        out += CSV.row([
          i.id, i.title, i.what, i.kind.rawValue, i.severity.rawValue, i.team, i.owner,
          i.tags.joined(separator: ";"), i.triggers.joined(separator: ";"),
          i.patterns.joined(separator: ";"), i.occurred.description, i.status.rawValue,
          i.answer("root-cause") ?? "", gap,
        ])
      }
    case .actions:
      out += CSV.row([
        "id", "incident", "title", "owner", "due", "review", "type", "signal", "status",
        "reason", "outcome",
      ])
      for place in state.actionRecordsInCreationOrder() {
        guard let a = state.action(at: place) else { continue }
        flush()
        out += CSV.row([
          a.id, a.incident, a.title, a.owner, a.due?.description ?? "",
          a.review?.description ?? "", a.type.rawValue, a.signal, a.status.rawValue,
          a.dropReason, a.outcome?.rawValue ?? "",
        ])
      }
    }
  }

  /// Whether `u` is a control, bidi or zero-width character that no renderer may get raw.
  static func isHidden(_ u: Unicode.Scalar) -> Bool {
    switch u.value {
    case 0..<0x20, 0x7F...0x9F, 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069,
      0xFEFF:
      return true
    default: return false
    }
  }

  /// `u` written as `\u{1B}`, which Markdown shows as typed.
  static func shown(_ u: Unicode.Scalar) -> String {
    "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
  }

  /// Text for a Markdown line: line breaks and tabs become spaces, markup characters are
  /// escaped, and control, bidi and zero-width characters are shown as `\u{…}`.
  static func md(_ s: String) -> String {
    var out = ""
    var afterCR = false
    for u in s.unicodeScalars {
      defer { afterCR = u == "\r" }
      switch u {
      case "\n" where afterCR: continue
      case "\n", "\r", "\t": out += " "
      case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "&":
        out += "\\"
        out.unicodeScalars.append(u)
      default:
        if isHidden(u) { out += shown(u) } else { out.unicodeScalars.append(u) }
      }
    }
    return out
  }

  /// A Markdown code span holding `s` (fenced by more backticks than it holds), with control
  /// characters shown as `\u{…}`; in a table a `|` is escaped so it cannot end the cell.
  static func mdCode(_ s: String, inTable: Bool = false) -> String {
    var t = ""
    var run = 0
    var longest = 0
    for u in s.unicodeScalars {
      run = u == "`" ? run + 1 : 0
      longest = max(longest, run)
      switch u {
      case "\n", "\r", "\t": t += " "
      case "|" where inTable: t += "\\|"
      default:
        if isHidden(u) { t += shown(u) } else { t.unicodeScalars.append(u) }
      }
    }
    let fence = String(repeating: "`", count: longest + 1)
    let pad = t.hasPrefix("`") || t.hasSuffix("`") ? " " : ""
    return fence + pad + t + pad + fence
  }

  /// The digest's contributing factors, timelines and "What we changed" sections.
  ///
  /// Privately classified factors are left out; links are shown in full as code, never as
  /// links. A change counts when it was made in the period or because of one of `incidents`.
  static func followUpMarkdown(
    _ state: LearningState, incidents incs: [Incident], from: Day, until: Day, team: String?
  ) -> String {
    var out = ""
    let ids = Set(incs.map(\.id))
    var factorLines = ""
    for i in incs {
      for f in state.factors(of: i.id) where f.gap != .private {
        factorLines += "- \(md(i.title)): \(md(f.text)) (\(f.gap.rawValue))\n"
      }
    }
    if !factorLines.isEmpty { out += "\n## Contributing factors\n\n" + factorLines }
    var timelines = ""
    for i in incs {
      let entries = state.timeline(of: i.id)
      guard !entries.isEmpty else { continue }
      timelines += "\n### \(md(i.title))\n\n"
      for e in entries {
        timelines += "- \(LocalTime.string(e.time)) \(e.kind.rawValue): \(md(e.text))"
        if !e.link.isEmpty { timelines += " — \(mdCode(e.link))" }
        timelines += "\n"
      }
    }
    if !timelines.isEmpty { out += "\n## Timeline\n" + timelines }
    func inPeriod(_ at: Int64, _ because: String) -> Bool {
      let d = Day(utcMilliseconds: at)
      return ids.contains(because) || (d >= from && d <= until)
    }
    func cause(_ because: String) -> String {
      guard !because.isEmpty else { return "" }
      return " — because of " + (state.incidents[because].map { md($0.title) } ?? md(because))
    }
    var changes = ""
    for c in state.checklistList where team == nil || c.team.isEmpty || c.team == team {
      for r in c.revisions where inPeriod(r.at, r.because) {
        let what = c.kind == .criteria ? "Decision criteria" : "Checklist"
        changes += "- \(what) \(mdCode(c.name)) rev \(r.number)\(cause(r.because))\n"
        if r.number == 1 {
          for item in r.items { changes += "  - [ ] \(md(item))\n" }
        } else {
          for item in r.added { changes += "  - added: \(md(item))\n" }
          for item in r.removed { changes += "  - removed: \(md(item))\n" }
        }
      }
    }
    for name in state.templateNames {
      for r in state.templateRevisions[name] ?? []
      where (team == nil || r.team.isEmpty || r.team == team) && inPeriod(r.at, r.because) {
        changes += "- Template \(mdCode(name)) rev \(r.number)\(cause(r.because))\n"
      }
    }
    if !changes.isEmpty { out += "\n## What we changed\n\n" + changes }
    return out
  }

  /// The digest's "Experiments": those of the period's incidents, or set up or decided in the
  /// period for the team's incidents, each with its outcome.
  static func experimentsMarkdown(
    _ state: LearningState, incidents ids: Set<String>, team: String?, from: Day, until: Day
  ) -> String {
    let list = state.experimentList.filter { e in
      if let i = e.incident, ids.contains(i) { return true }
      let d = Day(utcMilliseconds: e.createdAt)
      guard d >= from && d <= until else { return false }
      guard let team else { return true }
      return e.incident.flatMap { state.incidents[$0]?.team } == team
    }
    guard !list.isEmpty else { return "" }
    var out = "\n## Experiments\n\n"
    for e in list {
      var line = "- \(md(e.hypothesis))"
      if !e.change.isEmpty { line += " — change: \(md(e.change))" }
      line += " — criteria: \(md(e.criteria))"
      if let d = e.decision {
        line += " — **\(d.rawValue)**"
        if !e.result.isEmpty { line += ": \(md(e.result))" }
      } else {
        line += " — open, check \(e.check?.description ?? "?")"
      }
      out += line + "\n"
    }
    return out
  }

  /// A "What we learned" digest in Markdown for `team` (every team when nil) from `since`
  /// (the last 30 days when nil) to `until`.
  ///
  /// With `logs` (several teams' logs read together), the digest names the logs, marks each
  /// incident with its log, orders the incidents by day across logs, and says which logs each
  /// repeating pattern occurs in.
  public static func markdown(
    _ state: LearningState, team: String? = nil, since: Day? = nil, until: Day,
    logs: LogLabels? = nil
  ) -> String {
    var out = ""
    streamMarkdown(state, team: team, since: since, until: until, logs: logs) { out += $0 }
    return out
  }

  /// Writes ``markdown(_:team:since:until:)`` as it is produced, in the same bytes, in pieces
  /// of about 64 KiB.
  public static func streamMarkdown(
    _ state: LearningState, team: String? = nil, since: Day? = nil, until: Day,
    logs: LogLabels? = nil, emit: (String) -> Void
  ) {
    let from = since ?? until.adding(days: -30)
    func inTeam(_ t: String) -> Bool { team == nil || t == team }
    var incs = state.incidentList.filter {
      inTeam($0.team) && $0.occurred >= from && $0.occurred <= until
    }
    if logs != nil {
      // Stable: incidents of one day keep their log's order.
      incs = incs.enumerated().sorted {
        ($0.element.occurred, $0.offset) < ($1.element.occurred, $1.offset)
      }
      .map(\.element)
    }
    let lessons = state.lessonList.filter { l in
      let d = Day(utcMilliseconds: l.createdAt)
      return d >= from && d <= until
        && (team == nil || l.teams.isEmpty || l.teams.contains(team ?? ""))
    }
    var out = "# What we learned\n\n"
    func flush() {
      if out.utf8.count >= 1 << 16 {
        emit(out)
        out = ""
      }
    }
    out += "\(team.map { "Team **\(md($0))**, " } ?? "All teams, ")\(from) to \(until)\n\n"
    if let logs {
      out +=
        "Across \(logs.names.count) team logs: \(logs.names.map(md).joined(separator: ", "))\n\n"
    }
    out += "## Lessons\n\n"
    if lessons.isEmpty { out += "No new lessons in this period.\n" }
    for l in lessons {
      out += "- \(md(l.text))"
      let titles = l.incidents.compactMap { state.incidents[$0]?.title }
      if !titles.isEmpty { out += " — from: " + titles.map(md).joined(separator: "; ") }
      if !l.tags.isEmpty { out += " (" + l.tags.map { mdCode($0) }.joined(separator: " ") + ")" }
      out += "\n"
    }
    out += "\n## Incidents and what they taught us\n\n"
    if incs.isEmpty {
      out += "No incidents in this period.\n"
    } else {
      out +=
        "| Day |" + (logs == nil ? "" : " Log |")
        + " Kind | Team | Incident | Root cause | Patterns | Review |\n"
      out += "|---|" + (logs == nil ? "" : "---|") + "---|---|---|---|---|---|\n"
      let timeline = PatternTimeline(state)
      let owned = state.incidentsWithOwnedAction(reading: incs.count)
      for i in incs {
        flush()
        let complete =
          state.reviewStatus(i, timeline, questions: false, owned: owned).isComplete
          ? "complete" : "open"
        out += "| \(i.occurred) | " + (logs.map { md($0.label(i.id)) + " | " } ?? "")
        out += "\(i.kind.rawValue) | \(md(i.team)) | \(md(i.title)) | "
        out += "\(md(i.answer("root-cause") ?? "")) | "
        out += i.patterns.map { mdCode($0, inTable: true) }.joined(separator: " ")
        out += " | \(complete) |\n"
      }
    }
    let ids = Set(incs.map(\.id))
    out += followUpMarkdown(state, incidents: incs, from: from, until: until, team: team)
    out += experimentsMarkdown(state, incidents: ids, team: team, from: from, until: until)
    let acts = state.actionList.filter { ids.contains($0.incident) }
    out += "\n## Actions\n\n"
    if acts.isEmpty { out += "No actions for these incidents.\n" }
    for a in acts {
      flush()
      let box = a.status == .done || a.status == .dropped ? "[x]" : "[ ]"
      var line =
        "- \(box) \(md(a.title)) — \(md(a.owner)), due \(a.due?.description ?? "?"), \(a.status.rawValue)"
      if let o = a.outcome { line += ", \(o.rawValue)" }
      if a.status == .dropped { line += " (\(md(a.dropReason)))" }
      out += line + "\n"
    }
    let pats = state.patterns(on: until).filter { p in
      p.incidents.contains { ids.contains($0) }
    }
    if !pats.isEmpty {
      out += "\n## Repeating patterns\n\n"
      for p in pats {
        var line =
          "- \(mdCode(p.key)): \(p.inWindow) in the last \(state.policy.windowDays) days, \(p.step.rawValue)"
        if p.recurredAfterVerifiedFix { line += ", came back after a verified fix" }
        if let across = logs?.pattern[p.key], across.count > 1 {
          line += ", across \(across.count) teams (\(across.map(md).joined(separator: ", ")))"
        }
        out += line + "\n"
      }
    }
    emit(out)
  }
}
