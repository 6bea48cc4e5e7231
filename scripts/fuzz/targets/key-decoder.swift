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
  var inputs: [RawInput] = []
  var i = 0
  let names = ["kUP5", "kDN5", "kLFT3", "kRIT5", "kHOM5", "kEND3", "kDC5", "kxIN", "kxOUT", "kUP"]
  while i < b.count {
    let op = b[i]
    i += 1
    switch op {
    case 0xF0 where i + 1 < b.count:
      inputs.append(.keyCode(Int32(b[i]) << 8 | Int32(b[i + 1])))
      i += 2
    case 0xF1 where i + 2 < b.count:
      inputs.append(.mouse(x: Int(b[i]) - 8, y: Int(b[i + 1]) - 8, buttons: UInt32(b[i + 2]) << 3))
      i += 3
    case 0xF2 where i + 1 < b.count:
      inputs.append(.resize(Size(width: Int(b[i]), height: Int(b[i + 1]))))
      i += 2
    case 0xF3 where i < b.count:
      inputs.append(.namedKey(names[Int(b[i]) % names.count]))
      i += 1
    case 0xF4 where i + 2 < b.count:
      // A wide character code, including surrogates and values past Unicode.
      inputs.append(.character(UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])))
      i += 3
    default:
      inputs.append(.character(UInt32(op)))
    }
  }
  let events = KeyDecoder.decodeAll(inputs)
  if events.count > inputs.count { fatalError("more events than inputs") }
  return 0
}
