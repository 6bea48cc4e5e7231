import Foundation
import Testing

/// What an install ships besides the binary: the version and the shell completions.
@Suite("command line: version and completions")
struct CLIPackagingTests {
  @Test("--version prints one line, learnlog and a semantic version")
  func version() throws {
    let cli = try CLISandbox()
    let r = try cli.run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout.wholeMatch(of: /learnlog \d+\.\d+\.\d+\n/) != nil, "\(r.stdout)")
  }

  @Test(
    "completion scripts for bash, zsh and fish name every top-level command",
    arguments: ["bash", "zsh", "fish"])
  func completions(shell: String) throws {
    let cli = try CLISandbox()
    let r = try cli.run(["--generate-completion-script", shell])
    #expect(r.status == 0, "\(r.stderr)")
    for command in ["incident", "export", "import", "patterns", "today", "git-setup"] {
      #expect(r.stdout.contains(command), "\(shell) completion lacks \(command)")
    }
    #expect(r.stdout.contains("ics"), "\(shell) completion lacks the ics format")
  }
}
