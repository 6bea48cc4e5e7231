import ArgumentParser
import Foundation
import LearningLog

/// `learnlog sync`: commit the log, pull with a merge, push.
struct SyncCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Commit the log, pull with a merge and push.",
    discussion: Help.text(
      """
      Commits only the log (and .gitattributes/.gitignore when they changed) with a message \
      that counts the new events, runs `git pull --no-rebase --no-edit`, checks the merged \
      log, and pushes. Stops at the first git error. Private notes never enter the repository.
      """,
      examples: "learnlog sync"))

  @OptionGroup var options: SharingOptions

  func run() throws {
    let env = ProcessInfo.processInfo.environment
    let git = try SharingCLI.git(environment: env)
    do {
      let report = try GitSync.run(
        logPath: try options.logPath(environment: env), git: git, environment: env)
      SharingCLI.say(report.lines)
    } catch {
      SharingCLI.fail(error)
    }
  }
}
