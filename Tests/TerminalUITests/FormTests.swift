import TerminalUI
import TerminalUITesting
import Testing

func demoForm() -> FormState {
  FormState(fields: [
    FormField(id: "title", label: "Title", kind: .text(TextEditState()), isRequired: true),
    FormField(
      id: "severity", label: "Severity",
      kind: .choice(ChoiceState(options: ["low", "medium", "high"]))),
    FormField(id: "when", label: "When", kind: .date(TextEditState("2026-11-25"))),
    FormField(id: "story", label: "Story", kind: .textArea(TextAreaState()), height: 2),
  ])
}

func apply(_ form: inout FormState, _ script: String) throws -> [Bool] {
  try KeyScript.parse(script).map { event in
    guard case .key(let k) = event else { return false }
    return form.handle(k)
  }
}

@Suite struct FormTests {
  @Test func focusMovesWithTabShiftTabArrowsAndEnter() throws {
    var f = demoForm()
    _ = try apply(&f, "<Tab>")
    #expect(f.focus == 1)
    _ = try apply(&f, "<S-Tab>")
    #expect(f.focus == 0)
    _ = try apply(&f, "<Down> <Down>")
    #expect(f.focus == 2)
    _ = try apply(&f, "<Up>")
    #expect(f.focus == 1)
    _ = try apply(&f, "<Enter> <Enter>")
    #expect(f.focus == 3)
    _ = try apply(&f, "<Tab>")
    #expect(f.focus == 0)
    #expect(!f.isEdited)
  }

  @Test func enterInsideATextAreaMakesANewLine() throws {
    var f = demoForm()
    f.focus = 3
    _ = try apply(&f, "line1 <Enter> line2 <Up> <Up>")
    #expect(f.value("story") == "line1\nline2")
    #expect(f.focus == 2)
    #expect(f.isEdited)
  }

  @Test func choiceCyclesWithSpaceAndArrows() throws {
    var f = demoForm()
    f.focus = 1
    _ = try apply(&f, "<Space> <Space> <Space> <Left>")
    #expect(f.value("severity") == "high")
    _ = try apply(&f, "<Right>")
    #expect(f.value("severity") == "low")
  }

  @Test func keysTheFormDoesNotUseAreLeftToTheCaller() throws {
    var f = demoForm()
    #expect(try apply(&f, "<C-s> <Esc>") == [false, false])
  }

  @Test func dateValidation() {
    #expect(DateValidation.message(for: "2026-02-28") == nil)
    #expect(DateValidation.message(for: "2024-02-29") == nil)
    #expect(DateValidation.message(for: "2026-02-29") == "no day 29 in 2026-02: it has 28 days")
    #expect(DateValidation.message(for: "2026-13-01") == "no month 13: months run 01–12")
    #expect(
      DateValidation.message(for: "26-1-1") == "not a date: write it as YYYY-MM-DD, e.g. 2026-03-14"
    )
    #expect(DateValidation.message(for: "2026-1a-01") != nil)
    #expect(DateValidation.message(for: "") == nil)
    #expect(DateValidation.message(for: "", required: true) != nil)
  }

  @Test func formRendersLabelsFieldsAndInlineProblems() throws {
    var f = demoForm()
    _ = try apply(&f, "Disk <Space> full <Tab> <Space> <Tab> <BS> <BS> 99")
    #expect(f.firstProblem?.field == 2)
    var cursor: Point?
    let b = render(width: 50, height: 7) { buf, area in
      cursor = FormView(form: f).render(into: &buf, area: area)
    }
    expectLines(
      b,
      [
        "Title     Disk full",
        "Severity  ‹ medium ›",
        "When      2026-11-99",
        "          no day 99 in 2026-11: it has 30 days",
        "Story",
      ])
    #expect(cursor == Point(x: 20, y: 2))
    let all = render(width: 40, height: 7) { buf, area in
      FormView(form: demoForm(), showsAllProblems: true).render(into: &buf, area: area)
    }
    #expect(all.lines()[1] == "          Title is required")
  }

  @Test func pasteGoesIntoTheFocusedField() {
    var f = demoForm()
    f.paste("from the clipboard\nsecond line")
    #expect(f.value("title") == "from the clipboard second line")
    #expect(f.isEdited)
  }
}

/// Typing words into a choice picks the option they begin, never cycles silently on their
/// spaces; Space alone, → and ← still cycle.
@Test func typingIntoAChoicePicksWhatItSpellsAndItsSpacesDoNotCycle() {
  var c = ChoiceState(options: ["low", "medium", "high", "critical"], index: 1)
  for ch in "high risk" { _ = c.handle(KeyEvent(.character(ch))) }
  #expect(c.value == "high")
  _ = c.handle(KeyEvent(.right))
  #expect(c.value == "critical")
  _ = c.handle(KeyEvent(.character(" ")))
  #expect(c.value == "low", "Space alone after an arrow cycles")
  _ = c.handle(KeyEvent(.character("C")))
  #expect(c.value == "critical")
  // Letters that begin no option change nothing.
  _ = c.handle(KeyEvent(.left))
  for ch in "zz" { _ = c.handle(KeyEvent(.character(ch))) }
  #expect(c.value == "high")
}
