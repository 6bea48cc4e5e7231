import LearningLog
import LearningLogApp
import TerminalUI
import TerminalUITesting
import Testing

/// Bad input typed or pasted into the app's forms: refused with a message, nothing written,
/// nothing crashed, the form kept.
@Suite struct AppBadInputTests {
  @Test(arguments: ["2026-02-30", "2026-13-01", "yesterday", "2099-01-01", "0000-00-00", "26-1-1"])
  func anInvalidDateInTheNewIncidentFormWritesNothing(_ date: String) throws {
    let app = try AppHarness()
    let before = app.appLog.records.count
    // Title, then Tab to What, Kind, Severity, Occurred; clear it and type the bad date.
    let script =
      "2 n " + words("Bad date") + " <Tab> <Tab> <Tab> <Tab> <C-u> " + words(date) + " <C-s>"
    let (terminal, _) = try app.run(script, size: Size(width: 100, height: 30))
    #expect(app.appLog.records.count == before, "a record was written for occurred \(date)")
    #expect(terminal.screenLines.containsLine(with: "New incident"), "the form was closed")
    #expect(terminal.screenLines.containsLine(with: date), "the typed date was lost")
  }

  /// The same keys with a good date save: the bad dates above are refused for the date alone.
  @Test func theSameKeysWithAGoodDateSave() throws {
    let app = try AppHarness()
    let before = app.appLog.records.count
    let script =
      "2 n " + words("Good date") + " <Tab> <Tab> <Tab> <Tab> <C-u> " + words("2026-11-01")
      + " <C-s>"
    _ = try app.run(script, size: Size(width: 100, height: 30))
    #expect(app.appLog.records.count == before + 1)
    #expect(
      app.appLog.state.incidentList.first { $0.title == "Good date" }?.occurred.description
        == "2026-11-01")
  }

  @Test func aPastedMegabyteInAFormIsKeptDrawnSafelyAndSavedOrRefusedWhole() throws {
    let app = try AppHarness()
    let before = app.appLog.records.count
    let chunk = "pasted \u{1B}[2J\u{1B}]52;c;eA==\u{07} 日本 \u{202E}x\n"
    let big = String(repeating: chunk, count: (1 << 20) / chunk.utf8.count + 1)
    var events = try KeyScript.parse("2 n " + words("Big paste") + " <Tab>")
    events.append(.paste(big))
    events += try KeyScript.parse("<C-s>")
    let terminal = TestTerminal(size: Size(width: 80, height: 24), events: events)
    _ = app.program.run(app.initialState(), on: terminal)
    for frame in terminal.frames { #expect(unsafeScalars(in: frame).isEmpty) }
    let added = app.appLog.records.count - before
    // Either saved whole or refused with nothing written: never a part.
    if added > 0 {
      let what = app.appLog.state.incidentList.first { $0.title == "Big paste" }?.what ?? ""
      #expect(what.count >= big.count - 2, "the pasted text was cut")
    } else {
      #expect(terminal.screenLines.containsLine(with: "New incident"), "the form was lost")
    }
    print("app: a 1 MiB paste in a form: \(added > 0 ? "saved whole" : "refused, form kept")")
  }
}
