import LearningLog
import LearningLogApp
import TerminalUI
import TerminalUITesting
import Testing

/// The whole app (every view, its detail panes, forms and help) over a log where every text
/// field holds terminal-injection text, at 80×24, 60×16 and 120×40: no control, C1, bidi or
/// zero-width scalar reaches any cell of any frame.
@Suite struct HostileAppTests {
  static func hostileApp() throws -> AppHarness {
    let app = try AppHarness()
    let strings = HostileScreensTests.strings
    var k = 0
    func next() -> String {
      defer { k += 1 }
      return strings[k % strings.count]
    }
    let appLog = app.appLog
    for (n, inc) in appLog.state.incidentList.prefix(6).enumerated() {
      for field in ["title", "team", "owner", "what", "tags"] {
        _ = try appLog.perform(
          .setIncidentField(incident: inc.id, field: field, value: "\(field)\(n) " + next()))
      }
      _ = try appLog.perform(
        .review(
          incident: inc.id, template: nil,
          answers: [ReviewAnswer(key: "root-cause", value: next())]))
      _ = try appLog.perform(
        .addAction(
          NewAction(
            incident: inc.id, title: next(), owner: next(), due: "2026-11-2\(n)", signal: next())))
      _ = try appLog.perform(
        .addExperiment(
          NewExperiment(
            incident: inc.id, hypothesis: next(), change: next(), criteria: next(),
            check: "2026-12-01")))
      _ = try appLog.perform(
        .addLesson(NewLesson(text: next(), incidents: [inc.id], teams: [next()], tags: [next()])))
    }
    _ = try appLog.perform(
      .addIncident(NewIncident(title: "new " + next(), what: next(), occurred: "2026-11-25")))
    return app
  }

  static let scripts = [
    "", "1", "1 j j j j j", "2", "2 j j j j", "2 <Tab>", "2 <Tab> <PgDn> <PgDn> <PgDn>", "2 g r",
    "2 j e", "2 p", "2 ?", "2 n", "3", "3 l j j", "3 l l j", "4", "4 j j <Tab>", "5", "5 j j",
    "6", "6 j",
  ]

  /// What some scripts must show, so the walk is known to reach the forms.
  static let landmarks = ["2 g r": "Review ·", "2 j e": "Edit incident", "2 n": "New incident"]

  @Test func everyViewOfTheAppDrawsHostileTextSafelyAtEverySize() throws {
    let app = try Self.hostileApp()
    var frames = 0
    var bad: [String] = []
    var shown = false
    for (w, h) in [(80, 24), (60, 16), (120, 40)] {
      for script in Self.scripts {
        let (terminal, _) = try app.run(script, size: Size(width: w, height: h))
        if w == 120, let expected = Self.landmarks[script] {
          #expect(
            terminal.screenLines.containsLine(with: expected),
            "'\(script)' did not show \(expected)")
        }
        for frame in terminal.frames {
          frames += 1
          for y in 0..<h {
            for x in 0..<w {
              for s in frame[x, y].text.unicodeScalars where HostileScreensTests.isForbidden(s) {
                bad.append("'\(script)' \(w)x\(h) (\(x),\(y)) U+\(String(s.value, radix: 16))")
              }
            }
          }
          if frame.lines().joined().contains("^[") { shown = true }
        }
      }
    }
    #expect(bad.isEmpty, "\(bad.count) unsafe cells, first: \(bad.prefix(5))")
    #expect(shown, "the escapes were not drawn visibly")
    print(
      "hostile text in the app: \(Self.scripts.count) key scripts at 3 sizes, \(frames) frames, "
        + "\(bad.count) unsafe cells")
  }
}
