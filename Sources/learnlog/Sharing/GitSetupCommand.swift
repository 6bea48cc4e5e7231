import ArgumentParser
import Foundation
import LearningLog

/// `learnlog git-setup`: make the repository holding the log merge it as a union of lines.
struct GitSetupCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "git-setup",
    abstract: "Configure .gitattributes and .gitignore for the repository holding the log.",
    discussion: Help.text(
      """
      Writes `<log> merge=union text eol=lf` to .gitattributes and ignores the lock, backups, \
      temporary files and caches kept beside the log. Commits nothing; running it again \
      changes nothing. With --merge-driver, this clone also merges the log through \
      `learnlog merge-driver` (a deduplicated, validated union).
      """,
      examples: "learnlog git-setup", "learnlog git-setup --merge-driver"))

  @OptionGroup var options: SharingOptions

  @Flag(help: "Also configure this clone (only) to merge the log with `learnlog merge-driver`.")
  var mergeDriver = false

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    let git = try SharingCLI.git(environment: env)
    var driver: String?
    if mergeDriver {
      let exe = Bundle.main.executablePath ?? CommandLine.arguments[0]
      driver = GitSetup.shellQuoted(exe) + " merge-driver"
    }
    do {
      let report = try GitSetup.run(
        logPath: try options.logPath(environment: env), git: git, environment: env,
        mergeDriver: driver)
      SharingCLI.say(report.lines)
    } catch {
      SharingCLI.fail(error)
    }
  }
}

/// `learnlog merge-driver %O %A %B`: the per-clone merge driver git calls.
struct MergeDriverCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge-driver",
    abstract: "Merge two versions of a log into their deduplicated union (git calls this).",
    shouldDisplay: false)

  @Argument(help: "The common ancestor (%O).") var base: String
  @Argument(help: "Our version, replaced by the result (%A).") var ours: String
  @Argument(help: "Their version (%B).") var theirs: String

  func run() throws {
    do {
      // git runs the driver at the top of the working tree: the log found from there, its
      // lock, the private notes and the cache are never written over.
      let env = ProcessInfo.processInfo.environment
      let log = LogLocator.resolve(
        explicit: nil, environment: env,
        currentDirectory: FileManager.default.currentDirectoryPath)
      let problems = try MergeDriver.run(
        base: base, ours: ours, theirs: theirs,
        protecting: ProtectedFiles.standard(logPath: log, environment: env))
      if !problems.isEmpty {
        Out.note(
          "learnlog merge-driver: kept \(counted(problems.count, "line")) that "
            + (problems.count == 1 ? "is" : "are")
            + " not a valid record; run `learnlog check` after the merge")
        throw ExitCode(1)
      }
    } catch let e as SharingError {
      SharingCLI.fail(e)
    }
  }
}
