import LearningLog
import TerminalUI
import Testing
import WorkCounting

@testable import LearningLogApp

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

  /// The line of the focused text area that holds the cursor, if the focus is on one.
  static func focusedLine(_ state: AppState) -> TextEditState? {
    guard let form = state.form?.form, form.fields.indices.contains(form.focus),
      case .textArea(let area) = form.fields[form.focus].kind
    else { return nil }
    return area.lines[area.row]
  }

  /// Where the characters of `line` are stored.
  static func storage(_ line: TextEditState?) -> UnsafeRawPointer? {
    line?.characters.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
  }

  /// A key after a large paste edits the text where it is: the reducer keeps no second copy of
  /// the state while the key edits it (which made every key copy the whole pasted text), so
  /// the text's storage moves only when it grows past its capacity — a few times in 200 keys,
  /// never on every key.
  @Test func keysAfterALargePasteDoNotCopyTheText() throws {
    let app = try AppHarness()
    var state = app.initialState(size: Size(width: 80, height: 24))
    try app.type("2 r", into: &state)
    let chunk = "pasted text with a naïve retry loop, 検索 and ✓; "
    let pasted = String(repeating: chunk, count: 4000)
    if let a = app.model.action(for: .paste(pasted), in: state) { app.send(a, to: &state) }
    let before = try #require(Self.focusedLine(state))
    #expect(before.characters.count >= pasted.count)
    var places = Set<UnsafeRawPointer?>()
    places.insert(Self.storage(before))
    for i in 0..<200 {
      let key = KeyEvent(.character(Array("abc ")[i % 4]))
      if let a = app.model.action(for: .key(key), in: state) { app.send(a, to: &state) }
      places.insert(Self.storage(Self.focusedLine(state)))
    }
    #expect((Self.focusedLine(state)?.characters.count ?? 0) == before.characters.count + 200)
    #expect(places.count <= 4, "the text was copied on \(places.count - 1) of 200 keys")
  }

  /// The phrases kept by row text are the blame check's for that text, whether the row was
  /// seen before or not, and what is kept stays bounded however many rows are drawn.
  @Test func blamePhrasesKeptByRowAreTheCheckOfThatRow() {
    let kept = BlamePhrases(capacity: 16)
    let rows = [
      "We should have seen it; the operator failed to check", "plain text, nothing to flag",
      "Obviously Ana missed the alert", "", "in hindsight it was careless", "日本 ✓ should’ve",
    ]
    for round in 0..<3 {
      for (k, row) in rows.enumerated() {
        let text = row + String(repeating: " x", count: (round * 7 + k) % 20)
        #expect(kept.phrases(in: text) == BlameCheck.flags(in: text).map(\.phrase), "\(text)")
        #expect(kept.phrases(in: text) == BlameCheck.flags(in: text).map(\.phrase), "\(text)")
        #expect(kept.count <= 16)
      }
    }
    #expect(!kept.phrases(in: rows[0]).isEmpty && kept.phrases(in: rows[1]).isEmpty)
  }
}
