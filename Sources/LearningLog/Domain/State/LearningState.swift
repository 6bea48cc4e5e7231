import WorkCounting

/// The replayed state of a learning log: every entity, kept in creation order.
///
/// Build it with ``replay(_:policy:)`` or feed records in replay order to ``apply(_:)``.
/// A record id seen twice counts once; each field is last-writer-wins by replay order;
/// deleted entities become tombstones; references to unknown entities are held and reported.
public struct LearningState: Sendable {
  /// Incidents by id (deleted ones removed).
  public internal(set) var incidents = EntityMap<Incident>()
  /// Actions by id.
  public internal(set) var actions = EntityMap<Action>()
  /// Experiments by id.
  public internal(set) var experiments: [String: Experiment] = [:]
  /// Lessons by id.
  public internal(set) var lessons: [String: Lesson] = [:]
  /// Private notes and growth items by id (only when private records were applied).
  public internal(set) var notes: [String: PrivateNote] = [:]
  /// Team templates: every revision, oldest first, by name.
  public internal(set) var templateRevisions: [String: [TemplateRevision]] = [:]
  /// Contributing factors by id.
  public internal(set) var factors: [String: ContributingFactor] = [:]
  /// Timeline entries by id.
  public internal(set) var timelineEntries: [String: TimelineEntry] = [:]
  /// Checklists and decision criteria by name, each with every revision.
  public internal(set) var checklists: [String: Checklist] = [:]
  /// Scheduled reviews by incident id (the latest schedule of each).
  public internal(set) var reviewSchedules: [String: ReviewSchedule] = [:]
  /// Wins by id.
  public internal(set) var wins: [String: Win] = [:]
  /// Ids of deleted entities (read through ``tombstones``).
  var _tombstones: Set<String> = []
  /// The thresholds the rules use.
  public var policy: PolicySettings

  /// Creation orders, read through ``incidentOrder`` and ``actionOrder``.
  var _incidentOrder: [String] = []
  var _actionOrder: [String] = []
  var experimentOrder: [String] = [] { didSet { idsChanged() } }
  var lessonOrder: [String] = [] { didSet { idsChanged() } }
  var noteOrder: [String] = [] { didSet { idsChanged() } }
  var templateOrder: [String] = []
  var factorOrder: [String] = [] { didSet { idsChanged() } }
  var timelineOrder: [String] = [] { didSet { idsChanged() } }
  /// Factor and timeline-entry ids by incident, in creation order.
  var factorsByIncident: [String: [String]] = [:]
  var timelineByIncident: [String: [String]] = [:]
  var checklistOrder: [String] = []
  var scheduleOrder: [String] = []
  var winOrder: [String] = [] { didSet { idsChanged() } }
  var actionsByIncident = EntityMap<[String]>()
  /// Read through ``incidentsByPatternKey``.
  var _incidentsByPatternKey: [String: Set<String>] = [:]
  /// The fields above a lazy open left in the snapshot, made on first use.
  var deferred = DeferredFields()
  var pending: [String: [Record]] = [:]
  var decodeProblems: [String] = []
  var unknownTypes: [String: Int] = [:]
  var appliedIDs = AppliedIDs()
  var lateSeen: Set<EventID>?
  var lastClock: HybridTimestamp?
  var lastWriter = ""
  var lastID = EventID(rawValue: "")
  /// Where lazily read entities come from (a snapshot), if anywhere.
  var source: (any StateSource)?
  /// A stamp no other set of live ids had: taken afresh whenever an entity is made or
  /// deleted (every creation appends to its kind's order, every deletion adds a tombstone).
  var idStamp = ShortIDMemo.nextStamp()
  /// The sorted ids ``shortID(for:)`` reads, shared by the copies of this state that have
  /// not made or deleted an entity since.
  let shortIDMemo = ShortIDMemo()

  /// An empty state.
  public init(policy: PolicySettings = PolicySettings()) { self.policy = policy }

  /// The state of `records`: sorted by replay order, duplicates counted once.
  public static func replay(_ records: [Record], policy: PolicySettings = PolicySettings())
    -> LearningState
  {
    replay(records, policy: policy, progress: nil)
  }

