import ArgumentParser
import Foundation
import LearningLog

/// An incident named by its short id and title, for "because" lines ("" when none).
func incidentLabel(_ state: LearningState, _ id: String) -> String {
  guard !id.isEmpty else { return "" }
  guard let inc = state.incidents[id] else { return id }
  return "\(state.shortID(for: id)) \(inc.title)"
}

/// `learnlog template …`.
struct TemplateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "template", abstract: "Review templates: list, show, add and revise them.",
    discussion: Help.text(
      "Team templates keep every revision; reviews name the revision they used.",
      examples: """
        learnlog template revise ops-retro \\
          --question "cache-risk:text:What could a cache lose?" --because 3fk2
        """),
    subcommands: [List.self, Show.self, Add.self, Revise.self])

  /// `template list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List every template: built in, then team templates at their latest revision.",
      discussion: Help.text(examples: "learnlog template list --json"))
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      if json {
        var out: [JSONValue] = ReviewTemplate.builtIns.map { t in
          [
            "name": .string(t.name), "title": .string(t.title), "builtIn": true, "team": "",
            "revision": 1, "questions": .array(t.questions.map { .string($0.key) }),
          ]
        }
        for name in state.templateNames {
          guard let revs = state.templateRevisions[name], let last = revs.last else { continue }
          out.append([
            "name": .string(name), "title": .string(last.template.title), "builtIn": false,
            "team": .string(last.team), "revision": .int(last.number),
            "questions": .array(last.template.questions.map { .string($0.key) }),
          ])
        }
        Out.json(.array(out))
        return
      }
      var table = Table(["NAME", "REV", "TEAM", "QUESTIONS", "TITLE"])
      for t in ReviewTemplate.builtIns {
        table.add([t.name, "built in", "", "\(t.questions.count)", t.title])
      }
      for name in state.templateNames {
        guard let revs = state.templateRevisions[name], let last = revs.last else { continue }
        table.add([
          name, "\(last.number)", last.team, "\(last.template.questions.count)",
          last.template.title,
        ])
      }
      table.print()
    }
  }

  /// `template show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a template: its questions, and for a team template every revision.",
      discussion: Help.text(examples: "learnlog template show ops-retro --json"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The template's name.") var name: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() throws {
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      let c = Out.clean
      if let b = ReviewTemplate.builtIns.first(where: { $0.name == name }) {
        if json {
          Out.json([
            "name": .string(b.name), "title": .string(b.title), "builtIn": true,
            "revisions": .array([["number": 1, "questions": .array(b.questions.map(\.json))]]),
          ])
          return
        }
        Out.line([("\(b.name)  \(b.title)", .bold), ("  (built in)", nil)])
        for q in b.questions { Out.line("  \(q.spec)") }
        return
      }
      let key = try state.resolve(name, .template)
      guard let revs = state.templateRevisions[key], let last = revs.last else {
        throw CLIError(message: "no template '\(name)'; list them with `learnlog template list`")
      }
      if json {
        Out.json(Exporter.templateJSON(key, revs))
        return
      }
      Out.line("\(c(key))  \(c(last.template.title))", paint: .bold)
      if !last.team.isEmpty { Out.line("  team      \(c(last.team))") }
      for r in revs.reversed() {
        Out.line()
        var head = "rev \(r.number)  \(LocalTime.string(r.at))  by \(c(Authorship.shown(r.by)))"
        if !r.because.isEmpty { head += "  because \(c(incidentLabel(state, r.because)))" }
        Out.line(head, paint: r.number == last.number ? .bold : nil)
        for q in r.template.questions { Out.line("  \(c(q.spec))") }
      }
    }
  }

  /// `template add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a team template; prints its name.",
      discussion: Help.text(
        "Each question is KEY:KIND:PROMPT, KIND one of line, text, date or choice=a|b|c.",
        examples: """
          learnlog template add ops-retro \\
            --question "expected:text:What was supposed to happen?" \\
            --question "root-cause:text:What cause does the outcome tie to?" --team web
          """))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The template's name (lowercase words joined by -).") var name: String
    @Option(name: .customLong("question"), help: "KEY:KIND:PROMPT (repeatable).")
    var questions: [String] = []
    @Option(help: "A human title (default: the name).") var title: String = ""
    @Option(help: "The team that owns it.") var team: String = ""
    @Option(help: "The incident that prompted it (id or prefix).") var because: String?

    func run() throws {
      guard !questions.isEmpty else {
        throw CLIError(message: "give at least one --question KEY:KIND:PROMPT")
      }
      let qs = try questions.map(Question.parseSpec)
      let (_, plan) = try Invocation.perform(
        global,
        .addTemplate(name: name, title: title, questions: qs, team: team, because: because))
      if let id = plan.createdID { Out.line(id) }
    }
  }

  /// `template revise`.
  struct Revise: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "revise",
      abstract: "Revise a team template (a new revision; earlier ones and their answers stay).",
      discussion: Help.text(
        """
        Each --question adds a question or replaces the one with its key; each --remove drops \
        one. Prints the name and the new revision number.
        """,
        examples: """
          learnlog template revise ops-retro \\
            --question "cache-risk:text:What could a cache lose?" --remove changed \\
            --because 3fk2
          """))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The template's name.") var name: String
    @Option(name: .customLong("question"), help: "KEY:KIND:PROMPT to add or replace (repeatable).")
    var questions: [String] = []
    @Option(name: .customLong("remove"), help: "A question key to remove (repeatable).")
    var remove: [String] = []
    @Option(help: "A new title.") var title: String?
    @Option(help: "The incident that prompted it (id or prefix).") var because: String?

    func run() throws {
      let qs = try questions.map(Question.parseSpec)
      let (ws, plan) = try Invocation.perform(
        global,
        .changeTemplate(
          TemplateChange(name: name, set: qs, remove: remove, title: title, because: because)))
      guard let id = plan.createdID else { return }
      Out.line("\(id) rev \(ws.state.templateRevisions[id]?.last?.number ?? 0)")
    }
  }
}
