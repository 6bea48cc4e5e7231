import TerminalUI
import Testing

@Suite struct DisplayWidthTests {
  /// (text, cells) pairs: one grapheme cluster each, unless noted.
  static let table: [(String, Int)] = [
    ("a", 1), ("~", 1), (" ", 1), ("é", 1), ("e\u{301}", 1), ("ß", 1), ("Ж", 1), ("א", 1),
    ("中", 2), ("語", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2), ("。", 2), ("ぁ", 2), ("가", 2),
    ("\u{1100}\u{1161}\u{11A8}", 2),  // Hangul jamo L V T form one wide syllable
    ("\u{301}", 0), ("\u{200B}", 0), ("\u{200D}", 0), ("\u{FEFF}", 0), ("\u{FE0F}", 0),
    ("\u{0}", 0), ("\u{1B}", 0), ("\u{7F}", 0), ("\u{85}", 0),
    ("😀", 2), ("👍🏽", 2), ("👨‍👩‍👧", 2), ("🇩🇪", 2), ("❤️", 2), ("❤", 1), ("⌚", 2), ("⌚︎", 1),
    ("─", 1), ("█", 1), ("▁", 1), ("…", 1), ("↑", 1), ("𠀋", 2),
    ("कि", 1),  // consonant + spacing vowel sign
  ]

  @Test func clustersMatchTheTable() {
    for (text, cells) in Self.table {
      let characters = Array(text)
      #expect(
        characters.count == 1,
        "table entry \(text.unicodeScalars.map { String($0.value, radix: 16) }) is one cluster")
      #expect(
        DisplayWidth.of(characters[0]) == cells,
        "width of \(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }
  }

  @Test func stringsSumTheirClusters() {
    #expect("hello".displayWidth == 5)
    #expect("日本語 ok".displayWidth == 9)
    #expect("cafe\u{301}".displayWidth == 4)
    #expect("".displayWidth == 0)
  }

  @Test func truncateNeverSplitsWideCharacters() {
    #expect("日本語".truncated(toWidth: 4) == "日…")
    #expect("日本語".truncated(toWidth: 6) == "日本語")
    #expect("abcdef".truncated(toWidth: 4) == "abc…")
    #expect("日本語".truncated(toWidth: 3, ellipsis: "") == "日")
    #expect("日本".padded(toWidth: 5) == "日本 ")
    #expect("abc".truncated(toWidth: 0) == "")
  }
}
