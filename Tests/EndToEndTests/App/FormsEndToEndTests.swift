import Foundation
import LearningLog
import Testing

/// The forms as a person meets them, the real binary in tmux at 100×30: a field left shows
/// its start, a multi-line field says it holds more, a click focuses a field, F1 lists only
/// keys that act, and the private space adds a note to the private file only.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct FormsEndToEndTests {
  @Test func fieldsShowWhatTheyHoldAndAClickFocusesOne() throws {
    try AppHome.withAppOnDemo(after: ["d   load the demo data"]) { home, app in
      try app.press("2")
      app.expectRow(containing: "of 12 incidents")
      try app.press("n")
      app.expectRow(containing: "▶ Title")
      try app.type(
        "Start of a long title" + String(repeating: " and more words", count: 8) + " END")
      app.expectRow(containing: " END")
      // Left: the title shows from its start, the cut marked.
      try app.press("Tab")
      app.expectRow(containing: "▶ What happened")
      let left = app.expectRow(containing: "Start of a long title")
      #expect(left.contains { $0.contains("Start of a long title") && $0.contains("…") })
      #expect(!left.contains { $0.contains(" END") })
      // Five lines in a three-row field: the sign says two more once it is left.
      for n in 1...5 {
        try app.type("line \(n)")
        if n < 5 { try app.press("Enter") }
      }
      try app.press("Tab")
      app.expectRow(containing: "↓ 2 more lines")
      // A click on a field's label focuses it (SGR mouse reports: the press, then the release a
      // moment later, as a hand makes them).
      let screen = app.screen()
      let y = try #require(screen.firstIndex { $0.contains("  Team") })
      let x = try #require(screen[y].range(of: "Team")).lowerBound.utf16Offset(in: screen[y])
      try app.type("\u{1B}[<0;\(x + 1);\(y + 1)M")
      usleep(100_000)
      try app.type("\u{1B}[<0;\(x + 1);\(y + 1)m")
      app.expectRow(containing: "▶ Team")
      // Help lists the form's keys, every one of which acts.
      try app.press("F1")
      app.expectRow(containing: "delete a word (before / after the cursor)")
      app.expectRow(containing: "type into the field")
      try app.press("Escape")
      app.waitForScreen { !$0.contains { $0.contains("Help (Esc closes)") } }
      try app.press("Escape")
      app.expectRow(containing: "Leave the form?")
      try app.press("d")
      app.expectRow(containing: "discarded: new incident")
    }
  }

  @Test func thePrivateSpaceAddsANoteThatNeverReachesTheSharedLog() throws {
    try AppHome.withAppOnDemo(after: []) { home, app in
      let before = try Data(contentsOf: URL(fileURLWithPath: home.log))
      try app.press("P")
      app.expectRow(containing: "add a private note or reflection")
      try app.press("n")
      app.expectRow(containing: "Only you see this")
      try app.press("Tab")
      app.expectRow(containing: "▶ Kind")
      try app.press("Tab")
      app.expectRow(containing: "▶ Note or reflection")
      try app.type("PRIVATE-E2E I rushed the rollback")
      try app.save(expecting: "private note")
      try app.press("P")
      app.expectRow(containing: "PRIVATE-E2E I rushed the rollback")
      #expect(try Data(contentsOf: URL(fileURLWithPath: home.log)) == before)
      let notes = home.directory.appendingPathComponent("data/learnlog/private/notes.jsonl")
      let text = try String(contentsOf: notes, encoding: .utf8)
      #expect(text.contains("PRIVATE-E2E"))
    }
  }
}
