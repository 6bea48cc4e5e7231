/// A globally unique, time-ordered event id (a UUIDv7 in its lowercase text form).
public struct EventID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The 36-character lowercase UUID text.
  public let rawValue: String

  /// Wraps an id read from the log; validation is the reader's job.
  public init(rawValue: String) { self.rawValue = rawValue }

  public var description: String { rawValue }

  public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A hybrid logical clock reading: wall-clock milliseconds plus a logical counter.
///
/// A writer's clock never goes backwards and always passes every record it has seen,
/// so a new record sorts after everything its writer knew when it wrote it.
public struct HybridTimestamp: Hashable, Comparable, Sendable {
  /// Milliseconds since the Unix epoch (the larger of the wall clock and the last seen).
  public var wall: Int64
  /// Counter that orders events within the same millisecond.
  public var logical: Int32

  /// A reading of `wall` milliseconds and counter `logical`.
  public init(wall: Int64, logical: Int32) {
    self.wall = wall
    self.logical = logical
  }

  public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool {
    (lhs.wall, lhs.logical) < (rhs.wall, rhs.logical)
  }
}

/// One event of the log, as replay sees it.
///
/// State is the replay of records in ``Record/replayOrder`` — `(clock, writer, id)` —
/// never in file order, so every clone that holds the same records has the same state.
public struct Record: Hashable, Sendable {
  /// Unique id across machines.
  public var id: EventID
  /// When it was written, by the writer's hybrid logical clock.
  public var clock: HybridTimestamp
  /// The id of the writer (one per user and machine).
  public var writer: String
  /// The event type, such as `incident.created`.
  public var type: String
  /// The schema version of this event type's body.
  public var schema: Int
  /// The id of the entity the event concerns (empty when none).
  public var entity: String
  /// The event's payload: a JSON object.
  public var body: JSONValue

  /// A record with every field given.
  public init(
    id: EventID, clock: HybridTimestamp, writer: String, type: String, schema: Int,
    entity: String, body: JSONValue
  ) {
    self.id = id
    self.clock = clock
    self.writer = writer
    self.type = type
    self.schema = schema
    self.entity = entity
    self.body = body
  }

  /// Whether `lhs` replays before `rhs`: by clock, then writer, then id.
  public static func replayOrder(_ lhs: Record, _ rhs: Record) -> Bool {
    if lhs.clock != rhs.clock { return lhs.clock < rhs.clock }
    if lhs.writer != rhs.writer { return lhs.writer < rhs.writer }
    return lhs.id < rhs.id
  }
}

/// An event to be appended: the store gives it an id, a clock reading and the writer.
public struct RecordDraft: Hashable, Sendable {
  /// The event type, such as `incident.created`.
  public var type: String
  /// The schema version of the body.
  public var schema: Int
  /// The id of the entity the event concerns.
  public var entity: String
  /// The payload: a JSON object.
  public var body: JSONValue

  /// A draft of `type` about `entity` with payload `body`.
  public init(type: String, schema: Int = 1, entity: String, body: JSONValue) {
    self.type = type
    self.schema = schema
    self.entity = entity
    self.body = body
  }
}
