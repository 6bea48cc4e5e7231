import LearningLog
import Synchronization
import TerminalUI
import WorkCounting

/// Draws an open form: a context header, fields stacked under their labels (scrolled so the
/// focused one shows), and a footer with blame hints, what is missing and live suggestions.
enum FormRenderer {
  static func render(
    _ f: ActiveForm, context: ViewContext, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    let theme = context.theme
    let inner = Panel(
      title: f.title + (f.isEdited ? " (edited)" : ""), borderStyle: theme.border,
      titleStyle: theme.title
    )
    .render(into: &buffer, area: area)
    guard inner.width > 4, inner.height > 2 else { return nil }
    let content = inner.inset(horizontal: 1)
    var header = headerLines(f, context: context, width: content.width)
    let footer = footerLines(f, context: context, width: content.width)
    if header.count > content.height / 3 {
      // Too short for a line per item: each list on one line, so no heading shows without items.
      header = headerLines(f, context: context, width: content.width, compact: true)
    }
    let maxHeader = Swift.max(0, Swift.min(header.count, content.height / 3))
    let maxFooter = Swift.max(0, Swift.min(footer.count, (content.height - maxHeader) / 2))
    for (i, line) in header.prefix(maxHeader).enumerated() {
      buffer.setLine(content.x, content.y + i, line, maxWidth: content.width)
    }
    let fieldsArea = Rect(
      x: content.x, y: content.y + maxHeader, width: content.width,
      height: content.height - maxHeader - maxFooter)
    for (i, line) in footer.prefix(maxFooter).enumerated() {
      buffer.setLine(content.x, fieldsArea.maxY + i, line, maxWidth: content.width)
    }
    return renderFields(f, theme: theme, into: &buffer, area: fieldsArea)
  }

  /// Rows a field takes: its label, its rows, and a problem line when one shows.
  static func blockHeight(_ f: ActiveForm, _ i: Int) -> Int {
    let field = f.form.fields[i]
    return 1 + field.rows + (problem(f, i) != nil ? 1 : 0)
  }

  static func problem(_ f: ActiveForm, _ i: Int) -> String? {
    let field = f.form.fields[i]
    guard let m = field.validationMessage else { return nil }
    if f.showsAllProblems { return m }
    return i == f.form.focus && !field.isEmpty ? m : nil
  }

  static func renderFields(
    _ f: ActiveForm, theme: Theme, into buffer: inout ScreenBuffer, area: Rect
  ) -> Point? {
    guard !area.isEmpty else { return nil }
    let fields = f.form.fields
    let focus = f.form.focus
    let (tops, scroll) = fieldTops(f, height: area.height)
    var cursor: Point?
    for (i, field) in fields.enumerated() {
      let top = area.y + tops[i] - scroll
      guard top >= area.y, top < area.maxY else { continue }
      let focused = i == focus
      let rows = Swift.min(field.rows, area.maxY - top - 1)
      let rect = Rect(
        x: area.x + 2, y: top + 1, width: Swift.max(0, area.width - 2), height: Swift.max(0, rows))
      // A multi-line field holding more than it shows says so on its label's row.
      var more = ""
      if case .textArea(let s) = field.kind {
        more = moreSign(TextArea(s, isFocused: focused).hiddenRows(in: rect))
      }
      let moreWidth = more.isEmpty ? 0 : more.displayWidth + 1
      buffer.setString(
        area.x, top, (focused ? "▶ " : "  ") + field.label,
        style: focused ? theme.title : theme.normal, maxWidth: area.width - moreWidth)
      if !more.isEmpty, area.width > moreWidth {
        buffer.setString(area.maxX - moreWidth + 1, top, more, style: theme.accent)
      }
      guard rows > 0 else { continue }
      let style = focused ? Style(attributes: .underline) : theme.dim
      var c: Point?
      switch field.kind {
      case .text(let s), .date(let s):
        c = TextField(s, style: style, isFocused: focused).render(into: &buffer, area: rect)
      case .textArea(let s):
        // Wrapped: the view keeps the cursor's row on screen itself, measuring only what it
        // shows (no sideways scroll to work out).
        c = TextArea(s, style: style, isFocused: focused).render(into: &buffer, area: rect)
      case .choice(let ch):
        // Scrolled so the chosen option shows, "…" where options are cut off.
        let text = ch.row(width: rect.width)
        buffer.setString(
          rect.x, rect.y, text, style: focused ? theme.title : theme.normal, maxWidth: rect.width)
      }
      // Blame and hindsight phrases are marked where they are typed: each row on screen is
      // checked as drawn, so a key costs the rows shown, not the length of the text.
      if case .choice = field.kind {
      } else {
        highlightBlame(in: rect, buffer: &buffer, style: theme.warning.adding(.underline))
      }
      if focused { cursor = c }
      if let p = problem(f, i), top + 1 + rows < area.maxY {
        buffer.setString(rect.x, top + 1 + rows, p, style: theme.danger, maxWidth: rect.width)
      }
    }
    return cursor
  }

