import ArgumentParser
import Foundation
import LearningLog
import LearningLogApp

/// `learnlog init`.
struct InitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init", abstract: "Create an empty log.",
    discussion: Help.text(
      """
      Inside a git work tree, or below a directory holding .learnlog/, the log is created as \
      .learnlog/log.jsonl there, ready for `learnlog git-setup`; elsewhere at \
      $XDG_DATA_HOME/learnlog/log.jsonl. It says where it wrote.
      """,
      examples: "learnlog init", "learnlog --file team/.learnlog/log.jsonl init"))

  @OptionGroup var global: GlobalOptions

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let explicit = global.file.isEmpty ? Invocation.leadingFiles : global.file
    let shared =
      explicit.isEmpty && (environment["LEARNLOG_FILE"] ?? "").isEmpty
        && (environment["LEARNLOG_FILES"] ?? "").isEmpty
      ? Self.sharedLogPath(from: FileManager.default.currentDirectoryPath) : nil
    let ws = try Workspace.create(path: shared?.path ?? global.logPath)
    Out.line("created an empty log at \(ws.path)")
    if let shared {
      Out.note("(\(shared.why); `learnlog git-setup` then shares it through git)")
    }
  }

  /// The team log for a directory: `.learnlog/log.jsonl` in the nearest directory (this one or
  /// a parent) that holds `.learnlog/` or is the top of a git work tree, and why; nil outside.
  static func sharedLogPath(from directory: String) -> (path: String, why: String)? {
    var dir = directory
    let files = FileManager.default
    while !dir.isEmpty {
      var isDirectory: ObjCBool = false
      let learnlog = (dir as NSString).appendingPathComponent(".learnlog")
      if files.fileExists(atPath: learnlog, isDirectory: &isDirectory), isDirectory.boolValue {
        return ((learnlog as NSString).appendingPathComponent("log.jsonl"), "\(learnlog) exists")
      }
      if files.fileExists(atPath: (dir as NSString).appendingPathComponent(".git")) {
        return (
          (learnlog as NSString).appendingPathComponent("log.jsonl"),
          "inside the git work tree \(dir)"
        )
      }
      let parent = (dir as NSString).deletingLastPathComponent
      if parent == dir { break }
      dir = parent
    }
    return nil
  }
}