  /// ``replay(_:policy:)``, telling `progress` how many records are done every 64k records.
  static func replay(
    _ records: [Record], policy: PolicySettings, progress: ((Int) -> Void)?
  ) -> LearningState {
    var s = LearningState(policy: policy)
    s.appliedIDs.reserveCapacity(records.count)
    records.withUnsafeBufferPointer { buffer in
      var incidentCount = 0
      var actionCount = 0
      var isSorted = true
      for i in buffer.indices {
        if buffer[i].type == EventType.incidentCreated {
          incidentCount += 1
        } else if buffer[i].type == EventType.actionCreated {
          actionCount += 1
        }
        if isSorted, i > 0, !Record.replayOrder(buffer[i - 1], buffer[i]) { isSorted = false }
      }
      s.incidents.reserveCapacity(incidentCount)
      s.incidentOrder.reserveCapacity(incidentCount)
      s.actions.reserveCapacity(actionCount)
      s.actionOrder.reserveCapacity(actionCount)
      s.actionsByIncident.reserveCapacity(incidentCount)
      if isSorted {
        // Borrow each record from the buffer instead of copying it.
        for i in buffer.indices {
          s.apply(buffer[i])
          if i & 0xFFFF == 0xFFFF { progress?(i + 1) }
        }
      } else {
        let sorted = records.sorted(by: Record.replayOrder)
        sorted.withUnsafeBufferPointer { b in
          for i in b.indices {
            s.apply(b[i])
            if i & 0xFFFF == 0xFFFF { progress?(i + 1) }
          }
        }
      }
    }
    return s
  }

  /// Applies one record, which must arrive in replay order; a repeated id changes nothing.
  ///
  /// A record that sorts before the last one applied is applied once (by id) but cannot undo
  /// later writes to the same field; ``replay(_:policy:)`` gives the exact order.
  public mutating func apply(_ record: Record) {
    if let last = lastClock {
      let after: Bool
      if record.clock != last {
        after = last < record.clock
      } else if record.writer != lastWriter {
        after = lastWriter < record.writer
      } else {
        after = lastID < record.id
      }
      if !after {
        if record.id == lastID { return }
        if lateSeen == nil { lateSeen = allAppliedIDs() }
        guard lateSeen?.insert(record.id).inserted == true else { return }
        appliedIDs.append(record.id)
        applyOnce(record)
        return
      }
      if lateSeen != nil, lateSeen?.insert(record.id).inserted == false { return }
    }
    lastClock = record.clock
    lastWriter = record.writer
    lastID = record.id
    appliedIDs.append(record.id)
    applyOnce(record)
  }

  /// This state with `records` of a private file applied on top, when each is of a type only
  /// a private file holds (``EventType/privateOnly``); nil otherwise.
  ///
  /// Those records make and change private entities only, which no shared record makes or
  /// changes, so applied after the shared ones (in replay order among themselves) they give
  /// the entities a replay of both gives — without reading the shared records again. Each is
  /// applied once by id, among themselves (record ids are unique across files), without the
  /// shared records' order: nothing they change comes after them there.
  public func withPrivate(_ records: [Record]) -> LearningState? {
    guard records.allSatisfy({ EventType.privateOnly.contains($0.type) }) else { return nil }
    var s = self
    var seen = Set<EventID>()
    for r in records.sorted(by: Record.replayOrder) where seen.insert(r.id).inserted {
      s.appliedIDs.append(r.id)
      s.applyOnce(r)
    }
    return s
  }

  /// Every id applied so far.
  func allAppliedIDs() -> Set<EventID> { appliedIDs.set() }

  // MARK: lists in stable order

  /// Incidents in creation order.
  public var incidentList: [Incident] { incidentOrder.compactMap { incidents[$0] } }
  /// The ids of the incidents in creation order (the order they were recorded in the log).
  public var incidentIDsInCreationOrder: [String] { incidentOrder }
  /// Incidents in creation order without their review answers (`answers` is empty): what a
  /// list shows, read cheaply from a lazily opened snapshot.
  ///
  /// Everything else of each incident is there, `template` included; use ``incidents`` for
  /// the answers and anything derived from them (review status).
  public var incidentHeaders: [Incident] {
    var out: [Incident] = []
    out.reserveCapacity(incidents.count)
    forEachIncidentHeader { out.append($0) }
    return out
  }