  /// The sign of a multi-line field's hidden display rows: "↑ 2 · ↓ 4 more lines", or "" when
  /// it shows all of them.
  static func moreSign(_ hidden: (above: Int, below: Int)) -> String {
    var parts: [String] = []
    if hidden.above > 0 { parts.append("↑ \(hidden.above)") }
    if hidden.below > 0 { parts.append("↓ \(hidden.below)") }
    guard !parts.isEmpty else { return "" }
    let total = hidden.above + hidden.below
    return parts.joined(separator: " · ") + (total == 1 ? " more line" : " more lines")
  }

  /// The index of the field whose label or rows are at row `y` of a form drawn in `area`
  /// (the screen's body), or nil: where a click lands.
  static func field(at point: Point, _ f: ActiveForm, context: ViewContext, area: Rect) -> Int? {
    let inner = Panel.inner(area)
    guard inner.width > 4, inner.height > 2, inner.contains(point) else { return nil }
    let content = inner.inset(horizontal: 1)
    let header = headerLines(f, context: context, width: content.width)
    let footer = footerLines(f, context: context, width: content.width)
    let maxHeader = Swift.max(0, Swift.min(header.count, content.height / 3))
    let maxFooter = Swift.max(0, Swift.min(footer.count, (content.height - maxHeader) / 2))
    let fieldsArea = Rect(
      x: content.x, y: content.y + maxHeader, width: content.width,
      height: content.height - maxHeader - maxFooter)
    guard fieldsArea.contains(point) else { return nil }
    let (tops, scroll) = fieldTops(f, height: fieldsArea.height)
    let row = point.y - fieldsArea.y + scroll
    return f.form.fields.indices.last { tops[$0] <= row && row < tops[$0] + blockHeight(f, $0) }
  }

  /// Each field's first row in the form's field area, and how far the area is scrolled so the
  /// focused field shows in `height` rows.
  static func fieldTops(_ f: ActiveForm, height: Int) -> (tops: [Int], scroll: Int) {
    var tops: [Int] = []
    var y = 0
    for i in f.form.fields.indices {
      tops.append(y)
      y += blockHeight(f, i)
    }
    let focus = f.form.focus
    var scroll = 0
    if f.form.fields.indices.contains(focus) {
      let bottom = tops[focus] + blockHeight(f, focus)
      if bottom > height { scroll = bottom - height }
      scroll = Swift.min(scroll, tops[focus])
    }
    return (tops, scroll)
  }

  /// Marks the blame and hindsight phrases on each row of `rect` as drawn.
  static func highlightBlame(in rect: Rect, buffer: inout ScreenBuffer, style: Style) {
    for y in rect.y..<rect.maxY {
      var text = ""
      for x in rect.x..<rect.maxX where !buffer[x, y].isContinuation { text += buffer[x, y].text }
      WorkCounter.count("blame check", rect.width)
      let row = Rect(x: rect.x, y: y, width: rect.width, height: 1)
      for phrase in BlamePhrases.shared.phrases(in: text) {
        highlight(phrase, in: row, buffer: &buffer, style: style)
      }
    }
  }

