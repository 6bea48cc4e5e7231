import LearningLog
import LearningLogApp
import TerminalUI
import TerminalUITesting
import Testing

/// Terminal-injection text in every field the screens show, every screen walked item by item
/// at three sizes: no control, C1, bidi or zero-width scalar reaches a cell.
@Suite struct HostileScreensTests {
  static let allC0 =
    String(
      String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init))) + "\u{7F}"
  static let allC1 = String(
    String.UnicodeScalarView((0x80...0x9F).compactMap(Unicode.Scalar.init)))
  static let bidi =
    "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}"
    + "\u{061C}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{2028}\u{2029}"
  static let strings: [String] = [
    "c0 " + allC0 + " end", "c1 " + allC1 + " end", "clear \u{1B}[2J\u{1B}[H\u{1B}[31mred",
    "osc52 \u{1B}]52;c;ZWNobyBwd25lZA==\u{07} copied",
    "osc8 \u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\ here",
    "dcs \u{1B}P1$r0m\u{1B}\\ done", "unterminated osc \u{1B}]0;the title never ends",
    "bidi \u{202E}gnp.exe\u{202C} " + bidi, "carriage visible\roverwritten",
    "csi8 \u{9B}31m \u{9D}0;t\u{9C}",
    "long " + String(repeating: "ab\u{1B}[31m日本\u{202E}", count: 800),
  ]

  /// Whether a scalar must never reach the terminal (an independent list, not the sanitiser's).
  static func isForbidden(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    return v < 0x20 || (0x7F...0x9F).contains(v) || bidi.unicodeScalars.contains(s)
  }

  static func context() throws -> ViewContext {
    let base = try ScreensFixture.context()
    let existing = Array(base.domain.incidentList.prefix(6))
    var k = 0
    func next() -> String {
      defer { k += 1 }
      return strings[k % strings.count]
    }
    var commands: [Command] = []
    for (n, inc) in existing.enumerated() {
      commands += [
        .setIncidentField(incident: inc.id, field: "title", value: "t\(n) " + next()),
        .setIncidentField(incident: inc.id, field: "team", value: next()),
        .setIncidentField(incident: inc.id, field: "owner", value: next()),
        .setIncidentField(incident: inc.id, field: "what", value: next()),
        .setIncidentField(incident: inc.id, field: "tags", value: next()),
        .review(
          incident: inc.id, template: nil,
          answers: [ReviewAnswer(key: "root-cause", value: next())]),
        .addAction(
          NewAction(
            incident: inc.id, title: next(), owner: next(), due: "2026-11-2\(n)", signal: next())),
        .addExperiment(
          NewExperiment(
            incident: inc.id, pattern: inc.patterns.first, hypothesis: next(), change: next(),
            criteria: next(), check: "2026-12-01")),
        .addLesson(
          NewLesson(text: next(), incidents: [inc.id], teams: [next()], tags: [next()])),
      ]
    }
    for _ in 0..<4 {
      commands.append(
        .addIncident(
          NewIncident(
            title: "new " + next(), what: next(), team: next(), owner: next(), tags: [next()],
            patterns: ["deploy/config-drift"], occurred: "2026-11-2\(k % 5)")))
    }
    return try ScreensFixture.context(adding: commands)
  }

  /// Draws `state` after each key of `keys`, at every size, checking every cell.
  static func walk<S: AppScreen>(
    _ screen: S.Type, _ initial: S.State, _ ctx: ViewContext, keys: [KeyEvent]
  ) -> (frames: Int, bad: [String], text: String) {
    var frames = 0
    var bad: [String] = []
    var text = ""
    for (w, h) in ScreensFixture.sizes {
      var state = initial
      for key in [nil] + keys.map(Optional.some) {
        if let key { _ = ScreensFixture.press(screen, key, &state, ctx) }
        let b = ScreensFixture.draw(screen, state, ctx, width: w, height: h)
        frames += 1
        for y in 0..<h {
          for x in 0..<w {
            for s in b[x, y].text.unicodeScalars where isForbidden(s) {
              bad.append("\(S.self) \(w)x\(h) (\(x),\(y)) U+\(String(s.value, radix: 16))")
            }
          }
        }
        text += b.lines().joined(separator: "\n")
      }
    }
    return (frames, bad, text)
  }

  @Test func everyScreenDrawsHostileTextSafelyAtEverySize() throws {
    let ctx = try Self.context()
    #expect(ctx.domain.lessonList.contains { $0.text.unicodeScalars.contains("\u{1B}") })
    let down = [KeyEvent](repeating: KeyEvent(.down), count: 14)
    var walks: [(frames: Int, bad: [String], text: String)] = []
    func add(_ name: String, _ w: () -> (frames: Int, bad: [String], text: String)) {
      walks.append(w())
    }
    add("board") {
      Self.walk(
        BoardScreen.self, BoardScreen.State(), ctx,
        keys: down + [KeyEvent(.right)] + down + [KeyEvent(.right)] + down)
    }
    add("lessons") {
      Self.walk(
        LessonsScreen.self, LessonsScreen.State(), ctx, keys: down + [KeyEvent(.tab)] + down)
    }
    add("patterns") {
      Self.walk(
        PatternsScreen.self, PatternsScreen.State(), ctx,
        keys: down + [KeyEvent(.tab)] + down + [KeyEvent(.enter)])
    }
    add("dashboard") {
      Self.walk(DashboardScreen.self, DashboardScreen.State(), ctx, keys: down + down)
    }
    add("recognition") {
      Self.walk(
        DashboardScreen.self, DashboardScreen.State(showRecognition: true), ctx,
        keys: down + [.char("n"), .char("n"), .char("p")])
    }
    let frames = walks.map(\.frames).reduce(0, +)
    let bad = walks.flatMap(\.bad)
    #expect(bad.isEmpty, "\(bad.count) unsafe cells, first: \(bad.prefix(5))")
    // The hostile text is drawn, visibly escaped, not dropped.
    let all = walks.map(\.text).joined()
    #expect(all.contains("^[]52;c;") || all.contains("^[]8;;"), "escapes drawn visibly")
    print(
      "hostile text on screens: \(frames) frames of 4 screens at 80×24, 60×16, 120×40, "
        + "\(bad.count) unsafe cells")
  }
}
