import CursesBackend
import Foundation
import TerminalUI
import TerminalUITesting
import Testing

/// Raw input biased towards the bytes escape sequences are made of.
private func randomInput(_ generator: inout SeededRandom) -> [RawInput] {
  let alphabet: [UInt32] = [0x1B, 0x5B, 0x4F, 0x3B, 0x7E, 0x3C, 0x4D, 0x6D, 0x32, 0x30, 0x31, 0x35]
  let length = Int.random(in: 0...24, using: &generator)
  return (0..<length).map { _ in
    switch Int.random(in: 0..<10, using: &generator) {
    case 0..<6: return .character(alphabet.randomElement(using: &generator) ?? 0x1B)
    case 6: return .character(UInt32.random(in: 0...0x10FFFF, using: &generator))
    case 7: return .character(UInt32.random(in: 0...0x7F, using: &generator))
    case 8: return .keyCode(Int32.random(in: 0o400...0o777, using: &generator))
    default:
      return .mouse(x: 1, y: 1, buttons: UInt32.random(in: 0...UInt32.max, using: &generator))
    }
  }
}

@Test func decoderAlwaysMakesProgressOnRandomInput() {
  let stress = ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1"
  let count = stress ? 200_000 : 3_000
  var generator = SeededRandom(seed: 0x1EA2_4106)
  var events = 0
  for _ in 0..<count {
    let input = randomInput(&generator)
    // When input pauses, every decode consumes something: the loop cannot stall.
    var rest = input[...]
    while !rest.isEmpty {
      switch KeyDecoder.decode(rest, paused: true) {
      case .event(_, let consumed):
        #expect(consumed >= 1 && consumed <= rest.count)
        events += 1
        rest = rest.dropFirst(max(1, consumed))
      case .ignored(let consumed):
        #expect(consumed >= 1 && consumed <= rest.count)
        rest = rest.dropFirst(max(1, consumed))
      case .incomplete:
        Issue.record("incomplete although the input paused: \(Array(rest))")
        rest = []
      }
    }
  }
  if stress { print("key decoder: \(count) random inputs, \(events) events, no stall") }
  #expect(events > 0)
}

@Test func longPasteDecodesAsOneEvent() {
  let text = String(repeating: "lesson 学び\n", count: 1_000)
  let input = RawInput.sequence("\u{1B}[200~" + text + "\u{1B}[201~")
  #expect(KeyDecoder.decodeAll(input) == [.paste(text)])
}
