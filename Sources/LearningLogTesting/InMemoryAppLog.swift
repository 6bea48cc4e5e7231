import Foundation
import LearningLog
import LearningLogApp

/// A log kept in memory: for tests, and for trying the app without a file.
public final class InMemoryAppLog: AppLog {
  /// Every shared record, in append order.
  public private(set) var records: [Record] = []
  /// Every private record (notes, growth items), in append order.
  public private(set) var privateRecords: [Record] = []
  public private(set) var state: LearningState
  /// The day commands are planned on.
  public var today: Day
  /// Who writes the records.
  public var writer: String
  /// When set, the next write fails with this error (then it is cleared).
  public var failNextWrite: (any Error)?
  var generator: EntityIDGenerator<SeededGenerator>
  var wall: Int64
  var sequence = 0
  var unread: [Record] = []

  /// An empty log on `today`, with ids drawn from `seed`.
  public init(today: Day, seed: UInt64 = 1, writer: String = "me") {
    self.today = today
    self.writer = writer
    self.state = LearningState()
    self.generator = EntityIDGenerator(rng: SeededGenerator(seed: seed))
    self.wall = today.utcMilliseconds + 9 * 3_600_000
  }

  /// A log holding the demo data of `today`.
  public static func demo(today: Day, seed: UInt64 = 7) throws -> InMemoryAppLog {
    let appLog = InMemoryAppLog(today: today, seed: seed &+ 1)
    try appLog.loadDemo()
    return appLog
  }

  func nextRecord(_ draft: RecordDraft) -> Record {
    wall += 1
    sequence += 1
    let id = EventID(rawValue: "\(writer)-\(String(sequence).leftPadded(to: 8))")
    return Record(
      id: id, clock: HybridTimestamp(wall: wall, logical: 0), writer: writer, type: draft.type,
      schema: draft.schema, entity: draft.entity, body: draft.body)
  }

  public func perform(_ commands: [Command]) throws -> Plan {
    if let error = failNextWrite {
      failNextWrite = nil
      throw error
    }
    var gen = generator
    let context = CommandContext(
      today: today, now: wall + 1, author: nil, makeID: { gen.next() })
    let plan = try state.plan(commands, context: context)
    generator = gen
    let shared = plan.shared.map(nextRecord)
    for r in shared { state.apply(r) }
    let priv = plan.private.map(nextRecord)
    privateRecords.append(contentsOf: priv)
    records.append(contentsOf: shared)
    return plan
  }

  /// Appends `command` as another process would: the state sees it at the next ``refresh()``.
  public func appendFromElsewhere(_ command: Command, writer other: String = "other") throws {
    var gen = generator
    let context = CommandContext(today: today, now: wall + 1, makeID: { gen.next() })
    var fresh = state
    for r in unread { fresh.apply(r) }
    let plan = try fresh.plan(command, context: context)
    generator = gen
    for d in plan.shared {
      var r = nextRecord(d)
      r.writer = other
      unread.append(r)
    }
  }

  /// The notes and growth items written so far.
  public func privateNotes() throws -> [PrivateNote] {
    LearningState.replay(privateRecords).noteList
  }

  public func refresh() throws -> Bool {
    guard !unread.isEmpty else { return false }
    for r in unread { state.apply(r) }
    records.append(contentsOf: unread)
    unread = []
    return true
  }

  public func loadDemo() throws {
    let drafts = try DemoData.drafts(today: today)
    let new = drafts.map(nextRecord)
    records.append(contentsOf: new)
    state = LearningState.replay(records)
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
