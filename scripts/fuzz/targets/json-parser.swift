// Fuzz target: the JSON parser the store and the importer share.
//
// Any input either throws `JSONParseError` or parses; a parsed value serialises, and that text
// parses back to a value that serialises to the same bytes.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let value = try? JSONParser.parse(bytes) else { return 0 }
  guard let text = try? JSONSerializer.serialize(value) else { return 0 }
  do {
    let back = try JSONParser.parse(text)
    let text2 = try JSONSerializer.serialize(back)
    if text2 != text { fatalError("serialising is not stable: \(text) vs \(text2)") }
  } catch {
    fatalError("serialised JSON does not parse: \(error)")
  }
  return 0
}
