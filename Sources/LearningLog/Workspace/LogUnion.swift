import Foundation

/// Several teams' logs read together: the union of their records, read-only.
///
/// Each log is opened on its own (through its own snapshot); the union is their records
/// replayed together, so patterns count occurrences across every log. Each entity is marked
/// with the label of the log it came from, and each pattern with the logs it occurs in.
public struct LogUnion {
  /// The open logs, in the order given.
  public let workspaces: [Workspace]
  /// A short label per log: the repository or directory it lives in ("" with one log).
  public let labels: [String]
  /// The union state (the one log's state when only one is open).
  public private(set) var state: LearningState
  /// Which log each entity and pattern came from (empty with one log).
  public private(set) var marks: LogLabels
  /// The label of the log each entity came from (empty with one log).
  public var logOf: [String: String] { marks.entity }
  /// The labels of the logs each pattern key occurs in, in log order (empty with one log).
  public var logsOfPattern: [String: [String]] { marks.pattern }

  /// The union of `workspaces`, labelled by `labels` (one per workspace, in order).
  public init(workspaces: [Workspace], labels: [String]) {
    self.workspaces = workspaces
    self.labels = labels
    self.state = workspaces.count == 1 ? workspaces[0].state : LearningState()
    self.marks = LogLabels(names: labels)
    if workspaces.count > 1 { rebuild() }
  }

  /// The union of the logs at `paths`, each opened read-only by `open`, labelled by
  /// ``labels(_:)``; a path named twice is refused.
  public static func open(
    paths: [String], _ open: (String) throws -> Workspace
  ) throws -> LogUnion {
    var seen = Set<String>()
    for p in paths where !seen.insert(p).inserted {
      throw DomainError("\(p) is named twice; name each log once")
    }
    return LogUnion(workspaces: try paths.map(open), labels: labels(paths))
  }

  /// Whether more than one log is read.
  public var isSeveral: Bool { workspaces.count > 1 }

  /// The label of the log `id` came from ("" with one log).
  public func label(_ id: String) -> String { marks.label(id) }

  /// The label of the log an item of the carry-over queue came from (see
  /// ``LogLabels/label(of:)``).
  public func label(of item: TodayItem) -> String { marks.label(of: item) }

  /// Reads what other processes appended to any of the logs; returns whether anything changed.
  public mutating func refresh() throws -> Bool {
    var changed = false
    for ws in workspaces where try ws.refresh() != .unchanged { changed = true }
    if changed {
      if isSeveral { rebuild() } else { state = workspaces[0].state }
    }
    return changed
  }

  /// Replays every log's records together and labels each entity and pattern by its log.
  private mutating func rebuild() {
    var logOf: [String: String] = [:]
    var logsOfPattern: [String: [String]] = [:]
    for (ws, label) in zip(workspaces, labels) {
      let s = ws.state
      for id in s.incidentList.map(\.id) + s.actionList.map(\.id) + s.experimentList.map(\.id)
        + s.lessonList.map(\.id)
      where logOf[id] == nil {
        logOf[id] = label
      }
      for i in s.incidentList {
        for key in i.patterns where !(logsOfPattern[key] ?? []).contains(label) {
          logsOfPattern[key, default: []].append(label)
        }
      }
    }
    marks = LogLabels(names: labels, entity: logOf, pattern: logsOfPattern)
    state = LearningState.replay(workspaces.flatMap { $0.store.records })
  }

  /// Labels for `paths`: the repository holding `.learnlog/log.jsonl`, else the directory
  /// holding the file; a label shared by two logs gets the file's name too, then a number.
  public static func labels(_ paths: [String]) -> [String] {
    func base(_ path: String) -> String {
      let parts = path.split(separator: "/").map(String.init)
      guard parts.count >= 2 else { return parts.last ?? path }
      let dir = parts[parts.count - 2]
      if dir == ".learnlog", parts.count >= 3 { return parts[parts.count - 3] }
      return dir
    }
    let bases = paths.map(base)
    var labels = bases
    // Every log whose base another shares takes its file name too (counted on the bases, so
    // the first renamed does not make the second look unique).
    for (i, l) in bases.enumerated() where bases.filter({ $0 == l }).count > 1 {
      let name = (paths[i].split(separator: "/").last.map(String.init) ?? "")
      labels[i] = l + "/" + name
    }
    var seen: [String: Int] = [:]
    for (i, l) in labels.enumerated() {
      seen[l, default: 0] += 1
      if seen[l, default: 1] > 1 { labels[i] = "\(l)#\(seen[l, default: 1])" }
    }
    return labels
  }

  /// The union state of the records whose entity is in `keep` (and every template).
  public func state(keeping keep: Set<String>) -> LearningState {
    guard isSeveral else { return state }
    let templates = Set(state.templateRevisions.keys)
    return LearningState.replay(
      workspaces.flatMap { ws in
        ws.store.records.filter { keep.contains($0.entity) || templates.contains($0.entity) }
      })
  }
}

/// Which team log each entity and pattern of a union came from: what a row is marked with.
public struct LogLabels: Sendable, Hashable {
  /// The labels of the logs, in the order given.
  public var names: [String]
  /// The label of the log each entity (incident, action, experiment, lesson) came from.
  public var entity: [String: String]
  /// The labels of the logs each pattern key occurs in, in log order.
  public var pattern: [String: [String]]

  /// Labels of the logs `names`, with each entity's and pattern's log.
  public init(
    names: [String], entity: [String: String] = [:], pattern: [String: [String]] = [:]
  ) {
    self.names = names
    self.entity = entity
    self.pattern = pattern
  }

  /// The label of the log `id` came from ("" when unknown).
  public func label(_ id: String) -> String { entity[id] ?? "" }

  /// The label of the log an item of the carry-over queue came from: its entity's log, or
  /// for a pattern the logs it occurs in, joined by commas.
  public func label(of item: TodayItem) -> String {
    if let log = entity[item.subject] { return log }
    return (pattern[item.subject] ?? []).joined(separator: ",")
  }

  /// Why nothing can be changed: the logs read together, named.
  public var readOnlyReason: String {
    "\(names.count) logs read together: \(names.joined(separator: ", "))"
  }

  /// The one line a change is refused with while several logs are read together.
  public var writeRefusal: String {
    "several logs are read together, read-only (\(names.joined(separator: ", "))); "
      + "a change goes to one team's log: open it alone with --file"
  }
}