/// `learnlog incident …`.
struct IncidentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "incident", abstract: "Record, list, show and edit incidents.",
    discussion: Help.text(
      examples: "learnlog incident add --title \"Checkout outage\" --kind production"),
    subcommands: [Add.self, List.self, Show.self, Set.self])

  /// `incident add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Record a new incident; prints its id.",
      discussion:
        Help.text(
          examples: """
            learnlog incident add --title "Release slipped" --kind deadline \\
              --severity high --team web --tag release \\
              --pattern estimate/hidden-dependency
            """)
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "A short title.") var title: String
    @Option(help: "What happened.") var what: String = ""
    @Option(help: "production, deadline, estimate, handoff, communication, near-miss, other.")
    var kind: String?
    @Option(help: "low, medium, high, critical.") var severity: String?
    @Option(help: "The team it concerns.") var team: String = ""
    @Option(help: "Who owns its review.") var owner: String = ""
    @Option(name: .customLong("tag"), help: "A tag (repeatable).") var tags: [String] = []
    @Option(name: .customLong("trigger"), help: "A context trigger (repeatable).")
    var triggers: [String] = []
    @Option(name: .customLong("pattern"), help: "A failure-pattern key (repeatable).")
    var patterns: [String] = []
    @Option(help: "When it happened, YYYY-MM-DD (default today).") var occurred: String?

    func run() throws {
      try Invocation.performAdd(
        global,
        .addIncident(
          NewIncident(
            title: title, what: what, kind: kind, severity: severity, team: team, owner: owner,
            tags: tags, triggers: triggers, patterns: patterns, occurred: occurred)))
      BlameWarning.check("--what", what)
      if let s = severity.flatMap({ Severity(rawValue: $0.lowercased()) }), s >= .high {
        Out.note(
          "a \(s.rawValue) incident asks for time to reflect: schedule its review with `learnlog review schedule ID --on DATE`"
        )
      }
    }
  }

  /// `incident list`.
  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List incidents, newest first.",
      discussion: Help.text(examples: "learnlog incident list --status open --team web --json"))
    @OptionGroup var global: GlobalOptions
    @Option(help: "open, reviewing, reviewed, closed.") var status: String?
    @Option(help: "An incident kind.") var kind: String?
    @Option(help: "A team.") var team: String?
    @Option(help: "A tag.") var tag: String?
    @Option(help: "A pattern key.") var pattern: String?
    @Option(help: "Text in the title, what happened, tags or patterns.") var search: String?
    @Option(help: "Show at most this many, newest first.") var limit: Int?
    @Flag(help: "Print a JSON array.") var json = false

    func run() throws {
      if let limit, limit < 1 {
        throw CLIError(message: "--limit: \(limit) is not a positive number; give 1 or more")
      }
      // Opened lazily: the incidents are walked once in creation order, each decoded without
      // its answers and kept only as the few columns a row needs when it matches. JSON then
      // decodes each printed incident whole as it is written, so memory holds one of them.
      // Several logs are merged in memory.
      let logs = try Invocation.openAll(global, lazy: true)
      let state = logs.state
      let st = try status.map { try IncidentStatus.parse($0, field: "--status") }
      let kd = try kind.map { try IncidentKind.parse($0, field: "--kind") }
      let key = pattern.map(PatternKey.normalise)
      let needle = search.map(IncrementalSearch.folded)
      let unfiltered = [status, kind, team, tag, pattern, search].allSatisfy { $0 == nil }
      // The options read once: each read of an option's property costs a call, per incident.
      let (team, tag, json) = (team, tag, json)
      // Both run on either core, each with the scratch buffer of its thread. What happened is
      // read as bytes in place, searched only when there is a needle.
      let whatMatches: @Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Bool = {
        what, scratch in
        needle.map { IncrementalSearch.bytes(what, contains: $0, scratch: &scratch) } ?? false
      }
      let matches: @Sendable (Incident, Bool, inout [UInt8]) -> Bool = { i, what, scratch in
        unfiltered
          || ((st == nil || i.status == st) && (kd == nil || i.kind == kd)
            && (team == nil || i.team.caseInsensitiveCompare(team ?? "") == .orderedSame)
            && (tag == nil
              || i.tags.contains { $0.caseInsensitiveCompare(tag ?? "") == .orderedSame })
            && (key == nil || i.patterns.contains(key ?? ""))
            && (needle.map { n in
              what || IncidentRow.searchable(i, contains: n, scratch: &scratch)
            } ?? true))
      }
      var rows: [IncidentRow] = []
      var patterns = Swift.Set<String>()
      // When each incident of a pattern was and was made, kept from a walk of every incident
      // for the review rules' timeline, which would otherwise walk the incidents again.
      var times: [String: (day: Int, createdAt: Int64)] = [:]
      func keep(_ i: Incident) {
        guard !i.patterns.isEmpty else { return }
        patterns.formUnion(i.patterns)
        guard unfiltered else { return }
        if times.isEmpty { times.reserveCapacity(state.incidents.count) }
        times[i.id] = (i.occurred.ordinal, i.createdAt)
      }
      if json && unfiltered {
        // Every incident as JSON: only what orders them is read now.
        state.forEachIncidentKey { i, place in
          rows.append(IncidentRow(i, keepColumns: false, place: place))
          keep(i)
        }
      } else {
        state.forEachIncidentHeader(text: whatMatches, keeping: matches) { i, place in
          rows.append(IncidentRow(i, keepColumns: !json, place: place))
          if json { keep(i) }
        }
      }
      let list = rows.newestFirst(limit: limit)
      Invocation.keepUntilExit(rows)
      if json {
        let reviews = state.reviewStatusReader(
          patterns: patterns, times: unfiltered ? times : nil, reading: list.count)
        if !logs.isSeveral {
          // One log: each incident written on either core, in order, from its record's bytes.
          let places = list.map { ($0.id, $0.place) }
          Out.jsonArray(count: places.count) { out, k in
            let written = state.writeIncidentJSON(
              places[k].0, at: places[k].1, review: reviews.status(of:), into: &out, indent: 1)
            if !written { out.value(.null, indent: 1) }
          }
          return
        }
        Out.jsonArray(list) { out, row in
          guard let inc = state.incidents[row.id] else { return out.value(.null, indent: 1) }
          let review = reviews.status(of: inc)
          guard logs.isSeveral else {
            return Exporter.writeIncidentJSON(inc, review: review, into: &out, indent: 1)
          }
          let value = Exporter.incidentJSON(inc, review: review)
          out.value(Invocation.marked(value, log: logs.label(inc.id)), indent: 1)
        }
        return
      }
      if list.isEmpty {
        Out.note("no incidents match")
        return
      }
      // Short ids of the printed rows only: a search a row when they are few, else one sort
      // of the ids and the rows' ids met in one pass.
      let short = ShortIDIndex.shortIDs(list.map(\.id), in: state)
      var table = Table(
        (logs.isSeveral ? ["LOG"] : [])
          + ["ID", "OCCURRED", "SEVERITY", "KIND", "STATUS", "TEAM", "TITLE"])
      for (i, shortID) in zip(list, short) {
        table.add(
          (logs.isSeveral ? [logs.label(i.id)] : [])
            + [
              shortID ?? i.id, i.occurred.description, i.severity.rawValue,
              i.kind.rawValue, i.status.rawValue, i.team, i.title,
            ], paint: i.severity == .critical ? .red : i.severity == .high ? .yellow : nil)
      }
      table.print()
    }
  }

  /// What `incident list` keeps of each matching incident: the columns of its row (none for
  /// JSON, which decodes the incident again when it writes it) and its sort keys.
  struct IncidentRow {
    var id: String
    var occurred: Day
    var createdAt: Int64
    var severity: Severity = .medium
    var kind: IncidentKind = .other
    var status: IncidentStatus = .open
    var team = ""
    var title = ""
    /// Where the walk found the incident's record, to read it again without a search.
    var place: IncidentPlace?

    init(_ i: Incident, keepColumns: Bool, place: IncidentPlace? = nil) {
      id = i.id
      self.place = place
      occurred = i.occurred
      createdAt = i.createdAt
      guard keepColumns else { return }
      severity = i.severity
      kind = i.kind
      status = i.status
      team = i.team
      title = i.title
    }

    /// Whether the title, what happened, a tag or a pattern of `i`, folded for search as the
    /// app folds (case, accents, typographic quotes), contains `needle` folded the same way.
    static func searchable(_ i: Incident, contains needle: [UInt8], scratch: inout [UInt8])
      -> Bool
    {
      if IncrementalSearch.text(i.title, contains: needle, scratch: &scratch)
        || IncrementalSearch.text(i.what, contains: needle, scratch: &scratch)
      {
        return true
      }
      for list in [i.tags, i.patterns] {
        for t in list where IncrementalSearch.text(t, contains: needle, scratch: &scratch) {
          return true
        }
      }
      return false
    }
  }
}

