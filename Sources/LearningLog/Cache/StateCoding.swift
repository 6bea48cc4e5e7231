/// The binary form of a ``LearningState`` kept in the snapshot cache.
///
/// Private notes are never written: the snapshot holds shared state only.
enum StateCoding {
  static func encode(_ s: LearningState, into w: inout BinaryWriter) throws(SnapshotFormatError) {
    w.uint(UInt64(s.incidents.count))
    for inc in s.incidents.values { encodeIncident(inc, &w) }
    w.uint(UInt64(s.actions.count))
    for a in s.actions.values { encodeAction(a, &w) }
    w.uint(UInt64(s.experiments.count))
    for e in s.experiments.values {
      w.shared(e.id)
      w.optionalString(e.incident)
      w.optionalString(e.pattern)
      w.string(e.hypothesis)
      w.string(e.change)
      w.string(e.criteria)
      w.day(e.check)
      w.string(e.result)
      w.bool(e.decision != nil)
      if let d = e.decision { w.choice(d) }
      w.shared(e.createdBy)
      w.int64(e.createdAt)
    }
    w.uint(UInt64(s.lessons.count))
    for l in s.lessons.values {
      w.shared(l.id)
      w.string(l.text)
      w.strings(l.incidents)
      w.strings(l.teams)
      w.strings(l.tags)
      w.strings(l.patterns)
      w.day(l.revalidate)
      w.day(l.revalidated)
      w.shared(l.author)
      w.int64(l.createdAt)
    }
    w.uint(UInt64(s.templateRevisions.count))
    for (name, revs) in s.templateRevisions {
      w.shared(name)
      w.uint(UInt64(revs.count))
      for r in revs {
        w.int(r.number)
        w.shared(r.template.name)
        w.string(r.template.title)
        w.uint(UInt64(r.template.questions.count))
        for q in r.template.questions {
          w.shared(q.key)
          w.string(q.prompt)
          w.choice(q.kind)
          w.strings(q.choices)
        }
        w.int64(r.at)
        w.shared(r.by)
      }
    }
    w.strings(Array(s.tombstones))
    w.strings(s.incidentOrder)
    w.strings(s.actionOrder)
    w.strings(s.experimentOrder)
    w.strings(s.lessonOrder)
    w.strings(s.templateOrder)
    encodeIndex(s.actionsByIncident, &w)
    encodeIndex(s.incidentsByPatternKey, &w)
    let held = s.pending.values.flatMap { $0 }
    w.uint(UInt64(held.count))
    for r in held {
      do {
        var line = try RecordCodec.encode(r)
        line.removeLast()
        w.uint(UInt64(line.count))
        w.raw(line)
      } catch {
        throw SnapshotFormatError("a held record cannot be encoded: \(error)")
      }
    }
    w.uint(UInt64(s.decodeProblems.count))
    for p in s.decodeProblems { w.string(p) }
    w.uint(UInt64(s.unknownTypes.count))
    for (t, n) in s.unknownTypes {
      w.string(t)
      w.int(n)
    }
    // Applied ids: needed only when a record arrives out of order; 16 bytes each.
    w.uint(UInt64(s.appliedIDs.packed.count))
    s.appliedIDs.packed.withUnsafeBytes { w.bytes.append(contentsOf: $0) }
    w.uint(UInt64(s.appliedIDs.other.count))
    for o in s.appliedIDs.other { w.string(o) }
    w.bool(s.lastClock != nil)
    if let c = s.lastClock {
      w.int64(c.wall)
      w.int64(Int64(c.logical))
    }
    w.string(s.lastWriter)
    w.string(s.lastID.rawValue)
  }

  static func encodeIncident(_ i: Incident, _ w: inout BinaryWriter) {
    w.shared(i.id)
    w.string(i.title)
    w.string(i.what)
    w.choice(i.kind)
    w.choice(i.severity)
    w.int(i.occurred.ordinal)
    w.shared(i.team)
    w.shared(i.owner)
    w.strings(i.tags)
    w.strings(i.triggers)
    w.strings(i.patterns)
    w.choice(i.status)
    w.shared(i.template)
    w.uint(UInt64(i.answers.count))
    for (key, versions) in i.answers {
      w.shared(key)
      w.uint(UInt64(versions.count))
      for v in versions {
        w.shared(v.key)
        w.string(v.value)
        w.shared(v.template)
        w.int64(v.at)
        w.shared(v.by)
      }
    }
    w.int64(i.createdAt)
    w.shared(i.createdBy)
  }

