/// A choice among fixed options, cycled with Space or ←/→.
public struct ChoiceState: Hashable, Sendable {
  /// The options, in cycling order.
  public var options: [String]
  /// The chosen option's index.
  public var index: Int
  /// What has been typed into the choice since the last arrow key: letters pick the option
  /// they begin, and a space within typed words is part of them, not a cycle.
  public var typed = ""

  /// A choice of `options` with `index` chosen.
  public init(options: [String], index: Int = 0) {
    self.options = options
    self.index = options.isEmpty ? 0 : Swift.min(Swift.max(0, index), options.count - 1)
  }

  /// The chosen option ("" when there are none).
  public var value: String { options.indices.contains(index) ? options[index] : "" }

  /// Applies Space or → (next) and ← (previous), and typed letters (the first option beginning
  /// with what was typed is chosen; letters that begin none change nothing); returns false for
  /// other keys.
  public mutating func handle(_ event: KeyEvent) -> Bool {
    guard event.modifiers.isEmpty || event.modifiers == .shift, !options.isEmpty else {
      return false
    }
    switch event.key {
    case .character(" ") where !typed.isEmpty:
      typed.append(" ")  // a word typed goes on: its space does not cycle
    case .character(" "), .right:
      typed = ""
      index = (index + 1) % options.count
    case .left:
      typed = ""
      index = (index + options.count - 1) % options.count
    case .character(let ch) where ch.isLetter || ch.isNumber:
      typed.append(ch)
      let start = typed.lowercased()
      if let i = options.firstIndex(where: { $0.lowercased().hasPrefix(start) }) {
        index = i
      } else if let i = options.firstIndex(where: {
        $0.lowercased().hasPrefix(String(ch).lowercased())
      }),
        typed.count == 1
      {
        index = i
      }
    default: return false
    }
    return true
  }
}

extension ChoiceState {
  /// The options on one row `width` cells wide, the chosen one in brackets, scrolled so the
  /// chosen option shows whole (its start, when it alone is wider), with "…" on each side where
  /// options are cut off: what a save would pick is always on screen.
  public func row(width: Int) -> String {
    guard width > 0 else { return "" }
    var chars: [Character] = []
    var chosen = 0..<0
    for (i, option) in options.enumerated() {
      if i > 0 { chars.append(" ") }
      if i == index {
        let start = chars.count
        chars += "[" + option + "]"
        chosen = start..<chars.count
      } else {
        chars += option
      }
    }
    let widths = chars.map { TextEditState.width(of: $0) }
    func cols(_ r: Range<Int>) -> Int { widths[r].reduce(0, +) }
    // The clusters from `start` that fit in `cells`, padded with spaces to fill them.
    func take(from start: Int, cells: Int) -> String {
      var out = ""
      var used = 0
      var i = start
      while i < chars.count, used + widths[i] <= cells {
        out.append(chars[i])
        used += widths[i]
        i += 1
      }
      return out + String(repeating: " ", count: Swift.max(0, cells - used))
    }
    if cols(0..<chars.count) <= width { return String(chars) }
    if width < 3 { return take(from: chosen.lowerBound, cells: width) }
    if cols(0..<chosen.upperBound) <= width - 1 { return take(from: 0, cells: width - 1) + "…" }
    if cols(chosen.lowerBound..<chars.count) <= width - 1 {
      // The end of the row shows: as many clusters before the chosen one as fit.
      var start = chars.count
      while start > 0, cols((start - 1)..<chars.count) <= width - 1 { start -= 1 }
      let text = String(chars[start...])
      return "…" + String(repeating: " ", count: width - 1 - cols(start..<chars.count)) + text
    }
    let inner = width - 2
    guard cols(chosen) <= inner else {
      return "…" + take(from: chosen.lowerBound, cells: inner) + "…"
    }
    var start = chosen.lowerBound
    while start > 0, cols((start - 1)..<chosen.upperBound) <= inner { start -= 1 }
    return "…" + take(from: start, cells: inner) + "…"
  }
}

