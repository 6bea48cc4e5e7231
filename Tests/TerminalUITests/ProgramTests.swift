import TerminalUI
import TerminalUITesting
import Testing

/// A small screen: a list of notes, `a` appends one through an effect, ticks count up.
struct NotesModel: ProgramModel {
  struct State {
    var notes: [String] = []
    var list = ListState()
    var ticks = 0
    var quit = false
    var size = Size(width: 20, height: 5)
  }
  enum Action: Equatable {
    case key(KeyEvent)
    case append
    case appended(String)
    case tick
    case quit
    case resized(Size)
  }
  enum Effect: Equatable { case store(String) }

  let keymap = Keymap<Action>([
    KeymapContext(
      "notes",
      [
        KeyBinding(keys: [.char("a")], help: "add a note", action: .append, hint: "add"),
        KeyBinding(keys: [.char("q")], help: "quit", action: .quit, hint: "quit"),
      ])
  ])

  func action(for event: InputEvent, in state: State) -> Action? {
    switch event {
    case .key(let k): return keymap.action(for: k, in: ["notes"]) ?? .key(k)
    case .resize(let s): return .resized(s)
    default: return nil
    }
  }

  func reduce(_ state: inout State, _ action: Action) -> [Effect] {
    switch action {
    case .key(let k):
      _ = state.list.handle(k, count: state.notes.count, height: state.size.height - 1)
    case .append: return [.store("note \(state.notes.count + 1)")]
    case .appended(let text):
      state.notes.append(text)
      state.list.select(
        state.notes.count - 1, count: state.notes.count, height: state.size.height - 1)
    case .tick: state.ticks += 1
    case .quit: state.quit = true
    case .resized(let s): state.size = s
    }
    return []
  }

  func render(_ state: State, into frame: inout Frame) {
    if TooSmallView.isTooSmall(frame.size, required: Size(width: 10, height: 3)) {
      TooSmallView(current: frame.size, required: Size(width: 10, height: 3)).render(
        into: &frame.buffer, area: frame.area)
      return
    }
    let parts = Layout.split(frame.area, .vertical, [.fill(1), .length(1)])
    ListView(count: state.notes.count, selectionSymbol: ">") { Line(state.notes[$0]) }
      .render(into: &frame.buffer, area: parts[0], state: state.list)
    HintBar(
      items: (keymap.context("notes")?.hintItems ?? []) + [
        HintItem(keys: "t", label: "\(state.ticks)")
      ]
    )
    .render(into: &frame.buffer, area: parts[1])
    frame.cursor = Point(x: 0, y: 0)
  }

  func isFinished(_ state: State) -> Bool { state.quit }
  func tickAction(_ state: State) -> Action? { .tick }
}

@Suite struct ProgramTests {
  func program(log: Box) -> Program<NotesModel> {
    Program(model: NotesModel(), tickMilliseconds: 500) { effect in
      switch effect {
      case .store(let text):
        log.stored.append(text)
        return [.appended(text)]
      }
    }
  }

  final class Box: @unchecked Sendable { var stored: [String] = [] }

  @Test func scriptedKeysProduceFramesAndRunEffects() throws {
    let log = Box()
    let terminal = TestTerminal(
      size: Size(width: 20, height: 5), events: try KeyScript.parse("a a a k"))
    let final = program(log: log).run(NotesModel.State(), on: terminal)
    #expect(log.stored == ["note 1", "note 2", "note 3"])
    #expect(final.notes.count == 3)
    #expect(final.list.selected == 1)
    // One frame at start and one per event.
    #expect(terminal.frames.count == 5)
    expectLines(terminal.screenLines, [" note 1", ">note 2", " note 3", "", "a add  q quit  t 0"])
    #expect(terminal.cursor == Point(x: 0, y: 0))
  }

  @Test func quitStopsBeforeTheRestOfTheInput() throws {
    let terminal = TestTerminal(
      size: Size(width: 20, height: 5), events: try KeyScript.parse("a q a a"))
    let final = program(log: Box()).run(NotesModel.State(), on: terminal)
    #expect(final.quit)
    #expect(final.notes == ["note 1"])
    #expect(terminal.pending.count == 2)
  }

