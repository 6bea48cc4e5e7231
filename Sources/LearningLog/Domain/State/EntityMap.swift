import WorkCounting

/// Entities by id: a dictionary that may sit on a snapshot whose entities decode on access.
///
/// A state replayed from records holds every entity in ``stored``. A state opened lazily from
/// the snapshot cache (``LearningState/load(path:fileSystem:readOnly:lazy:cache:policy:notice:progress:)``
/// with `lazy: true`) starts with an empty dictionary over an ``EntitySource`` base: reading an
/// id decodes that one entity, writing it keeps the new value in ``stored``, removing it hides
/// the base entry. A command that touches a few entities never decodes the rest; iterating
/// ``values`` or ``keys`` decodes what it walks, and ``materialize()`` decodes everything once.
public struct EntityMap<Value: Sendable>: Sendable, EntityReading {
  /// Entities decoded or written since the base was opened (all of them without a base).
  var stored: [String: Value] = [:]
  /// The snapshot's entities not yet decoded, if the state was opened lazily.
  var base: (any EntitySource<Value>)?
  /// Base ids removed since the open.
  var hidden: Set<String> = []
  /// Base ids also in ``stored`` or ``hidden`` (so not counted twice).
  var shadowed = 0

  /// An empty map.
  public init() {}

  /// A map over `base`, every entity still undecoded.
  init(base: any EntitySource<Value>) { self.base = base }

  /// Whether the base holds `id` and nothing since has replaced or removed it.
  @inline(__always)
  private func baseServes(_ id: String) -> Bool {
    guard let base, base.contains(id) else { return false }
    return stored.index(forKey: id) == nil && !hidden.contains(id)
  }

  /// The entity `id`, decoded from the base on first use.
  public subscript(id: String) -> Value? {
    get {
      if let v = stored[id] { return v }
      guard let base, !hidden.contains(id) else { return nil }
      return base.value(id)
    }
    set {
      if let base, base.contains(id), stored[id] == nil, !hidden.contains(id) { shadowed += 1 }
      if let newValue {
        if base != nil { hidden.remove(id) }
        stored[id] = newValue
      } else {
        stored[id] = nil
        if let base, base.contains(id) { hidden.insert(id) }
      }
    }
  }

  /// The entity `id`, or `fallback` (written back when the result is assigned).
  public subscript(id: String, default fallback: @autoclosure () -> Value) -> Value {
    get { self[id] ?? fallback() }
    set { self[id] = newValue }
  }

  /// What `body` makes of the entity `id`, read in place when it is in memory (no copy),
  /// decoded when it is still in a snapshot; nil when there is none.
  @inline(__always)
  public func withValue<R>(_ id: String, _ body: (Value) -> R) -> R? {
    if let i = stored.index(forKey: id) { return body(stored.values[i]) }
    guard let base, !hidden.contains(id), let v = base.value(id) else { return nil }
    return body(v)
  }

  /// Calls `body` with every live id and entity: those in memory read in place, in storage
  /// order (sequential in memory, no lookups), then any still in a snapshot, decoded.
  public func forEachEntity(_ body: (String, Value) -> Void) {
    var i = stored.startIndex
    while i != stored.endIndex {
      body(stored.keys[i], stored.values[i])
      stored.formIndex(after: &i)
    }
    guard let base else { return }
    for id in base.ids() where stored[id] == nil && !hidden.contains(id) {
      if let v = base.value(id) { body(id, v) }
    }
  }

  /// Where an entity in memory sits in its map: a handle valid until the map next changes.
  ///
  /// Positions order as ``forEachInMemory(_:)`` visits them, so facts gathered per position
  /// can be read back in step with a later walk.
  public struct Position: Comparable, Hashable {
    let index: Dictionary<String, Value>.Index

    /// Whether `a` is visited before `b`.
    public static func < (a: Position, b: Position) -> Bool { a.index < b.index }
  }

  /// Calls `body` with the position, id and entity of every entity in memory, in storage
  /// order: sequential in memory, each entity read in place (no copy).
  ///
  /// Entities a lazy open left in its source are not visited: a rule that walks every entity
  /// reads a ``LearningState/materialized()`` state.
  @inline(__always)
  public func forEachInMemory(_ body: (Position, String, Value) -> Void) {
    var i = stored.startIndex
    while i != stored.endIndex {
      body(Position(index: i), stored.keys[i], stored.values[i])
      stored.formIndex(after: &i)
    }
  }

  /// The position of the entity `id` when it is in memory.
  @inline(__always)
  public func position(of id: String) -> Position? {
    stored.index(forKey: id).map { Position(index: $0) }
  }

  /// What `body` makes of the entity at `position`, read in place.
  @inline(__always)
  public func withValue<R>(at position: Position, _ body: (Value) -> R) -> R {
    body(stored.values[position.index])
  }

