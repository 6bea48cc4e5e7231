import Foundation

/// What an import from another tool planned: the records and how many items were already there.
public struct ExternalImportResult: Sendable {
  /// The records to append (all-or-nothing).
  public var plan: Plan
  /// New incidents in `plan`.
  public var created: Int
  /// Items skipped because their source (URL or issue key) is already in the log or the file.
  public var skipped: Int
}

/// Imports incidents from where teams already keep them: GitHub issues and Jira CSV exports.
///
/// Each item becomes one incident whose id is derived from its source (the issue URL, or the
/// Jira issue key), so importing the same file again finds every item already there and adds
/// nothing. Every item is validated before anything is returned; an error names the item
/// (`item 12` of a JSON array, `row 12` of a CSV, the header being row 1).
///
/// Labels map to kind and severity by ``LabelMapping``; every other label becomes a tag.
public enum ExternalImport {
  /// Reports progress: items done and the total.
  public typealias ProgressReport = (_ done: Int, _ total: Int) -> Void

  /// The command that lists a repository's issues as the GitHub import reads them.
  public static let githubListCommand =
    "gh issue list --state all --limit 10000 "
    + "--json number,title,body,labels,createdAt,closedAt,author,url"

  /// Incidents from the JSON that ``githubListCommand`` prints.
  ///
  /// Each issue needs its `url` (http or https: the key that tells issues of different
  /// repositories apart), a positive whole `number`, a `title` and a `createdAt` time in
  /// RFC 3339 (`Z` or an offset such as `+05:00`).
  public static func github(
    _ data: Data, into state: LearningState, context: CommandContext, team: String = "",
    progress: ProgressReport? = nil
  ) throws -> ExternalImportResult {
    let advice = "list the issues again with `\(githubListCommand) > FILE`"
    let root: JSONValue
    do {
      root = try ExchangeJSON.decode(data, advice: advice)
    } catch let e as DomainError {
      throw DomainError("not GitHub issue JSON: \(e.message)")
    }
    guard let items = root.arrayValue else {
      throw DomainError("not GitHub issue JSON: expected a list of issues; \(advice)")
    }
    var builder = Builder(state: state, context: context, total: items.count, progress: progress)
    for (n, item) in items.enumerated() {
      let label = "item \(n + 1)"
      guard item.objectValue != nil else {
        throw DomainError("\(label): not an object; each issue is an object")
      }
      func text(_ key: String, required: Bool = false) throws -> String {
        if let s = item[key]?.stringValue { return s }
        if required || (item[key] != nil && item[key] != .null) {
          throw DomainError("\(label): field '\(key)' is missing or not text; fix it in the file")
        }
        return ""
      }
      guard case .int(let number)? = item["number"], number > 0 else {
        let shown =
          item["number"].map { String(ExchangeJSON.encode($0, pretty: false).prefix(40)) }
          ?? "missing"
        throw DomainError(
          "\(label): field 'number' is \(shown), not a positive whole number; "
            + "give the issue number as GitHub lists it, or \(advice)")
      }
      let url = try text("url")
      guard Self.isWebAddress(url) else {
        throw DomainError(
          "\(label): field 'url' is \(url.isEmpty ? "missing or empty" : "'\(url.prefix(80))'"), not an "
            + "http(s) address; every issue needs its address to tell repositories apart: "
            + advice)
      }
      let title = try text("title", required: true)
      var labels: [String] = []
      if let x = item["labels"], x != .null {
        guard let list = x.arrayValue else {
          throw DomainError("\(label): field 'labels' must be a list; fix it in the file")
        }
        for l in list {
          guard let name = l["name"]?.stringValue ?? l.stringValue else {
            throw DomainError("\(label): a label has no name; fix it in the file")
          }
          labels.append(name)
        }
      }
      let created = try time(try text("createdAt", required: true), field: "createdAt", label)
      let closed = try text("closedAt")
      if !closed.isEmpty { _ = try time(closed, field: "closedAt", label) }
      let author = item["author"]?["login"]?.stringValue ?? item["author"]?.stringValue ?? ""
      let body = try text("body")
      try builder.add(
        source: url, label: label, title: title,
        what: [body, "Source: " + url]
          .filter { !$0.isEmpty }.joined(separator: "\n\n"),
        labels: labels, typeLabel: nil, priority: nil, occurred: created, owner: author,
        team: team, closed: !closed.isEmpty)
    }
    return builder.result
  }

