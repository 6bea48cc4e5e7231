import Foundation
import LearningLog

/// The app's view of one log: its replayed state, and the only way to change it.
///
/// The file one appends through the store; tests use `InMemoryAppLog` (in LearningLogTesting).
public protocol AppLog: AnyObject {
  /// The state replayed from every record read so far.
  var state: LearningState { get }
  /// Plans `commands` against the freshest state, each seeing the ones before it, and appends
  /// what they plan as one write (shared records to the log, private ones to the private
  /// file). Throws when a command is invalid or the write fails; nothing is appended then.
  func perform(_ commands: [Command]) throws -> Plan
  /// Reads what other processes appended; returns whether the state changed.
  func refresh() throws -> Bool
  /// Appends the demo log (the app offers it on an empty log only).
  func loadDemo() throws
  /// Why the log cannot be written (its mode, owner or mount, or an earlier failed write),
  /// or nil when it can.
  var readOnlyReason: String? { get }
  /// The owner's private notes and growth items, read from the private file only.
  func privateNotes() throws -> [PrivateNote]
  /// Which team log each entity and pattern came from, when several logs are read together
  /// (nil with one log).
  var logLabels: LogLabels? { get }
}

extension AppLog {
  public var readOnlyReason: String? { nil }
  /// One log: no labels.
  public var logLabels: LogLabels? { nil }
  /// No private file: no private notes.
  public func privateNotes() throws -> [PrivateNote] { [] }
}

extension AppLog {
  /// Performs one command: ``perform(_:)`` of a list of one.
  @discardableResult
  public func perform(_ command: Command) throws -> Plan { try perform([command]) }
}
