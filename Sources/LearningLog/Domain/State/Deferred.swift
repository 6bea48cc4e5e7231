import Foundation

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
  /// Where the four are in the snapshot, in that order (offset and length), for tests.
  var places: [(offset: Int, length: Int)] = []
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
  /// it; reading the whole order then joins the two (one pass, as any whole read is).
  var incidentOrder: [String] {
    _read {
      if let d = deferred.incidentOrder {
        if _incidentOrder.isEmpty { yield d.value } else { yield d.value + _incidentOrder }
      } else {
        yield _incidentOrder
      }
    }
    _modify {
      if let d = deferred.incidentOrder {
        _incidentOrder = d.value + _incidentOrder
        deferred.incidentOrder = nil
      }
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
      if let d = deferred.actionOrder {
        if _actionOrder.isEmpty { yield d.value } else { yield d.value + _actionOrder }
      } else {
        yield _actionOrder
      }
    }
    _modify {
      if let d = deferred.actionOrder {
        _actionOrder = d.value + _actionOrder
        deferred.actionOrder = nil
      }
      defer { idsChanged() }
      yield &_actionOrder
    }
  }

  /// Appends `id` to ``actionOrder`` without making it when it is deferred (a lazy open's
  /// tail creates entities on every write: the snapshot's order stays where it is).
  mutating func appendToActionOrder(_ id: String) {
    _actionOrder.append(id)
    idsChanged()
  }

  /// Incident ids by pattern key.
  var incidentsByPatternKey: [String: Set<String>] {
    _read {
      if let d = deferred.incidentsByPatternKey {
        yield d.value
      } else {
        yield _incidentsByPatternKey
      }
    }
    _modify {
      if let d = deferred.incidentsByPatternKey {
        _incidentsByPatternKey = d.value
        deferred.incidentsByPatternKey = nil
      }
      yield &_incidentsByPatternKey
    }
  }
}