  /// The Jira CSV columns the import reads (others are ignored); `Labels` may repeat.
  public static let jiraColumns = [
    "Summary", "Description", "Issue Type", "Priority", "Created", "Resolved", "Labels",
    "Assignee", "Issue key",
  ]

  /// Incidents from a Jira CSV export (its standard column names; `Labels` repeated per label).
  public static func jira(
    _ data: Data, into state: LearningState, context: CommandContext, team: String = "",
    progress: ProgressReport? = nil
  ) throws -> ExternalImportResult {
    guard let text = String(data: data, encoding: .utf8) else {
      throw DomainError("the CSV file is not UTF-8 text; export it from Jira as UTF-8")
    }
    let rows = try CSV.parse(text)
    guard let header = rows.first else {
      throw DomainError("the CSV file is empty; export issues from Jira with a header row")
    }
    let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    func column(_ name: String) -> Int? { names.firstIndex(of: name.lowercased()) }
    guard let keyColumn = column("Issue key"), let summaryColumn = column("Summary") else {
      throw DomainError(
        "CSV header: a Jira export needs the columns 'Summary' and 'Issue key'; export all fields from Jira"
      )
    }
    let labelColumns = names.indices.filter { names[$0] == "labels" }
    let total = rows.count - 1
    var builder = Builder(state: state, context: context, total: total, progress: progress)
    for (n, row) in rows.enumerated().dropFirst() {
      let label = "row \(n + 1)"
      if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
      guard row.count <= names.count else {
        throw DomainError(
          "\(label): \(row.count) cells but the header has \(names.count); quote cells that hold commas"
        )
      }
      func cell(_ i: Int?) -> String {
        guard let i, i < row.count else { return "" }
        return CSV.unguard(row[i]).trimmingCharacters(in: .whitespaces)
      }
      let key = cell(keyColumn)
      guard !key.isEmpty else {
        throw DomainError("\(label): 'Issue key' is empty; every Jira issue has a key")
      }
      let createdText = cell(column("Created"))
      guard !createdText.isEmpty else {
        throw DomainError("\(label): 'Created' is empty; export the Created field from Jira")
      }
      let created = try jiraDay(createdText, field: "Created", label)
      let resolved = cell(column("Resolved"))
      if !resolved.isEmpty { _ = try jiraDay(resolved, field: "Resolved", label) }
      let labels = labelColumns.map { cell($0) }.filter { !$0.isEmpty }
      let description = cell(column("Description"))
      try builder.add(
        source: "jira:" + key, label: label, title: cell(summaryColumn),
        what: [description, "Source: Jira \(key)"].filter { !$0.isEmpty }.joined(
          separator: "\n\n"),
        labels: labels, typeLabel: cell(column("Issue Type")), priority: cell(column("Priority")),
        occurred: created, owner: cell(column("Assignee")), team: team, closed: !resolved.isEmpty)
    }
    return builder.result
  }

  // MARK: - Building the plan

  /// Plans one incident per item, against the state, skipping sources already present.
  struct Builder {
    let state: LearningState
    let context: CommandContext
    let total: Int
    let progress: ProgressReport?
    var result = ExternalImportResult(plan: Plan(), created: 0, skipped: 0)
    var seen: Set<String> = []
    var done = 0

    init(state: LearningState, context: CommandContext, total: Int, progress: ProgressReport?) {
      self.state = state
      self.context = context
      self.total = total
      self.progress = progress
    }

