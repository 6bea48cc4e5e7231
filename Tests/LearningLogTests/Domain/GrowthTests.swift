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
}
