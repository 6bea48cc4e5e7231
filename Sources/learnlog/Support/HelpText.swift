/// Help texts in the one shape swift-argument-parser wraps cleanly at any width.
///
/// The parser keeps every line break of a text and wraps each line at spaces to the terminal's
/// width. So each prose paragraph is one line (wrapped where the terminal needs, never broken
/// inside a sentence by the source), and each example is an indented line short enough (under
/// 78 columns with its indent; longer ones continue with ` \` as in a shell) to be printed as
/// written at 80 columns. A test over the whole command tree holds every text to this shape.
enum Help {
  /// The prose paragraphs, then the examples under "Example:" (or "Examples:"), each line
  /// indented by two spaces.
  static func text(_ prose: String..., examples: String...) -> String {
    var paragraphs = prose
    if !examples.isEmpty {
      let heading = examples.count == 1 ? "Example:" : "Examples:"
      let lines = examples.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false) }
      paragraphs.append(([heading] + lines.map { "  " + $0 }).joined(separator: "\n"))
    }
    return paragraphs.joined(separator: "\n\n")
  }
}
