import Foundation

/// The kind of language a flag is about.
public enum BlameCategory: String, Sendable, Hashable, CaseIterable {
  /// Judging a person ("careless", "lazy").
  case blame
  /// Judging with knowledge the people did not have then ("should have", "obviously").
  case hindsight
  /// Making the work sound trivial ("just").
  case minimising
  /// Blaming a person or "human error" rather than the system.
  case personAsCause = "person-as-cause"
}

/// One flagged phrase with a curiosity-based rewording.
public struct BlameFlag: Sendable, Hashable {
  /// Where it is in the text.
  public var range: Range<String.Index>
  /// The same place as character offsets from the start.
  public var offsets: Range<Int>
  /// The phrase as written.
  public var phrase: String
  /// What kind of language it is.
  public var category: BlameCategory
  /// A question to ask instead.
  public var suggestion: String
}

/// A phrase the check looks for: words in order (lowercase; `*` matches any one word).
public struct BlamePhrase: Sendable, Hashable {
  /// The words, such as `["should", "have"]`.
  public var words: [String]
  /// Its category.
  public var category: BlameCategory
  /// The rewording to offer.
  public var suggestion: String

  /// A phrase entry from space-separated words.
  public init(_ phrase: String, _ category: BlameCategory, _ suggestion: String) {
    self.words = phrase.split(separator: " ").map(String.init)
    self.category = category
    self.suggestion = suggestion
  }
}

/// The blame and hindsight language check: flags phrases without blocking anything.
public enum BlameCheck {
  /// The phrase list, kept as data.
  public static let phrases: [BlamePhrase] = [
    BlamePhrase("careless", .blame, "What made this easy to miss at the time?"),
    BlamePhrase("carelessness", .blame, "What made this easy to miss at the time?"),
    BlamePhrase("lazy", .blame, "What competing demands were on people's time?"),
    BlamePhrase("sloppy", .blame, "What would have made the right way the easy way?"),
    BlamePhrase("negligent", .blame, "What did the situation look like from inside it?"),
    BlamePhrase("negligence", .blame, "What did the situation look like from inside it?"),
    BlamePhrase("incompetent", .blame, "What knowledge or support was missing, and why?"),
    BlamePhrase("stupid", .blame, "What made this choice look reasonable then?"),
    BlamePhrase("dumb", .blame, "What made this choice look reasonable then?"),
    BlamePhrase("reckless", .blame, "What pressures made the risk look acceptable?"),
    BlamePhrase("didn't bother", .blame, "What made this step seem optional?"),
    BlamePhrase("did not bother", .blame, "What made this step seem optional?"),
    BlamePhrase("should have", .hindsight, "What would have helped us see this at the time?"),
    BlamePhrase("should've", .hindsight, "What would have helped us see this at the time?"),
    BlamePhrase("shouldn't have", .hindsight, "What made this look like the right call then?"),
    BlamePhrase("should not have", .hindsight, "What made this look like the right call then?"),
    BlamePhrase("could have", .hindsight, "What options did people see at that moment?"),
    BlamePhrase("would have", .hindsight, "What did people know at that moment?"),
    BlamePhrase("failed to", .hindsight, "What got in the way of doing this?"),
    BlamePhrase("failure to", .hindsight, "What got in the way of doing this?"),
    BlamePhrase(
      "obviously", .hindsight, "Was it obvious then, or only now that we know the outcome?"),
    BlamePhrase(
      "obvious", .hindsight, "Was it obvious then, or only now that we know the outcome?"),
    BlamePhrase("clearly", .hindsight, "What made it unclear at the time?"),
    BlamePhrase("in hindsight", .hindsight, "What signals were available before the outcome?"),
    BlamePhrase("just", .minimising, "What made this harder than it sounds?"),
    BlamePhrase("simply", .minimising, "What made this harder than it sounds?"),
    BlamePhrase("human error", .personAsCause, "Which conditions made this error likely?"),
    BlamePhrase("user error", .personAsCause, "Which conditions made this error likely?"),
    BlamePhrase("operator error", .personAsCause, "Which conditions made this error likely?"),
    BlamePhrase("mistake by", .personAsCause, "What in the system allowed this mistake through?"),
    BlamePhrase("fault of", .personAsCause, "What in the system allowed this through?"),
    BlamePhrase("blame", .personAsCause, "What would we change in the system, not the person?"),
    BlamePhrase("to blame", .personAsCause, "What would we change in the system, not the person?"),
  ]

  /// Verbs of failure that make a person the subject of a miss ("Sam forgot to").
  public static let failureVerbs: Set<String> = [
    "forgot", "missed", "broke", "ignored", "neglected", "overlooked", "skipped", "botched",
    "messed", "screwed", "dropped", "misread", "misconfigured", "forgets", "misses", "breaks",
    "ignores", "neglects", "overlooks", "skips",
  ]

