import Foundation
import LearningLog
import LearningLogApp
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

func now() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func median(_ a: [Double]) -> Double {
  guard !a.isEmpty else { return .nan }
  let s = a.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ a: [Double], _ p: Double) -> Double {
  guard !a.isEmpty else { return .nan }
  let s = a.sorted()
  return s[min(s.count - 1, Int((Double(s.count - 1) * p).rounded(.up)))]
}

/// `VmHWM` and `VmRSS` of this process in bytes.
func memoryStatus() -> (peak: Int, resident: Int) {
  guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return (0, 0)
  }
  func value(_ key: String) -> Int {
    for line in text.split(separator: "\n") where line.hasPrefix(key) {
      let digits = line.split(separator: " ").compactMap { Int($0) }
      return (digits.first ?? 0) * 1024
    }
    return 0
  }
  return (value("VmHWM:"), value("VmRSS:"))
}

/// The measurements made in a child process for one log.
struct ChildMeasure {
  let logPath: String
  let cacheDir: String
  let runs: Int
  /// The `learnlog` executable, to time the real commands (none: skipped).
  var executable: String?
  var results: [(String, Double)] = []

  var cache: SnapshotCache { SnapshotCache(directory: cacheDir) }

  mutating func put(_ key: String, _ value: Double) { results.append((key, value)) }

  func removeSnapshots() {
    let fm = FileManager.default
    for f in (try? fm.contentsOfDirectory(atPath: cacheDir)) ?? [] {
      try? fm.removeItem(atPath: cacheDir + "/" + f)
    }
  }

  /// Reads the whole file and counts its newlines: the floor for any open.
  func readAndFindNewlines() -> (Double, Int) { Self.readAndFindNewlines(logPath) }

  /// Reads the file at `path` whole and counts its newlines, with the time it took.
  static func readAndFindNewlines(_ path: String) -> (Double, Int) {
    let t0 = now()
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    var st = stat()
    fstat(fd, &st)
    let size = Int(st.st_size)
    let buf = UnsafeMutableRawPointer.allocate(byteCount: max(1, size), alignment: 64)
    defer { buf.deallocate() }
    var done = 0
    while done < size {
      let n = read(fd, buf + done, size - done)
      if n <= 0 { break }
      done += n
    }
    var lines = 0
    var p = UnsafeRawPointer(buf)
    let end = UnsafeRawPointer(buf) + done
    while p < end, let nl = memchr(p, 0x0A, end - p) {
      lines += 1
      p = UnsafeRawPointer(nl) + 1
    }
    return (now() - t0, lines)
  }

  static let tableColumns = [
    TableColumn("ID", width: .length(8)), TableColumn("SEV", width: .length(8)),
    TableColumn("STATUS", width: .length(9)), TableColumn("TEAM", width: .length(10)),
    TableColumn("TITLE", width: .fill(1)),
  ]

  /// The incidents list the app draws: only visible rows are formatted.
  static func table(_ state: LearningState, _ ids: [String]) -> TableView {
    TableView(columns: tableColumns, count: ids.count) { i in
      guard let inc = state.incidents[ids[i]] else { return [] }
      return [
        String(inc.id.prefix(8)), inc.severity.rawValue, inc.status.rawValue, inc.team, inc.title,
      ]
    }
  }

