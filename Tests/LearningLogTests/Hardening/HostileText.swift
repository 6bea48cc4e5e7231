import Foundation

@testable import LearningLog

/// The terminal-injection strings of the store design's terminal-safety test.
enum HostileText {
  static let allC0 =
    String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
    + "\u{7F}"
  static let allC1 = String(String.UnicodeScalarView((0x80...0x9F).compactMap(Unicode.Scalar.init)))
  static let bidiAndZeroWidth =
    "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}"
    + "\u{061C}\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}\u{2028}\u{2029}"

  /// Each string is one attack; every text field gets one of them (and the long one).
  static let strings: [String] = [
    "c0 " + allC0 + " end",
    "c1 " + allC1 + " end",
    "clear \u{1B}[2J\u{1B}[H\u{1B}[31mred\u{1B}[0m",
    "osc52 \u{1B}]52;c;ZWNobyBwd25lZA==\u{07} copied",
    "osc8 \u{1B}]8;;http://evil.example/\u{1B}\\click\u{1B}]8;;\u{1B}\\ here",
    "dcs \u{1B}P1$r0m\u{1B}\\ done",
    "unterminated osc \u{1B}]0;the title never ends",
    "bidi \u{202E}gnp.exe\u{202C} " + bidiAndZeroWidth + " end",
    "carriage visible\roverwritten",
    "csi8 \u{9B}31m eight-bit \u{9D}0;t\u{9C}",
    "=HYPERLINK(\"http://evil.example\",\"x\")",
    "markup <script>alert(1)</script> `tick` | pipe *b* _i_ [l](http://x) &#27; # h",
    "long " + String(repeating: "ab\u{1B}[31m日本\u{202E}", count: 1500),
  ]

  /// The scalar values no terminal or renderer may receive from data.
  static func isForbidden(_ s: Unicode.Scalar, allowingNewline: Bool) -> Bool {
    let v = s.value
    if v == 0x0A { return !allowingNewline }
    if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
    return bidiAndZeroWidth.unicodeScalars.contains(s)
  }

  /// The forbidden scalars in `text`, as hex values (empty when clean).
  static func forbidden(in text: String, allowingNewline: Bool = true) -> [String] {
    var seen: [String] = []
    for s in text.unicodeScalars where isForbidden(s, allowingNewline: allowingNewline) {
      let h = String(s.value, radix: 16)
      if !seen.contains(h) { seen.append(h) }
    }
    return seen
  }

  /// A log where every text field of every entity holds a hostile string, written through
  /// ``LearningState/plan(_:context:)`` by an author whose name is hostile too.
  static func harness(author: String? = strings[2]) throws -> Harness {
    var h = Harness()
    h.author = author
    var k = 0
    func next() -> String {
      defer { k += 1 }
      return strings[k % strings.count]
    }
    try h.run(
      .addTemplate(
        name: "hostile-retro", title: next(),
        questions: [
          Question(key: "what-broke", prompt: next()),
          Question(key: "pick", prompt: next(), kind: .choice, choices: [next(), "plain"]),
        ]))
    var incidents: [String] = []
    for n in 0..<strings.count {
      let id = try h.make(
        .addIncident(
          NewIncident(
            title: "t\(n) " + next(), what: next(), kind: "production", severity: "high",
            team: next(), owner: next(), tags: [next(), next()], triggers: [next()],
            patterns: ["db/timeout"], occurred: "2026-02-2\(n % 8)")))
      incidents.append(id)
      try h.run(
        .review(
          incident: id, template: nil,
          answers: [
            ReviewAnswer(key: "root-cause", value: next()),
            ReviewAnswer(key: "expected", value: next()),
          ]))
      try h.run(.setIncidentField(incident: id, field: "what", value: next()))
      let a = try h.make(
        .addAction(
          NewAction(
            incident: id, title: next(), owner: next(), due: "2026-03-10", signal: next())))
      if n % 3 == 0 {
        try h.run(.dropAction(a, reason: next()))
      } else if n % 3 == 1 {
        try h.run(.finishAction(a))
        try h.run(.verifyAction(a, outcome: "verified", evidence: next()))
      }
      let e = try h.make(
        .addExperiment(
          NewExperiment(
            incident: id, hypothesis: next(), change: next(), criteria: next(),
            check: "2026-04-01")))
      if n % 2 == 0 { try h.run(.decideExperiment(e, decision: "adopt", result: next())) }
      try h.run(
        .addLesson(
          NewLesson(
            text: next(), incidents: [id], teams: [next()], tags: [next()],
            revalidate: "2026-09-01")))
      try h.run(.addNote(incident: id, text: next()))
      _ = try h.make(.addFactor(NewFactor(incident: id, text: next(), gap: "process")))
      _ = try h.make(
        .addTimelineEntry(
          NewTimelineEntry(
            incident: id, at: "10:0\(n % 10)", text: next(), kind: "detected",
            link: "https://status.example.com/\(n)")))
    }
    // Checklist items are one line each: line breaks of every kind become spaces.
    let oneLine = strings.map { text in
      String(
        String.UnicodeScalarView(
          text.unicodeScalars.map {
            "\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) ? " " : $0
          }))
    }
    try h.run(
      .addChecklist(
        NewChecklist(
          name: "hostile list", items: oneLine.enumerated().map { "\($0.offset) \($0.element)" },
          team: next(), because: incidents[0])))
    try h.run(
      .reviseChecklist(
        name: "hostile-list", add: ["added " + oneLine[0]], remove: [1], because: incidents[1]))
    let hostileTemplate = try h.make(
      .addIncident(NewIncident(title: "templated " + next(), occurred: "2026-02-27")))
    try h.run(
      .review(
        incident: hostileTemplate, template: "hostile-retro",
        answers: [ReviewAnswer(key: "what-broke", value: next())]))
    return h
  }
}
