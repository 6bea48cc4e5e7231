import LearningLog
import LearningLogApp
import TerminalUI
import Testing
import WorkCounting

/// Typing into the app's forms: each key costs what the screen shows, not the text typed so far.
@Suite struct FormGrowthTests {
  static let kinds = ["text edit", "wrap", "field measure", "blame check"]

  /// Opens the review form of the newest incident and types `n` keys into its first answer,
  /// drawing a frame after each; returns the work counted.
  static func typeIntoReview(_ n: Int) throws -> WorkCounter {
    let app = try AppHarness()
    var state = app.initialState(size: Size(width: 80, height: 24))
    try app.type("2 r", into: &state)
    #expect(state.form != nil)
    let sample = Array("we should have seen the stale flag 日本, ")
    let counter = WorkCounter.measure {
      for i in 0..<n {
        let c = sample[i % sample.count]
        let key = i % 83 == 82 ? KeyEvent(.enter) : KeyEvent(.character(c))
        if let action = app.model.action(for: .key(key), in: state) {
          app.send(action, to: &state)
        }
        _ = app.frame(state)
      }
      // A pause in typing keeps the draft.
      app.send(.tick, to: &state)
    }
    let drafts = app.runner.pendingDrafts()
    #expect(drafts.count == 1, "the draft is kept")
    #expect((drafts.first?.values.values.map(\.count).max() ?? 0) >= n, "the whole answer is kept")
    return counter
  }

  @Test func typingAnAnswerCostsTheScreenNotTheAnswer() throws {
    let small = try Self.typeIntoReview(120)
    let large = try Self.typeIntoReview(480)
    // Each kind of work on its own: a quadratic part must not hide behind a large linear one.
    #expect(small["blame check"] > 0 && small["wrap"] > 0)
    for kind in Self.kinds where small[kind] > 0 || large[kind] > 0 {
      let ratio = Double(large[kind]) / Double(Swift.max(1, small[kind]))
      #expect(
        ratio <= 5, "\(kind): 120 keys \(small[kind]) units, 480 keys \(large[kind]) (×\(ratio))")
    }
  }
}
