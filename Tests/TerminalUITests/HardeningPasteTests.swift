import Testing

@testable import TerminalUI

/// Pasting a megabyte (hostile bytes included) into a field and a text area: kept whole, drawn
/// safely, and the keys after it still work.
@Suite struct HardeningPasteTests {
  static let megabyte: String = {
    let chunk = "line \u{1B}[2J\u{1B}]52;c;eA==\u{07} 日本 \u{202E}x\u{9B}31m\tend\n"
    return String(repeating: chunk, count: (1 << 20) / chunk.utf8.count + 1)
  }()

  static func unsafeCells(_ b: ScreenBuffer) -> Int {
    var n = 0
    for y in 0..<b.size.height {
      for x in 0..<b.size.width
      where b[x, y].text.unicodeScalars.contains(where: Sanitizer.isUnsafe) {
        n += 1
      }
    }
    return n
  }

  @Test func aMegabyteInATextFieldIsKeptAndDrawnSafely() {
    var field = TextEditState()
    field.insert(Self.megabyte)
    #expect(Self.megabyte.utf8.count >= 1 << 20)
    #expect(field.text.count == Self.megabyte.count)
    field.keepCursorVisible(width: 40)
    var buffer = ScreenBuffer(size: Size(width: 40, height: 1))
    _ = TextField(field).render(into: &buffer, area: buffer.area)
    #expect(Self.unsafeCells(buffer) == 0)
    let erased = field.handle(KeyEvent(.backspace))
    #expect(erased)
    #expect(field.text.count == Self.megabyte.count - 1)
    let home = field.handle(KeyEvent(.home))
    #expect(home)
    #expect(field.cursor == 0)
  }

  @Test func aMegabyteInATextAreaIsKeptAndDrawnSafely() {
    var area = TextAreaState()
    area.insert(Self.megabyte)
    // Tabs become spaces in a line; everything else is kept as pasted.
    #expect(area.text == Self.megabyte.replacingOccurrences(of: "\t", with: " "))
    area.keepCursorVisible(size: Size(width: 60, height: 10))
    for wraps in [true, false] {
      var buffer = ScreenBuffer(size: Size(width: 60, height: 10))
      TextArea(area, wraps: wraps).render(into: &buffer, area: buffer.area)
      #expect(Self.unsafeCells(buffer) == 0)
    }
    let up = area.handle(KeyEvent(.up))
    #expect(up)
  }
}
