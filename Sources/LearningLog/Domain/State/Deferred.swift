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
  var incidentOrder: [String] {
    _read {
      if let d = deferred.incidentOrder { yield d.value } else { yield _incidentOrder }
    }
    _modify {
      if let d = deferred.incidentOrder {
        _incidentOrder = d.value
        deferred.incidentOrder = nil
      }
      defer { idsChanged() }
      yield &_incidentOrder
    }
  }

  /// Action ids in creation order (deleted ones may remain).
  var actionOrder: [String] {
    _read {
      if let d = deferred.actionOrder { yield d.value } else { yield _actionOrder }
    }
    _modify {
      if let d = deferred.actionOrder {
        _actionOrder = d.value
        deferred.actionOrder = nil
      }
      defer { idsChanged() }
      yield &_actionOrder
    }
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
