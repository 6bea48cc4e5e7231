import Foundation
import LearningLogTesting
import Testing

@testable import LearningLog

/// Reading into a reused buffer gives the bytes a read of a fresh array gives, on the real
/// file system and on the in-memory one (which reads through the default), short at the end.
@Suite struct ReadIntoBufferTests {
  /// `bytes` bytes of a pattern that tells offsets apart.
  static func content(_ bytes: Int) -> [UInt8] {
    (0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
  }

  func check(_ fs: any FileSystem, path: String, content: [UInt8]) throws {
    let fd = try fs.open(path, readOnly: true)
    defer { fs.close(fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 5000, alignment: 8)
    defer { buffer.deallocate() }
    for offset in [
      0, 1, 4095, content.count - 3000, content.count - 1, content.count, content.count + 9,
    ] {
      for count in [0, 1, 4096, 5000] {
        let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
        let n = try fs.read(fd, offset: offset, into: slice)
        let expected = try fs.read(fd, offset: offset, count: count)
        #expect(n == expected.count, "offset \(offset) count \(count)")
        #expect(Array(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) == expected)
      }
    }
  }

  @Test("the real and the in-memory file systems read into a buffer as they read an array")
  func sameBytes() throws {
    let content = Self.content(20_000)
    let dir = try StoreFixture.tempDirectory("read-into")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/file"
    try Data(content).write(to: URL(fileURLWithPath: path))
    try check(RealFileSystem(), path: path, content: content)
    let memory = MemoryFileSystem()
    let fd = try memory.createExclusive("/file", permissions: 0o600)
    _ = try content.withUnsafeBytes { try memory.write(fd, $0, offset: 0) }
    memory.close(fd)
    try check(memory, path: "/file", content: content)
  }

  @Test("the prefix hash read into one buffer is the hash of the bytes in memory")
  func prefixHashIsTheChunkedHash() throws {
    for length in [0, 1, 8 << 20, (8 << 20) + 1, (17 << 20) + 5] {
      let bytes = Self.content(length)
      let hash = SnapshotCache.prefixHash(length: length) { offset, buffer in
        let n = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes {
          buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)]))
        }
        return n
      }
      #expect(hash == bytes.withUnsafeBytes { SnapshotCache.prefixHash(of: $0) }, "\(length)")
    }
  }

  @Test("the prefix hash of blocks split between two threads is the hash read in order")
  func prefixHashOnTwoThreadsIsTheSequentialHash() throws {
    let dir = try StoreFixture.tempDirectory("prefix-hash")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/log.jsonl"
    let store = try LogStore.create(path: path, fileSystem: RealFileSystem())
    let handle = try #require(FileHandle(forWritingAtPath: path))
    handle.seekToEndOfFile()
    handle.write(Data(Self.content((25 << 20) + 7)))
    try handle.close()
    let bytes = try #require(FileManager.default.contents(atPath: path))
    for length in [0, 1, 8 << 20, (8 << 20) + 3, (16 << 20) + 1, bytes.count] {
      let want = bytes.withUnsafeBytes {
        SnapshotCache.prefixHash(of: UnsafeRawBufferPointer(rebasing: $0[0..<length]))
      }
      let two = SnapshotCache.PrefixHashJob(store: store, length: length, parallel: true)
      let one = SnapshotCache.PrefixHashJob(store: store, length: length, parallel: false)
      #expect(two.result() == want, "\(length)")
      #expect(one.result() == want, "\(length)")
    }
    // A prefix longer than the file (read short) hashes to something else.
    let long = SnapshotCache.PrefixHashJob(store: store, length: bytes.count + 9, parallel: true)
    let padded = bytes + Data(count: 9)
    #expect(long.result() != padded.withUnsafeBytes { SnapshotCache.prefixHash(of: $0) })
  }
}
