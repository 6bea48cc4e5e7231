import Testing

@testable import LearningLog

/// Search folding takes shortcuts (a table for Latin letters, scalars kept as they are in
/// ranges that case and decomposition leave alone); each gives what the Unicode properties
/// give.
@Suite struct SearchFoldTests {
  @Test("every scalar with a shortcut folds as its Unicode properties say")
  func shortcutsMatchTheProperties() {
    let ranges: [ClosedRange<UInt32>] = [
      0x80...0x24F, 0x4E00...0x9FFF, 0x2700...0x27BF, 0x1F300...0x1FAFF,
    ]
    var checked = 0
    for range in ranges {
      for v in range {
        guard let u = Unicode.Scalar(v) else { continue }
        var fast: [UInt8] = []
        IncrementalSearch.appendFoldedNonASCII(u, to: &fast)
        var slow: [UInt8] = []
        IncrementalSearch.appendFoldedByProperties(u, to: &slow)
        #expect(fast == slow, "U+\(String(v, radix: 16))")
        checked += 1
      }
    }
    #expect(checked > 20_000)
  }

  @Test("accents, case and typographic quotes fold away")
  func examples() {
    #expect(IncrementalSearch.text("Résumé of the DÉPLOIEMENT", contains: IncrementalSearch.folded("resume")))
    #expect(IncrementalSearch.text("Tucows’ deploy", contains: IncrementalSearch.folded("tucows'")))
    #expect(IncrementalSearch.text("検索インデックス", contains: IncrementalSearch.folded("検索")))
    #expect(!IncrementalSearch.text("canary", contains: IncrementalSearch.folded("canary schema")))
  }
}
