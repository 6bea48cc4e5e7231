import Testing

@testable import LearningLog

/// Search folding takes shortcuts (a table for Latin letters, scalars kept as they are in
/// ranges that case and decomposition leave alone); each gives what the Unicode properties
/// give.
@Suite struct SearchFoldTests {
  @Test("every scalar with a shortcut folds as its Unicode properties say")
  func shortcutsMatchTheProperties() {
    let ranges: [ClosedRange<UInt32>] = [
      0x80...0x24F, 0x4E00...0x9FFF, 0x2700...0x27BF, 0x1F300...0x1FAFF,
      // Blocks folded once and kept: Greek, Cyrillic, punctuation, kana, fullwidth forms.
      0x370...0x4FF, 0x2000...0x206F, 0x3040...0x30FF, 0xFF00...0xFFEF,
    ]
    var checked = 0
    for range in ranges {
      for v in range {
        guard let u = Unicode.Scalar(v) else { continue }
        var fast: [UInt8] = []
        IncrementalSearch.appendFoldedNonASCII(u, to: &fast)
        var slow: [UInt8] = []
        IncrementalSearch.appendFoldedByProperties(u, to: &slow)
        #expect(fast == slow, "U+\(String(v, radix: 16))")
        checked += 1
      }
    }
    #expect(checked > 20_000)
  }

