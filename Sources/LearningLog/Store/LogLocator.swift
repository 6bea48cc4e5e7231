#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the log a command works on.
public struct LogLocator {
  /// The log path: `explicit` (`--file`), else `$LEARNLOG_FILE`, else the nearest
  /// `.learnlog/log.jsonl` in `currentDirectory` or above, else
  /// `$XDG_DATA_HOME/learnlog/log.jsonl` (`~/.local/share/learnlog/log.jsonl`).
  public static func resolve(
    explicit: String?, environment: [String: String], currentDirectory: String
  ) -> String {
    func absolute(_ p: String) -> String {
      p.hasPrefix("/") ? p : PathName.join(currentDirectory, p)
    }
    if let explicit, !explicit.isEmpty { return absolute(explicit) }
    if let file = environment["LEARNLOG_FILE"], !file.isEmpty { return absolute(file) }
    var dir = currentDirectory
    while true {
      let candidate = PathName.join(PathName.join(dir, ".learnlog"), "log.jsonl")
      if exists(candidate) { return candidate }
      let parent = PathName.directory(of: dir)
      if parent == dir || dir.isEmpty { break }
      dir = parent
    }
    return PathName.join(PathName.join(dataHome(environment: environment), "learnlog"), "log.jsonl")
  }

  /// `$XDG_DATA_HOME` when absolute, else `~/.local/share`.
  public static func dataHome(environment: [String: String]) -> String {
    if let x = environment["XDG_DATA_HOME"], x.hasPrefix("/") { return x }
    return PathName.join(environment["HOME"] ?? "/tmp", ".local/share")
  }

  static func exists(_ path: String) -> Bool {
    var s = stat()
    return stat(path, &s) == 0
  }
}
