import Foundation
import WorkCounting

extension LearningState {
  /// Every live id of `kind` (every kind when nil).
  public func ids(of kind: EntityKind?) -> [String] {
    switch kind {
    case .incident: return incidentOrder.filter { incidents.contains($0) }
    case .action: return actionOrder.filter { actions.contains($0) }
    case .experiment: return experimentOrder.filter { experiments[$0] != nil }
    case .lesson: return lessonOrder.filter { lessons[$0] != nil }
    case .template: return templateOrder.filter { templateRevisions[$0] != nil }
    case .note: return noteOrder.filter { notes[$0] != nil }
    case .factor: return factorOrder.filter { factors[$0] != nil }
    case .timeline: return timelineOrder.filter { timelineEntries[$0] != nil }
    case .checklist: return checklistOrder.filter { checklists[$0] != nil }
    case .win: return winOrder.filter { wins[$0] != nil }
    case nil:
      return [EntityKind.incident, .action, .experiment, .lesson, .note, .factor, .timeline, .win]
        .flatMap { ids(of: $0) }
    }
  }

  /// The kind of the live entity `id`, if any.
  public func kind(of id: String) -> EntityKind? {
    if incidents.contains(id) { return .incident }
    if actions.contains(id) { return .action }
    if experiments[id] != nil { return .experiment }
    if lessons[id] != nil { return .lesson }
    if notes[id] != nil { return .note }
    if factors[id] != nil { return .factor }
    if timelineEntries[id] != nil { return .timeline }
    if templateRevisions[id] != nil { return .template }
    if checklists[id] != nil { return .checklist }
    if wins[id] != nil { return .win }
    return nil
  }

  /// The full id of the `kind` entity whose id starts with `prefix` (any length ≥ 1).
  ///
  /// Throws when no entity or more than one matches, naming the candidates.
  public func resolve(_ prefix: String, _ kind: EntityKind? = nil) throws -> String {
    let p = prefix.trimmingCharacters(in: .whitespaces).lowercased()
    let what = kind?.rawValue ?? "entity"
    guard !p.isEmpty else {
      throw DomainError("\(what) id is empty; give the id or a unique prefix of it")
    }
    if kind == .template, templateRevisions[p] != nil { return p }
    if kind == .checklist, checklists[p] != nil { return p }
    // A whole id (what scripts and the app pass) needs no scan of every id.
    if let k = self.kind(of: p), k != .template, k != .checklist, kind == nil || kind == k {
      return p
    }
    var matches: [String] = []
    if incidents.isLazy || actions.isLazy {
      // The snapshot's index is sorted: the ids with this prefix sit together.
      matches = prefixMatches(p, kind)
    } else {
      for id in ids(of: kind == .template ? .template : kind) where id.hasPrefix(p) {
        if id == p { return id }
        matches.append(id)
      }
    }
    if matches.count == 1 { return matches[0] }
    if matches.isEmpty {
      if tombstones.contains(where: { $0.hasPrefix(p) }) {
        throw DomainError("\(what) '\(DomainError.echo(prefix))' was deleted; pick another id")
      }
      let hint: String
      switch kind {
      case .incident, nil: hint = "list them with `learnlog incident list`"
      case .action: hint = "list them with `learnlog action list`"
      case .lesson: hint = "list them with `learnlog lesson list`"
      case .checklist: hint = "list them with `learnlog checklist list`"
      case .experiment, .template, .note, .factor, .timeline, .win: hint = "check the id"
      }
      throw DomainError("no \(what) with id '\(DomainError.echo(prefix))'; \(hint)")
    }
    let shown = matches.prefix(5).map(DomainError.echo).joined(separator: ", ")
    let more = matches.count > 5 ? " and \(matches.count - 5) more" : ""
    throw DomainError(
      "\(what) id '\(DomainError.echo(prefix))' is ambiguous: \(shown)\(more); type more characters"
    )
  }

  /// The live ids of `kind` (every kind when nil) that start with `prefix`, in creation order
  /// for the small kinds and index order for incidents and actions.
  func prefixMatches(_ prefix: String, _ kind: EntityKind?) -> [String] {
    switch kind {
    case .incident: return incidents.keys(withPrefix: prefix).sorted()
    case .action: return actions.keys(withPrefix: prefix).sorted()
    case .template, .checklist: return ids(of: kind).filter { $0.hasPrefix(prefix) }
    case .experiment, .lesson, .note, .factor, .timeline, .win:
      return ids(of: kind).filter { $0.hasPrefix(prefix) }
    case nil:
      return [EntityKind.incident, .action, .experiment, .lesson, .note, .factor, .timeline, .win]
        .flatMap {
          prefixMatches(prefix, $0)
        }
    }
  }

