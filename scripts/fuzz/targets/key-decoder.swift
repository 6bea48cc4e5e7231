// Fuzz target: the key decoder.
//
// The input is read as a sequence of raw inputs (character codes, function key codes, mouse
// reports, resizes, named keys) as ncurses would deliver them; `KeyDecoder.decodeAll` must
// return without a crash, and decoding in two halves must never produce more events than
// there were inputs.
import TerminalUI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let b = Array(UnsafeBufferPointer(start: data, count: size))
  let inputs = RawInput.fromFuzzBytes(b)
  let events = KeyDecoder.decodeAll(inputs)
  if events.count > inputs.count { fatalError("more events than inputs") }
  return 0
}
