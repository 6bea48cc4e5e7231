/// Why the full-screen terminal could not start.
public enum CursesTerminalError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Standard input or output is not a terminal (a pipe, a file, a CI job).
  case notATerminal
  /// TERM is unset, empty or `dumb`.
  case dumbTerminal(String?)
  /// ncurses does not know the terminal type.
  case unknownTerminal(String)
  /// A device could not be opened (headless use).
  case cannotOpen(String)

  /// A one-line message saying what is wrong and what to do instead.
  public var description: String {
    let hint = "learnlog needs a terminal; use the command line: learnlog --help"
    switch self {
    case .notATerminal:
      return "\(hint) (standard input or output is not a terminal)"
    case .dumbTerminal(let term):
      let shown = term.map { $0.isEmpty ? "empty" : "'\($0)'" } ?? "unset"
      return "\(hint) (TERM is \(shown); set TERM, e.g. TERM=xterm-256color)"
    case .unknownTerminal(let term):
      return "\(hint) (terminal type '\(term)' is unknown to ncurses; try TERM=xterm-256color)"
    case .cannotOpen(let path):
      return "cannot open \(path) for the terminal"
    }
  }

  /// Checks that a full-screen session can start, before touching ncurses.
  ///
  /// - Parameters:
  ///   - term: the TERM environment variable.
  ///   - inputIsTerminal: whether standard input is a terminal (`isatty(0)`).
  ///   - outputIsTerminal: whether standard output is a terminal (`isatty(1)`).
  public static func check(term: String?, inputIsTerminal: Bool, outputIsTerminal: Bool)
    -> CursesTerminalError?
  {
    guard inputIsTerminal, outputIsTerminal else { return .notATerminal }
    guard let term, !term.isEmpty, term != "dumb" else { return .dumbTerminal(term) }
    return nil
  }
}
