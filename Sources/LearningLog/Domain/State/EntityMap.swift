/// Entities by id: a dictionary that may sit on a snapshot whose entities decode on access.
///
/// A state replayed from records holds every entity in ``stored``. A state opened lazily from
/// the snapshot cache (``LearningState/load(path:fileSystem:readOnly:lazy:cache:policy:notice:progress:)``
/// with `lazy: true`) starts with an empty dictionary over a ``LazyEntities`` base: reading an
/// id decodes that one entity, writing it keeps the new value in ``stored``, removing it hides
/// the base entry. A command that touches a few entities never decodes the rest; iterating
/// ``values`` or ``keys`` decodes what it walks, and ``materialize()`` decodes everything once.
public struct EntityMap<Value: Sendable>: Sendable {
  /// Entities decoded or written since the base was opened (all of them without a base).
  var stored: [String: Value] = [:]
  /// The snapshot's entities not yet decoded, if the state was opened lazily.
  var base: LazyEntities<Value>?
  /// Base ids removed since the open.
  var hidden: Set<String> = []
  /// Base ids also in ``stored`` or ``hidden`` (so not counted twice).
  var shadowed = 0

  /// An empty map.
  public init() {}

  /// A map over `base`, every entity still undecoded.
  init(base: LazyEntities<Value>) { self.base = base }

