import Foundation

@testable import LearningLog

/// Turns drafts into records with increasing clocks, as the store would.
struct Stamper {
  var writer: String
  var wall: Int64
  var counter = 0

  init(writer: String = "w1", wall: Int64 = 1_800_000_000_000) {
    self.writer = writer
    self.wall = wall
  }

  mutating func stamp(_ d: RecordDraft) -> Record {
    counter += 1
    wall += 1000
    let n = String(counter)
    return Record(
      id: EventID(rawValue: "\(writer)-" + String(repeating: "0", count: max(0, 8 - n.count)) + n),
      clock: HybridTimestamp(wall: wall, logical: 0), writer: writer, type: d.type,
      schema: d.schema, entity: d.entity, body: d.body)
  }
}

/// A state that runs commands the way the app does: plan, stamp, apply.
struct Harness {
  var state = LearningState()
  var records: [Record] = []
  var privateRecords: [Record] = []
  var stamper = Stamper()
  var today = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
  var author: String? = nil
  var seed: UInt64 = 1

  init(policy: PolicySettings = PolicySettings()) {
    state = LearningState(policy: policy)
    stamper.wall = today.utcMilliseconds + 8 * 3_600_000
  }

  var context: CommandContext {
    CommandContext.seeded(seed, today: today, now: stamper.wall + 1000, author: author)
  }

  @discardableResult
  mutating func run(_ c: Command) throws -> Plan {
    seed &+= 1
    let p = try state.plan(c, context: context)
    for d in p.shared {
      let r = stamper.stamp(d)
      records.append(r)
      state.apply(r)
    }
    for d in p.private {
      let r = stamper.stamp(d)
      privateRecords.append(r)
    }
    return p
  }

  /// Runs a command that creates something and returns its id.
  mutating func make(_ c: Command) throws -> String {
    try run(c).createdID ?? ""
  }

  mutating func incident(
    _ title: String, kind: String = "production", team: String = "core", tags: [String] = [],
    triggers: [String] = [], patterns: [String] = [], occurred: String? = nil
  ) throws -> String {
    try make(
      .addIncident(
        NewIncident(
          title: title, kind: kind, team: team, owner: "owner", tags: tags, triggers: triggers,
          patterns: patterns, occurred: occurred)))
  }

  mutating func action(
    _ incident: String, owner: String = "kim", due: String = "2026-03-10",
    review: String? = nil, signal: String = "a signal"
  ) throws -> String {
    try make(
      .addAction(
        NewAction(
          incident: incident, title: "fix it", owner: owner, due: due, review: review,
          signal: signal)))
  }

  mutating func answer(_ incident: String, _ pairs: [String: String], template: String? = nil)
    throws
  {
    try run(
      .review(
        incident: incident, template: template,
        answers: pairs.sorted { $0.key < $1.key }.map { ReviewAnswer(key: $0.key, value: $0.value) }
      ))
  }

  mutating func advance(days: Int) {
    today = today.adding(days: days)
    stamper.wall = max(stamper.wall, today.utcMilliseconds + 8 * 3_600_000)
  }
}

func day(_ s: String) -> Day { Day(s) ?? Day(ordinal: 0) }

func canonical(_ s: LearningState, on d: Day = day("2026-06-01")) -> String {
  Exporter.json(s, on: d, includePrivate: true)
}
