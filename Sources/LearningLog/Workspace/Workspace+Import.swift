import Foundation

extension Workspace {
  /// Imports a CSV of incidents, one a row, all rows or none; returns how many records
  /// (one an incident) were written and, with a `snapshotCache`, the state after them encoded
  /// for its snapshot in that cache when that was made while the lines were written.
  ///
  /// The rows, records and errors of ``Importer/csv(_:into:context:parallelFrom:)`` written
  /// through ``perform(_:)``. A file that import accepts as it is goes straight from its
  /// bytes to record lines and incidents (``performEncoded(_:)``); any other (a bad row, a
  /// byte order mark, an unusual header) goes through the general import, which names the
  /// row and field of an error, with the ids already drawn given to the same rows.
  ///
  /// Files of `parallelFrom` rows or more are read and encoded in two halves on two threads.
  public func importCSV(
    _ data: Data, context: CommandContext, parallelFrom: Int = Importer.parallelRows,
    snapshotCache: SnapshotCache? = nil
  ) throws -> (records: Int, snapshot: SnapshotCache.EncodedState?) {
    var drawn: [String] = []
    let fast = try performEncoded(snapshotCache: snapshotCache) { state, stamp in
      CSVEncodedImport.plan(
        data, into: state, today: context.today, author: context.author, stamp: stamp,
        parallelFrom: parallelFrom,
        ids: {
          let id = context.makeID()
          drawn.append(id)
          return id
        })
    }
    if let fast { return (fast.lines.count, fast.snapshot) }
    final class Drawn {
      var ids: ArraySlice<String>
      init(_ ids: [String]) { self.ids = ids[...] }
    }
    let rest = Drawn(drawn)
    let replay = CommandContext(today: context.today, now: context.now, author: context.author) {
      rest.ids.popFirst() ?? context.makeID()
    }
    let plan = try perform { state in
      try Importer.csv(data, into: state, context: replay, parallelFrom: parallelFrom)
    }
    return (plan.shared.count, nil)
  }
}
