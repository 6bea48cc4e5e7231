import LearningLog
import TerminalUI

/// Placeholder for the full-screen app (see the app issue).
public enum LearningLogAppInfo {
  /// The app's display name.
  public static let name = "learnlog"
}