  /// The id of the entity at `position`.
  public func id(at position: Position) -> String { stored.keys[position.index] }

  /// Stores `value` under `id` unless a live entity is there; false (nothing changed) then.
  ///
  /// One lookup when the map has no base.
  @inline(__always)
  mutating func insertIfAbsent(_ id: String, _ value: consuming Value) -> Bool {
    guard base == nil else {
      if contains(id) { return false }
      self[id] = value
      return true
    }
    if let old = stored.updateValue(value, forKey: id) {
      stored[id] = old
      return false
    }
    return true
  }

  /// Where `id` is in ``stored``, when the map has no base and holds it (mutate it in place
  /// through `stored.values[index]`).
  @inline(__always)
  func storedIndex(_ id: String) -> Dictionary<String, Value>.Index? {
    base == nil ? stored.index(forKey: id) : nil
  }

  /// Changes the entity `id` in place; false when there is none.
  @discardableResult
  public mutating func modify(_ id: String, _ body: (inout Value) -> Void) -> Bool {
    if let i = stored.index(forKey: id) {
      body(&stored.values[i])
      return true
    }
    guard let base, !hidden.contains(id), var v = base.value(id) else { return false }
    body(&v)
    shadowed += 1
    stored[id] = v
    return true
  }

  /// Whether `id` is a live entity, without decoding it.
  public func contains(_ id: String) -> Bool {
    // `index(forKey:)`, not `stored[id]`: no copy of the entity.
    stored.index(forKey: id) != nil || baseServes(id)
  }

  /// Removes `id` and returns what it held.
  @discardableResult
  public mutating func removeValue(forKey id: String) -> Value? {
    let old = self[id]
    if old != nil { self[id] = nil }
    return old
  }

  /// How many entities are live.
  public var count: Int { stored.count + (base?.count ?? 0) - shadowed }

  /// Whether no entity is live.
  public var isEmpty: Bool { count == 0 }

  /// Every live id, in no particular order.
  public var keys: [String] {
    var out = Array(stored.keys)
    if let base {
      out.reserveCapacity(count)
      for id in base.ids() where stored[id] == nil && !hidden.contains(id) { out.append(id) }
    }
    return out
  }

  /// Every live entity, in no particular order (decoding the base's).
  public var values: [Value] {
    var out = Array(stored.values)
    if let base {
      out.reserveCapacity(count)
      for id in base.ids() where stored[id] == nil && !hidden.contains(id) {
        if let v = base.value(id) { out.append(v) }
      }
    }
    return out
  }

  /// Makes room for `n` entities.
  public mutating func reserveCapacity(_ n: Int) { stored.reserveCapacity(n) }

  /// The entity `id`, read as a summary from the base when it is still there (see
  /// ``EntitySource/summary(_:)``), whole when it is in memory.
  func summary(_ id: String) -> Value? {
    if let v = stored[id] { return v }
    guard let base, !hidden.contains(id) else { return nil }
    return base.summary(id)
  }

  /// The live ids that start with `prefix` (a search of the snapshot's sorted index).
  public func keys(withPrefix prefix: String) -> [String] {
    var out = stored.keys.filter { $0.hasPrefix(prefix) }
    if let base {
      for id in base.ids(withPrefix: prefix) where stored[id] == nil && !hidden.contains(id) {
        out.append(id)
      }
    }
    return out
  }

  /// The longest prefix `id` shares with another live id of this map, in characters.
  ///
  /// Without a snapshot every id is compared; with one only `id`'s neighbours in its sorted
  /// index and what changed since.
  public func longestSharedPrefix(with id: String) -> Int {
    func common(_ a: String, _ b: String) -> Int {
      zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
    }
    var best = 0
    for other in stored.keys where other != id {
      WorkCounter.count("ids compared for a short id")
      best = Swift.max(best, common(id, other))
    }
    if let base {
      for other in base.neighbours(of: id, skip: { stored[$0] != nil || hidden.contains($0) }) {
        best = Swift.max(best, common(id, other))
      }
    }
    return best
  }

  /// ``longestSharedPrefix(with:)`` among the snapshot's entities only (those not since
  /// replaced or removed): `id`'s neighbours in its sorted index; 0 without a snapshot.
  func longestSharedPrefixInBase(with id: String) -> Int {
    guard let base else { return 0 }
    var best = 0
    for other in base.neighbours(of: id, skip: { stored[$0] != nil || hidden.contains($0) }) {
      best = Swift.max(best, zip(id.utf8, other.utf8).prefix { $0 == $1 }.count)
    }
    return best
  }

  /// Whether some entities still sit undecoded in a snapshot.
  public var isLazy: Bool { base != nil }

