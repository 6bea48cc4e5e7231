import Foundation
import Testing

@testable import LearningLog

@Suite("Sharing: merge driver, summaries, setup lines")
struct SharingUnitTests {
  static func record(_ n: Int, writer: String = "w") throws -> (Record, String) {
    let r = Record(
      id: EventID(rawValue: UUIDv7.make(milliseconds: Int64(1000 + n))),
      clock: HybridTimestamp(wall: Int64(1000 + n), logical: 0), writer: writer,
      type: "incident.created", schema: 1, entity: "e\(n)", body: .object(["n": .int(n)]))
    return (r, String(decoding: try RecordCodec.encode(r), as: UTF8.self))
  }

  @Test("the merge driver writes the deduplicated union, ours first, one header")
  func mergeDriverUnion() throws {
    let header = String(
      decoding: RecordCodec.encode(LogHeader(storeID: UUIDv7.make(milliseconds: 1), created: 1)),
      as: UTF8.self)
    let lines = try (0..<6).map { try Self.record($0).1 }
    let ours = header + lines[0] + lines[1] + lines[2]
    let theirs = header + lines[0] + lines[3] + lines[1] + lines[4] + header
    let out = MergeDriver.merge(ours: Array(ours.utf8), theirs: Array(theirs.utf8))
    #expect(out.problems.isEmpty)
    #expect(
      String(decoding: out.bytes, as: UTF8.self) == header + lines[0] + lines[1] + lines[2]
        + lines[3] + lines[4])

    let bad = MergeDriver.merge(
      ours: Array((ours + "<<<<<<< x\n").utf8), theirs: Array(theirs.utf8))
    #expect(bad.problems.count == 1 && bad.problems[0].hasPrefix("ours line 5"))
    #expect(String(decoding: bad.bytes, as: UTF8.self).contains("<<<<<<< x\n"))
  }

  @Test("the commit message counts new events by kind")
  func summary() throws {
    func r(_ type: String) -> Record {
      Record(
        id: EventID(rawValue: UUIDv7.make(milliseconds: 1)),
        clock: HybridTimestamp(wall: 1, logical: 0),
        writer: "w", type: type, schema: 1, entity: "x", body: .object([:]))
    }
    let s = EventSummary(
      [
        r(EventType.incidentCreated), r(EventType.incidentCreated), r(EventType.incidentCreated),
        r(EventType.actionCreated), r(EventType.actionCreated), r(EventType.lessonCreated),
      ])
    #expect(s.commitMessage == "learnlog: 3 incidents, 2 actions, 1 lesson")
    let t = EventSummary([
      r(EventType.reviewAnswered), r(EventType.actionStatusSet), r(EventType.experimentCreated),
    ])
    #expect(t.commitMessage == "learnlog: 1 review answer, 1 experiment, 1 update")
    #expect(EventSummary([]).commitMessage == "learnlog: share the log through git")
  }

  @Test("attribute and ignore patterns are anchored and escaped")
  func patterns() {
    #expect(
      GitSetup.attributeLines(logRelativePath: "log.jsonl")[0]
        == "/log.jsonl merge=union text eol=lf")
    #expect(
      GitSetup.attributeLines(logRelativePath: "team/.learnlog/log.jsonl")[0]
        == "/team/.learnlog/log.jsonl merge=union text eol=lf")
    #expect(GitSetup.pattern(anchored: "a b/[x].jsonl") == "\"/a b/\\\\[x].jsonl\"")
    // A glob character, quote or backslash followed by a combining mark (one Character with
    // it) is escaped all the same.
    #expect(GitSetup.pattern(anchored: "a*\u{301}b") == "/a\\*\u{301}b")
    // The merge driver's path in shell quotes: every quote closed, one before a mark too.
    #expect(GitSetup.shellQuoted("/opt/it's/learnlog") == "'/opt/it'\\''s/learnlog'")
    #expect(GitSetup.shellQuoted("/a'\u{301}b") == "'/a'\\''\u{301}b'")
    #expect(GitSetup.pattern(anchored: "q\"\u{301}") == "\"/q\\\"\u{301}\"")
    #expect(GitSetup.pattern(anchored: "s p\\\u{301}") == "\"/s p\\\\\\\\\u{301}\"")
    let ignore = GitSetup.ignoreLines(logRelativePath: "log.jsonl")
    #expect(ignore.prefix(3) == ["/log.jsonl.lock", "/log.jsonl.*.bak", "/.log.jsonl.*.tmp"])
    let nested = GitSetup.ignoreLines(logRelativePath: "t/.learnlog/log.jsonl")
    #expect(
      nested.prefix(3) == [
        "/t/.learnlog/log.jsonl.lock", "/t/.learnlog/log.jsonl.*.bak",
        "/t/.learnlog/.log.jsonl.*.tmp",
      ])
  }
}
