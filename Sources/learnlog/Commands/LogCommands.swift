import ArgumentParser
import Foundation
import LearningLog

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The problems `check` and `repair` describe, one line each.
enum LogProblems {
  static func lines(
    _ inspection: LogInspection, damage: [DamageDiagnosis] = [], history: GitHistory? = nil
  ) -> [String] {
    var problems: [(Int, String)] = []
    let diagnosis = Dictionary(
      damage.map { ($0.damage.offset, $0) }, uniquingKeysWith: { a, _ in a })
    for d in inspection.damaged {
      var text = "line \(d.line) at byte \(d.offset): damaged: \(d.reason)"
      if let dx = diagnosis[d.offset] {
        text += explanation(dx, history: history)
      }
      problems.append((d.offset, text))
    }
    for c in inspection.conflictMarkers {
      problems.append(
        (
          c.offset,
          "line \(c.line) at byte \(c.offset): git conflict marker (merged without the learnlog merge driver)"
        ))
    }
    if let tail = inspection.tornTail {
      problems.append(
        (
          tail.lowerBound,
          "byte \(tail.lowerBound): torn tail of \(tail.count) bytes (an interrupted write); the next write cuts it, keeping a backup"
        ))
    }
    return problems.sorted { $0.0 < $1.0 }.map(\.1)
  }

  /// What is known about a damaged line beyond its reason: a hand edit and the commit that
  /// brought it, and whether `repair` restores or quarantines it.
  static func explanation(_ d: DamageDiagnosis, history: GitHistory?) -> String {
    var text = ""
    if d.looksHandEdited {
      text += "; looks edited by hand (valid JSON, its checksum does not match)"
      if let history {
        if let brought = history.commit(bringingLine: d.damage.line) {
          text += ", brought by commit \(brought.hash) (\(Out.clean(brought.subject)))"
        } else {
          text += ", not committed yet"
        }
      }
    }
    if d.recordPresent {
      text += "; its record is valid elsewhere in the file, nothing is lost"
    } else if let id = d.recordID, let found = history?.original(of: id) {
      text += "; its original is in git history (\(found.source)): `learnlog repair` restores it"
    } else {
      text += "; `learnlog repair` keeps it in a quarantine file beside the log"
    }
    return text
  }

  /// Refuses an empty path and a missing file (a directory, device or FIFO is refused by the
  /// store, which never blocks on it).
  static func requireFile(_ path: String) throws {
    if !FileManager.default.fileExists(atPath: path) { throw StoreError.notFound(path: path) }
  }

  /// The private notes file of this user.
  static var privatePath: String {
    Workspace.defaultPrivateStore().path
  }

  /// The git history of the log at `path`, when it is tracked by git (never for private notes).
  static func history(_ path: String, isPrivate: Bool) -> GitHistory? {
    isPrivate ? nil : GitHistory(logPath: path)
  }
}

/// `learnlog check`.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Verify the log without changing it.",
    discussion: Help.text(
      """
      Exit 0 when healthy (one summary line, warnings about held references on stderr); \
      exit 3 with a report naming each problem's line and byte offset. In a git clone a line \
      edited by hand is named as such, with the commit that brought it and whether its original \
      is in history.
      """,
      examples: "learnlog check", "learnlog check --private"))
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Check your private notes file instead of the shared log.")
  var `private` = false

  func run() throws {
    let path = `private` ? LogProblems.privatePath : try global.logPath
    try LogProblems.requireFile(path)
    // Checked and replayed in chunks: the records are never all held at once.
    let checked = try LearningState.check(path: path)
    let (inspection, damage) = (checked.inspection, checked.damage)
    if let v = inspection.newerFormat {
      throw StoreError.unsupportedVersion(path: path, version: v)
    }
    let history = inspection.isClean ? nil : LogProblems.history(path, isPrivate: `private`)
    let problems = LogProblems.lines(inspection, damage: damage, history: history)
    if !problems.isEmpty {
      Out.line("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
      for p in problems { Out.line("  " + p) }
      let onlyTorn = inspection.damaged.isEmpty && inspection.conflictMarkers.isEmpty
      let repair = `private` ? "learnlog repair --private" : "learnlog repair"
      throw CLIError(
        message: onlyTorn
          ? "\(path) ends in an interrupted write; any write command or `\(repair)` cuts it"
          : "\(path) is damaged; run `\(repair)` to write a repaired copy (the original is kept as a backup, damaged lines in a quarantine file)",
        status: ExitStatus.damagedLog)
    }
    let state = checked.state ?? LearningState.replay([])
    for w in state.problems { Out.note("warning: " + Out.clean(w)) }
    if state.problems.contains(where: { $0.contains("unknown") }) {
      Out.note(
        "warning: held records wait for the record that creates their entity; if `learnlog "
          + "repair` dropped it, look in the log's .quarantine and .bak files beside it (in a "
          + "git clone `learnlog repair` restores it from history when it is damaged); if a "
          + "teammate wrote it and has not pushed yet, `learnlog sync` brings it")
    }
    Out.line(
      "ok: \(path): \(inspection.validCount) records, \(state.incidentList.count) incidents, "
        + "\(state.actionList.count) actions, \(state.lessonList.count) lessons"
        + (state.problems.isEmpty ? "" : ", \(state.problems.count) warnings"))
  }
}