extension Array where Element == IncidentCommand.IncidentRow {
  /// The rows newest first, as ``Swift/Array/newestFirst(limit:)`` orders incidents.
  func newestFirst(limit: Int? = nil) -> [IncidentCommand.IncidentRow] {
    let keys = map { ($0.occurred.ordinal, $0.createdAt) }
    let order = indices.sorted { a, b in
      keys[a] != keys[b] ? keys[a] > keys[b] : a > b
    }
    return order.prefix(limit ?? order.count).map { self[$0] }
  }
}

extension IncidentCommand {
  /// `incident show`.
  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show one incident: answers, actions, lessons, how understanding changed.",
      discussion: Help.text(examples: "learnlog incident show 3fk2 --json"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var id: String
    @Flag(help: "Print a JSON object.") var json = false

    func run() throws {
      // Lazily: one incident, its actions and its patterns' incidents are all it reads.
      let ws = try Invocation.open(global, lazy: true)
      let state = ws.state
      let iid = try state.resolve(id, .incident)
      guard let inc = state.incidents[iid] else {
        throw CLIError(message: "no incident \(Out.echo(id))")
      }
      let review = state.reviewStatus(inc)
      if json {
        guard case .object(var o) = Exporter.incidentJSON(inc, review: review) else { return }
        o.merge(Exporter.followUpJSON(state, incident: iid)) { $1 }
        Out.json(.object(o))
        return
      }
      // Out.line sanitises every line; each value is cleaned too, so its line breaks show
      // as ^J and one field stays one line.
      Out.line("\(Out.clean(state.shortID(for: iid)))  \(Out.clean(inc.title))", paint: .bold)
      var fields: [(String, String)] = [
        ("kind", inc.kind.rawValue), ("severity", inc.severity.rawValue),
        ("status", inc.status.rawValue), ("occurred", inc.occurred.description),
        ("team", inc.team), ("owner", inc.owner), ("tags", inc.tags.joined(separator: ", ")),
        ("triggers", inc.triggers.joined(separator: ", ")),
        ("patterns", inc.patterns.joined(separator: ", ")), ("template", inc.template),
      ]
      fields = fields.filter { !$0.1.isEmpty }
      for (k, v) in fields {
        Out.line("  \(k.padding(toLength: 9, withPad: " ", startingAt: 0)) \(Out.clean(v))")
      }
      if !inc.what.isEmpty {
        Out.line()
        Out.line("What happened", paint: .bold)
        printIndented(inc.what, first: "  ")
      }
      Out.line()
      // What is missing, one item a line (a line each keeps them readable in 80 columns).
      Out.line([
        ("Review", .bold), (" ", nil),
        review.isComplete ? ("complete", .green) : ("missing:", .yellow),
      ])
      for item in review.missing { printIndented(item, first: "  • ") }
      // Every answer, grouped by the template (and revision) that asked it: switching
      // template never hides what was answered before.
      let groups = AnswerGroup.of(inc)
      let grouped = groups.count > 1 || groups.first?.template != inc.template
      for g in groups {
        if grouped { Out.line("  " + Out.clean(g.label), paint: .dim) }
        for v in g.answers {
          printIndented(v.value, first: "\(grouped ? "    " : "  ")\(Out.clean(v.key)): ")
        }
      }
      let factors = state.factors(of: iid)
      if !factors.isEmpty {
        Out.line()
        Out.line("Contributing factors", paint: .bold)
        for f in factors {
          Out.line(
            "  \(Out.clean(state.shortID(for: f.id)))  [\(f.gap.rawValue)] \(Out.clean(f.text))")
        }
      }
      let timeline = state.timeline(of: iid)
      if !timeline.isEmpty {
        Out.line()
        Out.line("Timeline", paint: .bold)
        for e in timeline {
          let kind = e.kind.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
          var line = "  \(LocalTime.string(e.time))  \(kind) \(Out.clean(e.text))"
          if !e.link.isEmpty { line += "  <\(Out.clean(e.link))>" }
          Out.line(line)
        }
      }
      let actions = state.actions(of: iid)
      if !actions.isEmpty {
        Out.line()
        Out.line("Actions", paint: .bold)
        var t = Table(["ID", "STATUS", "DUE", "OWNER", "TITLE"])
        for a in actions {
          t.add([
            state.shortID(for: a.id),
            a.status.rawValue + (a.outcome.map { " (\($0.rawValue))" } ?? ""),
            a.due?.description ?? "", a.owner, a.title + IncidentCommand.mitigationNote(a),
          ])
        }
        t.print()
      }
      let experiments = state.experiments(of: iid)
      if !experiments.isEmpty {
        Out.line()
        Out.line("Experiments", paint: .bold)
        for e in experiments {
          Out.line("  \(state.shortID(for: e.id))  \(Out.clean(e.hypothesis))")
          if !e.change.isEmpty { Out.line("    change    \(Out.clean(e.change))") }
          Out.line("    criteria  \(Out.clean(e.criteria))")
          Out.line("    check     \(e.check?.description ?? "")")
          if let d = e.decision {
            Out.line(
              "    decided   \(d.rawValue)\(e.result.isEmpty ? "" : ": " + Out.clean(e.result))")
          }
        }
      }
      if let s = state.reviewSchedules[iid] {
        Out.line()
        Out.line([
          ("Review scheduled", .bold), (" " + Out.clean(LearningState.scheduleDetail(s)), nil),
        ])
      }
      let lessons = state.lessonList.filter { $0.incidents.contains(iid) }
      if !lessons.isEmpty {
        Out.line()
        Out.line("Lessons", paint: .bold)
        for l in lessons {
          printIndented(l.text, first: "  \(Out.clean(state.shortID(for: l.id)))  ")
        }
      }
      let led = state.ledTo(iid)
      if !led.isEmpty {
        Out.line()
        Out.line([
          ("This led to", .bold),
          (": " + led.map { Out.clean($0.description) }.joined(separator: ", "), nil),
        ])
      }
      let history = inc.understandingHistory
      if !history.isEmpty {
        Out.line()
        Out.line("How understanding changed", paint: .bold)
        for v in history {
          printIndented(
            v.value,
            first: "  \(ISOTime.string(v.at))  \(Out.clean(Authorship.shown(v.by)))  "
              + "\(Out.clean(v.key)): ")
        }
      }
    }
  }

