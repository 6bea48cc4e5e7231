import Foundation
import LearningLog
import TerminalUI
import TerminalUITesting
import Testing

@testable import LearningLogApp

/// `y` copies the selected incident's or action's id: with OSC 52 only when turned on
/// (`LEARNLOG_OSC52=1`), otherwise the message shows the id so it can be copied by hand.
@Suite struct ClipboardTests {
  @Test func theSequenceIsOSC52WithTheTextInBase64() {
    #expect(Clipboard.osc52("abc") == "\u{1B}]52;c;YWJj\u{07}")
    #expect(Clipboard.osc52("7p967dq2xk4m") == "\u{1B}]52;c;N3A5NjdkcTJ4azRt\u{07}")
    // Whatever the text holds, only base64 letters sit between the fixed ends.
    let hostile = "a\u{1B}]0;pwned\u{07}\u{9B}b\nc"
    let sequence = Clipboard.osc52(hostile)
    let payload = sequence.dropFirst(7).dropLast()
    #expect(sequence.hasPrefix("\u{1B}]52;c;") && sequence.hasSuffix("\u{07}"))
    #expect(payload.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) })
    #expect(Data(base64Encoded: String(payload)) == Data(hostile.utf8))
  }

  @Test func onlyAnExplicitYesTurnsItOn() {
    for yes in ["1", "yes", "true", "on", "YES"] {
      #expect(Clipboard.isEnabled([Clipboard.environmentKey: yes]))
    }
    for no in ["", "0", "no", "off", "false", "2"] {
      #expect(!Clipboard.isEnabled([Clipboard.environmentKey: no]))
    }
    #expect(!Clipboard.isEnabled([:]))
  }

  @Test(arguments: [false, true])
  func yCopiesTheSelectedIdOnlyWhenTurnedOn(_ enabled: Bool) throws {
    let harness = try AppHarness()
    var copied: [String] = []
    if enabled { harness.runner.copyToClipboard = { copied.append($0) } }
    var state = harness.initialState(size: Size(width: 100, height: 30))
    // Incidents: the selected incident's full id.
    try harness.type("2 y", into: &state)
    let rows = IncidentsScreen.rowIDs(state.incidents, context: state.context)
    let incident = try #require(
      state.incidents.list.selection(count: rows.count).map { rows[$0] })
    let message = try #require(state.status?.text)
    #expect(message.contains(incident), "\(message)")
    // The board: the selected card's action id.
    try harness.type("3 y", into: &state)
    let action = try #require(BoardScreen.selectedAction(state.board, context: state.context))
    let boardMessage = try #require(state.status?.text)
    #expect(boardMessage.contains(action.id), "\(boardMessage)")
    if enabled {
      #expect(copied == [incident, action.id])
      #expect(message.hasPrefix("copied incident "))
    } else {
      #expect(copied.isEmpty)
      #expect(message.contains("LEARNLOG_OSC52=1"), "\(message)")
    }
  }
}
