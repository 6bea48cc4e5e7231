import Foundation
import LearningLogTesting
import Testing
import WorkCounting

@testable import LearningLog

/// An incident's JSON written from its snapshot record's bytes (`incident list --json`, the
/// export) is byte for byte the JSON of the replayed incident with its replayed review.
@Suite struct IncidentJSONFromRecordTests {
  /// Texts a record may hold: escapes, controls a terminal must never receive raw (ESC, C1,
  /// bidi, zero-width, DEL), multi-byte and astral scalars, a byte count around a word.
  static let hostile = [
    "", "a", "plain ascii title", "exactly8", "sixteen bytes!!!", "quote \" back \\ slash",
    "tab\tnew\nline\r", "esc \u{1B}[31m red", "c1 \u{9B}2J", "bidi \u{202E}evil\u{202C}",
    "zero\u{200B}width", "del\u{7F}", "données ✓ 検索 🚀", "\u{FEFF}bom", "line\u{2028}sep",
    String(repeating: "long what happened ", count: 40), "   ", "\t\n",
  ]

  /// The fixture's log (demo data: answers, actions, repeats and escalations) with incidents
  /// of every hostile text, answered in several versions by several people.
  static func makeLog(_ fs: MemoryFileSystem) throws -> LogStore {
    let store = try CacheFixture.makeLog(fs, extra: 5)
    var drafts: [RecordDraft] = []
    for (n, text) in hostile.enumerated() {
      let id = "hostile-\(n)"
      drafts.append(
        RecordDraft(
          type: EventType.incidentCreated, entity: id,
          body: [
            "title": .string(text), "what": .string(hostile[(n + 3) % hostile.count]),
            "kind": "production", "severity": n % 2 == 0 ? "high" : "low",
            "team": .string(n % 3 == 0 ? text : "web"), "owner": .string(hostile[(n + 5) % 18]),
            "tags": .array([.string(text), "deploy"]), "patterns": .array(["config-drift"]),
            "occurred": .string("2026-03-1\(n % 6)"),
          ]))
      // Answers to what the review reads (root cause, gap, why the fix failed) and to other
      // questions; blank, unknown and changed answers among them.
      let answers: [(String, String)] = [
        ("root-cause", n % 4 == 0 ? "   " : text),
        ("gap", ["skill", "nonsense", "process"][n % 3]),
        ("why-fix-failed", text), ("assumption", hostile[(n + 1) % hostile.count]),
        ("root-cause", n % 5 == 0 ? "changed: \(text)" : text), ("evidence", text),
      ]
      for (k, (key, value)) in answers.enumerated() where (n + k) % 7 != 0 {
        drafts.append(
          RecordDraft(
            type: EventType.reviewAnswered, entity: id,
            body: [
              "key": .string(key), "value": .string(value),
              "template": k % 2 == 0 ? "diagnostic" : "team-review",
            ]))
      }
      if n % 3 == 1 {
        drafts.append(
          RecordDraft(
            type: EventType.actionCreated, entity: "hostile-action-\(n)",
            body: [
              "incident": .string(id), "title": "Fix it", "owner": "ana", "due": "2026-04-01",
            ]))
      }
    }
    try store.append { _ in drafts }
    return store
  }

