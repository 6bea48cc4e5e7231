/// Read access to the entities of one kind by id: what the rules read through.
///
/// ``EntityMap`` implements it whether its entities are in memory or still in a snapshot, so a
/// rule never learns where an entity is kept.
public protocol EntityReading<Value> {
  /// The kind of entity.
  associatedtype Value
  /// The entity `id`, or nil.
  subscript(id: String) -> Value? { get }
  /// Whether `id` is a live entity.
  func contains(_ id: String) -> Bool
  /// What `body` makes of the entity `id`, read in place where it can be; nil when there is none.
  func withValue<R>(_ id: String, _ body: (Value) -> R) -> R?
  /// Calls `body` with every live id and entity, in no particular order.
  func forEachEntity(_ body: (String, Value) -> Void)
  /// How many entities are live.
  var count: Int { get }
}

/// Entities of one kind kept outside memory and read by id on demand: what a lazily opened
/// ``EntityMap`` sits on (a snapshot section, in the cache).
protocol EntitySource<Value>: AnyObject, Sendable {
  /// The kind of entity.
  associatedtype Value: Sendable
  /// How many entities the source holds.
  var count: Int { get }
  /// Whether the source holds `id` (nothing read but its index).
  func contains(_ id: String) -> Bool
  /// The entity `id`, read now.
  func value(_ id: String) -> Value?
  /// The entity `id` read cheaply: fields a summary leaves out are empty (an incident's answers).
  func summary(_ id: String) -> Value?
  /// Calls `body` with every entity's summary in creation order until it returns false; false
  /// when it stopped early or the source could not be walked (read by id then).
  func walkSummaries(_ body: (String, Value) -> Bool) -> Bool
  /// ``walkSummaries(_:)`` for a listing, on two threads: each summary's long text (an
  /// incident's what happened) left empty, its UTF-8 bytes handed to `text` and the summary
  /// with `text`'s answer to `keep`, on either thread; `body` gets, in creation order on this
  /// thread, every entity's id, its summary when `keep` kept it, and the place of its record
  /// (for ``value(_:atRecord:)``). False at once when the kind has no long text to leave out,
  /// and when it stopped early or the source could not be walked.
  func walkSummaries(
    text: @escaping @Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Bool,
    keeping keep: @escaping @Sendable (Value, Bool, inout [UInt8]) -> Bool,
    _ body: (String, Value?, Int) -> Bool
  ) -> Bool
  /// Calls `body` with every entity's keys (what orders it; texts left empty) in creation
  /// order, with the place of its record, until it returns false; false when it stopped early
  /// or the source could not be walked.
  func walkKeys(_ body: (String, Value, Int) -> Bool) -> Bool
  /// The entity `id` read from the record a walk found at `record`, without looking the id up.
  func value(_ id: String, atRecord record: Int) -> Value?
  /// `body` given the JSON fields of the incident `id` read from the record a walk found at
  /// `record` (its long texts as the record's bytes, valid only inside `body`) and the
  /// incident its review reads; nil when the source holds no incidents or the record cannot
  /// be read there or holds another entity: read by id then.
  func withIncidentJSONFields<R>(
    _ id: String, atRecord record: Int, _ body: (IncidentJSONFields, Incident) -> R
  ) -> R?
  /// Every id, in the source's order.
  func ids() -> [String]
  /// The ids that start with `prefix`.
  func ids(withPrefix prefix: String) -> [String]
  /// The ids sorting next to `id`, past those `skip` rejects.
  func neighbours(of id: String, skip: (String) -> Bool) -> [String]
  /// Calls `body` with every entity, read now.
  func forEachValue(_ body: (String, Value) -> Void)
  /// Calls `body` with every entity in written order until it returns false; false when it
  /// stopped early or the source could not be walked (read by id then).
  func walkValues(_ body: (String, Value) -> Bool) -> Bool
}

/// Packed words kept outside memory and read on first use (the applied ids of a snapshot).
protocol WordSource: AnyObject, Sendable {
  /// How many words.
  var count: Int { get }
  /// Every word.
  func load() -> [UInt64]
}

/// Where a lazily opened state reads its entities from.
protocol StateSource: AnyObject, Sendable {
  /// What went wrong reading it, when something did (a line for `check`).
  var failure: String? { get }
}
