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
    (incidentsByPatternKey[key] ?? []).compactMap { incidents[$0] }.sorted(by: Self.chronological)
  }

  /// Incidents carrying each pattern key, oldest first (by occurred day, then creation).
  public func incidentsByPattern() -> [String: [Incident]] {
    var out: [String: [Incident]] = [:]
    for key in incidentsByPatternKey.keys { out[key] = incidents(withPattern: key) }
    return out
  }

  /// Earlier incidents of `incident`'s patterns within the window before it, oldest first.
  public func earlierOccurrences(of incident: Incident) -> [Incident] {
    PatternTimeline(self, keys: incident.patterns).earlier(
      of: incident, windowDays: policy.windowDays)
  }

  /// Whether `incident` repeats a pattern (its 2nd or later occurrence within the window).
  public func isRepeat(_ incident: Incident) -> Bool {
    isRepeat(incident, PatternTimeline(self, keys: incident.patterns))
  }

  func isRepeat(_ incident: Incident, _ timeline: PatternTimeline) -> Bool {
    let need = max(1, policy.repeatThreshold - 1)
    return timeline.earlierCount(of: incident, windowDays: policy.windowDays, upTo: need) >= need
  }

  /// Whether `incident` happened after an earlier incident's action in a shared pattern
  /// was verified as working.
  public func recurredAfterVerifiedFix(_ incident: Incident) -> Bool {
    for p in incident.patterns {
      for id in incidentsByPatternKey[p] ?? [] where id != incident.id {
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
    patterns(on: day, weeks: weeks, timeline: nil)
  }

  /// ``patterns(on:weeks:)`` reusing the incidents of each key from `timeline` when given.
  func patterns(on day: Day, weeks: Int, timeline: PatternTimeline?) -> [PatternSummary] {
    let context = SummaryContext(self, day: day)
    var out: [PatternSummary] = []
    out.reserveCapacity(incidentsByPatternKey.count)
    for key in incidentsByPatternKey.keys {
      let incs = timeline?.byKey[key] ?? incidents(withPattern: key)
      if let s = summary(key, incs, context, weeks: weeks) { out.append(s) }
    }
    return out.sorted { ($1.inWindow, $0.key) < ($0.inWindow, $1.key) }
  }

  /// The summary of one pattern key on `day`.
  public func pattern(_ key: String, on day: Day, weeks: Int = 12) -> PatternSummary? {
    guard incidentsByPatternKey[key] != nil else { return nil }
    return summary(key, incidents(withPattern: key), SummaryContext(self, day: day), weeks: weeks)
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
    _ key: String, _ incs: [Incident], _ c: SummaryContext, weeks: Int
  ) -> PatternSummary? {
    let day = c.day
    let windowStart = c.windowStart
    guard let first = incs.first, let last = incs.last else { return nil }
    let inWindow = incs.filter { $0.occurred >= windowStart && $0.occurred <= day }.count
    var ineffective = 0
    var afterFix = false
    var afterVerified = false
    // The latest occurrence other than a given incident: the last one, or the one before it.
    let secondLast = incs.count >= 2 ? incs[incs.count - 2].occurred : nil
    for inc in incs {
      let latestOther = inc.id == last.id ? secondLast : last.occurred
      for actionID in actionsByIncident[inc.id] ?? [] {
        guard let a = actions[actionID] else { continue }
        for v in a.verifications where v.outcome == .ineffective {
          let d = Day(utcMilliseconds: v.at)
          if d >= windowStart && d <= day { ineffective += 1 }
        }
        let doneDay = a.doneAt.map { Day(utcMilliseconds: $0) }
        let verifiedDay = a.verifications.last(where: { $0.outcome == .verified })
          .map { Day(utcMilliseconds: $0.at) }
        if let latestOther, latestOther >= inc.occurred {
          if let doneDay, doneDay <= latestOther { afterFix = true }
          if let verifiedDay, verifiedDay <= latestOther { afterVerified = true }
        }
      }
    }
    let weight = inWindow + ineffective
    let step: EscalationStep =
      weight >= policy.escalateThreshold
      ? .escalated : (weight >= policy.repeatThreshold ? .repeated : .logged)
    var weekly = Array(repeating: 0, count: max(1, weeks))
    for inc in incs {
      let w = inc.occurred.weekStart.days(to: c.lastWeek) / 7
      if w >= 0 && w < weekly.count { weekly[weekly.count - 1 - w] += 1 }
    }
    return PatternSummary(
      key: key, count: incs.count, inWindow: inWindow, ineffectiveInWindow: ineffective,
      firstSeen: first.occurred, lastSeen: last.occurred, step: step,
      incidents: incs.map(\.id), recurredAfterFix: afterFix || afterVerified,
      recurredAfterVerifiedFix: afterVerified,
      hasExperiment: c.experimentPatterns.contains(key)
        || incs.contains { c.experimentIncidents.contains($0.id) },
      weekly: weekly)
  }
}

/// Each pattern's incidents in time order, built once for a whole query.
struct PatternTimeline {
  var byKey: [String: [Incident]] = [:]
  /// Keys an experiment targets, directly or through one of their incidents.
  var withExperiment: Set<String> = []

  /// The timeline of `keys` (every key when nil).
  init(_ state: LearningState, keys: [String]? = nil) {
    var experimentIncidents: Set<String> = []
    for e in state.experimentList {
      if let p = e.pattern { withExperiment.insert(p) }
      if let i = e.incident { experimentIncidents.insert(i) }
    }
    for key in keys ?? Array(state.incidentsByPatternKey.keys) where byKey[key] == nil {
      let list = state.incidents(withPattern: key)
      byKey[key] = list
      if list.contains(where: { experimentIncidents.contains($0.id) }) {
        withExperiment.insert(key)
      }
    }
  }

  /// The patterns of `incident` that reach `threshold` occurrences within the window ending
  /// with it and have no experiment yet.
  func escalatedWithoutExperiment(_ incident: Incident, windowDays: Int, threshold: Int)
    -> [String]
  {
    var out: [String] = []
    for p in incident.patterns where !withExperiment.contains(p) {
      guard let list = byKey[p] else { continue }
      var n = 1
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, n < threshold, list[i].occurred.days(to: incident.occurred) < windowDays {
        n += 1
        i -= 1
      }
      if n >= threshold { out.append(p) }
    }
    return out
  }

  /// The first index in `list` not before `incident`.
  static func position(of incident: Incident, in list: [Incident]) -> Int {
    let key = (incident.occurred, incident.createdAt, incident.id)
    var lo = 0
    var hi = list.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if (list[mid].occurred, list[mid].createdAt, list[mid].id) < key {
        lo = mid + 1
      } else {
        hi = mid
      }
    }
    return lo
  }

  /// How many distinct earlier incidents share a pattern within the window, counting at most
  /// `limit` (so bulk queries stay linear).
  func earlierCount(of incident: Incident, windowDays: Int, upTo limit: Int) -> Int {
    var seen: Set<String> = [incident.id]
    for p in incident.patterns {
      guard let list = byKey[p] else { continue }
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, list[i].occurred.days(to: incident.occurred) < windowDays {
        seen.insert(list[i].id)
        if seen.count - 1 >= limit { return limit }
        i -= 1
      }
    }
    return seen.count - 1
  }

  /// The incidents sharing a pattern with `incident` that came before it within the window.
  func earlier(of incident: Incident, windowDays: Int) -> [Incident] {
    var out: [Incident] = []
    var seen: Set<String> = [incident.id]
    for p in incident.patterns {
      guard let list = byKey[p] else { continue }
      var i = Self.position(of: incident, in: list) - 1
      while i >= 0, list[i].occurred.days(to: incident.occurred) < windowDays {
        if seen.insert(list[i].id).inserted { out.append(list[i]) }
        i -= 1
      }
    }
    return out.sorted(by: LearningState.chronological)
  }
}
