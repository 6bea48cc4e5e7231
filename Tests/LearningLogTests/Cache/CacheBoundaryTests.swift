import Foundation
import Testing

/// The rules never see the cache: no file under `Sources/LearningLog/Domain/` names a type
/// declared under `Sources/LearningLog/Cache/` (they share a module, so the compiler would not
/// stop one).
///
/// The domain reads entities through ``EntityReading`` and ``EntityMap``, and a lazy
/// open plugs in behind the `EntitySource`, `WordSource` and `StateSource` protocols.
@Suite struct CacheBoundaryTests {
  static let sources = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources/LearningLog")

  static func swiftFiles(under folder: String) throws -> [URL] {
    let root = sources.appendingPathComponent(folder)
    let walker = try #require(FileManager.default.enumerator(atPath: root.path))
    return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map {
      root.appendingPathComponent($0)
    }
  }

  /// The code of a file without its comments (line comments and doc comments).
  static func code(_ url: URL) throws -> String {
    try String(contentsOf: url, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    )
    .map { line -> Substring in
      guard let r = line.range(of: "//") else { return line }
      return line[..<r.lowerBound]
    }.joined(separator: "\n")
  }

  /// The names of the types a file declares.
  static func declaredTypes(_ text: String) -> Set<String> {
    let pattern = #/(?:^|\s)(?:struct|class|enum|protocol|actor|typealias)\s+([A-Z]\w*)/#
    return Set(text.matches(of: pattern).map { String($0.output.1) })
  }

  @Test func theDomainNamesNoCacheType() throws {
    var cacheTypes: Set<String> = []
    for url in try Self.swiftFiles(under: "Cache") {
      cacheTypes.formUnion(Self.declaredTypes(try Self.code(url)))
    }
    // The scan has something to find: the snapshot's own types are declared there.
    #expect(cacheTypes.isSuperset(of: ["SnapshotBacking", "StateCoding", "LazyEntities"]))
    let domain = try Self.swiftFiles(under: "Domain")
    #expect(domain.count > 20)
    var leaks: [String] = []
    for url in domain {
      let text = try Self.code(url)
      let words = Set(text.matches(of: #/\b[A-Z]\w*\b/#).map { String($0.output) })
      // A type the file declares itself (a local helper of the same name) is its own.
      let own = Self.declaredTypes(text)
      for name in words.intersection(cacheTypes).subtracting(own).sorted() {
        leaks.append("\(url.lastPathComponent) names \(name)")
      }
    }
    #expect(leaks.isEmpty, "the domain reads the cache directly:\n\(leaks.joined(separator: "\n"))")
  }

  @Test func theScanFindsALeak() {
    let cache = Self.declaredTypes(
      "final class SnapshotBacking: StateSource {}\nenum StateCoding {}")
    #expect(cache == ["SnapshotBacking", "StateCoding"])
    let leaking = "var backing: SnapshotBacking?"
    let words = Set(leaking.matches(of: #/\b[A-Z]\w*\b/#).map { String($0.output) })
    #expect(!words.isDisjoint(with: cache))
  }
}
