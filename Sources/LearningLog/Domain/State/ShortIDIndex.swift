import WorkCounting

/// The live ids sorted once, so the short id of any one of them is a binary search.
///
/// ``LearningState/shortIDs()`` builds a string for every live entity; a screen or a list that
/// shows a few rows needs only theirs. Every short id is the same as ``LearningState/shortIDs()``
/// gives: the shortest prefix, at least 6 characters, that no other live id shares.
public struct ShortIDIndex: Sendable {
  /// The ids packed into 60 bits when every id is 12 characters of the id alphabet, sorted.
  private var packed: [UInt64] = []
  /// The ids sorted as strings when some id is not in the canonical form.
  private var strings: [String] = []
  /// Whether ``packed`` is used.
  private var isPacked = true

  /// Sorts the live ids of `state`.
  public init(_ state: LearningState) {
    // The live ids are the keys of the entity tables; their order does not matter here.
    var ids: [String] = []
    // The kinds ``LearningState/shortID(for:)`` makes short ids unique among.
    ids.reserveCapacity(
      state.incidents.count + state.actions.count + state.experiments.count
        + state.lessons.count + state.notes.count + state.factors.count
        + state.timelineEntries.count + state.wins.count)
    ids += state.incidents.keys
    ids += state.actions.keys
    ids += state.experiments.keys
    ids += state.lessons.keys
    ids += state.notes.keys
    ids += state.factors.keys
    ids += state.timelineEntries.keys
    ids += state.wins.keys
    self.init(ids: ids)
  }

  /// Sorts `ids` (each once).
  public init(ids: [String]) {
    WorkCounter.count("ids sorted for short ids", ids.count)
    var keys: [UInt64] = []
    keys.reserveCapacity(ids.count)
    for id in ids {
      guard let k = Self.pack(id) else {
        isPacked = false
        strings = ids.sorted()
        return
      }
      keys.append(k)
    }
    keys.sort()
    packed = keys
  }

  /// The short id of `id`, or nil when it is not one of the ids.
  public func shortID(_ id: String) -> String? {
    var need = 6
    if isPacked {
      guard let k = Self.pack(id) else { return nil }
      let i = Self.lowerBound(packed, k)
      guard i < packed.count, packed[i] == k else { return nil }
      func common(_ a: UInt64, _ b: UInt64) -> Int {
        let x = a ^ b
        return x == 0 ? 12 : (x.leadingZeroBitCount - 4) / 5
      }
      if i > 0 { need = max(need, common(packed[i - 1], k) + 1) }
      if i + 1 < packed.count { need = max(need, common(packed[i + 1], k) + 1) }
    } else {
      let i = Self.lowerBound(strings, id)
      guard i < strings.count, strings[i] == id else { return nil }
      func lcp(_ a: String, _ b: String) -> Int {
        zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
      }
      if i > 0 { need = max(need, lcp(strings[i - 1], id) + 1) }
      if i + 1 < strings.count { need = max(need, lcp(strings[i + 1], id) + 1) }
    }
    return String(id.prefix(need))
  }

  /// ``shortID(_:)`` of each of `ids` in an index of `state`, in their order, without
  /// sorting every id of `state` when `ids` are few.
  ///
  /// A few are each found by a search beside their neighbours
  /// (``LearningState/shortID(for:)``), so a short listing of a large log never sorts every
  /// id; many are met in one pass over an index of every id. Both give the same short ids, and
  /// nil for an id that is not a live entity of a kind the index holds.
  public static func shortIDs(_ ids: [String], in state: LearningState) -> [String?] {
    guard ids.count > fewIDs else {
      return ids.map { id in
        switch state.kind(of: id) {
        case nil, .template?, .checklist?: nil
        default: state.shortID(for: id)
        }
      }
    }
    return ShortIDIndex(state).shortIDs(ids)
  }

  /// Up to how many ids ``shortIDs(_:in:)`` searches one by one.
  static let fewIDs = 64

  /// ``shortID(_:)`` of each of `ids`, in their order: when the index is packed and the ids
  /// are many, the ids are sorted once and met in one pass over the index instead of one
  /// search each (every row of a long listing).
  public func shortIDs(_ ids: [String]) -> [String?] {
    guard isPacked, ids.count > 64 else { return ids.map(shortID) }
    var keyed: [(key: UInt64, at: Int)] = []
    keyed.reserveCapacity(ids.count)
    var out = [String?](repeating: nil, count: ids.count)
    for (at, id) in ids.enumerated() {
      if let k = Self.pack(id) { keyed.append((k, at)) }
    }
    keyed.sort { $0.key < $1.key }
    var i = 0
    for (k, at) in keyed {
      while i < packed.count, packed[i] < k { i += 1 }
      guard i < packed.count, packed[i] == k else { continue }
      func common(_ a: UInt64, _ b: UInt64) -> Int {
        let x = a ^ b
        return x == 0 ? 12 : (x.leadingZeroBitCount - 4) / 5
      }
      var need = 6
      if i > 0 { need = max(need, common(packed[i - 1], k) + 1) }
      if i + 1 < packed.count { need = max(need, common(packed[i + 1], k) + 1) }
      out[at] = String(ids[at].prefix(need))
    }
    return out
  }

  /// The first index of `sorted` not below `key`.
  static func lowerBound<T: Comparable>(_ sorted: [T], _ key: T) -> Int {
    var lo = 0
    var hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      WorkCounter.count("ids compared for a short id")
      if sorted[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The value of each character of the id alphabet (0xFF for others); byte order is its order.
  private static let digits: [UInt8] = {
    var d = [UInt8](repeating: 0xFF, count: 128)
    for (i, c) in "0123456789abcdefghjkmnpqrstvwxyz".utf8.enumerated() { d[Int(c)] = UInt8(i) }
    return d
  }()

  /// `id` packed 5 bits a character when it is 12 characters of the id alphabet.
  private static func pack(_ id: String) -> UInt64? {
    var s = id
    return s.withUTF8 { u -> UInt64? in
      guard u.count == 12 else { return nil }
      var v: UInt64 = 0
      for c in u {
        guard c < 128 else { return nil }
        let d = digits[Int(c)]
        guard d != 0xFF else { return nil }
        v = v << 5 | UInt64(d)
      }
      return v
    }
  }
}
