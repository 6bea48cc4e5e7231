import TerminalUI
import Testing

@Test func bufferLinesAreTrimmed() {
  var b = ScreenBuffer(size: Size(width: 5, height: 2))
  b[0, 0] = Cell("h")
  b[1, 0] = Cell("i")
  #expect(b.lines() == ["hi", ""])
}
