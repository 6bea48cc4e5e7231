// Fuzz target: the record reader.
//
// The input is a whole log file. It is read by `LogStore.inspect`, then opened on a memory
// file system read-only, then for writing (which repairs a torn tail); damage must be refused
// with an error, and `LogStore.repair` must always leave a file that opens cleanly and takes
// a new append. Any broken invariant stops the run as a crash.
import Foundation

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError("invariant broken: \(message())") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let path = "/d/log.jsonl"
  let fs = MemoryFileSystem()
  let inspection: LogInspection
  do {
    try fs.makeDirectories("/d", permissions: 0o755)
    fs.setContents(path, bytes)
    inspection = try LogStore.inspect(path: path, fileSystem: fs)
  } catch {
    fatalError("inspecting a file in memory failed: \(error)")
  }

  // A read-only open never changes the file and agrees with the scanner.
  if let ro = try? LogStore.open(path: path, fileSystem: fs, readOnly: true) {
    check(ro.records == inspection.records, "read-only open and inspect disagree")
    _ = try? ro.refresh()
  }
  check(fs.contents(path) == bytes, "a read-only open changed the file")

  var store: LogStore?
  do {
    store = try LogStore.open(path: path, fileSystem: fs)
    check(
      inspection.damaged.isEmpty && inspection.conflictMarkers.isEmpty,
      "opened for writing despite damage")
  } catch {
    let text = String(describing: error)
    check(!text.isEmpty && !text.contains("\n"), "error is not one line: \(text)")
    if inspection.newerFormat != nil { return 0 }
    do {
      let report = try LogStore.repair(path: path, fileSystem: fs)
      check(report.changed || inspection.isClean, "repair left a damaged file unchanged")
      store = try LogStore.open(path: path, fileSystem: fs)
    } catch {
      fatalError("repair did not give an openable log: \(error)")
    }
  }
  guard let store else { return 0 }
  let before = store.records
  do {
    store.writerID = "fuzz"
    try store.append(RecordDraft(type: "fuzz.probe", entity: "e", body: ["n": .int(1)]))
    let again = try LogStore.open(path: path, fileSystem: fs, readOnly: true)
    check(again.records.count == before.count + 1, "append lost or duplicated a record")
    check(Array(again.records.prefix(before.count)) == before, "append changed earlier records")
  } catch {
    fatalError("append after a clean open failed: \(error)")
  }
  return 0
}
