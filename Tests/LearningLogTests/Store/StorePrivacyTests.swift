import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

@Suite(.serialized) struct StorePrivacyTests {
  static func mode(_ path: String) -> UInt32? {
    (try? RealFileSystem().status(path: path)).flatMap { $0 }.map { $0.permissions & 0o777 }
  }

  @Test(arguments: [0o000, 0o022] as [mode_t])
  func privateFilesAreCreatedPrivateUnderAnyUmask(mask: mode_t) throws {
    let dir = try StoreFixture.tempDirectory("private")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let old = umask(mask)
    defer { umask(old) }
    let store = PrivateStore(directory: dir + "/learnlog/private")
    store.writerID = "me"
    let note = try store.append(
      RecordDraft(type: "note.private", entity: "inc-1", body: ["text": "secret"]))
    #expect(try store.records() == [note])
    #expect(Self.mode(store.directory) == 0o700)
    #expect(Self.mode(store.path) == 0o600)
    #expect(Self.mode(store.path + ".lock") == 0o600)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.directory)
      .filter { $0 != "notes.jsonl" && $0 != "notes.jsonl.lock" }
    #expect(leftovers.isEmpty)
    print("private store under umask \(String(mask, radix: 8)): dir 0700, files 0600")
  }

  @Test func widerPermissionsOrAnotherOwnerAreRefused() throws {
    let dir = try StoreFixture.tempDirectory("private-wide")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let store = PrivateStore(directory: dir + "/private")
    store.writerID = "me"
    try store.append(RecordDraft(type: "note.private", entity: "", body: ["text": "marker-7f3a"]))
    chmod(store.path, 0o644)
    #expect {
      try PrivateStore(directory: store.directory).records()
    } throws: { error in
      guard case .notPrivate = error as? StoreError else { return false }
      let text = "\(error)"
      return text.contains("644") && text.contains("chmod") && !text.contains("marker-7f3a")
    }
    #expect(throws: StoreError.self) {
      try store.append(RecordDraft(type: "n", entity: "", body: [:]))
    }
    chmod(store.path, 0o600)
    chmod(store.directory, 0o755)
    #expect(throws: StoreError.self) { try PrivateStore(directory: store.directory).records() }
    chmod(store.directory, 0o700)
    #expect(try PrivateStore(directory: store.directory).records().count == 1)

    // Another owner (on the memory file system, where ownership can be faked).
    let fs = MemoryFileSystem()
    let m = PrivateStore(directory: "/home/u/private", fileSystem: fs)
    m.writerID = "me"
    try m.append(RecordDraft(type: "n", entity: "", body: [:]))
    fs.setAttributes(m.path, owner: 0)
    #expect {
      try PrivateStore(directory: "/home/u/private", fileSystem: fs).records()
    } throws: { error in "\(error)".contains("owned by user 0") }
  }
}

@Suite struct StoreLocationTests {
  @Test func locatorOrder() throws {
    let root = try StoreFixture.tempDirectory("locate")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let deep = root + "/a/b/c"
    try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
    let env = ["HOME": "/home/u", "XDG_DATA_HOME": "/xdg"]
    #expect(
      LogLocator.resolve(explicit: "x.jsonl", environment: env, currentDirectory: deep) == deep
        + "/x.jsonl")
    #expect(
      LogLocator.resolve(
        explicit: nil, environment: env.merging(["LEARNLOG_FILE": "/f.jsonl"]) { $1 },
        currentDirectory: deep)
        == "/f.jsonl")
    #expect(
      LogLocator.resolve(explicit: nil, environment: env, currentDirectory: deep)
        == "/xdg/learnlog/log.jsonl")
    #expect(
      LogLocator.resolve(explicit: nil, environment: ["HOME": "/home/u"], currentDirectory: deep)
        == "/home/u/.local/share/learnlog/log.jsonl")
    try FileManager.default.createDirectory(
      atPath: root + "/a/.learnlog", withIntermediateDirectories: true)
    #expect(
      FileManager.default.createFile(atPath: root + "/a/.learnlog/log.jsonl", contents: Data()))
    #expect(
      LogLocator.resolve(explicit: nil, environment: env, currentDirectory: deep) == root
        + "/a/.learnlog/log.jsonl")
  }

  @Test func writerIDIsStableAndOverridable() throws {
    let fs = MemoryFileSystem()
    let env = ["HOME": "/home/u"]
    let first = try WriterIdentity.resolve(environment: env, fileSystem: fs)
    #expect(WriterIdentity.isValid(first) && first.count == 16)
    #expect(try WriterIdentity.resolve(environment: env, fileSystem: fs) == first)
    #expect(fs.contents("/home/u/.config/learnlog/writer-id") == Array((first + "\n").utf8))
    #expect(fs.allPaths.filter { $0.hasSuffix(".tmp") }.isEmpty)
    #expect(
      try WriterIdentity.resolve(
        environment: env.merging(["LEARNLOG_WRITER": "ci-7"]) { $1 }, fileSystem: fs) == "ci-7")
    #expect(throws: StoreError.self) {
      try WriterIdentity.resolve(environment: ["LEARNLOG_WRITER": "bad id\n"], fileSystem: fs)
    }
    let xdg = try WriterIdentity.resolve(environment: ["XDG_CONFIG_HOME": "/cfg"], fileSystem: fs)
    #expect(xdg != first && fs.contents("/cfg/learnlog/writer-id") != nil)
  }

  @Test func createRefusesAnExistingFileAndLeavesNoTemporaries() throws {
    let fs = try StoreFixture.memoryFS()
    let s = try LogStore.create(path: StoreFixture.logPath, fileSystem: fs)
    #expect(s.header.format == 1 && !s.header.storeID.isEmpty)
    #expect(throws: StoreError.alreadyExists(path: StoreFixture.logPath)) {
      try LogStore.create(path: StoreFixture.logPath, fileSystem: fs)
    }
    #expect(fs.allPaths.filter { $0.hasSuffix(".tmp") }.isEmpty)
    #expect(throws: StoreError.notFound(path: "/data/none.jsonl")) {
      try LogStore.open(path: "/data/none.jsonl", fileSystem: fs)
    }
    let ro = try LogStore.open(path: StoreFixture.logPath, fileSystem: fs, readOnly: true)
    #expect(throws: StoreError.readOnly(path: StoreFixture.logPath)) {
      try ro.append(StoreFixture.draft(0))
    }
  }
}
