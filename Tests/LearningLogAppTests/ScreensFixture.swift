import LearningLog
import LearningLogApp
import TerminalUI
import TerminalUITesting
import Testing

/// The demo log replayed on a fixed day, as the screens see it.
enum ScreensFixture {
  /// The day every screen test treats as today.
  static let today = Day(year: 2026, month: 11, day: 25) ?? Day(ordinal: 0)

  /// A view context over the demo log (seed 7) on ``today``, monochrome, with `commands` run
  /// after it as the app would run them.
  static func context(adding commands: [Command] = []) throws -> ViewContext {
    var wall = today.utcMilliseconds - 400 * 86_400_000
    var n = 0
    func stamp(_ d: RecordDraft) -> Record {
      wall += 1000
      n += 1
      let number = String(n)
      return Record(
        id: EventID(
          rawValue: "demo-" + String(repeating: "0", count: max(0, 8 - number.count)) + number),
        clock: HybridTimestamp(wall: wall, logical: 0), writer: "demo", type: d.type,
        schema: d.schema, entity: d.entity, body: d.body)
    }
    var state = LearningState.replay(try DemoData.drafts(today: today, seed: 7).map(stamp))
    for (i, command) in commands.enumerated() {
      let plan = try state.plan(command, context: .seeded(UInt64(100 + i), today: today))
      for d in plan.shared { state.apply(stamp(d)) }
    }
    return ViewContext(domain: state, today: today, theme: .standard(.monochrome))
  }

  /// Sends the key to a screen the way the root does, returning the effects.
  static func press<S: AppScreen>(
    _ screen: S.Type, _ key: KeyEvent, _ state: inout S.State, _ context: ViewContext
  ) -> [ScreenEffect] {
    guard let action = S.action(for: key, state: state) else { return [] }
    return S.reduce(&state, action, context: context)
  }

  /// Types each character of `text` as a key.
  static func type<S: AppScreen>(
    _ screen: S.Type, _ text: String, _ state: inout S.State, _ context: ViewContext
  ) -> [ScreenEffect] {
    var effects: [ScreenEffect] = []
    for c in text { effects += press(screen, .char(c), &state, context) }
    return effects
  }

  /// The screen drawn at `width`×`height`.
  static func draw<S: AppScreen>(
    _ screen: S.Type, _ state: S.State, _ context: ViewContext, width: Int, height: Int
  ) -> ScreenBuffer {
    var buffer = ScreenBuffer(size: Size(width: width, height: height))
    _ = S.render(state, context: context, into: &buffer, area: buffer.area)
    return buffer
  }

  /// The text of `effects` when they are exactly one status line (and nothing else), else nil.
  static func status(_ effects: [ScreenEffect]) -> String? {
    guard effects.count == 1, case .delegate(.status(let text)) = effects[0] else { return nil }
    return text
  }

  /// Whether `effects` are exactly one error line in the status bar (nothing written, no move).
  static func isError(_ effects: [ScreenEffect]) -> Bool {
    status(effects)?.hasPrefix("error: ") == true
  }

  /// The three sizes every screen is checked at.
  static let sizes: [(Int, Int)] = [(80, 24), (60, 16), (120, 40)]
}
