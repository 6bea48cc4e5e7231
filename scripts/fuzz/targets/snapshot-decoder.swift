// Fuzz target: the snapshot cache's state decoder (internal, so the module is built with
// -enable-testing for this target).
//
// A snapshot sits outside git in a cache directory anyone's disk can damage; its sums
// catch most damage, and the decoder behind them must stand the rest: any bytes either throw
// `SnapshotFormatError` or decode, without a crash or a huge allocation. The input is used
// twice: decoded as it is, and as edits (offset, xor) to a real encoding of the demo state,
// so the fuzzer works deep inside a valid snapshot.
@testable import LearningLog

let valid: [UInt8] = {
  let today = Day(year: 2026, month: 3, day: 1) ?? Day(ordinal: 0)
  var wall: Int64 = 1_780_000_000_000
  let drafts = (try? DemoData.drafts(today: today)) ?? []
  let records = drafts.enumerated().map { n, d -> Record in
    wall += 1000
    return Record(
      id: EventID(rawValue: "seed-\(n)"), clock: HybridTimestamp(wall: wall, logical: 0),
      writer: "seed", type: d.type, schema: d.schema, entity: d.entity, body: d.body)
  }
  do {
    return try StateCoding.image(LearningState.replay(records))
  } catch {
    fatalError("encoding the demo state failed: \(error)")
  }
}()

func decode(_ bytes: [UInt8]) {
  bytes.withUnsafeBytes { raw in
    // Block sums skipped: the fuzzer reaches the entity decoders behind them.
    _ = try? StateCoding.decodeImage(raw, trustBlocks: true)
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  decode(input)
  var edited = valid
  var i = 0
  while i + 2 < input.count, !edited.isEmpty {
    let offset = (Int(input[i]) << 8 | Int(input[i + 1])) * 7 % edited.count
    edited[offset] ^= input[i + 2] == 0 ? 1 : input[i + 2]
    i += 3
  }
  if input.count % 3 == 1 { edited.removeLast(min(edited.count, Int(input.last ?? 0))) }
  decode(edited)
  return 0
}
