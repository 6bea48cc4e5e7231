import Foundation
import Testing

@testable import LearningLog

@Suite struct PrivateOnTopTests {
  @Test func privateNotesAppliedOnTopGiveWhatAReplayOfBothGives() throws {
    var h = Harness()
    var incidents: [String] = []
    for i in 0..<12 {
      let inc = try h.incident("incident \(i)")
      incidents.append(inc)
      // Notes written between shared records, so both files interleave in time.
      if i % 3 == 0 { try h.run(.addNote(incident: inc, text: "note \(i)")) }
      if i % 4 == 1 { try h.run(.addGrowthItem(incident: inc, text: "growth \(i)")) }
      _ = try h.action(inc)
    }
    try h.run(.addNote(incident: incidents[0], text: "a second note on the first"))
    #expect(h.privateRecords.count == 8)
    let both = LearningState.replay(h.records + h.privateRecords)
    let shared = LearningState.replay(h.records)
    // Given in any order, one of them twice.
    let onTop = try #require(
      shared.withPrivate(h.privateRecords.reversed() + [h.privateRecords[2]]))
    #expect(onTop.noteList == both.noteList)
    #expect(onTop.noteList.count == 8)
    #expect(onTop.incidentList == both.incidentList)
    #expect(onTop.actionList == both.actionList)
    #expect(onTop.ids(of: nil) == both.ids(of: nil))
    #expect(onTop.problems == both.problems)
    // The shared state itself is left as it was.
    #expect(shared.noteList.isEmpty)
    // A private file holding any other record is replayed with the log instead.
    #expect(shared.withPrivate(h.privateRecords + [h.records[0]]) == nil)
  }
}
