// Fuzz target: `Importer.csv` into an empty state.
//
// Any input either throws a `DomainError` or gives incidents that replay and export; the CSV
// export of that state imports again to as many incidents.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Data(UnsafeBufferPointer(start: data, count: size))
  let day = Day(year: 2026, month: 6, day: 1) ?? Day(ordinal: 0)
  let context = CommandContext.seeded(7, today: day)
  let plan: Plan
  do {
    plan = try Importer.csv(input, into: LearningState(), context: context)
  } catch {
    if "\(error)".isEmpty { fatalError("an import error without a message") }
    return 0
  }
  var state = LearningState()
  var wall: Int64 = 1_800_000_000_000
  for (n, d) in plan.shared.enumerated() {
    wall += 1
    state.apply(
      Record(
        id: EventID(rawValue: "fuzz-\(n)"), clock: HybridTimestamp(wall: wall, logical: 0),
        writer: "fuzz", type: d.type, schema: d.schema, entity: d.entity, body: d.body))
  }
  let csv = Exporter.csv(state)
  _ = Exporter.markdown(state, until: day)
  do {
    let again = try Importer.csv(
      Data(csv.utf8), into: LearningState(), context: CommandContext.seeded(8, today: day))
    if again.shared.count != plan.shared.count {
      fatalError("CSV export of \(plan.shared.count) records re-imports as \(again.shared.count)")
    }
  } catch {
    fatalError("a CSV export does not import again: \(error)\n\(csv)")
  }
  return 0
}