  /// The text of the focused field around its cursor: what the live hint checks (a window of
  /// `radius` clusters each side on the cursor's line and the lines next to it).
  static func textNearCursor(_ field: FormField, radius: Int = 600) -> String {
    func window(_ s: TextEditState, around c: Int) -> String {
      let at = Swift.min(c, s.characters.count)
      let lo = Swift.max(0, at - radius)
      let hi = Swift.min(s.characters.count, at + radius)
      WorkCounter.count("blame check", hi - lo)
      return Self.string(s.characters[lo..<hi])
    }
    switch field.kind {
    case .text(let s), .date(let s): return window(s, around: s.cursor)
    case .textArea(let a):
      var parts: [String] = []
      if a.row > 0 { parts.append(window(a.lines[a.row - 1], around: Int.max)) }
      parts.append(window(a.lines[a.row], around: a.column))
      if a.row + 1 < a.lines.count { parts.append(window(a.lines[a.row + 1], around: 0)) }
      return parts.joined(separator: "\n")
    case .choice(let c): return c.value
    }
  }

  /// `characters` as one string, built as UTF-8 bytes: an ASCII character is its byte.
  static func string(_ characters: ArraySlice<Character>) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(characters.count)
    for c in characters {
      // A CR LF pair is one character whose ASCII value is that of LF alone.
      if let a = c.asciiValue, a != 0x0A {
        bytes.append(a)
      } else {
        bytes.append(contentsOf: c.utf8)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Marks every on-screen occurrence of `phrase` (case-insensitive) inside `rect`.
  static func highlight(_ phrase: String, in rect: Rect, buffer: inout ScreenBuffer, style: Style) {
    let needle = Array(phrase.lowercased())
    guard !needle.isEmpty else { return }
    for y in rect.y..<rect.maxY {
      var chars: [Character] = []
      var xs: [Int] = []
      for x in rect.x..<rect.maxX {
        let cell = buffer[x, y]
        if cell.isContinuation { continue }
        // A letter of ASCII lowered by its byte, without a string made.
        let bytes = cell.text.utf8
        if bytes.count == 1, let b = bytes.first, b < 0x80 {
          chars.append(Character(Unicode.Scalar((0x41...0x5A).contains(b) ? b | 0x20 : b)))
          xs.append(x)
          continue
        }
        for ch in cell.text.lowercased() {
          chars.append(ch)
          xs.append(x)
        }
      }
      guard chars.count >= needle.count else { continue }
      var i = 0
      while i + needle.count <= chars.count {
        if chars[i..<(i + needle.count)].elementsEqual(needle) {
          let from = xs[i]
          let to = xs[i + needle.count - 1]
          buffer.setStyle(Rect(x: from, y: y, width: to - from + 1, height: 1), style)
          i += needle.count
        } else {
          i += 1
        }
      }
    }
  }

  /// The lines above the fields; `compact` puts a list (the earlier actions of a repeat) on the
  /// line of its heading, for panes too short to show a line per item.
  static func headerLines(
    _ f: ActiveForm, context: ViewContext, width: Int, compact: Bool = false
  ) -> [Line] {
    let theme = context.theme
    let domain = context.domain
    var out: [Line] = []
    switch f.kind {
    case .review(let id, _), .editIncident(let id), .setPatterns(let id), .addAction(let id),
      .addFactor(let id), .addTimelineEntry(let id), .changeChecklist(let id),
      .changeTemplate(let id), .addExperiment(let id), .scheduleReview(let id), .addNote(let id):
      guard let inc = domain.incidents[id] else { return out }
      out.append(Line("Incident: " + inc.title, style: theme.title))
      if case .review = f.kind {
        let status = domain.reviewStatus(inc)
        if status.isRepeat {
          let keys = inc.patterns.joined(separator: ", ")
          out.append(
            Line("Repeat of \(keys): why didn't our earlier fix hold?", style: theme.warning))
          let items = status.earlierActions.prefix(4).map { a in
            let state = a.status.rawValue + (a.outcome.map { ", \($0.rawValue)" } ?? "")
            return "\(a.title) — \(a.owner), \(state)"
          }
          if compact {
            out.append(
              Line([
                Span("Earlier actions: ", style: theme.warning),
                Span(
                  items.isEmpty ? "(none were recorded)" : items.joined(separator: "; "),
                  style: theme.dim),
              ]))
          } else {
            out.append(Line("Earlier actions:", style: theme.warning))
            if items.isEmpty { out.append(Line("  (none were recorded)", style: theme.dim)) }
            for item in items { out.append(Line("  • " + item, style: theme.dim)) }
          }
        }
      }
    case .addLesson(let id):
      if let inc = id.flatMap({ domain.incidents[$0] }) {
        out.append(Line("Incident: " + inc.title, style: theme.title))
      }
    case .revalidateLesson(let id):
      if let l = domain.lessons[id] {
        for s in wrap(l.text, width: width).prefix(3) { out.append(Line(s)) }
      }
    case .decideExperiment(let id):
      if let e = domain.experiments[id] {
        out.append(Line("Experiment: " + e.hypothesis, style: theme.title))
        if !e.change.isEmpty { out.append(Line("Change: " + e.change)) }
        out.append(Line("Criteria: " + e.criteria, style: theme.accent))
      }
    case .retireMitigation(let id):
      if let a = domain.actions[id] {
        out.append(Line("Mitigation: " + a.title, style: theme.title))
        if let u = a.until { out.append(Line("Until \(u)", style: theme.dim)) }
      }
    case .addPrivateNote:
      out.append(
        Line(
          "Only you see this: it goes to your private file, never to the shared log.",
          style: theme.title))
    case .newIncident, .addWin: break
    }
    if case .changeChecklist = f.kind {
      out += checklistItemLines(f, context: context)
    }
    return out
  }

  /// The numbered items of the checklist a checklist change revises (the numbers "remove"
  /// takes), or nothing while a new checklist is chosen.
  static func checklistItemLines(_ f: ActiveForm, context: ViewContext) -> [Line] {
    let theme = context.theme
    let name = f.value("checklist")
    guard name != FormCatalog.newOne,
      let checklist = context.domain.checklistList.first(where: { $0.name == name })
    else { return [] }
    var out = [
      Line("\(checklist.name) rev \(checklist.revisions.count) now holds:", style: theme.accent)
    ]
    if checklist.items.isEmpty { out.append(Line("  (no items)", style: theme.dim)) }
    for (i, item) in checklist.items.enumerated() {
      out.append(Line("  \(i + 1). \(item)"))
    }
    return out
  }

  static func footerLines(_ f: ActiveForm, context: ViewContext, width: Int) -> [Line] {
    let theme = context.theme
    let domain = context.domain
    var out: [Line] = []
    if let field = f.focusedField, let flag = BlameCheck.flags(in: textNearCursor(field)).first {
      out.append(
        Line([
          Span("“\(flag.phrase)”", style: theme.warning),
          Span(" — try: \(flag.suggestion)"),
        ]))
    }
    switch f.kind {
    case .review(let id, _):
      if let inc = domain.incidents[id] {
        let missing = missingForCompleteness(f, incident: inc, domain: domain)
        if missing.isEmpty {
          out.append(
            Line("Complete: root cause, gap type and an owned, dated action", style: theme.success))
        } else {
          out.append(
            Line(
              "Missing for completeness: " + missing.joined(separator: ", "), style: theme.warning))
        }
      }
    case .newIncident, .setPatterns:
      let draft = suggestionDraft(f, domain: domain)
      // One index a log change, so a key costs the draft's words, not a walk of every incident.
      let index = context.derived("pattern suggestion index") { PatternSuggestionIndex(domain) }
      let suggestions = index.suggest(for: draft, limit: 3)
      if !suggestions.isEmpty {
        // The first not yet in the patterns field is what Ctrl-P adds.
        let all = suggestions.map(\.key)
        let next = nextSuggestion(f, among: all)
        let keys = next.map { n in [n] + all.filter { $0 != n } } ?? all
        var spans = [Span("Likely patterns: ", style: theme.accent)]
        for (i, key) in keys.enumerated() {
          spans.append(Span((i > 0 ? " · " : "") + key))
          if key == next { spans.append(Span(" (Ctrl-P adds)", style: theme.dim)) }
        }
        out.append(Line(spans))
      }
      let lessons = domain.lessons(matchingTags: draft.tags, patterns: draft.patterns)
      for l in lessons.prefix(2) {
        out.append(Line([Span("Lesson: ", style: theme.accent), Span(l.text)]))
      }
    default: break
    }
    if f.showsAllProblems, let p = f.form.firstProblem {
      out.append(Line("Cannot save: " + p.message, style: theme.danger))
    }
    // Long lines wrap, each keeping the style of its first part.
    return out.flatMap { line -> [Line] in
      guard line.displayWidth > width else { return [line] }
      let style = line.spans.first?.style ?? .plain
      return wrap(line.spans.map(\.text).joined(), width: width).map { Line($0, style: style) }
    }
  }

  /// What the review would still lack if saved as typed.
  static func missingForCompleteness(_ f: ActiveForm, incident: Incident, domain: LearningState)
    -> [String]
  {
    var missing: [String] = []
    let rootBlank =
      f.form.fields.first { $0.id == "root-cause" }.map(\.isBlank)
      ?? (incident.answer("root-cause") ?? "").allSatisfy(\.isWhitespace)
    if rootBlank { missing.append("root cause") }
    let gap =
      f.form.fields.contains { $0.id == "gap" } ? f.value("gap") : (incident.answer("gap") ?? "")
    if GapType(rawValue: gap) == nil { missing.append("gap type") }
    let acts = domain.actions(of: incident.id).filter { $0.status != .dropped }
    if !acts.contains(where: { !$0.owner.isEmpty && $0.due != nil }) {
      missing.append("an action with owner and due date (a)")
    }
    if let why = f.form.fields.first(where: { $0.id == ReviewTemplate.whyFixFailedKey }),
      why.isBlank
    {
      missing.append("why the earlier fix didn't hold")
    }
    return missing
  }

  /// What pattern suggestions are made from: the incident as typed, or the one whose patterns
  /// are being set.
  static func suggestionDraft(_ f: ActiveForm, domain: LearningState) -> NewIncident {
    if case .setPatterns(let id) = f.kind, let inc = domain.incidents[id] {
      return NewIncident(title: inc.title, what: inc.what, tags: inc.tags, triggers: inc.triggers)
    }
    return FormCatalog.draftIncident(f)
  }

  /// The first suggested pattern key the form's patterns field does not hold yet (what Ctrl-P
  /// adds), or nil.
  static func nextSuggestion(_ f: ActiveForm, domain: LearningState) -> String? {
    nextSuggestion(
      f, among: domain.suggestPatterns(for: suggestionDraft(f, domain: domain), limit: 3).map(\.key)
    )
  }

  /// The first of `keys` the form's patterns field does not hold yet, or nil.
  static func nextSuggestion(_ f: ActiveForm, among keys: [String]) -> String? {
    guard f.form.fields.contains(where: { $0.id == "patterns" }) else { return nil }
    let have = Set(
      (f.form.value("patterns") ?? "").split(whereSeparator: { $0 == "," || $0 == ";" })
        .map { PatternKey.normalise(String($0)) })
    return keys.first { !have.contains($0) }
  }
}

extension Style {
  /// This style with `attributes` added.
  func adding(_ attributes: TextAttributes) -> Style {
    var s = self
    s.attributes.formUnion(attributes)
    return s
  }

}

/// The blame and hindsight phrases of rows drawn lately, by the row's text: a frame checks
/// again only the rows a key changed, not every row on screen.
final class BlamePhrases: Sendable {
  /// The one kept for drawing.
  static let shared = BlamePhrases()
  /// How many rows' phrases are kept before they are all dropped (a few screens of rows).
  let capacity: Int
  private let memo = Mutex<[String: [String]]>([:])

  init(capacity: Int = 512) { self.capacity = capacity }

  /// The phrases ``BlameCheck/flags(in:)`` finds in `text`, in order.
  func phrases(in text: String) -> [String] {
    if let known = memo.withLock({ $0[text] }) { return known }
    let found = BlameCheck.flags(in: text).map(\.phrase)
    memo.withLock { kept in
      if kept.count >= capacity { kept.removeAll(keepingCapacity: true) }
      kept[text] = found
    }
    return found
  }

  /// How many rows' phrases are kept now.
  var count: Int { memo.withLock { $0.count } }
}
