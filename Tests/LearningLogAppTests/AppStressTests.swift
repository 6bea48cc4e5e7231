import Foundation
import LearningLog
import LearningLogApp
import LearningLogTesting
import TerminalUI
import Testing

/// How long a key takes on a large log (LEARNLOG_STRESS=1; LEARNLOG_STRESS_INCIDENTS sets the size).
@Test(.enabled(if: ProcessInfo.processInfo.environment["LEARNLOG_STRESS"] == "1"))
func stressKeyLatencyOnALargeLog() throws {
  let count = Int(ProcessInfo.processInfo.environment["LEARNLOG_STRESS_INCIDENTS"] ?? "") ?? 20_000
  let appLog = InMemoryAppLog(today: testToday)
  let kinds = IncidentKind.allCases.map(\.rawValue)
  for i in 0..<count {
    _ = try appLog.perform(
      .addIncident(
        NewIncident(
          title: "Incident \(i) about the cache", kind: kinds[i % kinds.count],
          team: "team\(i % 9)",
          tags: ["t\(i % 13)"], patterns: ["p/\(i % 50)"],
          occurred: testToday.adding(days: -(i % 300)).description)))
  }
  let app = try AppHarness(appLog: appLog)
  var state = app.initialState(size: Size(width: 120, height: 40))
  let start = Date()
  try app.type("2", into: &state)
  _ = app.frame(state)
  let keys = ["j", "j", "o", "j", "/", "c", "a", "<Enter>", "G"]
  var worst = 0.0
  for key in keys {
    let t = Date()
    try app.type(key, into: &state)
    _ = app.frame(state)
    let took = Date().timeIntervalSince(t)
    print("  \(key): \(String(format: "%.1f", took * 1000)) ms")
    worst = max(worst, took)
  }
  print(
    "app on \(count) incidents: first view \(String(format: "%.0f", Date().timeIntervalSince(start) * 1000)) ms total, worst key+frame \(String(format: "%.1f", worst * 1000)) ms"
  )
  #expect(state.tab == .incidents)
}
