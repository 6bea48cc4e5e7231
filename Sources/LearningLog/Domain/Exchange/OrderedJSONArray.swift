import Foundation

/// A pretty JSON array written on both cores, in order, in the bytes a one-thread writer gives.
///
/// The elements are cut into batches of consecutive indices. This thread and one more each
/// claim the next batch no one has claimed and write it into its own text; this thread hands
/// every batch's text to `emit` in index order, so the output is the same whichever thread
/// wrote a batch. No batch is claimed more than twice ``window`` past the last one handed
/// over: memory holds a few batches, never the array.
public enum OrderedJSONArray {
  /// Half the batches that may be claimed past the last one handed over.
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
      // Each thread claims the next batch not yet claimed, so neither waits on a fixed share;
      // this one hands the written batches over in order as they are ready.
      let shared = Handoff(batches: batches)
      let group = DispatchGroup()
      DispatchQueue.global(qos: .userInitiated).async(group: group) {
        while let b = shared.claim(waiting: true) {
          shared.put(b, pieces(of: b, size: size, count: count, indent: indent, write))
        }
      }
      func handOver(_ pieces: [JSONText]) {
        for var piece in pieces where !piece.bytes.isEmpty {
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
      var next = 0
      while next < batches {
        if let ready = shared.take(next, waiting: false) {
          handOver(ready)
          next += 1
        } else if let b = shared.claim(waiting: false) {
          if b == next {
            // The batch due next: written straight into the text handed over.
            render(b, size: size, count: count, indent: indent, write, into: &mine, full: flush)
            shared.handedOver(b)
            next += 1
          } else {
            shared.put(b, pieces(of: b, size: size, count: count, indent: indent, write))
          }
        } else if let ready = shared.take(next, waiting: true) {
          handOver(ready)
          next += 1
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

  /// Batch `b` written into pieces of about ``pieceBytes``.
  private static func pieces(
    of b: Int, size: Int, count: Int, indent: Int, _ write: (inout JSONText, Int) -> Bool
  ) -> [JSONText] {
    var pieces: [JSONText] = []
    var text = JSONText()
    render(b, size: size, count: count, indent: indent, write, into: &text) { full in
      pieces.append(full)
      full = JSONText()
    }
    pieces.append(text)
    return pieces
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

  /// The batches claimed and written but not yet handed over, behind one condition.
  private final class Handoff: @unchecked Sendable {
    private let condition = NSCondition()
    private let batches: Int
    /// The next batch no thread has claimed; guarded by `condition`.
    private var nextClaim = 0
    /// The last batch handed over; guarded by `condition`.
    private var taken = -1
    /// Written batches waiting for their turn; guarded by `condition`.
    private var ready: [Int: [JSONText]] = [:]

    init(batches: Int) { self.batches = batches }

    /// The next unclaimed batch, nil when all are claimed.
    ///
    /// A batch more than twice
    /// ``OrderedJSONArray/window`` past the last one handed over is not claimed: `waiting`
    /// waits for the handing over to catch up, otherwise nil.
    func claim(waiting: Bool) -> Int? {
      condition.lock()
      defer { condition.unlock() }
      while nextClaim < batches, nextClaim - taken > 2 * OrderedJSONArray.window {
        guard waiting else { return nil }
        condition.wait()
      }
      guard nextClaim < batches else { return nil }
      nextClaim += 1
      return nextClaim - 1
    }

    /// Keeps the written batch `b` until its turn.
    func put(_ b: Int, _ pieces: [JSONText]) {
      condition.lock()
      ready[b] = pieces
      condition.broadcast()
      condition.unlock()
    }

    /// Takes batch `b` (the one due) once written: with `waiting` it waits for it, otherwise
    /// nil when it is not written yet.
    func take(_ b: Int, waiting: Bool) -> [JSONText]? {
      condition.lock()
      defer { condition.unlock() }
      while ready[b] == nil {
        guard waiting else { return nil }
        condition.wait()
      }
      taken = b
      condition.broadcast()
      return ready.removeValue(forKey: b)
    }

    /// Notes that batch `b` was written and handed over by the thread that claimed it.
    func handedOver(_ b: Int) {
      condition.lock()
      taken = b
      condition.broadcast()
      condition.unlock()
    }
  }
}
