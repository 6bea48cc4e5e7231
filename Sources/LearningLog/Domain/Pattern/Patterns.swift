/// Where a pattern stands on the escalation ladder.
public enum EscalationStep: String, Sendable, Hashable, CaseIterable {
  /// First occurrence in the window: logged.
  case logged
  /// Second: the review asks why the earlier fix did not hold.
  case repeated
  /// Third within the window (ineffective fixes count too): needs an experiment.
  case escalated
}

/// What the patterns view shows for one failure-mode key.
public struct PatternSummary: Sendable, Hashable {
  /// The normalised key.
  public var key: String
  /// Incidents carrying it, ever.
  public var count: Int
  /// Incidents that occurred within the window ending on the summary's day.
  public var inWindow: Int
  /// Ineffective verifications of its actions within the window.
  public var ineffectiveInWindow: Int
  /// The first and last day it was seen.
  public var firstSeen: Day
  /// The last day it was seen.
  public var lastSeen: Day
  /// The ladder step.
  public var step: EscalationStep
  /// Its incidents, oldest first.
  public var incidents: [String]
  /// Whether it came back after one of its actions was done.
  public var recurredAfterFix: Bool
  /// Whether it came back after one of its actions was verified as working.
  public var recurredAfterVerifiedFix: Bool
  /// Whether an experiment targets it (by key or through one of its incidents).
  public var hasExperiment: Bool
  /// Occurrences per week, oldest first, the last entry being the summary day's week.
  public var weekly: [Int]
}

extension LearningState {
  static func chronological(_ a: Incident, _ b: Incident) -> Bool {
    (a.occurred, a.createdAt, a.id) < (b.occurred, b.createdAt, b.id)
  }

  /// The incidents carrying pattern `key`, oldest first (by occurred day, then creation).
  public func incidents(withPattern key: String) -> [Incident] {
    (incidentIDs(withPattern: key) ?? []).compactMap { incidents[$0] }
      .sorted(by: Self.chronological)
  }

  /// Whether `incident` repeats a pattern (its 2nd or later occurrence within the window).
  public func isRepeat(_ incident: Incident) -> Bool {
    isRepeat(incident, PatternTimeline(self, keys: incident.patterns))
  }

  func isRepeat(_ incident: Incident, _ timeline: PatternTimeline) -> Bool {
    isRepeat(PatternTimeline.Subject(incident), timeline)
  }

  func isRepeat(_ incident: PatternTimeline.Subject, _ timeline: PatternTimeline) -> Bool {
    let need = max(1, policy.repeatThreshold - 1)
    return timeline.earlierCount(of: incident, windowDays: policy.windowDays, upTo: need) >= need
  }

  /// Whether `incident` happened after an earlier incident's action in a shared pattern
  /// was verified as working.
  public func recurredAfterVerifiedFix(_ incident: Incident) -> Bool {
    for p in incident.patterns {
      for id in incidentIDs(withPattern: p) ?? [] where id != incident.id {
        guard let other = incidents[id], other.occurred <= incident.occurred else { continue }
        for a in actions(of: other.id) {
          if let v = a.verifications.last(where: { $0.outcome == .verified }),
            Day(utcMilliseconds: v.at) <= incident.occurred
          {
            return true
          }
        }
      }
    }
    return false
  }

  /// Every pattern, most occurrences in the window first, then by key.
  public func patterns(on day: Day, weeks: Int = 12) -> [PatternSummary] {
    patterns(on: day, weeks: weeks, timeline: PatternTimeline(self))
  }

  /// ``patterns(on:weeks:)`` over the incidents of each key in `timeline`.
  func patterns(on day: Day, weeks: Int, timeline: PatternTimeline) -> [PatternSummary] {
    let context = SummaryContext(self, day: day)
    var out: [PatternSummary] = []
    out.reserveCapacity(incidentsByPatternKey.count)
    for key in incidentsByPatternKey.keys {
      if let s = summary(key, timeline.byKey[key] ?? [], context, weeks: weeks) { out.append(s) }
    }
    return out.sorted { ($1.inWindow, $0.key) < ($0.inWindow, $1.key) }
  }

