import LearningLog
import LearningLogTesting
import TerminalUI
import Testing

@testable import LearningLogApp

/// Text typed into a form is saved or the save is refused: never thrown away because the
/// choice it depends on is left at "—" (or at an option that does not use it).
@Suite struct FormDependencyTests {
  /// A marker typed into a field, found again in the commands a save makes.
  static func marker(_ field: FormField) -> String {
    if case .date = field.kind { return "2031-07-09" }
    return "zq\(field.id.filter(\.isLetter))mark"
  }

  @Test func aChecklistItemTypedWithTheChoiceLeftUnsetRefusesTheSaveAndKeepsTheForm() throws {
    let app = try AppHarness()
    var s = try FormFieldsTests.open(.review, app)
    var f = try #require(s.form)
    #expect(f.value("+change") == "")
    f.form.setValue("+change-item", "Check the flag's age before a deploy")
    s.form = f
    app.send(.form(.save), to: &s)
    #expect(s.form != nil, "the form stays open")
    #expect(
      s.status?.text == "error: cannot save: choose the checklist the item changes, or (new)",
      "\(s.status?.text ?? "no status")")
    #expect(s.form?.value("+change-item") == "Check the flag's age before a deploy")
    #expect(s.form?.focusedField?.id == "+change", "focus goes to the choice to make")
  }

  /// Over every form of the registry, every choice at every option, each text field on its own:
  /// what is typed is in the commands the save makes, or the save is refused.
  @Test func noFormDropsTypedTextWhateverItsChoicesSay() throws {
    let app = try AppHarness()
    var checked = 0
    var refused = 0
    for name in FormKind.Name.allCases {
      let state = try FormFieldsTests.open(name, app)
      let base = try #require(state.form)
      // Each choice at each option, the others as the form starts.
      var variants: [ActiveForm] = [base]
      for field in base.form.fields {
        guard case .choice(let c) = field.kind else { continue }
        for option in c.options {
          var v = base
          v.form.setValue(field.id, option)
          variants.append(v)
        }
      }
      for variant in variants {
        for field in variant.form.fields {
          if case .choice = field.kind { continue }
          var f = variant
          // Required fields hold something, so only the field tried can be at fault.
          for other in f.form.fields where other.isRequired && other.isBlank {
            f.form.setValue(other.id, other.id == "at" ? "10:00" : Self.marker(other))
          }
          let mark = Self.marker(field)
          f.form.setValue(field.id, mark)
          switch FormCatalog.commands(f, context: state.context) {
          case .failure: refused += 1
          case .success(let commands):
            let saved = String(describing: commands)
            let choices = f.form.fields.compactMap { x -> String? in
              guard case .choice = x.kind else { return nil }
              return "\(x.id)=\(x.value)"
            }
            #expect(
              saved.contains(mark),
              "\(name) \(field.id) with \(choices): typed text not in \(saved)")
          }
          checked += 1
        }
      }
    }
    #expect(checked > 100 && refused > 0)
  }

  /// Every choice field of every form, at every option, on a narrow screen: the chosen option
  /// is on screen.
  @Test func everyChoiceFieldShowsItsChosenOptionOnANarrowScreen() throws {
    let app = try AppHarness()
    var checked = 0
    for name in FormKind.Name.allCases {
      var state = try FormFieldsTests.open(name, app)
      state.size = Size(width: 60, height: 30)
      let base = try #require(state.form)
      for (i, field) in base.form.fields.enumerated() {
        guard case .choice(let c) = field.kind else { continue }
        for option in c.options where option.count < 30 {
          var f = base
          f.form.setValue(field.id, option)
          f.form.focus = i
          state.form = f
          let lines = app.frame(state).lines()
          #expect(
            lines.containsLine(with: "[\(option)]"), "\(name) \(field.id) \(option): \(lines)")
          checked += 1
        }
      }
    }
    #expect(checked > 20)
  }
}
