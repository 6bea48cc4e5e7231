#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Search as you type over many short texts (incident titles), case-insensitively.
///
/// The texts are lowercased once into one contiguous buffer. A query that extends the
/// previous one (the usual keystroke) only re-checks the previous matches; any other query
/// scans every text. Both stay well under a frame's budget at 100k texts.
public struct IncrementalSearch: Sendable {
  var bytes: [UInt8] = []
  var starts: [Int] = [0]
  var lastQuery: [UInt8] = []
  var lastMatches: [Int]

  /// Prepares `texts` for searching; results are indices into it.
  public init(_ texts: [String]) {
    starts.reserveCapacity(texts.count + 1)
    for t in texts {
      bytes.append(contentsOf: t.lowercased().utf8)
      starts.append(bytes.count)
    }
    lastMatches = Array(texts.indices)
  }

  /// The number of texts.
  public var count: Int { starts.count - 1 }

  /// The indices, in order, of the texts that contain `query` (ignoring case); all for "".
  public mutating func update(_ query: String) -> [Int] {
    let q = Array(query.lowercased().utf8)
    let candidates: [Int]
    if q.starts(with: lastQuery) {
      candidates = lastMatches
    } else {
      candidates = Array(0..<count)
    }
    var out: [Int] = []
    if q.isEmpty {
      out = Array(0..<count)
    } else {
      out.reserveCapacity(min(candidates.count, 1024))
      bytes.withUnsafeBytes { all in
        q.withUnsafeBytes { needle in
          guard let base = all.baseAddress, let n = needle.baseAddress else { return }
          for i in candidates {
            let s = starts[i]
            let len = starts[i + 1] - s
            if len >= q.count, Self.contains(base + s, len, n, q.count) { out.append(i) }
          }
        }
      }
    }
    lastQuery = q
    lastMatches = out
    return out
  }

  /// Whether `needle` occurs in `hay`: `memchr` to each candidate first byte, then `memcmp`.
  static func contains(
    _ hay: UnsafeRawPointer, _ hayCount: Int, _ needle: UnsafeRawPointer, _ needleCount: Int
  ) -> Bool {
    let first = Int32(needle.load(as: UInt8.self))
    var p = hay
    let last = hay + (hayCount - needleCount)
    while p <= last {
      guard let hit = memchr(p, first, last - p + 1) else { return false }
      let h = UnsafeRawPointer(hit)
      if memcmp(h, needle, needleCount) == 0 { return true }
      p = h + 1
    }
    return false
  }
}
