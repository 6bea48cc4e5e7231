#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The system's secure random source read 4 KiB at a time.
///
/// `SystemRandomNumberGenerator` asks the kernel once a number; making many ids (an import
/// draws three numbers a row) then costs a system call each. This reads `/dev/urandom` in
/// blocks and falls back to `SystemRandomNumberGenerator` when it cannot be read.
public struct BufferedRandom: RandomNumberGenerator, Sendable {
  private var words: [UInt64] = []
  private var used = 0

  /// A generator with nothing read yet.
  public init() {}

  public mutating func next() -> UInt64 {
    if used == words.count { refill() }
    used += 1
    return words[used - 1]
  }

  private mutating func refill() {
    used = 0
    var block = [UInt64](repeating: 0, count: 512)
    let want = block.count * 8
    let got = block.withUnsafeMutableBytes { buf -> Int in
      let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
      guard fd >= 0, let base = buf.baseAddress else { return 0 }
      defer { close(fd) }
      var done = 0
      while done < want {
        let n = read(fd, base + done, want - done)
        if n > 0 {
          done += n
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          break
        }
      }
      return done
    }
    if got < want {
      var system = SystemRandomNumberGenerator()
      block = (0..<64).map { _ in system.next() }
    }
    words = block
  }
}
