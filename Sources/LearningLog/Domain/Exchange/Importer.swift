import Dispatch
import Foundation

/// Imports what ``Exporter`` writes (JSON) and incident spreadsheets (CSV).
///
/// Every item is validated before anything is returned: one bad row imports nothing.
public enum Importer {
  /// The records that recreate a JSON export in `state` (ids and times kept).
  ///
  /// Throws naming the item and field when anything is wrong or an id already exists.
  public static func json(_ data: Data, into state: LearningState, includePrivate: Bool = false)
    throws -> Plan
  {
    try json(root: try ExchangeJSON.decode(data), into: state, includePrivate: includePrivate)
  }

  /// ``json(_:into:includePrivate:)`` of an export decoded already.
  public static func json(root: JSONValue, into state: LearningState, includePrivate: Bool = false)
    throws -> Plan
  {
    guard root["format"]?.stringValue == "learnlog-export" else {
      throw DomainError(
        "not a learnlog JSON export (no \"format\": \"learnlog-export\"); export with `learnlog export --format json`"
      )
    }
    switch root["version"] {
    case .int(let v) where v == 1: break
    case .int(let v) where v > 1:
      throw DomainError("the export is of a newer version (\(v)); upgrade learnlog to import it")
    case nil:
      throw DomainError(
        "the export has no \"version\"; export it again with `learnlog export --format json`")
    default:
      throw DomainError(
        "\"version\" must be the integer 1, not \(DomainError.echo(ExchangeJSON.encode(root["version"] ?? .null, pretty: false))); "
          + "export it again with `learnlog export --format json`")
    }
    var shared: [RecordDraft] = []
    var priv: [RecordDraft] = []
    var used: Set<String> = []

    struct Item {
      let v: JSONValue
      let label: String
      func string(_ k: String, required: Bool = false) throws -> String {
        if let s = v[k]?.stringValue { return s }
        if required || (v[k] != nil && v[k] != .null) {
          throw DomainError("\(label): field '\(k)' is missing or not text; fix it in the file")
        }
        return ""
      }
      func strings(_ k: String) throws -> [String] {
        guard let x = v[k], x != .null else { return [] }
        guard let a = x.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else {
          throw DomainError("\(label): field '\(k)' must be a list of text; fix it in the file")
        }
        return a.compactMap(\.stringValue)
      }
      func day(_ k: String) throws -> String? {
        guard let x = v[k], x != .null else { return nil }
        guard let s = x.stringValue, let d = Day(s) else {
          throw DomainError("\(label): field '\(k)' is not a YYYY-MM-DD date; fix it in the file")
        }
        return d.description
      }
      func time(_ k: String) throws -> Int64? {
        guard let x = v[k], x != .null else { return nil }
        guard let s = x.stringValue, let t = ISOTime.parse(s) else {
          throw DomainError("\(label): field '\(k)' is not an ISO 8601 time; fix it in the file")
        }
        return t
      }
      func choice<T: DomainChoice>(_ k: String, _ t: T.Type) throws -> T {
        do { return try T.parse(try string(k, required: true), field: k) } catch let e
          as DomainError
        {
          throw DomainError("\(label): \(e.message)")
        }
      }
    }
    func items(_ key: String) throws -> [Item] {
      guard let x = root[key], x != .null else { return [] }
      guard let a = x.arrayValue else {
        throw DomainError("'\(DomainError.echo(key))' must be a list; fix it in the file")
      }
      return a.enumerated().map { Item(v: $1, label: "\(key)[\($0 + 1)]") }
    }
    func claim(_ id: String, _ label: String) throws {
      guard !id.isEmpty else { throw DomainError("\(label): id is empty") }
      guard id.utf8.count <= LogBounds.maxNameBytes else {
        throw DomainError(
          "\(label): field 'id' is \(id.utf8.count) bytes, longer than \(LogBounds.maxNameBytes); "
            + "shorten it")
      }
      guard state.kind(of: id) == nil, !state.tombstones.contains(id) else {
        throw DomainError(
          "\(label): id \(DomainError.echo(id)) already exists in the log; import into another log or remove it from the file"
        )
      }
      guard used.insert(id).inserted else {
        throw DomainError("\(label): id \(DomainError.echo(id)) appears twice in the file")
      }
    }
    func stamped(_ body: [String: JSONValue], at: Int64?, by: String?) -> JSONValue {
      var b = body
      if let at { b["at"] = .int(Int(at)) }
      if let by, !by.isEmpty { b["by"] = .string(by) }
      return .object(b)
    }
    // The item being read, named in a bound error.
    var current = ""
    func d(_ type: String, _ entity: String, _ body: JSONValue) throws -> RecordDraft {
      let draft = RecordDraft(type: type, schema: 1, entity: entity, body: body)
      try checkFits(draft, current)
      return draft
    }

    // Templates first, so incidents may refer to them.
    for t in try items("templates") where t.v["builtIn"]?.boolValue != true {
      current = t.label
      let name = try t.string("name", required: true)
      try claim(name, t.label)
      guard let revs = t.v["revisions"]?.arrayValue, !revs.isEmpty else {
        throw DomainError("\(t.label): no revisions; fix it in the file")
      }
      for (n, r) in revs.enumerated() {
        let ri = Item(v: r, label: "\(t.label).revisions[\(n + 1)]")
        current = ri.label
        guard let qs = r["questions"]?.arrayValue, !qs.isEmpty,
          qs.allSatisfy({ Question(json: $0) != nil })
        else { throw DomainError("\(ri.label): questions need key, prompt and a known kind") }
        var body: [String: JSONValue] = ["name": .string(name), "questions": .array(qs)]
        if let title = r["title"]?.stringValue { body["title"] = .string(title) }
        let team = try ri.string("team")
        if !team.isEmpty { body["team"] = .string(team) }
        let because = try ri.string("because")
        if !because.isEmpty { body["because"] = .string(because) }
        shared.append(
          try d(
            n == 0 ? EventType.templateCreated : EventType.templateRevised, name,
            stamped(body, at: try ri.time("at"), by: try ri.string("by"))))
      }
    }
    for it in try items("incidents") {
      current = it.label
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      let title = try it.string("title", required: true)
      guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
        throw DomainError("\(it.label): title is empty; give it a title")
      }
      guard let occurred = try it.day("occurred") else {
        throw DomainError("\(it.label): field 'occurred' is missing; give a YYYY-MM-DD date")
      }
      let status = try it.choice("status", IncidentStatus.self)
      var body: [String: JSONValue] = [
        "title": .string(title), "what": .string(try it.string("what")),
        "kind": .string(try it.choice("kind", IncidentKind.self).rawValue),
        "severity": .string(try it.choice("severity", Severity.self).rawValue),
        "occurred": .string(occurred), "team": .string(try it.string("team")),
        "owner": .string(try it.string("owner")),
        "tags": .array(try it.strings("tags").map { .string($0) }),
        "triggers": .array(try it.strings("triggers").map { .string($0) }),
        "patterns": .array(try it.strings("patterns").map { .string($0) }),
        "status": .string(status.rawValue),
      ]
      body["status"] = .string(status.rawValue)
      shared.append(
        try d(
          EventType.incidentCreated, id,
          stamped(body, at: try it.time("created"), by: try it.string("createdBy"))))
      let history = it.v["answerHistory"]?.arrayValue ?? []
      for (n, h) in history.enumerated() {
        let hi = Item(v: h, label: "\(it.label).answerHistory[\(n + 1)]")
        current = hi.label
        var ab: [String: JSONValue] = [
          "key": .string(try hi.string("key", required: true)),
          "value": .string(try hi.string("value", required: true)),
          "template": .string(try hi.string("template", required: true)),
        ]
        if let rev = h["revision"]?.intValue, rev > 0 { ab["revision"] = .int(rev) }
        shared.append(
          try d(
            EventType.reviewAnswered, id,
            stamped(ab, at: try hi.time("at"), by: try hi.string("by"))))
      }
      current = it.label
      if !history.isEmpty {
        shared.append(
          try d(
            EventType.incidentFieldSet, id, ["field": "status", "value": .string(status.rawValue)]))
      }
    }
    for it in try items("actions") {
      current = it.label
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      let incident = try it.string("incident", required: true)
      let status = try it.choice("status", ActionStatus.self)
      var body: [String: JSONValue] = [
        "incident": .string(incident), "title": .string(try it.string("title", required: true)),
        "owner": .string(try it.string("owner")),
        "type": .string(try it.choice("type", ActionType.self).rawValue),
        "signal": .string(try it.string("signal")),
      ]
      if let due = try it.day("due") { body["due"] = .string(due) }
      if let review = try it.day("review") { body["review"] = .string(review) }
      if let until = try it.day("until") { body["until"] = .string(until) }
      shared.append(
        try d(EventType.actionCreated, id, stamped(body, at: try it.time("created"), by: nil)))
      if let r = it.v["retirement"], r != .null {
        let ri = Item(v: r, label: "\(it.label).retirement")
        let rb: [String: JSONValue] = [
          "decision": .string(try ri.choice("decision", RetireDecision.self).rawValue),
          "reason": .string(try ri.string("reason")),
        ]
        shared.append(
          try d(
            EventType.actionRetired, id, stamped(rb, at: try ri.time("at"), by: try ri.string("by"))
          ))
      }
      let doneAt = try it.time("done")
      if let doneAt {
        shared.append(
          try d(EventType.actionStatusSet, id, stamped(["status": "done"], at: doneAt, by: nil)))
      }
      let vs = it.v["verifications"]?.arrayValue ?? []
      for (n, v) in vs.enumerated() {
        let vi = Item(v: v, label: "\(it.label).verifications[\(n + 1)]")
        current = vi.label
        let vb: [String: JSONValue] = [
          "outcome": .string(try vi.choice("outcome", VerificationOutcome.self).rawValue),
          "evidence": .string(try vi.string("evidence")),
        ]
        shared.append(
          try d(
            EventType.actionVerified, id,
            stamped(vb, at: try vi.time("at"), by: try vi.string("by"))))
      }
      current = it.label
      if status != .open || doneAt != nil || !vs.isEmpty {
        var sb: [String: JSONValue] = ["status": .string(status.rawValue)]
        if status == .dropped { sb["reason"] = .string(try it.string("dropReason")) }
        shared.append(
          try d(
            EventType.actionStatusSet, id, stamped(sb, at: status == .done ? doneAt : nil, by: nil))
        )
      }
    }
    for it in try items("experiments") {
      current = it.label
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      var body: [String: JSONValue] = [
        "hypothesis": .string(try it.string("hypothesis", required: true)),
        "change": .string(try it.string("change")), "criteria": .string(try it.string("criteria")),
      ]
      if let c = try it.day("check") { body["check"] = .string(c) }
      if let i = it.v["incident"]?.stringValue { body["incident"] = .string(i) }
      if let p = it.v["pattern"]?.stringValue { body["pattern"] = .string(p) }
      shared.append(
        try d(
          EventType.experimentCreated, id,
          stamped(body, at: try it.time("created"), by: try it.string("createdBy"))))
      if it.v["decision"] != nil, it.v["decision"] != .null {
        let dec = try it.choice("decision", ExperimentDecision.self)
        shared.append(
          try d(
            EventType.experimentDecided, id,
            ["decision": .string(dec.rawValue), "result": .string(try it.string("result"))]))
      }
    }
    for it in try items("lessons") {
      current = it.label
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      var body: [String: JSONValue] = [
        "text": .string(try it.string("text", required: true)),
        "incidents": .array(try it.strings("incidents").map { .string($0) }),
        "teams": .array(try it.strings("teams").map { .string($0) }),
        "tags": .array(try it.strings("tags").map { .string($0) }),
        "patterns": .array(try it.strings("patterns").map { .string($0) }),
      ]
      let revalidate = try it.day("revalidate")
      if let revalidate { body["revalidate"] = .string(revalidate) }
      shared.append(
        try d(
          EventType.lessonCreated, id,
          stamped(body, at: try it.time("created"), by: try it.string("author"))))
      if let r = try it.day("revalidated") {
        var rb: [String: JSONValue] = ["day": .string(r)]
        if let revalidate { rb["next"] = .string(revalidate) }
        shared.append(try d(EventType.lessonRevalidated, id, .object(rb)))
      }
    }
    func nested(_ key: String) throws -> [Item] {
      var out: [Item] = []
      for inc in try items("incidents") {
        guard let x = inc.v[key], x != .null else { continue }
        guard let a = x.arrayValue else {
          throw DomainError("\(inc.label): '\(key)' must be a list; fix it in the file")
        }
        let iid = try inc.string("id", required: true)
        for (n, e) in a.enumerated() {
          var o = e.objectValue ?? [:]
          if o["incident"] == nil { o["incident"] = .string(iid) }
          out.append(
            Item(v: e.objectValue == nil ? e : .object(o), label: "\(inc.label).\(key)[\(n + 1)]"))
        }
      }
      return out
    }
    for it in try nested("factors") {
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      let body: [String: JSONValue] = [
        "incident": .string(try it.string("incident", required: true)),
        "text": .string(try it.string("text", required: true)),
        "gap": .string(try it.choice("gap", FactorGap.self).rawValue),
      ]
      shared.append(
        try d(
          EventType.factorAdded, id,
          stamped(body, at: try it.time("created"), by: try it.string("by"))))
    }
    for it in try nested("timeline") {
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      guard let time = try it.time("time") else {
        throw DomainError("\(it.label): field 'time' is missing; give an ISO 8601 time")
      }
      var body: [String: JSONValue] = [
        "incident": .string(try it.string("incident", required: true)),
        "time": .string(ISOTime.string(time)),
        "kind": .string(try it.choice("kind", TimelineKind.self).rawValue),
        "text": .string(try it.string("text", required: true)),
      ]
      let link = try it.string("link")
      if !link.isEmpty { body["link"] = .string(link) }
      shared.append(
        try d(
          EventType.timelineAdded, id,
          stamped(body, at: try it.time("created"), by: try it.string("by"))))
    }
    for c in try items("checklists") {
      let name = try c.string("name", required: true)
      try claim(name, c.label)
      let kind = try c.choice("kind", ChecklistKind.self)
      let team = try c.string("team")
      guard let revs = c.v["revisions"]?.arrayValue, !revs.isEmpty else {
        throw DomainError("\(c.label): no revisions; fix it in the file")
      }
      var items: [String] = []
      for (n, r) in revs.enumerated() {
        let ri = Item(v: r, label: "\(c.label).revisions[\(n + 1)]")
        let now = try ri.strings("items")
        guard !now.isEmpty || n > 0 else {
          throw DomainError("\(ri.label): the first revision has no items; fix it in the file")
        }
        var body: [String: JSONValue] = ["name": .string(name)]
        let because = try ri.string("because")
        if !because.isEmpty { body["because"] = .string(because) }
        if n == 0 {
          body["kind"] = .string(kind.rawValue)
          body["team"] = .string(team)
          body["items"] = .array(now.map { .string($0) })
        } else {
          body["add"] = .array(now.filter { !items.contains($0) }.map { .string($0) })
          body["remove"] = .array(items.filter { !now.contains($0) }.map { .string($0) })
        }
        items = now
        shared.append(
          try d(
            n == 0 ? EventType.checklistCreated : EventType.checklistRevised, name,
            stamped(body, at: try ri.time("at"), by: try ri.string("by"))))
      }
    }
    for it in try items("reviewSchedules") {
      current = it.label
      guard let on = try it.day("on") else {
        throw DomainError("\(it.label): field 'on' is missing; give a YYYY-MM-DD date")
      }
      let body: [String: JSONValue] = [
        "on": .string(on), "facilitator": .string(try it.string("facilitator")),
        "participants": .array(try it.strings("participants").map { .string($0) }),
      ]
      shared.append(
        try d(
          EventType.reviewScheduled, try it.string("incident", required: true),
          stamped(body, at: try it.time("at"), by: try it.string("by"))))
    }
    for it in try items("wins") {
      current = it.label
      let id = try it.string("id", required: true)
      try claim(id, it.label)
      let body: [String: JSONValue] = [
        "title": .string(try it.string("title", required: true)),
        "team": .string(try it.string("team")),
        "people": .array(try it.strings("people").map { .string($0) }),
      ]
      shared.append(
        try d(
          EventType.winAdded, id,
          stamped(body, at: try it.time("created"), by: try it.string("by"))))
    }
    if includePrivate {
      for it in try items("private") {
        current = it.label
        let id = try it.string("id", required: true)
        try claim(id, it.label)
        let kind = try it.string("kind", required: true)
        guard kind == "note" || kind == "growth" else {
          throw DomainError("\(it.label): kind must be note or growth")
        }
        let body: [String: JSONValue] = [
          "incident": .string(try it.string("incident")),
          "person": .string(try it.string("person")),
          "text": .string(try it.string("text", required: true)),
        ]
        priv.append(
          try d(
            kind == "note" ? EventType.noteAdded : EventType.growthCreated, id,
            stamped(body, at: try it.time("at"), by: nil)))
      }
    }
    return Plan(shared: shared, private: priv)
  }

  /// The bytes of text one imported item may hold: a record line (1 MiB) less room for its
  /// envelope, ids and escapes of plain text.
  public static let recordRoom = LogBounds.maxLineBytes - 16 * 1024

  /// Throws naming `label` and the field when `draft` would not fit one record: an id over
  /// ``LogBounds/maxNameBytes``, a string over the store's string bound, or more text than a
  /// record line holds.
  static func checkFits(_ draft: RecordDraft, _ label: String) throws {
    if draft.entity.utf8.count > LogBounds.maxNameBytes {
      throw DomainError(
        "\(label): the id is \(draft.entity.utf8.count) bytes, longer than "
          + "\(LogBounds.maxNameBytes); shorten it")
    }
    let bound = JSONLimits.store.maxStringBytes
    var longest = ("", 0)
    // An upper bound of the body's encoded size (every byte of text escaped to six), so that
    // a body far below a record's room is not encoded once more just to be measured.
    var most = 0
    var plain = true
    func walk(_ v: JSONValue, _ field: String, depth: Int) throws {
      most += 1  // the comma before it
      switch v {
      case .string(let text):
        let n = text.utf8.count
        if n > bound {
          throw DomainError(
            "\(label): field '\(field)' is \(n) bytes, longer than \(bound); shorten it")
        }
        if n > longest.1 { longest = (field, n) }
        most += 2 + 6 * n
      case .array(let a):
        most += 2
        if depth > 8 || a.count > 1_000 { plain = false }
        for e in a { try walk(e, field, depth: depth + 1) }
      case .object(let o):
        most += 2
        if depth > 8 || o.count > 1_000 { plain = false }
        for (k, e) in o {
          most += 3 + 6 * k.utf8.count
          try walk(e, field.isEmpty ? k : field, depth: depth + 1)
        }
      case .int: most += 24
      case .bool, .null: most += 5
      default: plain = false  // a number of another kind: measured by encoding it
      }
    }
    try walk(draft.body, "", depth: 0)
    if plain && most <= recordRoom { return }
    guard let size = try? JSONSerializer.serialize(draft.body).count else {
      throw DomainError("\(label): the item cannot be written as a record; fix it in the file")
    }
    if size > recordRoom {
      throw DomainError(
        "\(label): the item is \(size) bytes once written, more than one record holds "
          + "(\(recordRoom)); shorten its longest field '\(longest.0)'")
    }
  }

  /// The columns a CSV import accepts (`id` and `status` are read and ignored).
  public static let csvColumns = [
    "title", "what", "kind", "severity", "team", "owner", "tags", "triggers", "patterns",
    "occurred",
  ]

  /// New incidents from a CSV with a header row naming fields; lists split by `;`.
  ///
  /// Every row is validated first; an error names the row (1 = the header) and the field.
  ///
  /// Files of `parallelFrom` rows or more are planned in two halves on two threads, with the
  /// same drafts (ids included) as one row after another.
  public static func csv(
    _ data: Data, into state: LearningState, context: CommandContext,
    parallelFrom: Int = parallelRows
  ) throws -> Plan {
    guard let text = String(data: data, encoding: .utf8) else {
      throw DomainError("the CSV file is not UTF-8 text; save it as UTF-8 and import again")
    }
    let parsed: [CSV.Row]
    do {
      parsed = try CSV.rows(text)
    } catch {
      // Name the cell by its header when the header was read.
      let name = error.firstRow.flatMap { h in error.column <= h.count ? h[error.column - 1] : nil }
      throw DomainError(
        "CSV row \(error.row) (line \(error.line)), column \(error.column)"
          + (name.map { " ('\(DomainError.echo($0))')" } ?? "") + ": \(error.reason)")
    }
    guard let header = parsed.first else {
      throw DomainError("the CSV file is empty; add a header row")
    }
    let names = header.cells.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    let ignored: Set<String> = ["id", "status", "root-cause", "gap"]
    for (i, n) in names.enumerated() {
      guard csvColumns.contains(n) || ignored.contains(n) else {
        throw DomainError(
          "CSV header, column \(i + 1): unknown column '\(DomainError.echo(n))'; use "
            + csvColumns.joined(separator: ","))
      }
      if let first = names.firstIndex(of: n), first < i {
        throw DomainError(
          "CSV header: column '\(n)' appears twice (columns \(first + 1) and \(i + 1)); "
            + "keep one")
      }
    }
    guard names.contains("title") else {
      throw DomainError("CSV header: no 'title' column; every incident needs a title")
    }
    let rows = parsed.map(\.cells)
    for (n, row) in parsed.enumerated().dropFirst() {
      // An empty line is no row; any other row has exactly one cell per column.
      if row.cells.count == 1, row.cells[0].trimmedSpaces().isEmpty {
        continue
      }
      guard row.cells.count == names.count else {
        throw DomainError(
          "CSV row \(n + 1) (line \(row.line)): \(row.cells.count) cell\(row.cells.count == 1 ? "" : "s") but the header has "
            + "\(names.count); give every row one cell per column (quote cells that hold commas)")
      }
      var total = 0
      for (i, cell) in row.cells.enumerated() {
        let bytes = CSV.unguard(cell).utf8.count
        total += bytes
        if bytes > JSONLimits.store.maxStringBytes {
          throw DomainError(
            "CSV row \(n + 1) (line \(row.line)), column \(i + 1) ('\(names[i])'): the cell is "
              + "\(bytes) bytes, longer than \(JSONLimits.store.maxStringBytes); shorten it")
        }
      }
      if total > recordRoom {
        throw DomainError(
          "CSV row \(n + 1) (line \(row.line)): its cells hold \(total) bytes, more than one "
            + "record holds (\(recordRoom)); shorten the longest cells")
      }
    }
    // The rows to plan, in order (an empty line is no row).
    let todo = (1..<max(1, rows.count)).filter { n in
      !rows[n].allSatisfy { $0.trimmedSpaces().isEmpty }
    }
    let lines = parsed.map(\.line)
    let plan: @Sendable (Int, CommandContext) throws -> [RecordDraft] = { n, ctx in
      let row = rows[n]
      var cells: [String: String] = [:]
      for (i, v) in row.enumerated() { cells[names[i]] = CSV.unguard(v) }
      func list(_ k: String) -> [String] {
        (cells[k] ?? "").split(separator: ";").map { String($0).trimmedSpaces() }
          .filter { !$0.isEmpty }
      }
      func opt(_ k: String) -> String? {
        let v = (cells[k] ?? "").trimmedSpaces()
        return v.isEmpty ? nil : v
      }
      let draft = NewIncident(
        title: cells["title"] ?? "", what: cells["what"] ?? "", kind: opt("kind"),
        severity: opt("severity"), team: cells["team"] ?? "", owner: cells["owner"] ?? "",
        tags: list("tags"), triggers: list("triggers"), patterns: list("patterns"),
        occurred: opt("occurred"))
      do {
        let p = try state.plan(.addIncident(draft), context: ctx)
        for d in p.shared { try checkFits(d, "CSV row \(n + 1) (line \(lines[n]))") }
        return p.shared
      } catch let e as DomainError {
        if e.message.hasPrefix("CSV row") { throw e }
        throw DomainError("CSV row \(n + 1): \(e.message)")
      }
    }
    /// Plans `rows` in order; stops at the first refused one.
    @Sendable func planRows(_ rows: ArraySlice<Int>, _ ctx: CommandContext) -> Result<
      [RecordDraft], any Error
    > {
      var shared: [RecordDraft] = []
      shared.reserveCapacity(rows.count)
      for n in rows {
        do {
          shared += try plan(n, ctx)
        } catch {
          return .failure(error)
        }
      }
      return .success(shared)
    }
    guard todo.count >= parallelFrom, state.incidents.base == nil, state.actions.base == nil
    else { return Plan(shared: try planRows(todo[...], context).get()) }
    // A large file is planned in two halves on two threads. Each row takes one new id, so the
    // ids are drawn first, in row order, from the caller's generator: every row gets the id it
    // would get planned one after another, as long as none is taken already (then nothing
    // draws again).
    let ids = todo.map { _ in context.makeID() }
    let (today, now, author) = (context.today, context.now, context.author)
    @Sendable func taking(_ ids: ArraySlice<String>) -> CommandContext {
      var rest = ids
      var spare = EntityIDGenerator()
      return CommandContext(today: today, now: now, author: author) {
        rest.popFirst() ?? spare.next()
      }
    }
    guard ids.allSatisfy({ state.kind(of: $0) == nil && !state.tombstones.contains($0) }) else {
      // An id drawn is taken: one row after another, from the ids drawn, then the generator.
      var drawn = ids[...]
      let replay = CommandContext(today: today, now: now, author: author) {
        drawn.popFirst() ?? context.makeID()
      }
      return Plan(shared: try planRows(todo[...], replay).get())
    }
    let mid = todo.count / 2
    /// The two threads read the same immutable rows and state and write disjoint slots.
    struct Shared: @unchecked Sendable {
      let todo: [Int]
      let ids: [String]
      let out: UnsafeMutablePointer<Result<[RecordDraft], any Error>?>
    }
    let out = UnsafeMutablePointer<Result<[RecordDraft], any Error>?>.allocate(capacity: 2)
    out.initialize(repeating: nil, count: 2)
    defer {
      out.deinitialize(count: 2)
      out.deallocate()
    }
    let shared = Shared(todo: todo, ids: ids, out: out)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      let range = i == 0 ? 0..<mid : mid..<shared.todo.count
      shared.out[i] = planRows(shared.todo[range], taking(shared.ids[range]))
    }
    guard let first = out[0], let second = out[1] else {
      throw DomainError("the CSV rows could not be planned; import again")
    }
    var drafts = try first.get()
    drafts += try second.get()
    return Plan(shared: drafts)
  }

  /// Files of at least this many rows are planned in two halves on two threads.
  public static let parallelRows = 4_096
}
