/// The digits of an entity id (``EntityIDGenerator/alphabet``) as UTF-8 bytes.
private let entityIDDigits: StaticString = "0123456789abcdefghjkmnpqrstvwxyz"

/// Makes random entity ids: 12 lowercase base-32 characters (60 bits).
///
/// Ids are not time-prefixed, so short prefixes are unique (as git's abbreviated hashes).
public struct EntityIDGenerator<RNG: RandomNumberGenerator> {
  /// The alphabet: digits and lowercase letters without i, l, o, u.
  public static var alphabet: [Character] { Array("0123456789abcdefghjkmnpqrstvwxyz") }
  /// The random source.
  public var rng: RNG

  /// A generator drawing from `rng`.
  public init(rng: RNG) { self.rng = rng }

  /// A new id.
  public mutating func next() -> String {
    var bits = rng.next()
    // The alphabet's bytes, twelve five-bit digits, lowest first.
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12) { out in
      for i in 0..<12 {
        out[i] = entityIDDigits.utf8Start[Int(bits & 31)]
        bits >>= 5
      }
      return String(decoding: UnsafeBufferPointer(out), as: UTF8.self)
    }
  }
}

extension EntityIDGenerator where RNG == SystemRandomNumberGenerator {
  /// A generator over the system's secure random source.
  public init() { self.init(rng: SystemRandomNumberGenerator()) }
}

/// A small, seeded random generator (SplitMix64) for reproducible ids in tests and demos.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64
  /// A generator starting from `seed`.
  public init(seed: UInt64) { state = seed }
  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// The kinds of entity an id can name.
public enum EntityKind: String, Sendable, CaseIterable, CustomStringConvertible {
  case incident, action, experiment, lesson, template, note, factor, timeline, checklist, win
  public var description: String { rawValue }
}
