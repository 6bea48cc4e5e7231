import Foundation
import LearningLog

/// Writes a deterministic log shaped like real use, in the store's canonical format.
///
/// About ten events an incident: the incident, three review answers and one edited answer,
/// an action created, started, finished (nine in ten) and verified, a field edit; a lesson
/// every 100 incidents and an experiment every 500. Text mixes ASCII and multi-byte UTF-8.
struct LogGenerator {
  var rng: SeededGenerator
  var wall: Int64 = 1_704_067_200_000  // 2024-01-01
  let writers = (0..<8).map { "w\($0)-5f3c9a7d41b8e0" }
  let teams = ["platform", "payments", "growth", "mobile", "données", "検索", "ops", "support"]
  let owners = ["ana", "bo", "chidi", "dara", "émile", "farah", "goro", "hana", "ivo", "jun"]
  let subjects = [
    "Checkout errors after deploy", "Config drift between regions", "Deadline missed for launch",
    "Estimate off by three weeks", "Handoff lost the on-call notes", "Near miss: wrong bucket",
    "Dashboard averages hid churn", "Search migration overran", "Cache stampede at peak",
    "Certificate expired on edge", "Région eu-west failover slow", "Zahlungen doppelt gebucht",
    "検索インデックスが古い", "Backup restore untested", "Feature flag left on",
  ]
  let words = [
    "the", "deploy", "pipeline", "synced", "config", "to", "every", "region", "but", "one",
    "old", "file", "pinned", "value", "naïve", "retry", "loop", "amplified", "load", "queue",
    "backlog", "grew", "silently", "alert", "fired", "late", "runbook", "was", "stale", "✓",
    "écart", "データ", "🚀", "handoff", "notes", "missed", "owner", "change", "window",
  ]
  let patterns = (0..<200).map { "area-\($0 % 20)/cause-\($0)" }
  var serial = 0
  var records = 0

  init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

  mutating func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }

  mutating func sentence(_ n: Int) -> String {
    (0..<n).map { _ in pick(words) }.joined(separator: " ")
  }

  mutating func entityID() -> String {
    var g = EntityIDGenerator(rng: rng)
    let id = g.next()
    rng = g.rng
    return id
  }

  mutating func eventID() -> String {
    let ms = UInt64(wall)
    let r1 = rng.next()
    let r2 = rng.next()
    func hex(_ v: UInt64, _ digits: Int) -> String {
      let s = String(v, radix: 16)
      return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
    let timeHex = hex(ms & 0xFFFF_FFFF_FFFF, 12)
    let a = timeHex.prefix(8)
    let b = timeHex.suffix(4)
    let c = "7" + hex(r1 & 0xFFF, 3)
    let d = hex(0x8 | ((r1 >> 12) & 0x3), 1) + hex((r1 >> 14) & 0xFFF, 3)
    let e = hex(r2 & 0xFFFF_FFFF_FFFF, 12)
    return "\(a)-\(b)-\(c)-\(d)-\(e)"
  }

  mutating func line(_ type: String, _ entity: String, _ body: [String: JSONValue]) throws
    -> [UInt8]
  {
    wall += 60_000
    records += 1
    let r = Record(
      id: EventID(rawValue: eventID()), clock: HybridTimestamp(wall: wall, logical: 0),
      writer: pick(writers), type: type, schema: 1, entity: entity, body: .object(body))
    return try RecordCodec.encode(r)
  }

  func day(_ offsetDays: Int = 0) -> JSONValue {
    .string(Day(utcMilliseconds: wall).adding(days: offsetDays).description)
  }

  /// Writes a log of about `events` records to `path` (replacing it).
  mutating func write(events: Int, to path: String) throws {
    let storeHeader = LogHeader(
      storeID: "019abcde-f012-7345-8678-9abcdef0\(String(events % 10000 + 1000))", created: wall)
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    guard let out = FileHandle(forWritingAtPath: path) else {
      throw BenchError("cannot write \(path)")
    }
    defer { try? out.close() }
    var buffer = RecordCodec.encode(storeHeader)
    buffer.reserveCapacity(8 << 20)
    func flush(_ force: Bool = false) throws {
      if buffer.count >= 4 << 20 || force {
        try out.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    var incidents = 0
    while records < events {
      incidents += 1
      let inc = entityID()
      let title = "\(pick(subjects)) #\(incidents)"
      let pattern: [JSONValue] = rng.next() % 3 == 0 ? [] : [.string(pick(patterns))]
      buffer += try line(
        EventType.incidentCreated, inc,
        [
          "title": .string(title), "what": .string(sentence(14)),
          "kind": .string(pick(["production", "deadline", "estimate", "handoff", "near-miss"])),
          "severity": .string(pick(["low", "medium", "high", "critical"])),
          "occurred": day(), "team": .string(pick(teams)), "owner": .string(pick(owners)),
          "tags": [.string(pick(words)), .string(pick(words))],
          "triggers": [.string(pick(["missed-deadline", "wrong-assumption", "new-market"]))],
          "patterns": .array(pattern),
        ])
      for key in ["root-cause", "gap", "contributing"] {
        let value: JSONValue =
          key == "gap"
          ? .string(pick(["process", "tooling", "context", "capacity"])) : .string(sentence(12))
        buffer += try line(
          EventType.reviewAnswered, inc,
          ["template": "diagnostic", "key": .string(key), "value": value])
      }
      buffer += try line(
        EventType.reviewAnswered, inc,
        ["template": "diagnostic", "key": "root-cause", "value": .string(sentence(16))])
      let act = entityID()
      buffer += try line(
        EventType.actionCreated, act,
        [
          "incident": .string(inc), "title": .string("Add a check: \(sentence(5))"),
          "owner": .string(pick(owners)), "due": day(14), "review": day(28),
          "type": .string(pick(["prevent", "mitigate", "detect", "process"])),
          "signal": .string(sentence(6)),
        ])
      buffer += try line(EventType.actionStatusSet, act, ["status": "doing"])
      if incidents % 10 != 0 {
        buffer += try line(EventType.actionStatusSet, act, ["status": "done"])
        buffer += try line(
          EventType.actionVerified, act,
          [
            "outcome": .string(rng.next() % 5 == 0 ? "ineffective" : "verified"),
            "evidence": .string(sentence(8)),
          ])
      }
      buffer += try line(
        EventType.incidentFieldSet, inc,
        ["field": "status", "value": .string(incidents % 4 == 0 ? "closed" : "reviewed")])
      if incidents % 100 == 0 {
        buffer += try line(
          EventType.lessonCreated, entityID(),
          [
            "text": .string(sentence(20)), "incidents": [.string(inc)],
            "teams": [.string(pick(teams))], "tags": [.string(pick(words))],
            "patterns": .array(pattern), "revalidate": day(90),
          ])
      }
      if incidents % 500 == 0, let p = pattern.first {
        buffer += try line(
          EventType.experimentCreated, entityID(),
          [
            "pattern": p, "hypothesis": .string(sentence(10)), "change": .string(sentence(6)),
            "criteria": .string(sentence(6)), "check": day(30),
          ])
      }
      try flush()
    }
    try flush(true)
  }
}

struct BenchError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}
