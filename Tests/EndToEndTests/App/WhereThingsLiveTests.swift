import Foundation
import Testing

/// Everything learnlog keeps lands where `learnlog --help` and the README say: the log and
/// private notes under `$XDG_DATA_HOME`, drafts under `$XDG_STATE_HOME`, the writer id under
/// `$XDG_CONFIG_HOME`, the snapshot cache under `$XDG_CACHE_HOME`; with a variable unset (or
/// relative, which the XDG specification says to ignore) its default under `$HOME`.
@Suite(.serialized, .enabled(if: TestTools.tmux != nil, "tmux is not installed; skipping"))
struct WhereThingsLiveTests {
  /// The four kinds of place, as the help names them.
  enum Kind: String, CaseIterable {
    case data = "XDG_DATA_HOME"
    case state = "XDG_STATE_HOME"
    case config = "XDG_CONFIG_HOME"
    case cache = "XDG_CACHE_HOME"

    /// The default under `$HOME` when the variable is unset.
    var fallback: String {
      switch self {
      case .data: return ".local/share"
      case .state: return ".local/state"
      case .config: return ".config"
      case .cache: return ".cache"
      }
    }
  }

  /// How the XDG variables are set for one run.
  enum Setting: String, CaseIterable {
    case absolute, unset, relative
  }

  /// Runs the CLI (init, an incident, a private note, a read that fills the cache) and the app
  /// (a form left with Ctrl-C keeps a draft) in a fresh home; returns every file written, as
  /// paths relative to the home's parent.
  func filesWritten(_ setting: Setting) throws -> (files: [String], root: String) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent(
      "learnlog-xdg-\(UUID().uuidString)"
    ).path
    let home = root + "/home"
    let work = root + "/work"
    for d in [home, work] {
      try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    }
    var environment = [
      "HOME=\(home)", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "TERM=xterm-256color", "EDITOR=true",
    ]
    for kind in Kind.allCases {
      switch setting {
      case .absolute: environment.append("\(kind.rawValue)=\(root)/\(kind.rawValue.lowercased())")
      case .relative: environment.append("\(kind.rawValue)=relative/\(kind.rawValue.lowercased())")
      case .unset: break
      }
    }
    let learnlog = try TestTools.binary("learnlog")
    let env = try #require(TestTools.executable(named: "env"))
    let script = """
      cd \(TmuxSession.shellQuoted(work)) || exit 1
      L=\(TmuxSession.shellQuoted(learnlog))
      "$L" init && I=$("$L" incident add --title "Where things live") &&
      echo "a private word" | "$L" note add "$I" && "$L" incident list > /dev/null &&
      "$L" today > /dev/null && echo cli-ok
      exec "$L"
      """
    let app = try TmuxSession(command: [
      "sh", "-c",
      "exec \(env) -i \(environment.map(TmuxSession.shellQuoted).joined(separator: " ")) sh -c \(TmuxSession.shellQuoted(script))",
    ])
    defer { app.stop() }
    app.expectRow(containing: "1 incident")
    try app.press("2", "n")
    app.expectRow(containing: "New incident")
    try app.type("A draft to keep")
    app.expectRow(containing: "A draft to keep")
    try app.press("C-c")
    let ended = app.waitForScreen {
      $0.contains { $0.contains("draft") } || $0.allSatisfy(\.isEmpty)
    }
    #expect(ended.matched)
    // Poll until the draft reached the disk (the app writes it as it ends).
    var files: [String] = []
    let deadline = Date().addingTimeInterval(10)
    repeat {
      files = Self.files(under: root)
      if files.contains(where: { $0.contains("/drafts/") }) { break }
      usleep(50_000)
    } while Date() < deadline
    return (files, root)
  }

  /// Every regular file under `directory`, relative to it.
  static func files(under directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let path = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        found.append(path)
      }
    }
    return found.sorted()
  }

  @Test(arguments: Setting.allCases)
  func everythingIsWhereTheHelpSays(_ setting: Setting) throws {
    let (files, root) = try filesWritten(setting)
    defer { try? FileManager.default.removeItem(atPath: root) }
    func base(_ kind: Kind) -> String {
      setting == .absolute ? kind.rawValue.lowercased() : "home/" + kind.fallback
    }
    let expected: [(String, String)] = [
      ("the log", base(.data) + "/learnlog/log.jsonl"),
      ("private notes", base(.data) + "/learnlog/private/notes.jsonl"),
      ("the writer id", base(.config) + "/learnlog/writer-id"),
      ("a draft", base(.state) + "/learnlog/drafts/"),
      ("the snapshot cache", base(.cache) + "/learnlog/"),
    ]
    for (what, place) in expected {
      #expect(files.contains { $0.hasPrefix(place) }, "\(what) is not at \(place): \(files)")
    }
    let places = expected.map(\.1).map { $0.hasSuffix("/") ? $0 : $0 + "" }
    for file in files {
      let known = places.contains { file.hasPrefix($0) || file.hasPrefix($0 + ".") }
      #expect(known, "\(file) is in none of the documented places")
    }
    #expect(!files.contains { $0.hasPrefix("work/") }, "a file in the working directory")
  }
}
