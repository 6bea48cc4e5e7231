import Testing

@testable import LearningLog

/// The blame check's byte-by-byte reading of ASCII text finds the words, places and flags
/// its character-by-character reading finds.
@Suite struct BlameTokenTests {
  /// Pieces ASCII text is made of: phrase words in both cases, apostrophes, digits, spaces,
  /// punctuation and line breaks.
  static let pieces = [
    "should", "Have", "SHOULD", "not", "have", "Sam", "forgot", "to", "he", "missed", "just",
    "human", "error", "Sam's", "fault", "'", "''", "don't", "didn't", "bother", "x'", "'y",
    "42", "a1", " ", "  ", ".", ",", "\n", "\t", "-", "(", ")", "clearly", "in", "hindsight",
    "@", "[", "`", "{", "~", "_", "Z", "z", "0", "9", "A",
  ]

  /// Text of `count` pieces from a seeded generator.
  static func text(_ seed: UInt64, count: Int) -> String {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    var out = ""
    for _ in 0..<count {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      out += pieces[Int(state % UInt64(pieces.count))]
      if state & 8 == 0 { out += " " }
    }
    return out
  }

  /// Expects `tokens` to be the words a reading of `text` character by character finds.
  static func expectCharacterTokens(_ tokens: [BlameCheck.Token], of text: String) {
    let slow = BlameCheck.characterTokens(text)
    #expect(tokens.count == slow.count, "\(text)")
    for (a, b) in zip(tokens, slow) {
      #expect(
        a.text == b.text && a.lower == b.lower && a.range == b.range && a.offsets == b.offsets
          && a.capitalised == b.capitalised, "\(text)")
    }
  }

  @Test func asciiWordsAreTheWordsCharacterByCharacter() throws {
    for seed in 0..<2_000 as Range<UInt64> {
      let t = Self.text(seed, count: Int(seed % 40))
      let fast = try #require(BlameCheck.asciiTokens(t))
      Self.expectCharacterTokens(fast, of: t)
    }
  }

  /// Scalars that stand alone: each is one character beside ASCII, beside another of them
  /// and beside itself, as the standard library's segmentation says.
  @Test func scalarsThatStandAloneAreCharactersOfTheirOwn() {
    var checked = 0
    for v in UInt32(0x80)...0xFFFF where BlameCheck.standsAlone(v) {
      guard let u = Unicode.Scalar(v) else { continue }
      let s = String(u)
      for other in ["a", "\n", " ", "\u{E9}", "\u{4E00}", "\u{AC00}", s] {
        #expect((s + other).count == 2 && (other + s).count == 2, "U+\(String(v, radix: 16))")
      }
      checked += 1
    }
    #expect(checked > 40_000)
    // Letters and numbers among them are what `Character` says they are.
    for v in UInt32(0x80)...0xFFFF where BlameCheck.standsAlone(v) {
      guard let u = Unicode.Scalar(v) else { continue }
      let c = Character(u)
      #expect(
        BlameCheck.isLetterOrNumber(u) == (c.isLetter || c.isNumber), "U+\(String(v, radix: 16))")
    }
    // Some that join, left out.
    for v: UInt32 in [0x300, 0x200D, 0x200C, 0xFE0F, 0x3099, 0xFF9E, 0x1100, 0x0D, 0x1F3FB] {
      #expect(!BlameCheck.standsAlone(v))
    }
  }

  /// Text of ASCII and scalars that stand alone, read scalar by scalar, finds the words a
  /// reading character by character finds.
  @Test func standAloneWordsAreTheWordsCharacterByCharacter() throws {
    let extra = [
      "caf\u{E9}", "\u{C9}T\u{C9}", "it\u{2019}s", "\u{2019}", "x\u{2019}\u{2019}",
      "\u{65E5}\u{672C}",
      "\u{2713}", "\u{3042}", "\u{D55C}", "\u{3A3}\u{3C3}", "\u{416}", "\u{2014}", "\u{FF21}",
      "\u{130}", "\u{DF}", "\u{1C5}",
    ]
    for seed in 0..<2_000 as Range<UInt64> {
      var t = Self.text(seed, count: Int(seed % 30))
      t += extra[Int(seed % UInt64(extra.count))] + " " + Self.text(seed &+ 7, count: 5)
      t += extra[Int((seed / 3) % UInt64(extra.count))]
      let fast = try #require(BlameCheck.scalarTokens(t))
      Self.expectCharacterTokens(fast, of: t)
    }
  }

  /// Text neither fast reading can take is read character by character.
  @Test func otherTextIsReadCharacterByCharacter() {
    #expect(BlameCheck.asciiTokens("caf\u{E9} should have") == nil)
    #expect(BlameCheck.scalarTokens("caf\u{E9} should have") != nil)
    for t in ["cafe\u{301} should have", "line\r\nshould have", "it just \u{1F44D}\u{1F3FB}"] {
      #expect(BlameCheck.asciiTokens(t) == nil && BlameCheck.scalarTokens(t) == nil)
      #expect(!BlameCheck.flags(in: t).isEmpty)
    }
  }

  /// The phrases looked up by their first word flag what trying every phrase in turn flags.
  @Test func phrasesByFirstWordFlagWhatEveryPhraseFlags() {
    let ordered = BlameCheck.phrases.sorted { $0.words.count > $1.words.count }
    var flagged = 0
    for seed in 0..<500 as Range<UInt64> {
      let t = Self.text(seed, count: 30)
      let toks = BlameCheck.tokens(t)
      // Each word's phrase, tried in turn as the check did before the lookup.
      for i in toks.indices {
        let naive = ordered.first { p in
          i + p.words.count <= toks.count
            && p.words.enumerated().allSatisfy { k, w in w == "*" || toks[i + k].lower == w }
        }
        let looked = (BlameCheck.candidates[toks[i].lower] ?? BlameCheck.anyFirstWord).first { p in
          i + p.words.count <= toks.count
            && p.words.enumerated().allSatisfy { k, w in w == "*" || toks[i + k].lower == w }
        }
        #expect(naive?.words == looked?.words, "\(t)")
        if naive != nil { flagged += 1 }
      }
    }
    #expect(flagged > 100)
  }
}
