import Foundation
import Testing

@testable import LearningLog

/// ``ExchangeJSON/streamArray(_:element:emit:)`` gives the bytes of the whole array encoded
/// at once, element by element.
@Suite struct StreamedArrayTests {
  /// The streamed text of `values` and how many pieces it came in.
  static func streamed(_ values: [JSONValue]) -> (text: String, pieces: Int) {
    var text = ""
    var pieces = 0
    ExchangeJSON.streamArray(values, element: { $0 }) {
      text += $0
      pieces += 1
    }
    return (text, pieces)
  }

  @Test("empty, one and several elements, nested and scalar, match the whole encoding")
  func shapes() {
    let shapes: [[JSONValue]] = [
      [], [.null], [.int(1), .string("a\n\"b\""), .bool(false)],
      [
        .object([:]), .array([]),
        .object(["b": .array([.int(2), .object(["z": .null])]), "a": .double(1.5)]),
      ],
    ]
    for values in shapes {
      let s = Self.streamed(values)
      #expect(s.text == ExchangeJSON.encode(.array(values)))
      // One piece per element and one for the end: nothing waits for the whole array.
      #expect(s.pieces == values.count + 1)
    }
  }

  @Test("every hostile entity of every kind streams to the whole encoding's bytes")
  func hostileEntities() throws {
    let h = try HostileText.harness()
    let state = h.state
    let incidents = state.incidentList
    #expect(!incidents.isEmpty)
    let reviews = state.reviewStatuses(of: incidents)
    let arrays: [[JSONValue]] = [
      zip(incidents, reviews).map { Exporter.incidentJSON($0, review: $1) },
      state.actionList.map(Exporter.actionJSON), state.lessonList.map(Exporter.lessonJSON),
    ]
    for values in arrays {
      #expect(!values.isEmpty)
      #expect(Self.streamed(values).text == ExchangeJSON.encode(.array(values)))
    }
  }
}
