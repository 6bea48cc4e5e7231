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
    discussion: Help.text(
      """
      JSON holds every entity (import reads it back). Markdown is a digest per team and period \
      (default: the last 30 days). CSV is a table of incidents (or --table actions). ICS is an \
      iCalendar file of every dated item (action due and review dates, experiment checks, lesson \
      revalidations), each with a stable UID so a calendar that imports it again updates it.
      """,
      examples: """
        learnlog export --format markdown --team web --since 2026-10-01 \\
          --output digest.md
        """))

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, markdown, csv, ics
  }

  @OptionGroup var global: GlobalOptions
  @Option(help: "The output's format") var format: Format
  @Option(help: "Only this team's incidents (and their actions, experiments, lessons).")
  var team: String?
  @Option(help: "Only incidents from this day on, YYYY-MM-DD.") var since: String?
  @Flag(help: "Include your private notes (JSON only; never commit such a file).")
  var includePrivate = false
  @Option(help: "For csv: incidents (the default) or actions.") var table: String?
  @Option(help: "Write to this file instead of standard output.") var output: String?

  func run() throws {
    let sinceDay = try since.map { try Day.parse($0, field: "--since") }
    if table != nil && format != .csv {
      throw CLIError(
        message: "--table applies to --format csv only; drop it or export CSV")
    }
    let tableName = table ?? CSVTable.incidents.rawValue
    guard let csvTable = CSVTable(rawValue: tableName.lowercased()) else {
      throw CLIError(
        message:
          "--table: '\(Out.echo(tableName))' is not one of incidents, actions; use one of those")
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
    let logs = try Invocation.openAll(global, lazy: true)
    if logs.isSeveral && includePrivate {
      throw CLIError(
        message: "--include-private works with one log only; drop it or pass one --file")
    }
    let today = Invocation.today
    // Counted from the state: the store's records are never read back for a count.
    let entities = logs.state.incidents.count + logs.state.actions.count
    let progress = Progress("export", total: entities)
    progress.step("read \(logs.state.incidents.count) incidents")
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
    if let team,
      !logs.state.incidentList.contains(where: {
        $0.team.caseInsensitiveCompare(team) == .orderedSame
      })
    {
      // Not an error (a team may have had no incident yet), but never a silent empty export.
      Out.note("warning: no incidents of team '\(Out.clean(team))'; the export holds none")
    }
    // Written as it is produced (JSON, CSV and Markdown a piece at a time), never held whole.
    let produce: ((String) -> Void) -> Void = { [state] emit in
      switch format {
      case .json: Exporter.streamJSON(state, on: today, includePrivate: includePrivate, emit: emit)
      case .csv: Exporter.streamCSV(state, table: csvTable, emit: emit)
      case .markdown:
        Exporter.streamMarkdown(
          state, team: team, since: sinceDay, until: today,
          logs: logs.isSeveral ? logs.marks : nil, emit: emit)
      case .ics:
        CalendarExport.streamICS(
          state, team: team, since: sinceDay, now: Invocation.now, emit: emit)
      }
    }
    // JSON is made as bytes: written to a file or a pipe as they are, never made a string.
    let produceBytes: (([UInt8]) -> Void) -> Void = { [state] put in
      guard format == .json else { return produce { put(Array($0.utf8)) } }
      Exporter.streamJSON(state, on: today, includePrivate: includePrivate, bytes: put)
    }
    if let output {
      try OutputTarget.write(
        to: output, permissions: includePrivate ? 0o600 : 0o666,
        protecting: ProtectedFiles.standard(
          logPath: global.logPaths.first ?? "", environment: ProcessInfo.processInfo.environment)
      ) { put in produceBytes(put) }
      progress.finish("\(state.incidents.count) incidents, \(state.actions.count) actions")
      Out.note("wrote \(output)")
    } else {
      if format == .json { Out.byteStream(produceBytes) } else { Out.dataStream(produce) }
      progress.finish("\(state.incidents.count) incidents, \(state.actions.count) actions")
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
}

/// `learnlog import`.
struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract:
      "Import a JSON export, a CSV of incidents, GitHub issues or a Jira CSV; one bad row imports nothing.",
    discussion: Help.text(
      """
      JSON: what `export --format json` writes; entities whose id is already in the log are \
      skipped, so importing the same file twice adds nothing.
      """,
      """
      CSV: one incident a row, the header naming fields \
      (title,what,kind,severity,team,owner,tags,triggers,patterns,occurred), lists split by ';'; \
      every row becomes a new incident.
      """,
      """
      GitHub (--format github): the JSON array `gh issue list` writes with the fields of the \
      example below. Jira (--format jira): a Jira CSV export. Both map labels to kind, severity \
      and team (see docs/commands.md) and skip issues already imported.
      """,
      examples: """
        gh issue list --state all --limit 10000 \\
          --json number,title,body,labels,createdAt,closedAt,author,url \\
          > issues.json
        """,
      "learnlog import issues.json --format github --team web"))

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case json, csv, github, jira
  }

  @OptionGroup var global: GlobalOptions
  @Argument(help: "The file to import.") var file: String
  @Option(help: "The file's format; without it, json or csv as the file's extension says")
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
    // A small file into a large log reads only what it touches (ids, names), as every other
    // write does; a large one decodes the log whole, to write the snapshot after it.
    let ws = try Invocation.open(global, lazy: data.count < Self.lazyBelow)
    let context = Invocation.context(logPath: ws.path)
    var skipped = 0
    var created: Int?
    let report: ExternalImport.ProgressReport = { done, total in
      progress.step("\(done) of \(total) issues checked")
    }
    let privateIDs =
      includePrivate ? Set(try ws.privateRecords().map(\.entity)) : Set<String>()
    let plan: Plan
    var written: Int?
    let cache = SnapshotCache.standard(environment: ProcessInfo.processInfo.environment)
    var encodedSnapshot: SnapshotCache.EncodedState?
    do {
      if fmt == .csv {
        // Straight from the file's bytes to the log when every row is good.
        // The snapshot is encoded while the log is written when the import will save it.
        let result = try ws.importCSV(
          data, context: context,
          snapshotCache: data.count >= Self.lazyBelow ? cache : nil)
        written = result.records
        created = written
        encodedSnapshot = result.snapshot
        plan = Plan()
      } else {
        plan = try ws.perform { state in
          switch fmt {
          case .csv:
            return try Importer.csv(data, into: state, context: context)
          case .json:
            let (fresh, n) = try Self.dropPresent(data, state: state, privateIDs: privateIDs)
            skipped = n
            return try Importer.json(root: fresh, into: state, includePrivate: includePrivate)
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
      }
    } catch let e as DomainError {
      throw CLIError(message: "\(Out.echo(file)): \(e.message); nothing was imported")
    }
    let count = written ?? plan.shared.count + plan.private.count
    if written ?? plan.shared.count >= Self.snapshotAfter, !ws.state.isLazy {
      // The state after the import is in memory: write its snapshot now, so the first open
      // after a large import is warm instead of reading every imported record again. A cache
      // problem never fails the import (the next open rebuilds it).
      progress.step("saving the cache")
      try? cache.save(ws.state, of: ws.store, encoded: encodedSnapshot)
    }
    progress.finish("\(count) records written")
    let incidents =
      created ?? plan.shared.filter { $0.type == EventType.incidentCreated }.count
    var message = "imported \(incidents) incident\(incidents == 1 ? "" : "s") (\(count) records)"
    if skipped > 0 { message += "; skipped \(skipped) already in the log" }
    Out.note(message)
  }

  /// Imports of at least this many records write the snapshot at once (smaller ones are left
  /// to the next open, which applies them after the snapshot it has).
  static let snapshotAfter = 1_000

  /// Files smaller than this (about ``snapshotAfter`` records at 200 bytes each) are imported
  /// through a lazy open; the next open applies their records after the snapshot it has.
  static let lazyBelow = 200 * snapshotAfter

  /// The export without the entities already in `state` (by id; templates and checklists by
  /// name; an incident with its factors and timeline).
  ///
  /// Returns the export decoded (once: the importer reads the same tree) and how many
  /// entities were dropped.
  static func dropPresent(_ data: Data, state: LearningState, privateIDs: Set<String>) throws
    -> (JSONValue, Int)
  {
    let root = try ExchangeJSON.decode(data)
    guard case .object(var object) = root else { return (root, 0) }
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
    if skipped == 0 { return (root, 0) }
    return (.object(object), skipped)
  }
}