/// Checks dates typed as YYYY-MM-DD.
public enum DateValidation {
  /// Nil when `text` is a real calendar date written YYYY-MM-DD (or empty and not `required`),
  /// otherwise a one-line message saying what is wrong and how to write it.
  public static func message(for text: String, required: Bool = false) -> String? {
    if text.isEmpty { return required ? "date required: write it as YYYY-MM-DD" : nil }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
    else { return "not a date: write it as YYYY-MM-DD, e.g. 2026-03-14" }
    guard (1...12).contains(m) else { return "no month \(m): months run 01–12" }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    guard (1...days).contains(d) else {
      return "no day \(d) in \(parts[0])-\(parts[1]): it has \(days) days"
    }
    return nil
  }
}

/// What a form field holds and how it edits.
public enum FormFieldKind: Hashable, Sendable {
  /// One line of text.
  case text(TextEditState)
  /// Several lines; Enter makes a new line.
  case textArea(TextAreaState)
  /// One of fixed options.
  case choice(ChoiceState)
  /// A date written YYYY-MM-DD, checked as it is typed.
  case date(TextEditState)
}

/// The choice a field's value is used under: typed while that choice is at an option that
/// ignores it, the value would be thrown away, so the form refuses to save.
public struct FieldDependency: Hashable, Sendable {
  /// The id of the choice field this one depends on.
  public var choice: String
  /// Options of the choice under which the field's value is not used ("—", say).
  public var ignoredWith: Set<String>
  /// When set, the only options of the choice under which the field's value is used.
  public var onlyWith: Set<String>?
  /// What to do about it, one line ("choose the checklist the item changes, or (new)").
  public var message: String

  /// A dependency on choice `choice`, ignored under `ignoredWith` or outside `onlyWith`.
  public init(
    choice: String, ignoredWith: Set<String> = [], onlyWith: Set<String>? = nil, message: String
  ) {
    self.choice = choice
    self.ignoredWith = ignoredWith
    self.onlyWith = onlyWith
    self.message = message
  }

  /// Whether the field's value is thrown away while the choice is at `option`.
  public func ignores(_ option: String) -> Bool {
    ignoredWith.contains(option) || (onlyWith.map { !$0.contains(option) } ?? false)
  }
}

/// One labelled field of a form.
public struct FormField: Hashable, Sendable {
  /// A stable name to read the value by ("title", "severity").
  public var id: String
  /// The label shown left of the field.
  public var label: String
  /// The value and its editing state.
  public var kind: FormFieldKind
  /// Whether an empty value is an error.
  public var isRequired: Bool
  /// Rows the field takes (text areas only; others take one).
  public var height: Int
  /// The choice this field's value is used under, if any.
  public var dependency: FieldDependency?

  /// A field called `id`, labelled `label`.
  public init(
    id: String, label: String, kind: FormFieldKind, isRequired: Bool = false, height: Int = 4,
    dependency: FieldDependency? = nil
  ) {
    self.id = id
    self.label = label
    self.kind = kind
    self.isRequired = isRequired
    self.height = height
    self.dependency = dependency
  }

  /// The value as text (a choice's option, a text area's lines joined with "\n").
  public var value: String {
    switch kind {
    case .text(let s), .date(let s): return s.text
    case .textArea(let s): return s.text
    case .choice(let c): return c.value
    }
  }

  /// Changes whenever the value may have changed (a choice's index; a text's revision), so a
  /// caller can tell an edit without comparing texts.
  public var revision: UInt64 {
    switch kind {
    case .text(let s), .date(let s): return s.revision
    case .textArea(let s): return s.revision
    case .choice(let c): return UInt64(c.index)
    }
  }

  /// Whether the value is empty or only whitespace, found without building the value.
  public var isBlank: Bool {
    switch kind {
    case .text(let s), .date(let s): return s.isBlank
    case .textArea(let s): return s.isBlank
    case .choice(let c): return c.value.allSatisfy(\.isWhitespace)
    }
  }

