import Foundation
import WorkCounting

/// A value kept elsewhere (a snapshot's lazy region) and made on its first use, once for every
/// copy of the state that shares it.
///
/// The closure must give the value whatever happens (after damage, the value of the replayed
/// log): a reader of the state never sees a failure. Safe to share across threads.
final class Deferred<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var made: Value?
  private let make: @Sendable () -> Value

  init(_ make: @escaping @Sendable () -> Value) { self.make = make }

  /// Whether a reader has made the value yet.
  var isMade: Bool {
    lock.lock()
    defer { lock.unlock() }
    return made != nil
  }

  /// The value, made now if no reader made it before.
  var value: Value {
    lock.lock()
    defer { lock.unlock() }
    if let made { return made }
    let v = make()
    made = v
    return v
  }
}

/// The fields of a state a lazy open left in the snapshot, each made on first use (nil once
/// made, or when the state was replayed or decoded whole).
struct DeferredFields: Sendable {
  var tombstones: Deferred<Set<String>>?
  var incidentOrder: Deferred<[String]>?
  var actionOrder: Deferred<[String]>?
  var incidentsByPatternKey: Deferred<[String: Set<String>]>?
  /// The ids under one key of the deferred pattern index, read without making the index (nil
  /// when `incidentsByPatternKey` is nil).
  var patternKey: (@Sendable (String) -> Set<String>?)?
  /// Where the four are in the snapshot, in that order (offset and length), for tests.
  var places: [(offset: Int, length: Int)] = []
  /// A stamp no other set of pattern-index additions had, taken afresh at each addition made
  /// while the index is deferred: the key of ``patternJoin``.
  var patternAdditions: UInt64 = 0
  /// Each deferred field joined with what was added after it, made on a whole read.
  ///
  /// Shared by copies: the orders are kept for the state's ``LearningState/idStamp`` (taken
  /// afresh at every append), the index for ``patternAdditions``. So reading a whole field
  /// twice joins it once.
  let incidentJoin = JoinMemo<[String]>()
  let actionJoin = JoinMemo<[String]>()
  let patternJoin = JoinMemo<[String: Set<String>]>()

  /// `base` with every id of `additions` added under its key.
  static func join(_ base: [String: Set<String>], _ additions: [String: Set<String>])
    -> [String: Set<String>]
  {
    var out = base
    for (key, ids) in additions { out[key, default: []].formUnion(ids) }
    return out
  }
}

extension DeferredFields {
  /// An order read whole: `added` when nothing is deferred, else the deferred order joined
  /// with `added` (kept in `memo` for `stamp`).
  static func whole(
    _ deferred: Deferred<[String]>?, added: [String], memo: JoinMemo<[String]>, stamp: UInt64
  ) -> [String] {
    guard let deferred else { return added }
    if added.isEmpty { return deferred.value }
    return memo.value(stamp: stamp) {
      WorkCounter.count("deferred field joined")
      return deferred.value + added
    }
  }

  /// Makes a deferred order whole before a change other than an append: `added` becomes the
  /// whole order and nothing is deferred.
  static func makeWhole(_ deferred: inout Deferred<[String]>?, added: inout [String]) {
    guard let d = deferred else { return }
    added = d.value + added
    deferred = nil
  }
}

/// A value made for one stamp and kept until another stamp asks.
final class JoinMemo<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stamp: UInt64?
  private var kept: Value?

  /// The value for `stamp`, made by `make` unless it was made for that stamp before.
  func value(stamp: UInt64, _ make: () -> Value) -> Value {
    lock.lock()
    defer { lock.unlock() }
    if self.stamp == stamp, let kept { return kept }
    let v = make()
    kept = v
    self.stamp = stamp
    return v
  }
}

extension LearningState {
  /// Ids of deleted entities.
  public internal(set) var tombstones: Set<String> {
    _read {
      if let d = deferred.tombstones { yield d.value } else { yield _tombstones }
    }
    _modify {
      if let d = deferred.tombstones {
        _tombstones = d.value
        deferred.tombstones = nil
      }
      defer { idsChanged() }
      yield &_tombstones
    }
  }

  /// Incident ids in creation order (deleted ones may remain).
  ///
  /// While the snapshot's order is deferred, `_incidentOrder` holds only the ids appended after
  /// it; reading the whole order then joins the two, once for each set of appended ids.
  var incidentOrder: [String] {
    _read {
      yield DeferredFields.whole(
        deferred.incidentOrder, added: _incidentOrder, memo: deferred.incidentJoin,
        stamp: idStamp)
    }
    _modify {
      DeferredFields.makeWhole(&deferred.incidentOrder, added: &_incidentOrder)
      defer { idsChanged() }
      yield &_incidentOrder
    }
  }

  /// Appends `id` to ``incidentOrder`` without making it when it is deferred (a lazy open's
  /// tail creates entities on every write: the snapshot's order stays where it is).
  mutating func appendToIncidentOrder(_ id: String) {
    _incidentOrder.append(id)
    idsChanged()
  }

  /// Action ids in creation order (deleted ones may remain); deferred as ``incidentOrder``.
  var actionOrder: [String] {
    _read {
      yield DeferredFields.whole(
        deferred.actionOrder, added: _actionOrder, memo: deferred.actionJoin, stamp: idStamp)
    }
    _modify {
      DeferredFields.makeWhole(&deferred.actionOrder, added: &_actionOrder)
      defer { idsChanged() }
      yield &_actionOrder
    }
  }

  /// Appends `id` to ``actionOrder`` (see ``appendToIncidentOrder(_:)``).
  mutating func appendToActionOrder(_ id: String) {
    _actionOrder.append(id)
    idsChanged()
  }

  /// Incident ids by pattern key.
  ///
  /// While the snapshot's index is deferred, `_incidentsByPatternKey` holds only the ids added
  /// after it (an incident made or given a pattern); a whole read joins the two once for each
  /// set of additions; a removal makes the index whole.
  var incidentsByPatternKey: [String: Set<String>] {
    _read {
      if let d = deferred.incidentsByPatternKey {
        if _incidentsByPatternKey.isEmpty {
          yield d.value
        } else {
          let additions = _incidentsByPatternKey
          yield deferred.patternJoin.value(stamp: deferred.patternAdditions) {
            WorkCounter.count("deferred field joined")
            return DeferredFields.join(d.value, additions)
          }
        }
      } else {
        yield _incidentsByPatternKey
      }
    }
    _modify {
      if let d = deferred.incidentsByPatternKey {
        _incidentsByPatternKey = DeferredFields.join(d.value, _incidentsByPatternKey)
        deferred.incidentsByPatternKey = nil
      }
      yield &_incidentsByPatternKey
    }
  }

  /// The incident ids under pattern `key` (nil when none): ``incidentsByPatternKey``'s entry,
  /// read while the index is deferred from that key's entry in the snapshot alone.
  func incidentIDs(withPattern key: String) -> Set<String>? {
    guard let d = deferred.incidentsByPatternKey, !d.isMade, let read = deferred.patternKey
    else { return incidentsByPatternKey[key] }
    WorkCounter.count("pattern key read from the snapshot")
    let added = _incidentsByPatternKey[key]
    guard let stored = read(key) else { return added }
    return added.map { stored.union($0) } ?? stored
  }

  /// Adds `id` under pattern `key` without making a deferred index.
  mutating func addToPatternIndex(_ key: String, _ id: String) {
    _incidentsByPatternKey[key, default: []].insert(id)
    if deferred.incidentsByPatternKey != nil { deferred.patternAdditions = ShortIDMemo.nextStamp() }
  }
}