    mutating func add(
      source: String, label: String, title: String, what: String, labels: [String],
      typeLabel: String?, priority: String?, occurred: Day, owner: String, team: String,
      closed: Bool
    ) throws {
      done += 1
      if done % 250 == 0 || done == total { progress?(done, total) }
      let id = ExternalImport.id(forSource: source)
      guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw DomainError("\(label): the title is empty; every issue needs a title")
      }
      if state.kind(of: id) != nil || state.tombstones.contains(id) || !seen.insert(id).inserted {
        result.skipped += 1
        return
      }
      var mapped = LabelMapping.map(labels)
      if mapped.kind == nil, let typeLabel { mapped.kind = LabelMapping.kind(ofType: typeLabel) }
      if let priority, let s = LabelMapping.severity(ofPriority: priority) { mapped.severity = s }
      let draft = NewIncident(
        title: title, what: what, kind: mapped.kind?.rawValue,
        severity: mapped.severity?.rawValue, team: mapped.team ?? team, owner: owner,
        tags: mapped.tags, occurred: occurred.description)
      var ids = [id]
      let fallback = context.makeID
      let ctx = CommandContext(
        today: context.today, now: context.now, author: context.author,
        makeID: { ids.isEmpty ? fallback() : ids.removeFirst() })
      let planned: Plan
      do {
        planned = try state.plan(.addIncident(draft), context: ctx)
      } catch let e as DomainError {
        throw DomainError("\(label): \(e.message)")
      }
      for var d in planned.shared {
        if closed, d.type == EventType.incidentCreated, d.entity == id,
          case .object(var body) = d.body
        {
          body["status"] = .string(IncidentStatus.closed.rawValue)
          d.body = .object(body)
        }
        result.plan.shared.append(d)
      }
      result.created += 1
    }
  }

  /// The incident id of an item from `source` (a URL or `jira:KEY`): 12 characters of the id
  /// alphabet from a 64-bit FNV-1a hash (its bits mixed), the same on every import.
  public static func id(forSource source: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in source.utf8 {
      hash ^= UInt64(b)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    // Spread every input bit over the low bits, which make the short id.
    hash ^= hash >> 33
    hash = hash &* 0xff51_afd7_ed55_8ccd
    hash ^= hash >> 33
    let alphabet = EntityIDGenerator<SeededGenerator>.alphabet
    var out = ""
    for _ in 0..<12 {
      out.append(alphabet[Int(hash & 31)])
      hash >>= 5
    }
    return out
  }

  /// The UTC day of an RFC 3339 time (`2024-03-12T15:04:05Z`, `2024-03-12T20:34:05+05:30`).
  static func time(_ text: String, field: String, _ label: String) throws -> Day {
    guard let ms = rfc3339(text) else {
      throw DomainError(
        "\(label): '\(field)' is '\(text)', not an ISO 8601 time such as 2024-03-12T15:04:05Z "
          + "or 2024-03-12T20:04:05+05:00")
    }
    return Day(utcMilliseconds: ms)
  }

  /// Milliseconds since the epoch of an RFC 3339 time: `T` (or `t`), seconds with an optional
  /// fraction of any length, then `Z` or an offset `+HH:MM`/`-HH:MM`; nil when malformed.
  static func rfc3339(_ text: String) -> Int64? {
    let u = Array(text.utf8)
    guard u.count >= 20, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: "t") else {
      return nil
    }
    var end = u.count
    var offsetMinutes: Int64 = 0
    if u[end - 1] == UInt8(ascii: "Z") || u[end - 1] == UInt8(ascii: "z") {
      end -= 1
    } else {
      guard u.count >= 25, u[end - 3] == UInt8(ascii: ":") else { return nil }
      let sign = u[end - 6]
      guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
      let digits = [u[end - 5], u[end - 4], u[end - 2], u[end - 1]]
      guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
      let h = Int64(digits[0] - 48) * 10 + Int64(digits[1] - 48)
      let m = Int64(digits[2] - 48) * 10 + Int64(digits[3] - 48)
      guard h < 24, m < 60 else { return nil }
      offsetMinutes = (h * 60 + m) * (sign == UInt8(ascii: "-") ? -1 : 1)
      end -= 6
    }
    // The seconds, then an optional fraction: kept to milliseconds.
    guard end >= 19 else { return nil }
    var fraction = ""
    if end > 19 {
      guard u[19] == UInt8(ascii: "."), end > 20,
        u[20..<end].allSatisfy({ $0 >= 48 && $0 <= 57 })
      else { return nil }
      fraction = String(decoding: u[20..<end], as: UTF8.self)
    }
    let milli = String((fraction + "000").prefix(3))
    var base = Array(u[0..<19])
    base[10] = UInt8(ascii: "T")
    guard let ms = ISOTime.parse(String(decoding: base, as: UTF8.self) + "." + milli + "Z")
    else { return nil }
    return ms - offsetMinutes * 60_000
  }

  /// Whether `text` is an `http:` or `https:` address with a host.
  static func isWebAddress(_ text: String) -> Bool {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
    else { return false }
    return !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
  }

  /// The day of a Jira date: `12/Mar/24 3:04 PM`, `12/Mar/2024 15:04`, or `2024-03-12 15:04`.
  static func jiraDay(_ text: String, field: String, _ label: String) throws -> Day {
    let fail = DomainError(
      "\(label): '\(field)' is '\(text)', not a Jira date such as 12/Mar/24 3:04 PM or 2024-03-12"
    )
    let datePart = String(text.split(separator: " ").first ?? "")
    if let d = Day(String(datePart.prefix(10))), datePart.count >= 10 { return d }
    let parts = datePart.split(separator: "/").map(String.init)
    guard parts.count == 3, let dayOfMonth = Int(parts[0]), var year = Int(parts[2]) else {
      throw fail
    }
    let months = [
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    guard let m = months.firstIndex(of: parts[1].lowercased()) else { throw fail }
    if parts[2].count == 2 { year += 2000 }
    guard let d = Day(year: year, month: m + 1, day: dayOfMonth) else { throw fail }
    return d
  }
}

