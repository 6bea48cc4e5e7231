import Foundation
import LearningLog
import TerminalUI

/// How the incident list is ordered.
public enum IncidentSort: String, CaseIterable, Sendable, Hashable {
  /// Newest first.
  case date
  /// Most severe first, then newest.
  case severity
  /// Most repeated pattern first, then newest.
  case repeats

  /// The next order in the cycle.
  public var next: IncidentSort {
    let all = Self.allCases
    return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
  }
}

/// Which incidents the list shows; nil fields match everything.
public struct IncidentFilter: Hashable, Sendable {
  public var status: String?
  public var kind: String?
  public var team: String?
  public var tag: String?
  public var pattern: String?
  public var severity: String?

  /// A filter that matches every incident.
  public init(
    status: String? = nil, kind: String? = nil, team: String? = nil, tag: String? = nil,
    pattern: String? = nil, severity: String? = nil
  ) {
    self.status = status
    self.kind = kind
    self.team = team
    self.tag = tag
    self.pattern = pattern
    self.severity = severity
  }

  /// Whether no field narrows the list.
  public var isEmpty: Bool { self == IncidentFilter() }

  /// The field names, in form order.
  static let fields = ["status", "kind", "team", "tag", "pattern", "severity"]

  subscript(field: String) -> String? {
    get {
      switch field {
      case "status": return status
      case "kind": return kind
      case "team": return team
      case "tag": return tag
      case "pattern": return pattern
      default: return severity
      }
    }
    set {
      switch field {
      case "status": status = newValue
      case "kind": kind = newValue
      case "team": team = newValue
      case "tag": tag = newValue
      case "pattern": pattern = newValue
      default: severity = newValue
      }
    }
  }

  /// Whether `incident` passes.
  public func matches(_ i: Incident) -> Bool {
    if let status, i.status.rawValue != status { return false }
    if let kind, i.kind.rawValue != kind { return false }
    if let team, i.team != team { return false }
    if let tag, !i.tags.contains(tag) { return false }
    if let pattern, !i.patterns.contains(pattern) { return false }
    if let severity, i.severity.rawValue != severity { return false }
    return true
  }

  /// "status=open kind=deadline", for the list's header.
  public var summary: String {
    Self.fields.compactMap { f in self[f].map { "\(f)=\($0)" } }.joined(separator: " ")
  }

  /// The options each field offers in `domain` ("any" first).
  static func options(_ field: String, in domain: LearningState) -> [String] {
    let values: [String]
    switch field {
    case "status": values = IncidentStatus.allCases.map(\.rawValue)
    case "kind": values = IncidentKind.allCases.map(\.rawValue)
    case "severity": values = Severity.allCases.map(\.rawValue)
    case "team": values = Set(domain.incidentList.map(\.team).filter { !$0.isEmpty }).sorted()
    case "tag": values = Set(domain.incidentList.flatMap(\.tags)).sorted()
    default: values = Set(domain.incidentList.flatMap(\.patterns)).sorted()
    }
    return ["any"] + values
  }
}

/// The incidents a list shows: filtered, searched and sorted.
public enum IncidentQuery {
  /// Whether `incident` contains `text` (case-insensitive) in its title, what happened, team,
  /// owner, tags, patterns or answers.
  public static func matches(_ incident: Incident, search text: String) -> Bool {
    let needle = IncrementalSearch.folded(text.trimmingCharacters(in: .whitespaces))
    guard !needle.isEmpty else { return true }
    return searchable(incident).contains { IncrementalSearch.text($0, contains: needle) }
  }

  /// The texts a search looks in: title, what happened, team, owner, tags, patterns and the
  /// latest version of every answer.
  static func searchable(_ incident: Incident) -> [String] {
    [incident.title, incident.what, incident.team, incident.owner]
      + incident.tags + incident.patterns + incident.answers.values.compactMap { $0.last?.value }
  }

