import ArgumentParser
import Foundation
import LearningLog

/// `learnlog patterns`.
struct PatternsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "patterns", abstract: "Repeating failure patterns and their escalation step.",
    discussion: Help.text(examples: "learnlog patterns --json"))
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print a JSON array.") var json = false

  func run() throws {
    let logs = try Invocation.openAll(global, lazy: true)
    let list = logs.state.patterns(on: Invocation.today)
    // With several logs: which team logs each pattern occurs in.
    let logsOf = logs.logsOfPattern
    if json {
      Out.json(
        .array(
          list.map { p in
            guard logs.isSeveral, case .object(var o) = Exporter.patternJSON(p) else {
              return Exporter.patternJSON(p)
            }
            o["logs"] = .array((logsOf[p.key] ?? []).map { .string($0) })
            return .object(o)
          }))
      return
    }
    if list.isEmpty {
      Out.note("no patterns yet; give incidents a --pattern key")
      return
    }
    var table = Table(
      ["PATTERN", "COUNT", "IN WINDOW", "STEP", "FIRST", "LAST"]
        + (logs.isSeveral ? ["LOGS"] : []) + ["NOTE"])
    for p in list {
      var note: [String] = []
      if p.recurredAfterVerifiedFix {
        note.append("came back after a verified fix")
      } else if p.recurredAfterFix {
        note.append("came back after a fix")
      }
      if p.step == .escalated && !p.hasExperiment { note.append("needs an experiment") }
      let across = logsOf[p.key] ?? []
      if across.count > 1 { note.append("across \(across.count) teams") }
      table.add(
        [
          p.key, "\(p.count)", "\(p.inWindow)", p.step.rawValue, p.firstSeen.description,
          p.lastSeen.description,
        ] + (logs.isSeveral ? [across.joined(separator: ",")] : [])
          + [note.joined(separator: "; ")], paint: p.step == .escalated ? .red : nil)
    }
    table.print()
  }
}

/// `learnlog today`.
struct TodayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "today",
    abstract: "The carry-over queue: overdue actions, open reviews, checks due, escalations.",
    discussion: Help.text(examples: "learnlog today --json"))
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print a JSON array.") var json = false

  func run() throws {
    let logs = try Invocation.openAll(global, lazy: true)
    // The queue decodes a lazy state whole and lets it go before the items are printed.
    let items = logs.state.today(on: Invocation.today)
    if json {
      Out.json(
        .array(
          items.map {
            logs.isSeveral
              ? Invocation.marked(Exporter.todayJSON($0), log: logs.label(of: $0))
              : Exporter.todayJSON($0)
          }))
      return
    }
    if items.isEmpty {
      Out.line("nothing carried over: every item is done, verified or dropped")
      return
    }
    let short = ShortIDIndex.shortIDs(items.map(\.subject), in: logs.state)
    var table = Table((logs.isSeveral ? ["LOG"] : []) + ["WHAT", "DAY", "ID", "TITLE", "DETAIL"])
    for (t, shortID) in zip(items, short) {
      table.add(
        (logs.isSeveral ? [logs.label(of: t)] : []) + [
          t.kind.rawValue, t.day?.description ?? "", shortID ?? t.subject, t.title, t.detail,
        ])
    }
    table.print()
  }
}

/// `learnlog stats`.
struct StatsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Learning-health figures, by team and pattern (never by person).",
    discussion: Help.text(examples: "learnlog stats --json"))
  @OptionGroup var global: GlobalOptions
  @Option(help: "How many weeks the incidents-per-week figures cover") var weeks: Int = 12
  @Flag(help: "Print a JSON object.") var json = false

  func validate() throws {
    guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be 1…520") }
  }

  func run() throws {
    let logs = try Invocation.openAll(global, lazy: true)
    let s = logs.state.stats(on: Invocation.today, weeks: weeks)
    if json {
      guard logs.isSeveral, case .object(var o) = Exporter.statsJSON(s) else {
        Out.json(Exporter.statsJSON(s))
        return
      }
      o["logs"] = .array(logs.labels.map { .string($0) })
      Out.json(.object(o))
      return
    }
    if logs.isSeveral {
      Out.line("logs                        \(logs.labels.joined(separator: ", "))")
    }
    func pct(_ d: Double) -> String { String(format: "%.0f%%", d * 100) }
    Out.line("incidents                   \(s.incidentCount)")
    Out.line("actions                     \(s.actionCount)")
    Out.line("repeat rate                 \(pct(s.repeatRate))")
    Out.line(
      "actions verified effective  \(pct(s.verifiedEffectiveShare))  (awaiting verification: \(s.awaitingVerification))"
    )
    Out.line("specific action plans       \(pct(s.specificityShare))")
    Out.line(
      "median days to first action"
        + (s.medianDaysToFirstAction.map { " " + String(format: "%.1f", $0) } ?? " –"))
    if !s.gapShares.isEmpty {
      Out.line(
        "gap types                   "
          + s.gapShares.sorted { $0.key < $1.key }.map { "\($0.key) \(pct($0.value))" }.joined(
            separator: ", "))
    }
    if !s.factorsByGap.isEmpty {
      Out.line(
        "contributing factors        "
          + s.factorsByGap.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", "))
    }
    if !s.byTeam.isEmpty {
      Out.line()
      var t = Table(["TEAM", "INCIDENTS", "REPEATS", "OPEN ACTIONS", "OVERDUE", "VERIFIED"])
      for r in s.byTeam {
        t.add([
          r.team.isEmpty ? "(none)" : r.team, "\(r.incidents)", "\(r.repeats)",
          "\(r.openActions)", "\(r.overdueActions)", "\(r.verifiedActions)",
        ])
      }
      t.print()
    }
    let weeksWithIncidents = s.weeks.filter { $0.total > 0 }
    if !weeksWithIncidents.isEmpty {
      Out.line()
      var t = Table(["WEEK OF", "INCIDENTS", "BY KIND"])
      for w in s.weeks {
        t.add([
          w.weekStart.description, "\(w.total)",
          w.byKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", "),
        ])
      }
      t.print()
    }
  }
}
