import Foundation
import Testing

/// The command palette and the help search, in a real terminal at 100×30.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct PaletteEndToEndTests {
  /// `:` lists the screen's and the global commands; typing narrows; Enter runs the selected one.
  @Test func theCommandPaletteFindsAndRunsACommand() throws {
    try AppHome.withAppOnDemo { home, app in
      try app.press("2")
      app.expectRow(containing: "12 of 12 incidents")
      try app.press(":")
      app.expectRow(containing: "Run a command")
      app.expectRow(containing: "review the selected one")
      try app.type("review sel")
      app.expectRow(
        containing: "review the selected one", without: "new incident",
        else: "typing did not narrow the palette")
      try app.press("Enter")
      app.expectRow(containing: "Review · ")
      try app.press("Escape")
      app.expectRow(containing: "12 of 12 incidents")
      // A global command: the dashboard by name.
      try app.press(":")
      app.expectRow(containing: "Run a command")
      try app.type("dashboard")
      try app.press("Enter")
      app.expectRow(containing: "Learning health")
      try app.press("q")
    }
  }

  /// `/` in help narrows the keys listed to those matching what is typed.
  @Test func helpIsSearchedWithSlash() throws {
    try AppHome.withAppOnDemo { home, app in
      try app.press("2")
      try app.press("?")
      app.expectRow(containing: "Help (Esc closes)")
      app.expectRow(containing: "new incident")
      try app.press("/")
      try app.type("checklist")
      app.expectRow(
        containing: "this led to a checklist change", without: "new incident",
        else: "the help search did not narrow")
      try app.press("Enter")
      app.expectRow(containing: "Help /checklist")
      try app.press("Escape")
      app.expectRow(containing: "12 of 12 incidents")
      try app.press("q")
    }
  }
}