/// `learnlog repair`.
struct RepairCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repair",
    abstract: "Write a repaired log beside a backup of the damaged one.",
    discussion: Help.text(
      """
      Keeps every valid record byte for byte. In a git clone a damaged line whose original is in \
      history (same record id, valid checksum) is restored from there; every other damaged line \
      and a torn tail go to a quarantine file beside the log (named in the output); git conflict \
      markers are dropped. The original is kept as <log>.<ms>.bak. Asks before writing unless \
      --yes. A directory, device or FIFO is refused, never replaced.
      """,
      examples: "learnlog repair --yes", "learnlog repair --private --yes"))
  @OptionGroup var global: GlobalOptions
  @Flag(name: [.long, .customShort("y")], help: "Do not ask for confirmation.") var yes = false
  @Flag(help: "Repair your private notes file instead of the shared log.")
  var `private` = false

  func run() throws {
    let path = `private` ? LogProblems.privatePath : try global.logPath
    try LogProblems.requireFile(path)
    let (inspection, damage) = try LogStore.diagnose(path: path)
    if inspection.isClean {
      Out.line("nothing to repair: \(path) is healthy")
      return
    }
    let history = LogProblems.history(path, isPrivate: `private`)
    let problems = LogProblems.lines(inspection, damage: damage, history: history)
    Out.note("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s") to repair:")
    for p in problems { Out.note("  " + p) }
    if !yes {
      let again = `private` ? "learnlog repair --private --yes" : "learnlog repair --yes"
      guard isatty(0) == 1 else {
        throw CLIError(
          message:
            "repair needs confirmation; run `\(again)` to write the repaired log (the original is kept as a backup)"
        )
      }
      Out.prompt("Write a repaired log and keep the original as a backup? [y/N] ")
      let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
      guard answer == "y" || answer == "yes" else {
        throw CLIError(message: "repair cancelled; the log is unchanged")
      }
    }
    let report = try LogStore.repair(
      path: path, recover: history.map { h in { id, _ in h.original(of: id) } })
    var parts = ["kept \(report.keptRecords) records"]
    for r in report.restoredLines {
      parts.append("restored line \(r.line.line) from git history (\(r.source))")
    }
    for d in report.duplicateLines {
      parts.append("set aside line \(d.line) (its record is valid elsewhere in the file)")
    }
    for d in report.droppedLines {
      parts.append("set aside line \(d.line) (byte \(d.offset), \(d.reason))")
    }
    if report.droppedConflictMarkers > 0 {
      parts.append("dropped \(report.droppedConflictMarkers) conflict markers")
    }
    if report.cutTailBytes > 0 { parts.append("cut a torn tail of \(report.cutTailBytes) bytes") }
    if report.headerRewritten { parts.append("wrote a new header") }
    Out.line("repaired \(path): " + parts.joined(separator: "; "))
    if let q = report.quarantinePath {
      Out.line("the damaged lines are kept, byte for byte, in \(q)")
    }
    if let backup = report.backupPath { Out.line("the original is kept at \(backup)") }
  }
}

/// `learnlog demo`.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract:
      "Write a realistic demo log: a dozen incidents, reviews, actions, lessons, a pattern.",
    discussion: Help.text(
      "Creates the log when it is missing; refuses a log that already holds records unless --force.",
      examples: "learnlog --file /tmp/demo.jsonl demo"))
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Add the demo to a log that already holds records.") var force = false

  func run() throws {
    let path = try global.logPath
    let ws: Workspace
    if FileManager.default.fileExists(atPath: path) {
      ws = try Invocation.open(global)
    } else {
      ws = try Workspace.create(path: path)
    }
    let existing = ws.store.records.count
    if existing > 0 && !force {
      throw CLIError(
        message: "\(path) already holds \(existing) records; write the demo to a new log "
          + "(--file demo.jsonl) or pass --force to add it to this one")
    }
    var seed: UInt64 = 7
    if existing > 0 { seed = UInt64.random(in: 1...UInt64.max) }
    let drafts = try DemoData.drafts(today: Invocation.today, seed: seed)
    try ws.perform { _ in Plan(shared: drafts) }
    Out.line(
      "wrote the demo to \(path): \(ws.state.incidentList.count) incidents, "
        + "\(ws.state.actionList.count) actions, \(ws.state.lessonList.count) lessons")
  }
}