  /// Prints `text` one line per line of it, each sanitised: the first after `first`, the
  /// others under the first one's text (a hanging indent as wide as `first`), so a line break
  /// is a new line in the same column, never a `^J`.
  static func printIndented(_ text: String, first: String) {
    let rest = String(repeating: " ", count: Out.width(first))
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (i, line) in lines.enumerated() {
      Out.line((i == 0 ? first : rest) + Out.clean(String(line)))
    }
  }

  /// " (mitigation until D)" or " (retired: revert — reason)" for a temporary mitigation.
  static func mitigationNote(_ a: Action) -> String {
    guard a.type == .mitigate, let u = a.until else { return "" }
    if let r = a.retirement {
      return " (mitigation until \(u), retired: \(r.decision.rawValue) — \(r.reason))"
    }
    return " (mitigation until \(u))"
  }

  /// `incident set`.
  struct Set: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set",
      abstract: "Change one field of an incident.",
      discussion: Help.text(
        """
        Fields: title, what, kind, severity, occurred, team, owner, tags, triggers, patterns, \
        status. Lists (tags, triggers, patterns) are split by , or ;.
        """,
        examples: "learnlog incident set 3fk2 severity critical"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var id: String
    @Argument(help: "The field to change.") var field: String
    @Argument(help: "The new value.") var value: String

    func run() throws {
      _ = try Invocation.perform(
        global, .setIncidentField(incident: id, field: field, value: value))
    }
  }
}

