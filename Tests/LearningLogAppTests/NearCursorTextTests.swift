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
