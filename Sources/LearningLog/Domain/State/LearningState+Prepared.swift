extension LearningState {
  /// Applies a record prepared on a worker thread (``PreparedRecord``) as ``applyOnce(_:)``
  /// applies the record of its line.
  ///
  /// The common case (the entity exists, or does not yet when the record creates it) only
  /// stores what the worker built. Anything else — a held reference, a second creation, a
  /// field that does not fit — goes to ``applyOnce(_:)`` with the line decoded the usual way
  /// by `usual`, before anything is changed. False when `usual` cannot decode it (the caller
  /// then opens the usual way).
  mutating func applyPrepared(
    _ r: inout PreparedRecord, usual: (_ start: Int, _ count: Int) -> Record?
  ) -> Bool {
    let entity = r.entity
    let (start, count) = (r.lineStart, r.lineCount)
    func viaRecord() -> Bool {
      guard let record = usual(start, count) else { return false }
      applyOnce(record)
      return true
    }
    // The check `applyOnce` makes first, for every type.
    if !tombstones.isEmpty, !entity.isEmpty, tombstones.contains(entity) { return true }
    let body = r.takeBody()
    switch consume body {
    case .none:
      return true

    case .record(let record):
      applyOnce(record)

    case .incidentCreated(let incident):
      let patterns = incident.patterns
      guard incidents.insertIfAbsent(entity, incident) else { return viaRecord() }
      incidentOrder.append(entity)
      indexPatterns(entity, old: [], new: patterns)
      released(entity)

    case .incidentFieldSet(let field, let value):
      // Held (no incident yet) or reported (a value that does not fit) the usual way.
      guard incidents.contains(entity), setIncidentField(entity, field, value) else {
        return viaRecord()
      }

    case .reviewAnswered(let version):
      guard let i = incidents.storedIndex(entity) else {
        if incidents.base == nil { return viaRecord() }
        let found = incidents.modify(entity) { inc in
          inc.answers[version.key, default: []].append(version)
          inc.template = version.template
          if inc.status == .open { inc.status = .reviewing }
        }
        return found ? true : viaRecord()
      }
      Self.answer(&incidents.stored.values[i], version)

    case .actionCreated(let action):
      let incident = action.incident
      guard actions.insertIfAbsent(entity, action) else { return viaRecord() }
      actionOrder.append(entity)
      if actionsByIncident.base == nil {
        actionsByIncident.stored[incident, default: []].append(entity)
      } else if !actionsByIncident.modify(incident, { $0.append(entity) }) {
        actionsByIncident[incident] = [entity]
      }
      released(entity)

    case .actionStatusSet(let status, let reason, let at):
      let found = actions.modify(entity) { a in
        a.status = status
        a.dropReason = reason
        if status == .done { a.doneAt = at }
      }
      if !found { return viaRecord() }

    case .actionVerified(let v):
      guard let i = actions.storedIndex(entity) else {
        if actions.base == nil { return viaRecord() }
        let found = actions.modify(entity) { a in
          a.verifications.append(v)
          if v.outcome == .ineffective { a.status = .open }
        }
        return found ? true : viaRecord()
      }
      Self.verify(&actions.stored.values[i], v)
    }
    return true
  }

  /// What ``applyOnce(_:)`` does to an incident for `review.answered`, the version moved in.
  @inline(__always)
  static func answer(_ inc: inout Incident, _ version: consuming AnswerVersion) {
    let key = version.key
    let template = version.template
    inc.answers[key, default: []].append(version)
    inc.template = template
    if inc.status == .open { inc.status = .reviewing }
  }

  /// What ``applyOnce(_:)`` does to an action for `action.verified`, the verification moved in.
  @inline(__always)
  static func verify(_ action: inout Action, _ v: consuming Verification) {
    let ineffective = v.outcome == .ineffective
    action.verifications.append(v)
    if ineffective { action.status = .open }
  }
}