  /// Whether the value is empty, found without building the value.
  public var isEmpty: Bool {
    switch kind {
    case .text(let s), .date(let s): return s.isEmpty
    case .textArea(let s): return s.isEmpty
    case .choice(let c): return c.value.isEmpty
    }
  }

  /// The rows the field takes on screen.
  public var rows: Int {
    if case .textArea = kind { return Swift.max(1, height) }
    return 1
  }

  /// Nil when the value is acceptable, otherwise a one-line message.
  public var validationMessage: String? {
    switch kind {
    case .date(let s):
      // Longer than YYYY-MM-DD is never a date (and is not copied to find out).
      if s.characters.count > 10 { return DateValidation.message(for: "-", required: false) }
      return DateValidation.message(for: s.text, required: isRequired)
    default:
      if isRequired && isBlank { return "\(label) is required" }
      return nil
    }
  }
}

/// A form: fields, which one has focus, whether anything was edited.
///
/// Tab/↓ and Shift-Tab/↑ move between fields (in a text area ↑/↓ move between its lines first);
/// Enter moves to the next field except in a text area; other keys go to the focused field.
/// Keys the form does not use (Ctrl-S, Esc) are left to the caller.
public struct FormState: Hashable, Sendable {
  /// The fields, top to bottom.
  public var fields: [FormField]
  /// The index of the focused field.
  public var focus: Int
  /// Whether any field's value changed since the form was made.
  public private(set) var isEdited = false

  /// A form of `fields` with the first focused.
  public init(fields: [FormField], focus: Int = 0) {
    self.fields = fields
    self.focus = fields.isEmpty ? 0 : Swift.min(Swift.max(0, focus), fields.count - 1)
  }

  /// The value of the field called `id`.
  public func value(_ id: String) -> String? { fields.first { $0.id == id }?.value }

  /// The first field with a validation problem, and the message: a field's own problem, or a
  /// field filled while the choice it depends on ignores it (then the choice is the field at
  /// fault, so the value typed is not thrown away by a save).
  public var firstProblem: (field: Int, message: String)? {
    for (i, f) in fields.enumerated() {
      if let m = f.validationMessage { return (i, m) }
      if let p = dependencyProblem(i) { return p }
    }
    return nil
  }

  /// The problem of field `i` filled while the choice it depends on ignores it, or nil.
  public func dependencyProblem(_ i: Int) -> (field: Int, message: String)? {
    guard fields.indices.contains(i), let d = fields[i].dependency, !fields[i].isBlank,
      let c = fields.firstIndex(where: { $0.id == d.choice }), d.ignores(fields[c].value)
    else { return nil }
    return (c, d.message)
  }

  /// Whether every field is acceptable.
  public var isValid: Bool { firstProblem == nil }

  /// Moves focus to the next field (wrapping).
  public mutating func focusNext() {
    guard !fields.isEmpty else { return }
    focus = (focus + 1) % fields.count
  }

  /// Moves focus to the previous field (wrapping).
  public mutating func focusPrevious() {
    guard !fields.isEmpty else { return }
    focus = (focus + fields.count - 1) % fields.count
  }

  /// Applies a key; returns false when the form does not use it (the caller's keymap does).
  public mutating func handle(_ event: KeyEvent) -> Bool {
    guard fields.indices.contains(focus) else { return false }
    let edited = focus
    let before = fields[edited].revision
    defer { if before != fields[edited].revision { isEdited = true } }
    switch (event.key, event.modifiers) {
    case (.tab, []):
      focusNext()
      return true
    case (.tab, .shift):
      focusPrevious()
      return true
    default: break
    }
    // The field's state is taken out while it is edited, so its text is edited in place
    // rather than copied.
    var kind = fields[focus].kind
    fields[focus].kind = Self.placeholder
    defer { fields[edited].kind = kind }
    switch kind {
    case .textArea(var s):
      kind = Self.placeholder
      defer { kind = .textArea(s) }
      if s.handle(event) { return true }
    case .text(var s):
      kind = Self.placeholder
      defer { kind = .text(s) }
      if event.key != .enter, s.handle(event) { return true }
    case .date(var s):
      kind = Self.placeholder
      defer { kind = .date(s) }
      if event.key != .enter, s.handle(event) { return true }
    case .choice(var c):
      defer { kind = .choice(c) }
      if c.handle(event) { return true }
    }
    switch (event.key, event.modifiers) {
    case (.down, []), (.enter, []):
      focusNext()
      return true
    case (.up, []):
      focusPrevious()
      return true
    default:
      return false
    }
  }

