import Foundation
import Testing
import WorkCounting

@testable import LearningLog

/// A state of `n` incidents, each with an action due, a factor, a timeline entry and (every
/// fourth) a lesson to revalidate and a win: every kind a short id is unique among.
func stateOfEveryKind(_ n: Int) throws -> Harness {
  var h = Harness()
  for i in 0..<n {
    let inc = try h.incident("incident \(i)")
    _ = try h.action(inc, due: "2026-03-\(10 + i % 15)", review: "2026-04-01")
    try h.run(.addFactor(NewFactor(incident: inc, text: "factor \(i)", gap: "process")))
    try h.run(
      .addTimelineEntry(NewTimelineEntry(incident: inc, at: "2026-02-01T10:00", text: "t \(i)")))
    if i % 4 == 0 {
      try h.run(
        .addLesson(
          NewLesson(
            text: "lesson \(i)", incidents: [inc], teams: [], tags: [], patterns: [],
            revalidate: "2026-06-01")))
      try h.run(.addWin(NewWin(title: "win \(i)", team: "core")))
    }
  }
  return h
}

/// The short id of `id` by its definition: the shortest prefix, at least 6 characters, that
/// no other live id of the kinds short ids are unique among shares.
func shortIDByDefinition(_ id: String, in state: LearningState) -> String {
  let others = [
    EntityKind.incident, .action, .experiment, .lesson, .note, .factor, .timeline, .win,
  ]
  .flatMap { state.ids(of: $0) }.filter { $0 != id }
  let shared = others.map { zip(id.utf8, $0.utf8).prefix { $0 == $1 }.count }.max() ?? 0
  return String(id.prefix(max(6, shared + 1)))
}

@Suite struct ShortIDAcrossKindsTests {
  /// Ids that share long prefixes, of every kind: made by hand so neighbours differ late.
  static func crowdedState() -> LearningState {
    var stamper = Stamper()
    var records: [Record] = []
    func add(_ type: String, _ id: String, _ body: [String: JSONValue]) {
      records.append(stamper.stamp(RecordDraft(type: type, entity: id, body: .object(body))))
    }
    let stems = ["aaaaaaaaa", "aaaaaaab", "aaaab", "bbbbbbbbbbbb", "bbbbbbbbbbbc"]
    for (i, stem) in stems.enumerated() {
      add(EventType.incidentCreated, "\(stem)1", ["title": .string("i\(i)")])
      add(
        EventType.actionCreated, "\(stem)2",
        ["incident": .string("\(stem)1"), "title": .string("a"), "owner": .string("o")])
      add(
        EventType.factorAdded, "\(stem)3",
        ["incident": .string("\(stem)1"), "text": .string("f"), "gap": .string("process")])
      add(EventType.winAdded, "\(stem)4", ["title": .string("w")])
    }
    return LearningState.replay(records)
  }

  @Test func everyCallGivesTheDefinitionsShortIDAcrossKinds() {
    let state = Self.crowdedState()
    let ids: [String] = [EntityKind.incident, .action, .factor, .win].flatMap { state.ids(of: $0) }
    #expect(ids.count == 20)
    // Three rounds: the first call scans, the second sorts, the rest read the sorted ids.
    for _ in 0..<3 {
      for id in ids {
        let got = state.shortID(for: id)
        #expect(got == shortIDByDefinition(id, in: state), "\(id)")
      }
    }
    // The bulk index gives the same short ids as one call each.
    let index = ShortIDIndex(state)
    for id in ids {
      let one = state.shortID(for: id)
      #expect(index.shortID(id) == one, "\(id)")
    }
  }

  @Test func aCopyThatMakesOrDeletesAnEntityNeverReadsTheOthersSortedIDs() throws {
    var state = Self.crowdedState()
    let id = "aaaab1"
    // Sorted and kept for these ids.
    for _ in 0..<3 { _ = state.shortID(for: id) }
    #expect(state.shortID(for: id) == "aaaab1")
    let before = state
    var stamper = Stamper(writer: "w2", wall: 1_900_000_000_000)
    // A new incident sharing 7 characters with it, then one deleted.
    state.apply(
      stamper.stamp(
        RecordDraft(
          type: EventType.incidentCreated, entity: "aaaab1x",
          body: .object(["title": .string("late")]))))
    for _ in 0..<3 {
      #expect(state.shortID(for: id) == "aaaab1")
      #expect(state.shortID(for: "aaaaaaab1") == shortIDByDefinition("aaaaaaab1", in: state))
    }
    #expect(state.shortID(for: "aaaab1x") == "aaaab1x")
    #expect(before.shortID(for: "aaaaaaaaa1") == shortIDByDefinition("aaaaaaaaa1", in: before))
    // Two incidents that share all but their last character; one is deleted after a copy
    // has its short ids sorted and kept.
    for id in ["cccccccc1", "cccccccc2"] {
      state.apply(
        stamper.stamp(
          RecordDraft(
            type: EventType.incidentCreated, entity: id, body: .object(["title": .string("c")]))
        ))
    }
    let both = state
    for _ in 0..<3 { #expect(both.shortID(for: "cccccccc1") == "cccccccc1") }
    state.apply(
      stamper.stamp(
        RecordDraft(type: EventType.entityDeleted, entity: "cccccccc2", body: .object([:]))))
    #expect(state.incidents["cccccccc2"] == nil)
    for _ in 0..<3 {
      #expect(state.shortID(for: "cccccccc1") == "cccccc")
      #expect(both.shortID(for: "cccccccc1") == "cccccccc1")
    }
  }

  @Test func aShortIDForEveryEntityIsNotAScanPerEntity() throws {
    expectLinearGrowth("a short id for every entity", n: 300, slack: 1.5) { n in
      let state = (try? stateOfEveryKind(n))?.state ?? LearningState()
      let ids: [String] = [EntityKind.incident, .action, .lesson, .factor, .timeline, .win]
        .flatMap { state.ids(of: $0) }
      #expect(ids.count >= 4 * n)
      let counter = WorkCounter.measure {
        for id in ids { _ = state.shortID(for: id) }
      }
      return counter["ids compared for a short id"]
    }
  }

  @Test func theCalendarIsNotAScanPerItem() throws {
    expectLinearGrowth("the calendar export", n: 300, slack: 1.5) { n in
      let state = (try? stateOfEveryKind(n))?.state ?? LearningState()
      var text = ""
      let counter = WorkCounter.measure {
        text = CalendarExport.ics(state, now: 1_800_000_000_000)
      }
      #expect(text.components(separatedBy: "BEGIN:VTODO").count - 1 == n)
      return counter["ids compared for a short id"]
    }
  }
}