  static func encodeAction(_ a: Action, _ w: inout BinaryWriter) {
    w.shared(a.id)
    w.shared(a.incident)
    w.string(a.title)
    w.shared(a.owner)
    w.day(a.due)
    w.day(a.review)
    w.choice(a.type)
    w.string(a.signal)
    w.choice(a.status)
    w.string(a.dropReason)
    w.uint(UInt64(a.verifications.count))
    for v in a.verifications {
      w.choice(v.outcome)
      w.string(v.evidence)
      w.int64(v.at)
      w.shared(v.by)
    }
    w.int64(a.createdAt)
    w.bool(a.doneAt != nil)
    if let d = a.doneAt { w.int64(d) }
  }

  static func encodeIndex(_ index: [String: [String]], _ w: inout BinaryWriter) {
    w.uint(UInt64(index.count))
    for (k, v) in index {
      w.shared(k)
      w.strings(v)
    }
  }

  static func decode(_ r: inout BinaryReader, policy: PolicySettings) throws(SnapshotFormatError)
    -> LearningState
  {
    var s = LearningState(policy: policy)
    let nIncidents = try r.count()
    s.incidents.reserveCapacity(nIncidents)
    for k in 0..<nIncidents {
      let inc = try decodeIncident(&r)
      s.incidents[inc.id] = inc
      if k & 4095 == 4095 { r.release?(r.position) }
    }
    let nActions = try r.count()
    s.actions.reserveCapacity(nActions)
    for k in 0..<nActions {
      let a = try decodeAction(&r)
      s.actions[a.id] = a
      if k & 4095 == 4095 { r.release?(r.position) }
    }
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let incident = try r.optionalString()
      let pattern = try r.optionalString()
      let hypothesis = try r.string()
      let change = try r.string()
      let criteria = try r.string()
      let check = try r.day()
      let result = try r.string()
      let decision: ExperimentDecision? =
        try r.bool() ? try r.choice(ExperimentDecision.self) : nil
      let by = try r.shared()
      let at = try r.int64()
      s.experiments[id] = Experiment(
        id: id, incident: incident, pattern: pattern, hypothesis: hypothesis, change: change,
        criteria: criteria, check: check, result: result, decision: decision, createdBy: by,
        createdAt: at)
    }
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let text = try r.string()
      let incidents = try r.strings()
      let teams = try r.strings()
      let tags = try r.strings()
      let patterns = try r.strings()
      let revalidate = try r.day()
      let revalidated = try r.day()
      let author = try r.shared()
      let at = try r.int64()
      s.lessons[id] = Lesson(
        id: id, text: text, incidents: incidents, teams: teams, tags: tags, patterns: patterns,
        revalidate: revalidate, revalidated: revalidated, author: author, createdAt: at)
    }
    for _ in 0..<(try r.count()) {
      let name = try r.shared()
      var revs: [TemplateRevision] = []
      for _ in 0..<(try r.count()) {
        let number = try r.int()
        let tname = try r.shared()
        let title = try r.string()
        var questions: [Question] = []
        for _ in 0..<(try r.count()) {
          let key = try r.shared()
          let prompt = try r.string()
          let kind = try r.choice(QuestionKind.self)
          let choices = try r.strings()
          questions.append(Question(key: key, prompt: prompt, kind: kind, choices: choices))
        }
        let at = try r.int64()
        let by = try r.shared()
        revs.append(
          TemplateRevision(
            number: number,
            template: ReviewTemplate(name: tname, title: title, questions: questions), at: at,
            by: by))
      }
      s.templateRevisions[name] = revs
    }
    s.tombstones = Set(try r.strings())
    s.incidentOrder = try r.strings()
    s.actionOrder = try r.strings()
    s.experimentOrder = try r.strings()
    s.lessonOrder = try r.strings()
    s.templateOrder = try r.strings()
    s.actionsByIncident = try decodeIndex(&r)
    s.incidentsByPatternKey = try decodeIndex(&r)
    for _ in 0..<(try r.count()) {
      let n = try r.count(limit: LogBounds.maxLineBytes + 64)
      let line = try r.rawBytes(n)
      switch RecordCodec.decodeRecord(line) {
      case .success(let rec): s.pending[rec.entity, default: []].append(rec)
      case .failure(let why): throw SnapshotFormatError("held record: \(why.text)")
      }
    }
    for _ in 0..<(try r.count()) { s.decodeProblems.append(try r.string()) }
    for _ in 0..<(try r.count()) {
      let t = try r.string()
      s.unknownTypes[t] = try r.int()
    }
    let words = try r.count()
    let raw = try r.rawBytes(words * 8)
    s.appliedIDs.packed = [UInt64](unsafeUninitializedCapacity: words) { buf, n in
      UnsafeMutableRawBufferPointer(buf).copyMemory(from: raw)
      n = words
    }
    for _ in 0..<(try r.count()) { s.appliedIDs.other.append(try r.string()) }
    if try r.bool() {
      let wall = try r.int64()
      let logical = try r.int32()
      s.lastClock = HybridTimestamp(wall: wall, logical: logical)
    }
    s.lastWriter = try r.string()
    s.lastID = EventID(rawValue: try r.string())
    return s
  }

  static func decodeIncident(_ r: inout BinaryReader) throws(SnapshotFormatError) -> Incident {
    let id = try r.shared()
    let title = try r.string()
    let what = try r.string()
    let kind = try r.choice(IncidentKind.self)
    let severity = try r.choice(Severity.self)
    let occurred = Day(ordinal: try r.int())
    let team = try r.shared()
    let owner = try r.shared()
    let tags = try r.strings()
    let triggers = try r.strings()
    let patterns = try r.strings()
    let status = try r.choice(IncidentStatus.self)
    let template = try r.shared()
    let nAnswers = try r.count()
    var answers: [String: [AnswerVersion]] = [:]
    answers.reserveCapacity(nAnswers)
    for _ in 0..<nAnswers {
      let key = try r.shared()
      let n = try r.count()
      var versions: [AnswerVersion] = []
      versions.reserveCapacity(n)
      for _ in 0..<n {
        let k = try r.shared()
        let value = try r.string()
        let t = try r.shared()
        let at = try r.int64()
        let by = try r.shared()
        versions.append(AnswerVersion(key: k, value: value, template: t, at: at, by: by))
      }
      answers[key] = versions
    }
    let createdAt = try r.int64()
    let createdBy = try r.shared()
    return Incident(
      id: id, title: title, what: what, kind: kind, severity: severity, occurred: occurred,
      team: team, owner: owner, tags: tags, triggers: triggers, patterns: patterns,
      status: status, template: template, answers: answers, createdAt: createdAt,
      createdBy: createdBy)
  }

  static func decodeAction(_ r: inout BinaryReader) throws(SnapshotFormatError) -> Action {
    let id = try r.shared()
    let incident = try r.shared()
    let title = try r.string()
    let owner = try r.shared()
    let due = try r.day()
    let review = try r.day()
    let type = try r.choice(ActionType.self)
    let signal = try r.string()
    let status = try r.choice(ActionStatus.self)
    let dropReason = try r.string()
    var verifications: [Verification] = []
    for _ in 0..<(try r.count()) {
      let outcome = try r.choice(VerificationOutcome.self)
      let evidence = try r.string()
      let at = try r.int64()
      let by = try r.shared()
      verifications.append(Verification(outcome: outcome, evidence: evidence, at: at, by: by))
    }
    let createdAt = try r.int64()
    let doneAt: Int64? = try r.bool() ? try r.int64() : nil
    return Action(
      id: id, incident: incident, title: title, owner: owner, due: due, review: review,
      type: type, signal: signal, status: status, dropReason: dropReason,
      verifications: verifications, createdAt: createdAt, doneAt: doneAt)
  }

  static func decodeIndex(_ r: inout BinaryReader) throws(SnapshotFormatError) -> [String: [String]]
  {
    let n = try r.count()
    var out: [String: [String]] = [:]
    out.reserveCapacity(n)
    for _ in 0..<n {
      let k = try r.shared()
      out[k] = try r.strings()
    }
    return out
  }
}
