/// The incident and the action last applied and where they sit in their maps, so a run of
/// records about one entity (an incident and its answers, an action and its changes) looks
/// the entity up once.
///
/// A place in a dictionary holds until the dictionary gains or loses a key: whatever may do
/// that (a creation, a record applied by the usual rules, held records released) replaces
/// or forgets it.
struct HotEntities {
  var incident = ""
  var incidentIndex: Dictionary<String, Incident>.Index?
  var action = ""
  var actionIndex: Dictionary<String, Action>.Index?

  /// Forgets both places.
  @inline(__always)
  mutating func forget() {
    incidentIndex = nil
    actionIndex = nil
  }

  /// Where `id` sits in the incidents, when it is the incident last applied.
  @inline(__always)
  func incident(_ id: String) -> Dictionary<String, Incident>.Index? {
    guard let i = incidentIndex, incident == id else { return nil }
    return i
  }

  /// Where `id` sits in the actions, when it is the action last applied.
  @inline(__always)
  func action(_ id: String) -> Dictionary<String, Action>.Index? {
    guard let i = actionIndex, action == id else { return nil }
    return i
  }
}

extension LearningState {
  /// Applies a record prepared on a worker thread (``PreparedRecord``) as ``applyOnce(_:)``
  /// applies the record of its line, taking what it sets out of its table in `batch` (at
  /// `cursors`, which move past it).
  ///
  /// The common case (the entity exists, or does not yet when the record creates it) only
  /// stores what the worker built. Anything else — a held reference, a second creation, a
  /// field that does not fit — goes to ``applyOnce(_:)`` with the line decoded the usual way
  /// by `usual`, before anything is changed. False when `usual` cannot decode it (the caller
  /// then opens the usual way).
  mutating func applyPrepared(
    _ r: borrowing PreparedRecord, from batch: inout PreparedBatch,
    at cursors: inout PreparedBatch.Cursors, hot: inout HotEntities,
    usual: (_ start: Int, _ count: Int) -> Record?
  ) -> Bool {
    let entity = r.entity
    let (start, count) = (r.lineStart, Int(r.lineCount))
    func viaRecord() -> Bool {
      hot.forget()
      guard let record = usual(start, count) else { return false }
      applyOnce(record)
      return true
    }
    // The check `applyOnce` makes first, for every type (the value is left in its table).
    if !tombstones.isEmpty, !entity.isEmpty, tombstones.contains(entity) {
      cursors.skip(r.kind)
      return true
    }
    switch r.kind {
    case .record:
      guard let record = batch.usual[cursors.usual].take() else { return false }
      cursors.usual += 1
      hot.forget()
      applyOnce(record)

    case .incidentCreated:
      guard let incident = batch.incidents[cursors.incidents].take() else { return false }
      cursors.incidents += 1
      let patterns = incident.patterns
      guard incidents.insertIfAbsent(entity, incident) else { return viaRecord() }
      appendToIncidentOrder(entity)
      indexPatterns(entity, old: [], new: patterns)
      if !pending.isEmpty {
        hot.forget()
        released(entity)
      }
      hot.incident = entity
      hot.incidentIndex = incidents.storedIndex(entity)

    case .incidentFieldSet:
      guard let set = batch.fieldSets[cursors.fieldSets].take() else { return false }
      cursors.fieldSets += 1
      // Held (no incident yet) or reported (a value that does not fit) the usual way. The
      // field is set in place: the incident keeps its place in the map.
      guard hot.incident(entity) != nil || incidents.contains(entity),
        setIncidentField(entity, set.field, set.value)
      else { return viaRecord() }

    case .reviewAnswered:
      guard let version = batch.answers[cursors.answers].take() else { return false }
      cursors.answers += 1
      guard let i = hot.incident(entity) ?? incidents.storedIndex(entity) else {
        if incidents.base == nil { return viaRecord() }
        let found = incidents.modify(entity) { inc in
          inc.answers[version.key, default: []].append(version)
          inc.template = version.template
          if inc.status == .open { inc.status = .reviewing }
        }
        return found ? true : viaRecord()
      }
      hot.incident = entity
      hot.incidentIndex = i
      Self.answer(&incidents.stored.values[i], version)

    case .actionCreated:
      guard let action = batch.actions[cursors.actions].take() else { return false }
      cursors.actions += 1
      let incident = action.incident
      guard actions.insertIfAbsent(entity, action) else { return viaRecord() }
      appendToActionOrder(entity)
      if actionsByIncident.base == nil {
        actionsByIncident.stored[incident, default: []].append(entity)
      } else if !actionsByIncident.modify(incident, { $0.append(entity) }) {
        actionsByIncident[incident] = [entity]
      }
      if !pending.isEmpty {
        hot.forget()
        released(entity)
      }
      hot.action = entity
      hot.actionIndex = actions.storedIndex(entity)

    case .actionStatusSet:
      guard let set = batch.statuses[cursors.statuses].take() else { return false }
      cursors.statuses += 1
      if let i = hot.action(entity) ?? actions.storedIndex(entity) {
        hot.action = entity
        hot.actionIndex = i
        Self.setStatus(&actions.stored.values[i], set)
      } else if !actions.modify(entity, { Self.setStatus(&$0, set) }) {
        return viaRecord()
      }

    case .actionVerified:
      guard let v = batch.verifications[cursors.verifications].take() else { return false }
      cursors.verifications += 1
      guard let i = hot.action(entity) ?? actions.storedIndex(entity) else {
        if actions.base == nil { return viaRecord() }
        let found = actions.modify(entity) { a in
          a.verifications.append(v)
          if v.outcome == .ineffective { a.status = .open }
        }
        return found ? true : viaRecord()
      }
      hot.action = entity
      hot.actionIndex = i
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

  /// What ``applyOnce(_:)`` does to an action for `action.status-set`.
  @inline(__always)
  static func setStatus(_ a: inout Action, _ set: consuming PreparedStatus) {
    a.status = set.status
    a.dropReason = set.reason
    if set.status == .done { a.doneAt = set.at }
  }

  /// What ``applyOnce(_:)`` does to an action for `action.verified`, the verification moved in.
  @inline(__always)
  static func verify(_ action: inout Action, _ v: consuming Verification) {
    let ineffective = v.outcome == .ineffective
    action.verifications.append(v)
    if ineffective { action.status = .open }
  }
}

extension PreparedBatch.Cursors {
  /// Moves past the value of a record of `kind` without taking it.
  @inline(__always)
  mutating func skip(_ kind: PreparedKind) {
    switch kind {
    case .record: usual += 1
    case .incidentCreated: incidents += 1
    case .incidentFieldSet: fieldSets += 1
    case .reviewAnswered: answers += 1
    case .actionCreated: actions += 1
    case .actionStatusSet: statuses += 1
    case .actionVerified: verifications += 1
    }
  }
}
