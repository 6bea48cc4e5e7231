import Foundation

/// One dated item of the calendar export: an all-day event (or a to-do) on `day`.
public struct CalendarItem: Sendable, Equatable {
  /// Whether the item is a `VEVENT` or a `VTODO`.
  public enum Component: String, Sendable {
    case event = "VEVENT"
    case todo = "VTODO"
  }

  /// The entity the date belongs to (its full id).
  public var entity: String
  /// What the date is: `due`, `review`, `check`, `revalidate`, … (part of the UID).
  public var kind: String
  /// The day.
  public var day: Day
  /// The one-line summary: what is due, with the incident's title and short id.
  public var summary: String
  /// A longer description (may be empty).
  public var description: String
  /// Event or to-do.
  public var component: Component
  /// Whether the item is finished (a to-do is then `COMPLETED`).
  public var completed: Bool

  /// The UID: stable across exports, so a calendar that imports it again updates the item.
  public var uid: String { "\(entity)-\(kind)@learnlog" }

  /// An item of `kind` on `day` for `entity`.
  public init(
    entity: String, kind: String, day: Day, summary: String, description: String = "",
    component: Component = .event, completed: Bool = false
  ) {
    self.entity = entity
    self.kind = kind
    self.day = day
    self.summary = summary
    self.description = description
    self.component = component
    self.completed = completed
  }
}

/// Writes the dated items of a state as an iCalendar file (RFC 5545).
///
/// Each kind of dated item is one small function (``actionDue(_:_:)``, ``actionReview(_:_:)``,
/// ``experimentCheck(_:_:)``, ``lessonRevalidation(_:_:)``, ``scheduledReview(_:_:)``,
/// ``mitigationEnd(_:_:)``); ``items(_:team:since:)`` gathers
/// them. Text is sanitised of control characters, escaped, folded at 75 octets (never inside a
/// UTF-8 sequence) and every line ends in CRLF.
public enum CalendarExport {
  /// The calendar's product identifier.
  public static let productID = "-//learnlog//learnlog//EN"

  /// The whole calendar for `state`: its dated items on or after `since`, for `team` if given.
  ///
  /// `now` (milliseconds since the epoch) is the `DTSTAMP` of every item.
  public static func ics(_ state: LearningState, team: String? = nil, since: Day? = nil, now: Int64)
    -> String
  {
    document(items(state, team: team, since: since), now: now)
  }

  /// ``ics(_:team:since:now:)`` handed to `emit` in pieces of about 64 KiB as it is written,
  /// never held whole.
  public static func streamICS(
    _ state: LearningState, team: String? = nil, since: Day? = nil, now: Int64,
    emit: (String) -> Void
  ) {
    write(items(state, team: team, since: since), now: now, emit: emit)
  }

  /// The calendar text of `items`.
  public static func document(_ items: [CalendarItem], now: Int64) -> String {
    var out = ""
    write(items, now: now) { out += $0 }
    return out
  }

  /// The calendar text of `items`, handed to `emit` in pieces of about 64 KiB (each ends at
  /// the end of an item).
  public static func write(_ items: [CalendarItem], now: Int64, emit: (String) -> Void) {
    var text = ""
    text.reserveCapacity(1 << 17)
    func line(_ s: String) {
      fold(s, into: &text)
      text += "\r\n"
    }
    for l in [
      "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:\(productID)", "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
    ] {
      line(l)
    }
    let stamp = dateTime(now)
    for item in items {
      line("BEGIN:\(item.component.rawValue)")
      line("UID:\(escape(item.uid))")
      line("DTSTAMP:\(stamp)")
      switch item.component {
      case .event:
        line("DTSTART;VALUE=DATE:\(date(item.day))")
        line("DTEND;VALUE=DATE:\(date(item.day.adding(days: 1)))")
        line("TRANSP:TRANSPARENT")
      case .todo:
        line("DUE;VALUE=DATE:\(date(item.day))")
        line("STATUS:\(item.completed ? "COMPLETED" : "NEEDS-ACTION")")
      }
      line("SUMMARY:\(escape(item.summary))")
      if !item.description.isEmpty { line("DESCRIPTION:\(escape(item.description))") }
      line("CATEGORIES:\(escape(item.kind))")
      line("END:\(item.component.rawValue)")
      if text.utf8.count >= 1 << 16 {
        emit(text)
        text.removeAll(keepingCapacity: true)
      }
    }
    line("END:VCALENDAR")
    emit(text)
  }

  // MARK: - The dated items