  /// Calls `body` with each incident of ``incidentHeaders`` in creation order, one at a time:
  /// from a lazily opened snapshot, each is decoded as it is reached and none is kept.
  public func forEachIncidentHeader(_ body: (Incident) -> Void) {
    walkIncidentHeaders(
      snapshot: { base, visit in base.walkSummaries { id, inc in visit(id, inc) } },
      header: { inc in
        var h = inc
        h.answers = [:]
        return h
      }, body)
  }

  /// The incidents of ``incidentHeaders`` that `keep` keeps, in creation order, for listings,
  /// each with its place for ``incident(_:at:)`` (where its snapshot record is, nil when it is
  /// in memory), judged on both cores.
  ///
  /// What happened is left empty: its UTF-8 bytes are handed to `text` (read in place from a
  /// lazily opened snapshot, never made a `String`), and `keep` gets the incident with that
  /// answer. Each is given a scratch buffer of its thread, so both must only read what they
  /// share. `body` gets the kept incidents on this thread.
  ///
  /// A snapshot's records are cut in two and decoded and judged by two threads; incidents in
  /// memory are judged here as the walk meets them.
  public func forEachIncidentHeader(
    text: @escaping @Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Bool,
    keeping keep: @escaping @Sendable (Incident, Bool, inout [UInt8]) -> Bool,
    _ body: (Incident, IncidentPlace?) -> Void
  ) {
    var scratch: [UInt8] = []
    walkIncidentHeaders(
      snapshot: { base, visit in
        base.walkSummaries(text: text, keeping: keep) { id, kept, record in
          visit(id, kept.map { ($0, IncidentPlace(record: record)) })
        }
      },
      header: { inc -> (Incident, IncidentPlace?)? in
        var h = inc
        h.answers = [:]
        var what = h.what
        h.what = ""
        let matched = what.withUTF8 { text(UnsafeRawBufferPointer($0), &scratch) }
        return keep(h, matched, &scratch) ? (h, nil) : nil
      }
    ) { kept in
      if let (inc, place) = kept { body(inc, place) }
    }
  }

  /// Calls `body` with each incident of ``incidentHeaders`` reduced to what orders it — id,
  /// occurred day, creation time, patterns, kind, severity, status; every text empty — and
  /// its place for ``incident(_:at:)``: from a snapshot no text is made.
  public func forEachIncidentKey(_ body: (Incident, IncidentPlace?) -> Void) {
    walkIncidentHeaders(
      snapshot: { base, visit in
        base.walkKeys { id, inc, record in visit(id, (inc, IncidentPlace(record: record))) }
      },
      header: { inc in
        var k = inc
        (k.title, k.what, k.team, k.owner, k.template, k.createdBy) = ("", "", "", "", "", "")
        (k.tags, k.triggers, k.answers) = ([], [], [:])
        return (k, nil)
      }, body)
  }

  /// Every incident's id in creation order with its place for ``incident(_:at:)`` (from one
  /// walk of what orders them: no text made).
  public func incidentPlacesInCreationOrder() -> [IncidentKeyPlace] {
    var out: [IncidentKeyPlace] = []
    out.reserveCapacity(incidents.count)
    forEachIncidentKey { inc, place in out.append(IncidentKeyPlace(id: inc.id, place: place)) }
    return out
  }

  /// The incident `id`, read from its snapshot record at `place` when a walk gave one and
  /// nothing since has changed it (no index search), else looked up by id.
  public func incident(_ id: String, at place: IncidentPlace?) -> Incident? {
    incidents.value(id, atRecord: place?.record)
  }

