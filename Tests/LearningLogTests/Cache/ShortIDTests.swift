import Testing
import WorkCounting

@testable import LearningLog

@Test func packedShortIDsEqualTheStringWay() throws {
  var gen = EntityIDGenerator(rng: SeededGenerator(seed: 9))
  var records: [Record] = []
  var wall: Int64 = 1_800_000_000_000
  func add(_ type: String, _ entity: String, _ body: [String: JSONValue]) {
    wall += 1
    records.append(
      Record(
        id: EventID(rawValue: UUIDv7.make(milliseconds: wall)),
        clock: HybridTimestamp(wall: wall, logical: 0), writer: "w", type: type, schema: 1,
        entity: entity, body: .object(body)))
  }
  var ids: [String] = []
  for n in 0..<3000 {
    var id = gen.next()
    // Near neighbours share long prefixes, down to all but the last character.
    if n % 7 == 0, let prev = ids.last {
      id = String(prev.prefix(11 - n % 5)) + id.suffix(1 + n % 5)
    }
    ids.append(id)
    if n % 2 == 0 {
      add(EventType.incidentCreated, id, ["title": "t"])
    } else {
      add(EventType.actionCreated, id, ["incident": .string(ids[0]), "title": "a"])
    }
  }
  let state = LearningState.replay(records)
  let index = ShortIDIndex(state)
  let all = state.shortIDs()
  for id in state.ids(of: nil) { #expect(index.shortID(id) == all[id]) }
  #expect(index.shortID("zzzzzzzzzzzz") == nil)
  // Many at once (one pass over the index) and few (one search each), in any order, with
  // ids that are not there and ids asked twice: the same answers as one by one.
  let asked = state.ids(of: nil).shuffled(using: &gen.rng) + ["zzzzzzzzzzzz", "no-id", ids[3]]
  for some in [asked, Array(asked.prefix(10)), []] {
    #expect(index.shortIDs(some) == some.map { index.shortID($0) })
    // Without an index at hand: a few ids are searched one by one, every id never sorted.
    var found: [String?] = []
    let counter = WorkCounter.measure { found = ShortIDIndex.shortIDs(some, in: state) }
    #expect(found == some.map { index.shortID($0) })
    let sorted = counter["ids sorted for short ids"]
    #expect(some.count > ShortIDIndex.fewIDs ? sorted > 0 : sorted == 0, "\(some.count) ids")
  }
  let fast = try #require(state.shortIDsOfCanonicalIDs())
  #expect(fast == state.shortIDsByString())
  #expect(fast.count == Set(state.ids(of: nil)).count)
  #expect(fast.values.contains { $0.count >= 11 })
  // Any id outside the alphabet takes the string way.
  add(EventType.lessonCreated, "Lesson-1", ["text": "x"])
  let mixed = LearningState.replay(records)
  #expect(mixed.shortIDsOfCanonicalIDs() == nil)
  #expect(mixed.shortIDs()["Lesson-1"] == "Lesson-1".prefix(6).description)
  // The index takes the string way too, and agrees for every id.
  let mixedIndex = ShortIDIndex(mixed)
  let mixedAll = mixed.shortIDs()
  for id in mixed.ids(of: nil) { #expect(mixedIndex.shortID(id) == mixedAll[id]) }
  #expect(mixedIndex.shortIDs(mixed.ids(of: nil)) == mixed.ids(of: nil).map { mixedAll[$0] })
  #expect(mixedIndex.shortID("Lesson-2") == nil)
}