  /// A value held in a field's place while its state is edited.
  static let placeholder = FormFieldKind.choice(ChoiceState(options: []))

  /// Inserts pasted text into the focused text field.
  public mutating func paste(_ text: String) {
    guard fields.indices.contains(focus) else { return }
    let kind = fields[focus].kind
    fields[focus].kind = Self.placeholder
    switch kind {
    case .text(var s):
      s.insert(text)
      fields[focus].kind = .text(s)
    case .date(var s):
      s.insert(text)
      fields[focus].kind = .date(s)
    case .textArea(var s):
      s.insert(text)
      fields[focus].kind = .textArea(s)
    case .choice:
      fields[focus].kind = kind
      return
    }
    isEdited = true
  }
}

/// Draws a form: a label column, the fields, and a validation message under each field that
/// has one (for the focused field, and for any field once `showsAllProblems` is set).
public struct FormView {
  /// The form.
  public var form: FormState
  /// The styles used.
  public var theme: Theme
  /// Show every field's problem, not only the focused one's (after a save attempt).
  public var showsAllProblems: Bool

  /// A view of `form`.
  public init(form: FormState, theme: Theme = .monochrome, showsAllProblems: Bool = false) {
    self.form = form
    self.theme = theme
    self.showsAllProblems = showsAllProblems
  }

  /// Draws into `area` and returns the cursor of the focused field.
  @discardableResult
  public func render(into buffer: inout ScreenBuffer, area: Rect) -> Point? {
    guard !area.isEmpty else { return nil }
    let labelWidth = Swift.min(
      area.width / 3, (form.fields.map { $0.label.displayWidth }.max() ?? 0) + 1)
    let fieldX = area.x + labelWidth + 1
    let fieldWidth = Swift.max(0, area.maxX - fieldX)
    var y = area.y
    var cursor: Point?
    for (i, field) in form.fields.enumerated() {
      guard y < area.maxY else { break }
      let focused = i == form.focus
      buffer.setString(
        area.x, y, field.label, style: focused ? theme.title : theme.normal, maxWidth: labelWidth)
      let rows = Swift.min(field.rows, area.maxY - y)
      let rect = Rect(x: fieldX, y: y, width: fieldWidth, height: rows)
      let fieldStyle = focused ? Style(attributes: .underline) : theme.normal
      var fieldCursor: Point?
      switch field.kind {
      case .text(let s), .date(let s):
        fieldCursor = TextField(s, style: fieldStyle, isFocused: focused).render(
          into: &buffer, area: rect)
      case .textArea(let s):
        fieldCursor = TextArea(s, style: fieldStyle, isFocused: focused).render(
          into: &buffer, area: rect)
      case .choice(let c):
        let text = "‹ \(c.value) ›"
        buffer.setString(
          rect.x, rect.y, text, style: focused ? theme.selection : theme.normal,
          maxWidth: rect.width)
      }
      if focused { cursor = fieldCursor }
      y += rows
      if let problem = field.validationMessage, focused || showsAllProblems,
        !field.isEmpty || showsAllProblems
      {
        if y < area.maxY {
          buffer.setString(fieldX, y, problem, style: theme.danger, maxWidth: fieldWidth)
          y += 1
        }
      }
    }
    return cursor
  }
}
