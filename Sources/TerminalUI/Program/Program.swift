/// A frame being drawn: the buffer the view fills and where the text cursor goes.
public struct Frame: Sendable {
  /// The cells of the frame.
  public var buffer: ScreenBuffer
  /// The cursor position, or nil to hide it.
  public var cursor: Point?
  /// A blank frame of `size` with a hidden cursor.
  public init(size: Size) {
    self.buffer = ScreenBuffer(size: size)
    self.cursor = nil
  }
  /// The frame's size.
  public var size: Size { buffer.size }
  /// The whole frame as an area.
  public var area: Rect { buffer.area }
}

/// A screen program in the Elm style: state is a value, input becomes actions, `reduce` applies
/// them and returns effects as values, `render` is a pure function of the state and the size.
///
/// ```swift
/// struct Counter: ProgramModel {
///   func action(for event: InputEvent, in state: Int) -> CounterAction? { ... }
///   func reduce(_ state: inout Int, _ action: CounterAction) -> [Never] { state += 1; return [] }
///   func render(_ state: Int, into frame: inout Frame) {
///     frame.buffer.setString(0, 0, "count: \(state)")
///   }
///   func isFinished(_ state: Int) -> Bool { state >= 10 }
/// }
/// ```
public protocol ProgramModel {
  /// Everything the screen shows and remembers.
  associatedtype State
  /// What can happen: keys turned into intents, results of effects, ticks.
  associatedtype Action
  /// Work outside the state (writing the log, opening an editor), run by the loop.
  associatedtype Effect

  /// The action an input event means in `state`, or nil to ignore it.
  func action(for event: InputEvent, in state: State) -> Action?
  /// Applies `action` to `state` and returns the effects to run.
  func reduce(_ state: inout State, _ action: Action) -> [Effect]
  /// Draws `state` into `frame` (a pure function of state and frame size).
  func render(_ state: State, into frame: inout Frame)
  /// Whether the program should stop (after a quit action).
  func isFinished(_ state: State) -> Bool
  /// The action sent when no input arrived within the tick interval, or nil for none.
  func tickAction(_ state: State) -> Action?
}

extension ProgramModel {
  /// No tick action by default.
  public func tickAction(_ state: State) -> Action? { nil }
}

/// A terminal whose input can run out: the loop stops when it has (the test terminal).
public protocol FiniteInput: AnyObject {
  /// Whether no more input will ever arrive.
  var isInputExhausted: Bool { get }
}

/// Runs a ``ProgramModel`` against a ``TerminalBackend``.
///
/// Each turn: read an event (waiting at most the tick interval) → action → reduce → run the
/// effects (each may return more actions, reduced in order) → render → draw. Without input within
/// the tick interval the model's `tickAction` is sent. The loop ends when the model says it is
/// finished or the backend's input is exhausted (``FiniteInput``), so tests are deterministic.
public struct Program<Model: ProgramModel> {
  /// The screen logic.
  public var model: Model
  /// How long to wait for input before sending a tick, in milliseconds; nil waits forever.
  public var tickMilliseconds: Int?
  /// Runs one effect and returns the actions it produced.
  public var runEffect: (Model.Effect) -> [Model.Action]
  /// At most this many actions are reduced for one event, so effects that keep producing actions
  /// cannot hang the loop.
  public var maxActionsPerEvent = 10_000

  /// A program of `model` whose effects are run by `runEffect`.
  public init(
    model: Model, tickMilliseconds: Int? = nil,
    runEffect: @escaping (Model.Effect) -> [Model.Action]
  ) {
    self.model = model
    self.tickMilliseconds = tickMilliseconds
    self.runEffect = runEffect
  }

  /// Reduces `action` and every action its effects produce, in order.
  public func send(_ action: Model.Action, to state: inout Model.State) {
    var queue = [action]
    var head = 0
    while head < queue.count && head < maxActionsPerEvent {
      let effects = model.reduce(&state, queue[head])
      head += 1
      for effect in effects { queue.append(contentsOf: runEffect(effect)) }
    }
  }

  /// The frame for `state` at `size`.
  public func frame(for state: Model.State, size: Size) -> Frame {
    var frame = Frame(size: size)
    model.render(state, into: &frame)
    return frame
  }

  /// Runs until the model is finished or the input is exhausted; returns the final state.
  @discardableResult
  public func run(_ initial: Model.State, on backend: some TerminalBackend) -> Model.State {
    var state = initial
    draw(state, on: backend)
    while !model.isFinished(state) {
      guard let event = backend.nextEvent(timeoutMilliseconds: tickMilliseconds ?? -1) else {
        if let finite = backend as? FiniteInput, finite.isInputExhausted { break }
        guard tickMilliseconds != nil else {
          // Waiting forever returned nothing: the input is gone.
          break
        }
        if let tick = model.tickAction(state) {
          send(tick, to: &state)
          draw(state, on: backend)
        }
        continue
      }
      if let action = model.action(for: event, in: state) {
        send(action, to: &state)
      }
      draw(state, on: backend)
    }
    return state
  }

  func draw(_ state: Model.State, on backend: some TerminalBackend) {
    let f = frame(for: state, size: backend.size)
    backend.draw(f.buffer, cursor: f.cursor)
  }
}
