import CursesBackend
import TerminalUI

/// The smallest terminal the full-screen app lays out in.
let minimumScreenSize = Size(width: 60, height: 16)

/// Runs the full-screen app until the user quits (`q`), restoring the terminal on the way out.
///
/// - Throws: `CursesTerminalError` when standard input or output is not a usable terminal;
///   its description is the one-line message to print.
func runFullScreen() throws {
  let terminal = try CursesTerminal()
  defer { terminal.shutdown() }
  terminal.draw(startingScreen(size: terminal.size), cursor: nil)
  while true {
    guard let event = terminal.nextEvent(timeoutMilliseconds: -1) else { continue }
    switch event {
    case .key(KeyEvent(.character("q"), [])), .key(KeyEvent(.character("c"), [.ctrl])):
      return
    case .key(KeyEvent(.character("l"), [.ctrl])):
      terminal.redrawAll()
    default:
      break
    }
    terminal.draw(startingScreen(size: terminal.size), cursor: nil)
  }
}

/// The screen shown while the app starts: the name in the middle and the quit hint at the bottom,
/// or, below `minimumScreenSize`, what size is needed.
func startingScreen(size: Size) -> ScreenBuffer {
  var buffer = ScreenBuffer(size: size)
  guard size.width > 0, size.height > 0 else { return buffer }
  let hint = "q quit"
  if size.width < minimumScreenSize.width || size.height < minimumScreenSize.height {
    let lines = [
      "Terminal too small: \(size.width)×\(size.height)",
      "learnlog needs at least \(minimumScreenSize.width)×\(minimumScreenSize.height)",
    ]
    let top = max(0, (size.height - lines.count) / 2)
    for (offset, line) in lines.enumerated() {
      writeCentred(line, row: top + offset, style: Style(attributes: [.bold]), into: &buffer)
    }
  } else {
    writeCentred(
      "learnlog — starting…", row: size.height / 2 - 1, style: Style(attributes: [.bold]),
      into: &buffer)
  }
  if size.height > 2 { write(hint, at: Point(x: 1, y: size.height - 1), into: &buffer) }
  return buffer
}

/// Writes narrow text centred on `row`, cut at the right edge.
private func writeCentred(_ text: String, row: Int, style: Style, into buffer: inout ScreenBuffer) {
  let x = max(0, (buffer.size.width - text.count) / 2)
  write(text, at: Point(x: x, y: row), style: style, into: &buffer)
}

/// Writes narrow (one-cell) text from `point`, cut at the right edge.
private func write(
  _ text: String, at point: Point, style: Style = .plain, into buffer: inout ScreenBuffer
) {
  var x = point.x
  for character in text where x < buffer.size.width {
    buffer[x, point.y] = Cell(String(character), style: style)
    x += 1
  }
}