  @Test("accents, case and typographic quotes fold away")
  func examples() {
    #expect(
      IncrementalSearch.text(
        "Résumé of the DÉPLOIEMENT", contains: IncrementalSearch.folded("resume")))
    #expect(IncrementalSearch.text("Tucows’ deploy", contains: IncrementalSearch.folded("tucows'")))
    #expect(IncrementalSearch.text("検索インデックス", contains: IncrementalSearch.folded("検索")))
    #expect(!IncrementalSearch.text("canary", contains: IncrementalSearch.folded("canary schema")))
  }

  @Test("folding whole texts from their UTF-8 bytes gives each scalar's folding in turn")
  func wholeTextsFoldScalarByScalar() {
    var texts = [
      "", "ASCII Only", "Résumé DÉPLOIEMENT naïve", "検索インデックスが古い ガ", "Tucows’ “quoted”",
      "emoji 🚀✓ and ZWJ 👩‍💻", "Ⱥ grows when lowered", "Kelvin \u{212A} Ohm \u{2126} İ",
    ]
    texts.append(String(String.UnicodeScalarView((0x20...0x3000).compactMap(Unicode.Scalar.init))))
    // Every ASCII byte, in runs starting at each alignment of eight and ending at each, around
    // the letters' edges ("@" "A" "Z" "[" "`" "a" "z" "{"), between scalars past ASCII.
    let ascii = String(String.UnicodeScalarView((0..<128).compactMap(Unicode.Scalar.init)))
    for shift in 0..<9 {
      let pad = String(repeating: "x", count: shift)
      texts.append(pad + ascii + "É" + pad + "@AZ[`az{" + "é" + ascii.uppercased() + pad)
    }
    for t in texts {
      var expected: [UInt8] = []
      for u in t.unicodeScalars {
        if u.value < 0x80 {
          let v = UInt8(u.value)
          expected.append(v >= 0x41 && v <= 0x5A ? v + 0x20 : v)
        } else {
          IncrementalSearch.appendFoldedByProperties(u, to: &expected)
        }
      }
      #expect(IncrementalSearch.folded(t) == expected, "\(t.prefix(20))")
      // The reused buffer answers as a fresh one does.
      var scratch: [UInt8] = Array("left over from before".utf8)
      let needle = Array(expected.suffix(3))
      #expect(
        IncrementalSearch.text(t, contains: needle, scratch: &scratch)
          == IncrementalSearch.text(t, contains: needle))
      // Read in place from the text's bytes (what the command line's `--search` does with a
      // snapshot's what happened), every needle of the folded text answers as the string does.
      var bytes = t
      for start in stride(from: 0, to: expected.count, by: max(1, expected.count / 40)) {
        for length in [1, 3, 8] where start + length <= expected.count {
          let n = Array(expected[start..<(start + length)])
          let inPlace = bytes.withUTF8 {
            IncrementalSearch.bytes(UnsafeRawBufferPointer($0), contains: n, scratch: &scratch)
          }
          #expect(inPlace, "\(t.prefix(20)) at \(start)")
        }
      }
      let missing = IncrementalSearch.folded("zzq-not-there")
      #expect(
        !bytes.withUTF8 {
          IncrementalSearch.bytes(UnsafeRawBufferPointer($0), contains: missing, scratch: &scratch)
        })
    }
  }

  @Test("folding in place gives the scalar-by-scalar folding for any bytes, valid or not")
  func inPlaceFoldingMatchesScalarByScalar() {
    // Pieces of every kind: ASCII (capitals, long runs), Latin letters, one that folds to
    // more bytes than it takes (U+0149), scalars kept as they are, others, and bytes that are
    // not UTF-8 (lone tails, overlong forms, surrogates, cut sequences).
    let pieces: [[UInt8]] = [
      Array("Canary SCHEMA deploy ".utf8), Array("x".utf8), Array("é".utf8), Array("Ä".utf8),
      Array("\u{149}".utf8), Array("ß".utf8), Array("検索".utf8), Array("🚀".utf8),
      Array("’".utf8), Array("Ω".utf8), Array("\u{1E9E}".utf8), [0x80], [0xC0, 0xAF],
      [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
      Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8),
      // Other scripts and blocks: kana with voiced marks, Cyrillic, Greek with tonos and
      // iota subscripts, Hangul, a combining mark, fullwidth capitals, the Kelvin sign.
      Array("データ".utf8), Array("ガ".utf8), Array("ДЖ".utf8), Array("ΆΐᾈΣ".utf8),
      Array("한국".utf8), Array("e\u{301}".utf8), Array("ＡＢ".utf8), Array("\u{212A}".utf8),
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    for round in 0..<3000 {
      var bytes: [UInt8] = []
      for _ in 0..<(round % 12) { bytes += pieces[next() % pieces.count] }
      if round % 7 == 0, !bytes.isEmpty { bytes.removeLast() }
      var fast: [UInt8] = [0x21]
      var slow: [UInt8] = [0x21]
      bytes.withUnsafeBytes {
        IncrementalSearch.appendFolded(bytes: $0, to: &fast)
        IncrementalSearch.appendFoldedScalars($0, from: 0, to: &slow)
      }
      #expect(fast == slow, "\(bytes)")
    }
  }

  @Test("an ASCII text searched in place finds what its folded copy holds, and no more")
  func inPlaceSearchMatchesTheFoldedCopy() {
    // Texts of ASCII with capitals, punctuation (the bytes next to the letters: @ [ ` {),
    // every length around a word, and a byte past ASCII, which is folded instead.
    let pieces = [
      "Canary", "SCHEMA", " ", "canary schema", "x", "@[`{", "Ca", "nary ", "SCHEMA!",
      "aaaaaaaa", "AAAAAAAAB", "deploy-7", "z", "Z", "\n", "é", "Ö",
    ]
    let needles = [
      "canary schema", "a", "aab", "schema!", "@[", "`{", "z", "canary", "deploy-7",
      "aaaaaaaab", "é", "nary sch", "\n",
    ].map(IncrementalSearch.folded)
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(state >> 33)
    }
    var inPlace = 0
    for round in 0..<4000 {
      var text = ""
      for _ in 0..<(round % 14) { text += pieces[next() % pieces.count] }
      let needle = needles[next() % needles.count]
      let folded = IncrementalSearch.folded(text)
      let expected =
        folded.count >= needle.count
        && (0...(folded.count - needle.count)).contains {
          folded[$0..<($0 + needle.count)].elementsEqual(needle)
        }
      var scratch: [UInt8] = []
      var copy = text
      let fast = copy.withUTF8 {
        IncrementalSearch.asciiContains(UnsafeRawBufferPointer($0), needle)
      }
      if let fast {
        inPlace += 1
        #expect(fast == expected, "\(text) / \(needle)")
      } else {
        #expect(text.utf8.contains { $0 >= 0x80 } || needle.contains { $0 >= 0x80 })
      }
      #expect(IncrementalSearch.text(text, contains: needle, scratch: &scratch) == expected)
      let viaBytes = copy.withUTF8 {
        IncrementalSearch.bytes(UnsafeRawBufferPointer($0), contains: needle, scratch: &scratch)
      }
      #expect(viaBytes == expected, "\(text) / \(needle)")
    }
    #expect(inPlace > 1000, "most texts were searched in place")
  }
}
