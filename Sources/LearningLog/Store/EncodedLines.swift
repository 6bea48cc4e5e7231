/// What a writer that encodes its own lines stamps them with (see
/// ``LogStore/appendEncoded(_:)``).
public struct AppendStamp: Sendable {
  /// The writer id every line names.
  public let writer: String
  /// The store's clock: tick it once a line, in order, with ``now``.
  public let clock: HybridClock
  /// The wall clock's reading for this append, in milliseconds.
  public let now: Int64

  /// A stamp of every part given.
  public init(writer: String, clock: HybridClock, now: Int64) {
    self.writer = writer
    self.clock = clock
    self.now = now
  }
}

/// Record lines encoded by their writer, ready to append in one write.
public struct EncodedLines: Sendable {
  /// The lines, each newline-terminated, in chunks written one after another.
  public var chunks: [[UInt8]]
  /// How many lines `bytes` holds.
  public var count: Int
  /// The clock after the last line's reading.
  public var clock: HybridClock

  /// Lines of every part given.
  public init(chunks: [[UInt8]], count: Int, clock: HybridClock) {
    self.chunks = chunks
    self.count = count
    self.clock = clock
  }
}
