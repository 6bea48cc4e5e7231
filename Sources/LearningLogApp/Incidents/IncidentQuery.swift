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
    let needle = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard !needle.isEmpty else { return true }
    let hay =
      [incident.title, incident.what, incident.team, incident.owner]
      + incident.tags + incident.patterns + incident.answers.values.compactMap { $0.last?.value }
    return hay.contains { $0.lowercased().contains(needle) }
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
    } else {
      for (id, inc) in incidents
      where filter.matches(inc) && (needle.isEmpty || matches(inc, search: needle)) {
        keys.append(
          RowKey(
            primary: primary(sort, severity: inc.severity, patterns: inc.patterns, counts: counts),
            occurred: inc.occurred.ordinal, created: inc.createdAt,
            row: ids.count))
        ids.append(id)
      }
    }
    // Newest (or most severe, or most repeated) first; equal keys by id, descending.
    keys.sort { a, b in
      if a.primary != b.primary { return a.primary > b.primary }
      if a.occurred != b.occurred { return a.occurred > b.occurred }
      if a.created != b.created { return a.created > b.created }
      return ids[a.row] > ids[b.row]
    }
    return keys.map { ids[$0.row] }
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
