import Foundation
import LearningLog
import LearningLogTesting
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

/// Every field shows that it holds more than it shows, and a click focuses a field.
///
/// A field left shows its start; checked over every form of the registry.
@Suite struct FormFieldsTests {
  static let size = Size(width: 100, height: 30)

  /// The app on the demo log with the form `name` open.
  static func open(_ name: FormKind.Name, _ app: AppHarness) throws -> AppState {
    var s = app.initialState(size: size)
    s.pendingDrafts = []
    s.overlay = nil
    let kind = try FormDraftTests.kind(name, in: s.context.domain)
    _ = app.model.reduce(&s, .navigate(.form(kind)))
    _ = try #require(s.form, "form \(name) did not open")
    return s
  }

  /// The row of the frame holding `label` (as drawn, cut or not), if shown.
  static func row(_ label: String, in lines: [String]) -> String? {
    lines.first { $0.contains("  " + label) || $0.contains("▶ " + label) }
  }

  @Test func everyMultiLineFieldOfEveryFormSaysWhenItHoldsMoreThanItShows() throws {
    let app = try AppHarness()
    var checked = 0
    for name in FormKind.Name.allCases {
      let base = try Self.open(name, app)
      let fields = try #require(base.form).form.fields
      for (i, field) in fields.enumerated() {
        guard case .textArea = field.kind else { continue }
        let label = String(field.label.prefix(30))
        // Fits: no sign.
        var s = base
        s.form?.form.setValue(field.id, "one line")
        s.form?.form.focus = i
        let fitting = try #require(Self.row(label, in: trimmedLines(app.frame(s))))
        #expect(!fitting.contains("more line"), "\(name) \(field.id): \(fitting)")
        // Holds more lines than it has rows: the sign, focused and not.
        let text = (1...(field.rows + 4)).map { "line \($0)" }.joined(separator: "\n")
        s.form?.form.setValue(field.id, text)
        let focused = try #require(Self.row(label, in: trimmedLines(app.frame(s))))
        #expect(focused.contains("more lines"), "\(name) \(field.id) focused: \(focused)")
        if i + 1 < fields.count {
          s.form?.form.focus = i + 1
          if let left = Self.row(label, in: trimmedLines(app.frame(s))) {
            #expect(left.contains("↓ 4 more lines"), "\(name) \(field.id) left: \(left)")
          }
        }
        // One long line wrapped past the rows counts too.
        s.form?.form.focus = i
        s.form?.form.setValue(field.id, String(repeating: "word ", count: 200))
        let wrapped = try #require(Self.row(label, in: trimmedLines(app.frame(s))))
        #expect(wrapped.contains("more line"), "\(name) \(field.id) wrapped: \(wrapped)")
        checked += 1
      }
    }
    #expect(checked >= 8, "only \(checked) multi-line fields in the registry")
  }

  @Test func aSingleLineFieldLeftShowsItsStartAndMarksTheCut() throws {
    let app = try AppHarness()
    var s = try Self.open(.newIncident, app)
    let long = "Start of a long title " + String(repeating: "and more words ", count: 12) + "END"
    try app.type(long.map { $0 == " " ? "<Space>" : String($0) }.joined(separator: " "), into: &s)
    let typing = trimmedLines(app.frame(s))
    #expect(typing.contains { $0.contains("END") }, "while typing, the end shows")
    try app.type("<Tab>", into: &s)
    let left = trimmedLines(app.frame(s))
    let row = try #require(left.first { $0.contains("Start of a long title") })
    #expect(row.contains("wo…"), "a cut field ends with …: \(row)")
    #expect(!left.contains { $0.contains("END") })
  }

  @Test func aClickFocusesTheFieldUnderIt() throws {
    let app = try AppHarness()
    for name in FormKind.Name.allCases {
      var s = try Self.open(name, app)
      let form = try #require(s.form)
      let lines = trimmedLines(app.frame(s))
      // Click each field's label that is on screen; it takes the focus.
      for (i, field) in form.form.fields.enumerated() {
        let label = String(field.label.prefix(30))
        guard
          let y = lines.firstIndex(where: { $0.contains("  " + label) || $0.contains("▶ " + label) }
          )
        else { continue }
        let x = try #require(lines[y].range(of: label)).lowerBound.utf16Offset(in: lines[y])
        let click = MouseEvent(action: .press(button: 1), position: Point(x: x, y: y))
        let action = try #require(
          app.model.action(for: .mouse(click), in: s), "\(name) \(field.id)")
        _ = app.model.reduce(&s, action)
        #expect(
          s.form?.form.focus == i,
          "\(name): a click on \(field.id) focused \(s.form?.form.focus ?? -1)")
        s.form?.form.focus = 0
      }
    }
  }
}
