import Testing
import WorkCounting

@testable import TerminalUI

/// Fails when any kind of work counted grows faster than it should from n to 4n.
///
/// The growth allowed for `work(4n)` over `work(n)`: 4 for work linear in n, 1 for work that must not depend on n (with `slack` for
/// rounding). Each kind is checked on its own, so a quadratic part cannot hide behind a large
/// linear one.
func expectGrowth(
  _ what: String, n: Int, atMost growth: Double = 4, slack: Double = 1.25,
  kinds: [String] = TypingGrowthTests.kinds,
  sourceLocation: SourceLocation = #_sourceLocation, _ work: (Int) throws -> WorkCounter
) rethrows {
  let small = try work(n)
  let large = try work(4 * n)
  #expect(small.total > 0, "\(what): no work counted at n = \(n)", sourceLocation: sourceLocation)
  for kind in kinds where small[kind] > 0 || large[kind] > 0 {
    let ratio = Double(large[kind]) / Double(Swift.max(1, small[kind]))
    #expect(
      ratio <= growth * slack,
      "\(what), \(kind): \(small[kind]) units at n = \(n), \(large[kind]) at 4n (×\(ratio), at most ×\(growth))",
      sourceLocation: sourceLocation)
  }
}

/// Text typed in a growth test: words, some wide characters, a line break now and then.
func typedCharacter(_ i: Int) -> Character {
  let sample = Array("the deploy read a stale flag 日本 and ")
  return i % 97 == 96 ? "\n" : sample[i % sample.count]
}

@Suite struct TypingGrowthTests {
  static let kinds = ["text edit", "wrap", "field measure"]

  /// Types `n` keys into a text area, drawing it after each key as a form does.
  static func typeIntoArea(_ n: Int, wraps: Bool = true) -> WorkCounter {
    var area = TextAreaState()
    var buffer = ScreenBuffer(size: Size(width: 30, height: 4))
    let counter = WorkCounter.measure {
      for i in 0..<n {
        let c = typedCharacter(i)
        _ = area.handle(c == "\n" ? KeyEvent(.enter) : KeyEvent(.character(c)))
        TextArea(area, wraps: wraps).render(into: &buffer, area: buffer.area)
      }
    }
    #expect(area.characterCount == n)
    return counter
  }

  @Test func typingIntoATextAreaCostsTheRowsShownNotTheText() {
    expectGrowth("typing n keys into a wrapped text area", n: 500) { Self.typeIntoArea($0) }
  }

  @Test func typingIntoATextFieldCostsTheCellsShownNotTheText() {
    expectGrowth("typing n keys into a text field", n: 500) { n in
      var field = TextEditState()
      var buffer = ScreenBuffer(size: Size(width: 30, height: 1))
      let counter = WorkCounter.measure {
        for i in 0..<n {
          _ = field.handle(
            KeyEvent(.character(typedCharacter(i) == "\n" ? " " : typedCharacter(i))))
          TextField(field).render(into: &buffer, area: buffer.area)
        }
      }
      #expect(field.characters.count == n)
      return counter
    }
  }

  /// Pastes `n` clusters into a text area, then types, erases and moves at the end and at the
  /// start of the text, drawing after each key; counts the keys' work only.
  static func keysAfterAPaste(_ n: Int) -> WorkCounter {
    var area = TextAreaState()
    area.insert(String((0..<n).map { i in typedCharacter(i) == "\n" ? " " : typedCharacter(i) }))
    var buffer = ScreenBuffer(size: Size(width: 60, height: 8))
    TextArea(area).render(into: &buffer, area: buffer.area)
    let keys: [KeyEvent] =
      Array(repeating: KeyEvent(.character("x")), count: 20)
      + Array(repeating: KeyEvent(.backspace), count: 10) + [KeyEvent(.home)]
      + Array(repeating: KeyEvent(.character("y")), count: 20)
      + Array(repeating: KeyEvent(.right), count: 10) + [KeyEvent(.delete)]
    let counter = WorkCounter.measure {
      for key in keys {
        _ = area.handle(key)
        TextArea(area).render(into: &buffer, area: buffer.area)
      }
    }
    return counter
  }

  @Test func aKeyAfterALongPasteCostsTheSameAsAfterAShortOne() {
    expectGrowth("keys after pasting n clusters", n: 20_000, atMost: 1) { Self.keysAfterAPaste($0) }
  }

  @Test func theWrappedViewDrawsWhatItDrewBeforeTheCache() {
    // The kept rows give the same screen as wrapping from scratch, after edits anywhere.
    var area = TextAreaState()
    for i in 0..<700 {
      let c = typedCharacter(i * 7)
      _ = area.handle(c == "\n" ? KeyEvent(.enter) : KeyEvent(.character(c)))
    }
    var buffer = ScreenBuffer(size: Size(width: 13, height: 5))
    TextArea(area).render(into: &buffer, area: buffer.area)
    for key in [KeyEvent(.up), KeyEvent(.home), KeyEvent(.character("日")), KeyEvent(.down)] {
      _ = area.handle(key)
      var kept = ScreenBuffer(size: buffer.size)
      let c1 = TextArea(area).render(into: &kept, area: kept.area)
      var fresh = ScreenBuffer(size: buffer.size)
      let c2 = TextArea(area.withFreshRowCaches()).render(
        into: &fresh, area: fresh.area)
      #expect(kept == fresh)
      #expect(c1 == c2)
    }
  }
}
