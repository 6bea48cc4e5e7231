import Foundation

/// The terminal's clipboard, reached through OSC 52 where the terminal allows it.
///
/// OSC 52 (`ESC ] 52 ; c ; BASE64 BEL`) asks the terminal to put the decoded text on the
/// system clipboard; xterm, kitty, iTerm2, WezTerm, foot and tmux (`set-clipboard on`) honour
/// it, over ssh too. The payload is base64, so no byte of the text can reach the terminal as a
/// control character.
public enum Clipboard {
  /// The environment variable that turns copying on (`LEARNLOG_OSC52=1`); off by default, as a
  /// terminal that does not know OSC 52 may show it or ignore it silently.
  public static let environmentKey = "LEARNLOG_OSC52"

  /// Whether `environment` opts in to OSC 52 (`1`, `yes`, `true` or `on`).
  public static func isEnabled(_ environment: [String: String]) -> Bool {
    guard let value = environment[environmentKey]?.lowercased() else { return false }
    return ["1", "yes", "true", "on"].contains(value)
  }

  /// The OSC 52 sequence that puts `text` on the clipboard (`c`: the clipboard selection).
  public static func osc52(_ text: String) -> String {
    "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
  }
}
