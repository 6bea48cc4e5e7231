import WorkCounting

/// Incidents of one week by kind.
public struct WeekCount: Sendable, Hashable {
  /// The Monday starting the week.
  public var weekStart: Day
  /// Counts by incident kind (raw value).
  public var byKind: [String: Int]
  /// All incidents of the week.
  public var total: Int { byKind.values.reduce(0, +) }
}

/// A team's learning roll-up (never per person).
public struct TeamRollup: Sendable, Hashable {
  /// The team ("" for none).
  public var team: String
  /// Its incidents.
  public var incidents: Int
  /// Its incidents that repeat a pattern.
  public var repeats: Int
  /// Its open or doing actions.
  public var openActions: Int
  /// Its overdue actions.
  public var overdueActions: Int
  /// Its actions verified effective.
  public var verifiedActions: Int
  /// Its gap types (skill excluded).
  public var gaps: [String: Int]
}

/// Learning-health metrics: they reward learning, not speed, and never rank people.
public struct LearningStats: Sendable, Hashable {
  /// Incidents per week by kind, oldest first.
  public var weeks: [WeekCount]
  /// All incidents.
  public var incidentCount: Int
  /// All actions.
  public var actionCount: Int
  /// Share of incidents that repeat a pattern (0…1).
  public var repeatRate: Double
  /// Verified ÷ (verified + ineffective): of the actions checked with a clear outcome, the
  /// share that worked (0…1); done actions not yet checked count in neither.
  public var verifiedEffectiveShare: Double
  /// Done actions whose check has no clear outcome yet (none, or `unknown`).
  public var awaitingVerification: Int = 0
  /// Share of actions with owner, due day and expected signal (0…1).
  public var specificityShare: Double
  /// Median days from an incident to its first action, when any incident has one.
  public var medianDaysToFirstAction: Double?
  /// Shares of gap types among reviewed incidents; skill gaps are private and not counted.
  public var gapShares: [String: Double]
  /// Roll-ups by team.
  public var byTeam: [TeamRollup]
  /// Roll-ups by pattern.
  public var byPattern: [PatternSummary]
  /// Contributing factors by gap type; privately classified (skill) factors are never counted.
  public var factorsByGap: [String: Int] = [:]
}

/// What a person contributed to learning — never their incidents.
public struct Recognition: Sendable, Hashable {
  /// The person.
  public var person: String
  /// Lessons they wrote.
  public var lessons: [Lesson]
  /// Actions they owned that were verified as working.
  public var verifiedFixes: [Action]
  /// Experiments they set up.
  public var experiments: [Experiment]
  /// Checklists and criteria they revised (name and revision number).
  public var revisedChecklists: [ChangeLink] = []
  /// Wins that name them.
  public var wins: [Win] = []
}

