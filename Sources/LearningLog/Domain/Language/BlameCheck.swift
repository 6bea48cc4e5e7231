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
    var text: Substring
    var lower: String
    var range: Range<String.Index>
    var offsets: Range<Int>
    var capitalised: Bool
  }

  /// The words of `text` with where they are: letters, digits and apostrophes, trailing
  /// apostrophes left out.
  static func tokens(_ text: String) -> [Token] {
    asciiTokens(text) ?? scalarTokens(text) ?? characterTokens(text)
  }

  /// Whether the scalar `v` is always a character of its own.
  ///
  /// It is never joined to the scalar before it (no combining mark, joiner or emoji modifier)
  /// nor to the one after it (no CR, prepended mark, Hangul jamo or regional indicator):
  /// letters of Latin, Greek and Cyrillic scripts, punctuation, symbols, kana, CJK ideographs
  /// and Hangul syllables.
  static func standsAlone(_ v: UInt32) -> Bool {
    switch v {
    case 0x80...0x2FF, 0x370...0x482, 0x48A...0x52F, 0x2010...0x2027, 0x2030...0x205E,
      0x20A0...0x20C0, 0x2100...0x23FF, 0x2500...0x27BF, 0x3000...0x3029, 0x3030...0x3098,
      0x309B...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF9D:
      return true
    default: return false
    }
  }

  /// ``tokens(_:)`` read scalar by scalar, when every scalar of `text` is a character of its
  /// own (ASCII but CR, or ``standsAlone(_:)``); nil otherwise.
  static func scalarTokens(_ text: String) -> [Token]? {
    let scalars = text.unicodeScalars
    for u in scalars where u.value >= 0x80 ? !standsAlone(u.value) : u.value == 0x0D {
      return nil
    }
    return tokens(text, scalars) { u in
      u.value < 0x80
        ? (0x61...0x7A).contains(u.value | 0x20) || (0x30...0x39).contains(u.value) || u == "'"
        : u == "\u{2019}" || isLetterOrNumber(u)
    } isApostrophe: {
      $0 == "'" || $0 == "\u{2019}"
    } capitalised: { word in
      // The word's first scalar is its first character.
      guard let u = word.unicodeScalars.first else { return false }
      return u.value < 0x80 ? (0x41...0x5A).contains(u.value) : Character(u).isUppercase
    }
  }

  /// Whether a scalar that is a character of its own is a letter or a number, as
  /// `Character.isLetter` and `Character.isNumber` say of it.
  static func isLetterOrNumber(_ u: Unicode.Scalar) -> Bool {
    u.properties.isAlphabetic || u.properties.numericType != nil
  }

  /// `word` (ASCII) with its capital letters made small.
  static func asciiLowered(_ word: UnsafeBufferPointer<UInt8>) -> String {
    String(unsafeUninitializedCapacity: word.count) { out in
      for (k, b) in word.enumerated() { out[k] = (0x41...0x5A).contains(b) ? b | 0x20 : b }
      return word.count
    }
  }

  /// ``tokens(_:)`` read byte by byte, when `text` is ASCII without a carriage return (each
  /// byte is then one character); nil otherwise.
  static func asciiTokens(_ text: String) -> [Token]? {
    let u = text.utf8
    let found = u.withContiguousStorageIfAvailable { b -> [Token]? in
      for c in b where c >= 0x80 || c == 0x0D { return nil }
      var out: [Token] = []
      var start = -1
      func close(_ end: Int) {
        guard start >= 0 else { return }
        var e = end
        while e > start, b[e - 1] == 0x27 { e -= 1 }
        let word = UnsafeBufferPointer(rebasing: b[start..<e])
        let range = u.index(u.startIndex, offsetBy: start)..<u.index(u.startIndex, offsetBy: e)
        out.append(
          Token(
            text: text[range], lower: asciiLowered(word), range: range, offsets: start..<e,
            capitalised: (0x41...0x5A).contains(b[start])))
        start = -1
      }
      for k in 0..<b.count {
        let a = b[k]
        if (0x61...0x7A).contains(a | 0x20) || (0x30...0x39).contains(a) || a == 0x27 {
          if start < 0, a != 0x27 { start = k }
        } else {
          close(k)
        }
      }
      close(b.count)
      return out
    }
    return found ?? nil
  }

  /// ``tokens(_:)`` read character by character: any text.
  static func characterTokens(_ text: String) -> [Token] {
    tokens(text, text) { c in
      // ASCII decided by its byte (the Unicode properties are a table lookup a character).
      if let a = c.asciiValue {
        return (0x61...0x7A).contains(a | 0x20) || (0x30...0x39).contains(a) || a == 0x27
      }
      return c.isLetter || c.isNumber || c == "\u{2019}"
    } isApostrophe: {
      $0 == "'" || $0 == "\u{2019}"
    } capitalised: {
      $0.first?.isUppercase == true
    }
  }

  /// The words of `text` read as `elements` (its characters, or its scalars when each is a
  /// character), each a character apart: runs of what `isWord` accepts, starting with no
  /// apostrophe, trailing apostrophes left out.
  static func tokens<Elements: BidirectionalCollection>(
    _ text: String, _ elements: Elements, isWord: (Elements.Element) -> Bool,
    isApostrophe: (Elements.Element) -> Bool, capitalised: (Substring) -> Bool
  ) -> [Token] where Elements.Index == String.Index {
    var out: [Token] = []
    var start: String.Index?
    var startOffset = 0
    var offset = 0
    func close(_ end: String.Index, _ endOffset: Int) {
      guard let s = start else { return }
      var e = end
      var eo = endOffset
      while e > s, isApostrophe(elements[elements.index(before: e)]) {
        e = elements.index(before: e)
        eo -= 1
      }
      let word = text[s..<e]
      // ASCII lowered by its bytes; any other word by the full case mapping.
      let ascii = word.utf8.withContiguousStorageIfAvailable { b in
        b.allSatisfy { $0 < 0x80 } ? asciiLowered(b) : nil
      }
      var lower = (ascii ?? nil) ?? word.lowercased()
      // A typographic apostrophe (E2 80 99) made plain; most words have none to look for.
      if lower.utf8.contains(0xE2) { lower = lower.replacingOccurrences(of: "\u{2019}", with: "'") }
      out.append(
        Token(
          text: word, lower: lower, range: s..<e, offsets: startOffset..<eo,
          capitalised: capitalised(word)))
      start = nil
    }
    var i = elements.startIndex
    while i < elements.endIndex {
      let c = elements[i]
      if isWord(c) {
        if start == nil, !isApostrophe(c) {
          start = i
          startOffset = offset
        }
      } else {
        close(i, offset)
      }
      i = elements.index(after: i)
      offset += 1
    }
    close(elements.endIndex, offset)
    return out
  }

  /// The phrases, longest first so "should not have" wins over parts of it.
  static let ordered = phrases.sorted { $0.words.count > $1.words.count }
  /// The phrases whose first word is `*`, in ``ordered``'s order.
  static let anyFirstWord = ordered.filter { $0.words.first == "*" }
  /// The phrases a word may start, by the word: those it is the first word of and those with
  /// any first word, in ``ordered``'s order.
  static let candidates: [String: [BlamePhrase]] = {
    var out: [String: [BlamePhrase]] = [:]
    for p in ordered {
      guard let first = p.words.first, first != "*", out[first] == nil else { continue }
      out[first] = ordered.filter { $0.words.first == first || $0.words.first == "*" }
    }
    return out
  }()

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
      for p in candidates[tok.lower] ?? anyFirstWord {
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