  /// The summary of one pattern key on `day`.
  public func pattern(_ key: String, on day: Day, weeks: Int = 12) -> PatternSummary? {
    guard incidentIDs(withPattern: key) != nil else { return nil }
    let timeline = PatternTimeline(self, keys: [key])
    return summary(
      key, timeline.byKey[key] ?? [], SummaryContext(self, day: day), weeks: weeks)
  }

  /// The escalated patterns without an experiment on `day`: what the carry-over queue lists.
  ///
  /// Gives what ``patterns(on:weeks:)`` would say of them (most occurrences in the window
  /// first, then by key) without summarising every pattern in full.
  func escalatedWithoutExperiment(on day: Day, timeline: PatternTimeline) -> [(
    key: String, inWindow: Int, lastSeen: Day
  )] {
    let windowStart = day.adding(days: -(policy.windowDays - 1)).ordinal
    let threshold = policy.escalateThreshold
    var out: [(key: String, inWindow: Int, lastSeen: Day)] = []
    for (key, list) in timeline.byKey where !timeline.withExperiment.contains(key) {
      guard let last = list.last else { continue }
      var inWindow = 0
      for e in list where e.day >= windowStart && e.day <= day.ordinal { inWindow += 1 }
      var weight = inWindow
      if weight < threshold {
        // Ineffective verifications within the window count too.
        for e in list {
          for actionID in actionsByIncident[e.id] ?? [] {
            actions.withValue(actionID) { a in
              for v in a.verifications where v.outcome == .ineffective {
                let d = Day(utcMilliseconds: v.at).ordinal
                if d >= windowStart && d <= day.ordinal { weight += 1 }
              }
            }
          }
          if weight >= threshold { break }
        }
      }
      if weight >= threshold {
        out.append((key, inWindow, Day(ordinal: last.day)))
      }
    }
    out.sort { ($1.inWindow, $0.key) < ($0.inWindow, $1.key) }
    return out
  }

  /// What every pattern's summary on one day needs, gathered once.
  private struct SummaryContext {
    var day: Day
    var windowStart: Day
    var lastWeek: Day
    var experimentPatterns: Set<String> = []
    var experimentIncidents: Set<String> = []

    init(_ state: LearningState, day: Day) {
      self.day = day
      windowStart = day.adding(days: -(state.policy.windowDays - 1))
      lastWeek = day.weekStart
      for e in state.experimentList {
        if let p = e.pattern { experimentPatterns.insert(p) }
        if let i = e.incident { experimentIncidents.insert(i) }
      }
    }
  }

  /// The summary of pattern `key` whose incidents, oldest first, are `incs`.
  private func summary(
    _ key: String, _ incs: [PatternTimeline.Entry], _ c: SummaryContext, weeks: Int
  ) -> PatternSummary? {
    let day = c.day.ordinal
    let windowStart = c.windowStart.ordinal
    guard let first = incs.first, let last = incs.last else { return nil }
    var inWindow = 0
    for inc in incs where inc.day >= windowStart && inc.day <= day { inWindow += 1 }
    var ineffective = 0
    var afterFix = false
    var afterVerified = false
    // The latest occurrence other than a given incident: the last one, or the one before it.
    let secondLast = incs.count >= 2 ? incs[incs.count - 2].day : nil
    for inc in incs {
      let latestOther = inc.id == last.id ? secondLast : last.day
      for actionID in actionsByIncident[inc.id] ?? [] {
        actions.withValue(actionID) { a in
          let verifications = a.verifications
          for v in verifications where v.outcome == .ineffective {
            let d = Day(utcMilliseconds: v.at).ordinal
            if d >= windowStart && d <= day { ineffective += 1 }
          }
          guard let latestOther, latestOther >= inc.day else { return }
          if let doneAt = a.doneAt, Day(utcMilliseconds: doneAt).ordinal <= latestOther {
            afterFix = true
          }
          if let v = verifications.last(where: { $0.outcome == .verified }),
            Day(utcMilliseconds: v.at).ordinal <= latestOther
          {
            afterVerified = true
          }
        }
      }
    }
    let weight = inWindow + ineffective
    let step: EscalationStep =
      weight >= policy.escalateThreshold
      ? .escalated : (weight >= policy.repeatThreshold ? .repeated : .logged)
    var weekly = Array(repeating: 0, count: max(1, weeks))
    for inc in incs {
      let w = Day(ordinal: inc.day).weekStart.days(to: c.lastWeek) / 7
      if w >= 0 && w < weekly.count { weekly[weekly.count - 1 - w] += 1 }
    }
    return PatternSummary(
      key: key, count: incs.count, inWindow: inWindow, ineffectiveInWindow: ineffective,
      firstSeen: Day(ordinal: first.day), lastSeen: Day(ordinal: last.day), step: step,
      incidents: incs.map(\.id), recurredAfterFix: afterFix || afterVerified,
      recurredAfterVerifiedFix: afterVerified,
      hasExperiment: c.experimentPatterns.contains(key)
        || incs.contains { c.experimentIncidents.contains($0.id) },
      weekly: weekly)
  }
}