/// How labels, issue types and priorities of other tools map to kind, severity and team.
///
/// - kind: `kind:K` or `type:K` (K one of production, deadline, estimate, handoff,
///   communication, near-miss, other), a bare kind name, or `incident`, `outage`, `bug` →
///   production. A Jira issue type of Bug or Incident is production.
/// - severity: `severity:S` or `sev:S` (low, medium, high, critical), a bare severity name,
///   `sev1`/`sev-1`/`p0`/`p1` → critical, `sev2`/`p2` → high, `sev3`/`p3` → medium,
///   `sev4`/`sev5`/`p4`/`p5` → low. A Jira priority: Highest → critical, High → high,
///   Medium → medium, Low and Lowest → low.
/// - team: `team:T`.
/// - Every other label is a tag; the labels above are not repeated as tags.
public enum LabelMapping {
  /// What a set of labels says.
  public struct Mapped: Sendable, Equatable {
    /// The kind, when a label names one.
    public var kind: IncidentKind?
    /// The severity, when a label names one.
    public var severity: Severity?
    /// The team, when a `team:` label names one.
    public var team: String?
    /// The remaining labels.
    public var tags: [String]
  }

  /// Maps `labels` (the first label naming a kind or severity wins).
  public static func map(_ labels: [String]) -> Mapped {
    var out = Mapped(kind: nil, severity: nil, team: nil, tags: [])
    for raw in labels {
      let l = raw.trimmingCharacters(in: .whitespaces)
      let lower = l.lowercased()
      let (prefix, value): (String?, String) = {
        guard let colon = lower.firstIndex(of: ":") else { return (nil, lower) }
        return (
          String(lower[..<colon]),
          String(lower[lower.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        )
      }()
      switch prefix {
      case "kind", "type":
        if let k = kind(named: value) {
          if out.kind == nil { out.kind = k }
          continue
        }
      case "severity", "sev", "priority":
        if let s = severity(named: value) {
          if out.severity == nil { out.severity = s }
          continue
        }
      case "team":
        if !value.isEmpty {
          if out.team == nil {
            out.team = String(l[l.index(after: l.firstIndex(of: ":") ?? l.startIndex)...])
              .trimmingCharacters(in: .whitespaces)
          }
          continue
        }
      case nil:
        if let k = kind(named: lower) {
          if out.kind == nil { out.kind = k }
          continue
        }
        if let s = severity(named: lower) {
          if out.severity == nil { out.severity = s }
          continue
        }
      default: break
      }
      out.tags.append(l)
    }
    return out
  }

  /// The kind a label names, with `incident`, `outage` and `bug` meaning production.
  static func kind(named name: String) -> IncidentKind? {
    switch name {
    case "incident", "outage", "bug": return .production
    case "near miss", "nearmiss": return .nearMiss
    default: return IncidentKind(rawValue: name)
    }
  }

  /// The severity a label names: a severity word, `sevN` or `pN`.
  static func severity(named name: String) -> Severity? {
    if let s = Severity(rawValue: name) { return s }
    let compact = name.replacingOccurrences(of: "-", with: "")
    switch compact {
    case "sev0", "sev1", "p0", "p1", "s0", "s1": return .critical
    case "sev2", "p2", "s2": return .high
    case "sev3", "p3", "s3": return .medium
    case "sev4", "sev5", "p4", "p5", "s4", "s5": return .low
    default: return nil
    }
  }

  /// The kind of a Jira issue type: Bug and Incident are production; others say nothing.
  public static func kind(ofType type: String) -> IncidentKind? {
    switch type.trimmingCharacters(in: .whitespaces).lowercased() {
    case "bug", "incident", "outage", "problem": return .production
    default: return nil
    }
  }

  /// The severity of a Jira priority.
  public static func severity(ofPriority priority: String) -> Severity? {
    switch priority.trimmingCharacters(in: .whitespaces).lowercased() {
    case "highest", "blocker", "critical": return .critical
    case "high", "major": return .high
    case "medium": return .medium
    case "low", "lowest", "minor", "trivial": return .low
    default: return nil
    }
  }
}
