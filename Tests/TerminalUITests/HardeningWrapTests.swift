import Testing

@testable import TerminalUI

/// Very long unbroken text (a pasted blob, a hostile title) wraps into full pieces and back.
@Test func aVeryLongWordWrapsIntoPiecesThatRejoin() {
  let word = String(repeating: "ab日本\u{1B}[31m", count: 6000)
  for width in [1, 2, 7, 80] {
    let lines = wrap(word, width: width)
    #expect(lines.joined() == Sanitizer.sanitize(word, keepNewlines: true))
    for l in lines { #expect(l.displayWidth <= max(width, 2)) }
    // Every piece but the last is full (or one short before a wide character).
    for l in lines.dropLast() { #expect(l.displayWidth >= width - 1) }
  }
  #expect(wrap("one two", width: 3) == ["one", "two"])
  #expect(wrap("abcdefg", width: 3) == ["abc", "def", "g"])
}