  /// The search index of `context`'s log, built once per change of the log.
  static func searchIndex(_ context: ViewContext) -> SearchIndex {
    context.derived("incidents.search") { SearchIndex(context.domain.incidents) }
  }

  /// Every position of `index` in the list's order for `sort`, sorted once per change of the
  /// log: a search picks its matches out of it instead of sorting them.
  static func searchOrder(_ context: ViewContext, _ index: SearchIndex, _ sort: IncidentSort)
    -> [Int]
  {
    context.derived("incidents.search.order.\(sort)") { () -> [Int] in
      var counts: [String: Int] = [:]
      if sort == .repeats { for p in context.patterns { counts[p.key] = p.count } }
      var keys: [RowKey] = []
      keys.reserveCapacity(index.ids.count)
      for (k, id) in index.ids.enumerated() {
        guard let inc = context.domain.incidents[id] else { continue }
        keys.append(
          RowKey(
            primary: primary(sort, severity: inc.severity, patterns: inc.patterns, counts: counts),
            occurred: inc.occurred.ordinal, created: inc.createdAt, row: k))
      }
      keys.sort { a, b in Self.before(a, b, index.ids, context) }
      return keys.map(\.row)
    }
  }

  /// Every incident's searchable texts, lowercased once into one buffer, and which incident
  /// each entry is: built once per change of the log, narrowed as the query grows.
  final class SearchIndex: @unchecked Sendable {
    let ids: [String]
    private let lock = NSLock()
    private var search: IncrementalSearch

    init(_ incidents: EntityMap<Incident>) {
      var ids: [String] = []
      ids.reserveCapacity(incidents.count)
      var total = 0
      incidents.forEachEntity { _, inc in
        total += inc.title.utf8.count + inc.what.utf8.count + inc.team.utf8.count
        total += inc.owner.utf8.count + 8
        for t in inc.tags { total += t.utf8.count + 1 }
        for p in inc.patterns { total += p.utf8.count + 1 }
        for versions in inc.answers.values { total += (versions.last?.value.utf8.count ?? 0) + 1 }
      }
      var search = IncrementalSearch(capacity: incidents.count, bytes: total)
      incidents.forEachEntity { id, inc in
        ids.append(id)
        // The fields of ``searchable(_:)``, added one by one (no array, no joined copy).
        search.addField(inc.title)
        search.addField(inc.what)
        search.addField(inc.team)
        search.addField(inc.owner)
        for t in inc.tags { search.addField(t) }
        for p in inc.patterns { search.addField(p) }
        for versions in inc.answers.values { if let v = versions.last { search.addField(v.value) } }
        search.endText()
      }
      self.ids = ids
      self.search = search
    }

    /// The positions in ``ids`` of the incidents whose texts hold `needle` (lowercased).
    func matches(_ needle: String) -> [Int] {
      lock.withLock { search.update(needle) }
    }
  }

  /// The ids of the rows for `filter`, `search` and `sort`, in list order.
  ///
  /// Sorts small integer keys rather than whole incidents, so large logs stay quick; ids are
  /// compared only between incidents whose keys are equal.
  public static func rowIDs(
    _ context: ViewContext, filter: IncidentFilter, search: String, sort: IncidentSort
  ) -> [String] {
    let incidents = context.domain.incidents
    var counts: [String: Int] = [:]
    if sort == .repeats { for p in context.patterns { counts[p.key] = p.count } }
    let needle = search.trimmingCharacters(in: .whitespaces)
    var ids: [String] = []
    var keys: [RowKey] = []
    ids.reserveCapacity(incidents.count)
    keys.reserveCapacity(incidents.count)
    if filter.isEmpty && needle.isEmpty {
      // Every incident: read the fields the order needs in place, copying no incident.
      incidents.forEachEntity { id, inc in
        keys.append(
          RowKey(
            primary: primary(sort, severity: inc.severity, patterns: inc.patterns, counts: counts),
            occurred: inc.occurred.ordinal, created: inc.createdAt, row: ids.count))
        ids.append(id)
      }
    } else if !needle.isEmpty {
      // Search as you type: the index narrows the previous matches, and the matches are
      // picked out of every incident's place in the list, sorted once per change of the log.
      let index = searchIndex(context)
      let order = searchOrder(context, index, sort)
      var hit = [Bool](repeating: false, count: index.ids.count)
      for k in index.matches(needle.lowercased()) { hit[k] = true }
      var out: [String] = []
      for k in order where hit[k] {
        let id = index.ids[k]
        if !filter.isEmpty {
          guard let inc = incidents[id], filter.matches(inc) else { continue }
        }
        out.append(id)
      }
      return out
    } else {
      for (id, inc) in incidents where filter.matches(inc) {
        keys.append(
          RowKey(
            primary: primary(sort, severity: inc.severity, patterns: inc.patterns, counts: counts),
            occurred: inc.occurred.ordinal, created: inc.createdAt,
            row: ids.count))
        ids.append(id)
      }
    }
    keys.sort { a, b in Self.before(a, b, ids, context) }
    return keys.map { ids[$0.row] }
  }

