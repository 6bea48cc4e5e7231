import ArgumentParser
import Foundation
import LearningLog

/// `learnlog factor …`.
struct FactorCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "factor", abstract: "Contributing factors of an incident (several per incident).",
    subcommands: [Add.self])

  /// `factor add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a contributing factor with its gap type; prints its id.",
      discussion: Help.text(
        """
        A skill gap is kept private: the shared log records only that a factor was classified \
        privately, and the detail goes to the owner's private notes.
        """,
        examples: """
          learnlog factor add 3fk2 --text "No load test covered a crash during flush" \\
            --gap process
          """))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var incident: String
    @Option(help: "What contributed.") var text: String
    @Option(help: "skill, process, tooling, context, capacity.") var gap: String

    func run() throws {
      let (ws, plan) = try Invocation.perform(
        global, .addFactor(NewFactor(incident: incident, text: text, gap: gap)))
      if let id = plan.createdID { Out.line(ws.state.shortID(for: id)) }
      BlameWarning.check("--text", text)
      if !plan.private.isEmpty {
        Out.note("the detail was saved to your private notes (never the shared log)")
      }
    }
  }
}

/// `learnlog timeline …`.
struct TimelineCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "timeline", abstract: "The timeline of an incident: time-stamped facts.",
    subcommands: [Add.self])

  /// `timeline add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a timeline entry; prints its id.",
      discussion: Help.text(
        """
        The time (--at) is HH:MM on the incident's day, YYYY-MM-DDTHH:MM (local time), or an \
        ISO 8601 time such as 2026-11-03T14:05:00Z.
        """,
        examples: """
          learnlog timeline add 3fk2 --at 14:05 --kind detected \\
            --text "Orders missing after restart" --link https://status.example.com/1
          """))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var incident: String
    @Option(help: "When: HH:MM, YYYY-MM-DDTHH:MM or an ISO 8601 time.") var at: String
    @Option(help: "What happened.") var text: String
    @Option(help: "detected, escalated, mitigated, resolved, note (default note).") var kind:
      String?
    @Option(help: "A link (shown in full).") var link: String = ""

    func run() throws {
      let (ws, plan) = try Invocation.perform(
        global,
        .addTimelineEntry(
          NewTimelineEntry(incident: incident, at: at, text: text, kind: kind, link: link)))
      if let id = plan.createdID { Out.line(ws.state.shortID(for: id)) }
    }
  }
}
