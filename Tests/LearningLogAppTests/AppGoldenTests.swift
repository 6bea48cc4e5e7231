import LearningLog
import LearningLogApp
import TerminalUI
import TerminalUITesting
import Testing

/// Golden screens of the app's own views, from the demo data on a fixed day, in the 256-colour
/// theme (the screen goldens of each tab are drawn in the monochrome one), so a wrong colour fails.
@Suite struct AppGoldenTests {
  /// The theme these goldens are drawn in.
  static let theme = Theme.standard(.palette256)

  static let sizes = [
    Size(width: 80, height: 24), Size(width: 60, height: 16), Size(width: 120, height: 40),
  ]

  func golden(_ name: String, _ script: String) throws {
    for size in Self.sizes {
      let app = try AppHarness()
      let (terminal, _) = try app.run(
        script, size: size, from: app.initialState(size: size, theme: Self.theme))
      let frame = try #require(terminal.lastFrame)
      #expect(unsafeScalars(in: frame).isEmpty)
      expectGolden(frame, named: "\(name)-\(size.width)x\(size.height)")
    }
  }

  @Test func today() throws { try golden("today", "") }
  @Test func incidentsListAndDetail() throws { try golden("incidents", "2 j") }
  @Test func reviewForm() throws { try golden("review-form", "2 r") }
  @Test func newIncidentForm() throws {
    try golden(
      "new-incident", "2 n Config drift again <Tab> <Tab> <Tab> <Tab> <Tab> <Tab> <Tab> deploy")
  }
  @Test func helpOverlay() throws { try golden("help", "2 ?") }

  @Test func emptyLogGreetsWithWhatToPress() throws {
    let app = try AppHarness(demo: false)
    let (terminal, _) = try app.run("", from: app.initialState(theme: Self.theme))
    expectGolden(try #require(terminal.lastFrame), named: "welcome-80x24")
    #expect(terminal.screenLines.containsLine(with: "d   load the demo data"))
  }

  @Test func tooSmallSaysHowBig() throws {
    let app = try AppHarness()
    let (terminal, _) = try app.run("", size: Size(width: 50, height: 12))
    #expect(terminal.screenLines.containsLine(with: "need 60×16"))
    #expect(terminal.screenLines.containsLine(with: "now 50×12"))
  }
}
