import Foundation

/// A calendar day (YYYY-MM-DD) with no time of day and no time zone.
///
/// Stored as the number of days since 1970-01-01, so comparing and adding days is integer work.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Days since 1970-01-01 (negative before it).
  public let ordinal: Int

  /// The day `ordinal` days after 1970-01-01.
  public init(ordinal: Int) { self.ordinal = ordinal }

  /// The day with this year, month (1…12) and day of month, or nil if no such day exists.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      day >= 1, day <= Day.daysInMonth(year: year, month: month)
    else { return nil }
    self.ordinal = Day.daysFromCivil(year, month, day)
  }

  /// Parses `YYYY-MM-DD` strictly: four-digit year, two-digit month and day, a real date.
  public init?(_ text: String) {
    guard text.utf8.count == 10 else { return nil }
    var t = text
    let parsed: Day? = t.withUTF8 { u in
      guard u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
      func num(_ r: Range<Int>) -> Int? {
        var v = 0
        for i in r {
          let c = u[i]
          guard c >= 48, c <= 57 else { return nil }
          v = v * 10 + Int(c - 48)
        }
        return v
      }
      guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
      return Day(year: y, month: m, day: d)
    }
    guard let parsed else { return nil }
    self = parsed
  }

  /// Parses `YYYY-MM-DD`, throwing a ``DomainError`` that names `field` when it is not a real day.
  public static func parse(_ text: String, field: String) throws -> Day {
    let t = text.trimmedSpaces()
    guard let d = Day(t) else {
      throw DomainError(
        "\(field): '\(DomainError.echo(text))' is not a valid date; use YYYY-MM-DD, e.g. 2026-03-14"
      )
    }
    return d
  }

  /// The day that contains the instant `ms` (milliseconds since the epoch) in UTC.
  public init(utcMilliseconds ms: Int64) {
    let perDay: Int64 = 86_400_000
    var q = ms / perDay
    if ms % perDay < 0 { q -= 1 }
    self.ordinal = Int(q)
  }

  /// The day that contains `date` in `timeZone` (the current zone by default).
  public init(date: Date, timeZone: TimeZone = .current) {
    let offset = Int64(timeZone.secondsFromGMT(for: date)) * 1000
    self.init(utcMilliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) + offset)
  }

  /// The year, month and day of month.
  public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(ordinal) }

  /// `YYYY-MM-DD`.
  public var description: String {
    let c = components
    if (0...9999).contains(c.year) {
      // The common case written digit by digit.
      return String(unsafeUninitializedCapacity: 10) { b in
        ISOTime.digits(c.year, 4, into: b, at: 0)
        b[4] = 0x2D
        ISOTime.digits(c.month, 2, into: b, at: 5)
        b[7] = 0x2D
        ISOTime.digits(c.day, 2, into: b, at: 8)
        return 10
      }
    }
    func pad(_ v: Int, _ w: Int) -> String {
      let s = String(v)
      return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
  }

  /// The day `n` days later (earlier when negative).
  public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }

  /// The number of days from `self` to `other` (positive when `other` is later).
  public func days(to other: Day) -> Int { other.ordinal - ordinal }

  /// The Monday that starts this day's ISO week.
  public var weekStart: Day {
    // 1970-01-01 was a Thursday: weekday index 3 when Monday is 0.
    let wd = ((ordinal + 3) % 7 + 7) % 7
    return Day(ordinal: ordinal - wd)
  }

  /// Midnight UTC of this day in milliseconds since the epoch.
  public var utcMilliseconds: Int64 { Int64(ordinal) * 86_400_000 }

  public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

  static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // Civil-calendar conversions after H. Hinnant's public-domain algorithms.
  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }
}

/// Formats instants as ISO 8601 text in UTC (`2026-03-14T09:30:00.000Z`).
public enum ISOTime {
  /// The ISO 8601 UTC text of `ms` milliseconds since the epoch.
  public static func string(_ ms: Int64) -> String {
    if let parts = common(ms) {
      return String(unsafeUninitializedCapacity: 24) { b in
        parts.write(b)
        return 24
      }
    }
    let day = Day(utcMilliseconds: ms)
    var rest = ms - day.utcMilliseconds
    let milli = rest % 1000
    rest /= 1000
    func p(_ v: Int64, _ w: Int) -> String {
      let t = String(v)
      return String(repeating: "0", count: max(0, w - t.count)) + t
    }
    return
      "\(day)T\(p(rest / 3600, 2)):\(p((rest / 60) % 60, 2)):\(p(rest % 60, 2)).\(p(milli, 3))Z"
  }

