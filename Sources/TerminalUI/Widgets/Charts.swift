/// One bar of a bar chart.
public struct Bar: Hashable, Sendable {
  /// The label left of the bar.
  public var label: String
  /// The value (negative values draw as zero).
  public var value: Double
  /// The value as shown right of the bar (nil: the value formatted without decimals when whole).
  public var valueText: String?
  /// The style of the bar.
  public var style: Style
  /// A bar for `label` of length `value`.
  public init(label: String, value: Double, valueText: String? = nil, style: Style = .plain) {
    self.label = label
    self.value = value
    self.valueText = valueText
    self.style = style
  }
}

/// Horizontal bars with labels and values, scaled to the widest value (eighth-cell precision).
public struct BarChart {
  /// The bars, one per row.
  public var bars: [Bar]
  /// The value that fills the whole bar width (nil: the largest value).
  public var maxValue: Double?

  /// A chart of `bars`.
  public init(bars: [Bar], maxValue: Double? = nil) {
    self.bars = bars
    self.maxValue = maxValue
  }

  static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  /// A bar of `value` out of `maximum` drawn in `width` cells with eighth blocks.
  public static func barText(value: Double, maximum: Double, width: Int) -> String {
    guard width > 0, maximum > 0, value > 0, value.isFinite else { return "" }
    let eighthsTotal = Int((Swift.min(value, maximum) / maximum * Double(width * 8)).rounded())
    let full = eighthsTotal / 8
    let rest = eighthsTotal % 8
    return String(repeating: "█", count: full) + eighths[rest]
  }

  static func format(_ v: Double) -> String {
    guard v.isFinite else { return "–" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    let scaled = (v * 10).rounded() / 10
    return String(scaled)
  }

  /// Draws one bar per row into `area`: label, bar, value.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard !area.isEmpty else { return }
    let labelWidth = Swift.min(
      area.width / 3, bars.map { Sanitizer.sanitize($0.label).displayWidth }.max() ?? 0)
    let values = bars.map { $0.valueText ?? BarChart.format($0.value) }
    let valueWidth = values.map(\.displayWidth).max() ?? 0
    let barWidth = Swift.max(0, area.width - labelWidth - valueWidth - 2)
    let maximum = maxValue ?? bars.map(\.value).filter(\.isFinite).max() ?? 0
    for (i, bar) in bars.enumerated() where i < area.height {
      let y = area.y + i
      buffer.setString(
        area.x, y, Sanitizer.sanitize(bar.label).truncated(toWidth: labelWidth),
        maxWidth: labelWidth)
      let text = BarChart.barText(value: bar.value, maximum: maximum, width: barWidth)
      let x = buffer.setString(
        area.x + labelWidth + 1, y, text, style: bar.style, maxWidth: barWidth)
      buffer.setString(x + 1, y, values[i], maxWidth: area.maxX - x - 1)
    }
  }
}

/// A one-row trend line of values: ▁▂▃▄▅▆▇█, scaled between the smallest value (or zero) and the
/// largest.
public struct Sparkline {
  /// The values, oldest first; when wider than the area, the newest are shown.
  public var values: [Double]
  /// The style of the blocks.
  public var style: Style

  /// A sparkline of `values`.
  public init(values: [Double], style: Style = .plain) {
    self.values = values
    self.style = style
  }

  static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// The sparkline text for `values` (one block per value).
  public static func text(_ values: [Double]) -> String {
    let finite = values.filter(\.isFinite)
    let lo = Swift.min(0, finite.min() ?? 0)
    let hi = finite.max() ?? 0
    let span = hi - lo
    return String(
      values.map { v -> Character in
        guard v.isFinite, span > 0 else { return blocks[0] }
        let i = Int(((v - lo) / span * 7).rounded())
        return blocks[Swift.min(7, Swift.max(0, i))]
      })
  }

  /// Draws into the first row of `area`.
  public func render(into buffer: inout ScreenBuffer, area: Rect) {
    guard !area.isEmpty else { return }
    let shown = Array(values.suffix(area.width))
    buffer.setString(area.x, area.y, Sparkline.text(shown), style: style, maxWidth: area.width)
  }
}
