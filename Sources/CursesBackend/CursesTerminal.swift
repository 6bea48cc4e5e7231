import CNcursesw
import TerminalUI

/// Placeholder: the ncurses backend (see the toolkit issue).
public enum CursesBackendInfo {
  /// The ncurses version the backend was linked against.
  public static var version: String { String(cString: curses_version()) }
}