  /// Appends ``string(_:)`` of `ms` in quotes to `bytes` when it is the common
  /// `YYYY-MM-DDThh:mm:ss.mmmZ` shape (years 0–9999); false, with nothing appended, otherwise.
  static func append(_ ms: Int64, quotedTo bytes: inout [UInt8]) -> Bool {
    guard let parts = common(ms) else { return false }
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0x22, count: 26))
    bytes.withUnsafeMutableBufferPointer { all in
      guard let base = all.baseAddress else { return }
      parts.write(UnsafeMutableBufferPointer(start: base + start + 1, count: 24))
    }
    return true
  }

  /// A time in the common shape, `YYYY-MM-DDThh:mm:ss.mmmZ` (years 0–9999).
  private struct Common {
    var year, month, day, hour, minute, second, milli: Int

    /// Writes the 24 bytes digit by digit into `b`.
    func write(_ b: UnsafeMutableBufferPointer<UInt8>) {
      digits(year, 4, into: b, at: 0)
      b[4] = 0x2D
      digits(month, 2, into: b, at: 5)
      b[7] = 0x2D
      digits(day, 2, into: b, at: 8)
      b[10] = 0x54
      digits(hour, 2, into: b, at: 11)
      b[13] = 0x3A
      digits(minute, 2, into: b, at: 14)
      b[16] = 0x3A
      digits(second, 2, into: b, at: 17)
      b[19] = 0x2E
      digits(milli, 3, into: b, at: 20)
      b[23] = 0x5A
    }
  }

  /// `ms` in the common shape; nil when it is outside it (a year past 0–9999).
  private static func common(_ ms: Int64) -> Common? {
    let day = Day(utcMilliseconds: ms)
    var rest = ms - day.utcMilliseconds
    let milli = rest % 1000
    rest /= 1000
    let (s, m, h) = (rest % 60, (rest / 60) % 60, rest / 3600)
    let c = day.components
    guard (0...9999).contains(c.year), (0..<24).contains(h), milli >= 0 else { return nil }
    return Common(
      year: c.year, month: c.month, day: c.day, hour: Int(h), minute: Int(m), second: Int(s),
      milli: Int(milli))
  }

  /// Writes the `width` last decimal digits of `v` (not negative) into `b` from `at`.
  static func digits(_ v: Int, _ width: Int, into b: UnsafeMutableBufferPointer<UInt8>, at: Int) {
    var v = v
    for k in stride(from: at + width - 1, through: at, by: -1) {
      b[k] = 0x30 + UInt8(v % 10)
      v /= 10
    }
  }

  /// Parses what ``string(_:)`` writes (also without fraction); nil when malformed.
  public static func parse(_ text: String) -> Int64? {
    guard text.count >= 20, text.hasSuffix("Z") else { return nil }
    let dayText = String(text.prefix(10))
    guard let day = Day(dayText) else { return nil }
    let u = Array(text.utf8)
    guard u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":")
    else { return nil }
    func num(_ r: Range<Int>) -> Int64? {
      var v: Int64 = 0
      for i in r {
        guard i < u.count, u[i] >= 48, u[i] <= 57 else { return nil }
        v = v * 10 + Int64(u[i] - 48)
      }
      return v
    }
    guard let h = num(11..<13), let m = num(14..<16), let s = num(17..<19), h < 24, m < 60, s < 61
    else { return nil }
    var milli: Int64 = 0
    if u.count == 24, u[19] == UInt8(ascii: ".") {
      guard let f = num(20..<23) else { return nil }
      milli = f
    } else if u.count != 20 {
      return nil
    }
    return day.utcMilliseconds + ((h * 60 + m) * 60 + s) * 1000 + milli
  }
}
