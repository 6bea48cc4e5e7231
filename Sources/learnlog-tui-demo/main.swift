// A small full-screen program that exercises the terminal backend: a one-line text field,
// the last input event decoded, resizes and the too-small message. The end-to-end tests drive it
// in tmux; it is also handy to check what a terminal sends for a key.
//
// Usage: learnlog-tui-demo [--crash-on CHARACTER] [--stall-on CHARACTER] [--run COMMAND]
//   --crash-on X   stop with a runtime trap when X is typed (tests the terminal restore on crashes)
//   --stall-on X   stop reading input for 3 seconds when X is typed (tests signals while busy)
//   --stall-mark P create the file P when a stall is over
//   --run COMMAND  Ctrl-E leaves full screen, runs COMMAND with sh, and comes back

import CursesBackend
import Foundation
import TerminalUI

/// A minimal one-line text field: characters and a cursor index.
struct DemoTextField {
  var text: [Character] = []
  var cursor = 0

  /// Applies an editing key; returns whether the key was used.
  mutating func handle(_ key: KeyEvent) -> Bool {
    switch (key.key, key.modifiers) {
    case (.character(let character), []), (.character(let character), [.shift]):
      insert(String(character))
    case (.backspace, []):
      guard cursor > 0 else { return true }
      text.remove(at: cursor - 1)
      cursor -= 1
    case (.delete, []):
      if cursor < text.count { text.remove(at: cursor) }
    case (.left, []): cursor = max(0, cursor - 1)
    case (.right, []): cursor = min(text.count, cursor + 1)
    case (.home, []), (.character("a"), [.ctrl]): cursor = 0
    case (.end, []), (.character("e"), [.ctrl]): cursor = text.count
    case (.character("u"), [.ctrl]):
      text.removeFirst(cursor)
      cursor = 0
    default:
      return false
    }
    return true
  }

  /// Inserts text at the cursor (line breaks become spaces: the field has one line).
  mutating func insert(_ string: String) {
    let characters = string.map { $0.isNewline ? " " : $0 }
    text.insert(contentsOf: characters, at: cursor)
    cursor += characters.count
  }
}

/// Cells a character takes: two for East Asian wide and emoji ranges, else one.
func demoWidth(_ character: Character) -> Int {
  guard let scalar = character.unicodeScalars.first else { return 1 }
  switch scalar.value {
  case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
    0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
    0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
    return 2
  default:
    return 1
  }
}

/// Writes `text` from (`x`, `y`), wide characters over two cells, cut at `limit`; returns the
/// column after the text.
@discardableResult
func put(
  _ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil,
  into buffer: inout ScreenBuffer
) -> Int {
  let end = min(limit ?? buffer.size.width, buffer.size.width)
  var column = x
  for character in text {
    let width = demoWidth(character)
    guard column + width <= end else { break }
    buffer[column, y] = Cell(String(character), style: style)
    if width == 2 { buffer[column + 1, y] = Cell("", style: style, isContinuation: true) }
    column += width
  }
  return column
}

/// A short description of an event, shown on screen and read by the tests.
func describe(_ event: InputEvent) -> String {
  switch event {
  case .key(let key):
    var parts: [String] = []
    if key.modifiers.contains(.ctrl) { parts.append("ctrl") }
    if key.modifiers.contains(.alt) { parts.append("alt") }
    if key.modifiers.contains(.shift) { parts.append("shift") }
    switch key.key {
    case .character(let character): parts.append(String(character))
    case .function(let n): parts.append("f\(n)")
    default: parts.append("\(key.key)")
    }
    return "key " + parts.joined(separator: "+")
  case .paste(let text): return "paste \(text.count) characters"
  case .mouse(let mouse): return "mouse \(mouse.action) at \(mouse.position.x),\(mouse.position.y)"
  case .resize(let size): return "resize \(size.width)x\(size.height)"
  }
}

