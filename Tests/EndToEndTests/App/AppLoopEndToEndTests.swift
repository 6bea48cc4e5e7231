import Foundation
import LearningLog
import Testing

/// The closed loop in the full-screen app, the real binary in tmux: experiments on any
/// incident, the private space, mitigations retired from the board, scheduled reviews.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct AppLoopEndToEndTests {
  /// Runs the command line in `home`; returns its standard output, trimmed.
  @discardableResult
  func cli(_ home: AppHome, _ arguments: [String]) throws -> String {
    let env = try #require(TestTools.executable(named: "env"))
    let result = try TestTools.run(
      env, home.arguments(try TestTools.binary("learnlog")) + ["--file", home.log] + arguments)
    #expect(result.status == 0, "learnlog \(arguments): \(result.output)")
    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A day `days` from today, as the app reads today.
  func day(_ days: Int) -> String { Day(date: Date()).adding(days: days).description }

  @Test func anExperimentIsAddedAndDecidedInTheAppOnANonEscalatedIncident() throws {
    let home = try AppHome()
    defer { home.remove() }
    try cli(home, ["init"])
    try cli(
      home, ["incident", "add", "--title", "Estimate slipped on billing", "--kind", "estimate"])
    let app = try home.start()
    defer { app.stop() }
    try app.press("2")
    app.expectRow(containing: "Estimate slipped on billing")
    try app.press("x")
    app.expectRow(containing: "Add experiment")
    try app.type("pairing on billing avoids the slip")
    try app.press("Tab")
    try app.type("pair on billing")
    try app.press("Tab")
    try app.type("no slip in 2 sprints")
    try app.press("Tab", "C-u")
    try app.type(day(0))
    try app.save(expecting: "experiment")
    // Today's check item opens the result form.
    try app.press("1")
    app.expectRow(containing: "pairing on billing avoids the slip")
    try app.press("G", "Enter")
    app.expectRow(containing: "Decide the experiment")
    app.expectRow(containing: "Criteria: no slip in 2 sprints")
    try app.press("Tab")
    try app.type("no slip since")
    try app.save(expecting: "experiment decision")
    try app.press("q")
    #expect(app.file("status") == "0")
    let e = try #require(try home.replayedLog().experimentList.first)
    #expect(e.decision == .adopt && e.result == "no slip since" && e.change == "pair on billing")
    #expect(e.incident != nil && e.pattern == nil)
  }

  @Test func thePrivateSpaceListsANoteAddedFromTheCommandLine() throws {
    let home = try AppHome()
    defer { home.remove() }
    try cli(home, ["init"])
    let inc = try cli(home, ["incident", "add", "--title", "Estimate slipped on billing"])
    try cli(home, ["note", "add", inc, "--text", "ask about the sprint load"])
    let app = try home.start()
    defer { app.stop() }
    app.expectRow(containing: "Estimate slipped on billing")
    try app.press("P")
    app.expectRow(containing: "Private space")
    app.expectRow(containing: "ask about the sprint load")
    app.expectRow(containing: "Coaching notes (1)")
    try app.press("Escape")
    let closed = app.waitForScreen { !$0.contains { $0.contains("Private space") } }
    #expect(closed.matched)
    // The shared screens never show it.
    try app.press("2", "Tab")
    let detail = app.waitForScreen { $0.contains { $0.contains("Experiments") } }
    #expect(!detail.screen.contains { $0.contains("sprint load") })
    try app.press("q")
  }

  @Test func aMitigationAtItsEndDateIsOnTodayAndRetiredFromTheBoard() throws {
    let home = try AppHome()
    defer { home.remove() }
    try cli(home, ["init"])
    let inc = try cli(home, ["incident", "add", "--title", "Write-behind lost edits"])
    try cli(
      home,
      [
        "action", "add", inc, "--title", "Roll back to write-through", "--owner", "sam", "--due",
        day(5), "--type", "mitigate", "--until", day(0),
      ])
    let app = try home.start()
    defer { app.stop() }
    app.expectRow(containing: "retire")
    app.expectRow(containing: "Roll back to write-through")
    try app.press("3")
    app.expectRow(containing: "retire (R)")
    try app.press("R")
    app.expectRow(containing: "Retire the mitigation")
    try app.press("Tab")
    try app.type("the patch is verified")
    try app.save(expecting: "mitigation retirement")
    try app.press("1")
    let gone = app.waitForScreen { !$0.contains { $0.contains("Roll back to write-through") } }
    #expect(gone.matched, "\(gone.screen.joined(separator: "\n"))")
    try app.press("q")
    let a = try #require(try home.replayedLog().actionList.first)
    #expect(a.retirement?.decision == .revert && a.retirement?.reason == "the patch is verified")
  }

  @Test func aReviewIsScheduledInTheApp() throws {
    let home = try AppHome()
    defer { home.remove() }
    try cli(home, ["init"])
    try cli(home, ["incident", "add", "--title", "Checkout down", "--severity", "critical"])
    let app = try home.start()
    defer { app.stop() }
    app.expectRow(containing: "schedule a reflection")
    try app.press("2")
    app.expectRow(containing: "Checkout down")
    try app.press("S")
    app.expectRow(containing: "Schedule the review")
    try app.type(day(1))
    try app.press("Tab")
    try app.type("kim")
    try app.press("Tab")
    try app.type("sam, ana")
    try app.save(expecting: "review schedule")
    try app.press("1")
    app.expectRow(containing: "scheduled")
    try app.press("q")
    let s = try #require(try home.replayedLog().reviewSchedules.values.first)
    #expect(
      s.on.description == day(1) && s.facilitator == "kim" && s.participants == ["sam", "ana"])
  }
}