  /// Every incident of `lazy` written from its place (as the listing's walk gives it) with
  /// `lazy`'s review, and the same incident of `full` written the usual way, as text.
  ///
  /// `lazy`'s reader is told it reads `reading` incidents: every one (the default) finds the
  /// owned actions in one walk of the actions, one reads each incident's actions.
  static func bothWays(_ lazy: LearningState, _ full: LearningState, reading: Int? = nil)
    -> [(String, String, String)]
  {
    var patterns = Set<String>()
    for inc in full.incidentList { patterns.formUnion(inc.patterns) }
    let lazyReviews = lazy.reviewStatusReader(
      patterns: patterns, reading: reading ?? lazy.incidents.count)
    let fullReviews = full.reviewStatusReader(patterns: patterns, reading: full.incidents.count)
    return lazy.incidentPlacesInCreationOrder().map { e in
      var a = JSONText()
      #expect(
        lazy.writeIncidentJSON(
          e.id, at: e.place, review: lazyReviews.status(of:), into: &a, indent: 1))
      var b = JSONText()
      if let inc = full.incidents[e.id] {
        Exporter.writeIncidentJSON(inc, review: fullReviews.status(of: inc), into: &b, indent: 1)
      }
      return (e.id, a.text, b.text)
    }
  }

  @Test func recordsWriteTheBytesOfTheReplayedIncidents() throws {
    let fs = MemoryFileSystem()
    _ = try Self.makeLog(fs)
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    _ = try CacheFixture.load(fs, cache)  // writes the snapshot
    let full = try CacheFixture.fullState(fs)
    let (_, lazy) = try LearningState.load(
      path: CacheFixture.logPath, fileSystem: fs, lazy: true, cache: cache)
    #expect(cache.lastUse == .hit(tailRecords: 0))
    var pairs: [(String, String, String)] = []
    let counter = WorkCounter.measure { pairs = Self.bothWays(lazy, full) }
    #expect(pairs.count == full.incidents.count)
    #expect(pairs.count > Self.hostile.count)
    // Every incident came from its record, none decoded whole.
    #expect(counter["incident JSON from a record"] == pairs.count)
    #expect(lazy.incidents.stored.isEmpty)
    for (id, a, b) in pairs { #expect(a == b, "\(id)") }
    // The texts were all there to compare: hostile ones escaped, none raw.
    let all = pairs.map(\.1).joined()
    #expect(all.contains(#"quote \" back \\ slash"#))
    #expect(all.contains(#"\u001b[31m"#) && all.contains(#"\u202e"#) && all.contains("検索"))
    #expect(!all.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    // Complete and incomplete reviews both occur.
    #expect(all.contains(#""reviewComplete": true"#) && all.contains(#""reviewComplete": false"#))
  }

  /// Incidents changed or created after the snapshot, a deleted one, and a place that names
  /// another incident's record are written from the state, the same bytes.
  @Test func whatChangedSinceTheSnapshotIsWrittenFromTheState() throws {
    let fs = MemoryFileSystem()
    let store = try Self.makeLog(fs)
    let cache = SnapshotCache(directory: CacheFixture.cacheDir, fileSystem: fs)
    _ = try CacheFixture.load(fs, cache)
    try store.append { _ in
      [
        RecordDraft(
          type: EventType.reviewAnswered, entity: "hostile-2",
          body: ["key": "root-cause", "value": "answered after the snapshot"]),
        RecordDraft(
          type: EventType.incidentCreated, entity: "after-1",
          body: ["title": "new \u{1B}", "kind": "production", "patterns": ["config-drift"]]),
        RecordDraft(type: EventType.entityDeleted, entity: "hostile-4", body: [:]),
        // Owned actions changed since: one dropped, one deleted, one made.
        RecordDraft(
          type: EventType.actionStatusSet, entity: "hostile-action-1",
          body: ["status": "dropped", "reason": "not needed"]),
        RecordDraft(type: EventType.entityDeleted, entity: "hostile-action-7", body: [:]),
        RecordDraft(
          type: EventType.actionCreated, entity: "after-action",
          body: [
            "incident": "hostile-0", "title": "Fix", "owner": "bo", "due": "2026-05-01",
          ]),
      ]
    }
    let full = try CacheFixture.fullState(fs)
    let (_, lazy) = try LearningState.load(
      path: CacheFixture.logPath, fileSystem: fs, lazy: true, cache: cache)
    // The owned actions found in one walk are those each live incident's actions give.
    let live = Set(full.incidentList.map(\.id))
    let owned = lazy.incidentsWithOwnedAction().intersection(live)
    let expected = live.filter { full.hasOwnedAction($0) }
    #expect(owned == expected)
    #expect(owned.contains("hostile-0") && !owned.contains("hostile-1"))
    #expect(!owned.contains("hostile-7") && owned.contains("hostile-10"))
    let pairs = Self.bothWays(lazy, full)
    #expect(pairs.map(\.0) == full.incidentList.map(\.id))
    #expect(pairs.contains { $0.0 == "after-1" } && !pairs.contains { $0.0 == "hostile-4" })
    for (id, a, b) in pairs { #expect(a == b, "\(id)") }
    // Read one by one, the same bytes.
    #expect(Self.bothWays(lazy, full, reading: 1).map(\.1) == pairs.map(\.1))
    // A place holding another incident: that record is not used for this one.
    let places = lazy.incidentPlacesInCreationOrder()
    let first = try #require(places.first { $0.place != nil })
    let other = try #require(places.last { $0.place != nil && $0.id != first.id })
    var wrong = JSONText()
    let reviews = lazy.reviewStatusReader(patterns: ["config-drift"], reading: 1)
    #expect(
      lazy.writeIncidentJSON(
        first.id, at: other.place, review: reviews.status(of:), into: &wrong, indent: 1))
    #expect(wrong.text.contains(#""id": "\#(first.id)""#))
    var none = JSONText()
    #expect(
      !lazy.writeIncidentJSON(
        "no-such-id", at: other.place, review: reviews.status(of:), into: &none, indent: 1))
    #expect(none.bytes.isEmpty)
  }

  /// Whether `bytes` are what a JSON string holds unchanged: decoding them gives the same
  /// bytes back (valid UTF-8) and escaping that string leaves it as it is.
  static func unchangedByEscaping(_ bytes: [UInt8]) -> Bool {
    let s = String(decoding: bytes, as: UTF8.self)
    guard Array(s.utf8) == bytes else { return false }
    var escaped = ""
    ExchangeJSON.writeStringEscaping(s, into: &escaped)
    return escaped == "\"\(s)\""
  }

  /// The test a record's bytes go through before they are copied says yes exactly when
  /// escaping would leave them as they are: every byte, every pair of bytes, every three-byte
  /// form under the leads that need care, four-byte forms at their edges, and each placed at
  /// every offset around an eight-byte word.
  @Test func verbatimBytesAreExactlyThoseEscapingLeavesAsTheyAre() {
    func check(_ bytes: [UInt8]) {
      let verbatim = bytes.withUnsafeBytes { ExchangeJSON.isVerbatim($0) }
      #expect(verbatim == Self.unchangedByEscaping(bytes), "\(bytes)")
    }
    for a in 0...255 {
      check([UInt8(a)])
      for b in 0...255 { check([UInt8(a), UInt8(b)]) }
    }
    let edges: [UInt8] =
      [0x00, 0x41, 0x7F, 0x80, 0x8B, 0x8F, 0x90, 0x9C, 0x9F, 0xA0, 0xA8, 0xA9]
      + [0xAE, 0xAF, 0xBB, 0xBF, 0xC0, 0xFF]
    for lead: UInt8 in [0xC2, 0xD8, 0xE0, 0xE1, 0xE2, 0xED, 0xEE, 0xEF, 0xF0, 0xF4, 0xF5] {
      for b in 0...255 {
        for c in edges { check([lead, UInt8(b), c]) }
      }
      for b in edges {
        for c in edges {
          for d in edges { check([lead, b, c, d]) }
        }
      }
    }
    let probes: [[UInt8]] = [
      Array("\"".utf8), Array("\\".utf8), [0x1F], [0x7F], Array("é".utf8), [0xC2, 0x85],
      Array("\u{202E}".utf8), Array("🚀".utf8), [0xE2, 0x80], [0xFF], Array("~".utf8), [0],
    ]
    for length in 0...20 {
      for at in 0...length {
        for p in probes {
          check(Array(repeating: 0x78, count: at) + p + Array(repeating: 0x78, count: length - at))
        }
      }
    }
  }

  /// Times written in place are the quoted text of ``ISOTime/string(_:)``, or nothing when the
  /// time is outside the common shape (the text is then made as before).
  @Test func timesWrittenInPlaceMatchTheirText() {
    let times: [Int64] = [
      0, 1, 999, 1_773_000_000_123, -1, -86_400_001, 253_402_300_799_999, 253_402_300_800_000,
      -62_167_219_200_001, 1_700_000_000_000, 951_782_400_000,
    ]
    for t in times {
      var bytes: [UInt8] = [0x41]
      let done = ISOTime.append(t, quotedTo: &bytes)
      if done {
        #expect(String(decoding: bytes, as: UTF8.self) == "A\"\(ISOTime.string(t))\"", "\(t)")
      } else {
        #expect(bytes == [0x41], "\(t)")
      }
      var text = JSONText()
      text.time(t)
      var expected = JSONText()
      expected.string(ISOTime.string(t))
      #expect(text.bytes == expected.bytes, "\(t)")
    }
  }
}