/// `learnlog review`.
struct ReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review", abstract: "Answer review questions of an incident.",
    discussion: Help.text(
      """
      Keys of the default template (diagnostic): expected, assumption, evidence, changed, \
      root-cause, gap, hypothesis.
      """,
      "A skill gap is written to the shared log as `private`; its detail goes to your private notes.",
      "To schedule the review, see `learnlog review schedule --help`.",
      examples: """
        learnlog review 3fk2 --answer "root-cause=the config differed per region" \\
          --answer gap=process
        """,
      "learnlog review schedule 3fk2 --on 2026-12-04 --facilitator kim"))
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The incident id or a unique prefix.") var id: String
  @Option(help: "diagnostic, aar, five-whys, decision-card or a team template.") var template:
    String?
  @Option(name: .customLong("answer"), help: "KEY=TEXT (repeatable).") var answers: [String]

  func validate() throws {
    if answers.isEmpty {
      throw ValidationError("give at least one --answer KEY=TEXT")
    }
    for a in answers where !a.contains("=") {
      throw ValidationError("--answer '\(Out.echo(a))' is not KEY=TEXT")
    }
  }

  func run() throws {
    let parsed = answers.map { a -> ReviewAnswer in
      let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return ReviewAnswer(
        key: parts[0].trimmingCharacters(in: .whitespaces),
        value: parts.count > 1 ? String(parts[1]) : "")
    }
    let (ws, plan) = try Invocation.perform(
      global, .review(incident: id, template: template, answers: parsed))
    for a in parsed { BlameWarning.check("--answer \(a.key)", a.value) }
    let iid = try ws.state.resolve(id, .incident)
    if plan.shared.isEmpty && plan.private.isEmpty {
      Out.note("nothing changed: the answers were already saved")
    }
    if let status = ws.state.reviewStatus(iid) {
      Out.note(
        status.isComplete
          ? "review complete"
          : "review still needs: " + status.missing.joined(separator: "; "))
    }
    if !plan.private.isEmpty {
      Out.note("a private growth item was saved to your private notes (never the shared log)")
    }
  }
}

