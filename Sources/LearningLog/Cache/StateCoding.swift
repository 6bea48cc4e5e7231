import Foundation

/// The binary form of a ``LearningState`` kept in the snapshot cache.
///
/// Private notes are never written: the snapshot holds shared state only.
enum StateCoding {
  /// Bytes a lazy block covers; each has its own sum, checked on first read.
  static let blockSize = 64 << 10

  /// Writes the head of `s` into `w` and returns the lazy region that follows it.
  ///
  /// The head: the block size and sums of the lazy region, the shared strings its records
  /// refer to, where each lazy section is (offsets from the region's start), then everything
  /// decoded at every open (``encodeHead(_:into:)``).
  static func encode(
    _ s: LearningState, head w: inout BinaryWriter, capacity: Int = 1 << 20
  ) throws(SnapshotFormatError) -> [UInt8] {
    guard let lazy = encodeLazy(s, capacity: capacity, sink: nil) else {
      throw SnapshotFormatError("the lazy region could not be encoded")
    }
    let sums = LazyRegionSink(blockSize: blockSize) { _, _ in }
    lazy.bytes.withUnsafeBytes { sums.append($0) }
    sums.finish()
    try encodeHead(lazy, sums: sums.sums, s, into: &w)
    return lazy.bytes
  }

  /// ``encode(_:head:capacity:)`` with the lazy region handed to `sink` as it is encoded, a
  /// piece of about `spill` bytes at a time, never held whole; false (and `sink` to be thrown
  /// away) when it cannot be (the state's orders miss an entity, which they never should):
  /// encode it in memory then.
  static func encode(
    _ s: LearningState, head w: inout BinaryWriter, sink: LazyRegionSink, spill: Int = 4 << 20
  ) throws(SnapshotFormatError) -> Bool {
    guard let lazy = encodeLazy(s, capacity: spill + (1 << 20), sink: sink, spill: spill) else {
      return false
    }
    lazy.bytes.withUnsafeBytes { sink.append($0) }
    sink.finish()
    try encodeHead(lazy, sums: sink.sums, s, into: &w)
    return true
  }

  /// The head of `s` after its lazy region `lazy` was encoded, with the sums of its blocks.
  private static func encodeHead(
    _ lazy: LazyRegion, sums: [UInt64], _ s: LearningState, into w: inout BinaryWriter
  ) throws(SnapshotFormatError) {
    w.uint(UInt64(blockSize))
    w.uint(UInt64(sums.count))
    for sum in sums { w.fixed64(sum) }
    w.uint(UInt64(lazy.strings.count))
    for t in lazy.strings { w.string(t) }
    for section in [lazy.incidents, lazy.actions, lazy.byIncident] {
      w.uint(UInt64(section.count))
      w.uint(UInt64(section.records))
      w.uint(UInt64(section.index))
    }
    w.uint(UInt64(lazy.applied.words))
    w.uint(UInt64(lazy.applied.offset))
    for blob in lazy.deferred {
      w.uint(UInt64(blob.offset))
      w.uint(UInt64(blob.length))
    }
    try encodeHead(s, into: &w)
  }

  /// Where a lazy region goes while it is encoded: its pieces handed to `write` in order with
  /// their offset in the region, the sum of each block worked out on the way.
  final class LazyRegionSink {
    let blockSize: Int
    /// How many bytes were handed over.
    private(set) var count = 0
    /// The sum of each block of ``blockSize`` bytes (the last one shorter), once finished.
    private(set) var sums: [UInt64] = []
    /// The first error `write` threw; nothing is handed over after it.
    private(set) var failure: (any Error)?
    /// The bytes of a block not yet whole.
    private var pending: [UInt8] = []
    private let write: (UnsafeRawBufferPointer, Int) throws -> Void

    init(blockSize: Int, write: @escaping (UnsafeRawBufferPointer, Int) throws -> Void) {
      self.blockSize = blockSize
      self.write = write
    }

