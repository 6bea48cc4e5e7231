import LearningLog

/// The blame-language check on command-line text: a warning on standard error with a
/// curious rewording, never a refusal.
enum BlameWarning {
  /// Warns once per flagged phrase of `text`, naming `field`.
  static func check(_ field: String, _ text: String) {
    for flag in BlameCheck.flags(in: text) {
      Out.note(
        "warning: \(field): \"\(Out.clean(flag.phrase))\" may read as \(flag.category.rawValue); "
          + "try asking: \(Out.clean(flag.suggestion))")
    }
  }
}