  /// Every dated item of `state` on or after `since`, for `team` if given, by day then UID.
  public static func items(_ state: LearningState, team: String? = nil, since: Day? = nil)
    -> [CalendarItem]
  {
    func teamMatches(_ t: String) -> Bool {
      team.map { t.caseInsensitiveCompare($0) == .orderedSame } ?? true
    }
    let names = Names(state)
    func incidentMatches(_ id: String?) -> Bool {
      guard team != nil else { return true }
      guard let id, let incident = names.incident(id) else { return false }
      return teamMatches(incident.team)
    }
    var out: [CalendarItem] = []
    // Each action read from its place in turn, never all of them held at once.
    for place in state.actionRecordsInCreationOrder() {
      guard let action = state.action(at: place), incidentMatches(action.incident) else {
        continue
      }
      if let item = actionDue(action, names) { out.append(item) }
      if let item = actionReview(action, names) { out.append(item) }
      if let item = mitigationEnd(action, names) { out.append(item) }
    }
    for schedule in state.reviewScheduleList where incidentMatches(schedule.incident) {
      if let item = scheduledReview(schedule, names) { out.append(item) }
    }
    for experiment in state.experimentList where incidentMatches(experiment.incident) {
      if let item = experimentCheck(experiment, names) { out.append(item) }
    }
    for lesson in state.lessonList
    where team == nil || lesson.teams.contains(where: teamMatches)
      || lesson.incidents.contains(where: { incidentMatches($0) })
    {
      if let item = lessonRevalidation(lesson, names) { out.append(item) }
    }
    if let since { out.removeAll { $0.day < since } }
    // Each UID made once, not once per comparison.
    let keyed = out.map { (day: $0.day, uid: $0.uid) }
    let order = keyed.indices.sorted {
      (keyed[$0].day, keyed[$0].uid) < (keyed[$1].day, keyed[$1].uid)
    }
    return order.map { out[$0] }
  }

  /// What the items name things by: short ids from one sort of every id (not a scan per
  /// item), and each incident read once for its label and team.
  final class Names {
    let state: LearningState
    private let short: ShortIDIndex
    /// Each incident's title and team once read (nil when it is gone).
    private var incidents: [String: (title: String, team: String)?] = [:]

    init(_ state: LearningState) {
      self.state = state
      short = ShortIDIndex(state)
    }

    /// The short id of `id` (of a gone entity too).
    func shortID(_ id: String) -> String { short.shortID(id) ?? state.shortID(for: id) }

    /// The title and team of the incident `id`, read once (without its answers).
    func incident(_ id: String) -> (title: String, team: String)? {
      if let known = incidents[id] { return known }
      let read = state.incidents.summary(id).map { (title: $0.title, team: $0.team) }
      incidents[id] = .some(read)
      return read
    }

    /// `Title (short id)` of an incident, or the id alone when it is gone.
    func incidentLabel(_ id: String?) -> String {
      guard let id else { return "" }
      let short = shortID(id)
      guard let incident = incident(id) else { return short }
      return "\(incident.title) (\(short))"
    }
  }

  /// An action's due date: a to-do, completed once the action is resolved.
  static func actionDue(_ action: Action, _ names: Names) -> CalendarItem? {
    guard let due = action.due, action.status != .dropped else { return nil }
    return CalendarItem(
      entity: action.id, kind: "due", day: due,
      summary: "Due: \(action.title) — \(names.incidentLabel(action.incident))",
      description: "Action \(names.shortID(action.id)), owner \(action.owner)",
      component: .todo, completed: action.isResolved)
  }

  /// An action's review date (when its effect is checked): an all-day event.
  static func actionReview(_ action: Action, _ names: Names) -> CalendarItem? {
    guard let review = action.review, action.status != .dropped else { return nil }
    return CalendarItem(
      entity: action.id, kind: "review", day: review,
      summary: "Review action: \(action.title) — \(names.incidentLabel(action.incident))",
      description: "Did it work?" + (action.signal.isEmpty ? "" : " Signal: \(action.signal)"))
  }

  /// An experiment's check date: an all-day event, until it is decided.
  static func experimentCheck(_ experiment: Experiment, _ names: Names)
    -> CalendarItem?
  {
    guard let check = experiment.check, experiment.decision == nil else { return nil }
    let about =
      experiment.incident.map { names.incidentLabel($0) }
      ?? experiment.pattern.map { "pattern \($0)" } ?? ""
    return CalendarItem(
      entity: experiment.id, kind: "check", day: check,
      summary: "Check experiment: \(experiment.hypothesis) — \(about)",
      description: "Criteria: \(experiment.criteria)")
  }

  /// A lesson's revalidation date: an all-day event.
  static func lessonRevalidation(_ lesson: Lesson, _ names: Names)
    -> CalendarItem?
  {
    guard let day = lesson.revalidate else { return nil }
    let about = lesson.incidents.first.map { " — " + names.incidentLabel($0) } ?? ""
    return CalendarItem(
      entity: lesson.id, kind: "revalidate", day: day,
      summary: "Revalidate lesson: \(lesson.text)\(about)",
      description: "Lesson \(names.shortID(lesson.id))")
  }

  /// A scheduled review of an incident: an all-day event on its day, naming the facilitator
  /// and participants.
  static func scheduledReview(_ schedule: ReviewSchedule, _ names: Names)
    -> CalendarItem?
  {
    guard names.incident(schedule.incident) != nil else { return nil }
    var description = "Blameless review of incident \(names.shortID(schedule.incident))"
    if !schedule.facilitator.isEmpty { description += "\nFacilitator: \(schedule.facilitator)" }
    if !schedule.participants.isEmpty {
      description += "\nParticipants: " + schedule.participants.joined(separator: ", ")
    }
    return CalendarItem(
      entity: schedule.incident, kind: "scheduled-review", day: schedule.on,
      summary: "Review incident: \(names.incidentLabel(schedule.incident))",
      description: description)
  }

