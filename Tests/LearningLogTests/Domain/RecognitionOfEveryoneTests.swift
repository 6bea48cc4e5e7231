import Foundation
import Testing
import WorkCounting

@testable import LearningLog

@Suite struct RecognitionOfEveryoneTests {
  /// Names written several ways: case, a sharp s, accents, a dotted capital I.
  static let names = ["Kim", "KIM", "kim", "Straße", "STRASSE", "Émile", "émile", "İlker", "sam"]

  /// Lessons, verified fixes, experiments and wins by `people`, one of each per person.
  static func state(people: [String]) throws -> LearningState {
    var h = Harness()
    for (i, p) in people.enumerated() {
      h.author = p
      let inc = try h.incident("incident \(i)")
      let a = try h.action(inc, owner: p, signal: "seen")
      try h.run(.finishAction(a))
      try h.run(.verifyAction(a, outcome: "verified", evidence: "e"))
      try h.run(
        .addLesson(
          NewLesson(
            text: "lesson \(i)", incidents: [inc], teams: [], tags: [], patterns: [],
            revalidate: nil)))
      try h.run(.addWin(NewWin(title: "win \(i)", team: "core", people: [p, p.uppercased()])))
    }
    return h.state
  }

  @Test func everyoneAtOnceIsEachPersonByCaseInsensitiveName() throws {
    let state = try Self.state(people: Self.names)
    let people = state.recognisedPeople
    #expect(Set(people).isSuperset(of: ["Kim", "Straße", "İlker", "sam"]))
    let all = state.recognition(of: people)
    #expect(all.map(\.person) == people)
    for r in all {
      // What a person is credited with, by comparing each name with theirs.
      func same(_ a: String) -> Bool { a.caseInsensitiveCompare(r.person) == .orderedSame }
      #expect(r.lessons == state.lessonList.filter { same($0.author) }, "\(r.person)")
      #expect(
        r.verifiedFixes == state.actionList.filter { same($0.owner) && $0.outcome == .verified },
        "\(r.person)")
      #expect(r.wins == state.winList.filter { $0.people.contains(where: same) }, "\(r.person)")
      #expect(r == state.recognition(person: r.person))
    }
    #expect(all.first { $0.person == "kim" }?.lessons.count == 3)
    #expect(state.recognition(person: "nobody").lessons.isEmpty)
  }

  @Test func everyoneAtOnceGrowsLinearlyWithPeople() throws {
    expectLinearGrowth("recognition of everyone", n: 100, slack: 1.5) { n in
      let state = (try? Self.state(people: (0..<n).map { "person \($0)" })) ?? LearningState()
      var count = 0
      let counter = WorkCounter.measure {
        count = state.recognition(of: state.recognisedPeople).count
      }
      #expect(count == 2 * n)  // each name also written in capitals on a win
      return counter["entities credited for recognition"]
    }
  }
}
