import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs another program on the terminal the way a shell (or git, for `$EDITOR`) does: in the
/// foreground, owning the terminal until it exits.
///
/// When this process owns the terminal (its process group is the terminal's foreground group),
/// the program gets a process group of its own and the terminal is handed to that group
/// (`tcsetpgrp`) and taken back when it exits; `SIGTTOU` is ignored while doing so, as a
/// process in the background of its terminal would otherwise be stopped by the handover back.
/// Without job control (no terminal, or this process not in its foreground) the program stays
/// in this process's group, which is as much of the terminal as there is to give.
///
/// Foundation's `Process` starts programs in a new, background process group: a full-screen
/// program such as vim is then stopped by the terminal (`SIGTTOU`) the moment it sets its
/// modes, or fails reading it, which is why it is not used here.
enum ForegroundProcess {
  /// Runs `arguments` (the first is the program, looked up on `PATH`) and returns its exit
  /// status (128 + the signal if a signal ended it).
  static func run(_ arguments: [String]) throws -> Int32 {
    let terminal = STDIN_FILENO
    let ownsTerminal = isatty(terminal) == 1 && tcgetpgrp(terminal) == getpgrp()

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A clean signal state: nothing blocked, and the signals this process catches or ignores
    // back to their defaults (Ctrl-C, Ctrl-Z and the terminal's stops belong to the program).
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGCHLD, SIGHUP, SIGTERM] {
      sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    if ownsTerminal {
      flags |= Int32(POSIX_SPAWN_SETPGROUP)
      posix_spawnattr_setpgroup(&attributes, 0)
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))

    let argv = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, arguments[0], nil, &attributes, argv, environ)
    guard spawned == 0 else {
      throw EditorError("cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
    }
    if ownsTerminal {
      _ = setpgid(pid, pid)  // already so; closes the race with the first tcsetpgrp
      handTerminal(terminal, to: pid)
    }
    defer { if ownsTerminal { handTerminal(terminal, to: getpgrp()) } }

    var status: Int32 = 0
    while true {
      let waited = waitpid(pid, &status, WUNTRACED)
      if waited == -1 {
        if errno == EINTR { continue }
        throw EditorError("lost track of \(arguments[0]): \(String(cString: strerror(errno)))")
      }
      if status & 0xFF == 0x7F {
        // Stopped: by the terminal before the handover reached it, or by a Ctrl-Z there is
        // no shell to act on. Give it the terminal (again) and let it go on.
        if ownsTerminal { handTerminal(terminal, to: pid) }
        _ = kill(ownsTerminal ? -pid : pid, SIGCONT)
        continue
      }
      break
    }
    return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  }

  /// Makes `group` the terminal's foreground process group, ignoring `SIGTTOU` meanwhile.
  private static func handTerminal(_ terminal: Int32, to group: pid_t) {
    let previous = signal(SIGTTOU, SIG_IGN)
    _ = tcsetpgrp(terminal, group)
    _ = signal(SIGTTOU, previous)
  }
}