  /// A temporary mitigation's end day: an all-day event, until it is retired (or dropped).
  static func mitigationEnd(_ action: Action, _ names: Names) -> CalendarItem? {
    guard action.type == .mitigate, let until = action.until, action.retirement == nil,
      action.status != .dropped
    else { return nil }
    return CalendarItem(
      entity: action.id, kind: "mitigation-end", day: until,
      summary: "Retire mitigation: \(action.title) — \(names.incidentLabel(action.incident))",
      description: "Action \(names.shortID(action.id)), owner \(action.owner): revert or keep")
  }

  // MARK: - Text

  /// `YYYYMMDD`.
  static func date(_ day: Day) -> String {
    let (y, m, d) = day.components
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let year = String(y)
    return String(repeating: "0", count: max(0, 4 - year.count)) + year + two(m) + two(d)
  }

  /// `YYYYMMDDTHHMMSSZ` of `ms` milliseconds since the epoch.
  static func dateTime(_ ms: Int64) -> String {
    let iso = ISOTime.string(ms)  // YYYY-MM-DDTHH:MM:SS.mmmZ
    let digits = iso.prefix(19).filter { $0 != "-" && $0 != ":" }
    return digits + "Z"
  }

  /// A TEXT value: control characters removed (tab as a space), then backslash, semicolon,
  /// comma and newline escaped as RFC 5545 §3.3.11 requires.
  public static func escape(_ text: String) -> String {
    // Text with nothing to escape or drop (no control, backslash, semicolon or comma, and
    // nothing past ASCII that could be a control) is itself.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C && $0 != 0x3B && $0 != 0x2C }) {
      return text
    }
    var text = text
    return text.withUTF8 { u in
      var out: [UInt8] = []
      out.reserveCapacity(u.count + 16)
      var previousCR = false
      var i = 0
      // A scalar at a time, as UTF-8 bytes (the text is valid UTF-8).
      while i < u.count {
        let c = u[i]
        if c < 0x80 {
          switch c {
          case 0x5C: out += [0x5C, 0x5C]  // \
          case 0x3B: out += [0x5C, 0x3B]  // ;
          case 0x2C: out += [0x5C, 0x2C]  // ,
          case 0x0A: if !previousCR { out += [0x5C, 0x6E] }  // LF (after a CR, already written)
          case 0x0D: out += [0x5C, 0x6E]  // CR
          case 0x09: out.append(0x20)  // tab
          default: if c >= 0x20 && c != 0x7F { out.append(c) }  // C0 controls and DEL dropped
          }
          previousCR = c == 0x0D
          i += 1
          continue
        }
        let end = Swift.min(u.count, i + (c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2))
        let b1 = i + 1 < end ? u[i + 1] : 0
        let b2 = i + 2 < end ? u[i + 2] : 0
        // C1 controls (U+0080–U+009F), the bidirectional overrides (U+202A–U+202E) and
        // isolates (U+2066–U+2069) are dropped.
        let dropped =
          (c == 0xC2 && b1 <= 0x9F) || (c == 0xE2 && b1 == 0x80 && (0xAA...0xAE).contains(b2))
          || (c == 0xE2 && b1 == 0x81 && (0xA6...0xA9).contains(b2))
        if !dropped { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[i..<end])) }
        previousCR = false
        i = end
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// Folds one content line into lines of at most 75 octets (not counting CRLF), each
  /// continuation starting with a space; a fold never splits a UTF-8 sequence.
  ///
  /// Returns the parts joined by CRLF and a space (the caller adds the final CRLF).
  public static func fold(_ line: String, limit: Int = 75) -> String {
    var out = ""
    fold(line, limit: limit, into: &out)
    return out
  }

  /// ``fold(_:limit:)`` appended to `out`.
  static func fold(_ line: String, limit: Int = 75, into out: inout String) {
    guard line.utf8.count > limit else {
      out += line
      return
    }
    let bytes = Array(line.utf8)
    var folded: [UInt8] = []
    folded.reserveCapacity(bytes.count + bytes.count / max(1, limit - 1) * 3 + 3)
    var start = 0
    var room = limit
    while start < bytes.count {
      var end = min(start + room, bytes.count)
      // Step back over continuation bytes (10xxxxxx) so the cut falls between scalars.
      while end < bytes.count, end > start, bytes[end] & 0xC0 == 0x80 { end -= 1 }
      if start > 0 { folded.append(contentsOf: [0x0D, 0x0A, 0x20]) }
      folded.append(contentsOf: bytes[start..<end])
      start = end
      room = limit - 1  // a continuation line begins with one space
    }
    out += String(decoding: folded, as: UTF8.self)
  }
}
