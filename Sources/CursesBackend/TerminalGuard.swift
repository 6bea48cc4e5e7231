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
///   restore the terminal the same minimal way, write the pending file (see ``LastWrite``), put
///   back the previous handler (the Swift runtime's backtracer, or the default) and raise the
///   signal again. Before a backtracer runs, standard input becomes /dev/null (so it never waits
///   for "Press space to interact", whatever `SWIFT_BACKTRACE` says) and standard output the
///   crash report file, whose name is written to standard error: the process ends at once.
/// - Every way out by a signal (the loop acting on SIGINT/SIGTERM/SIGHUP, a second signal, a
///   crash) writes the pending file first, from bytes prepared in advance.
/// - `exit()` from anywhere runs an `atexit` hook doing the same minimal restore.
/// - SIGTSTP and SIGWINCH stay with ncurses, which suspends and resizes properly; Ctrl-Z typed
///   in raw mode is a key, handled by `CursesTerminal.suspend()`.
enum TerminalGuard {
  /// Flags shared with the handlers, read and written atomically.
  ///
  /// Slot 0: the pending termination signal (0 for none). Slot 1: 1 while curses is active.
  /// Slot 2: the terminal's file descriptor. Slot 3: the number of reset bytes.
  /// Slot 4: the pending file's state (0 none or being replaced, 1 ready, 2 taken by a handler).
  /// Slot 5: 1 when a crash report path is set.
  nonisolated(unsafe) static let flags: UnsafeMutablePointer<Int32> = {
    let pointer = UnsafeMutablePointer<Int32>.allocate(capacity: 6)
    pointer.initialize(repeating: 0, count: 6)
    return pointer
  }()
  /// The pending file: its buffer (path, NUL, temporary path, NUL, contents).
  nonisolated(unsafe) static let pendingBuffer: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?> =
    {
      let pointer = UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>.allocate(capacity: 1)
      pointer.initialize(to: nil)
      return pointer
    }()
  /// The pending file's sizes: buffer capacity, path length, temporary path length, contents.
  nonisolated(unsafe) static let pendingSizes: UnsafeMutablePointer<Int> = {
    let pointer = UnsafeMutablePointer<Int>.allocate(capacity: 4)
    pointer.initialize(repeating: 0, count: 4)
    return pointer
  }()
  static let reportCapacity = 8192
  /// The crash report: directory, NUL, path, NUL, the line for standard error.
  nonisolated(unsafe) static let reportBytes: UnsafeMutablePointer<UInt8> = {
    let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: reportCapacity)
    pointer.initialize(repeating: 0, count: reportCapacity)
    return pointer
  }()
  /// The crash report's sizes: directory length, path length, line length.
  nonisolated(unsafe) static let reportSizes: UnsafeMutablePointer<Int> = {
    let pointer = UnsafeMutablePointer<Int>.allocate(capacity: 3)
    pointer.initialize(repeating: 0, count: 3)
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
    _ = (pendingBuffer, pendingSizes, reportBytes, reportSizes)
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
    for signal in crashSignals { installCrash(signal) }
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
    if let signal = takePendingSignal() {
      writePendingFile()
      raise(signal)
    }
  }

  /// The termination signal received and not yet acted on, if any; clears it.
  static func takePendingSignal() -> Int32? {
    let signal = ll_atomic_exchange(flags, 0)
    return signal == 0 ? nil : signal
  }

  private static func installCrash(_ signal: Int32) {
    guard installed[Int(signal)] == 0 else { return }
    // On the alternate stack the Swift runtime sets up, so a stack overflow is handled too.
    let flags = ll_sa_onstack()
    if ll_install_info_handler(signal, crashHandler, flags, previousActions + Int(signal)) == 0 {
      installed[Int(signal)] = 1
    }
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
    TerminalGuard.writePendingFile()
    _exit(128 + signal)
  }
}

/// Crash signals: restore the terminal, write the pending file, run whoever handled the signal
/// before (the Swift runtime's backtracer, with no terminal to wait on), then end the process
/// by the signal's default action.
///
/// The previous handler is called, not re-raised to: after reporting, the runtime's handler
/// returns, which for a signal sent by `kill` would let the process run on.
private let crashHandler:
  @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = {
    signal, info, context in
    TerminalGuard.emergencyRestore()
    TerminalGuard.writePendingFile()
    if signal >= 0, signal < 65 {
      let previous = TerminalGuard.previousActions + Int(signal)
      if ll_action_is_default(previous) == 0 {
        TerminalGuard.prepareForReporter()
        _ = ll_call_action(previous, signal, info, context)
      }
    }
    ll_default_and_raise(signal)
  }

