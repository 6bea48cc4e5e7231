import Foundation
import Testing

/// Every command's `--help`, from the parser's command tree, reads cleanly at 80 columns.
///
/// swift-argument-parser wraps a help text at the terminal's width by breaking lines at spaces
/// and keeps every line break the text holds. So a text reads cleanly only in one shape:
/// each prose paragraph one line (the parser wraps it at spaces, never mid-word, and a hard
/// break inside a sentence would show as a short line in the middle of it), and each block
/// (examples, a table) under a heading ending in ":", its lines indented and short enough that
/// the parser never wraps them (a wrapped example would continue at the left edge, an option
/// looking like the start of a sentence).
@Suite("command line: help texts at 80 columns")
struct CLIHelpTextTests {
  /// One command of the tree with its texts.
  struct Node {
    var path: [String]
    var abstract: String
    var discussion: String
    var optionTexts: [String]
    var optionNames: Set<String>
    var subcommands: [String]
  }

  /// Every command of the tree (groups included) with its abstract, discussion and the help of
  /// each of its arguments, from the binary's own description of it.
  static func tree(_ cli: CLISandbox) throws -> [Node] {
    let r = try cli.run(["--experimental-dump-help"])
    try #require(r.status == 0, "dump-help: \(r.stderr)")
    let root = try #require(
      (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])?["command"]
        as? [String: Any])
    var nodes: [Node] = []
    func walk(_ node: [String: Any], _ path: [String]) {
      let options = (node["arguments"] as? [[String: Any]] ?? []).flatMap {
        [$0["abstract"] as? String, $0["discussion"] as? String].compactMap { $0 }
      }
      let names = (node["arguments"] as? [[String: Any]] ?? []).flatMap {
        ($0["names"] as? [[String: Any]] ?? []).compactMap { name -> String? in
          guard let n = name["name"] as? String else { return nil }
          return (name["kind"] as? String == "long" ? "--" : "-") + n
        }
      }
      let children = (node["subcommands"] as? [[String: Any]] ?? []).compactMap {
        $0["commandName"] as? String
      }
      nodes.append(
        Node(
          path: path, abstract: node["abstract"] as? String ?? "",
          discussion: node["discussion"] as? String ?? "", optionTexts: options,
          optionNames: Set(names), subcommands: children))
      for s in node["subcommands"] as? [[String: Any]] ?? [] {
        if let n = s["commandName"] as? String { walk(s, path + [n]) }
      }
    }
    walk(root, [])
    return nodes
  }

  /// The problems of one discussion's shape (empty when it is clean).
  static func shapeProblems(_ discussion: String) -> [String] {
    var problems: [String] = []
    let paragraphs = discussion.components(separatedBy: "\n\n").filter { !$0.isEmpty }
    for paragraph in paragraphs {
      let lines = paragraph.components(separatedBy: "\n")
      if lines.count == 1 {
        let prose = lines[0]
        if let first = prose.first, !(first.isUppercase || first == "`" || first == "$") {
          problems.append("a paragraph does not start a sentence: \(prose.prefix(40))…")
        }
        if prose.hasSuffix(":") {
          problems.append("a heading with no indented block under it: \(prose)")
        } else if let last = prose.last, !".)?".contains(last) {
          problems.append("a paragraph does not end a sentence: …\(prose.suffix(40))")
        }
        if prose.contains("Example") {
          problems.append("an example inside prose (put it in an Example: block): \(prose)")
        }
      } else {
        if !lines[0].hasSuffix(":") || lines[0].hasPrefix(" ") {
          problems.append("a line break inside a sentence: \(lines[0]) ↵ \(lines[1])")
        }
        for line in lines.dropFirst() where !line.hasPrefix("  ") {
          problems.append("a line break inside a sentence: … ↵ \(line)")
        }
      }
    }
    return problems
  }

  @Test func theShapeRuleCatchesWhatReadsBadly() {
    #expect(Self.shapeProblems("Lists are split by commas. Example: learnlog x.").count == 1)
    #expect(Self.shapeProblems("Keys: expected, assumption,\nroot-cause.").count == 2)
    #expect(Self.shapeProblems("entities already in the log are skipped.").count == 1)
    #expect(Self.shapeProblems("Example:\n  learnlog x --a\n--b").count == 1)
    #expect(Self.shapeProblems("It says where it wrote.\n\nExample:\n  learnlog init").isEmpty)
  }

  @Test func everyCommandsTextsHaveTheCleanShape() throws {
    let cli = try CLISandbox()
    let nodes = try Self.tree(cli)
    #expect(nodes.count > 40, "the command tree looks too small: \(nodes.count)")
    for node in nodes {
      let name = (["learnlog"] + node.path).joined(separator: " ")
      #expect(!node.abstract.isEmpty, "\(name) has no abstract")
      #expect(!node.abstract.contains("\n"), "\(name)'s abstract holds a line break")
      #expect(node.abstract.first?.isUppercase == true, "\(name): \(node.abstract)")
      #expect(node.abstract.hasSuffix("."), "\(name)'s abstract does not end a sentence")
      for problem in Self.shapeProblems(node.discussion) {
        Issue.record("\(name): \(problem)")
      }
      for text in node.optionTexts where text.contains("\n") {
        Issue.record("\(name): an option's help holds a line break: \(text)")
      }
    }
  }

  /// Rendered at 80 columns, every line but the usage synopsis fits, and every block line of
  /// a discussion (an example, a table row) is printed whole, as written.
  @Test func everyHelpFitsEightyColumnsWithBlocksUnwrapped() throws {
    let cli = try CLISandbox()
    for node in try Self.tree(cli) where node.path != ["help"] {
      let name = (["learnlog"] + node.path).joined(separator: " ")
      let r = try cli.run(node.path + ["--help"], environment: ["COLUMNS": "80"])
      #expect(r.status == 0, "\(name) --help: \(r.stderr)")
      let rendered = r.stdout.components(separatedBy: "\n")
      for line in rendered where !line.hasPrefix("USAGE:") && line.count > 80 {
        Issue.record("\(name) --help: a line wider than 80 columns: \(line)")
      }
      for paragraph in node.discussion.components(separatedBy: "\n\n") {
        let lines = paragraph.components(separatedBy: "\n")
        guard lines.count > 1 else { continue }
        for line in lines where !rendered.contains(line) {
          Issue.record("\(name) --help: wrapped at 80 columns: \(line)")
        }
      }
    }
  }

  /// The examples of a discussion: the lines under an "Example:"/"Examples:" heading, lines
  /// ending in ` \\` joined with the next, split into words (quotes respected).
  static func examples(_ discussion: String) -> [[String]] {
    var result: [[String]] = []
    for paragraph in discussion.components(separatedBy: "\n\n") {
      var lines = paragraph.components(separatedBy: "\n")
      guard lines.first?.hasPrefix("Example") == true else { continue }
      lines.removeFirst()
      var joined: [String] = []
      var pending = ""
      for line in lines {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasSuffix(" \\") {
          pending += String(text.dropLast(2)) + " "
        } else {
          joined.append(pending + text)
          pending = ""
        }
      }
      for example in joined {
        var words: [String] = []
        var word = ""
        var quote: Character?
        for c in example {
          if let q = quote {
            if c == q { quote = nil } else { word.append(c) }
          } else if c == "\"" || c == "'" {
            quote = c
          } else if c == " " {
            if !word.isEmpty { words.append(word) }
            word = ""
          } else {
            word.append(c)
          }
        }
        if !word.isEmpty { words.append(word) }
        result.append(words)
      }
    }
    return result
  }

  /// Every example names a command of the tree and only options that command has.
  @Test func everyExampleNamesARealCommandAndItsOptions() throws {
    let cli = try CLISandbox()
    let nodes = try Self.tree(cli)
    let byPath = Dictionary(nodes.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    var seen = 0
    for node in nodes {
      for example in Self.examples(node.discussion) {
        let pipeline = example.split(separator: "|").last.map(Array.init) ?? []
        guard let start = pipeline.firstIndex(of: "learnlog") else { continue }
        var words = Array(pipeline[(start + 1)...])
        while words.first == "--file", words.count >= 2 { words.removeFirst(2) }
        var path: [String] = []
        while let next = words.first, let here = byPath[path],
          here.subcommands.contains(next) || (path == ["review"] && next == "schedule")
        {
          path = path == ["review"] && next == "schedule" ? ["review-schedule"] : path + [next]
          words.removeFirst()
        }
        let target = try #require(byPath[path])
        seen += 1
        for option in words where option.hasPrefix("-") && option != "-" {
          let name = String(option.split(separator: "=").first ?? "")
          #expect(
            target.optionNames.contains(name),
            "learnlog \(path.joined(separator: " ")) has no option \(name): \(example)")
        }
      }
    }
    #expect(seen > 40, "too few examples found: \(seen)")
  }

  /// The words a user types for a node of the tree (`review-schedule` is typed
  /// `review schedule`).
  static func typed(_ path: [String]) -> [String] {
    path == ["review-schedule"] ? ["review", "schedule"] : path
  }

  /// Every command's help names it in its usage line as it is typed, never an internal name.
  @Test func everyUsageNamesTheCommandAsTyped() throws {
    let cli = try CLISandbox()
    for node in try Self.tree(cli) where node.path != ["help"] && !node.path.isEmpty {
      let words = Self.typed(node.path)
      let r = try cli.run(words + ["--help"], environment: ["COLUMNS": "80"])
      let usage = r.stdout.components(separatedBy: "\n").first { $0.hasPrefix("USAGE:") } ?? ""
      let name = (["learnlog"] + words).joined(separator: " ")
      #expect(usage.hasPrefix("USAGE: \(name)"), "\(name) --help: \(usage)")
      #expect(!r.stdout.contains("review-schedule"), "\(name) --help names review-schedule")
    }
  }

  /// An option's help never repeats what the parser adds: its values or its default, after a
  /// full stop.
  @Test func noOptionHelpRepeatsTheParsersValues() throws {
    let cli = try CLISandbox()
    for node in try Self.tree(cli) where node.path != ["help"] {
      let name = (["learnlog"] + Self.typed(node.path)).joined(separator: " ")
      let r = try cli.run(Self.typed(node.path) + ["--help"], environment: ["COLUMNS": "200"])
      for line in r.stdout.components(separatedBy: "\n") {
        #expect(!line.contains(". (values:"), "\(name): \(line)")
        #expect(!line.contains(") (values:"), "\(name): \(line)")
        #expect(!line.contains(". (default:"), "\(name): \(line)")
      }
    }
  }

  /// The `gh` command in `import --help` is the one docs/commands.md gives.
  @Test func importHelpGivesTheDocumentedGhCommand() throws {
    let cli = try CLISandbox()
    let help = try cli.run(["import", "--help"], environment: ["COLUMNS": "200"]).stdout
    func words(_ text: String) -> String {
      text.replacingOccurrences(of: "\\\n", with: " ").split(whereSeparator: \.isWhitespace)
        .joined(separator: " ")
    }
    let shown = words(help)
    let start = try #require(shown.range(of: "gh issue list --"))
    let end = try #require(shown.range(of: "author,url", range: start.upperBound..<shown.endIndex))
    let command = String(shown[start.lowerBound..<end.upperBound])
    #expect(command.contains("--state all --limit 10000"), "\(command)")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let docs = try String(
      contentsOf: root.appendingPathComponent("docs/commands.md"), encoding: .utf8)
    #expect(words(docs).contains(command), "docs/commands.md lacks: \(command)")
  }
}
