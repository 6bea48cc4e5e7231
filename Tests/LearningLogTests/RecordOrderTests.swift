import Testing

@testable import LearningLog

@Test func replayOrderIsClockThenWriterThenID() {
  func rec(_ wall: Int64, _ w: String, _ id: String) -> Record {
    Record(
      id: EventID(rawValue: id), clock: HybridTimestamp(wall: wall, logical: 0), writer: w,
      type: "t", schema: 1, entity: "", body: [:])
  }
  let sorted = [rec(2, "a", "1"), rec(1, "b", "2"), rec(1, "a", "3"), rec(1, "a", "2")]
    .sorted(by: Record.replayOrder)
  #expect(sorted.map(\.id.rawValue) == ["2", "3", "2", "1"])
}
