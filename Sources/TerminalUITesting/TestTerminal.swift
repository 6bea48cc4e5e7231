import TerminalUI

/// An in-memory terminal: scripted input, every drawn frame kept for assertions.
public final class TestTerminal: TerminalBackend {
  /// The current size; `resize(to:)` changes it and queues a resize event.
  public private(set) var size: Size
  /// Events not yet read by the program.
  public private(set) var pending: [InputEvent]
  /// Every frame drawn, oldest first.
  public private(set) var frames: [ScreenBuffer] = []
  /// Where the cursor was placed with the last frame.
  public private(set) var cursor: Point?

  /// A terminal of `size` that will deliver `events` in order.
  public init(size: Size, events: [InputEvent] = []) {
    self.size = size
    self.pending = events
  }

  /// Queues more input.
  public func send(_ events: InputEvent...) { pending.append(contentsOf: events) }

  /// Changes the size and queues the resize event.
  public func resize(to newSize: Size) {
    size = newSize
    pending.append(.resize(newSize))
  }

  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    pending.isEmpty ? nil : pending.removeFirst()
  }

  public func draw(_ buffer: ScreenBuffer, cursor: Point?) {
    frames.append(buffer)
    self.cursor = cursor
  }

  /// The last frame's rows, trailing spaces trimmed.
  public var screenLines: [String] { frames.last?.lines() ?? [] }
}
