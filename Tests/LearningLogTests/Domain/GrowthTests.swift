import Foundation
import Testing
import WorkCounting

@testable import LearningLog

/// Fails when `work(4n)` grows more than linearly from `work(n)` (a 4× input may cost at most
/// `slack` × 4 the work).
func expectLinearGrowth(
  _ what: String, n: Int, slack: Double = 1.25, sourceLocation: SourceLocation = #_sourceLocation,
  _ work: (Int) throws -> Int
) rethrows {
  let small = try work(n)
  let large = try work(4 * n)
  #expect(small > 0, "\(what): no work counted at n = \(n)", sourceLocation: sourceLocation)
  let ratio = Double(large) / Double(Swift.max(1, small))
  #expect(
    ratio <= 4 * slack,
    "\(what): \(small) units at n = \(n), \(large) at 4n (×\(ratio)): grows faster than n",
    sourceLocation: sourceLocation)
}

/// Incidents that all carry pattern `p`, as records.
func incidentsSharingOnePattern(_ n: Int) -> [Record] {
  var stamper = Stamper()
  return (0..<n).map { i in
    stamper.stamp(
      RecordDraft(
        type: EventType.incidentCreated, entity: "inc-\(i)",
        body: .object([
          "title": .string("incident \(i)"), "patterns": .array([.string("p")]),
          "occurred": .string("2026-02-01"),
        ])))
  }
}

@Suite struct GrowthTests {
  @Test func replayIsLinearInIncidentsSharingOnePattern() {
    expectLinearGrowth("replay of incidents on one pattern", n: 2_000) { n in
      let records = incidentsSharingOnePattern(n)
      var state = LearningState()
      let counter = WorkCounter.measure {
        state = LearningState.replay(records)
      }
      #expect(state.incidentsByPatternKey["p"]?.count == n)
      return counter["pattern index"]
    }
  }

  @Test func droppingAPatternFromRecentIncidentsStaysLinear() {
    expectLinearGrowth("unsetting the pattern of the newest incidents", n: 1_000) { n in
      var records = incidentsSharingOnePattern(4 * n)
      var stamper = Stamper(wall: 1_900_000_000_000)
      for i in (3 * n)..<(4 * n) {
        records.append(
          stamper.stamp(
            RecordDraft(
              type: EventType.incidentFieldSet, entity: "inc-\(i)",
              body: .object(["field": .string("patterns"), "value": .array([])]))))
      }
      let counter = WorkCounter.measure { _ = LearningState.replay(records) }
      return counter["pattern index"]
    }
  }

  @Test func aPatternSuggestionCostsTheDraftNotTheLog() {
    // Keys typed into a new incident's form ask for suggestions each time: with the index
    // gathered once, each costs the same however many incidents the log holds.
    func work(_ n: Int) -> Int {
      var stamper = Stamper()
      let words = ["deploy", "flag", "stale", "cache", "region", "retry", "queue", "alert"]
      let records = (0..<n).map { i in
        stamper.stamp(
          RecordDraft(
            type: EventType.incidentCreated, entity: "inc-\(i)",
            body: .object([
              "title": .string("\(words[i % 8]) \(words[(i / 8) % 8]) trouble"),
              "what": .string("the \(words[(i / 3) % 8]) went wrong again"),
              "tags": .array([.string(words[i % 5])]),
              "patterns": .array([.string("area-\(i % 20)/cause")]),
            ])))
      }
      let index = PatternSuggestionIndex(LearningState.replay(records))
      let counter = WorkCounter.measure {
        for text in ["stale flag", "stale flag after deploy", "retry queue alert region"] {
          let s = index.suggest(
            for: NewIncident(title: text, what: "", tags: ["cache"], triggers: []), limit: 3)
          #expect(s.count == 3)
        }
      }
      return counter["pattern suggestions"]
    }
    let small = work(500)
    let large = work(2_000)
    #expect(small > 0)
    #expect(
      Double(large) <= 1.25 * Double(small),
      "suggesting at 500 incidents: \(small) units; at 2,000: \(large)")
  }
}
