import Foundation
import WorkCounting

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

/// What pattern suggestions read of a log, gathered once.
///
/// For each trigger, tag and word: how many incidents of each pattern carry it. Suggesting then costs the draft's words times the
/// patterns that share them, not a walk of every incident (the app keeps one per log change,
/// so a key typed into a new incident's form does not grow with the log).
public struct PatternSuggestionIndex: Sendable {
  var triggers: [String: [String: Int]] = [:]
  var tags: [String: [String: Int]] = [:]
  var words: [String: [String: Int]] = [:]

  /// The index of `state`'s incidents that carry patterns.
  public init(_ state: LearningState) {
    for inc in state.incidentList where !inc.patterns.isEmpty {
      let t = Set(inc.triggers)
      let g = Set(inc.tags.map { $0.lowercased() })
      let w = Words.tokens(inc.title + " " + inc.what)
      for p in inc.patterns {
        for x in t { triggers[x, default: [:]][p, default: 0] += 1 }
        for x in g { tags[x, default: [:]][p, default: 0] += 1 }
        for x in w { words[x, default: [:]][p, default: 0] += 1 }
      }
    }
  }

  /// Likely patterns for `draft`, best first: shared triggers weigh 3, tags 2, words of title
  /// and what 1 (and a word in the pattern key itself 2), summed over the pattern's incidents.
  public func suggest(for draft: NewIncident, limit: Int = 5) -> [PatternSuggestion] {
    struct Acc {
      var score = 0.0
      var triggers: Set<String> = []
      var tags: Set<String> = []
      var words: Set<String> = []
    }
    let draftWords = Words.tokens(draft.title + " " + draft.what)
    var acc: [String: Acc] = [:]
    var visited = 0
    for x in Set(draft.triggers.compactMap(Trigger.normalise)) {
      for (p, n) in triggers[x] ?? [:] {
        acc[p, default: Acc()].score += Double(3 * n)
        acc[p]?.triggers.insert(x)
      }
      visited += triggers[x]?.count ?? 0
    }
    for x in Set(draft.tags.map { $0.lowercased() }) {
      for (p, n) in tags[x] ?? [:] {
        acc[p, default: Acc()].score += Double(2 * n)
        acc[p]?.tags.insert(x)
      }
      visited += tags[x]?.count ?? 0
    }
    for x in draftWords {
      for (p, n) in words[x] ?? [:] {
        acc[p, default: Acc()].score += Double(n)
        acc[p]?.words.insert(x)
      }
      visited += 1 + (words[x]?.count ?? 0)
    }
    WorkCounter.count("pattern suggestions", visited)
    for key in acc.keys {
      let keyWords = Words.tokens(key.replacingOccurrences(of: "/", with: " "))
      let kw = draftWords.intersection(keyWords)
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
}

extension LearningState {
  /// Likely patterns for a new incident, best first: shared triggers weigh 3, tags 2,
  /// words of title and what 1 (and a word in the pattern key itself 2).
  ///
  /// Gathers a ``PatternSuggestionIndex`` first: keep one to suggest more than once.
  public func suggestPatterns(for draft: NewIncident, limit: Int = 5) -> [PatternSuggestion] {
    PatternSuggestionIndex(self).suggest(for: draft, limit: limit)
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
