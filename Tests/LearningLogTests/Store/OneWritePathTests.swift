import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// The one write path: a list of commands is planned in order and appended as one write, so
/// the log holds all of it or none of it.
@Suite struct OneWritePathTests {
  static let today = Day(year: 2026, month: 3, day: 10) ?? Day(ordinal: 0)

  /// A workspace on a memory file system holding one incident with one open action.
  static func seeded() throws -> (MemoryFileSystem, incident: String, action: String) {
    let fs = try StoreFixture.memoryFS()
    let ws = try Workspace.create(
      path: StoreFixture.logPath, privateStore: PrivateStore(directory: "/private"),
      fileSystem: fs)
    let ctx = CommandContext.seeded(3, today: today)
    let incident = try #require(
      try ws.perform(.addIncident(NewIncident(title: "Queue stalled")), context: ctx).createdID)
    let action = try #require(
      try ws.perform(
        .addAction(NewAction(incident: incident, title: "Alert", owner: "ana", due: "2026-04-01")),
        context: ctx
      ).createdID)
    return (fs, incident, action)
  }

  /// A save of five commands, the last two valid only after the ones before them.
  static func save(incident: String, action: String) -> [Command] {
    [
      .setIncidentField(incident: incident, field: "title", value: "Queue stalled at night"),
      .setIncidentField(incident: incident, field: "severity", value: "high"),
      .addAction(NewAction(incident: incident, title: "Runbook", owner: "bo", due: "2026-05-01")),
      .finishAction(action),
      .verifyAction(action, outcome: "verified", evidence: "no stall for a week"),
    ]
  }

  static func open(_ fs: MemoryFileSystem) throws -> Workspace {
    try Workspace(
      path: StoreFixture.logPath, privateStore: PrivateStore(directory: "/private"),
      fileSystem: fs)
  }

  @Test func eachCommandIsPlannedAgainstTheOnesBeforeIt() throws {
    let (fs, incident, action) = try Self.seeded()
    let ws = try Self.open(fs)
    let commands = Self.save(incident: incident, action: action)
    // Alone, verifying an open action is refused: it sees the finish planned before it.
    #expect(throws: DomainError.self) {
      try ws.perform(commands[4], context: .seeded(4, today: Self.today))
    }
    let plan = try ws.perform(commands, context: .seeded(4, today: Self.today))
    #expect(plan.shared.count == 5)
    #expect(plan.createdID != nil)
    #expect(ws.state.actions[action]?.status == .done)
    #expect(ws.state.incidents[incident]?.title == "Queue stalled at night")
    let reopened = try Self.open(fs)
    #expect(reopened.state.actions(of: incident).count == 2)
  }

  @Test func oneRefusedCommandWritesNothing() throws {
    let (fs, incident, action) = try Self.seeded()
    let ws = try Self.open(fs)
    let before = fs.contents(StoreFixture.logPath)
    var commands = Self.save(incident: incident, action: action)
    commands.insert(.finishAction("no-such-action"), at: 3)
    #expect(throws: DomainError.self) {
      try ws.perform(commands, context: .seeded(4, today: Self.today))
    }
    #expect(fs.contents(StoreFixture.logPath) == before)
    #expect(ws.state.incidents[incident]?.title == "Queue stalled")
  }

  /// For every k, a write that fails after the k-th line of the save (and a byte into the
  /// next) leaves the log byte for byte as it was, in memory and on reopening.
  @Test func aFailureAfterAnyLineOfASaveLeavesNoneOfIt() throws {
    let (fs, incident, action) = try Self.seeded()
    let commands = Self.save(incident: incident, action: action)
    let before = try #require(fs.contents(StoreFixture.logPath))
    // The lines the save appends, measured on a copy.
    let probe = fs.crashImage(.drop)
    try Self.open(probe).perform(commands, context: .seeded(4, today: Self.today))
    let after = try #require(probe.contents(StoreFixture.logPath))
    let ends = StoreFixture.boundaries(Array(after[before.count...]))
    #expect(ends.count == commands.count)
    var failures = 0
    for k in 0..<ends.count {
      for budget in [k == 0 ? 0 : ends[k - 1], (k == 0 ? 0 : ends[k - 1]) + 1] {
        let image = fs.crashImage(.drop)
        let ws = try Self.open(image)
        image.writeBudget = budget
        #expect(throws: StoreError.self) {
          try ws.perform(commands, context: .seeded(4, today: Self.today))
        }
        failures += 1
        #expect(image.contents(StoreFixture.logPath) == before, "failed after line \(k)")
        #expect(ws.state.actions(of: incident).count == 1)
        image.writeBudget = nil
        let reopened = try Self.open(image)
        #expect(reopened.state.actions[action]?.status == .open)
        #expect(reopened.state.incidents[incident]?.title == "Queue stalled")
      }
    }
    #expect(failures == 2 * commands.count)
    // A failed sync after every line was written: cut back too.
    let image = fs.crashImage(.drop)
    let ws = try Self.open(image)
    image.pendingSyncErrors = [EIO]
    #expect(throws: StoreError.self) {
      try ws.perform(commands, context: .seeded(4, today: Self.today))
    }
    #expect(image.contents(StoreFixture.logPath) == before)
    // No failure: every line, one sync.
    let whole = fs.crashImage(.drop)
    let syncs = whole.syncPoints
    try Self.open(whole).perform(commands, context: .seeded(4, today: Self.today))
    #expect(whole.syncPoints - syncs == 1)
    #expect(try Self.open(whole).state.actions[action]?.status == .done)
  }
}