/// Each pattern's incidents in time order, built once for a whole query.
///
/// It keeps only what orders an incident in time and its id, so building it copies no
/// incident and ordering compares integers first.
struct PatternTimeline: Sendable {
  /// One incident of a pattern: its occurred day, creation time and id.
  struct Entry: Sendable {
    /// The occurred day's ordinal.
    var day: Int
    var createdAt: Int64
    var id: String

    /// Whether this entry comes before the incident ordered by `day`, `createdAt` and `id`
    /// (the order of ``LearningState/chronological(_:_:)``).
    @inline(__always)
    func precedes(_ day: Int, _ createdAt: Int64, _ id: String) -> Bool {
      if self.day != day { return self.day < day }
      if self.createdAt != createdAt { return self.createdAt < createdAt }
      return self.id < id
    }

    /// Whether this entry comes before `other`.
    @inline(__always)
    func precedes(_ other: Entry) -> Bool { precedes(other.day, other.createdAt, other.id) }
  }

  /// What the timeline reads of an incident: its id, when it happened and its patterns.
  struct Subject {
    var id: String
    /// The occurred day's ordinal.
    var day: Int
    var createdAt: Int64
    var patterns: [String]

    init(id: String, day: Int, createdAt: Int64, patterns: [String]) {
      self.id = id
      self.day = day
      self.createdAt = createdAt
      self.patterns = patterns
    }

    init(_ incident: Incident) {
      self.init(
        id: incident.id, day: incident.occurred.ordinal, createdAt: incident.createdAt,
        patterns: incident.patterns)
    }
  }

  var byKey: [String: [Entry]] = [:]
  /// Keys an experiment targets, directly or through one of their incidents.
  var withExperiment: Set<String> = []

  /// An empty timeline.
  init() {}

