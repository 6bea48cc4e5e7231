import ArgumentParser
import Foundation
import LearningLog

/// `learnlog checklist …`.
struct ChecklistCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "checklist",
    abstract:
      "Team checklists and decision criteria, revised with the incident behind each change.",
    discussion: Help.text(
      examples: """
        learnlog checklist add before-write-behind --item "Measure loss on crash" \\
          --team storage --because 3fk2
        """),
    subcommands: [Add.self, Revise.self, List.self, Show.self])

  /// `checklist add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a checklist (or, with --kind criteria, decision criteria); prints its name.",
      discussion: Help.text(
        examples: """
          learnlog checklist add "before enabling write-behind caches" \\
            --item "Flush on shutdown is tested" --item "Loss window is agreed" \\
            --team storage --because 3fk2
          """))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name (stored as lowercase words joined by -).") var name: String
    @Option(name: .customLong("item"), help: "An item (repeatable, in order).")
    var items: [String] = []
    @Option(help: "checklist (default) or criteria.") var kind: String?
    @Option(help: "The team that owns it.") var team: String = ""
    @Option(help: "The incident that prompted it (id or prefix).") var because: String?

    func run() throws {
      let (_, plan) = try Invocation.perform(
        global,
        .addChecklist(
          NewChecklist(name: name, items: items, kind: kind, team: team, because: because)))
      if let id = plan.createdID { Out.line(id) }
    }
  }

  /// `checklist revise`.
  struct Revise: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revise",
      abstract: "Revise a checklist because of an incident; prints its name and revision.",
      discussion: Help.text(
        "The option --remove N drops item N as `checklist show` numbers them.",
        examples: """
          learnlog checklist revise before-deploy --add "Canary for 30 minutes" \\
            --remove 2 --because 3fk2
          """))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The checklist's name.") var name: String
    @Option(name: .customLong("add"), help: "An item to add (repeatable).") var add: [String] = []
    @Option(name: .customLong("remove"), help: "The number of an item to remove (repeatable).")
    var remove: [Int] = []
    @Option(help: "The incident that prompted the change (id or prefix).") var because: String

    func run() throws {
      let (ws, plan) = try Invocation.perform(
        global, .reviseChecklist(name: name, add: add, remove: remove, because: because))
      guard let id = plan.createdID else { return }
      Out.line("\(id) rev \(ws.state.checklists[id]?.revisions.count ?? 0)")
    }
  }

  /// `checklist list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List checklists and decision criteria.",
      discussion: Help.text(examples: "learnlog checklist list --team storage --json"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this team's.") var team: String?
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let list = ws.state.checklistList.filter {
        team == nil || $0.team.caseInsensitiveCompare(team ?? "") == .orderedSame
      }
      if json {
        Out.json(.array(list.map(Exporter.checklistJSON)))
        return
      }
      if list.isEmpty {
        Out.note("no checklists yet; add one with `learnlog checklist add`")
        return
      }
      var table = Table(["NAME", "KIND", "TEAM", "REV", "ITEMS", "LAST CHANGED BECAUSE"])
      for c in list {
        let last = c.revisions.last
        table.add([
          c.name, c.kind.rawValue, c.team, "\(c.revisions.count)", "\(c.items.count)",
          incidentLabel(ws.state, last?.because ?? ""),
        ])
      }
      table.print()
    }
  }

  /// `checklist show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a checklist: its items, then every revision with its incident.",
      discussion: Help.text(examples: "learnlog checklist show before-deploy --json"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The checklist's name.") var name: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      let key = try state.resolve(
        LearningState.objectName(name).isEmpty ? name : LearningState.objectName(name), .checklist)
      guard let list = state.checklists[key] else {
        throw CLIError(message: "no checklist '\(name)'; list them with `learnlog checklist list`")
      }
      if json {
        Out.json(Exporter.checklistJSON(list))
        return
      }
      let c = Out.clean
      Out.line("\(c(list.name))  (\(list.kind.rawValue))", paint: .bold)
      if !list.team.isEmpty { Out.line("  team  \(c(list.team))") }
      Out.line()
      for (n, item) in list.items.enumerated() { Out.line("  \(n + 1). [ ] \(c(item))") }
      Out.line()
      Out.line("Revisions", paint: .bold)
      for r in list.revisions.reversed() {
        var head = "  rev \(r.number)  \(LocalTime.string(r.at))  by \(c(Authorship.shown(r.by)))"
        if !r.because.isEmpty { head += "  because \(c(incidentLabel(state, r.because)))" }
        Out.line(head)
        for a in r.added where r.number > 1 { Out.line("    + \(c(a))") }
        for x in r.removed { Out.line("    - \(c(x))") }
        if r.number == 1 { Out.line("    created with \(counted(r.items.count, "item"))") }
      }
    }
  }
}
