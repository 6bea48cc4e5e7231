import ArgumentParser
import Foundation
import LearningLog

/// `learnlog action …`.
struct ActionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "action", abstract: "Corrective actions: add, move, verify, list.",
    discussion:
      Help.text(
        examples: """
          learnlog action add 3fk2 --title "Pin config per region" --owner sam \\
            --due 2026-12-01
          """),
    subcommands: [
      Add.self, Start.self, Done.self, Drop.self, Verify.self, Retire.self, List.self,
    ])

  /// `action add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a corrective action to an incident; prints its id.",
      discussion:
        Help.text(
          examples: """
            learnlog action add 3fk2 --title "Add a config diff check" --owner sam \\
              --due 2026-12-01 --type detect --signal "drift caught before deploy"
            """)
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var incident: String
    @Option(help: "What will be done.") var title: String
    @Option(help: "The one person who owns it.") var owner: String
    @Option(help: "Due date, YYYY-MM-DD.") var due: String
    @Option(help: "Review date, YYYY-MM-DD (default: due + 14 days).") var review: String?
    @Option(help: "prevent, mitigate, detect, process, growth.") var type: String?
    @Option(help: "What we will see if it worked.") var signal: String = ""
    @Option(help: "A mitigation's last day, YYYY-MM-DD: from then Today asks to retire it.")
    var until: String?

    func run() throws {
      try Invocation.performAdd(
        global,
        .addAction(
          NewAction(
            incident: incident, title: title, owner: owner, due: due, review: review, type: type,
            signal: signal, until: until)))
      // Saved as asked (a late action is still worth tracking), but said, as it may be a typo.
      if let day = Day(due), day < Invocation.today {
        Out.note("warning: the due date \(day) is in the past (today is \(Invocation.today))")
      }
    }
  }

  /// Says what a command changed, as git does: the action's short id, its status now, its
  /// title.
  static func sayStatus(_ reference: String, in ws: Workspace) {
    guard let id = try? ws.state.resolve(reference, .action), let a = ws.state.actions[id]
    else { return }
    Out.line("\(ws.state.shortID(for: id)) is now \(a.status.rawValue): \(Out.clean(a.title))")
  }

  /// `action start`.
  struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "start",
      abstract: "Move an action from open to doing.",
      discussion: Help.text(examples: "learnlog action start 7hq1"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The action id or a unique prefix.") var action: String
    @Flag(help: "Print nothing on success.") var quiet = false
    func run() throws {
      let (ws, _) = try Invocation.perform(global, .startAction(action))
      if !quiet { ActionCommand.sayStatus(action, in: ws) }
    }
  }

  /// `action done`.
  struct Done: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "done",
      abstract: "Mark an action done.", discussion: Help.text(examples: "learnlog action done 7hq1")
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The action id or a unique prefix.") var action: String
    @Flag(help: "Print nothing on success.") var quiet = false
    func run() throws {
      let (ws, _) = try Invocation.perform(global, .finishAction(action))
      if !quiet { ActionCommand.sayStatus(action, in: ws) }
    }
  }

  /// `action drop`.
  struct Drop: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "drop",
      abstract: "Drop an action, with a reason.",
      discussion: Help.text(
        examples: "learnlog action drop 7hq1 --reason \"superseded by the new pipeline\""))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The action id or a unique prefix.") var action: String
    @Option(help: "Why it is dropped.") var reason: String
    func run() throws { _ = try Invocation.perform(global, .dropAction(action, reason: reason)) }
  }

  /// `action verify`.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify",
      abstract: "Record whether a done action worked.",
      discussion:
        Help.text(
          "The outcome ineffective reopens the action and counts against its patterns.",
          examples: """
            learnlog action verify 7hq1 --outcome verified \\
              --evidence "no drift in 6 weeks"
            """)
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The action id or a unique prefix.") var action: String
    @Option(help: "verified, ineffective, unknown.") var outcome: String
    @Option(help: "What showed it.") var evidence: String = ""
    func run() throws {
      _ = try Invocation.perform(
        global, .verifyAction(action, outcome: outcome, evidence: evidence))
    }
  }

  /// `action list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List actions by due date.",
      discussion: Help.text(examples: "learnlog action list --owner sam --overdue --json"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "An owner.") var owner: String?
    @Option(help: "The team of the action's incident.") var team: String?
    @Option(help: "open, doing, done, dropped.") var status: String?
    @Flag(help: "Only open or doing actions past their due date.") var overdue = false
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      // Opened lazily: each action is decoded as the list reaches it, an incident only for
      // `--team`.
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      let today = Invocation.today
      let st = try status.map { try ActionStatus.parse($0, field: "--status") }
      func same(_ a: String, _ b: String?) -> Bool {
        b.map { a.caseInsensitiveCompare($0) == .orderedSame } ?? true
      }
      func isOverdue(_ a: Action) -> Bool {
        (a.status == .open || a.status == .doing) && (a.due.map { $0 < today } ?? false)
      }
      let list = state.actionList.filter { a in
        same(a.owner, owner) && (st == nil || a.status == st)
          && (team == nil || same(state.incidents[a.incident]?.team ?? "", team))
          && (!overdue || isOverdue(a))
      }.sorted {
        ($0.due?.ordinal ?? Int.max, $0.createdAt) < ($1.due?.ordinal ?? Int.max, $1.createdAt)
      }
      if json {
        Out.jsonArray(count: list.count) { out, k in
          Exporter.writeActionJSON(list[k], into: &out, indent: 1)
        }
        return
      }
      if list.isEmpty {
        Out.note("no actions match")
        return
      }
      // The rows' ids and their incidents' ids together: a search each when they are few,
      // else met in one pass over the ids sorted once.
      let both = ShortIDIndex.shortIDs(list.map(\.id) + list.map(\.incident), in: state)
      let short = Array(both[..<list.count])
      let shortIncident = Array(both[list.count...])
      var table = Table(["ID", "DUE", "STATUS", "OWNER", "INCIDENT", "TITLE"])
      for (k, a) in list.enumerated() {
        let status = a.status.rawValue + (a.outcome.map { " (\($0.rawValue))" } ?? "")
        let soon = a.due.map { $0 >= today && $0 <= today.adding(days: 7) } ?? false
        table.add(
          [
            short[k] ?? a.id, a.due?.description ?? "", status, a.owner,
            shortIncident[k] ?? a.incident, a.title,
          ],
          paint: isOverdue(a) ? .red : (soon && !a.isResolved ? .yellow : nil))
      }
      table.print()
    }
  }
}