/// The demo's screen for `size`.
func demoScreen(size: Size, field: DemoTextField, lastEvent: String) -> (ScreenBuffer, Point?) {
  var buffer = ScreenBuffer(size: size)
  guard size.width >= 60, size.height >= 16 else {
    let top = max(0, size.height / 2 - 1)
    let lines = ["Terminal too small: \(size.width)×\(size.height)", "needs at least 60×16"]
    for (offset, line) in lines.enumerated() {
      put(line, x: max(0, (size.width - line.count) / 2), y: top + offset, into: &buffer)
    }
    return (buffer, nil)
  }
  let title = "learnlog toolkit demo"
  put(
    title, x: (size.width - title.count) / 2, y: 0, style: Style(attributes: [.bold]), into: &buffer
  )
  let label = "Text: "
  let fieldX = put(label, x: 2, y: 3, into: &buffer)
  let fieldEnd = size.width - 2
  let fieldStyle = Style(attributes: [.underline])
  for x in fieldX..<fieldEnd { buffer[x, 3] = Cell(" ", style: fieldStyle) }
  put(String(field.text), x: fieldX, y: 3, style: fieldStyle, limit: fieldEnd, into: &buffer)
  let cursorX = fieldX + field.text.prefix(field.cursor).reduce(0) { $0 + demoWidth($1) }
  put("Last: \(lastEvent)", x: 2, y: 5, into: &buffer)
  put("Size: \(size.width)x\(size.height)", x: 2, y: 7, into: &buffer)
  put(
    "Esc quit · Ctrl-L redraw", x: 1, y: size.height - 1, style: Style(attributes: [.dim]),
    into: &buffer)
  return (buffer, Point(x: min(cursorX, fieldEnd), y: 3))
}

/// Runs `command` with sh in the foreground and returns its exit status.
func runShell(_ command: String) -> Int32 {
  let words: [String] = ["/bin/sh", "-c", command]
  let argv = words.map { strdup($0) } + [nil]
  defer { argv.forEach { free($0) } }
  var pid: pid_t = 0
  guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return 127 }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) == -1, errno == EINTR {}
  return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
}

var crashCharacter: Character?
var stallCharacter: Character?
var stallMark: String?
var outsideCommand: String?
var arguments = Array(CommandLine.arguments.dropFirst())[...]
while let option = arguments.popFirst() {
  guard let argument = arguments.popFirst(), let value = argument.first else { break }
  switch option {
  case "--run": outsideCommand = argument
  case "--crash-on": crashCharacter = value
  case "--stall-on": stallCharacter = value
  case "--stall-mark": stallMark = argument
  default:
    FileHandle.standardError.write(Data("error: unknown option \(option)\n".utf8))
    exit(64)
  }
}

let terminal: CursesTerminal
do {
  terminal = try CursesTerminal()
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
var field = DemoTextField()
var lastEvent = "none"
while true {
  let (screen, cursor) = demoScreen(size: terminal.size, field: field, lastEvent: lastEvent)
  terminal.draw(screen, cursor: cursor)
  guard let event = terminal.nextEvent(timeoutMilliseconds: -1) else { continue }
  lastEvent = describe(event)
  switch event {
  case .key(KeyEvent(.escape, [])):
    terminal.shutdown()
    exit(0)
  case .key(KeyEvent(.character("l"), [.ctrl])):
    terminal.redrawAll()
  case .key(KeyEvent(.character("e"), [.ctrl])) where outsideCommand != nil:
    let status = terminal.withFullScreenSuspended { runShell(outsideCommand ?? "") }
    lastEvent = "ran command, status \(status)"
  case .key(let key):
    if case .character(let character) = key.key, character == crashCharacter {
      fatalError("crash requested with --crash-on")
    }
    if case .character(let character) = key.key, character == stallCharacter {
      // Busy elsewhere for 3 seconds: not reading input, not checking for signals (sleeping in
      // a loop, since a signal cuts a single sleep short).
      let end = Date().addingTimeInterval(3)
      while Date() < end { usleep(50_000) }
      // The stall is over: tests read this file to order a signal's effect against it.
      if let stallMark { _ = FileManager.default.createFile(atPath: stallMark, contents: Data()) }
    }
    _ = field.handle(key)
  case .paste(let text):
    field.insert(text)
  case .mouse, .resize:
    break
  }
}
