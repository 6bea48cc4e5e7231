/// A command was refused: a one-line message naming the problem and the fix.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The message, without any "error:" prefix.
  public let message: String

  /// An error with `message`.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
