import ArgumentParser
import CursesBackend
import Foundation
import LearningLog
import LearningLogApp

// No arguments: the full-screen app. The command line comes later.
if CommandLine.arguments.count <= 1 {
  do {
    try runApp(
      logPath: LogLocator.resolve(
        explicit: nil, environment: ProcessInfo.processInfo.environment,
        currentDirectory: FileManager.default.currentDirectoryPath))
  } catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
  }
} else {
  FileHandle.standardError.write(Data("error: commands are not available yet\n".utf8))
  exit(64)
}
