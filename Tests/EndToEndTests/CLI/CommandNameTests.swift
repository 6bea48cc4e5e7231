import Foundation
import Testing

/// Every command of the command line names itself in its configuration.
///
/// Without a `commandName`, the argument parser works the name out from the type's name by
/// reflection (`String(describing:)`, then snake case) each time it builds the command tree,
/// which it does on every run of every command: a tenth of starting the process. The rule is
/// held over every `CommandConfiguration(` of the executable's sources, so a command added
/// later cannot miss it.
@Test func everyCommandConfigurationNamesItsCommand() throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let sources = root.appendingPathComponent("Sources/learnlog")
  let files = try #require(FileManager.default.enumerator(atPath: sources.path))
    .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
  #expect(!files.isEmpty)
  var configurations = 0
  var unnamed: [String] = []
  for file in files {
    let text = try String(
      contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
    var rest = text[...]
    while let call = rest.range(of: "CommandConfiguration(") {
      configurations += 1
      let after = text[call.upperBound...].drop { $0 == " " || $0 == "\n" }
      if !after.hasPrefix("commandName:") {
        let line = text[..<call.lowerBound].filter { $0 == "\n" }.count + 1
        unnamed.append("\(file):\(line)")
      }
      rest = text[call.upperBound...]
    }
  }
  // Every leaf and group of the tree has one (49 leaves and their groups).
  #expect(configurations >= 49)
  #expect(unnamed.isEmpty, "give these a commandName: \(unnamed)")
}