/// `learnlog experiment …`.
struct ExperimentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "experiment", abstract: "Small bets that test a fix.",
    subcommands: [Add.self, List.self, Show.self, Result.self])

  /// `experiment add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Record an experiment for an incident; prints its id.",
      discussion:
        Help.text(
          examples: """
            learnlog experiment add 3fk2 --hypothesis "a diff check catches drift" \\
              --criteria "no drift for 4 weeks" --check 2026-12-15
            """)
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var incident: String
    @Option(help: "What we believe.") var hypothesis: String
    @Option(help: "How we will know it held.") var criteria: String
    @Option(help: "When to check, YYYY-MM-DD.") var check: String
    @Option(help: "What we change to test it.") var change: String = ""
    @Option(help: "The failure pattern it targets.") var pattern: String?

    func run() throws {
      try Invocation.performAdd(
        global,
        .addExperiment(
          NewExperiment(
            incident: incident, pattern: pattern, hypothesis: hypothesis, change: change,
            criteria: criteria, check: check)))
    }
  }

  /// `experiment result`.
  struct Result: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "result",
      abstract: "Decide an experiment: adopt, adapt or abandon.",
      discussion:
        Help.text(
          examples: "learnlog experiment result 9kd2 --decision adopt --evidence \"no drift since\""
        ))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The experiment id or a unique prefix.") var experiment: String
    @Option(help: "adopt, adapt, abandon.") var decision: String
    @Option(help: "What the check showed.") var evidence: String = ""

    func run() throws {
      _ = try Invocation.perform(
        global, .decideExperiment(experiment, decision: decision, result: evidence))
    }
  }
}

/// `learnlog lesson …`.
struct LessonCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lesson", abstract: "What we learned: add and list lessons.",
    subcommands: [Add.self, List.self])

  /// `lesson add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Write a lesson; prints its id.",
      discussion:
        Help.text(
          examples: """
            learnlog lesson add --text "Diff configs across regions before deploy" \\
              --incident 3fk2 --team web --tag deploy --revalidate 2027-03-01
            """)
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "The lesson.") var text: String
    @Option(name: .customLong("incident"), help: "A linked incident (repeatable).")
    var incidents: [String] = []
    @Option(name: .customLong("team"), help: "A team it concerns (repeatable).")
    var teams: [String] = []
    @Option(name: .customLong("tag"), help: "A tag (repeatable).") var tags: [String] = []
    @Option(help: "When to check it still holds, YYYY-MM-DD.") var revalidate: String?

    func run() throws {
      try Invocation.performAdd(
        global,
        .addLesson(
          NewLesson(
            text: text, incidents: incidents, teams: teams, tags: tags, revalidate: revalidate)))
      BlameWarning.check("--text", text)
    }
  }

  /// `lesson list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List lessons, newest first.",
      discussion: Help.text(examples: "learnlog lesson list --team web --search deploy --json"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "A team.") var team: String?
    @Option(help: "Text in the lesson, its tags or patterns.") var search: String?
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      // Lessons are read whole at every open; incidents and actions are not needed.
      let logs = try Invocation.openAll(global, lazy: true)
      let state = logs.state
      let needle = search?.lowercased()
      let list = state.lessonList.filter { l in
        (team.map { t in l.teams.contains { $0.caseInsensitiveCompare(t) == .orderedSame } }
          ?? true)
          && (needle.map { n in
            ([l.text] + l.tags + l.patterns).contains { $0.lowercased().contains(n) }
          } ?? true)
      }.sorted { $0.createdAt > $1.createdAt }
      if json {
        Out.jsonArray(list) {
          logs.isSeveral
            ? Invocation.marked(Exporter.lessonJSON($0), log: logs.label($0.id))
            : Exporter.lessonJSON($0)
        }
        return
      }
      if list.isEmpty {
        Out.note("no lessons match")
        return
      }
      let short = ShortIDIndex.shortIDs(list.map(\.id), in: state)
      let today = Invocation.today
      var table = Table((logs.isSeveral ? ["LOG"] : []) + ["ID", "REVALIDATE", "TEAMS", "LESSON"])
      for (l, shortID) in zip(list, short) {
        let due = l.revalidate.map { $0 <= today } ?? false
        table.add(
          (logs.isSeveral ? [logs.label(l.id)] : []) + [
            shortID ?? l.id, l.revalidate?.description ?? "",
            l.teams.joined(separator: ","),
            l.text,
          ], paint: due ? .yellow : nil)
      }
      table.print()
    }
  }
}