  /// The timeline of `keys` (every key when nil).
  ///
  /// `times` holds the occurred day's ordinal and creation time of incidents a caller has
  /// already read (a listing's walk): they are not read again. An incident it lacks is read
  /// from `state`.
  init(
    _ state: LearningState, keys: [String]? = nil,
    times: [String: (day: Int, createdAt: Int64)]? = nil
  ) {
    // When an eighth or more of the incidents are wanted from a snapshot, their time keys are
    // gathered in one walk of its records (no text made) instead of a search of its index each.
    var walked = times
    // The ids of the keys asked for, each read once (from the snapshot alone while its index
    // is deferred: a write on a pattern reads its key, not the whole index).
    var asked: [String: Set<String>] = [:]
    for key in keys ?? [] where asked[key] == nil {
      asked[key] = state.incidentIDs(withPattern: key) ?? []
    }
    if walked == nil, state.incidents.isLazy {
      let wanted =
        keys == nil
        ? state.incidentsByPatternKey.values.reduce(0) { $0 + $1.count }
        : asked.values.reduce(0) { $0 + $1.count }
      if wanted * 8 >= state.incidents.count {
        var map: [String: (day: Int, createdAt: Int64)] = [:]
        map.reserveCapacity(state.incidents.count)
        state.forEachIncidentKey { inc, _ in map[inc.id] = (inc.occurred.ordinal, inc.createdAt) }
        walked = map
      }
    }
    func add(_ key: String, _ ids: Set<String>) {
      var list: [Entry] = []
      list.reserveCapacity(ids.count)
      for id in ids {
        guard let (day, createdAt) = walked?[id] ?? state.incidentTimeKey(id) else {
          continue
        }
        list.append(Entry(day: day, createdAt: createdAt, id: id))
      }
      list.sort { $0.precedes($1) }
      byKey[key] = list
    }
    if let keys {
      for key in keys where byKey[key] == nil { add(key, asked[key] ?? []) }
    } else {
      byKey.reserveCapacity(state.incidentsByPatternKey.count)
      for (key, ids) in state.incidentsByPatternKey { add(key, ids) }
    }
    addExperiments(state)
  }

  /// Marks the keys an experiment of `state` targets, directly or through an incident.
  mutating func addExperiments(_ state: LearningState) {
    var experimentIncidents: Set<String> = []
    for id in state.experimentOrder {
      guard let e = state.experiments[id] else { continue }
      if let p = e.pattern { withExperiment.insert(p) }
      if let i = e.incident { experimentIncidents.insert(i) }
    }
    guard !experimentIncidents.isEmpty else { return }
    for (key, list) in byKey where list.contains(where: { experimentIncidents.contains($0.id) }) {
      withExperiment.insert(key)
    }
  }

  /// The patterns of `incident` that reach `threshold` occurrences within the window ending
  /// with it and have no experiment yet.
  func escalatedWithoutExperiment(_ incident: Subject, windowDays: Int, threshold: Int)
    -> [String]
  {
    var out: [String] = []
    let day = incident.day
    for p in incident.patterns where !withExperiment.contains(p) {
      guard let list = byKey[p] else { continue }
      var n = 1
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, n < threshold, day - list[i].day < windowDays {
        n += 1
        i -= 1
      }
      if n >= threshold { out.append(p) }
    }
    return out
  }

  /// The first index in `list` not before `incident`.
  static func position(of incident: Subject, in list: [Entry]) -> Int {
    let day = incident.day
    let createdAt = incident.createdAt
    var lo = 0
    var hi = list.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if list[mid].precedes(day, createdAt, incident.id) {
        lo = mid + 1
      } else {
        hi = mid
      }
    }
    return lo
  }

  /// How many distinct earlier incidents share a pattern within the window, counting at most
  /// `limit` (so bulk queries stay linear).
  func earlierCount(of incident: Subject, windowDays: Int, upTo limit: Int) -> Int {
    let day = incident.day
    if incident.patterns.count == 1 {
      // One list holds each incident once, so its earlier entries are distinct.
      guard let list = byKey[incident.patterns[0]] else { return 0 }
      var n = 0
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, day - list[i].day < windowDays {
        if list[i].id != incident.id { n += 1 }
        if n >= limit { return limit }
        i -= 1
      }
      return n
    }
    var seen: Set<String> = [incident.id]
    for p in incident.patterns {
      guard let list = byKey[p] else { continue }
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, day - list[i].day < windowDays {
        seen.insert(list[i].id)
        if seen.count - 1 >= limit { return limit }
        i -= 1
      }
    }
    return seen.count - 1
  }

  /// The ids of the incidents sharing a pattern with `incident` that came before it within
  /// the window, oldest first.
  func earlierIDs(of incident: Subject, windowDays: Int) -> [String] {
    var out: [Entry] = []
    var seen: Set<String> = [incident.id]
    let day = incident.day
    for p in incident.patterns {
      guard let list = byKey[p] else { continue }
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, day - list[i].day < windowDays {
        if seen.insert(list[i].id).inserted { out.append(list[i]) }
        i -= 1
      }
    }
    return out.sorted { $0.precedes($1.day, $1.createdAt, $1.id) }.map(\.id)
  }
}

