// Fuzz target: `Importer.json` into an empty state.
//
// Any input either throws a `DomainError` with a one-line message or gives a plan whose
// records replay without a crash; an export of that state imports again.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Data(UnsafeBufferPointer(start: data, count: size))
  let plan: Plan
  do {
    plan = try Importer.json(input, into: LearningState(), includePrivate: true)
  } catch {
    let text = "\(error)"
    if text.isEmpty { fatalError("an import error without a message") }
    return 0
  }
  var state = LearningState()
  var wall: Int64 = 1_800_000_000_000
  for (n, d) in plan.shared.enumerated() {
    wall += 1
    let r = Record(
      id: EventID(rawValue: "fuzz-\(n)"), clock: HybridTimestamp(wall: wall, logical: 0),
      writer: "fuzz", type: d.type, schema: d.schema, entity: d.entity, body: d.body)
    state.apply(r)
  }
  let day = Day(year: 2026, month: 6, day: 1) ?? Day(ordinal: 0)
  let exported = Exporter.json(state, on: day)
  _ = Exporter.markdown(state, until: day)
  _ = Exporter.csv(state, table: .incidents)
  _ = Exporter.csv(state, table: .actions)
  do {
    _ = try Importer.json(Data(exported.utf8), into: LearningState())
  } catch {
    fatalError("an export of an imported state does not import: \(error)")
  }
  return 0
}
