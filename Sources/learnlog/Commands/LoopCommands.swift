import ArgumentParser
import Foundation
import LearningLog

extension ExperimentCommand {
  /// `experiment list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List experiments: open, due for their check, or decided.",
      discussion: Help.text(examples: "learnlog experiment list --status due --json"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "open, due, decided.") var status: String?
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      let wanted = try status.map { try ExperimentStatus.parse($0, field: "--status") }
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      let today = Invocation.today
      let list = state.experimentList.filter {
        wanted == nil || ExperimentStatus.of($0, on: today) == wanted
      }
      if json {
        Out.json(.array(list.map(Exporter.experimentJSON)))
        return
      }
      if list.isEmpty {
        Out.note("no experiments match")
        return
      }
      var table = Table(["ID", "CHECK", "STATUS", "INCIDENT", "HYPOTHESIS"])
      for e in list {
        let st = ExperimentStatus.of(e, on: today)
        table.add(
          [
            state.shortID(for: e.id), e.check?.description ?? "",
            e.decision?.rawValue ?? st.rawValue,
            e.incident.map { state.shortID(for: $0) } ?? (e.pattern ?? ""), e.hypothesis,
          ], paint: st == .due ? .yellow : nil)
      }
      table.print()
    }
  }

  /// `experiment show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one experiment: hypothesis, change, criteria, check day and result.",
      discussion: Help.text(examples: "learnlog experiment show 9kd2 --json"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The experiment id or a unique prefix.") var id: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      let eid = try state.resolve(id, .experiment)
      guard let e = state.experiments[eid] else { throw CLIError(message: "no experiment \(id)") }
      if json {
        Out.json(Exporter.experimentJSON(e))
        return
      }
      let c = Out.clean
      Out.line("\(state.shortID(for: eid))  \(c(e.hypothesis))", paint: .bold)
      var fields: [(String, String)] = []
      if let i = e.incident {
        fields.append(("incident", "\(state.shortID(for: i))  \(state.incidents[i]?.title ?? "")"))
      }
      if let p = e.pattern { fields.append(("pattern", p)) }
      fields += [
        ("change", e.change), ("criteria", e.criteria), ("check", e.check?.description ?? ""),
        ("status", e.decision?.rawValue ?? ExperimentStatus.of(e, on: Invocation.today).rawValue),
        ("result", e.result), ("by", e.createdBy),
      ]
      for (k, v) in fields where !v.isEmpty {
        Out.line("  \(k.padding(toLength: 9, withPad: " ", startingAt: 0)) \(c(v))")
      }
    }
  }
}

/// Where an experiment stands, as `experiment list --status` filters.
enum ExperimentStatus: String, DomainChoice {
  static let ordered = allCases
  case open, due, decided

  /// The status of `e` on `day`.
  static func of(_ e: Experiment, on day: Day) -> ExperimentStatus {
    if e.decision != nil { return .decided }
    if let c = e.check, c <= day { return .due }
    return .open
  }
}

extension NoteCommand {
  /// `note list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List your private notes and growth items (read from your private file only).",
      discussion: Help.text(examples: "learnlog note list --json"))
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let state = try ws.stateWithPrivate()
      let list = state.noteList
      if json {
        Out.json(.array(list.map { NoteCommand.json($0) }))
        return
      }
      if list.isEmpty {
        Out.note("no private notes in \(ws.privateStore?.path ?? "the private file")")
        return
      }
      var table = Table(["ID", "KIND", "WRITTEN", "INCIDENT", "NOTE"])
      for n in list {
        table.add([
          state.shortID(for: n.id), n.kind, LocalTime.string(n.at),
          n.incident.isEmpty ? "" : state.shortID(for: n.incident),
          n.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "",
        ])
      }
      table.print()
    }
  }

  /// `note show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one private note or growth item whole.",
      discussion: Help.text(examples: "learnlog note show 4mz8"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The note id or a unique prefix.") var id: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let state = try ws.stateWithPrivate()
      let nid = try state.resolve(id, .note)
      guard let n = state.notes[nid] else { throw CLIError(message: "no note \(id)") }
      if json {
        Out.json(NoteCommand.json(n))
        return
      }
      let c = Out.clean
      var head = "\(state.shortID(for: nid))  \(n.kind)  \(LocalTime.string(n.at))"
      if let inc = state.incidents[n.incident] {
        head += "  \(state.shortID(for: inc.id))  \(c(inc.title))"
      }
      Out.line(head, paint: .bold)
      for line in n.text.split(separator: "\n", omittingEmptySubsequences: false) {
        Out.line("  " + c(String(line)))
      }
    }
  }

  /// One private note as JSON.
  static func json(_ n: PrivateNote) -> JSONValue {
    [
      "id": .string(n.id), "kind": .string(n.kind), "incident": .string(n.incident),
      "person": .string(n.person), "text": .string(n.text), "at": .string(ISOTime.string(n.at)),
    ]
  }
}

