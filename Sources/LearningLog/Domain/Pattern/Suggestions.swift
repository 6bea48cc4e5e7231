import Foundation

/// A likely pattern for a new incident, with why it was suggested.
public struct PatternSuggestion: Sendable, Hashable {
  /// The pattern key.
  public var key: String
  /// Higher is more likely.
  public var score: Double
  /// What matched: shared triggers, tags and words.
  public var reason: String
}

/// Splitting text into comparable words.
public enum Words {
  /// Words too common to say anything.
  public static let stopwords: Set<String> = [
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "did", "do", "for", "from",
    "had", "has", "have", "in", "into", "is", "it", "its", "no", "not", "of", "on", "or", "our",
    "so", "that", "the", "their", "then", "there", "this", "to", "too", "was", "we", "were",
    "when", "which", "while", "with", "after", "before", "again", "all", "any", "got", "out",
    "up", "off", "over", "than", "they", "them", "what", "who", "why", "how", "one",
  ]

  /// Lowercased words of at least 3 letters or digits, without stopwords, crudely stemmed.
  public static func tokens(_ text: String) -> Set<String> {
    var out: Set<String> = []
    var cur = ""
    func flush() {
      if cur.count >= 3, !stopwords.contains(cur) { out.insert(stem(cur)) }
      cur = ""
    }
    for ch in text.lowercased() {
      if ch.isLetter || ch.isNumber { cur.append(ch) } else { flush() }
    }
    flush()
    return out
  }

  static func stem(_ w: String) -> String {
    for suffix in ["ing", "ed", "es", "s"] where w.hasSuffix(suffix) && w.count > suffix.count + 3 {
      return String(w.dropLast(suffix.count))
    }
    return w
  }
}

extension LearningState {
  /// Likely patterns for a new incident, best first: shared triggers weigh 3, tags 2,
  /// words of title and what 1 (and a word in the pattern key itself 2).
  public func suggestPatterns(for draft: NewIncident, limit: Int = 5) -> [PatternSuggestion] {
    let triggers = Set(draft.triggers.compactMap(Trigger.normalise))
    let tags = Set(draft.tags.map { $0.lowercased() })
    let words = Words.tokens(draft.title + " " + draft.what)
    struct Acc {
      var score = 0.0
      var triggers: Set<String> = []
      var tags: Set<String> = []
      var words: Set<String> = []
    }
    var acc: [String: Acc] = [:]
    for inc in incidentList where !inc.patterns.isEmpty {
      let t = triggers.intersection(inc.triggers)
      let g = tags.intersection(inc.tags.map { $0.lowercased() })
      let w = words.intersection(Words.tokens(inc.title + " " + inc.what))
      let s = Double(3 * t.count + 2 * g.count + w.count)
      guard s > 0 else { continue }
      for p in inc.patterns {
        acc[p, default: Acc()].score += s
        acc[p]?.triggers.formUnion(t)
        acc[p]?.tags.formUnion(g)
        acc[p]?.words.formUnion(w)
      }
    }
    for key in acc.keys {
      let keyWords = Words.tokens(key.replacingOccurrences(of: "/", with: " "))
      let kw = words.intersection(keyWords)
      acc[key]?.score += Double(2 * kw.count)
      acc[key]?.words.formUnion(kw)
    }
    let ranked = acc.map { key, a -> PatternSuggestion in
      var parts: [String] = []
      if !a.triggers.isEmpty {
        parts.append("triggers " + a.triggers.sorted().joined(separator: ", "))
      }
      if !a.tags.isEmpty { parts.append("tags " + a.tags.sorted().joined(separator: ", ")) }
      if !a.words.isEmpty { parts.append("words " + a.words.sorted().joined(separator: ", ")) }
      return PatternSuggestion(key: key, score: a.score, reason: parts.joined(separator: "; "))
    }
    return Array(ranked.sorted { ($1.score, $0.key) < ($0.score, $1.key) }.prefix(limit))
  }

  /// Lessons to show with an incident: those sharing a tag or a pattern (directly or through
  /// the incidents they draw on), in creation order.
  public func lessons(matchingTags tags: [String], patterns: [String]) -> [Lesson] {
    let t = Set(tags.map { $0.lowercased() })
    let p = Set(patterns)
    return lessonList.filter { l in
      if !t.isDisjoint(with: l.tags.map { $0.lowercased() }) { return true }
      if !p.isDisjoint(with: l.patterns) { return true }
      return l.incidents.contains { id in
        incidents[id].map { !p.isDisjoint(with: $0.patterns) } ?? false
      }
    }
  }

  /// Lessons to show with `incident` (its own linked lessons excluded).
  public func lessons(for incident: Incident) -> [Lesson] {
    lessons(matchingTags: incident.tags, patterns: incident.patterns)
      .filter { !$0.incidents.contains(incident.id) }
  }
}
