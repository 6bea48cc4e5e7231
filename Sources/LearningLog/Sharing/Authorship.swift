import Foundation

/// Who writes a record: a person's name, never the machine writer id.
public enum Authorship {
  /// What a record written before authorship (no `by`) shows as its author.
  public static let unknown = "unknown"

  /// The author as shown to people: `by`, or "unknown" when the record names nobody.
  public static func shown(_ by: String) -> String { by.isEmpty ? unknown : by }

  /// `$LEARNLOG_AUTHOR`, else `git config user.name` (run in `directory`), else `$USER`; nil
  /// when none is set.
  public static func resolve(environment: [String: String], directory: String) -> String? {
    func clean(_ s: String?) -> String? {
      guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else {
        return nil
      }
      return t
    }
    if let a = clean(environment["LEARNLOG_AUTHOR"]) { return a }
    if let git = GitRunner(environment: environment) {
      var dir = directory
      var isDir: ObjCBool = false
      if !FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) || !isDir.boolValue {
        dir = FileManager.default.currentDirectoryPath
      }
      if let r = try? git.run(["config", "user.name"], in: dir), r.succeeded,
        let name = clean(r.text)
      {
        return name
      }
    }
    return clean(environment["USER"])
  }
}
