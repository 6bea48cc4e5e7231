import ArgumentParser
import Foundation
import LearningLog

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `learnlog export`.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Export the log as JSON, a Markdown \"What we learned\" digest, CSV, or a calendar (ICS).",
    discussion: """
      JSON holds every entity (import reads it back). Markdown is a digest per team and period
      (default: the last 30 days). CSV is a table of incidents (or --table actions). ICS is an
      iCalendar file of every dated item (action due and review dates, experiment checks, lesson
      revalidations), each with a stable UID so a calendar that imports it again updates it.
      Example: learnlog export --format markdown --team web --since 2026-10-01 --output digest.md
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, markdown, csv, ics
  }

  @OptionGroup var global: GlobalOptions
  @Option(help: "json, markdown, csv or ics.") var format: Format
  @Option(help: "Only this team's incidents (and their actions, experiments, lessons).")
  var team: String?
  @Option(help: "Only incidents from this day on, YYYY-MM-DD.") var since: String?
  @Flag(help: "Include your private notes (JSON only; never commit such a file).")
  var includePrivate = false
  @Option(help: "For csv: incidents or actions.") var table: String = "incidents"
  @Option(help: "Write to this file instead of standard output.") var output: String?

  func run() throws {
    let sinceDay = try since.map { try Day.parse($0, field: "--since") }
    guard let csvTable = CSVTable(rawValue: table.lowercased()) else {
      throw CLIError(
        message: "--table: '\(Out.echo(table))' is not one of incidents, actions; use one of those")
    }
    if includePrivate && format != .json {
      throw CLIError(
        message: "--include-private works with --format json only; drop it or export JSON")
    }
    if let output {
      // Refused before any work: never a log read, its lock, the private notes, the cache, a
      // directory or a device.
      for logPath in global.logPaths {
        try OutputTarget.check(
          output,
          protecting: ProtectedFiles.standard(
            logPath: logPath, environment: ProcessInfo.processInfo.environment))
      }
    }
    let logs = try Invocation.openAll(global)
    if logs.isSeveral && includePrivate {
      throw CLIError(
        message: "--include-private works with one log only; drop it or pass one --file")
    }
    let today = Invocation.today
    let records = logs.workspaces.reduce(0) { $0 + $1.store.records.count }
    let progress = Progress("export", total: records)
    progress.step("read \(records) records")
    var state: LearningState
    if let ws = logs.workspaces.first, !logs.isSeveral {
      state = includePrivate ? try ws.stateWithPrivate() : ws.state
      if format != .markdown && format != .ics && (team != nil || sinceDay != nil) {
        state = try ws.state(
          keeping: Self.kept(ws.state, team: team, since: sinceDay),
          includePrivate: includePrivate)
      }
    } else {
      state = logs.state
      if format != .markdown && format != .ics && (team != nil || sinceDay != nil) {
        state = logs.state(keeping: Self.kept(logs.state, team: team, since: sinceDay))
      }
    }
    let text: String
    switch format {
    case .json: text = Exporter.json(state, on: today, includePrivate: includePrivate)
    case .csv: text = Exporter.csv(state, table: csvTable)
    case .markdown:
      text = Exporter.markdown(
        state, team: team, since: sinceDay, until: today,
        logs: logs.isSeveral ? logs.marks : nil)
    case .ics: text = CalendarExport.ics(state, team: team, since: sinceDay, now: Invocation.now)
    }
    progress.finish("\(state.incidentList.count) incidents, \(state.actionList.count) actions")
    if let output {
      try Self.write(
        text, to: output, private: includePrivate, logPath: global.logPaths.first ?? "")
      Out.note("wrote \(output)")
    } else {
      Out.data(text)
    }
  }

  /// The ids an export for `team` from `since` keeps.
  static func kept(_ state: LearningState, team: String?, since: Day?) -> Set<String> {
    func teamMatches(_ t: String) -> Bool {
      team.map { t.caseInsensitiveCompare($0) == .orderedSame } ?? true
    }
    let incidents = state.incidentList.filter { i in
      teamMatches(i.team) && (since.map { i.occurred >= $0 } ?? true)
    }
    var keep = Set(incidents.map(\.id))
    let patterns = Set(incidents.flatMap(\.patterns))
    for a in state.actionList where keep.contains(a.incident) { keep.insert(a.id) }
    for e in state.experimentList {
      if let i = e.incident {
        if keep.contains(i) { keep.insert(e.id) }
      } else if let p = e.pattern, patterns.contains(p) {
        keep.insert(e.id)
      }
    }
    for l in state.lessonList {
      let linked = l.incidents.contains { keep.contains($0) }
      let teamOK = team == nil || l.teams.contains { teamMatches($0) }
      let recent = since.map { Day(utcMilliseconds: l.createdAt) >= $0 } ?? true
      if linked || (teamOK && recent) {
        keep.insert(l.id)
        // A lesson's linked incidents outside the selection stay out.
      }
    }
    return keep
  }

  /// Writes `text` to `path` (0600 when it holds private notes, else 0666 under the umask),
  /// never over the log, its lock, the private notes, the cache or a non-regular file.
  static func write(_ text: String, to path: String, private isPrivate: Bool, logPath: String)
    throws
  {
    try OutputTarget.write(
      Array(text.utf8), to: path, permissions: isPrivate ? 0o600 : 0o666,
      protecting: ProtectedFiles.standard(
        logPath: logPath, environment: ProcessInfo.processInfo.environment))
  }
}

/// `learnlog import`.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Import a JSON export, a CSV of incidents, GitHub issues or a Jira CSV; one bad row imports nothing.",
    discussion: """
      JSON: what `export --format json` writes; entities whose id is already in the log are
      skipped, so importing the same file twice adds nothing. CSV: one incident a row, the header
      naming fields (title,what,kind,severity,team,owner,tags,triggers,patterns,occurred), lists
      split by ';'; every row becomes a new incident. github: the JSON of `gh issue list --json
      number,title,body,labels,createdAt,closedAt,author,url`. jira: a Jira CSV export. Both map
      labels to kind, severity and team (see docs/commands.md) and skip issues already imported.
      Example: learnlog import issues.json --format github --team web
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, csv, github, jira
  }

  @OptionGroup var global: GlobalOptions
  @Argument(help: "The file to import.") var file: String
  @Option(help: "json, csv, github or jira (default: json or csv from the file's extension).")
  var format: Format?
  @Option(help: "github and jira: the team of incidents without a team: label.")
  var team: String?
  @Flag(help: "Also import private notes of a JSON export into your private file.")
  var includePrivate = false

  func run() throws {
    if team != nil && format != .github && format != .jira {
      throw CLIError(
        message: "--team works with --format github or jira only; drop it or set the format",
        status: ExitStatus.usage)
    }
    let fmt: Format
    if let format {
      fmt = format
    } else if let f = Format(rawValue: (file as NSString).pathExtension.lowercased()) {
      fmt = f
    } else {
      throw CLIError(
        message:
          "\(Out.echo(file)): cannot tell the format from its name; pass --format json or --format csv",
        status: ExitStatus.usage)
    }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: file))
    } catch {
      throw CLIError(
        message: "cannot read \(Out.echo(file)); check the path and that you may read it")
    }
    // About 200 bytes a record: progress shows for thousands of records, on a terminal only.
    let progress = Progress("import", total: data.count / 200)
    progress.step("validating \(data.count) bytes of \(fmt.rawValue)")
    let ws = try Invocation.open(global)
    let context = Invocation.context(logPath: ws.path)
    var skipped = 0
    var created: Int?
    let report: ExternalImport.ProgressReport = { done, total in
      progress.step("\(done) of \(total) issues checked")
    }
    let privateIDs =
      includePrivate ? Set(try ws.privateRecords().map(\.entity)) : Set<String>()
    let plan: Plan
    do {
      plan = try ws.perform { state in
        switch fmt {
        case .csv:
          return try Importer.csv(data, into: state, context: context)
        case .json:
          let (fresh, n) = try Self.dropPresent(data, state: state, privateIDs: privateIDs)
          skipped = n
          return try Importer.json(fresh, into: state, includePrivate: includePrivate)
        case .github, .jira:
          let result =
            fmt == .github
            ? try ExternalImport.github(
              data, into: state, context: context, team: team ?? "", progress: report)
            : try ExternalImport.jira(
              data, into: state, context: context, team: team ?? "", progress: report)
          skipped = result.skipped
          created = result.created
          return result.plan
        }
      }
    } catch let e as DomainError {
      throw CLIError(message: "\(Out.echo(file)): \(e.message); nothing was imported")
    }
    let count = plan.shared.count + plan.private.count
    progress.finish("\(count) records written")
    let incidents =
      created ?? plan.shared.filter { $0.type == EventType.incidentCreated }.count
    var message = "imported \(incidents) incident\(incidents == 1 ? "" : "s") (\(count) records)"
    if skipped > 0 { message += "; skipped \(skipped) already in the log" }
    Out.note(message)
  }

  /// The export without the entities already in `state` (by id; templates and checklists by
  /// name; an incident with its factors and timeline).
  static func dropPresent(_ data: Data, state: LearningState, privateIDs: Set<String>) throws
    -> (Data, Int)
  {
    let root = try ExchangeJSON.decode(data)
    guard case .object(var object) = root else { return (data, 0) }
    var skipped = 0
    func present(_ key: String, _ item: JSONValue) -> Bool {
      switch key {
      case "templates":
        guard let name = item["name"]?.stringValue, item["builtIn"]?.boolValue != true else {
          return false
        }
        return state.templateRevisions[name] != nil
      case "checklists":
        return item["name"]?.stringValue.map { state.checklists[$0] != nil } ?? false
      case "private":
        return item["id"]?.stringValue.map { privateIDs.contains($0) } ?? false
      case "reviewSchedules":
        return item["incident"]?.stringValue.map { state.reviewSchedules[$0] != nil } ?? false
      default:
        guard let id = item["id"]?.stringValue else { return false }
        return state.kind(of: id) != nil || state.tombstones.contains(id)
      }
    }
    for key in [
      "templates", "checklists", "incidents", "actions", "experiments", "lessons", "private",
      "reviewSchedules", "wins",
    ] {
      guard case .array(let items)? = object[key] else { continue }
      let kept = items.filter { !present(key, $0) }
      skipped += items.count - kept.count
      object[key] = .array(kept)
    }
    if skipped == 0 { return (data, 0) }
    return (Data(ExchangeJSON.encode(.object(object), pretty: false).utf8), skipped)
  }
}
