import TerminalUITesting
import Testing

@testable import TerminalUI

@Suite struct SanitizerTests {
  @Test func everyC0ControlBecomesCaretNotation() {
    for v in 0..<0x20 {
      let s = String(Character(Unicode.Scalar(UInt8(v))))
      let out = Sanitizer.sanitize(s)
      #expect(out == "^" + String(Character(Unicode.Scalar(UInt8(v + 0x40)))), "U+\(v)")
    }
    #expect(Sanitizer.sanitize("\u{7F}") == "^?")
    #expect(Sanitizer.sanitize("a\u{1B}[2Jb") == "a^[[2Jb")
  }

  @Test func everyC1ControlIsEscaped() {
    for v in 0x80...0x9F {
      let out = Sanitizer.sanitize(String(Character(Unicode.Scalar(UInt8(v)))))
      #expect(out == "\\u{00\(String(v, radix: 16, uppercase: true))}")
    }
  }

  @Test func bidiAndZeroWidthControlsAreEscaped() {
    let cases: [(String, String)] = [
      ("\u{202E}", "\\u{202E}"), ("\u{202A}", "\\u{202A}"), ("\u{2066}", "\\u{2066}"),
      ("\u{2069}", "\\u{2069}"), ("\u{200E}", "\\u{200E}"), ("\u{200F}", "\\u{200F}"),
      ("\u{061C}", "\\u{061C}"), ("\u{200B}", "\\u{200B}"), ("\u{FEFF}", "\\u{FEFF}"),
      ("\u{2060}", "\\u{2060}"), ("\u{00AD}", "\\u{00AD}"), ("\u{2028}", "\\u{2028}"),
      ("a\u{200D}b", "a\\u{200D}b"),
    ]
    for (input, expected) in cases { #expect(Sanitizer.sanitize(input) == expected) }
  }

  @Test func visibleTextAndEmojiSequencesPassThrough() {
    for text in ["plain text", "日本語", "cafe\u{301}", "👨‍👩‍👧", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "👍🏽", "שלום", "❤️"] {
      #expect(Sanitizer.sanitize(text) == text)
    }
  }

  @Test func newlinesStayOnlyWhenAsked() {
    #expect(Sanitizer.sanitize("a\nb") == "a^Jb")
    #expect(Sanitizer.sanitize("a\nb", keepNewlines: true) == "a\nb")
    #expect(Sanitizer.sanitize("a\r\nb", keepNewlines: true) == "a^M\nb")
    #expect(Sanitizer.sanitize("a\rb") == "a^Mb")
  }

  static let hostile: [String] = [
    "\u{1B}[2J\u{1B}[H", "\u{1B}]52;c;ZXZpbA==\u{7}",
    "\u{1B}]8;;https://evil\u{1B}\\click\u{1B}]8;;\u{1B}\\",
    "\u{1B}P1$r0m\u{1B}\\", "\u{1B}]0;title", "\u{9B}31m\u{9D}52;c;x\u{9C}", "abc\u{202E}fdp.exe",
    "\r\rover", "x\u{8}\u{8}y", "\u{1B}", "\u{7F}\u{0}", "\u{2066}\u{2069}\u{200B}",
    String(repeating: "\u{1B}[31m日本", count: 200),
  ]

  @Test func hostileTextNeverReachesACell() {
    for text in Self.hostile {
      var buffer = ScreenBuffer(size: Size(width: 30, height: 3))
      buffer.setString(0, 0, text)
      buffer.setString(0, 1, text, maxWidth: 7)
      buffer.setLine(3, 2, Line([Span(text), Span(text, style: Style(attributes: .bold))]))
      #expect(unsafeScalars(in: buffer).isEmpty)
      // Checked again with a list written out here, independent of the sanitiser's own tables.
      let forbidden: (UInt32) -> Bool = { v in
        v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
          || (0x2066...0x2069).contains(v) || [0x200B, 0x200E, 0x200F, 0x061C, 0xFEFF].contains(v)
      }
      for y in 0..<3 {
        for x in 0..<30 {
          let bad = buffer[x, y].text.unicodeScalars.filter { forbidden($0.value) }
          #expect(
            bad.isEmpty,
            "cell \(x),\(y) holds \(bad.map { String($0.value, radix: 16) }) from \(text.debugDescription)"
          )
        }
      }
    }
  }

  @Test func sanitisedTextIsVisibleInTheBuffer() {
    var buffer = ScreenBuffer(size: Size(width: 20, height: 1))
    buffer.setString(0, 0, "a\u{1B}[2Jb")
    expectLines(buffer, ["a^[[2Jb"])
  }
}

/// Text the sanitiser hands back as it is, unchanged, is what the scalar-by-scalar rewrite
/// makes of it; text with something to change is rewritten.
@Suite struct SanitizerShortcutTests {
  static let pieces: [String] = [
    "a", " ", "日本", "✓", "é", "e\u{301}", "\n", "\t", "\u{1B}", "\u{7F}", "\u{9B}", "\u{202E}",
    "\u{200B}", "\u{200D}", "👩", "\u{200D}👩", "\u{FE0F}", "🏴", "\u{E0067}", "\u{E007F}",
    "\u{AD}", "\u{2028}", "\u{FEFF}", "\u{E0001}", "’", "Ω", "\u{1D173}",
  ]

  @Test func unchangedTextIsWhatTheRewriteMakes() {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    var unchanged = 0
    for n in 0..<3_000 {
      var t = ""
      for _ in 0..<(n % 12) {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        t += Self.pieces[Int(state % UInt64(Self.pieces.count))]
      }
      for keep in [false, true] {
        let out = Sanitizer.sanitize(t, keepNewlines: keep)
        #expect(out == Sanitizer.rewritten(t, keepNewlines: keep), "\(Array(t.unicodeScalars))")
        if out == t { unchanged += 1 }
      }
    }
    #expect(unchanged > 100)
  }
}