    /// Hands `bytes`, the next piece of the region, over.
    func append(_ bytes: UnsafeRawBufferPointer) {
      guard failure == nil, !bytes.isEmpty else { return }
      do {
        try write(bytes, count)
      } catch {
        failure = error
        return
      }
      count += bytes.count
      var i = 0
      if !pending.isEmpty {
        i = min(blockSize - pending.count, bytes.count)
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<i]))
        if pending.count == blockSize {
          sums.append(FastHash.hash(pending))
          pending.removeAll(keepingCapacity: true)
        }
      }
      while i + blockSize <= bytes.count {
        sums.append(FastHash.hash(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + blockSize)])))
        i += blockSize
      }
      if i < bytes.count {
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i...]))
      }
    }

    /// Sums the last block, shorter than the others.
    func finish() {
      if !pending.isEmpty { sums.append(FastHash.hash(pending)) }
      pending = []
    }
  }

  /// Decodes a state from a head read by `r` and the lazy region at `lazyStart` of `storage`.
  ///
  /// With `lazy`, incidents, actions, the action index and the applied ids stay in the
  /// snapshot and decode on use (``SnapshotBacking``); without it every block is checked and
  /// every entity decoded now, and any damage throws.
  static func decode(
    _ r: inout BinaryReader, storage: SnapshotBacking.Storage, lazyStart: Int, lazy: Bool,
    trustBlocks: Bool = false, replay: SnapshotBacking.ReplayBox, policy: PolicySettings
  ) throws(SnapshotFormatError) -> LearningState {
    let blockSize = Int(try r.uint() & 0x3FFF_FFFF)
    let blocks = try r.count()
    var sums: [UInt64] = []
    sums.reserveCapacity(blocks)
    for _ in 0..<blocks { sums.append(try r.fixed64()) }
    let nStrings = try r.count()
    var table: [String] = []
    table.reserveCapacity(nStrings)
    for _ in 0..<nStrings { table.append(try r.string()) }
    let backing = try SnapshotBacking(
      storage: storage, lazyStart: lazyStart, blockSize: blockSize, blockSums: sums, table: table,
      replayPrefix: replay)
    if trustBlocks { backing.trustAll() }
    var sections: [SnapshotSection] = []
    // Numbers that point into the lazy region, checked against its size (not the head's).
    let region = UInt64(backing.size - lazyStart)
    for _ in 0..<3 {
      let count = try r.uint()
      let records = try r.uint()
      let index = try r.uint()
      guard records <= index, index <= region,
        count <= (region - index) / UInt64(SnapshotSection.entrySize)
      else { throw SnapshotFormatError("section index out of range") }
      sections.append(
        SnapshotSection(
          count: Int(count), records: lazyStart + Int(records), index: lazyStart + Int(index)))
    }
    let words = try r.uint()
    let appliedOffset = try r.uint()
    guard appliedOffset <= region, words <= (region - appliedOffset) / 8 else {
      throw SnapshotFormatError("applied ids out of range")
    }
    let appliedAt = lazyStart + Int(appliedOffset)
    var places: [(offset: Int, length: Int)] = []
    for _ in 0..<4 {
      let offset = try r.uint()
      let length = try r.uint()
      guard offset <= region, length <= region - offset else {
        throw SnapshotFormatError("a deferred field out of range")
      }
      places.append((lazyStart + Int(offset), Int(length)))
    }
    let fields = DeferredDecode(backing: backing, places: places)
    var s = LearningState(policy: policy)
    try decodeHead(&r, into: &s)
    let incidents = LazyEntities(
      backing: backing, section: sections[0], decode: incidentRecord, summary: incidentHeader,
      lean: incidentLean, keys: incidentKeys,
      recovered: { $0.incidents })
    let actions = LazyEntities(
      backing: backing, section: sections[1], decode: actionRecord, keys: actionKeys,
      recovered: { $0.actions })
    let byIncident = LazyEntities(
      backing: backing, section: sections[2], decode: byIncidentRecord,
      recovered: { $0.actionsByIncident })
    let applied = LazyWords(backing: backing, offset: appliedAt, count: Int(words))
    if lazy {
      s.incidents = EntityMap(base: incidents)
      s.actions = EntityMap(base: actions)
      s.actionsByIncident = EntityMap(base: byIncident)
      s.appliedIDs.base = applied
      s.deferred = fields.deferred()
      s.source = backing
    } else {
      // Incidents on this thread; actions, the action index and the applied ids on another
      // (each section's blocks checked by the thread that decodes it), then every block.
      let other = EagerDecode(
        actions: actions, byIncident: byIncident, applied: applied, fields: fields)
      let done = DispatchSemaphore(value: 0)
      let thread = Thread {
        other.run()
        done.signal()
      }
      thread.stackSize = 1 << 20
      thread.start()
      // (Splitting the incidents between the two threads was measured slower: the threads
      // then contend for the allocator.)
      let decodedIncidents: Result<[String: Incident], SnapshotFormatError>
      do {
        decodedIncidents = .success(try incidents.decodeAll())
      } catch {
        decodedIncidents = .failure(error)
      }
      done.wait()
      s.incidents.stored = try decodedIncidents.get()
      let (a, b, w) = try other.result()
      s.actions.stored = a
      s.actionsByIncident.stored = b
      s.appliedIDs.packed = w
      try other.fieldsResult().store(in: &s)
      try backing.checkAll()
    }
    return s
  }

  /// The second thread of an eager decode: actions, the action index and the applied ids.
  final class EagerDecode: @unchecked Sendable {
    let actions: LazyEntities<Action>
    let byIncident: LazyEntities<[String]>
    let applied: LazyWords
    let fields: DeferredDecode
    /// Written by the decoding thread before it signals, read after the wait.
    private var outcome:
      Result<([String: Action], [String: [String]], [UInt64]), SnapshotFormatError> =
        .failure(SnapshotFormatError("not decoded"))
    private var fieldsOutcome: Result<DeferredDecode.Values, SnapshotFormatError> =
      .failure(SnapshotFormatError("not decoded"))

    init(
      actions: LazyEntities<Action>, byIncident: LazyEntities<[String]>, applied: LazyWords,
      fields: DeferredDecode
    ) {
      self.actions = actions
      self.byIncident = byIncident
      self.applied = applied
      self.fields = fields
    }

    func run() {
      do {
        outcome = .success(
          (try actions.decodeAll(), try byIncident.decodeAll(), try applied.decode()))
        fieldsOutcome = .success(try fields.decodeAll())
      } catch {
        outcome = .failure(error)
      }
    }

    func result() throws(SnapshotFormatError) -> ([String: Action], [String: [String]], [UInt64]) {
      try outcome.get()
    }

    func fieldsResult() throws(SnapshotFormatError) -> DeferredDecode.Values {
      try fieldsOutcome.get()
    }
  }

  /// The fields of the lazy region a lazy open leaves to first use (``DeferredFields``): where
  /// each is, and how it is read.
  struct DeferredDecode: Sendable {
    let backing: SnapshotBacking
    /// Tombstones, incident order, action order, pattern index: absolute offset and length.
    let places: [(offset: Int, length: Int)]

    /// The four fields at once.
    struct Values {
      var tombstones: Set<String>
      var incidentOrder: [String]
      var actionOrder: [String]
      var incidentsByPatternKey: [String: Set<String>]

      func store(in s: inout LearningState) {
        s._tombstones = tombstones
        s._incidentOrder = incidentOrder
        s._actionOrder = actionOrder
        s._incidentsByPatternKey = incidentsByPatternKey
      }
    }

    /// The field at `place`, read by `body`, which must read it to its end; throws on damage.
    func read<V>(
      _ place: Int, _ body: (inout BinaryReader) throws(SnapshotFormatError) -> V
    ) throws(SnapshotFormatError) -> V {
      let (offset, length) = places[place]
      var r = try backing.reader(at: offset, count: length)
      let v = try body(&r)
      guard r.position == offset + length else {
        throw SnapshotFormatError("a deferred field has trailing bytes")
      }
      return v
    }

    /// How each field is read: plain strings, and the pattern index.
    typealias Body<V> = @Sendable (inout BinaryReader) throws(SnapshotFormatError) -> V
    static let strings: Body<[String]> = { r throws(SnapshotFormatError) in try r.plainStrings() }
    static let stringSet: Body<Set<String>> = { r throws(SnapshotFormatError) in
      Set(try r.plainStrings())
    }
    static let patternIndex: Body<[String: Set<String>]> = { r throws(SnapshotFormatError) in
      try StateCoding.decodePatternIndex(&r)
    }

    func decodeAll() throws(SnapshotFormatError) -> Values {
      Values(
        tombstones: try read(0, Self.stringSet), incidentOrder: try read(1, Self.strings),
        actionOrder: try read(2, Self.strings),
        incidentsByPatternKey: try read(3, Self.patternIndex))
    }

    /// A field made on first use, read by ``SnapshotBacking/read(_:else:)``: from the snapshot,
    /// or after damage from the replayed log.
    private func later<V: Sendable>(
      _ place: Int, _ body: @escaping Body<V>,
      recovered: @escaping @Sendable (LearningState) -> V
    ) -> Deferred<V> {
      let me = self
      return Deferred {
        me.backing.read(
          { () throws(SnapshotFormatError) in try me.read(place, body) }, else: recovered)
      }
    }

    /// The ids under one key of the deferred pattern index, read by
    /// ``SnapshotBacking/read(_:else:)`` without decoding the other keys.
    private func patternKey() -> @Sendable (String) -> Set<String>? {
      let me = self
      return { key in
        me.backing.read(
          { () throws(SnapshotFormatError) in
            try me.read(3) { r throws(SnapshotFormatError) in
              try StateCoding.decodePatternKey(key, &r)
            }
          }, else: { $0.incidentsByPatternKey[key] })
      }
    }

    /// Each field as a ``Deferred``, for a lazy state.
    func deferred() -> DeferredFields {
      DeferredFields(
        tombstones: later(0, Self.stringSet) { $0.tombstones },
        incidentOrder: later(1, Self.strings) { $0.incidentOrder },
        actionOrder: later(2, Self.strings) { $0.actionOrder },
        incidentsByPatternKey: later(3, Self.patternIndex) { $0.incidentsByPatternKey },
        patternKey: patternKey(), places: places)
    }
  }

  /// A state as one image, `[head length][head][lazy region]`: what a snapshot holds after its
  /// ties, for tests and fuzzing.
  static func image(_ s: LearningState) throws(SnapshotFormatError) -> [UInt8] {
    var head = BinaryWriter()
    let lazy = try encode(s, head: &head)
    var out = BinaryWriter()
    out.fixed64(UInt64(head.bytes.count))
    out.raw(head.bytes)
    out.raw(lazy)
    return out.bytes
  }

  /// Decodes an ``image(_:)`` eagerly; `trustBlocks` skips the block sums (to fuzz deeper).
  static func decodeImage(_ bytes: UnsafeRawBufferPointer, trustBlocks: Bool = false)
    throws(SnapshotFormatError) -> LearningState
  {
    var r = try BinaryReader(bytes)
    let headLength = try r.fixed64()
    guard headLength <= UInt64(bytes.count - 8) else { throw SnapshotFormatError("head too long") }
    let lazyStart = 8 + Int(headLength)
    var head = try BinaryReader(UnsafeRawBufferPointer(rebasing: bytes[0..<lazyStart]), from: 8)
    let storage = SnapshotBacking.Storage(copying: bytes)
    let s = try decode(
      &head, storage: storage, lazyStart: lazyStart, lazy: false, trustBlocks: trustBlocks,
      replay: SnapshotBacking.ReplayBox { .failure(.io("no log to replay")) },
      policy: PolicySettings())
    guard head.isAtEnd else { throw SnapshotFormatError("the head has trailing bytes") }
    return s
  }

  /// The sections of a snapshot that are read on demand, and where each one is.
  struct LazyRegion {
    var bytes: [UInt8]
    var strings: [String]
    var incidents: (count: Int, records: Int, index: Int)
    var actions: (count: Int, records: Int, index: Int)
    var byIncident: (count: Int, records: Int, index: Int)
    var applied: (words: Int, offset: Int)
    /// Where each field left to first use is: tombstones, the incident and action orders, the
    /// pattern index (``DeferredFields``).
    var deferred: [(offset: Int, length: Int)]
  }

  /// Encodes the large parts of `s`: incidents, actions and the action index, each as records
  /// sorted by id with a fixed-width index after them, then the applied ids.
  ///
  /// Offsets are from the start of the region; shared strings are numbers into ``LazyRegion/strings``.
  ///
  /// `capacity` is reserved up front (a guess at the size, such as the log's): memory reserved
  /// and never written costs nothing, while growing a buffer of a hundred megabytes copies it
  /// and briefly holds both.
  ///
  /// With a `sink`, what is encoded is handed to it whenever `spill` bytes or more are waiting
  /// (between records), and the region's ``LazyRegion/bytes`` are only what is left at the end;
  /// nil when a section had to start again after some of it was handed over.
  static func encodeLazy(
    _ s: LearningState, capacity: Int = 1 << 20, sink: LazyRegionSink? = nil,
    spill: Int = 4 << 20
  ) -> LazyRegion? {
    var w = BinaryWriter(capacity: capacity)
    w.refsOnly = true
    // How many bytes were handed to the sink: offsets in the region are `base` + the buffer's.
    var base = 0
    var restartedAfterSpill = false
    func spillIfDue() {
      guard let sink, w.bytes.count >= spill else { return }
      w.bytes.withUnsafeBytes { sink.append($0) }
      base += w.bytes.count
      w.bytes.removeAll(keepingCapacity: true)
    }
    // Records in `order` (creation order, so a walk of the records is one too), then any
    // entity the order misses; the index after them sorted as it is searched: the 16-byte
    // zero-padded key in byte order, then the id.
    func section<V>(
      _ map: EntityMap<V>, order: [String], _ body: (String, V, inout BinaryWriter) -> Void
    ) -> (count: Int, records: Int, index: Int) {
      var entries: [(key: StateCoding.SortKey, id: String, offset: Int, length: Int)] = []
      entries.reserveCapacity(map.count)
      let records = base + w.bytes.count
      func emit(_ id: String, _ v: V) {
        // A record: its length (4 bytes), then the id and the entity.
        let slot = w.bytes.count
        w.bytes.append(contentsOf: [0, 0, 0, 0])
        let start = w.bytes.count
        w.string(id)
        body(id, v, &w)
        let length = w.bytes.count - start
        withUnsafeBytes(of: UInt32(length).littleEndian) { b in
          for i in 0..<4 { w.bytes[slot + i] = b[i] }
        }
        entries.append((sortKey(id), id, base + start, length))
        spillIfDue()
      }
      for id in order { if let v = map[id] { emit(id, v) } }
      if entries.count != map.count {
        // The order misses an entity or names one twice (it never should): start again,
        // each id once, those the order misses last (not once part of it was handed over).
        guard base <= records else {
          restartedAfterSpill = true
          return (0, 0, 0)
        }
        w.bytes.removeSubrange((records - base)...)
        entries.removeAll(keepingCapacity: true)
        var written = Set<String>()
        for id in order where written.insert(id).inserted { if let v = map[id] { emit(id, v) } }
        for (id, v) in map where written.insert(id).inserted { emit(id, v) }
      }
      entries.sort { a, b in a.key != b.key ? a.key < b.key : a.id < b.id }
      let index = base + w.bytes.count
      for e in entries {
        var k = key(e.id)
        k.append(contentsOf: repeatElement(0, count: SnapshotSection.keySize - k.count))
        w.bytes.append(contentsOf: k)
        withUnsafeBytes(of: UInt32(e.id.utf8.count).littleEndian) { w.bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(e.length).littleEndian) { w.bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt64(e.offset).littleEndian) { w.bytes.append(contentsOf: $0) }
        spillIfDue()
      }
      return (entries.count, records, index)
    }
    let incidents = section(s.incidents, order: s.incidentOrder) { _, inc, w in
      encodeIncident(inc, &w)
    }
    let actions = section(s.actions, order: s.actionOrder) { _, a, w in encodeAction(a, &w) }
    let byIncident = section(s.actionsByIncident, order: s.incidentOrder) { _, ids, w in
      w.plainStrings(ids)
    }
    if restartedAfterSpill { return nil }
    let applied = s.appliedIDs.packedWords()
    let appliedAt = base + w.bytes.count
    applied.withUnsafeBytes { w.bytes.append(contentsOf: $0) }
    spillIfDue()
    // The fields a lazy open leaves to first use, each in plain strings (no shared-string
    // numbers: each is read on its own).
    func blob(_ body: (inout BinaryWriter) -> Void) -> (offset: Int, length: Int) {
      let start = base + w.bytes.count
      body(&w)
      let place = (start, base + w.bytes.count - start)
      spillIfDue()
      return place
    }
    let deferred = [
      blob { $0.plainStrings(Array(s.tombstones)) },
      blob { $0.plainStrings(s.incidentOrder) },
      blob { $0.plainStrings(s.actionOrder) },
      blob { w in
        w.uint(UInt64(s.incidentsByPatternKey.count))
        for (key, ids) in s.incidentsByPatternKey {
          w.string(key)
          w.plainStrings(Array(ids))
        }
      },
    ]
    return LazyRegion(
      bytes: w.bytes, strings: w.strings, incidents: incidents, actions: actions,
      byIncident: byIncident, applied: (applied.count, appliedAt), deferred: deferred)
  }

  /// The index key of `id`: its first 16 bytes.
  static func key(_ id: String) -> [UInt8] { Array(id.utf8.prefix(SnapshotSection.keySize)) }

  /// The zero-padded 16-byte key of `id` as two big-endian words: comparing them compares bytes.
  static func sortKey(_ id: String) -> SortKey {
    var hi: UInt64 = 0
    var lo: UInt64 = 0
    for (i, b) in id.utf8.prefix(SnapshotSection.keySize).enumerated() {
      if i < 8 {
        hi |= UInt64(b) << UInt64(56 - 8 * i)
      } else {
        lo |= UInt64(b) << UInt64(56 - 8 * (i - 8))
      }
    }
    return SortKey(hi: hi, lo: lo)
  }

  /// Two words compared in order.
  struct SortKey: Comparable {
    var hi: UInt64
    var lo: UInt64
    static func < (a: SortKey, b: SortKey) -> Bool { a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo }
  }

  /// Encodes what is decoded at every open: the small kinds, orders, indexes and bookkeeping.
  static func encodeHead(_ s: LearningState, into w: inout BinaryWriter) throws(SnapshotFormatError)
  {
    w.uint(UInt64(s.experiments.count))
    for e in s.experiments.values {
      w.shared(e.id)
      w.optionalString(e.incident)
      w.optionalString(e.pattern)
      w.string(e.hypothesis)
      w.string(e.change)
      w.string(e.criteria)
      w.day(e.check)
      w.string(e.result)
      w.bool(e.decision != nil)
      if let d = e.decision { w.choice(d) }
      w.shared(e.createdBy)
      w.int64(e.createdAt)
    }
    w.uint(UInt64(s.lessons.count))
    for l in s.lessons.values {
      w.shared(l.id)
      w.string(l.text)
      w.strings(l.incidents)
      w.strings(l.teams)
      w.strings(l.tags)
      w.strings(l.patterns)
      w.day(l.revalidate)
      w.day(l.revalidated)
      w.shared(l.author)
      w.int64(l.createdAt)
    }
    w.uint(UInt64(s.templateRevisions.count))
    for (name, revs) in s.templateRevisions {
      w.shared(name)
      w.uint(UInt64(revs.count))
      for r in revs {
        w.int(r.number)
        w.shared(r.template.name)
        w.string(r.template.title)
        w.uint(UInt64(r.template.questions.count))
        for q in r.template.questions {
          w.shared(q.key)
          w.string(q.prompt)
          w.choice(q.kind)
          w.strings(q.choices)
        }
        w.int64(r.at)
        w.shared(r.by)
        w.shared(r.team)
        w.shared(r.because)
      }
    }
    w.strings(s.experimentOrder)
    w.strings(s.lessonOrder)
    w.strings(s.templateOrder)
    let held = s.pending.values.flatMap { $0 }
    w.uint(UInt64(held.count))
    for r in held {
      do {
        var line = try RecordCodec.encode(r)
        line.removeLast()
        w.uint(UInt64(line.count))
        w.raw(line)
      } catch {
        throw SnapshotFormatError("a held record cannot be encoded: \(error)")
      }
    }
    w.uint(UInt64(s.decodeProblems.count))
    for p in s.decodeProblems { w.string(p) }
    w.uint(UInt64(s.unknownTypes.count))
    for (t, n) in s.unknownTypes {
      w.string(t)
      w.int(n)
    }
    w.uint(UInt64(s.appliedIDs.other.count))
    for o in s.appliedIDs.other { w.string(o) }
    w.bool(s.lastClock != nil)
    if let c = s.lastClock {
      w.int64(c.wall)
      w.int64(Int64(c.logical))
    }
    w.string(s.lastWriter)
    w.string(s.lastID.rawValue)
    encodeFollowUp(s, into: &w)
  }

  /// Encodes contributing factors, timeline entries and checklists, each in creation order.
  static func encodeFollowUp(_ s: LearningState, into w: inout BinaryWriter) {
    let factors = s.factorOrder.compactMap { s.factors[$0] }
    w.uint(UInt64(factors.count))
    for f in factors {
      w.shared(f.id)
      w.shared(f.incident)
      w.string(f.text)
      w.choice(f.gap)
      w.int64(f.at)
      w.shared(f.by)
    }
    let entries = s.timelineOrder.compactMap { s.timelineEntries[$0] }
    w.uint(UInt64(entries.count))
    for e in entries {
      w.shared(e.id)
      w.shared(e.incident)
      w.int64(e.time)
      w.choice(e.kind)
      w.string(e.text)
      w.string(e.link)
      w.int64(e.at)
      w.shared(e.by)
    }
    let lists = s.checklistOrder.compactMap { s.checklists[$0] }
    w.uint(UInt64(lists.count))
    for c in lists {
      w.shared(c.name)
      w.choice(c.kind)
      w.shared(c.team)
      w.uint(UInt64(c.revisions.count))
      for r in c.revisions {
        w.int(r.number)
        w.strings(r.items)
        w.strings(r.added)
        w.strings(r.removed)
        w.shared(r.because)
        w.int64(r.at)
        w.shared(r.by)
      }
    }
    let schedules = s.reviewScheduleList
    w.uint(UInt64(schedules.count))
    for c in schedules {
      w.shared(c.incident)
      w.int(c.on.ordinal)
      w.shared(c.facilitator)
      w.strings(c.participants)
      w.int64(c.at)
      w.shared(c.by)
    }
    let wins = s.winList
    w.uint(UInt64(wins.count))
    for v in wins {
      w.shared(v.id)
      w.string(v.title)
      w.shared(v.team)
      w.strings(v.people)
      w.int64(v.at)
      w.shared(v.by)
    }
  }

  /// Decodes what ``encodeFollowUp(_:into:)`` wrote into `s`.
  static func decodeFollowUp(_ r: inout BinaryReader, into s: inout LearningState)
    throws(SnapshotFormatError)
  {
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let incident = try r.shared()
      let text = try r.string()
      let gap = try r.choice(FactorGap.self)
      let at = try r.int64()
      let by = try r.shared()
      s.factors[id] = ContributingFactor(
        id: id, incident: incident, text: text, gap: gap, at: at, by: by)
      s.factorOrder.append(id)
      s.factorsByIncident[incident, default: []].append(id)
    }
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let incident = try r.shared()
      let time = try r.int64()
      let kind = try r.choice(TimelineKind.self)
      let text = try r.string()
      let link = try r.string()
      let at = try r.int64()
      let by = try r.shared()
      s.timelineEntries[id] = TimelineEntry(
        id: id, incident: incident, time: time, kind: kind, text: text, link: link, at: at,
        by: by)
      s.timelineOrder.append(id)
      s.timelineByIncident[incident, default: []].append(id)
    }
    for _ in 0..<(try r.count()) {
      let name = try r.shared()
      let kind = try r.choice(ChecklistKind.self)
      let team = try r.shared()
      var revisions: [ChecklistRevision] = []
      for _ in 0..<(try r.count()) {
        let number = try r.int()
        let items = try r.strings()
        let added = try r.strings()
        let removed = try r.strings()
        let because = try r.shared()
        let at = try r.int64()
        let by = try r.shared()
        revisions.append(
          ChecklistRevision(
            number: number, items: items, added: added, removed: removed, because: because,
            at: at, by: by))
      }
      s.checklists[name] = Checklist(name: name, kind: kind, team: team, revisions: revisions)
      s.checklistOrder.append(name)
    }
    for _ in 0..<(try r.count()) {
      let incident = try r.shared()
      let on = Day(ordinal: try r.int())
      let facilitator = try r.shared()
      let participants = try r.strings()
      let at = try r.int64()
      let by = try r.shared()
      s.reviewSchedules[incident] = ReviewSchedule(
        incident: incident, on: on, facilitator: facilitator, participants: participants, at: at,
        by: by)
      s.scheduleOrder.append(incident)
    }
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let title = try r.string()
      let team = try r.shared()
      let people = try r.strings()
      let at = try r.int64()
      let by = try r.shared()
      s.wins[id] = Win(id: id, title: title, team: team, people: people, at: at, by: by)
      s.winOrder.append(id)
    }
  }

  static func encodeIncident(_ i: Incident, _ w: inout BinaryWriter) {
    w.string(i.title)
    w.string(i.what)
    w.choice(i.kind)
    w.choice(i.severity)
    w.int(i.occurred.ordinal)
    w.shared(i.team)
    w.shared(i.owner)
    w.strings(i.tags)
    w.strings(i.triggers)
    w.strings(i.patterns)
    w.choice(i.status)
    w.shared(i.template)
    w.int64(i.createdAt)
    w.shared(i.createdBy)
    // The answers last, so a list can stop before them (``decodeIncident(_:id:answers:)``).
    w.uint(UInt64(i.answers.count))
    for (key, versions) in i.answers {
      w.shared(key)
      w.uint(UInt64(versions.count))
      for v in versions {
        w.shared(v.key)
        w.string(v.value)
        w.shared(v.template)
        w.int64(v.at)
        w.shared(v.by)
        w.int(v.revision)
      }
    }
  }

  static func encodeAction(_ a: Action, _ w: inout BinaryWriter) {
    w.string(a.incident)
    w.string(a.title)
    w.shared(a.owner)
    w.day(a.due)
    w.day(a.review)
    w.choice(a.type)
    w.string(a.signal)
    w.choice(a.status)
    w.string(a.dropReason)
    w.uint(UInt64(a.verifications.count))
    for v in a.verifications {
      w.choice(v.outcome)
      w.string(v.evidence)
      w.int64(v.at)
      w.shared(v.by)
    }
    w.int64(a.createdAt)
    w.bool(a.doneAt != nil)
    if let d = a.doneAt { w.int64(d) }
    w.day(a.until)
    w.bool(a.retirement != nil)
    if let t = a.retirement {
      w.choice(t.decision)
      w.string(t.reason)
      w.int64(t.at)
      w.shared(t.by)
    }
  }

  /// Decodes the head written by ``encodeHead(_:into:)`` into `s`.
  static func decodeHead(_ r: inout BinaryReader, into s: inout LearningState)
    throws(SnapshotFormatError)
  {
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let incident = try r.optionalString()
      let pattern = try r.optionalString()
      let hypothesis = try r.string()
      let change = try r.string()
      let criteria = try r.string()
      let check = try r.day()
      let result = try r.string()
      let decision: ExperimentDecision? =
        try r.bool() ? try r.choice(ExperimentDecision.self) : nil
      let by = try r.shared()
      let at = try r.int64()
      s.experiments[id] = Experiment(
        id: id, incident: incident, pattern: pattern, hypothesis: hypothesis, change: change,
        criteria: criteria, check: check, result: result, decision: decision, createdBy: by,
        createdAt: at)
    }
    for _ in 0..<(try r.count()) {
      let id = try r.shared()
      let text = try r.string()
      let incidents = try r.strings()
      let teams = try r.strings()
      let tags = try r.strings()
      let patterns = try r.strings()
      let revalidate = try r.day()
      let revalidated = try r.day()
      let author = try r.shared()
      let at = try r.int64()
      s.lessons[id] = Lesson(
        id: id, text: text, incidents: incidents, teams: teams, tags: tags, patterns: patterns,
        revalidate: revalidate, revalidated: revalidated, author: author, createdAt: at)
    }
    for _ in 0..<(try r.count()) {
      let name = try r.shared()
      var revs: [TemplateRevision] = []
      for _ in 0..<(try r.count()) {
        let number = try r.int()
        let tname = try r.shared()
        let title = try r.string()
        var questions: [Question] = []
        for _ in 0..<(try r.count()) {
          let key = try r.shared()
          let prompt = try r.string()
          let kind = try r.choice(QuestionKind.self)
          let choices = try r.strings()
          questions.append(Question(key: key, prompt: prompt, kind: kind, choices: choices))
        }
        let at = try r.int64()
        let by = try r.shared()
        let team = try r.shared()
        let because = try r.shared()
        revs.append(
          TemplateRevision(
            number: number,
            template: ReviewTemplate(name: tname, title: title, questions: questions), at: at,
            by: by, team: team, because: because))
      }
      s.templateRevisions[name] = revs
    }
    s.experimentOrder = try r.strings()
    s.lessonOrder = try r.strings()
    s.templateOrder = try r.strings()
    for _ in 0..<(try r.count()) {
      let n = try r.count(limit: LogBounds.maxLineBytes + 64)
      let line = try r.rawBytes(n)
      switch RecordCodec.decodeRecord(line) {
      case .success(let rec): s.pending[rec.entity, default: []].append(rec)
      case .failure(let why): throw SnapshotFormatError("held record: \(why.text)")
      }
    }
    for _ in 0..<(try r.count()) { s.decodeProblems.append(try r.string()) }
    for _ in 0..<(try r.count()) {
      let t = try r.string()
      s.unknownTypes[t] = try r.int()
    }
    for _ in 0..<(try r.count()) { s.appliedIDs.other.append(try r.string()) }
    if try r.bool() {
      let wall = try r.int64()
      let logical = try r.int32()
      s.lastClock = HybridTimestamp(wall: wall, logical: logical)
    }
    s.lastWriter = try r.string()
    s.lastID = EventID(rawValue: try r.string())
    try decodeFollowUp(&r, into: &s)
  }

  /// An incident record of the lazy region: its id, then ``decodeIncident(_:)``.
  static let incidentRecord: LazyEntities<Incident>.Decode = { r throws(SnapshotFormatError) in
    let id = try r.string()
    return (id, try decodeIncident(&r, id: id))
  }

  /// An incident record without its answers (for lists).
  static let incidentHeader: LazyEntities<Incident>.Decode = { r throws(SnapshotFormatError) in
    let id = try r.string()
    return (id, try decodeIncident(&r, id: id, answers: false))
  }

  /// An incident record as a listing reads it: without its answers, and what happened left
  /// empty, its UTF-8 bytes handed to `what` instead.
  static let incidentLean: LazyEntities<Incident>.LeanDecode = {
    r, what throws(SnapshotFormatError) in
    let id = try r.string()
    return (id, try decodeIncident(&r, id: id, answers: false, leanWhat: true, whatBytes: what))
  }

  /// An incident record as an ordering reads it: its id, occurred day, creation time,
  /// patterns, kind, severity and status; every text left empty and never made.
  static let incidentKeys: LazyEntities<Incident>.Decode = { r throws(SnapshotFormatError) in
    let id = try r.string()
    try r.skipString()  // title
    try r.skipString()  // what happened
    let kind = try r.choice(IncidentKind.self)
    let severity = try r.choice(Severity.self)
    let occurred = Day(ordinal: try r.int())
    _ = try r.shared()  // team
    _ = try r.shared()  // owner
    try r.skipStrings()  // tags
    try r.skipStrings()  // triggers
    let patterns = try r.strings()
    let status = try r.choice(IncidentStatus.self)
    _ = try r.shared()  // template
    let createdAt = try r.int64()
    return (
      id,
      Incident(
        id: id, title: "", what: "", kind: kind, severity: severity, occurred: occurred,
        team: "", owner: "", tags: [], triggers: [], patterns: patterns, status: status,
        template: "", answers: [:], createdAt: createdAt, createdBy: "")
    )
  }

  /// An incident record read as its JSON is written, with the incident its review reads.
  ///
  /// The title, what happened and every answer's value stay bytes in place, never made
  /// strings; the incident for the review rules holds only the answers they read
  /// (``LearningState/reviewAnswerKeys``). The record must hold `id` (its id's bytes are
  /// compared, not made a string); nil when it does not. The bytes live as long as the
  /// reader's buffer.
  static func incidentJSONFields(_ r: inout BinaryReader, id: String) throws(SnapshotFormatError)
    -> (fields: IncidentJSONFields, review: Incident)?
  {
    let idBytes = try r.rawBytes(try r.count(limit: LogBounds.maxLineBytes))
    guard idBytes.elementsEqual(id.utf8) else { return nil }
    func text() throws(SnapshotFormatError) -> JSONFieldText {
      .bytes(try r.rawBytes(try r.count(limit: LogBounds.maxLineBytes)))
    }
    let title = try text()
    let what = try text()
    let f = try incidentFields(&r)
    let nAnswers = try r.count()
    var answers: [(key: String, value: JSONFieldText)] = []
    answers.reserveCapacity(nAnswers)
    var history: [AnswerVersionFields] = []
    var read: [String: [AnswerVersion]] = [:]
    for _ in 0..<nAnswers {
      let key = try r.shared()
      let n = try r.count()
      let start = history.count
      for _ in 0..<n {
        let k = try r.shared()
        let value = try text()
        let t = try r.shared()
        let at = try r.int64()
        let by = try r.shared()
        let revision = try r.int()
        history.append(
          AnswerVersionFields(key: k, value: value, template: t, at: at, by: by, revision: revision)
        )
      }
      guard let last = history.last, history.count > start else { continue }
      answers.append((key, last.value))
      if LearningState.reviewAnswerKeys.contains(key), case .bytes(let b) = last.value {
        // The review reads the current answer only.
        read[key] = [
          AnswerVersion(
            key: last.key, value: String(decoding: b, as: UTF8.self), template: last.template,
            at: last.at, by: last.by, revision: last.revision)
        ]
      }
    }
    let fields = IncidentJSONFields(
      id: id, title: title, what: what, kind: f.kind, severity: f.severity, occurred: f.occurred,
      team: f.team, owner: f.owner, tags: f.tags, triggers: f.triggers, patterns: f.patterns,
      status: f.status, template: f.template, createdAt: f.createdAt, createdBy: f.createdBy,
      answers: answers, history: history)
    let review = Incident(
      id: id, title: "", what: "", kind: f.kind, severity: f.severity, occurred: f.occurred,
      team: f.team, owner: f.owner, tags: f.tags, triggers: f.triggers, patterns: f.patterns,
      status: f.status, template: f.template, answers: read, createdAt: f.createdAt,
      createdBy: f.createdBy)
    return (fields, review)
  }

  /// The fields of an incident record between what happened and its answers, in their order.
  struct IncidentFields {
    var kind: IncidentKind
    var severity: Severity
    var occurred: Day
    var team: String
    var owner: String
    var tags: [String]
    var triggers: [String]
    var patterns: [String]
    var status: IncidentStatus
    var template: String
    var createdAt: Int64
    var createdBy: String
  }

  /// Reads ``IncidentFields``: what every full read of an incident record shares.
  static func incidentFields(_ r: inout BinaryReader) throws(SnapshotFormatError)
    -> IncidentFields
  {
    IncidentFields(
      kind: try r.choice(IncidentKind.self), severity: try r.choice(Severity.self),
      occurred: Day(ordinal: try r.int()), team: try r.shared(), owner: try r.shared(),
      tags: try r.strings(), triggers: try r.strings(), patterns: try r.strings(),
      status: try r.choice(IncidentStatus.self), template: try r.shared(),
      createdAt: try r.int64(), createdBy: try r.shared())
  }

  /// An action record of the lazy region.
  static let actionRecord: LazyEntities<Action>.Decode = { r throws(SnapshotFormatError) in
    let id = try r.string()
    return (id, try decodeAction(&r, id: id))
  }

  /// An action record as an ordering or the review rules read it: its id, incident, owner,
  /// days, type, status and times; every text, verification and retirement left out and
  /// never made.
  static let actionKeys: LazyEntities<Action>.Decode = { r throws(SnapshotFormatError) in
    let id = try r.string()
    let incident = try r.string()
    try r.skipString()  // title
    let owner = try r.shared()
    let due = try r.day()
    let review = try r.day()
    let type = try r.choice(ActionType.self)
    try r.skipString()  // signal
    let status = try r.choice(ActionStatus.self)
    try r.skipString()  // drop reason
    for _ in 0..<(try r.count()) {
      _ = try r.choice(VerificationOutcome.self)
      try r.skipString()  // evidence
      _ = try r.int64()
      _ = try r.shared()
    }
    let createdAt = try r.int64()
    let doneAt: Int64? = try r.bool() ? try r.int64() : nil
    let until = try r.day()
    return (
      id,
      Action(
        id: id, incident: incident, title: "", owner: owner, due: due, review: review,
        type: type, signal: "", status: status, dropReason: "", verifications: [],
        createdAt: createdAt, doneAt: doneAt, until: until, retirement: nil)
    )
  }

  /// An entry of the action index (incident id → action ids).
  static let byIncidentRecord: LazyEntities<[String]>.Decode = { r throws(SnapshotFormatError) in
    let id = try r.string()
    return (id, try r.plainStrings())
  }

  /// Decodes an incident; without `answers` it stops before them and leaves them empty; with
  /// `whatBytes` what happened is left empty and its UTF-8 bytes handed to it instead.
  static func decodeIncident(_ r: inout BinaryReader, id: String, answers withAnswers: Bool = true)
    throws(SnapshotFormatError) -> Incident
  {
    try decodeIncident(&r, id: id, answers: withAnswers, leanWhat: false) { _ in }
  }

  /// ``decodeIncident(_:id:answers:)``; with `leanWhat` what happened is left empty and its
  /// UTF-8 bytes handed to `whatBytes` instead.
  static func decodeIncident(
    _ r: inout BinaryReader, id: String, answers withAnswers: Bool, leanWhat: Bool,
    whatBytes: (UnsafeRawBufferPointer) -> Void
  ) throws(SnapshotFormatError) -> Incident {
    let title = try r.string()
    let what: String
    if leanWhat {
      whatBytes(try r.rawBytes(try r.count(limit: LogBounds.maxLineBytes)))
      what = ""
    } else {
      what = try r.string()
    }
    let f = try incidentFields(&r)
    let nAnswers = withAnswers ? try r.count() : 0
    var answers: [String: [AnswerVersion]] = [:]
    if nAnswers > 0 { answers.reserveCapacity(nAnswers) }
    for _ in 0..<nAnswers {
      let key = try r.shared()
      let n = try r.count()
      var versions: [AnswerVersion] = []
      versions.reserveCapacity(n)
      for _ in 0..<n {
        let k = try r.shared()
        let value = try r.string()
        let t = try r.shared()
        let at = try r.int64()
        let by = try r.shared()
        let revision = try r.int()
        versions.append(
          AnswerVersion(key: k, value: value, template: t, at: at, by: by, revision: revision))
      }
      answers[key] = versions
    }
    return Incident(
      id: id, title: title, what: what, kind: f.kind, severity: f.severity, occurred: f.occurred,
      team: f.team, owner: f.owner, tags: f.tags, triggers: f.triggers, patterns: f.patterns,
      status: f.status, template: f.template, answers: answers, createdAt: f.createdAt,
      createdBy: f.createdBy)
  }

  static func decodeAction(_ r: inout BinaryReader, id: String) throws(SnapshotFormatError)
    -> Action
  {
    let incident = try r.string()
    let title = try r.string()
    let owner = try r.shared()
    let due = try r.day()
    let review = try r.day()
    let type = try r.choice(ActionType.self)
    let signal = try r.string()
    let status = try r.choice(ActionStatus.self)
    let dropReason = try r.string()
    var verifications: [Verification] = []
    for _ in 0..<(try r.count()) {
      let outcome = try r.choice(VerificationOutcome.self)
      let evidence = try r.string()
      let at = try r.int64()
      let by = try r.shared()
      verifications.append(Verification(outcome: outcome, evidence: evidence, at: at, by: by))
    }
    let createdAt = try r.int64()
    let doneAt: Int64? = try r.bool() ? try r.int64() : nil
    let until = try r.day()
    var retirement: Retirement?
    if try r.bool() {
      let decision = try r.choice(RetireDecision.self)
      let reason = try r.string()
      let at = try r.int64()
      let by = try r.shared()
      retirement = Retirement(decision: decision, reason: reason, at: at, by: by)
    }
    return Action(
      id: id, incident: incident, title: title, owner: owner, due: due, review: review,
      type: type, signal: signal, status: status, dropReason: dropReason,
      verifications: verifications, createdAt: createdAt, doneAt: doneAt, until: until,
      retirement: retirement)
  }

  /// The ids under `key` in a pattern index written as ``decodePatternIndex(_:)`` reads it,
  /// nil when `key` has none; the other keys' ids are passed over, never made strings.
  static func decodePatternKey(_ key: String, _ r: inout BinaryReader)
    throws(SnapshotFormatError) -> Set<String>?
  {
    var found: Set<String>?
    let n = try r.count()
    for _ in 0..<n {
      let k = try r.rawBytes(try r.count(limit: LogBounds.maxLineBytes))
      if found == nil, k.elementsEqual(key.utf8) {
        found = Set(try r.plainStrings())
        continue
      }
      for _ in 0..<(try r.count(limit: 1 << 24)) { try r.skipString() }
    }
    return found
  }

  /// The pattern index as ``encodeLazy(_:capacity:sink:spill:)`` writes it: each key with its
  /// incident ids, in plain strings.
  static func decodePatternIndex(_ r: inout BinaryReader) throws(SnapshotFormatError)
    -> [String: Set<String>]
  {
    let n = try r.count()
    var out: [String: Set<String>] = [:]
    out.reserveCapacity(n)
    for _ in 0..<n {
      let k = try r.string()
      out[k] = Set(try r.plainStrings())
    }
    return out
  }
}