/// `learnlog note`.
struct NoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "note", abstract: "Private notes (kept only in your private file).",
    subcommands: [Add.self, List.self, Show.self])

  /// `note add`.
  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Add a private note to an incident; prints its id.",
      discussion: Help.text(
        """
        The note goes to $XDG_DATA_HOME/learnlog/private/notes.jsonl (mode 0600), never to the \
        shared log or an export without --include-private. The text is read from standard \
        input (or, on a terminal, written in $VISUAL or $EDITOR), so it never appears on the \
        command line, where every local user can read it (/proc/PID/cmdline, ps) and the \
        shell keeps it in its history.
        """,
        examples: "learnlog note add 3fk2 < note.txt",
        "printf '%s\\n' \"ask about on-call load\" | learnlog note add 3fk2",
        "learnlog note add 3fk2            (opens $EDITOR on a terminal)"))
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The incident id or a unique prefix.") var incident: String
    @Option(
      help: ArgumentHelp(
        "The note; - (or no --text) reads it from standard input, or $EDITOR on a terminal. "
          + "Text given here is visible to other local users (ps, /proc) and kept in shell "
          + "history: prefer standard input.",
        valueName: "text|-"))
    var text: String?

    func run() throws {
      let note = try text.flatMap { $0 == "-" ? nil : $0 } ?? Self.readPrivateText()
      let (ws, plan) = try Invocation.perform(global, .addNote(incident: incident, text: note))
      if let id = plan.createdID { Out.line(id) }
      if let store = ws.privateStore { Out.note("saved a private note in \(store.path)") }
    }

    /// The note from standard input, or from `$VISUAL`/`$EDITOR` when standard input is a
    /// terminal; one trailing newline dropped.
    static func readPrivateText() throws -> String {
      if isatty(0) == 1 {
        let editor = ExternalEditor.fromEnvironment { $0() }
        do {
          return try editor.edit("")
        } catch {
          throw CLIError(
            message:
              "\(error); pipe the note on standard input instead (learnlog note add ID < file)")
        }
      }
      let data = FileHandle.standardInput.readDataToEndOfFile()
      guard var note = String(data: data, encoding: .utf8) else {
        throw CLIError(message: "the note on standard input is not UTF-8 text; give it as UTF-8")
      }
      if note.hasSuffix("\r\n") || note.hasSuffix("\n") { note.removeLast() }
      guard !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw CLIError(
          message: "the note on standard input is empty; pipe its text "
            + "(learnlog note add ID < note.txt) or run on a terminal to write it in $EDITOR")
      }
      return note
    }
  }
}

extension Array where Element == Incident {
  /// The incidents newest first: the day it happened, then the time it was recorded, then
  /// (recorded at one instant, as an import does) the later in this array, which is in
  /// creation order; the app's list has the same order.
  ///
  /// Sorts indices by keys taken once rather than moving whole incidents.
  func newestFirst(limit: Int? = nil) -> [Incident] {
    let keys = map { ($0.occurred.ordinal, $0.createdAt) }
    let order = indices.sorted { a, b in
      keys[a] != keys[b] ? keys[a] > keys[b] : a > b
    }
    return order.prefix(limit ?? order.count).map { self[$0] }
  }
}