  /// Whether the base holds `id` and nothing since has replaced or removed it.
  @inline(__always)
  private func baseServes(_ id: String) -> Bool {
    guard let base, base.contains(id) else { return false }
    return stored[id] == nil && !hidden.contains(id)
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
    stored[id] != nil || baseServes(id)
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

  /// The entity `id`, read from the base with `partial` when it is still there.
  func value(_ id: String, partial: LazyEntities<Value>.Decode) -> Value? {
    if let v = stored[id] { return v }
    guard let base, !hidden.contains(id) else { return nil }
    return base.value(id, decodedBy: partial)
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
    for other in stored.keys where other != id { best = Swift.max(best, common(id, other)) }
    if let base {
      for other in base.neighbours(of: id, skip: { stored[$0] != nil || hidden.contains($0) }) {
        best = Swift.max(best, common(id, other))
      }
    }
    return best
  }

  /// Whether some entities still sit undecoded in a snapshot.
  public var isLazy: Bool { base != nil }

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

/// The undecoded entities of one kind in a snapshot: an id index and a decoder.
///
/// Immutable once made; the bytes it reads are checked block by block as they are first used
/// (``SnapshotBacking``), and a damaged block makes the backing replay the log instead.
final class LazyEntities<Value: Sendable>: Sendable {
  typealias Decode = @Sendable (inout BinaryReader) throws(SnapshotFormatError) -> (String, Value)
  let backing: SnapshotBacking
  let section: SnapshotSection
  let decode: Decode
  /// The same kind's entities in a state replayed after damage.
  let recovered: @Sendable (LearningState) -> EntityMap<Value>

  init(
    backing: SnapshotBacking, section: SnapshotSection, decode: @escaping Decode,
    recovered: @escaping @Sendable (LearningState) -> EntityMap<Value>
  ) {
    self.backing = backing
    self.section = section
    self.decode = decode
    self.recovered = recovered
  }

  /// How many entities the section holds.
  var count: Int { section.count }

  /// The replayed entities, once damage made the backing replay the log.
  private func fallback() -> EntityMap<Value>? {
    backing.recoveredState().map(recovered)
  }

  /// What `fromSnapshot` reads; after damage (met now or before) what `fromReplay` reads from
  /// the entities of the replayed log (empty when that failed too).
  private func read<R>(
    _ fromSnapshot: () throws(SnapshotFormatError) -> R, else fromReplay: (EntityMap<Value>) -> R
  ) -> R {
    if let map = fallback() { return fromReplay(map) }
    do {
      return try fromSnapshot()
    } catch {
      return fromReplay(backing.recover().map(recovered) ?? EntityMap())
    }
  }

  /// Whether `id` is in the section (a binary search of the index; nothing decoded).
  func contains(_ id: String) -> Bool {
    read({ () throws(SnapshotFormatError) in try backing.find(id, in: section) != nil }) {
      $0.contains(id)
    }
  }

  /// The entity `id`, decoded now.
  func value(_ id: String) -> Value? { value(id, decodedBy: decode) }

  /// The entity `id` decoded by `decoder` (``decode`` or a cheaper one of the same records).
  func value(_ id: String, decodedBy decoder: Decode) -> Value? {
    read({ () throws(SnapshotFormatError) -> Value? in
      guard let slot = try backing.find(id, in: section) else { return nil }
      var r = try backing.reader(section: section, slot: slot)
      let (decodedID, v) = try decoder(&r)
      guard decodedID == id else { throw SnapshotFormatError("index and record disagree") }
      return v
    }) { $0[id] }
  }

  /// The ids of the section that start with `prefix`.
  func ids(withPrefix prefix: String) -> [String] {
    read({ () throws(SnapshotFormatError) in try backing.ids(withPrefix: prefix, in: section) }) {
      $0.keys(withPrefix: prefix)
    }
  }

  /// The ids sorting next to `id` in the section, past those `skip` rejects (after damage,
  /// every other id).
  func neighbours(of id: String, skip: (String) -> Bool) -> [String] {
    read({ () throws(SnapshotFormatError) in
      try backing.neighbours(of: id, in: section, skip: skip)
    }) { $0.keys.filter { $0 != id && !skip($0) } }
  }

  /// Every id of the section, in index order.
  func ids() -> [String] {
    read({ () throws(SnapshotFormatError) in try backing.ids(in: section) }) { $0.keys }
  }

  /// Every entity decoded now, in a dictionary; throws on the first damaged record.
  func decodeAll() throws(SnapshotFormatError) -> [String: Value] {
    var out: [String: Value] = [:]
    out.reserveCapacity(count)
    try walk(decode) { id, v throws(SnapshotFormatError) in
      guard out.updateValue(v, forKey: id) == nil else {
        throw SnapshotFormatError("id \(id) twice in a section")
      }
    }
    return out
  }

  /// Decodes every record with `decoder` in written order, giving pages back behind it.
  func walk(
    _ decoder: Decode, _ body: (String, Value) throws(SnapshotFormatError) -> Void
  ) throws(SnapshotFormatError) {
    let (start, end, n) = (section.records, section.index, section.count)
    try backing.check(start..<end)
    var position = start
    for k in 0..<n {
      var r = try backing.record(at: position, before: end)
      let (id, v) = try decoder(&r)
      try body(id, v)
      position = r.end
      if k & 4095 == 4095 { backing.release(start..<position) }
    }
    guard position == end else {
      throw SnapshotFormatError("records do not fill their section")
    }
  }

  /// Calls `body` with every record decoded by `decoder`, in written order, until it returns
  /// false; false when it stopped early or after damage (the backing has then replayed the
  /// log: read through ``value(_:)`` instead).
  func walkAll(decodedBy decoder: Decode, _ body: (String, Value) -> Bool) -> Bool {
    guard fallback() == nil else { return false }
    do {
      try walk(decoder) { id, v throws(SnapshotFormatError) in
        if !body(id, v) { throw SnapshotFormatError("stopped") }
      }
      return true
    } catch {
      if error.reason != "stopped" { _ = backing.recover() }
      return false
    }
  }

  /// Calls `body` with every entity, decoding them in written order.
  func forEachValue(_ body: (String, Value) -> Void) {
    if fallback() == nil {
      do {
        var out: [(String, Value)] = []
        out.reserveCapacity(count)
        try walk(decode) { id, v in out.append((id, v)) }
        for (id, v) in out { body(id, v) }
        return
      } catch {
        _ = backing.recover()
      }
    }
    let map = fallback() ?? EntityMap()
    for id in map.keys { if let v = map[id] { body(id, v) } }
  }
}
