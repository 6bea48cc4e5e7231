import Foundation
import Testing

@testable import LearningLog

let demoToday = Day(year: 2026, month: 3, day: 16) ?? Day(ordinal: 0)

func demoState() throws -> (LearningState, [Record]) {
  var st = Stamper(writer: "demo", wall: demoToday.utcMilliseconds)
  let records = try DemoData.drafts(today: demoToday).map { st.stamp($0) }
  return (LearningState.replay(records), records)
}

@Test func exportImportExportIsStable() throws {
  let (state, _) = try demoState()
  let first = Exporter.json(state, on: demoToday)
  let plan = try Importer.json(Data(first.utf8), into: LearningState())
  #expect(plan.private.isEmpty)
  var st = Stamper(writer: "importer", wall: demoToday.utcMilliseconds + 5_000_000)
  let imported = LearningState.replay(plan.shared.map { st.stamp($0) })
  #expect(imported.problems.isEmpty)
  let second = Exporter.json(imported, on: demoToday)
  #expect(first == second)
  // And the same for a log with private items, when they are asked for.
  var h = try sampleLog()
  for r in h.privateRecords { h.state.apply(r) }
  let a = Exporter.json(h.state, on: h.today, includePrivate: true)
  let p2 = try Importer.json(Data(a.utf8), into: LearningState(), includePrivate: true)
  var st2 = Stamper(writer: "i2", wall: 1)
  let back = LearningState.replay((p2.shared + p2.private).map { st2.stamp($0) })
  #expect(Exporter.json(back, on: h.today, includePrivate: true) == a)
}

@Test func exportHoldsEveryEntityWithDatesAndTimes() throws {
  let (state, _) = try demoState()
  let v = Exporter.jsonValue(state, on: demoToday)
  for key in ["incidents", "actions", "experiments", "lessons", "patterns", "templates"] {
    #expect((v[key]?.arrayValue?.count ?? 0) > 0, "\(key)")
  }
  let inc = try #require(v["incidents"]?.arrayValue?.first)
  #expect(Day(inc["occurred"]?.stringValue ?? "") != nil)
  #expect(ISOTime.parse(inc["created"]?.stringValue ?? "") != nil)
  #expect(inc["answers"]?.objectValue?.isEmpty == false)
  #expect(v["private"] == nil)
}

@Test func importRefusesBadFilesWithoutPartialResults() throws {
  let (state, _) = try demoState()
  let text = Exporter.json(state, on: demoToday)
  // Into a log that already holds these ids.
  expectError("already exists") { _ = try Importer.json(Data(text.utf8), into: state) }
  // A bad field deep in the file names the item and field.
  var root = Exporter.jsonValue(state, on: demoToday).objectValue ?? [:]
  var actions = root["actions"]?.arrayValue ?? []
  if case .object(var a) = actions[2] {
    a["status"] = "finished"
    actions[2] = .object(a)
  }
  root["actions"] = .array(actions)
  let bad = ExchangeJSON.encode(.object(root))
  expectError("actions[3]: status: 'finished'") {
    _ = try Importer.json(Data(bad.utf8), into: LearningState())
  }
  expectError("not valid JSON") { _ = try Importer.json(Data("{nope".utf8), into: LearningState()) }
  expectError("not a learnlog JSON export") {
    _ = try Importer.json(Data("{}".utf8), into: LearningState())
  }
}

@Test func csvQuotesAndGuardsFormulas() throws {
  #expect(CSV.cell("plain") == "plain")
  #expect(CSV.cell("a,b") == "\"a,b\"")
  #expect(CSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
  #expect(CSV.cell("two\nlines") == "\"two\nlines\"")
  #expect(CSV.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
  #expect(CSV.cell("+1") == "'+1")
  #expect(CSV.cell("-2") == "'-2")
  #expect(CSV.cell("@SUM(A1)") == "'@SUM(A1)")
  let rows = try CSV.parse("a,b,c\r\n\"x, y\",\"he said \"\"no\"\"\",\"multi\nline\"\r\n1,,3")
  #expect(rows == [["a", "b", "c"], ["x, y", "he said \"no\"", "multi\nline"], ["1", "", "3"]])
  #expect(throws: DomainError.self) { try CSV.parse("a,\"open") }
  #expect(CSV.unguard("'=1") == "=1")
  #expect(CSV.unguard("'plain") == "'plain")
}

@Test func csvExportImportsBack() throws {
  var h = Harness()
  _ = try h.incident(
    "=cmd|' /C calc'!A0", tags: ["a", "b"], patterns: ["x/y"], occurred: "2026-02-01")
  _ = try h.incident("Comma, \"quotes\"\nand lines", kind: "deadline", occurred: "2026-02-02")
  let csv = Exporter.csv(h.state)
  #expect(csv.contains("'=cmd"))
  let plan = try Importer.csv(Data(csv.utf8), into: LearningState(), context: h.context)
  var st = Stamper(writer: "csv")
  let back = LearningState.replay(plan.shared.map { st.stamp($0) })
  let titles = back.incidentList.map(\.title)
  #expect(titles == h.state.incidentList.map(\.title))
  #expect(back.incidentList.first?.tags == ["a", "b"])
  #expect(back.incidentList.first?.patterns == ["x/y"])
  #expect(back.incidentList.last?.kind == .deadline)
  let actions = Exporter.csv(h.state, table: .actions)
  #expect(actions.hasPrefix("id,incident,title,owner,due"))
}

