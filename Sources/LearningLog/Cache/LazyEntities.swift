import Dispatch

/// The undecoded entities of one kind in a snapshot: an id index and a decoder.
///
/// Immutable once made; the bytes it reads are checked block by block as they are first used
/// (``SnapshotBacking``), and a damaged block makes the backing replay the log instead.
final class LazyEntities<Value: Sendable>: EntitySource {
  typealias Decode = @Sendable (inout BinaryReader) throws(SnapshotFormatError) -> (String, Value)
  let backing: SnapshotBacking
  let section: SnapshotSection
  let decode: Decode
  /// A decoder of the same records for listings: a summary with its long text (an incident's
  /// what happened) left empty, the text's UTF-8 bytes handed to the closure instead.
  typealias LeanDecode =
    @Sendable (
      inout BinaryReader, (UnsafeRawBufferPointer) -> Void
    ) throws(SnapshotFormatError) -> (String, Value)
  /// A cheaper decoder of the same records, for ``summary(_:)`` (``decode`` when nil).
  let summaryDecode: Decode?
  /// The listing decoder, when the kind has a long text.
  let leanDecode: LeanDecode?
  /// A decoder of what orders the records, every text left empty (``decode`` when nil).
  let keysDecode: Decode?
  /// The same kind's entities in a state replayed after damage.
  let recovered: @Sendable (LearningState) -> EntityMap<Value>

  init(
    backing: SnapshotBacking, section: SnapshotSection, decode: @escaping Decode,
    summary: Decode? = nil, lean: LeanDecode? = nil, keys: Decode? = nil,
    recovered: @escaping @Sendable (LearningState) -> EntityMap<Value>
  ) {
    self.keysDecode = keys
    self.backing = backing
    self.section = section
    self.decode = decode
    self.summaryDecode = summary
    self.leanDecode = lean
    self.recovered = recovered
  }

  /// How many entities the section holds.
  var count: Int { section.count }

  /// The replayed entities, once damage made the backing replay the log.
  private func fallback() -> EntityMap<Value>? {
    // The flag first: it is read without a lock or any generic work, on every read.
    guard backing.isReplayed, let s = backing.recoveredState() else { return nil }
    return recovered(s)
  }

  /// What `fromSnapshot` reads; after damage (met now or before) what `fromReplay` reads from
  /// the entities of the replayed log (``SnapshotBacking/read(_:else:)``).
  private func read<R>(
    _ fromSnapshot: () throws(SnapshotFormatError) -> R, else fromReplay: (EntityMap<Value>) -> R
  ) -> R {
    backing.read(fromSnapshot) { fromReplay(recovered($0)) }
  }

  /// Whether `id` is in the section (a binary search of the index; nothing decoded).
  func contains(_ id: String) -> Bool {
    read({ () throws(SnapshotFormatError) in try backing.find(id, in: section) != nil }) {
      $0.contains(id)
    }
  }

  /// The entity `id`, decoded now.
  func value(_ id: String) -> Value? { value(id, decodedBy: decode) }

  /// The entity `id` decoded by the summary decoder.
  func summary(_ id: String) -> Value? { value(id, decodedBy: summaryDecode ?? decode) }

  /// Walks every record decoded whole (see ``walkAll(decodedBy:_:)``).
  func walkValues(_ body: (String, Value) -> Bool) -> Bool {
    walkAll(decodedBy: decode, body)
  }

  /// Walks every record decoded by the summary decoder (see ``walkAll(decodedBy:_:)``).
  func walkSummaries(_ body: (String, Value) -> Bool) -> Bool {
    walkAll(decodedBy: summaryDecode ?? decode, body)
  }

  /// Walks every record decoded by the listing decoder on both cores: the records are cut in
  /// two near the middle of their bytes and each half is decoded by a thread of its own, which
  /// hands each long text's bytes to `text` and the summary with that answer to `keep` (each
  /// with that thread's scratch buffer); `body` then gets, on this thread and in written
  /// order, every record's id, the summary when `keep` kept it, and the record's place.
  ///
  /// This thread walks the first half, calling `body` as it goes, while the other walks the
  /// second and keeps what it judged until the first half is done. False at once when the
  /// kind has no listing decoder, and when `body` stopped the walk or damage was met (the
  /// backing has then replayed the log: read by id).
  func walkSummaries(
    text: @escaping @Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Bool,
    keeping keep: @escaping @Sendable (Value, Bool, inout [UInt8]) -> Bool,
    _ body: (String, Value?, Int) -> Bool
  ) -> Bool {
    guard let lean = leanDecode, fallback() == nil else { return false }
    let (start, end, n) = (section.records, section.index, section.count)
    let backing = backing
    /// Walks the `count` records from `from`, each judged, handing each to `visit` until it
    /// returns false; returns where the walk stopped.
    @Sendable func judge(
      from: Int, count: Int, scratch: inout [UInt8],
      _ visit: (String, Value?, Int) -> Bool
    ) throws(SnapshotFormatError) -> Int {
      var position = from
      for k in 0..<count {
        var r = try backing.record(at: position, before: end)
        var matched = false
        let (id, v) = try lean(&r) { matched = text($0, &scratch) }
        let kept = keep(v, matched, &scratch)
        guard visit(id, kept ? v : nil, position) else { return position }
        position = r.end
        if k & 4095 == 4095 { backing.release(from..<position) }
      }
      return position
    }
    do {
      try backing.check(start..<end)
      // The first record starting at or past the middle of the bytes.
      var (middle, firstCount) = (start, 0)
      while middle < start + (end - start) / 2, firstCount < n {
        middle = try backing.record(at: middle, before: end).end
        firstCount += 1
      }
      let second = JudgedHalf<Value>()
      let group = DispatchGroup()
      let (from, count) = (middle, n - firstCount)
      DispatchQueue.global(qos: .userInitiated).async(group: group) {
        var scratch: [UInt8] = []
        second.judged.reserveCapacity(count)
        do throws(SnapshotFormatError) {
          second.end = try judge(from: from, count: count, scratch: &scratch) { id, v, record in
            second.judged.append((id, v, record))
            return true
          }
        } catch {
          second.failure = error
        }
      }
      defer { group.wait() }
      var scratch: [UInt8] = []
      var stopped = false
      let firstEnd = try judge(from: start, count: firstCount, scratch: &scratch) {
        if body($0, $1, $2) { return true }
        stopped = true
        return false
      }
      if stopped { return false }
      guard firstEnd == middle else {
        throw SnapshotFormatError("records do not fill their section")
      }
      group.wait()
      if let failure = second.failure { throw failure }
      guard second.end == end else {
        throw SnapshotFormatError("records do not fill their section")
      }
      for j in second.judged where !body(j.id, j.kept, j.record) { return false }
      return true
    } catch {
      _ = backing.recover()
      return false
    }
  }

