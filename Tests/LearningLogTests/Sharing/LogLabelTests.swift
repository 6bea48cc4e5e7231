import LearningLog
import Testing

/// Each log read together gets a label that tells it from the others.
@Suite struct LogLabelTests {
  @Test func logsInTheSameFolderAreToldApartByTheirFileNames() {
    #expect(LogUnion.labels(["t/web.jsonl", "t/api.jsonl"]) == ["t/web.jsonl", "t/api.jsonl"])
    #expect(
      LogUnion.labels(["a/x.jsonl", "a/y.jsonl", "a/z.jsonl"])
        == ["a/x.jsonl", "a/y.jsonl", "a/z.jsonl"])
  }

  @Test func aRepositoryNamesItsLog() {
    #expect(
      LogUnion.labels(["/org/web/.learnlog/log.jsonl", "/org/api/.learnlog/log.jsonl"])
        == ["web", "api"])
  }

  @Test(arguments: [
    ["t/web.jsonl", "t/api.jsonl"], ["a/x.jsonl", "b/x.jsonl", "a/y.jsonl"],
    ["/r/one/.learnlog/log.jsonl", "/s/one/.learnlog/log.jsonl"], ["x.jsonl", "y.jsonl"],
  ])
  func everyLabelIsUnique(_ paths: [String]) {
    let labels = LogUnion.labels(paths)
    #expect(labels.count == paths.count)
    #expect(Set(labels).count == labels.count, "\(labels)")
  }
}