  /// Pronouns that make a person the subject.
  public static let personPronouns: Set<String> = ["he", "she", "they", "i", "you"]

  /// Capitalised words that are not people.
  static let notPeople: Set<String> = [
    "the", "a", "an", "it", "this", "that", "these", "those", "we", "our", "us", "there",
    "then", "when", "while", "after", "before", "if", "because", "and", "but", "so", "system",
    "service", "deploy", "deployment", "release", "build", "ci", "test", "tests", "monitoring",
    "team", "nobody", "everyone", "someone", "process", "alert", "alerts", "pipeline", "job",
    "script", "config", "database", "api", "server", "cluster", "who", "what", "which",
  ]

  struct Token {
    var text: String
    var lower: String
    var range: Range<String.Index>
    var offsets: Range<Int>
    var capitalised: Bool
  }

  static func tokens(_ text: String) -> [Token] {
    var out: [Token] = []
    var start: String.Index?
    var startOffset = 0
    var offset = 0
    var i = text.startIndex
    func isWordChar(_ c: Character) -> Bool {
      // ASCII decided by its byte (the Unicode properties are a table lookup a character).
      if let a = c.asciiValue {
        return (0x61...0x7A).contains(a | 0x20) || (0x30...0x39).contains(a) || a == 0x27
      }
      return c.isLetter || c.isNumber || c == "’"
    }
    func close(_ end: String.Index, _ endOffset: Int) {
      guard let s = start else { return }
      var word = String(text[s..<end])
      var e = end
      var eo = endOffset
      while let last = word.last, last == "'" || last == "’" {
        word.removeLast()
        e = text.index(before: e)
        eo -= 1
      }
      if !word.isEmpty {
        var lower = word.lowercased()
        // A typographic apostrophe (E2 80 99) made plain; most words have none to look for.
        if lower.utf8.contains(0xE2) { lower = lower.replacingOccurrences(of: "’", with: "'") }
        out.append(
          Token(
            text: word, lower: lower, range: s..<e, offsets: startOffset..<eo,
            capitalised: word.first?.isUppercase == true))
      }
      start = nil
    }
    while i < text.endIndex {
      let c = text[i]
      if isWordChar(c) {
        if start == nil, c != "'", c != "’" {
          start = i
          startOffset = offset
        }
      } else {
        close(i, offset)
      }
      i = text.index(after: i)
      offset += 1
    }
    close(text.endIndex, offset)
    return out
  }

  /// The flags in `text`, in order of position; case-insensitive, whole words only.
  public static func flags(in text: String) -> [BlameFlag] {
    let toks = tokens(text)
    var flags: [BlameFlag] = []
    var covered: Set<Int> = []
    func add(_ from: Int, _ to: Int, _ category: BlameCategory, _ suggestion: String) {
      guard !(from...to).contains(where: { covered.contains($0) }) else { return }
      for k in from...to { covered.insert(k) }
      let range = toks[from].range.lowerBound..<toks[to].range.upperBound
      flags.append(
        BlameFlag(
          range: range, offsets: toks[from].offsets.lowerBound..<toks[to].offsets.upperBound,
          phrase: String(text[range]), category: category, suggestion: suggestion))
    }
    // Longest phrases first so "should not have" wins over parts of it.
    let ordered = phrases.sorted { $0.words.count > $1.words.count }
    for (i, tok) in toks.enumerated() {
      // A person as the subject of a failure: "Sam forgot to", "he missed".
      if i + 1 < toks.count {
        let next = toks[i + 1].lower
        let isPerson =
          personPronouns.contains(tok.lower)
          || (tok.capitalised && !notPeople.contains(tok.lower) && tok.text.count > 1)
        if isPerson && failureVerbs.contains(next) {
          add(
            i, i + 1, .personAsCause,
            "Describe what happened to the system: what made \"\(toks[i + 1].text)\" possible or likely?"
          )
          continue
        }
        // "Sam's mistake", "Sam's fault"
        if tok.lower.hasSuffix("'s"), ["mistake", "fault", "error"].contains(next) {
          add(i, i + 1, .personAsCause, "What in the system allowed this through?")
          continue
        }
      }
      for p in ordered {
        guard i + p.words.count <= toks.count else { continue }
        var ok = true
        for (k, w) in p.words.enumerated() where w != "*" && toks[i + k].lower != w {
          ok = false
          break
        }
        if ok {
          add(i, i + p.words.count - 1, p.category, p.suggestion)
          break
        }
      }
    }
    return flags.sorted { $0.offsets.lowerBound < $1.offsets.lowerBound }
  }
}