extension ActionCommand {
  /// `action retire`.
  struct Retire: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "retire",
      abstract: "Retire a temporary mitigation: revert it or keep it, with a reason.",
      discussion:
        Help.text(
          examples:
            "learnlog action retire 7hq1 --decision revert --reason \"the patch is verified\""))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The action id or a unique prefix.") var action: String
    @Option(help: "revert (undo the stopgap) or keep (make it permanent).") var decision: String
    @Option(help: "Why.") var reason: String

    func run() throws {
      _ = try Invocation.perform(global, .retireAction(action, decision: decision, reason: reason))
    }
  }
}

extension ReviewCommand {
  /// `review schedule` (the command line names it `review schedule`; ``Learnlog/main()`` routes
  /// those two words here, as `review` itself takes an incident id).
  struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "review-schedule",
      abstract: "Schedule an incident's review: a day, a facilitator, participants.",
      discussion:
        Help.text(
          examples: """
            learnlog review schedule 3fk2 --on 2026-12-04 --facilitator kim \\
              --with sam --with ana
            """),
      shouldDisplay: false
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var incident: String
    @Option(help: "The day, YYYY-MM-DD.") var on: String
    @Option(help: "Who facilitates.") var facilitator: String = ""
    @Option(name: .customLong("with"), help: "A participant (repeatable).")
    var participants: [String] = []

    func run() throws {
      _ = try Invocation.perform(
        global,
        .scheduleReview(
          NewReviewSchedule(
            incident: incident, on: on, facilitator: facilitator, participants: participants)))
    }
  }
}

/// `learnlog win …`.
struct WinCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "win", abstract: "Things that went right, to recognise beside learning.",
    subcommands: [Add.self, List.self])

  /// `win add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Record a win; prints its id.",
      discussion:
        Help.text(
          examples: """
            learnlog win add --title "Zero-downtime migration" --team web \\
              --by sam --by ana
            """))
    @OptionGroup var global: GlobalOptions
    @Option(help: "What went right.") var title: String
    @Option(help: "The team.") var team: String = ""
    @Option(name: .customLong("by"), help: "A person it recognises (repeatable).")
    var people: [String] = []

    func run() throws {
      try Invocation.performAdd(global, .addWin(NewWin(title: title, team: team, people: people)))
    }
  }

  /// `win list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List wins, newest first.",
      discussion: Help.text(examples: "learnlog win list --json"))
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let list = ws.state.winList.reversed()
      if json {
        Out.json(.array(list.map(Exporter.winJSON)))
        return
      }
      if list.isEmpty {
        Out.note("no wins yet")
        return
      }
      var table = Table(["ID", "DAY", "TEAM", "PEOPLE", "WIN"])
      for w in list {
        table.add([
          ws.state.shortID(for: w.id), Day(utcMilliseconds: w.at).description, w.team,
          w.people.joined(separator: ", "), w.title,
        ])
      }
      table.print()
    }
  }
}

/// `learnlog recognition`.
struct RecognitionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recognition",
    abstract:
      "Each person's learning (lessons, verified fixes, experiments, revised checklists) beside their wins.",
    discussion: Help.text(
      "Never failures, never counts of incidents, never a ranking: people are listed by name.",
      examples: "learnlog recognition --person sam --json"))
  @OptionGroup var global: GlobalOptions
  @Option(help: "One person.") var person: String?
  @Flag(help: "Print a JSON array.") var json = false

  func run() throws {
    let ws = try Invocation.open(global, lazy: true)
    let state = ws.state
    let people = person.map { [$0] } ?? state.recognisedPeople
    let all = state.recognition(of: people)
    if json {
      Out.json(.array(all.map(Self.json)))
      return
    }
    if all.isEmpty {
      Out.note("no contributions or wins yet")
      return
    }
    let c = Out.clean
    for (n, r) in all.enumerated() {
      if n > 0 { Out.line() }
      Out.line(c(r.person), paint: .bold)
      Out.line("  Learning")
      var any = false
      for l in r.lessons {
        Out.line("    lesson: \(c(l.text))")
        any = true
      }
      for a in r.verifiedFixes {
        Out.line("    verified fix: \(c(a.title))")
        any = true
      }
      for e in r.experiments {
        Out.line(
          "    experiment: \(c(e.hypothesis))\(e.decision.map { " (\($0.rawValue))" } ?? "")")
        any = true
      }
      for l in r.revisedChecklists {
        Out.line("    revised: \(c(l.description))")
        any = true
      }
      if !any { Out.line("    —") }
      Out.line("  Wins")
      if r.wins.isEmpty { Out.line("    —") }
      for w in r.wins { Out.line("    \(c(w.title))\(w.team.isEmpty ? "" : " (\(c(w.team)))")") }
    }
  }

  /// One person's recognition as JSON.
  static func json(_ r: Recognition) -> JSONValue {
    [
      "person": .string(r.person),
      "lessons": .array(r.lessons.map { .string($0.text) }),
      "verifiedFixes": .array(r.verifiedFixes.map { .string($0.title) }),
      "experiments": .array(
        r.experiments.map {
          [
            "hypothesis": .string($0.hypothesis),
            "decision": $0.decision.map { .string($0.rawValue) } ?? .null,
          ]
        }),
      "revisedChecklists": .array(r.revisedChecklists.map { .string($0.description) }),
      "wins": .array(r.wins.map(Exporter.winJSON)),
    ]
  }
}
