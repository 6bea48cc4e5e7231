/// The version of learnlog, in one place: `learnlog --version` prints it.
enum LearningLogVersion {
  /// The released version (semantic versioning).
  static let current = "0.2.0"
}
