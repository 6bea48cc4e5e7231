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
  static func lines(_ inspection: LogInspection) -> [String] {
    var problems: [(Int, String)] = []
    for d in inspection.damaged {
      problems.append((d.offset, "line \(d.line) at byte \(d.offset): damaged: \(d.reason)"))
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

  static func requireFile(_ path: String) throws {
    if !FileManager.default.fileExists(atPath: path) { throw StoreError.notFound(path: path) }
  }
}

/// `learnlog check`.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Verify the log without changing it.",
    discussion: """
      Exit 0 when healthy (one summary line, warnings about held references on stderr);
      exit 3 with a report naming each problem's line and byte offset. Example: learnlog check
      """)
  @OptionGroup var global: GlobalOptions

  func run() throws {
    let path = global.logPath
    try LogProblems.requireFile(path)
    let inspection = try LogStore.inspect(path: path)
    if let v = inspection.newerFormat {
      throw StoreError.unsupportedVersion(path: path, version: v)
    }
    let problems = LogProblems.lines(inspection)
    if !problems.isEmpty {
      Out.line("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s")")
      for p in problems { Out.line("  " + p) }
      let onlyTorn = inspection.damaged.isEmpty && inspection.conflictMarkers.isEmpty
      throw CLIError(
        message: onlyTorn
          ? "\(path) ends in an interrupted write; any write command or `learnlog repair` cuts it"
          : "\(path) is damaged; run `learnlog repair` to write a repaired copy (the original is kept as a backup)",
        status: ExitStatus.damagedLog)
    }
    let state = LearningState.replay(inspection.records)
    for w in state.problems { Out.note("warning: " + Out.clean(w)) }
    Out.line(
      "ok: \(path): \(inspection.records.count) records, \(state.incidentList.count) incidents, "
        + "\(state.actionList.count) actions, \(state.lessonList.count) lessons"
        + (state.problems.isEmpty ? "" : ", \(state.problems.count) warnings"))
  }
}

/// `learnlog repair`.
struct RepairCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repair", abstract: "Write a repaired log beside a backup of the damaged one.",
    discussion: """
      Keeps every valid record byte for byte; drops damaged lines, git conflict markers and a
      torn tail. Asks before writing unless --yes. Example: learnlog repair --yes
      """)
  @OptionGroup var global: GlobalOptions
  @Flag(name: [.long, .customShort("y")], help: "Do not ask for confirmation.") var yes = false

  func run() throws {
    let path = global.logPath
    try LogProblems.requireFile(path)
    let inspection = try LogStore.inspect(path: path)
    if inspection.isClean {
      Out.line("nothing to repair: \(path) is healthy")
      return
    }
    let problems = LogProblems.lines(inspection)
    Out.note("\(path): \(problems.count) problem\(problems.count == 1 ? "" : "s") to drop:")
    for p in problems { Out.note("  " + p) }
    if !yes {
      guard isatty(0) == 1 else {
        throw CLIError(
          message:
            "repair needs confirmation; run `learnlog repair --yes` to write the repaired log (the original is kept as a backup)"
        )
      }
      Out.prompt("Write a repaired log and keep the original as a backup? [y/N] ")
      let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
      guard answer == "y" || answer == "yes" else {
        throw CLIError(message: "repair cancelled; the log is unchanged")
      }
    }
    let report = try LogStore.repair(path: path)
    var parts = ["kept \(report.keptRecords) records"]
    for d in report.droppedLines {
      parts.append("dropped line \(d.line) (byte \(d.offset), \(d.reason))")
    }
    if report.droppedConflictMarkers > 0 {
      parts.append("dropped \(report.droppedConflictMarkers) conflict markers")
    }
    if report.cutTailBytes > 0 { parts.append("cut a torn tail of \(report.cutTailBytes) bytes") }
    if report.headerRewritten { parts.append("wrote a new header") }
    Out.line("repaired \(path): " + parts.joined(separator: "; "))
    if let backup = report.backupPath { Out.line("the original is kept at \(backup)") }
  }
}

/// `learnlog demo`.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract:
      "Write a realistic demo log: a dozen incidents, reviews, actions, lessons, a pattern.",
    discussion: """
      Creates the log when it is missing; refuses a log that already holds records unless
      --force. Example: learnlog --file /tmp/demo.jsonl demo
      """)
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Add the demo to a log that already holds records.") var force = false

  func run() throws {
    let path = global.logPath
    let ws: Workspace
    if FileManager.default.fileExists(atPath: path) {
      ws = try Session.open(global)
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
    let drafts = try DemoData.drafts(today: Session.today, seed: seed)
    try ws.perform { _ in Plan(shared: drafts) }
    Out.line(
      "wrote the demo to \(path): \(ws.state.incidentList.count) incidents, "
        + "\(ws.state.actionList.count) actions, \(ws.state.lessonList.count) lessons")
  }
}