  mutating func run(size: Int) throws {
    let fileBytes =
      (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int)
      .flatMap { $0 } ?? 0
    put("fileBytes", Double(fileBytes))
    // 1. Baseline.
    var base: [Double] = []
    for _ in 0..<runs { base.append(readAndFindNewlines().0) }
    put("baseline", median(base))

    // 2. The old way: read every record, replay them all (no cache).
    var legacy: [Double] = []
    var replayOnly: [Double] = []
    for _ in 0..<max(1, min(runs, 3)) {
      let t0 = now()
      let s = try LogStore.open(path: logPath, readOnly: true)
      let t1 = now()
      let st = LearningState.replay(s.records)
      legacy.append(now() - t0)
      replayOnly.append(now() - t1)
      precondition(!st.incidents.isEmpty)
    }
    put("legacyOpen", median(legacy))
    put("legacyReplay", median(replayOnly))

    // 3. Cold cache: read and replay everything, then write the snapshot.
    var cold: [Double] = []
    var coldReady: [Double] = []
    for _ in 0..<max(1, min(runs, 3)) {
      removeSnapshots()
      let c = cache
      var savingAt: Double?
      let t0 = now()
      _ = try LearningState.load(
        path: logPath, readOnly: true, cache: c,
        progress: { p in if p.phase == .savingCache && savingAt == nil { savingAt = now() } })
      let t = now()
      cold.append(t - t0)
      coldReady.append((savingAt ?? t) - t0)
      guard c.lastSaveSucceeded == true else {
        throw BenchError("snapshot not written: \(c.lastSaveError ?? "?")")
      }
    }
    put("coldReady", median(coldReady))
    put("coldWithSave", median(cold))
    let snapshotBytes =
      ((try? FileManager.default.contentsOfDirectory(atPath: cacheDir)) ?? []).compactMap {
        try? FileManager.default.attributesOfItem(atPath: cacheDir + "/" + $0)[.size] as? Int
      }.reduce(0, +)
    put("snapshotBytes", Double(snapshotBytes))

    // 4. Warm cache: open to ready, and to the first frame of the incidents list.
    var warm: [Double] = []
    var frame: [Double] = []
    for _ in 0..<runs {
      let c = cache
      let t0 = now()
      let (_, state) = try LearningState.load(path: logPath, readOnly: true, cache: c)
      let t1 = now()
      guard case .hit = c.lastUse else { throw BenchError("warm open missed: \(c.lastUse)") }
      let ids = state.ids(of: .incident)
      var buffer = ScreenBuffer(size: Size(width: 120, height: 40))
      Self.table(state, ids).render(into: &buffer, area: buffer.area, state: ListState())
      let t2 = now()
      warm.append(t1 - t0)
      frame.append(t2 - t0)
      // A process ends without freeing its state: keep the freeing out of the figures.
      withExtendedLifetime(state) {}
    }
    put("warmReady", median(warm))
    put("warmFirstFrame", median(frame))

    // 5a. The floor of any durable write here: append one line to a file and fdatasync it.
    var syncs: [Double] = []
    let scratch = logPath + ".fsync-probe"
    let pfd = open(scratch, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    if pfd >= 0 {
      let line = [UInt8](repeating: 0x61, count: 299) + [0x0A]
      for _ in 0..<max(3, runs) {
        let t0 = now()
        _ = line.withUnsafeBytes { write(pfd, $0.baseAddress, $0.count) }
        fdatasync(pfd)
        syncs.append(now() - t0)
      }
      close(pfd)
      unlink(scratch)
    }
    put("fsyncFloor", median(syncs))

    // 5. A command-line write: open (warm), catch up, validate, append with fdatasync.
    var writes: [Double] = []
    var appendOnly: [Double] = []
    do {
      let (_, s0) = try LearningState.load(path: logPath, readOnly: true, cache: cache)
      var open = s0.actionList.filter { $0.status == .doing }.map(\.id)
      open.sort()
      for k in 0..<runs {
        guard k < open.count else { break }
        let target = open[k]
        // What `learnlog action done ID` does: open the workspace, perform the command.
        let t0 = now()
        let ws = try Workspace(
          path: logPath, privateStore: PrivateStore(directory: cacheDir + "/private"),
          cache: cache, lazy: true)
        ws.store.writerID = "bench-writer"
        let t1 = now()
        let day = Day(utcMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        let ctx = CommandContext(today: day, now: Int64(Date().timeIntervalSince1970 * 1000))
        try ws.perform(.finishAction(target), context: ctx)
        let t2 = now()
        precondition(ws.state.actions[target]?.status == .done)
        withExtendedLifetime(ws) {}
        writes.append(t2 - t0)
        appendOnly.append(t2 - t1)
      }
    }
    put("write", median(writes))
    put("writeAppend", median(appendOnly))

    // 5c. The real executable: `action done`, `incident list --limit 50`, `incident list`.
    if let executable {
      let (_, s0) = try LearningState.load(path: logPath, readOnly: true, lazy: true, cache: cache)
      var doing = s0.actionList.filter { $0.status == .doing }.map(\.id)
      doing.sort()
      let real = RealCommands(executable: executable, logPath: logPath, home: cacheDir + "/cli")
      for (k, v) in try real.measure(runs: runs, doing: Array(doing.dropFirst(runs))) {
        put(k, v)
      }
    }

    // 6. `incident list`, as the command line does it: open (warm), every incident newest
    //    first, short ids, one row each (or the first 50, as `task … limit:50 list`).
    var list50: [Double] = []
    var listAll: [Double] = []
    var shortIDTimes: [Double] = []
    let devnull = FileHandle(forWritingAtPath: "/dev/null")
    for _ in 0..<runs {
      for all in [false, true] {
        let t0 = now()
        let ws = try Workspace(
          path: logPath, readOnly: true,
          privateStore: PrivateStore(directory: cacheDir + "/private"), cache: cache, lazy: true)
        let state = ws.state
        // As `incident list` does: a lazy open, incidents without their answers, indices
        // sorted by keys taken once, short ids for the printed rows only.
        let incidents = state.incidentHeaders
        let keys = incidents.map { ($0.occurred.ordinal, $0.createdAt) }
        let order = incidents.indices.sorted { a, b in
          keys[a] != keys[b] ? keys[a] > keys[b] : a < b
        }
        var rows = order.map { incidents[$0] }
        if !all { rows = Array(rows.prefix(50)) }
        let ts = now()
        let short = ShortIDIndex(state)
        shortIDTimes.append(now() - ts)
        var out = ""
        out.reserveCapacity(rows.count * 120)
        for i in rows {
          out +=
            "\(short.shortID(i.id) ?? i.id)  \(i.occurred)  \(i.severity.rawValue)  \(i.kind.rawValue)  "
          out += "\(i.status.rawValue)  \(i.team)  \(i.title)\n"
        }
        devnull?.write(Data(out.utf8))
        if all { listAll.append(now() - t0) } else { list50.append(now() - t0) }
        withExtendedLifetime(ws) {}
      }
    }
    put("list50", median(list50))
    put("listAll", median(listAll))
    put("shortIDs", median(shortIDTimes))

    // 7. Keystrokes in the incidents list: handle the key, draw the frame.
    let (_, state) = try LearningState.load(path: logPath, readOnly: true, cache: cache)
    let ids = state.ids(of: .incident)
    put("incidents", Double(ids.count))
    let table = Self.table(state, ids)
    var list = ListState()
    var buffer = ScreenBuffer(size: Size(width: 120, height: 40))
    let height = TableView.bodyHeight(buffer.area)
    let keys: [Key] =
      Array(repeating: .down, count: 60) + [.pageDown, .pageDown, .end, .up]
      + Array(repeating: .pageUp, count: 5) + [.home] + Array(repeating: .down, count: 10)
    var keyTimes: [Double] = []
    for round in 0..<max(10, runs * 4) {
      for key in keys {
        let t0 = now()
        _ = list.handle(KeyEvent(key), count: ids.count, height: height)
        buffer = ScreenBuffer(size: buffer.size)
        table.render(into: &buffer, area: buffer.area, state: list)
        let t = now() - t0
        if round > 0 { keyTimes.append(t) }
      }
    }
    put("keyMedian", median(keyTimes))
    put("keyP99", percentile(keyTimes, 0.99))
    put("keyCount", Double(keyTimes.count))

    // 7b. The app itself: the incidents screen's first frame after a warm open (with what it
    //     derives on use: one pattern summary, short ids, the carry-over queue the header
    //     counts), and keys.
    var appFirst: [Double] = []
    var appContext: [Double] = []
    var appToday: [Double] = []
    var appTodayItems: [Double] = []
    for _ in 0..<max(1, min(runs, 3)) {
      let t0 = now()
      let (_, s) = try LearningState.load(path: logPath, readOnly: true, cache: cache)
      let t1 = now()
      var context = ViewContext(
        domain: s, today: Day(utcMilliseconds: 1_767_225_600_000), theme: .monochrome)
      context.revision = 1
      let t2 = now()
      var screen = IncidentsScreen.State()
      var frameBuffer = ScreenBuffer(size: Size(width: 120, height: 40))
      _ = IncidentsScreen.render(
        screen, context: context, into: &frameBuffer, area: frameBuffer.area)
      // The app's status line shows the size of the carry-over queue on every frame; it
      // counts the queue without building its items.
      let tq = now()
      _ = context.todayCount
      appFirst.append(now() - t0)
      appContext.append(t2 - t1)
      appToday.append(now() - tq)
      // The Today screen lists the queue's items (outside the incidents screen's first frame).
      let ti = now()
      _ = context.todayItems
      appTodayItems.append(now() - ti)
      // Keys on the screen: the first one fills the screen's row cache.
      var appKeys: [Double] = []
      for round in 0..<max(10, runs * 4) {
        for key in keys {
          let k0 = now()
          if let action = IncidentsScreen.action(for: KeyEvent(key), state: screen) {
            _ = IncidentsScreen.reduce(&screen, action, context: context)
          }
          frameBuffer = ScreenBuffer(size: frameBuffer.size)
          _ = IncidentsScreen.render(
            screen, context: context, into: &frameBuffer, area: frameBuffer.area)
          if round > 0 { appKeys.append(now() - k0) }
        }
      }
      put("appKeyMedian", median(appKeys))
      put("appKeyP99", percentile(appKeys, 0.99))
      withExtendedLifetime(context) {}
    }
    // 7c. The app as it starts: a warm open, the app's state, and its first frame (the Today
    //     tab it opens on: the carry-over queue's items, the header, the status line).
    var appStart: [Double] = []
    for _ in 0..<max(1, min(runs, 3)) {
      let t0 = now()
      let (_, s) = try LearningState.load(path: logPath, readOnly: true, cache: cache)
      let context = ViewContext(
        domain: s, today: Day(utcMilliseconds: 1_767_225_600_000), theme: .monochrome)
      let state = AppState(context: context, size: Size(width: 120, height: 40))
      var frame = Frame(size: state.size)
      AppModel().render(state, into: &frame)
      appStart.append(now() - t0)
      precondition(state.tab == .today)
      withExtendedLifetime(state) {}
    }
    put("appStart", median(appStart))
    put("appFirstFrame", median(appFirst))
    put("appContext", median(appContext))
    put("appToday", median(appToday))
    put("appTodayItems", median(appTodayItems))

    // 8. Search as you type, as the app's incidents list does it: every keystroke gives the
    //    list's rows (ids in order) for the query so far, over titles, what happened, teams,
    //    owners, tags, patterns and the latest answers. The first keystroke builds the index
    //    (reported apart); typing narrows the previous matches, a backspace scans again.
    let searchContext = ViewContext(
      domain: state, today: Day(utcMilliseconds: 1_767_225_600_000), theme: .monochrome)
    let t0 = now()
    let firstRows = IncidentQuery.rowIDs(
      searchContext, filter: IncidentFilter(), search: "c", sort: .date)
    put("searchIndex", now() - t0)
    precondition(!firstRows.isEmpty)
    var searchTimes: [Double] = []
    let typed = "config drift"
    for _ in 0..<runs {
      var q = ""
      for ch in typed {
        q.append(ch)
        let t = now()
        let rows = IncidentQuery.rowIDs(
          searchContext, filter: IncidentFilter(), search: q, sort: .date)
        searchTimes.append(now() - t)
        if q == "config" { precondition(!rows.isEmpty) }
      }
      for _ in 0..<3 {
        q.removeLast()
        let t = now()
        _ = IncidentQuery.rowIDs(searchContext, filter: IncidentFilter(), search: q, sort: .date)
        searchTimes.append(now() - t)
      }
      _ = IncidentQuery.rowIDs(searchContext, filter: IncidentFilter(), search: "", sort: .date)
    }
    put("searchMedian", median(searchTimes))
    put("searchMax", searchTimes.max() ?? .nan)
  }
}

/// Peak memory of one open, in a fresh process.
func memoryChild(mode: String, logPath: String, cacheDir: String) throws -> [(String, Double)] {
  let before = memoryStatus()
  switch mode {
  case "warm":
    let c = SnapshotCache(directory: cacheDir)
    let (_, state) = try LearningState.load(path: logPath, readOnly: true, cache: c)
    guard case .hit = c.lastUse else { throw BenchError("memory run missed the cache") }
    let ids = state.ids(of: .incident)
    var buffer = ScreenBuffer(size: Size(width: 120, height: 40))
    ChildMeasure.table(state, ids).render(into: &buffer, area: buffer.area, state: ListState())
    let after = memoryStatus()
    return [
      ("peak", Double(after.peak)), ("resident", Double(after.resident)),
      ("start", Double(before.resident)),
    ]
  case "legacy":
    let s = try LogStore.open(path: logPath, readOnly: true)
    let state = LearningState.replay(s.records)
    precondition(!state.incidents.isEmpty)
    let after = memoryStatus()
    return [
      ("peak", Double(after.peak)), ("resident", Double(after.resident)),
      ("start", Double(before.resident)),
    ]
  default:
    // Cold: no snapshot (a scratch cache directory), nothing written.
    let (_, state) = try LearningState.load(path: logPath, readOnly: true, cache: nil)
    precondition(!state.incidents.isEmpty)
    let after = memoryStatus()
    return [
      ("peak", Double(after.peak)), ("resident", Double(after.resident)),
      ("start", Double(before.resident)),
    ]
  }
}
