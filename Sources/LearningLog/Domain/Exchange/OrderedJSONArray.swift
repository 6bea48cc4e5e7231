import Foundation

/// A pretty JSON array written on both cores, in order, in the bytes a one-thread writer gives.
///
/// The elements are cut into batches of consecutive indices. This thread writes the even
/// batches and one more thread the odd ones, each into its own text; this thread hands every
/// batch's text to `emit` in index order, so the output is the same whichever thread wrote a
/// batch. The other thread runs at most ``window`` batches ahead of what was emitted: memory
/// holds a few batches, never the array.
public enum OrderedJSONArray {
  /// Batches the other thread may finish before this one takes them.
  static let window = 4

  /// The size a piece of text reaches before it is handed over (or kept, on the other thread).
  static let pieceBytes = 1 << 16

  /// Writes elements `0..<count` as the members of a pretty array whose elements sit at
  /// `indent` (the array's own brackets one level less), the text handed to `emit` in pieces.
  ///
  /// `write` writes element `k` at `indent` and returns whether there was one (false leaves it
  /// out, as a missing entity is left out); it runs on either thread, so it must only read
  /// what it shares. With `threads` 1 (or a single batch) every element is written here.
  /// Returns whether any element was written.
  @discardableResult
  public static func write(
    count: Int, indent: Int, batch: Int = 64, threads: Int = 2,
    _ write: @escaping @Sendable (inout JSONText, Int) -> Bool, emit: (JSONText) -> Void
  ) -> Bool {
    let size = max(1, batch)
    let batches = (count + size - 1) / size
    var wroteAny = false
    // Each element is written after ",\n" and its indent; the first one written overall gets
    // "[" in place of its comma (the same length) as it is handed over, so a batch never needs
    // to know whether an element came before it. Pieces are cut between elements only, and
    // small ones gathered, so `emit` gets pieces of about ``pieceBytes``.
    func flush(_ text: inout JSONText) {
      guard !text.bytes.isEmpty else { return }
      if !wroteAny { text.bytes[0] = UInt8(ascii: "[") }
      wroteAny = true
      emit(text)
      text.bytes.removeAll(keepingCapacity: true)
    }
    var mine = JSONText()
    if threads < 2 || batches < 2 {
      for b in 0..<batches {
        render(b, size: size, count: count, indent: indent, write, into: &mine, full: flush)
      }
    } else {
      let shared = Handoff()
      let group = DispatchGroup()
      DispatchQueue.global(qos: .userInitiated).async(group: group) {
        var b = 1
        while b < batches {
          shared.waitToStart(b)
          var pieces: [JSONText] = []
          var text = JSONText()
          render(b, size: size, count: count, indent: indent, write, into: &text) { full in
            pieces.append(full)
            full = JSONText()
          }
          pieces.append(text)
          shared.put(b, pieces)
          b += 2
        }
      }
      for b in 0..<batches {
        guard b % 2 == 1 else {
          render(b, size: size, count: count, indent: indent, write, into: &mine, full: flush)
          continue
        }
        for var piece in shared.take(b) where !piece.bytes.isEmpty {
          if !mine.bytes.isEmpty && mine.bytes.count + piece.bytes.count > pieceBytes {
            flush(&mine)
          }
          if mine.bytes.isEmpty && piece.bytes.count >= pieceBytes {
            flush(&piece)
            continue
          }
          mine.bytes.append(contentsOf: piece.bytes)
          if mine.bytes.count >= pieceBytes { flush(&mine) }
        }
      }
      group.wait()
    }
    if !wroteAny && !mine.bytes.isEmpty {
      mine.bytes[0] = UInt8(ascii: "[")
      wroteAny = true
    }
    if wroteAny {
      mine.newline(indent - 1)
      mine.raw("]")
    } else {
      mine.raw("[]")
    }
    emit(mine)
    return wroteAny
  }

  /// Writes the elements of batch `b`, each after ",\n" and its indent, handing the text to
  /// `full` whenever it reaches ``pieceBytes``.
  private static func render(
    _ b: Int, size: Int, count: Int, indent: Int,
    _ write: (inout JSONText, Int) -> Bool, into text: inout JSONText,
    full: (inout JSONText) -> Void
  ) {
    for k in (b * size)..<min(count, (b + 1) * size) {
      let mark = text.bytes.count
      text.raw(",")
      text.newline(indent)
      if !write(&text, k) { text.bytes.removeSubrange(mark...) }
      if text.bytes.count >= pieceBytes { full(&text) }
    }
  }

  /// The batches the other thread has written and not yet handed over, behind one condition.
  private final class Handoff: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var ready: [Int: [JSONText]] = [:]
    /// The last batch taken by the emitting thread; guarded by `condition`.
    private var taken = -1

    /// Waits until batch `b` is within the window of what was taken.
    func waitToStart(_ b: Int) {
      condition.lock()
      defer { condition.unlock() }
      while b - taken > 2 * OrderedJSONArray.window { condition.wait() }
    }

    /// Hands batch `b` over.
    func put(_ b: Int, _ pieces: [JSONText]) {
      condition.lock()
      ready[b] = pieces
      condition.broadcast()
      condition.unlock()
    }

    /// Waits for batch `b` and takes it.
    func take(_ b: Int) -> [JSONText] {
      condition.lock()
      defer { condition.unlock() }
      while ready[b] == nil { condition.wait() }
      taken = b
      condition.broadcast()
      return ready.removeValue(forKey: b) ?? []
    }
  }
}
