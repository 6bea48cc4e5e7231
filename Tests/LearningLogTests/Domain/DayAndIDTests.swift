import Foundation
import Testing

@testable import LearningLog

@Test func dayParsesAndFormatsRealDates() throws {
  let d = try #require(Day("2024-02-29"))
  #expect(d.description == "2024-02-29")
  #expect(d.adding(days: 1).description == "2024-03-01")
  #expect(Day("2026-02-30") == nil)
  #expect(Day("2025-02-29") == nil)
  #expect(Day("2026-13-01") == nil)
  #expect(Day("2026-1-01") == nil)
  #expect(Day("2026-01-01x") == nil)
  #expect(Day("1970-01-01")?.ordinal == 0)
  #expect(Day("1969-12-31")?.ordinal == -1)
  #expect(day("2026-03-01") < day("2026-03-02"))
  #expect(day("2026-03-01").days(to: day("2026-04-01")) == 31)
}

@Test func dayParseErrorNamesFieldAndFormat() {
  #expect(throws: DomainError.self) { try Day.parse("2026-02-30", field: "due") }
  do {
    _ = try Day.parse("2026-02-30", field: "due")
  } catch let e as DomainError {
    #expect(e.message.hasPrefix("due: '2026-02-30' is not a valid date"))
    #expect(e.message.contains("YYYY-MM-DD"))
  } catch { Issue.record("wrong error \(error)") }
}

@Test func dayFromInstantsAndWeeks() {
  #expect(Day(utcMilliseconds: 86_400_000 - 1).ordinal == 0)
  #expect(Day(utcMilliseconds: -1).ordinal == -1)
  let utc = TimeZone(identifier: "UTC") ?? .current
  #expect(Day(date: Date(timeIntervalSince1970: 86_400 * 3 + 5), timeZone: utc).ordinal == 3)
  let plus14 = TimeZone(secondsFromGMT: 14 * 3600) ?? .current
  #expect(Day(date: Date(timeIntervalSince1970: 86_400 * 3 - 3600), timeZone: plus14).ordinal == 3)
  #expect(day("2026-03-04").weekStart.description == "2026-03-02")  // a Wednesday → Monday
  #expect(day("2026-03-02").weekStart.description == "2026-03-02")
  #expect(day("2026-03-08").weekStart.description == "2026-03-02")
}

@Test func isoTimeRoundTrips() {
  let ms: Int64 = 1_772_000_123_456
  let s = ISOTime.string(ms)
  #expect(s.hasSuffix("Z"))
  #expect(ISOTime.parse(s) == ms)
  #expect(ISOTime.string(0) == "1970-01-01T00:00:00.000Z")
  #expect(ISOTime.parse("1970-01-01T00:00:01Z") == 1000)
  #expect(ISOTime.parse("nonsense") == nil)
}

@Test func idsAreRandomLowercaseAndSeedable() {
  var a = EntityIDGenerator(rng: SeededGenerator(seed: 42))
  var b = EntityIDGenerator(rng: SeededGenerator(seed: 42))
  let xs = (0..<200).map { _ in a.next() }
  #expect(xs == (0..<200).map { _ in b.next() })
  #expect(Set(xs).count == 200)
  #expect(xs.allSatisfy { $0.count == 12 && $0 == $0.lowercased() })
  // Not time-prefixed: first characters spread out.
  #expect(Set(xs.map { $0.prefix(1) }).count > 20)
  var sys = EntityIDGenerator()
  #expect(sys.next() != sys.next())
}

@Test func resolveAcceptsUniquePrefixesAndNamesCandidates() throws {
  var h = Harness()
  var ids: [String] = []
  for i in 0..<40 { ids.append(try h.incident("incident \(i)")) }
  for id in ids {
    #expect(try h.state.resolve(id, .incident) == id)
    #expect(try h.state.resolve(h.state.shortID(for: id), .incident) == id)
    #expect(h.state.shortID(for: id).count >= 6)
    #expect(h.state.shortIDs()[id] == h.state.shortID(for: id))
  }
  // A one-character prefix shared by several ids is ambiguous and lists them.
  let first = try #require(ids.first)
  let p = String(first.prefix(1))
  let sharing = ids.filter { $0.hasPrefix(p) }
  if sharing.count > 1 {
    do {
      _ = try h.state.resolve(p, .incident)
      Issue.record("expected ambiguity")
    } catch let e as DomainError {
      #expect(e.message.contains("ambiguous"))
      #expect(sharing.prefix(5).allSatisfy { e.message.contains($0) })
    }
  }
  #expect(throws: DomainError.self) { try h.state.resolve("zzzzzzzzzzzz9", .incident) }
  #expect(throws: DomainError.self) { try h.state.resolve("", .incident) }
  #expect(throws: DomainError.self) { try h.state.resolve(first, .action) }
}

@Test func patternKeysNormalise() throws {
  #expect(PatternKey.normalise("Deploy / Config Drift") == "deploy/config-drift")
  #expect(PatternKey.normalise("  estimate//hidden_dependency ") == "estimate/hidden-dependency")
  #expect(PatternKey.normalise("--a--b--") == "a-b")
  #expect(PatternKey.normalise("!!!") == "")
  #expect(throws: DomainError.self) { try PatternKey.parse("///") }
  #expect(Trigger.named.count == 9)
  #expect(Trigger.normalise("Over-confidence skipping routine checks") == "over-confidence")
  #expect(Trigger.normalise("Vendor outage") == "vendor-outage")
}

@Test func countsSayOneDayAndEightDays() {
  #expect(counted(1, "day") == "1 day")
  #expect(counted(8, "day") == "8 days")
  #expect(counted(0, "line") == "0 lines")
  #expect(counted(2, "person", plural: "people") == "2 people")
}

/// Dates and times are written digit by digit in the common case; the text is the one the
/// padded formatting gives, across centuries, leap days and the edges of each field.
@Test func datesAndTimesWrittenDigitByDigitMatchPaddedFormatting() {
  func padded(_ v: Int64, _ w: Int) -> String {
    let t = String(v)
    return String(repeating: "0", count: max(0, w - t.count)) + t
  }
  var ms: Int64 = -62_135_596_800_000  // 0001-01-01
  var checked = 0
  var random = SystemRandomNumberGenerator()
  while ms < 253_402_300_799_999 {  // 9999-12-31T23:59:59.999
    for probe in [ms, ms + 86_399_999, ms + Int64.random(in: 0..<86_400_000, using: &random)] {
      let day = Day(utcMilliseconds: probe)
      let c = day.components
      #expect(
        day.description
          == "\(padded(Int64(c.year), 4))-\(padded(Int64(c.month), 2))-\(padded(Int64(c.day), 2))")
      var rest = probe - day.utcMilliseconds
      let milli = rest % 1000
      rest /= 1000
      let expected =
        "\(day)T\(padded(rest / 3600, 2)):\(padded((rest / 60) % 60, 2)):\(padded(rest % 60, 2)).\(padded(milli, 3))Z"
      #expect(ISOTime.string(probe) == expected)
      #expect(ISOTime.parse(expected) == probe)
      checked += 1
    }
    ms += 86_400_000 * 97 + 3_600_007
  }
  #expect(checked > 30_000)
}