  /// Writes the incident `id` as JSON, in the bytes ``Exporter/writeIncidentJSON(_:review:extra:into:indent:)`` writes.
  ///
  /// Its review's status comes from `review`. From its snapshot record at
  /// `place`, when a walk gave one and nothing since has changed it, the long texts are copied
  /// from the record's bytes and never made strings, and `review` is given the incident with
  /// only the answers the review rules read (``reviewAnswerKeys``). False when there is no
  /// incident `id` (nothing written).
  public func writeIncidentJSON(
    _ id: String, at place: IncidentPlace?, review: (Incident) -> ReviewStatus,
    extra: [String: JSONValue] = [:], into out: inout JSONText, indent: Int
  ) -> Bool {
    if let place, let base = incidents.base, incidents.stored.index(forKey: id) == nil,
      !incidents.hidden.contains(id)
    {
      // Written while the record's bytes are at hand; nothing is written when it cannot be read.
      let written = base.withIncidentJSONFields(id, atRecord: place.record) { fields, inc in
        Exporter.writeIncidentJSON(
          fields, review: review(inc), extra: extra, into: &out, indent: indent)
        WorkCounter.count("incident JSON from a record")
        return true
      }
      if written == true { return true }
    }
    guard let inc = incidents[id] else { return false }
    Exporter.writeIncidentJSON(inc, review: review(inc), extra: extra, into: &out, indent: indent)
    return true
  }

  /// The walk of ``forEachIncidentHeader(_:)``: the snapshot's records through `snapshot`, in
  /// creation order, merged with the incidents created or changed since (made `T` by `header`),
  /// as ``EntityMap`` merges any walk of its records.
  private func walkIncidentHeaders<T>(
    snapshot: (any EntitySource<Incident>, (String, T) -> Bool) -> Bool,
    header: (Incident) -> T, _ body: (T) -> Void
  ) {
    let incidents = incidents
    withoutActuallyEscaping(snapshot) { snapshot in
      withoutActuallyEscaping(header) { header in
        withoutActuallyEscaping(body) { body in
          incidents.merge(
            incidentOrder, walk: { visit in incidents.base.map { snapshot($0, visit) } },
            // Created since, or — after damage met in the walk — the rest, one by one.
            fromMemory: { incidents.summary($0).map(header) },
            taking: { id, value in incidents.stored[id].map(header) ?? value }, emit: body)
        }
      }
    }
  }

  /// Actions in creation order.
  public var actionList: [Action] { actions.values(inOrder: actionOrder) }

  /// Every action's id in creation order with its place for ``action(at:)`` (one walk of a
  /// snapshot's records, texts skipped, nothing kept but the ids).
  public func actionRecordsInCreationOrder() -> [EntityRecord] {
    actions.records(inOrder: actionOrder)
  }

  /// The action at `place` whole, read from its snapshot record when it is there.
  public func action(at place: EntityRecord) -> Action? {
    actions.value(place.id, atRecord: place.record)
  }
  /// Experiments in creation order.
  public var experimentList: [Experiment] { experimentOrder.compactMap { experiments[$0] } }
  /// Lessons in creation order.
  public var lessonList: [Lesson] { lessonOrder.compactMap { lessons[$0] } }
  /// Private notes and growth items in creation order.
  public var noteList: [PrivateNote] { noteOrder.compactMap { notes[$0] } }

  /// Contributing factors in creation order.
  public var factorList: [ContributingFactor] { factorOrder.compactMap { factors[$0] } }
  /// The names of the team templates in creation order.
  public var templateNames: [String] { templateOrder.filter { templateRevisions[$0] != nil } }
  /// Checklists in creation order.
  public var checklistList: [Checklist] { checklistOrder.compactMap { checklists[$0] } }

  /// The contributing factors of `incident`, in creation order.
  public func factors(of incident: String) -> [ContributingFactor] {
    (factorsByIncident[incident] ?? []).compactMap { factors[$0] }
  }

  /// The timeline of `incident`, in time order (ties in creation order).
  public func timeline(of incident: String) -> [TimelineEntry] {
    Self.inTimeOrder((timelineByIncident[incident] ?? []).compactMap { timelineEntries[$0] })
  }

  /// `entries` (in creation order) sorted by time, ties kept in creation order.
  static func inTimeOrder(_ entries: [TimelineEntry]) -> [TimelineEntry] {
    entries.enumerated().sorted { a, b in
      a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
    }.map(\.element)
  }

  /// The checklist named `name` (its name or a normalised form of it).
  public func checklist(named name: String) -> Checklist? {
    checklists[name] ?? checklists[Self.objectName(name)]
  }

