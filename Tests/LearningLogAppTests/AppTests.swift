import LearningLogApp
import Testing

@Test func appHasName() { #expect(LearningLogAppInfo.name == "learnlog") }
