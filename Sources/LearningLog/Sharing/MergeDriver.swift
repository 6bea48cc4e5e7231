import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The per-clone merge driver: the deduplicated union of two versions of a log.
public enum MergeDriver {
  /// The merged bytes and what could not be validated.
  public struct Outcome: Sendable {
    /// The merged file: ours' header, our lines in order, then their lines we lack.
    public var bytes: [UInt8]
    /// Lines that are not valid records (kept, so nothing is lost), as `side line N: reason`.
    public var problems: [String]
  }

  /// Merges `ours` and `theirs` (the common ancestor adds nothing both sides lack).
  ///
  /// Records are kept once by id; every other line is kept once by its bytes. A valid record
  /// is never dropped; invalid lines are kept and reported, so git marks the merge
  /// conflicted and the user runs `learnlog check`.
  public static func merge(ours: [UInt8], theirs: [UInt8]) -> Outcome {
    var out: [UInt8] = []
    var problems: [String] = []
    var ids = Set<EventID>()
    var lines = Set<ArraySlice<UInt8>>()
    var header: ArraySlice<UInt8>?
    for (side, bytes) in [("ours", ours), ("theirs", theirs)] {
      var start = 0
      var number = 0
      while start < bytes.count {
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        let line = bytes[start..<end]
        start = end + 1
        number += 1
        if header == nil && number == 1 {
          let isHeader = line.withUnsafeBytes { raw -> Bool in
            if case .header = RecordCodec.decodeHeader(raw) { return true }
            return false
          }
          if isHeader {
            header = line
            out.append(contentsOf: line)
            out.append(0x0A)
            continue
          }
        }
        if let h = header, line == h { continue }
        if line.isEmpty && end == bytes.count { continue }
        var interner = StringInterner()
        let decoded = line.withUnsafeBytes { RecordCodec.decodeRecord($0, interner: &interner) }
        switch decoded {
        case .success(let r):
          if !ids.insert(r.id).inserted { continue }
        case .failure(let why):
          if !lines.insert(line).inserted { continue }
          problems.append("\(side) line \(number): \(why.text)")
        }
        out.append(contentsOf: line)
        out.append(0x0A)
      }
    }
    return Outcome(bytes: out, problems: problems)
  }

  static func checkOutput(_ path: String, _ protected: ProtectedFiles) throws(SharingError) {
    do {
      try OutputTarget.check(path, protecting: protected)
    } catch {
      throw SharingError.log(error)
    }
  }

  /// Runs the driver as git calls it: merges `ours` (`%A`) with `theirs` (`%B`) into `ours`.
  ///
  /// Returns the problems found (empty: a clean merge). The result replaces `%A` whole.
  public static func run(
    base: String, ours: String, theirs: String,
    protecting protected: ProtectedFiles = ProtectedFiles(files: [])
  ) throws(SharingError) -> [String] {
    func read(_ p: String) throws(SharingError) -> [UInt8] {
      // Regular files only: a FIFO or a device is never read (nor waited on).
      var s = stat()
      if stat(p, &s) == 0, FileKind(mode: UInt32(s.st_mode)) != .regular {
        throw SharingError.log(.notRegularFile(path: p, kind: FileKind(mode: UInt32(s.st_mode))))
      }
      guard let d = FileManager.default.contents(atPath: p) else {
        throw SharingError.file(path: p, reason: "cannot read it")
      }
      return Array(d)
    }
    try checkOutput(ours, protected)
    let outcome = merge(ours: try read(ours), theirs: try read(theirs))
    do {
      // Through the one output rule: `%A` is git's temporary copy, never a device or the log.
      try OutputTarget.write(outcome.bytes, to: ours, permissions: 0o666, protecting: protected)
    } catch {
      throw SharingError.log(error)
    }
    return outcome.problems
  }
}
