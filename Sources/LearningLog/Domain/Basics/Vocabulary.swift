import Foundation

/// A closed list of words a field accepts, parsed with a clear error.
public protocol DomainChoice: RawRepresentable, CaseIterable, Sendable, Hashable
where RawValue == String {
  /// Every case in declaration order, kept once (`allCases` builds a new array each call).
  static var ordered: [Self] { get }
}

extension DomainChoice {
  /// Parses `text` (case-insensitive), or throws naming `field` and every allowed value.
  public static func parse(_ text: String, field: String) throws -> Self {
    let t = text.trimmedSpaces().lowercased()
    if let v = Self(rawValue: t) { return v }
    let allowed = allCases.map(\.rawValue).joined(separator: ", ")
    throw DomainError(
      "\(field): '\(DomainError.echo(text))' is not one of \(allowed); use one of those")
  }
}

/// What kind of miss an incident is.
public enum IncidentKind: String, DomainChoice {
  public static let ordered = allCases
  case production, deadline, estimate, handoff, communication
  case nearMiss = "near-miss"
  case other
}

/// How bad an incident was.
public enum Severity: String, DomainChoice, Comparable {
  public static let ordered = allCases
  case low, medium, high, critical
  var rank: Int { Self.ordered.firstIndex(of: self) ?? 0 }
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Where an incident's review stands.
public enum IncidentStatus: String, DomainChoice {
  public static let ordered = allCases
  case open, reviewing, reviewed, closed
}

/// The review's classification of a cause.
public enum GapType: String, DomainChoice {
  public static let ordered = allCases
  case skill, process, tooling, context, capacity
}

/// What a corrective action does.
public enum ActionType: String, DomainChoice {
  public static let ordered = allCases
  case prevent, mitigate, detect, process, growth
}

/// Where a corrective action stands.
public enum ActionStatus: String, DomainChoice {
  public static let ordered = allCases
  case open, doing, done, dropped
}

/// Whether a done action worked.
public enum VerificationOutcome: String, DomainChoice {
  public static let ordered = allCases
  case verified, ineffective, unknown
}

/// What an experiment's result led to.
public enum ExperimentDecision: String, DomainChoice {
  public static let ordered = allCases
  case adopt, adapt, abandon
}

/// One of the named context triggers that make failures worse.
public struct Trigger: Sendable, Hashable {
  /// The stable key stored in the log.
  public let key: String
  /// The words shown to people.
  public let label: String

  /// The fixed list of named triggers; other triggers are kept as free keys.
  public static let named: [Trigger] = [
    Trigger(key: "missed-deadline", label: "missed high-visibility deadline"),
    Trigger(key: "customer-churn", label: "customer churn after a change"),
    Trigger(key: "wrong-assumption", label: "a model or assumption wrong in production"),
    Trigger(key: "handoff-breakdown", label: "cross-team hand-off breakdown"),
    Trigger(key: "new-market", label: "new market conditions"),
    Trigger(key: "over-confidence", label: "over-confidence skipping routine checks"),
    Trigger(key: "staff-turnover", label: "staff turnover exposing knowledge gaps"),
    Trigger(key: "budget-scrutiny", label: "tight budget scrutiny"),
    Trigger(key: "ambiguous-metrics", label: "ambiguous metrics masking the failure mode"),
  ]

  /// The key for `text`: a named trigger's key when it matches a key or label, else a free key.
  public static func normalise(_ text: String) -> String? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    if let n = named.first(where: { $0.key == t || $0.label == t }) { return n.key }
    let k = PatternKey.normalise(t)
    return k.isEmpty ? nil : k
  }

  /// Whether `key` is one of the named triggers.
  public static func isNamed(_ key: String) -> Bool { named.contains { $0.key == key } }
}

/// Normalised failure-mode keys such as `deploy/config-drift`.
public enum PatternKey {
  /// Folds case (Unicode case folding, composed form), turns spaces and underscores into `-`,
  /// keeps letters and digits of every script with their marks, `-` and `/`, collapses repeats
  /// and trims separators at both ends of each segment; empty when nothing is left.
  public static func normalise(_ text: String) -> String {
    var segments: [String] = []
    for rawSegment in folded(text).split(separator: "/", omittingEmptySubsequences: true) {
      var seg = ""
      var lastDash = true
      for ch in rawSegment.unicodeScalars {
        if ("a"..."z").contains(ch) || ("0"..."9").contains(ch)
          || (ch.value >= 0x80 && isKeyCharacter(ch))
        {
          seg.unicodeScalars.append(ch)
          lastDash = false
        } else if ch == "-" || ch == " " || ch == "_" || ch == "." || ch == "\t" {
          if !lastDash {
            seg.append("-")
            lastDash = true
          }
        }
      }
      while seg.hasSuffix("-") { seg.removeLast() }
      if !seg.isEmpty { segments.append(seg) }
    }
    return segments.joined(separator: "/")
  }

  /// `text` case-folded in composed form (ASCII by the fast path: lowercased).
  static func folded(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
    return text.precomposedStringWithCanonicalMapping
      .folding(options: [.caseInsensitive], locale: nil)
      .precomposedStringWithCanonicalMapping
  }

  /// A letter, digit or mark of any script (`検`, `é`, `д`, a combining accent).
  static func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
    let p = scalar.properties
    if p.isAlphabetic { return true }
    switch p.generalCategory {
    case .decimalNumber, .otherNumber, .letterNumber, .nonspacingMark, .spacingMark: return true
    default: return false
    }
  }

  /// The normalised key, or an error naming `text` when nothing usable is left.
  public static func parse(_ text: String) throws -> String {
    let k = normalise(text)
    guard !k.isEmpty else {
      throw DomainError(
        "pattern: '\(DomainError.echo(text))' has no letters or digits; use a key like deploy/config-drift"
      )
    }
    return k
  }
}

/// `count` and `noun`, the noun in the plural unless the count is one: `1 day`, `8 days`.
///
/// Every count the app and the command line print goes through here, never `day(s)`.
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
  "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