@Test func csvImportValidatesEveryRowFirst() throws {
  let h = Harness()
  let good =
    "title,kind,severity,tags,patterns,occurred\nFirst,production,high,a;b,Deploy/Drift,2026-02-01\n"
  let p = try Importer.csv(Data(good.utf8), into: h.state, context: h.context)
  #expect(p.shared.count == 1)
  #expect(p.shared.first?.body["patterns"] == ["deploy/drift"])
  let bad = good + "Second,volcano,high,,,2026-02-01\n"
  expectError("CSV row 3: kind: 'volcano'") {
    _ = try Importer.csv(Data(bad.utf8), into: h.state, context: h.context)
  }
  let badDate = good + "Third,production,low,,,2026-02-30\n"
  expectError("CSV row 3: occurred") {
    _ = try Importer.csv(Data(badDate.utf8), into: h.state, context: h.context)
  }
  expectError("unknown column 'colour'") {
    _ = try Importer.csv(Data("title,colour\nx,red\n".utf8), into: h.state, context: h.context)
  }
  expectError("no 'title' column") {
    _ = try Importer.csv(Data("what\nx\n".utf8), into: h.state, context: h.context)
  }
  expectError("CSV row 2: title is missing") {
    _ = try Importer.csv(Data("title,what\n,x\n".utf8), into: h.state, context: h.context)
  }
}

@Test func markdownDigestRendersWhatWeLearned() throws {
  let (state, _) = try demoState()
  let md = Exporter.markdown(
    state, team: "platform", since: demoToday.adding(days: -90), until: demoToday)
  #expect(md.hasPrefix("# What we learned"))
  #expect(md.contains("## Lessons"))
  #expect(md.contains("A check protects only what it reads"))
  #expect(md.contains("| Day | Kind | Team | Incident |"))
  #expect(md.contains("`deploy/config-drift`"))
  #expect(!md.contains("Pricing change"))  // another team's incident
  let all = Exporter.markdown(state, until: demoToday)
  #expect(all.contains("All teams"))
}

@Test func demoLogIsRealistic() throws {
  let (state, records) = try demoState()
  #expect(state.problems.isEmpty)
  #expect(state.incidents.count >= 12)
  #expect(Set(state.incidentList.map(\.kind)).count == IncidentKind.allCases.count)
  #expect(Set(state.incidentList.map(\.team)).count >= 4)
  #expect(Set(state.actionList.map(\.status)) == Set(ActionStatus.allCases))
  #expect(Set(state.actionList.compactMap(\.outcome)) == Set(VerificationOutcome.allCases))
  let drift = try #require(state.pattern("deploy/config-drift", on: demoToday))
  #expect(drift.count == 3 && drift.step == .escalated && drift.recurredAfterVerifiedFix)
  #expect(
    state.incidentList.contains {
      $0.title.contains("lost edits") && state.reviewStatus($0).isComplete
    })
  #expect(state.incidentList.filter { state.reviewStatus($0).isComplete }.count >= 5)
  #expect(state.lessons.count >= 3 && state.experiments.count >= 2)
  #expect(state.experimentList.contains { $0.decision != nil })
  #expect(!state.today(on: demoToday).isEmpty)
  // Demo bodies carry their times, and no private records reach the shared drafts.
  #expect(records.allSatisfy { $0.body["at"]?.intValue != nil })
  #expect(!records.contains { EventType.privateOnly.contains($0.type) })
  let stats = state.stats(on: demoToday)
  #expect(stats.verifiedEffectiveShare > 0 && stats.medianDaysToFirstAction != nil)
  #expect(!state.recognition(person: "sam").lessons.isEmpty)
}

@Test func listEncodersGiveParseableJSONWithDatesAndTimes() throws {
  let (state, _) = try demoState()
  let stats = Exporter.statsJSON(state.stats(on: demoToday))
  let today = JSONValue.array(state.today(on: demoToday).map(Exporter.todayJSON))
  #expect(try ExchangeJSON.decode(Data(ExchangeJSON.encode(today).utf8)) == today)
  // Numbers come back as numbers (a whole double may come back as an integer).
  let decoded = try ExchangeJSON.decode(Data(ExchangeJSON.encode(stats).utf8))
  func number(_ v: JSONValue?) -> Double? {
    switch v {
    case .int(let i): return Double(i)
    case .double(let d): return d
    default: return nil
    }
  }
  #expect(number(decoded["repeatRate"]) == number(stats["repeatRate"]))
  #expect(decoded["byTeam"] == stats["byTeam"])
  #expect(stats["byTeam"]?.arrayValue?.isEmpty == false)
  #expect(stats["gapShares"]?["skill"] == nil)
  let first = try #require(today.arrayValue?.first)
  #expect(TodayKind(rawValue: first["kind"]?.stringValue ?? "") != nil)
  let action = Exporter.actionJSON(try #require(state.actionList.first { $0.doneAt != nil }))
  #expect(ISOTime.parse(action["done"]?.stringValue ?? "") != nil)
  #expect(Day(action["due"]?.stringValue ?? "") != nil)
  // Escapes: control characters and quotes survive a round trip.
  let tricky: JSONValue = ["s": "quote \" backslash \\ tab \t nul \u{0} bell \u{7} é 🚀"]
  #expect(try ExchangeJSON.decode(Data(ExchangeJSON.encode(tricky, pretty: false).utf8)) == tricky)
}
