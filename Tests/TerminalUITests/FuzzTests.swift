import Foundation
import TerminalUI
import TerminalUITesting
import Testing

let isStress = ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1"

/// Scalars that attacks and odd data are made of.
let scalarPool: [UInt32] =
  Array(0...0x20) + [0x7F] + Array(0x80...0x9F) + [
    0x5B, 0x5D, 0x3B, 0x61, 0x7A, 0x30, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067,
    0x2068, 0x2069, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x2060, 0x00AD, 0x0301,
    0x0308, 0x4E2D, 0xAC00, 0x1F600, 0x1F3FD, 0xFE0F, 0x1F1E9, 0x1F1EA, 0x1F3F4, 0xE0067, 0xE007F,
    0x05D0, 0x2028,
  ]

func randomText(_ rng: inout SeededRandom, maxLength: Int) -> String {
  var s = String.UnicodeScalarView()
  for _ in 0..<Int.random(in: 0...maxLength, using: &rng) {
    if let v = scalarPool.randomElement(using: &rng), let u = Unicode.Scalar(v) { s.append(u) }
  }
  return String(s)
}

@Suite struct FuzzTests {
  @Test func randomTextNeverPutsAnUnsafeScalarInACell() {
    var rng = SeededRandom(seed: 42)
    let rounds = isStress ? 50_000 : 500
    for _ in 0..<rounds {
      let text = randomText(&rng, maxLength: 40)
      var b = ScreenBuffer(size: Size(width: 12, height: 2))
      b.setString(Int.random(in: -3...11, using: &rng), 0, text)
      b.setString(0, 1, text, maxWidth: Int.random(in: 0...12, using: &rng))
      let bad = unsafeScalars(in: b)
      #expect(bad.isEmpty, "seed text \(text.unicodeScalars.map { String($0.value, radix: 16) })")
      if !bad.isEmpty { return }
      // Every row keeps its invariant: a continuation cell always follows a wide character.
      for y in 0..<2 {
        for x in 0..<12 where b[x, y].isContinuation {
          #expect(x > 0 && DisplayWidth.of(b[x - 1, y].text) == 2)
        }
      }
    }
    if isStress { print("sanitiser fuzz: \(rounds) random strings drawn, no unsafe cell") }
  }

  @Test func randomKeysKeepEditorsConsistent() {
    var rng = SeededRandom(seed: 7)
    let keys: [KeyEvent] = [
      KeyEvent(.left), KeyEvent(.right), KeyEvent(.home), KeyEvent(.end), KeyEvent(.backspace),
      KeyEvent(.delete), KeyEvent(.enter), KeyEvent(.up), KeyEvent(.down), .ctrl("a"), .ctrl("e"),
      .ctrl("w"), .ctrl("u"), .ctrl("k"), .alt("b"), .alt("f"), .char("x"), .char(" "), .char("日"),
      .char("\u{301}"), .char("é"),
    ]
    let rounds = isStress ? 20_000 : 300
    for _ in 0..<rounds {
      var line = TextEditState(randomText(&rng, maxLength: 10))
      var area = TextAreaState(randomText(&rng, maxLength: 10))
      for _ in 0..<30 {
        guard let k = keys.randomElement(using: &rng) else { continue }
        _ = line.handle(k)
        _ = area.handle(k)
        #expect(line.cursor >= 0 && line.cursor <= line.characters.count)
        #expect(Array(line.text).count == line.characters.count)
      }
      #expect(area.row >= 0 && area.row < area.lines.count)
      let field = render(width: 6, height: 1) { b, a in
        _ = TextField(line).render(into: &b, area: a)
      }
      #expect(unsafeScalars(in: field).isEmpty)
    }
    if isStress { print("editor fuzz: \(rounds) runs of 30 random keys") }
  }
}