extension LearningState {
  /// The learning-health metrics on `day`, with `weeks` weeks of history.
  public func stats(on day: Day, weeks: Int = 12) -> LearningStats {
    // Every incident and action decoded once (from a lazy open's snapshot, one walk each),
    // each incident's actions then taken from the list, not read again by id.
    let incs = incidentList
    let acts = actionList
    let actionsOf = Dictionary(grouping: acts, by: \.incident)
    let lastWeek = day.weekStart
    var weekCounts = (0..<max(1, weeks)).map { i in
      WeekCount(weekStart: lastWeek.adding(days: -7 * (max(1, weeks) - 1 - i)), byKind: [:])
    }
    var repeats: Set<String> = []
    let timeline = PatternTimeline(self)
    for inc in incs {
      let w = inc.occurred.weekStart.days(to: lastWeek) / 7
      if w >= 0 && w < weekCounts.count {
        weekCounts[weekCounts.count - 1 - w].byKind[inc.kind.rawValue, default: 0] += 1
      }
      if isRepeat(inc, timeline) { repeats.insert(inc.id) }
    }
    let verified = acts.filter { $0.outcome == .verified }.count
    let ineffective = acts.filter { $0.outcome == .ineffective }.count
    let awaiting = acts.filter {
      $0.status == .done && ($0.outcome == nil || $0.outcome == .unknown)
    }
    .count
    let specific = acts.filter(\.isSpecific).count
    var firstAction: [String: Int64] = [:]
    for a in acts {
      firstAction[a.incident] = min(firstAction[a.incident] ?? Int64.max, a.createdAt)
    }
    var delays: [Double] = []
    for inc in incs {
      if let t = firstAction[inc.id] {
        delays.append(Double(max(0, inc.occurred.days(to: Day(utcMilliseconds: t)))))
      }
    }
    delays.sort()
    var median: Double?
    if !delays.isEmpty {
      let n = delays.count
      median = n % 2 == 1 ? delays[n / 2] : (delays[n / 2 - 1] + delays[n / 2]) / 2
    }
    var gaps: [String: Int] = [:]
    for inc in incs {
      if let g = GapType(rawValue: inc.answer("gap") ?? ""), g != .skill {
        gaps[g.rawValue, default: 0] += 1
      }
    }
    let gapTotal = gaps.values.reduce(0, +)
    var teams: [String: TeamRollup] = [:]
    for inc in incs {
      var t =
        teams[inc.team]
        ?? TeamRollup(
          team: inc.team, incidents: 0, repeats: 0, openActions: 0, overdueActions: 0,
          verifiedActions: 0, gaps: [:])
      t.incidents += 1
      if repeats.contains(inc.id) { t.repeats += 1 }
      if let g = GapType(rawValue: inc.answer("gap") ?? ""), g != .skill {
        t.gaps[g.rawValue, default: 0] += 1
      }
      for a in actionsOf[inc.id] ?? [] {
        if a.status == .open || a.status == .doing {
          t.openActions += 1
          if let d = a.due, d < day { t.overdueActions += 1 }
        }
        if a.outcome == .verified { t.verifiedActions += 1 }
      }
      teams[inc.team] = t
    }
    func share(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
    var stats = LearningStats(
      weeks: weekCounts, incidentCount: incs.count, actionCount: acts.count,
      repeatRate: share(repeats.count, incs.count),
      verifiedEffectiveShare: share(verified, verified + ineffective),
      specificityShare: share(specific, acts.count), medianDaysToFirstAction: median,
      gapShares: gaps.mapValues { share($0, gapTotal) },
      byTeam: teams.values.sorted { $0.team < $1.team }, byPattern: patterns(on: day))
    stats.awaitingVerification = awaiting
    for f in factorList where f.gap != .private && incidents.contains(f.incident) {
      stats.factorsByGap[f.gap.rawValue, default: 0] += 1
    }
    return stats
  }

  /// What `person` contributed to learning: lessons written, verified fixes, experiments.
  public func recognition(person: String) -> Recognition {
    recognition(of: [person])[0]
  }

  /// ``recognition(person:)`` of each of `people`, in their order.
  ///
  /// One pass over each list for everyone, never one per person. A name matches a person
  /// case-insensitively (both case-folded).
  public func recognition(of people: [String]) -> [Recognition] {
    func key(_ name: String) -> String { name.folding(options: .caseInsensitive, locale: nil) }
    let wanted = Set(people.map(key))
    var byKey: [String: Recognition] = [:]
    func credit(_ name: String, _ body: (inout Recognition) -> Void) {
      WorkCounter.count("entities credited for recognition")
      let k = key(name)
      guard wanted.contains(k) else { return }
      body(
        &byKey[k, default: Recognition(person: "", lessons: [], verifiedFixes: [], experiments: [])]
      )
    }
    for l in lessonList { credit(l.author) { $0.lessons.append(l) } }
    for a in actionList where a.outcome == .verified {
      credit(a.owner) { $0.verifiedFixes.append(a) }
    }
    for e in experimentList { credit(e.createdBy) { $0.experiments.append(e) } }
    for c in checklistList {
      for rev in c.revisions where rev.number > 1 {
        credit(rev.by) {
          $0.revisedChecklists.append(
            ChangeLink(kind: "checklist", name: c.name, revision: rev.number))
        }
      }
    }
    for w in winList {
      // Once for each person it names, however many ways the name is written.
      var named: Set<String> = []
      for p in w.people where named.insert(key(p)).inserted { credit(p) { $0.wins.append(w) } }
    }
    return people.map { person in
      var r =
        byKey[key(person)]
        ?? Recognition(person: person, lessons: [], verifiedFixes: [], experiments: [])
      r.person = person
      return r
    }
  }

  /// Everyone with a learning contribution or a win, sorted by name.
  public var recognisedPeople: [String] {
    var names: Set<String> = []
    for l in lessonList where !l.author.isEmpty { names.insert(l.author) }
    for a in actionList where a.outcome == .verified && !a.owner.isEmpty { names.insert(a.owner) }
    for e in experimentList where !e.createdBy.isEmpty { names.insert(e.createdBy) }
    for c in checklistList {
      for rev in c.revisions where rev.number > 1 && !rev.by.isEmpty { names.insert(rev.by) }
    }
    for w in winList { for p in w.people { names.insert(p) } }
    return names.sorted { $0.lowercased() < $1.lowercased() }
  }
}