  /// ``walkAll(decodedBy:_:)`` with the place of each record (for ``value(_:atRecord:)``).
  private func walkPlaced(
    decodedBy decoder: (inout BinaryReader) throws(SnapshotFormatError) -> (String, Value),
    _ body: (String, Value, Int) -> Bool
  ) -> Bool {
    var record = 0
    return walkAll(
      decodedBy: { r throws(SnapshotFormatError) in
        // A record's bytes follow its four-byte length.
        record = r.position - 4
        return try decoder(&r)
      }
    ) { id, v in body(id, v, record) }
  }

  /// Walks every record decoded by the keys decoder, each with the place of its record (for
  /// ``value(_:atRecord:)``); see ``walkAll(decodedBy:_:)``.
  func walkKeys(_ body: (String, Value, Int) -> Bool) -> Bool {
    walkPlaced(decodedBy: keysDecode ?? decode, body)
  }

  /// The entity `id` decoded from the record at `record` (as ``walkSummaries(text:keeping:_:)``
  /// reported it): no index search; the record must hold `id` (else read by id).
  func value(_ id: String, atRecord record: Int) -> Value? {
    read({ () throws(SnapshotFormatError) -> Value? in
      guard record >= section.records, record < section.index else { return value(id) }
      // A place comes from a walk, which checked the section's blocks before its first record.
      var r = try backing.record(at: record, before: section.index)
      let (decodedID, v) = try decode(&r)
      guard decodedID == id else { return value(id) }
      return v
    }) { $0[id] }
  }

  /// What `body` reads from the record at `record` (as a walk reported it), its bytes read in
  /// place; nil when the section was replayed after damage, the place is not a record of the
  /// section, `body` says it holds another entity (nil), or the record is damaged (read by id
  /// then).
  func read<R>(
    atRecord record: Int, _ body: (inout BinaryReader) throws(SnapshotFormatError) -> R?
  ) -> R? {
    guard fallback() == nil, record >= section.records, record < section.index else {
      return nil
    }
    do {
      // A place comes from a walk, which checked the section's blocks before its first record.
      var r = try backing.record(at: record, before: section.index)
      return try body(&r)
    } catch {
      _ = backing.recover()
      return nil
    }
  }

  func withIncidentJSONFields<R>(
    _ id: String, atRecord record: Int, _ body: (IncidentJSONFields, Incident) -> R
  ) -> R? {
    // Only a section of incidents holds incident records.
    guard Value.self == Incident.self else { return nil }
    return read(atRecord: record) { r throws(SnapshotFormatError) -> R? in
      guard let (fields, incident) = try StateCoding.incidentJSONFields(&r, id: id) else {
        return nil
      }
      return body(fields, incident)
    }
  }

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
  func walk<T>(
    _ decoder: (inout BinaryReader) throws(SnapshotFormatError) -> (String, T),
    _ body: (String, T) throws(SnapshotFormatError) -> Void
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
  func walkAll<T>(
    decodedBy decoder: (inout BinaryReader) throws(SnapshotFormatError) -> (String, T),
    _ body: (String, T) -> Bool
  ) -> Bool {
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

/// What the second thread of ``LazyEntities/walkSummaries(text:keeping:_:)`` judged: written
/// by that thread only, read once it is waited for.
private final class JudgedHalf<Value>: @unchecked Sendable {
  var judged: [(id: String, kept: Value?, record: Int)] = []
  var end = 0
  var failure: SnapshotFormatError?
}

/// Packed applied ids kept in a snapshot, read on first use.
final class LazyWords: WordSource {
  let backing: SnapshotBacking
  /// Absolute offset and number of words.
  let offset: Int
  let count: Int

  init(backing: SnapshotBacking, offset: Int, count: Int) {
    self.backing = backing
    self.offset = offset
    self.count = count
  }

  /// The words, checked as they are read; throws on damage.
  func decode() throws(SnapshotFormatError) -> [UInt64] {
    let r = try backing.reader(at: offset, count: count * 8)
    return [UInt64](unsafeUninitializedCapacity: count) { buf, n in
      UnsafeMutableRawBufferPointer(buf).copyMemory(
        from: UnsafeRawBufferPointer(start: r.base + offset, count: count * 8))
      n = count
    }
  }

  /// The words, checked as they are read; after damage, the replayed log's.
  func load() -> [UInt64] {
    backing.read({ () throws(SnapshotFormatError) in try decode() }) {
      $0.appliedIDs.packedWords()
    }
  }
}

extension LearningState {
  /// The snapshot a lazy open reads its entities from, if any.
  var backing: SnapshotBacking? { source as? SnapshotBacking }
}