  /// The entities named by `order` (their creation order, the order a snapshot writes them
  /// in), those missing left out: from a snapshot one walk of its records in written order,
  /// merged with what changed since, with no lookup by id.
  func values(inOrder order: [String]) -> [Value] {
    var out: [Value] = []
    out.reserveCapacity(order.count)
    merge(
      order, walk: { visit in base?.walkValues(visit) },
      fromMemory: { self[$0] }, taking: { id, value in stored[id] ?? value }
    ) { out.append($0) }
    return out
  }

  /// The live ids of `order`, in that order, each with where its snapshot record is.
  ///
  /// The place is nil when the entity is in memory or must be read by id. One walk of the
  /// base's keys (texts skipped) merged with what changed since, no lookup by id, so each can
  /// be decoded from its place (``value(_:atRecord:)``) on any thread. Nothing is held per
  /// entity but its id: one entity's strings shared by many (an owner) would otherwise have
  /// their counts touched by both threads at once.
  public func records(inOrder order: [String]) -> [EntityRecord] {
    var out: [EntityRecord] = []
    out.reserveCapacity(order.count)
    merge(
      order,
      walk: { visit in base?.walkKeys { id, _, record in visit(id, record) } },
      fromMemory: { id in contains(id) ? EntityRecord(id: id, record: nil) : nil },
      taking: { id, record in EntityRecord(id: id, record: stored[id] == nil ? record : nil) }
    ) { out.append($0) }
    return out
  }

  /// The entity `id`, decoded from the snapshot record at `record` when a walk gave one and
  /// nothing since has changed it (no index search), else looked up by id.
  public func value(_ id: String, atRecord record: Int?) -> Value? {
    guard let record, let base, stored.index(forKey: id) == nil, !hidden.contains(id) else {
      return self[id]
    }
    return base.value(id, atRecord: record)
  }

  /// Hands `emit` what `order` names, in that order.
  ///
  /// The base's records as `walk` passes them (each made by `taking` from its id and what the
  /// walk gave), merged with the entities only in memory (made by `fromMemory`); a deleted
  /// entity in neither. Without a base, or after a walk that stopped (damage met), the rest is
  /// made by `fromMemory` one by one.
  func merge<T, R>(
    _ order: [String], walk: (_ visit: (String, T) -> Bool) -> Bool?,
    fromMemory: @escaping (String) -> R?, taking: @escaping (String, T) -> R,
    emit: @escaping (R) -> Void
  ) {
    // `order[..<next]` is given (or absent) exactly, so a walk that stops can go on from there.
    var next = 0
    // Entities the walk passes over: created since (in memory), or — should the order ever
    // disagree with the records — read by id.
    func emitMemory(until end: Int) {
      while next < end {
        if let v = fromMemory(order[next]) { emit(v) }
        next += 1
      }
    }
    _ = walk { id, value in
      // A deleted entity is in neither the order nor the list.
      if hidden.contains(id) { return true }
      var k = next
      while k < order.count, order[k] != id { k += 1 }
      // A record the order does not name (it never should be): the rest one by one.
      guard k < order.count else { return false }
      emitMemory(until: k)
      emit(taking(id, value))
      next += 1
      return true
    }
    // What the walk left: created since, or every entity without a base, or — after damage met
    // in the walk, or a walk stopped early — the rest, read one by one.
    emitMemory(until: order.count)
  }

  /// Decodes every entity of the base into memory and drops the base.
  public mutating func materialize() {
    guard let base else { return }
    stored.reserveCapacity(count)
    base.forEachValue { id, value in
      if stored[id] == nil && !hidden.contains(id) { stored[id] = value }
    }
    self.base = nil
    hidden = []
    shadowed = 0
  }
}

extension EntityMap: Sequence {
  /// Walks the decoded entities, then those still in the snapshot (decoding each).
  public struct Iterator: IteratorProtocol {
    var stored: Dictionary<String, Value>.Iterator
    let map: EntityMap
    var baseIDs: [String]?
    var position = 0

    /// The next id and entity.
    public mutating func next() -> (key: String, value: Value)? {
      if let e = stored.next() { return e }
      guard let base = map.base else { return nil }
      if baseIDs == nil { baseIDs = base.ids() }
      let ids = baseIDs ?? []
      while position < ids.count {
        let id = ids[position]
        position += 1
        if map.stored[id] == nil, !map.hidden.contains(id), let v = base.value(id) {
          return (id, v)
        }
      }
      return nil
    }
  }

  /// An iterator over every live entity, in no particular order.
  public func makeIterator() -> Iterator { Iterator(stored: stored.makeIterator(), map: self) }

  /// The number of live entities.
  public var underestimatedCount: Int { count }
}

/// An entity's id and where a walk found its snapshot record (nil: it is in memory or read by
/// id); see ``EntityMap/records(inOrder:)``.
public struct EntityRecord: Sendable {
  /// The entity's id.
  public let id: String
  /// The offset of its snapshot record, for ``EntityMap/value(_:atRecord:)``.
  public let record: Int?
}
