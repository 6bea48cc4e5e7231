import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// The cold open's prepared records apply exactly as the usual parser and rules.
///
/// The cold open decodes the common event types straight from each line's bytes on worker
/// threads (`PreparedDecoder`) and applies them without the JSON tree
/// (`LearningState.applyPrepared`). The usual parser and rules are the oracle: every log
/// here is opened both ways and the states compared part by part.
@Suite struct PreparedRecordTests {
  static let path = "/data/log.jsonl"

  /// A deterministic generator (SplitMix64).
  struct Seeded: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// A JSON string literal for `s`: canonical, or with every non-ASCII scalar and some ASCII
  /// letters written as `\u` escapes (surrogate pairs above the BMP).
  static func literal(_ s: String, escaped: Bool) -> String {
    guard escaped else {
      var out: [UInt8] = []
      try? JSONSerializer.appendString(s, to: &out)
      return String(decoding: out, as: UTF8.self)
    }
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "a", "e", "/": out += String(format: "\\u%04x", u.value)
      case _ where u.value < 0x20 || u.value >= 0x80:
        if u.value > 0xFFFF {
          let v = u.value - 0x10000
          out += String(format: "\\u%04x\\u%04X", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
        } else {
          out += String(format: "\\u%04x", u.value)
        }
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  /// A record line (newline included) with `body` written as given, sealed with its checksum.
  static func line(
    id: String, ts: Int, writer: String, type: String, entity: String, body: String
  ) -> [UInt8] {
    var l = Array(
      #"{"id":"\#(id)","ts":\#(ts),"lc":0,"w":"\#(writer)","type":"\#(type)","v":1,"e":"\#(entity)","d":\#(body)"#
        .utf8)
    RecordCodec.seal(&l)
    return l
  }

  /// Texts with escapes, quotes, controls, multi-byte and astral scalars.
  static let texts = [
    "Config drift", "données ✓", "検索 failed", "rocket 🚀 launch", "quote \" and \\ slash /",
    "tab\tnew\nline", "", "skill", "process", "a", "2026-03-14", "ÉÀ\u{301}", "\u{7F}del",
  ]

  /// Bodies of every event type, in common and odd shapes, for records about `entity`.
  static func body(
    _ type: String, entity: String, incidents: [String], rng: inout Seeded
  ) -> String {
    func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
    func chance(_ n: UInt64) -> Bool { rng.next() % n == 0 }
    var members: [(String, String)] = []
    func text() -> String { literal(pick(texts), escaped: chance(4)) }
    func choice(_ good: [String]) -> String {
      literal(chance(8) ? "nonsense" : pick(good), escaped: chance(6))
    }
    func strings() -> String {
      switch rng.next() % 8 {
      case 0: return "[]"
      case 1: return "[1,\"x\"]"
      case 2: return text()
      case 3: return "[ \(text()) , \(text()) ]"
      default:
        return "[" + (0..<Int(rng.next() % 3 + 1)).map { _ in text() }.joined(separator: ",") + "]"
      }
    }
    func day() -> String {
      pick(["\"2026-03-14\"", "\"2026-02-30\"", "\"14/03/2026\"", "20260314", "\"2024-01-01\""])
    }
    func maybe(_ key: String, _ value: @autoclosure () -> String, _ n: UInt64 = 2) {
      if chance(n) { members.append((key, value())) }
    }
    switch type {
    case EventType.incidentCreated:
      maybe("title", text(), 12 / 11)
      if chance(12) { members.removeAll() }
      if members.isEmpty && !chance(10) { members.append(("title", text())) }
      maybe("what", text())
      maybe("kind", choice(IncidentKind.ordered.map(\.rawValue)))
      maybe("severity", choice(Severity.ordered.map(\.rawValue)))
      maybe("status", choice(IncidentStatus.ordered.map(\.rawValue)), 4)
      maybe("occurred", day())
      maybe("team", text())
      maybe("owner", text())
      maybe("tags", strings())
      maybe("triggers", strings(), 3)
      maybe(
        "patterns",
        chance(3)
          ? strings()
          : "[" + literal(pick(["deploy/config-drift", "area-1/cause-2"]), escaped: chance(6))
            + "]",
        1)
    case EventType.incidentFieldSet:
      let field = pick(Incident.settableFields + ["nope"])
      members.append(("field", literal(field, escaped: chance(8))))
      switch rng.next() % 6 {
      case 0: members.append(("value", strings()))
      case 1: members.append(("value", "3"))
      case 2:
        members.append(
          (
            "value",
            choice(IncidentStatus.ordered.map(\.rawValue) + Severity.ordered.map(\.rawValue))
          ))
      case 3: members.append(("value", day()))
      default: members.append(("value", text()))
      }
      if chance(10) { members.removeFirst() }
    case EventType.reviewAnswered:
      members.append(
        ("key", literal(pick(["root-cause", "gap", "contributing", "what"]), escaped: chance(8))))
      members.append(("value", text()))
      maybe("template", literal(pick(["diagnostic", "team-review"]), escaped: false))
      maybe("revision", pick(["2", "0", "1.0", "\"3\""]), 4)
      if chance(10) { members.removeFirst() }
    case EventType.actionCreated:
      members.append(("incident", literal(pick(incidents), escaped: chance(8))))
      members.append(("title", text()))
      maybe("type", choice(ActionType.ordered.map(\.rawValue)))
      maybe("owner", text())
      maybe("due", day())
      maybe("review", day())
      maybe("signal", text())
      maybe("until", day())
      if chance(10) { members.removeLast() }
    case EventType.actionStatusSet:
      maybe("status", choice(ActionStatus.ordered.map(\.rawValue)), 20 / 19)
      maybe("reason", text())
    case EventType.actionVerified:
      maybe("outcome", choice(VerificationOutcome.ordered.map(\.rawValue)), 20 / 19)
      maybe("evidence", text())
    case EventType.experimentCreated:
      members.append(("hypothesis", text()))
      maybe("incident", literal(pick(incidents), escaped: false))
    default:
      members.append(("k", text()))
    }
    // Shapes every type may take: when and by whom, an unknown member, a null.
    maybe("at", pick(["1700000000123", "1700000000123.0", "\"soon\"", "-5"]), 5)
    maybe("by", pick([text(), "null"]), 5)
    maybe("later-field", pick(["{\"nested\":[1,2,{\"x\":null}]}", "true", text()]), 12)
    var order = members
    if chance(3) { order.shuffle(using: &rng) }
    let space = chance(5) ? " " : ""
    let inner = order.map {
      "\(space)\(literal($0.0, escaped: false))\(space):\(space)\($0.1)\(space)"
    }
    return "{" + inner.joined(separator: ",") + "}"
  }

  /// A log of `count` records of every type (in replay order unless `shuffled`), with
  /// references to incidents and actions made before, after, twice or never.
  ///
  /// With `runs`, most records concern the entity of the record before them of the same
  /// family (an incident and its answers, an action and its changes, as people write them).
  static func makeLog(
    count: Int, seed: UInt64, shuffled: Bool = false, duplicates: Bool = false,
    runs: Bool = false
  ) -> [UInt8] {
    var rng = Seeded(state: seed)
    var out = RecordCodec.encode(
      LogHeader(storeID: "019abcde-f012-7345-8678-9abcdef01000", created: 1_700_000_000_000))
    let incidents = (0..<max(4, count / 12)).map { "inc-\($0)" }
    let actions = (0..<max(4, count / 12)).map { "act-\($0)" }
    let types: [(String, Int)] = [
      (EventType.incidentCreated, 10), (EventType.incidentFieldSet, 10),
      (EventType.reviewAnswered, 25), (EventType.actionCreated, 10),
      (EventType.actionStatusSet, 15), (EventType.actionVerified, 8),
      (EventType.experimentCreated, 2), (EventType.entityDeleted, 2), ("x.future-type", 2),
    ]
    let total = types.reduce(0) { $0 + $1.1 }
    var lines: [[UInt8]] = []
    var lastOf: [Bool: String] = [:]
    for n in 0..<count {
      var r = Int(rng.next() % UInt64(total))
      var type = types[0].0
      for (t, w) in types {
        if r < w {
          type = t
          break
        }
        r -= w
      }
      let onAction = [EventType.actionCreated, EventType.actionStatusSet, EventType.actionVerified]
        .contains(type)
      var entity =
        onAction
        ? actions[Int(rng.next() % UInt64(actions.count))]
        : incidents[Int(rng.next() % UInt64(incidents.count))]
      if type == EventType.entityDeleted && rng.next() % 2 == 0 {
        entity = actions[Int(rng.next() % UInt64(actions.count))]
      }
      if runs, rng.next() % 5 != 0, let previous = lastOf[onAction] { entity = previous }
      lastOf[onAction] = entity
      if rng.next() % 40 == 0 { entity = "" }
      if rng.next() % 30 == 0 { entity = "ünï-\(n % 3)" }
      let ts = 1_700_000_000_000 + n * 1000
      let id = UUIDv7.make(milliseconds: Int64(ts), using: &rng)
      let writer = ["w-a", "w-b", "wrïter-c"][Int(rng.next() % 3)]
      let body = Self.body(type, entity: entity, incidents: incidents, rng: &rng)
      lines.append(
        line(id: id, ts: ts, writer: writer, type: type, entity: entity, body: body))
    }
    if duplicates {
      for _ in 0..<max(1, count / 20) {
        lines.insert(
          lines[Int(rng.next() % UInt64(lines.count))], at: Int(rng.next() % UInt64(lines.count)))
      }
    }
    if shuffled { lines.shuffle(using: &rng) }
    for l in lines { out += l }
    return out
  }

  /// Every part of two states that differs, by name; every stored property of the state is
  /// compared (a property added to the state and not here fails).
  static func differences(_ a: LearningState, _ b: LearningState) -> [String] {
    var out: [String] = []
    func check<T: Equatable>(_ name: String, _ x: T, _ y: T) { if x != y { out.append(name) } }
    check("incidents", a.incidents.stored, b.incidents.stored)
    check("actions", a.actions.stored, b.actions.stored)
    check("experiments", a.experiments, b.experiments)
    check("lessons", a.lessons, b.lessons)
    check("notes", a.notes, b.notes)
    check("templateRevisions", a.templateRevisions, b.templateRevisions)
    check("factors", a.factors, b.factors)
    check("timelineEntries", a.timelineEntries, b.timelineEntries)
    check("checklists", a.checklists, b.checklists)
    check("reviewSchedules", a.reviewSchedules, b.reviewSchedules)
    check("wins", a.wins, b.wins)
    check("tombstones", a.tombstones, b.tombstones)
    check("policy", a.policy, b.policy)
    check("incidentOrder", a.incidentOrder, b.incidentOrder)
    check("actionOrder", a.actionOrder, b.actionOrder)
    check("experimentOrder", a.experimentOrder, b.experimentOrder)
    check("lessonOrder", a.lessonOrder, b.lessonOrder)
    check("noteOrder", a.noteOrder, b.noteOrder)
    check("templateOrder", a.templateOrder, b.templateOrder)
    check("factorOrder", a.factorOrder, b.factorOrder)
    check("timelineOrder", a.timelineOrder, b.timelineOrder)
    check("factorsByIncident", a.factorsByIncident, b.factorsByIncident)
    check("timelineByIncident", a.timelineByIncident, b.timelineByIncident)
    check("checklistOrder", a.checklistOrder, b.checklistOrder)
    check("scheduleOrder", a.scheduleOrder, b.scheduleOrder)
    check("winOrder", a.winOrder, b.winOrder)
    check("actionsByIncident", a.actionsByIncident.stored, b.actionsByIncident.stored)
    check("incidentsByPatternKey", a.incidentsByPatternKey, b.incidentsByPatternKey)
    check("pending", a.pending, b.pending)
    check("decodeProblems", a.decodeProblems, b.decodeProblems)
    check("unknownTypes", a.unknownTypes, b.unknownTypes)
    check("appliedIDs", a.appliedIDs.packedWords(), b.appliedIDs.packedWords())
    check("appliedIDs.other", a.appliedIDs.other, b.appliedIDs.other)
    check("lateSeen", a.lateSeen, b.lateSeen)
    check("lastClock", a.lastClock, b.lastClock)
    check("lastWriter", a.lastWriter, b.lastWriter)
    check("lastID", a.lastID, b.lastID)
    check("source", a.source == nil, b.source == nil)
    let compared: Set<String> = [
      "incidents", "actions", "experiments", "lessons", "notes", "templateRevisions", "factors",
      "timelineEntries", "checklists", "reviewSchedules", "wins", "_tombstones", "policy",
      "_incidentOrder", "_actionOrder", "experimentOrder", "lessonOrder", "noteOrder",
      "templateOrder", "factorOrder", "timelineOrder", "factorsByIncident", "timelineByIncident",
      "checklistOrder", "scheduleOrder", "winOrder", "actionsByIncident",
      "_incidentsByPatternKey", "pending", "decodeProblems", "unknownTypes", "appliedIDs",
      "lateSeen", "lastClock", "lastWriter", "lastID", "source",
      // Not state: the short ids' memo and the stamp of the ids it was kept for, which no
      // two states share (ShortIDAcrossKindsTests checks what the memo gives).
      "idStamp", "shortIDMemo",
      // Where the four fields above (compared through their accessors) come from when a lazy
      // open left them in the snapshot: not state either.
      "deferred",
    ]
    let stored = Set(Mirror(reflecting: a).children.compactMap(\.label))
    for missing in stored.subtracting(compared) { out.append("not compared: \(missing)") }
    return out
  }

  /// Opens `bytes` as a log both ways, the cold open and the usual open and replay.
  ///
  /// Returns the two states and whether the prepared path (records prepared on workers)
  /// was taken.
  static func bothWays(_ bytes: [UInt8]) throws -> (
    prepared: LearningState, usual: LearningState, streamed: Bool
  ) {
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/data", permissions: 0o755)
    fs.setContents(path, bytes)
    let store = try LogStore.open(path: path, fileSystem: fs, readOnly: true)
    let usual = LearningState.replay(store.records)
    let streamed = LearningState.streamReplay(
      store, size: bytes.count, policy: PolicySettings(), { _, _, _ in })
    let loaded = try LearningState.load(path: path, fileSystem: fs, readOnly: true).state
    if let streamed {
      #expect(differences(streamed.1, loaded).isEmpty, "load takes the streamed state")
    }
    return (loaded, usual, streamed != nil)
  }

  @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
  func everyTypeInEveryShapeAppliesAsTheUsualRules(seed: UInt64) throws {
    let bytes = Self.makeLog(count: 1_500, seed: seed)
    let (prepared, usual, streamed) = try Self.bothWays(bytes)
    #expect(streamed, "a log in replay order opens by the prepared path")
    #expect(Self.differences(prepared, usual) == [])
    #expect(CacheFixture.fingerprint(prepared) == CacheFixture.fingerprint(usual))
    // The generator reaches both paths and the rules' odd corners.
    #expect(!usual.pending.isEmpty && !usual.decodeProblems.isEmpty && !usual.unknownTypes.isEmpty)
    #expect(!usual.tombstones.isEmpty && usual.incidents.count > 10 && usual.actions.count > 10)
  }

  /// Runs of records on one entity: the applying thread keeps the place of the entity last
  /// applied, and creations, deletes, held records and the usual rules between them must
  /// not leave it stale.
  @Test(arguments: [21, 22, 23, 24])
  func runsOfRecordsOnOneEntityApplyAsTheUsualRules(seed: UInt64) throws {
    let bytes = Self.makeLog(count: 2_000, seed: seed, runs: true)
    let (prepared, usual, streamed) = try Self.bothWays(bytes)
    #expect(streamed)
    #expect(Self.differences(prepared, usual) == [])
    #expect(CacheFixture.fingerprint(prepared) == CacheFixture.fingerprint(usual))
    #expect(!usual.pending.isEmpty && !usual.tombstones.isEmpty && usual.incidents.count > 10)
    let answered = usual.incidents.stored.values.map { $0.answers.values.map(\.count).reduce(0, +) }
    #expect(answered.contains { $0 >= 3 }, "some incident gets a run of answers")
  }

  /// Member names are matched as one word: each name reads as its key, and a name one byte
  /// shorter, longer or different, or near the end of the bytes, as none.
  @Test func everyMemberNameReadsAsItsKeyAndNoOther() {
    let names = [
      "at", "by", "title", "what", "kind", "severity", "occurred", "team", "owner", "tags",
      "triggers", "patterns", "status", "field", "value", "key", "template", "revision",
      "incident", "type", "due", "review", "signal", "until", "reason", "outcome", "evidence",
    ]
    #expect(names.count == Members.Key.count)
    func read(_ text: String) -> (Members.Key?, Int) {
      let bytes = Array(text.utf8)
      return bytes.withUnsafeBytes { raw in
        var p = JSONParser(bytes: raw)
        let k = Members.key(&p)
        return (k, p.position)
      }
    }
    for (i, name) in names.enumerated() {
      // Followed by a value (the word read whole) and at the very end (read byte by byte).
      for tail in [":\"some value\"}", ""] {
        let (k, position) = read("\"\(name)\"" + tail)
        #expect(k?.rawValue == i, "\(name)")
        #expect(position == name.utf8.count + 2)
        for other in [
          String(name.dropLast()), name + "s", "X" + name.dropFirst(), name.uppercased(),
          name + "\u{0}", String(name.dropLast()) + "é",
        ] {
          #expect(read("\"\(other)\"" + tail).0 == nil, "\(other)")
        }
      }
    }
    #expect(read(#""":1}"#).0 == nil && read(#""at"#).0 == nil && read(#""ti\u0074le":1"#).0 == nil)
  }

  /// A log read in many small chunks: each chunk is started while the one before is
  /// applied, and the place of the entity last applied is kept from one chunk to the next.
  @Test(arguments: [31, 32])
  func aLogReadInManyChunksAppliesAsTheUsualRules(seed: UInt64) throws {
    let bytes = Self.makeLog(count: 3_000, seed: seed, runs: true)
    let fs = MemoryFileSystem()
    try fs.makeDirectories("/data", permissions: 0o755)
    fs.setContents(Self.path, bytes)
    let store = try LogStore.open(path: Self.path, fileSystem: fs, readOnly: true)
    let usual = LearningState.replay(store.records)
    for chunk in [4 << 10, 16 << 10, 100_000] {
      #expect(bytes.count > 6 * chunk, "many chunks")
      let streamed = try #require(
        LearningState.streamReplay(
          store, size: bytes.count, policy: PolicySettings(), chunkBytes: chunk, { _, _, _ in }))
      #expect(streamed.0.length == bytes.count && streamed.0.lines == 3_001)
      #expect(Self.differences(streamed.1, usual) == [])
    }
  }

  @Test func linesPreparedAndNotBothOccurAndPreparedOnesDecodeTheUsualWay() throws {
    let bytes = Self.makeLog(count: 3_000, seed: 42)
    var prepared = 0
    var usual = 0
    var interner = StringInterner()
    var lineStart = bytes.firstIndex(of: 0x0A).map { $0 + 1 } ?? 0
    try bytes.withUnsafeBytes { raw in
      while let nl = raw[lineStart...].firstIndex(of: 0x0A) {
        let line = UnsafeRawBufferPointer(rebasing: raw[lineStart..<nl])
        var out = PreparedBatch()
        let record = try RecordCodec.decodeRecord(line).get()
        if PreparedDecoder.prepare(line, at: lineStart, interner: &interner, into: &out) {
          prepared += 1
          let r = try #require(out.records.first)
          #expect(out.records.count == 1)
          #expect(interner.strings[r.writer] == record.writer)
          #expect(AppliedIDs.unpack(r.idHi, r.idLo) == record.id.rawValue)
          #expect(r.clock == record.clock && r.entity == record.entity)
          #expect((r.lineStart, Int(r.lineCount)) == (lineStart, line.count))
          #expect(r.kind != .record, "a prepared line holds a plain record")
          // One value, in the table of its kind, and nothing in the others.
          let filled = [
            (PreparedKind.incidentCreated, out.incidents.count),
            (.incidentFieldSet, out.fieldSets.count), (.reviewAnswered, out.answers.count),
            (.actionCreated, out.actions.count), (.actionStatusSet, out.statuses.count),
            (.actionVerified, out.verifications.count), (.record, out.usual.count),
          ].filter { $0.1 > 0 }
          #expect(filled.count == 1 && filled.first?.0 == r.kind && filled.first?.1 == 1)
        } else {
          usual += 1
          #expect(out.records.isEmpty && out.usual.isEmpty)
        }
        lineStart = nl + 1
      }
    }
    #expect(prepared > 1_000 && usual > 300, "prepared \(prepared), usual \(usual)")
  }

  @Test func theDemoDataAppliesAsTheUsualRules() throws {
    let fs = MemoryFileSystem()
    _ = try CacheFixture.makeLog(fs, extra: 50)
    let bytes = try #require(fs.contents(CacheFixture.logPath))
    let (prepared, usual, streamed) = try Self.bothWays(bytes)
    #expect(streamed)
    #expect(Self.differences(prepared, usual) == [])
    #expect(CacheFixture.fingerprint(prepared) == CacheFixture.fingerprint(usual))
  }

  @Test(arguments: [11, 12, 13])
  func outOfOrderAndDuplicatedRecordsOpenTheUsualWay(seed: UInt64) throws {
    for (shuffled, duplicates) in [(true, false), (false, true), (true, true)] {
      let bytes = Self.makeLog(count: 800, seed: seed, shuffled: shuffled, duplicates: duplicates)
      let (prepared, usual, streamed) = try Self.bothWays(bytes)
      #expect(!streamed, "records out of replay order or repeated are left to the full replay")
      #expect(Self.differences(prepared, usual) == [])
      #expect(CacheFixture.fingerprint(prepared) == CacheFixture.fingerprint(usual))
    }
  }

  /// A line the usual parser refuses (a repeated member, bad JSON, a bad checksum) refuses
  /// the open with the same error, wherever the prepared decoder would have read it.
  @Test func damagedLinesAreRefusedWithTheSameError() throws {
    let good = Self.makeLog(count: 200, seed: 5)
    let id = "018cc252-de60-7d07-99de-d47f9a2b2dc3"
    let bad: [[UInt8]] = [
      Self.line(
        id: id, ts: 1_800_000_000_000, writer: "w", type: EventType.incidentCreated, entity: "x",
        body: #"{"title":"a","title":"b"}"#),
      Self.line(
        id: id, ts: 1_800_000_000_000, writer: "w", type: EventType.reviewAnswered, entity: "x",
        body: #"{"key":"k","value":"\ud800"}"#),
      Self.line(
        id: id, ts: 1_800_000_000_000, writer: "w", type: EventType.actionStatusSet, entity: "x",
        body: #"{"status":"done",}"#),
      Array(
        Self.line(
          id: id, ts: 1_800_000_000_000, writer: "w", type: EventType.actionVerified, entity: "x",
          body: #"{"outcome":"verified"}"#
        ).dropLast(3)) + Array(#"0"}"#.utf8) + [0x0A],
      Self.line(
        id: "018CC252-de60-7d07-99de-d47f9a2b2dc3", ts: 1_800_000_000_000, writer: "w",
        type: EventType.incidentCreated, entity: "x", body: #"{"title":"a"}"#),
    ]
    // Records after the bad line, later still: the rest of the log stays in replay order, so
    // only the bad line itself can send the open the usual way.
    var rng = Seeded(state: 6)
    let after = (0..<3).flatMap { n in
      Self.line(
        id: UUIDv7.make(milliseconds: Int64(1_900_000_000_000 + n), using: &rng),
        ts: 1_900_000_000_000 + n, writer: "w", type: EventType.incidentCreated,
        entity: "later-\(n)", body: #"{"title":"later"}"#)
    }
    #expect(try Self.bothWays(good + after).streamed, "without the bad line the log streams")
    for line in bad {
      let bytes = good + line + after
      let fs = MemoryFileSystem()
      try fs.makeDirectories("/data", permissions: 0o755)
      fs.setContents(Self.path, bytes)
      var usualError = ""
      do {
        _ = try LogStore.open(path: Self.path, fileSystem: fs, readOnly: true)
      } catch { usualError = "\(error)" }
      var loadError = ""
      do {
        _ = try LearningState.load(path: Self.path, fileSystem: fs, readOnly: true)
      } catch { loadError = "\(error)" }
      #expect(!usualError.isEmpty && usualError == loadError)
    }
  }
}