/// The pattern facts of every incident with one pattern, found in one sweep per pattern.
///
/// Each pattern's incidents are put in time order once, and one walk along each list finds,
/// for every incident on it, how many came earlier within the window. The facts are kept in
/// the order the incidents map keeps them in memory, so a walk over that map
/// (``EntityMap/forEachInMemory(_:)``) reads them in step (``Cursor``) where ``PatternTimeline``'s per-incident methods search.
struct PatternSweep {
  /// What the sweep found for one incident on one pattern's list.
  struct Fact {
    /// Where the incident is kept.
    var position: EntityMap<Incident>.Position
    /// The pattern key.
    var key: String
    /// Whether the incident repeats the pattern within the window.
    var isRepeat: Bool
    /// Whether the pattern reaches the escalation threshold with it and has no experiment.
    var escalates: Bool
  }

  /// Each pattern's incidents in time order.
  var timeline: PatternTimeline
  /// Every incident's facts, one per pattern it is listed under, in storage order.
  var facts: [Fact] = []

  /// Sweeps `state`'s incidents with its policy (`state` must not be lazy: see
  /// ``LearningState/materialize()``).
  init(_ state: LearningState) {
    var timeline = PatternTimeline()
    var lists: [(key: String, entries: [PatternTimeline.Entry], at: [Fact])] = []
    lists.reserveCapacity(state.incidentsByPatternKey.count)
    var total = 0
    for (key, ids) in state.incidentsByPatternKey {
      var entries: [(entry: PatternTimeline.Entry, position: EntityMap<Incident>.Position)] = []
      entries.reserveCapacity(ids.count)
      for id in ids {
        guard let position = state.incidents.position(of: id) else { continue }
        let entry = state.incidents.withValue(at: position) { inc in
          PatternTimeline.Entry(day: inc.occurred.ordinal, createdAt: inc.createdAt, id: id)
        }
        entries.append((entry, position))
      }
      entries.sort { $0.entry.precedes($1.entry) }
      let list = entries.map(\.entry)
      timeline.byKey[key] = list
      lists.append(
        (
          key, list,
          entries.map {
            Fact(position: $0.position, key: key, isRepeat: false, escalates: false)
          }
        ))
      total += entries.count
    }
    timeline.addExperiments(state)
    let window = state.policy.windowDays
    let need = max(1, state.policy.repeatThreshold - 1)
    let threshold = state.policy.escalateThreshold
    facts.reserveCapacity(total)
    for (key, list, at) in lists {
      let open = !timeline.withExperiment.contains(key)
      var lo = 0
      for j in list.indices {
        // The earlier entries within the window: those less than `window` days before.
        while lo < j, list[j].day - list[lo].day >= window { lo += 1 }
        var fact = at[j]
        fact.isRepeat = j - lo >= need
        fact.escalates = open && 1 + (j - lo) >= threshold
        facts.append(fact)
      }
    }
    facts.sort { $0.position < $1.position }
    self.timeline = timeline
  }

  /// Reads the facts in order, alongside a walk over the incidents map.
  struct Cursor {
    var next = 0

    /// Whether the incident kept at `position`, whose only pattern is `key`, repeats it and
    /// whether the pattern escalates with it; nil when the sweep has no such fact.
    ///
    /// Positions must come in increasing order.
    mutating func fact(
      at position: EntityMap<Incident>.Position, key: String, in sweep: PatternSweep
    ) -> Fact? {
      let facts = sweep.facts
      while next < facts.count, facts[next].position < position { next += 1 }
      var i = next
      while i < facts.count, facts[i].position == position {
        if facts[i].key == key { return facts[i] }
        i += 1
      }
      return nil
    }
  }
}
