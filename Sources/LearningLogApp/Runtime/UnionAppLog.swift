import Foundation
import LearningLog

/// The app over several teams' logs read together: their union, read-only.
///
/// Every row is marked with the log it came from (``logLabels``); every change is refused with
/// one line naming the logs, since a change belongs to one team's log.
public final class UnionAppLog: AppLog {
  /// The logs read together.
  public private(set) var union: LogUnion

  /// An app log over `union` (two logs or more, each opened read-only).
  public init(union: LogUnion) {
    self.union = union
  }

  public var state: LearningState { union.state }

  /// Which team log each entity and pattern came from.
  public var logLabels: LogLabels? { union.marks }

  /// Why nothing can be changed: the logs read together, named.
  public var readOnlyReason: String? { union.marks.readOnlyReason }

  /// Refused: a change goes to one team's log, opened alone.
  public func perform(_ commands: [Command]) throws -> Plan {
    throw DomainError(union.marks.writeRefusal)
  }

  /// Refused, as every change.
  public func loadDemo() throws {
    throw DomainError(union.marks.writeRefusal)
  }

  public func refresh() throws -> Bool {
    try union.refresh()
  }
}
