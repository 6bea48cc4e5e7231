import CNcursesw

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Restores the terminal on every way out of the process, including signals and crashes.
///
/// The design, because a signal handler may only do async-signal-safe work:
/// - Before curses starts, the terminal's modes (`tcgetattr`) and the bytes that undo curses'
///   screen changes (leave the alternate screen, show the cursor, reset attributes, turn off
///   mouse reporting and bracketed paste) are saved in memory allocated once and never freed.
/// - SIGINT, SIGTERM and SIGHUP only record the signal number; the event loop, which waits for
///   input in short slices, sees it within ~100 ms, ends curses properly (`endwin`) and exits with
///   128 + the signal number. If a second such signal comes before the loop has reacted (the app
///   is busy), the handler restores the terminal itself (`write` + `tcsetattr`) and `_exit`s.
/// - SIGSEGV, SIGILL, SIGTRAP, SIGABRT and SIGBUS (Swift runtime traps are SIGILL or SIGTRAP)
///   restore the terminal the same minimal way, put back the previous handler (the Swift runtime's
///   backtracer, or the default) and raise the signal again, so the crash is reported as usual.
/// - `exit()` from anywhere runs an `atexit` hook doing the same minimal restore.
/// - SIGTSTP and SIGWINCH stay with ncurses, which suspends and resizes properly; Ctrl-Z typed
///   in raw mode is a key, handled by `CursesTerminal.suspend()`.
enum TerminalGuard {
  /// Flags shared with the handlers, read and written atomically.
  ///
  /// Slot 0: the pending termination signal (0 for none). Slot 1: 1 while curses is active.
  /// Slot 2: the terminal's file descriptor. Slot 3: the number of reset bytes.
  nonisolated(unsafe) static let flags: UnsafeMutablePointer<Int32> = {
    let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 4)
    pointer.initialize(repeating: 0, count: 4)
    return pointer
  }()
  static let resetCapacity = 1024
  nonisolated(unsafe) static let resetBytes: UnsafeMutablePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: resetCapacity)
    pointer.initialize(repeating: 0, count: resetCapacity)
    return pointer
  }()
  nonisolated(unsafe) static let savedModes: UnsafeMutablePointer<termios> = {
    let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
    pointer.initialize(to: termios())
    return pointer
  }()
  /// The actions in place before ours, indexed by signal number.
  nonisolated(unsafe) static let previousActions: UnsafeMutablePointer<sigaction> = {
    let pointer = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
    pointer.initialize(repeating: sigaction(), count: 65)
    return pointer
  }()
  /// Whether each signal currently has our handler (to put the previous one back once).
  nonisolated(unsafe) static let installed: UnsafeMutablePointer<Int32> = {
    let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 65)
    pointer.initialize(repeating: 0, count: 65)
    return pointer
  }()
  nonisolated(unsafe) static var atexitRegistered = false

  static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
  static let crashSignals: [Int32] = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS]

  /// Saves the terminal modes of `fd` and arms the handlers; call before `newterm`.
  static func prepare(fd: Int32) {
    // Touch every global now: their lazy initialisation must never first run in a handler.
    _ = (flags, resetBytes, savedModes, previousActions, installed)
    if tcgetattr(fd, savedModes) == 0 {
      ll_atomic_store(flags + 2, fd)
    } else {
      ll_atomic_store(flags + 2, -1)
    }
    ll_atomic_store(flags + 3, 0)
    activate()
  }

  /// Records the bytes that undo curses' changes to the screen (from the terminal's terminfo).
  static func saveResetSequence(_ bytes: [UInt8]) {
    let count = min(bytes.count, resetCapacity)
    for index in 0..<count { resetBytes[index] = bytes[index] }
    ll_atomic_store(flags + 3, Int32(count))
  }

  /// Installs the handlers and marks curses active.
  static func activate() {
    ll_atomic_store(flags, 0)
    ll_atomic_store(flags + 1, 1)
    for signal in terminationSignals { install(signal, handler: terminationHandler) }
    for signal in crashSignals { install(signal, handler: crashHandler) }
    if !atexitRegistered {
      atexitRegistered = true
      atexit { TerminalGuard.emergencyRestore() }
    }
  }

  /// Puts the previous handlers back and marks curses inactive.
  ///
  /// A termination signal that arrived but was not acted on yet is raised again, now under the
  /// previous handler (by default: the process ends), so it is never lost.
  static func deactivate() {
    ll_atomic_store(flags + 1, 0)
    for signal in terminationSignals + crashSignals where installed[Int(signal)] != 0 {
      installed[Int(signal)] = 0
      _ = ll_restore_handler(signal, previousActions + Int(signal))
    }
    if let signal = takePendingSignal() { raise(signal) }
  }

  /// The termination signal received and not yet acted on, if any; clears it.
  static func takePendingSignal() -> Int32? {
    let signal = ll_atomic_exchange(flags, 0)
    return signal == 0 ? nil : signal
  }

  private static func install(_ signal: Int32, handler: @convention(c) (Int32) -> Void) {
    guard installed[Int(signal)] == 0 else { return }
    if ll_install_handler(signal, handler, 0, previousActions + Int(signal)) == 0 {
      installed[Int(signal)] = 1
    }
  }

  /// Async-signal-safe: writes the reset bytes and puts the saved terminal modes back.
  static func emergencyRestore() {
    guard ll_atomic_exchange(flags + 1, 0) == 1 else { return }
    let fd = ll_atomic_load(flags + 2)
    guard fd >= 0 else { return }
    let count = Int(ll_atomic_load(flags + 3))
    if count > 0 { _ = write(fd, resetBytes, count) }
    _ = tcsetattr(fd, TCSANOW, savedModes)
  }
}

/// SIGINT, SIGTERM, SIGHUP: record for the loop; on a second signal restore and leave now.
private let terminationHandler: @convention(c) (Int32) -> Void = { signal in
  let earlier = ll_atomic_exchange(TerminalGuard.flags, signal)
  if earlier != 0 || ll_atomic_load(TerminalGuard.flags + 1) == 0 {
    TerminalGuard.emergencyRestore()
    _exit(128 + signal)
  }
}

/// Crash signals: restore the terminal, hand the signal to whoever handled it before.
private let crashHandler: @convention(c) (Int32) -> Void = { signal in
  TerminalGuard.emergencyRestore()
  if signal >= 0, signal < 65 {
    _ = ll_restore_handler(signal, TerminalGuard.previousActions + Int(signal))
  }
  raise(signal)
}