  /// The template and checklist revisions made because of `incident`, oldest first.
  public func ledTo(_ incident: String) -> [ChangeLink] {
    var out: [(Int64, ChangeLink)] = []
    for name in templateOrder {
      for r in templateRevisions[name] ?? [] where r.because == incident {
        out.append((r.at, ChangeLink(kind: "template", name: name, revision: r.number)))
      }
    }
    for name in checklistOrder {
      for r in checklists[name]?.revisions ?? [] where r.because == incident {
        out.append((r.at, ChangeLink(kind: "checklist", name: name, revision: r.number)))
      }
    }
    return out.enumerated().sorted { a, b in
      a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset
    }.map(\.element.1)
  }

  /// The name a template or checklist is stored under: lowercase words joined by `-`.
  public static func objectName(_ text: String) -> String {
    PatternKey.normalise(text).replacingOccurrences(of: "/", with: "-")
  }

  /// The actions of `incident` in creation order.
  public func actions(of incident: String) -> [Action] {
    (actionsByIncident[incident] ?? []).compactMap { actions[$0] }
  }

  /// Every template: built-ins first, then team templates at their latest revision.
  public var templates: [ReviewTemplate] {
    ReviewTemplate.builtIns + templateOrder.compactMap { templateRevisions[$0]?.last?.template }
  }

  /// The template named `name` (a team revision overrides nothing built in).
  public func template(named name: String) -> ReviewTemplate? {
    if let b = ReviewTemplate.builtIns.first(where: { $0.name == name }) { return b }
    return templateRevisions[name]?.last?.template
  }

  /// Whether some entities still sit undecoded in a snapshot (a lazy open).
  public var isLazy: Bool { incidents.isLazy || actions.isLazy || actionsByIncident.isLazy }

  /// Decodes every entity a lazy open left in the snapshot, so walking them all is cheap.
  public mutating func materialize() {
    incidents.materialize()
    actions.materialize()
    actionsByIncident.materialize()
  }

  /// This state with every entity decoded (itself when nothing is lazy).
  public func materialized() -> LearningState {
    guard isLazy else { return self }
    var m = self
    m.materialize()
    return m
  }

  /// The day an incident occurred and when it was recorded, the keys a pattern's incidents
  /// are ordered by; read in place, or from the snapshot without the incident's answers.
  func incidentTimeKey(_ id: String) -> (day: Int, createdAt: Int64)? {
    if let position = incidents.position(of: id) {
      return incidents.withValue(at: position) { ($0.occurred.ordinal, $0.createdAt) }
    }
    return incidents.summary(id).map {
      ($0.occurred.ordinal, $0.createdAt)
    }
  }

  /// Held references and skipped records, one line each, for `check`.
  public var problems: [String] {
    var out = decodeProblems
    if let why = source?.failure { out.append(why) }
    for (type, n) in unknownTypes.sorted(by: { $0.key < $1.key }) {
      out.append(
        "\(counted(n, "record")) of unknown type '\(type)' ignored; a newer learnlog may read them")
    }
    for (entity, recs) in pending.sorted(by: { $0.key < $1.key }) {
      out.append(
        "\(counted(recs.count, "record")) referring to unknown entity '\(entity)'; held until it appears"
      )
    }
    for a in actionList where !incidents.contains(a.incident) && !tombstones.contains(a.incident) {
      out.append("action \(a.id) refers to unknown incident '\(a.incident)'; held")
    }
    for e in experimentList {
      if let i = e.incident, !incidents.contains(i), !tombstones.contains(i) {
        out.append("experiment \(e.id) refers to unknown incident '\(i)'; held")
      }
    }
    for l in lessonList {
      for i in l.incidents where !incidents.contains(i) && !tombstones.contains(i) {
        out.append("lesson \(l.id) refers to unknown incident '\(i)'; held")
      }
    }
    return out
  }
}

/// Where a listing walk found an incident's record in the snapshot (see
/// ``LearningState/incident(_:at:)``).
public struct IncidentPlace: Sendable {
  /// The record's offset in the snapshot.
  let record: Int
}

/// An incident's id and where a walk found its snapshot record (nil when it is in memory).
public struct IncidentKeyPlace: Sendable {
  /// The incident's id.
  public var id: String
  /// Its record's place, for ``LearningState/incident(_:at:)``.
  public var place: IncidentPlace?
}
