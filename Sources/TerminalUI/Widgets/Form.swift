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

  /// A field called `id`, labelled `label`.
  public init(
    id: String, label: String, kind: FormFieldKind, isRequired: Bool = false, height: Int = 4
  ) {
    self.id = id
    self.label = label
    self.kind = kind
    self.isRequired = isRequired
    self.height = height
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

  /// The first field with a validation problem, and the message.
  public var firstProblem: (field: Int, message: String)? {
    for (i, f) in fields.enumerated() {
      if let m = f.validationMessage { return (i, m) }
    }
    return nil
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