  /// The list's order: newest (or most severe, or most repeated) first, then the day it
  /// happened and the time it was recorded, later first; incidents recorded at one instant (an
  /// import) by their place in the log, later first: the command line's order too.
  ///
  /// `ids[row]` is a key's id.
  private static func before(_ a: RowKey, _ b: RowKey, _ ids: [String], _ context: ViewContext)
    -> Bool
  {
    if a.primary != b.primary { return a.primary > b.primary }
    if a.occurred != b.occurred { return a.occurred > b.occurred }
    if a.created != b.created { return a.created > b.created }
    let place = creationPlaces(context)
    return (place[ids[a.row]] ?? -1) > (place[ids[b.row]] ?? -1)
  }

  /// Each incident's place in the log's creation order, made once per change of the log and
  /// only when two incidents were recorded at one instant.
  static func creationPlaces(_ context: ViewContext) -> [String: Int] {
    context.derived("incidents.creationPlaces") { () -> [String: Int] in
      let order = context.domain.incidentIDsInCreationOrder
      var places: [String: Int] = [:]
      places.reserveCapacity(order.count)
      for (i, id) in order.enumerated() { places[id] = i }
      return places
    }
  }

  /// What orders one row: the sort's own key, then the day and time it happened.
  private struct RowKey {
    var primary: Int
    var occurred: Int
    var created: Int64
    /// Where its id is in the ids gathered.
    var row: Int
  }

  /// The first key of `sort`: 0 by date, the severity's rank, or the largest count of the
  /// incident's patterns.
  private static func primary(
    _ sort: IncidentSort, severity: Severity, patterns: [String], counts: [String: Int]
  ) -> Int {
    switch sort {
    case .date: return 0
    case .severity: return Severity.allCases.firstIndex(of: severity) ?? 0
    case .repeats: return patterns.map { counts[$0] ?? 0 }.max() ?? 0
    }
  }

  /// The rows for `filter`, `search` and `sort`.
  public static func rows(
    _ context: ViewContext, filter: IncidentFilter, search: String, sort: IncidentSort
  ) -> [Incident] {
    rowIDs(context, filter: filter, search: search, sort: sort).compactMap {
      context.domain.incidents[$0]
    }
  }
}

extension Day {
  /// "11-25": month and day, for narrow columns.
  var monthDay: String { String(description.dropFirst(5)) }
}

extension Incident {
  /// One cell for the status: ○ open, ◐ reviewing, ● reviewed, ✓ closed.
  var statusGlyph: String {
    switch status {
    case .open: return "○"
    case .reviewing: return "◐"
    case .reviewed: return "●"
    case .closed: return "✓"
    }
  }
}

extension Severity {
  /// Four cells at most: "crit", "high", "med", "low".
  var short: String {
    switch self {
    case .critical: return "crit"
    case .high: return "high"
    case .medium: return "med"
    case .low: return "low"
    }
  }
}
