import TerminalUI

/// An in-memory terminal: scripted input, every drawn frame kept for assertions.
public final class TestTerminal: TerminalBackend, FiniteInput {
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

  /// Events read so far.
  public private(set) var consumed = 0
  /// Idle periods (no input within the timeout) scripted before the event at `position`.
  var idleBefore: [(position: Int, count: Int)] = []
  /// Whether the last read was a scripted idle period (so the input is not exhausted yet).
  var lastReadWasIdle = false

  /// Queues `count` idle periods after the input queued so far: the program sees no input within
  /// its tick interval that many times (and sends its tick action).
  public func sendIdle(_ count: Int = 1) {
    guard count > 0 else { return }
    let position = consumed + pending.count
    if let last = idleBefore.last, last.position == position {
      idleBefore[idleBefore.count - 1].count += count
    } else {
      idleBefore.append((position, count))
    }
  }

  /// Queues more input.
  public func send(_ events: InputEvent...) { pending.append(contentsOf: events) }

  /// Changes the size and queues the resize event.
  public func resize(to newSize: Size) {
    size = newSize
    pending.append(.resize(newSize))
  }

  /// Reads the next scripted event; nil when a scripted idle period (``sendIdle(_:)``) comes
  /// first or the input is exhausted.
  public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
    lastReadWasIdle = false
    if let idle = idleBefore.first, idle.position == consumed {
      idleBefore[0].count -= 1
      if idleBefore[0].count <= 0 { idleBefore.removeFirst() }
      lastReadWasIdle = true
      return nil
    }
    guard !pending.isEmpty else { return nil }
    consumed += 1
    return pending.removeFirst()
  }

  public func draw(_ buffer: ScreenBuffer, cursor: Point?) {
    frames.append(buffer)
    self.cursor = cursor
  }

  /// Whether all scripted input and idle periods have been read.
  public var isInputExhausted: Bool { pending.isEmpty && idleBefore.isEmpty && !lastReadWasIdle }

  /// The last frame drawn.
  public var lastFrame: ScreenBuffer? { frames.last }

  /// The last frame's rows, trailing spaces trimmed.
  public var screenLines: [String] { frames.last?.lines() ?? [] }
}
