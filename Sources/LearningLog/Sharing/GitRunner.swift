import Dispatch
import Foundation

/// The outcome of one `git` run.
public struct GitResult: Sendable {
  /// The exit status (or the signal number when git was killed).
  public var status: Int32
  /// Everything git wrote to standard output.
  public var output: Data
  /// Everything git wrote to standard error.
  public var errorOutput: Data

  /// Whether git exited with status 0.
  public var succeeded: Bool { status == 0 }
  /// Standard output as text, trailing newlines removed.
  public var text: String {
    String(decoding: output, as: UTF8.self).trimmingCharacters(in: .newlines)
  }
  /// The last non-empty line git wrote to standard error (or standard output), for messages.
  public var summary: String {
    let lines =
      (String(decoding: errorOutput, as: UTF8.self) + "\n"
      + String(decoding: output, as: UTF8.self))
      .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("hint:") }
    let fatal = lines.first { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") }
    return fatal ?? lines.last ?? "git exited with status \(status)"
  }
}

/// Runs `git` with explicit arguments (never through a shell).
public struct GitRunner: Sendable {
  /// The `git` executable.
  public var executable: String
  /// The environment git runs with.
  public var environment: [String: String]

  /// A runner for the `git` found on `PATH` in `environment` (nil when there is none).
  public init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    let found = path.split(separator: ":").map { PathName.join(String($0), "git") }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let found else { return nil }
    self.init(executable: found, environment: environment)
  }

  /// A runner for the `git` at `executable`.
  public init(executable: String, environment: [String: String]) {
    self.executable = executable
    self.environment = environment
  }

  /// Runs `git -C directory arguments...`, feeding `input` on standard input.
  public func run(_ arguments: [String], in directory: String, input: Data? = nil)
    throws(SharingError) -> GitResult
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-C", directory] + arguments
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    let inPipe = input.map { _ in Pipe() }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe ?? FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw SharingError.gitUnavailable(
        "could not run \(executable): \(error.localizedDescription)")
    }
    let errorBox = DataBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errorBox.set(err.fileHandleForReading.readDataToEndOfFile())
      group.leave()
    }
    if let inPipe, let input {
      group.enter()
      DispatchQueue.global().async {
        inPipe.fileHandleForWriting.write(input)
        try? inPipe.fileHandleForWriting.close()
        group.leave()
      }
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return GitResult(status: process.terminationStatus, output: data, errorOutput: errorBox.get())
  }
}

/// Bytes handed from a reader thread to the caller.
final class DataBox: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()

  func set(_ d: Data) {
    lock.lock()
    data = d
    lock.unlock()
  }

  func get() -> Data {
    lock.lock()
    defer { lock.unlock() }
    return data
  }
}
