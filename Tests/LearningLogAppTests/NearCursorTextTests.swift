import TerminalUI
import Testing

@testable import LearningLogApp

/// The text the footer's blame check reads near the cursor is the characters as they are.
@Suite struct NearCursorTextTests {
  @Test func charactersBuiltAsBytesAreTheCharacters() {
    let pieces: [Character] = [
      "a", "Z", " ", "\n", "\r\n", "\r", "\t", "\u{1B}", "é", "e\u{301}", "検", "🚀", "👩‍👩‍👧",
      "’", "\u{7F}", "\u{0}",
    ]
    var chars: [Character] = []
    for n in 0..<600 { chars.append(pieces[(n * 7 + n / 5) % pieces.count]) }
    for lo in stride(from: 0, to: chars.count, by: 37) {
      for hi in stride(from: lo, through: chars.count, by: 53) {
        #expect(FormRenderer.string(chars[lo..<hi]) == String(chars[lo..<hi]))
        #expect(Array(FormRenderer.string(chars[lo..<hi])) == Array(chars[lo..<hi]))
      }
    }
  }
}

/// A blame phrase on screen is marked where it stands, whatever the case of its letters and
/// whatever else the row holds.
@Suite struct BlameHighlightTests {
  @Test func phrasesAreMarkedCaseInsensitivelyAndNothingElse() {
    let rows = [
      "He SHOULD Have seen 日本 should have", "should havE", "shoulda have", "Ünïcode should have É",
      "should  have", "日本should have✓",
    ]
    let mark = Style(attributes: .bold)
    for row in rows {
      var buffer = ScreenBuffer(size: Size(width: 40, height: 1))
      buffer.setString(0, 0, row)
      FormRenderer.highlight(
        "should have", in: Rect(x: 0, y: 0, width: 40, height: 1), buffer: &buffer, style: mark)
      // Where the phrase stands, found in the row's lowered characters, cell by cell.
      var cells: [(x: Int, text: String)] = []
      for x in 0..<40 where !buffer[x, 0].isContinuation { cells.append((x, buffer[x, 0].text)) }
      let lowered = cells.map { $0.text.lowercased() }
      var want = Set<Int>()
      var i = 0
      while i + 11 <= lowered.count {
        if lowered[i..<(i + 11)].joined() == "should have" {
          for k in i..<(i + 11) { want.insert(cells[k].x) }
          i += 11
        } else {
          i += 1
        }
      }
      let marked = Set(
        (0..<40).filter { buffer[$0, 0].style == mark && !buffer[$0, 0].isContinuation })
      #expect(marked == want, "\(row)")
      #expect(row.lowercased().contains("should have") == !want.isEmpty, "\(row)")
    }
  }
}

/// The hint bar of every form of the registry, made once a kind of form, is what its keys
/// make now, and the form's keys are those `form(nextTemplate:suggestions:)` makes.
@Suite struct FormHintTests {
  @Test func everyFormsHintsAreWhatItsKeysMake() throws {
    let app = try AppHarness()
    var variants = Set<Int>()
    for name in FormKind.Name.allCases {
      let state = try FormFieldsTests.open(name, app)
      let f = try #require(state.form)
      var review = false
      if case .review = f.kind { review = true }
      let keys = AppKeymaps.form(
        nextTemplate: review, suggestions: f.form.fields.contains { $0.id == "patterns" })
      #expect(AppKeymaps.form(for: f).bindings.map(\.help) == keys.bindings.map(\.help), "\(name)")
      let made = AppModel.reachable([keys, AppKeymaps.always]).flatMap(\.hintItems)
      #expect(app.model.hints(state) == made, "\(name)")
      #expect(!made.isEmpty)
      variants.insert(AppKeymaps.formVariant(f))
    }
    // Reviews, forms with pattern keys and others are all among them.
    #expect(variants.count >= 3)
  }
}