  @Test func idlePeriodsSendTicks() throws {
    let terminal = TestTerminal(size: Size(width: 20, height: 5), events: try KeyScript.parse("a"))
    terminal.sendIdle(3)
    terminal.send(.key(.char("a")))
    terminal.sendIdle()
    let final = program(log: Box()).run(NotesModel.State(), on: terminal)
    #expect(final.ticks == 4)
    #expect(final.notes.count == 2)
    #expect(terminal.screenLines.last == "a add  q quit  t 4")
    #expect(terminal.isInputExhausted)
  }

  @Test func withoutATickIntervalIdleDoesNothing() throws {
    let terminal = TestTerminal(size: Size(width: 20, height: 5), events: [])
    terminal.sendIdle(2)
    var p = program(log: Box())
    p.tickMilliseconds = nil
    let final = p.run(NotesModel.State(), on: terminal)
    #expect(final.ticks == 0)
  }

  @Test func resizeRedrawsAtTheNewSize() throws {
    let terminal = TestTerminal(size: Size(width: 20, height: 5), events: try KeyScript.parse("a"))
    terminal.resize(to: Size(width: 8, height: 2))
    let final = program(log: Box()).run(NotesModel.State(), on: terminal)
    #expect(final.size == Size(width: 8, height: 2))
    #expect(terminal.lastFrame?.size == Size(width: 8, height: 2))
    #expect(terminal.screenLines.first == "Terminal")
  }

  @Test func effectsThatKeepProducingActionsAreCapped() {
    struct Loop: ProgramModel {
      func action(for event: InputEvent, in state: Int) -> Int? { 0 }
      func reduce(_ state: inout Int, _ action: Int) -> [Int] {
        state += 1
        return [action]
      }
      func render(_ state: Int, into frame: inout Frame) {}
      func isFinished(_ state: Int) -> Bool { false }
    }
    var p = Program(model: Loop()) { [$0] }
    p.maxActionsPerEvent = 100
    var state = 0
    p.send(0, to: &state)
    #expect(state == 100)
  }
}

@Suite struct KeyScriptTests {
  @Test func parsesNamedKeysAndTypedText() throws {
    let events = try KeyScript.parse(
      "j j <Enter> <C-s> <Esc> <S-Tab> <M-b> <F1> <PgDn> <Space> <lt> hi")
    let expected: [KeyEvent] = [
      .char("j"), .char("j"), KeyEvent(.enter), .ctrl("s"), KeyEvent(.escape),
      KeyEvent(.tab, .shift),
      .alt("b"), KeyEvent(.function(1)), KeyEvent(.pageDown), .char(" "), .char("<"), .char("h"),
      .char("i"),
    ]
    #expect(events == expected.map { .key($0) })
  }

  @Test func unknownNamesFailWithAClearMessage() {
    #expect(throws: KeyScriptError.self) { try KeyScript.parse("<Bogus>") }
    do {
      _ = try KeyScript.parse("<X-a>")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("unknown modifier"))
    }
  }
}

@Suite struct GoldenTests {
  @Test func dashboardSketchMatchesItsGoldenScreen() {
    let b = render(width: 40, height: 10) { buf, area in
      let inner = Panel(title: "Dashboard").render(into: &buf, area: area)
      let rows = Layout.split(inner, .vertical, [.length(3), .length(1), .fill(1)])
      BarChart(bars: [
        Bar(label: "deploy", value: 5), Bar(label: "config", value: 3), Bar(label: "dns", value: 1),
      ])
      .render(into: &buf, area: rows[0])
      Sparkline(values: [1, 3, 2, 5, 8, 4, 2, 1]).render(into: &buf, area: rows[1])
      TableView(
        columns: [
          TableColumn("Pattern", width: .fill(1)),
          TableColumn("n", width: .length(3), alignment: .right),
        ],
        count: 2
      ) { [["deploy-without-canary", "5"], ["expired-cert", "2"]][$0] }
      .render(into: &buf, area: rows[2], state: ListState())
    }
    expectGolden(b, named: "dashboard-40x10")
  }

  @Test func goldenFilesLiveNextToTheTests() {
    let url = goldenURL(named: "x", filePath: "/repo/Tests/TerminalUITests/GoldenTests.swift")
    #expect(url.path == "/repo/Tests/TerminalUITests/Golden/x.txt")
  }
}