extension TerminalGuard {
  /// Async-signal-safe: writes the pending file once, if one is ready.
  static func writePendingFile() {
    guard ll_atomic_exchange(flags + 4, 2) == 1, let base = pendingBuffer.pointee else { return }
    let pathLength = pendingSizes[1]
    let tempLength = pendingSizes[2]
    let count = pendingSizes[3]
    let temp = base + pathLength + 1
    let contents = temp + tempLength + 1
    base.withMemoryRebound(to: CChar.self, capacity: pathLength + 1) { path in
      temp.withMemoryRebound(to: CChar.self, capacity: tempLength + 1) { tempPath in
        _ = ll_write_file_replacing(path, tempPath, contents, count)
      }
    }
  }

  /// Async-signal-safe: standard input from /dev/null; standard output to the crash report,
  /// whose name goes to standard error.
  static func prepareForReporter() {
    var fd: Int32 = -1
    if ll_atomic_load(flags + 5) == 1 {
      let directoryLength = reportSizes[0]
      let pathLength = reportSizes[1]
      let lineLength = reportSizes[2]
      let path = reportBytes + directoryLength + 1
      reportBytes.withMemoryRebound(to: CChar.self, capacity: directoryLength + 1) { directory in
        path.withMemoryRebound(to: CChar.self, capacity: pathLength + 1) { file in
          fd = ll_open_report(directory, file)
        }
      }
      if fd >= 0 { _ = write(2, path + pathLength + 1, lineLength) }
    }
    ll_redirect_for_report(fd)
  }

  /// Replaces the pending file (nil: none).
  ///
  /// Not called from a handler.
  static func setPendingFile(path: String, contents: [UInt8]?) {
    // A handler is writing it: the process is ending; leave it be.
    guard ll_atomic_exchange(flags + 4, 0) != 2 else {
      ll_atomic_store(flags + 4, 2)
      return
    }
    guard let contents else { return }
    let target = Array(path.utf8)
    let directory = target.lastIndex(of: UInt8(ascii: "/")).map { target[...$0] } ?? []
    let name = target.lastIndex(of: UInt8(ascii: "/")).map { target[($0 + 1)...] } ?? target[...]
    let temp = Array(directory) + Array(".".utf8) + Array(name) + Array(".pending.tmp".utf8)
    let needed = target.count + 1 + temp.count + 1 + contents.count
    if pendingSizes[0] < needed {
      pendingBuffer.pointee?.deallocate()
      let capacity = max(needed, 4096) * 2
      pendingBuffer.pointee = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      pendingSizes[0] = capacity
    }
    guard let base = pendingBuffer.pointee else { return }
    var offset = 0
    for part in [target, temp] {
      part.withUnsafeBufferPointer { source in
        if let from = source.baseAddress { (base + offset).update(from: from, count: part.count) }
      }
      base[offset + part.count] = 0
      offset += part.count + 1
    }
    contents.withUnsafeBufferPointer { source in
      if let from = source.baseAddress { (base + offset).update(from: from, count: contents.count) }
    }
    pendingSizes[1] = target.count
    pendingSizes[2] = temp.count
    pendingSizes[3] = contents.count
    ll_atomic_store(flags + 4, 1)
  }

  /// Sets where a crash report goes and the line naming it.
  ///
  /// Not called from a handler.
  static func setReport(directory: String, path: String, line: String) {
    ll_atomic_store(flags + 5, 0)
    let parts = [Array(directory.utf8), Array(path.utf8), Array(line.utf8)]
    guard parts.map(\.count).reduce(3, +) <= reportCapacity else { return }
    var offset = 0
    for (index, part) in parts.enumerated() {
      for (i, byte) in part.enumerated() { reportBytes[offset + i] = byte }
      reportBytes[offset + part.count] = 0
      offset += part.count + 1
      reportSizes[index] = part.count
    }
    ll_atomic_store(flags + 5, 1)
  }
}

/// A file written on the way out by a signal or a crash, from bytes prepared in advance.
///
/// The app keeps here the draft of the open form not yet on disk: a signal handler may not
/// encode, allocate or lock, so the bytes (and the paths) are laid out beforehand and the
/// handler only opens, writes, flushes and renames. At most one file is pending.
public enum LastWrite {
  /// Keeps `contents` to be written whole to `path` (through a temporary file and a rename) if
  /// the process ends by a signal before ``clear()`` or another `keep`.
  public static func keep(path: String, contents: [UInt8]) {
    _ = (TerminalGuard.flags, TerminalGuard.pendingBuffer, TerminalGuard.pendingSizes)
    TerminalGuard.setPendingFile(path: path, contents: contents)
  }

  /// Forgets the pending file (it was written, or is no longer wanted).
  public static func clear() {
    _ = (TerminalGuard.flags, TerminalGuard.pendingBuffer, TerminalGuard.pendingSizes)
    TerminalGuard.setPendingFile(path: "", contents: nil)
  }

  /// Names the file a crash report goes to: created in `directory` on a crash, and named on
  /// standard error with `line` (which should end with a newline).
  public static func crashReport(directory: String, path: String, line: String) {
    _ = (TerminalGuard.flags, TerminalGuard.reportBytes, TerminalGuard.reportSizes)
    TerminalGuard.setReport(directory: directory, path: path, line: line)
  }
}