  /// The shortest prefix of `id`, at least 6 characters, that no other live id shares.
  ///
  /// The first call on a state scans every id in memory once (of the small kinds, and of
  /// incidents and actions unless a snapshot holds them, whose sorted index gives the
  /// neighbours at once); a second call on the same ids sorts them once, and every call
  /// after that looks at `id`'s neighbours only. So one call costs a scan and a loop over
  /// many ids (a calendar, a list) costs a sort, never a scan per id.
  public func shortID(for id: String) -> String {
    var shared = 0
    if let sorted = shortIDMemo.sortedIDs(stamp: idStamp, build: inMemoryIDsSorted) {
      shared = Self.longestSharedPrefix(of: id, amongSorted: sorted)
      shared = Swift.max(
        shared, incidents.longestSharedPrefixInBase(with: id),
        actions.longestSharedPrefixInBase(with: id))
    } else {
      shared = Swift.max(
        incidents.longestSharedPrefix(with: id), actions.longestSharedPrefix(with: id))
      for kind in [EntityKind.experiment, .lesson, .note, .factor, .timeline, .win] {
        for other in ids(of: kind) where other != id {
          WorkCounter.count("ids compared for a short id")
          shared = Swift.max(shared, zip(id.utf8, other.utf8).prefix { $0 == $1 }.count)
        }
      }
    }
    return String(id.prefix(Swift.max(6, shared + 1)))
  }

  /// Every live id held in memory, sorted: the incidents and actions decoded or written since
  /// a snapshot (all of them without one) and every id of the small kinds.
  func inMemoryIDsSorted() -> [String] {
    var all: [String] = []
    all.reserveCapacity(
      incidents.stored.count + actions.stored.count + experiments.count + lessons.count
        + notes.count + factors.count + timelineEntries.count + wins.count)
    all += incidents.stored.keys
    all += actions.stored.keys
    all += experiments.keys
    all += lessons.keys
    all += notes.keys
    all += factors.keys
    all += timelineEntries.keys
    all += wins.keys
    all.sort()
    return all
  }

  /// The longest prefix `id` shares with an id of `sorted` other than itself: its
  /// neighbours' (a binary search, then the nearest different ids on either side).
  static func longestSharedPrefix(of id: String, amongSorted sorted: [String]) -> Int {
    let lo = ShortIDIndex.lowerBound(sorted, id)
    func common(_ other: String) -> Int { zip(id.utf8, other.utf8).prefix { $0 == $1 }.count }
    var best = 0
    var before = lo - 1
    while before >= 0, sorted[before] == id { before -= 1 }
    if before >= 0 { best = common(sorted[before]) }
    var after = lo
    while after < sorted.count, sorted[after] == id { after += 1 }
    if after < sorted.count { best = Swift.max(best, common(sorted[after])) }
    return best
  }

  /// The short id of every live entity at once (sorting, not one scan per id).
  public func shortIDs() -> [String: String] {
    shortIDsOfCanonicalIDs() ?? shortIDsByString()
  }

  /// ``shortIDs()`` for any ids, by sorting the strings.
  func shortIDsByString() -> [String: String] {
    let all = ids(of: nil).sorted()
    var out: [String: String] = [:]
    out.reserveCapacity(all.count)
    func lcp(_ a: String, _ b: String) -> Int { zip(a.utf8, b.utf8).prefix { $0 == $1 }.count }
    for (i, id) in all.enumerated() {
      var need = 6
      if i > 0 { need = max(need, lcp(all[i - 1], id) + 1) }
      if i + 1 < all.count { need = max(need, lcp(all[i + 1], id) + 1) }
      out[id] = String(id.prefix(need))
    }
    return out
  }

  /// ``shortIDs()`` when every live id is 12 characters of the id alphabet (as generated ids
  /// are): each packs into 60 bits, so sorting and common prefixes are integer work.
  func shortIDsOfCanonicalIDs() -> [String: String]? {
    var digit = [UInt8](repeating: 0xFF, count: 128)
    for (i, c) in "0123456789abcdefghjkmnpqrstvwxyz".utf8.enumerated() { digit[Int(c)] = UInt8(i) }
    let all = ids(of: nil)
    var keys: [(key: UInt64, index: Int)] = []
    keys.reserveCapacity(all.count)
    for (n, id) in all.enumerated() {
      var s = id
      let packed: UInt64? = s.withUTF8 { u in
        guard u.count == 12 else { return nil }
        var v: UInt64 = 0
        for c in u {
          guard c < 128, digit[Int(c)] != 0xFF else { return nil }
          v = v << 5 | UInt64(digit[Int(c)])
        }
        return v
      }
      guard let packed else { return nil }
      keys.append((packed, n))
    }
    // Alphabet order is byte order, so integer order is string order.
    keys.sort { $0.key < $1.key }
    func common(_ a: UInt64, _ b: UInt64) -> Int {
      let x = a ^ b
      return x == 0 ? 12 : (x.leadingZeroBitCount - 4) / 5
    }
    var out: [String: String] = [:]
    out.reserveCapacity(all.count)
    for i in keys.indices {
      var need = 6
      if i > 0 { need = max(need, common(keys[i - 1].key, keys[i].key) + 1) }
      if i + 1 < keys.count { need = max(need, common(keys[i + 1].key, keys[i].key) + 1) }
      let id = all[keys[i].index]
      // The id is ASCII: its first `need` bytes are its first `need` characters.
      var full = id
      out[id] = full.withUTF8 {
        String(decoding: UnsafeBufferPointer(rebasing: $0[..<min(need, $0.count)]), as: UTF8.self)
      }
    }
    return out
  }
}
