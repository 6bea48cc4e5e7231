/// A realistic demo log: incidents across kinds and teams, reviews, actions in every state,
/// a pattern on its third occurrence, lessons and experiments.
public enum DemoData {
  /// The shared records of the demo, oldest first.
  ///
  /// Each body carries its `at` time, so the log looks weeks old whenever it is written;
  /// ids come from `seed`.
  public static func drafts(today: Day, seed: UInt64 = 7) throws -> [RecordDraft] {
    var b = Builder(today: today, seed: seed)
    return try b.build()
  }

  struct Builder {
    let today: Day
    var gen: EntityIDGenerator<SeededGenerator>
    var state = LearningState()
    var out: [RecordDraft] = []
    var counter = 0

    init(today: Day, seed: UInt64) {
      self.today = today
      self.gen = EntityIDGenerator(rng: SeededGenerator(seed: seed))
    }

    /// Plans `command` as of `daysAgo`, stamps it, applies it; returns the new id.
    @discardableResult
    mutating func run(_ daysAgo: Int, _ who: String, _ command: Command) throws -> String {
      let day = today.adding(days: -daysAgo)
      var g = gen
      let ctx = CommandContext(
        today: day, now: day.utcMilliseconds + 10 * 3_600_000 + Int64(counter) * 60_000,
        author: who, makeID: { g.next() })
      let plan = try state.plan(command, context: ctx)
      gen = g
      for d in plan.shared {
        counter += 1
        let at = day.utcMilliseconds + 9 * 3_600_000 + Int64(counter) * 60_000
        var body = d.body.objectValue ?? [:]
        body["at"] = .int(Int(at))
        let draft = RecordDraft(
          type: d.type, schema: d.schema, entity: d.entity, body: .object(body))
        out.append(draft)
        let pad = String(counter)
        state.apply(
          Record(
            id: EventID(
              rawValue: "demo-" + String(repeating: "0", count: max(0, 8 - pad.count)) + pad),
            clock: HybridTimestamp(wall: at, logical: 0), writer: "demo", type: draft.type,
            schema: 1, entity: draft.entity, body: draft.body))
      }
      return plan.createdID ?? ""
    }

    func day(_ daysAgo: Int) -> String { today.adding(days: -daysAgo).description }

    mutating func review(
      _ days: Int, _ who: String, _ id: String, _ pairs: [(String, String)], template: String? = nil
    ) throws {
      try run(
        days, who,
        .review(
          incident: id, template: template,
          answers: pairs.map { ReviewAnswer(key: $0.0, value: $0.1) }))
    }

    mutating func build() throws -> [RecordDraft] {
      // deploy/config-drift: three occurrences within 90 days.
      let drift1 = try run(
        80, "maya",
        .addIncident(
          NewIncident(
            title: "Checkout errors after deploy: config drift between regions",
            what:
              "The eu region kept an old feature-flag file; 4% of checkouts failed for 40 minutes.",
            kind: "production", severity: "high", team: "platform", owner: "maya",
            tags: ["deploy", "config"], triggers: ["over-confidence"],
            patterns: ["deploy/config-drift"], occurred: day(80))))
      try review(
        79, "maya", drift1,
        [
          ("expected", "Every region gets the same config with the deploy."),
          ("assumption", "The deploy pipeline syncs config files to every region."),
          ("evidence", "The pipeline dashboard was green for all regions."),
          ("changed", "A manual hotfix in eu a month earlier pinned the old file."),
          ("root-cause", "Config is copied per region and nothing compares the copies."),
          ("gap", "tooling"),
          ("hypothesis", "A config checksum check after deploy would catch drift."),
        ])
      let a1 = try run(
        79, "maya",
        .addAction(
          NewAction(
            incident: drift1, title: "Add a post-deploy config checksum check", owner: "omar",
            due: day(65), review: day(50), type: "detect",
            signal: "The check fails the deploy when regions differ.")))
      try run(66, "omar", .startAction(a1))
      try run(64, "omar", .finishAction(a1))
      try run(
        50, "maya",
        .verifyAction(a1, outcome: "verified", evidence: "Caught a drift in staging on day 3."))

      let drift2 = try run(
        45, "omar",
        .addIncident(
          NewIncident(
            title: "Config drift again: payments region missed a secret rotation",
            what: "The checksum check skipped secrets; payments kept an expired key for 2 hours.",
            kind: "production", severity: "critical", team: "payments", owner: "lena",
            tags: ["deploy", "config", "secrets"], triggers: ["over-confidence"],
            patterns: ["deploy/config-drift"], occurred: day(45))))
      try review(
        44, "lena", drift2,
        [
          ("expected", "Secret rotation reaches every region."),
          ("assumption", "The checksum check covers every config file."),
          ("evidence", "It had caught one drift, so we trusted it."),
          ("changed", "Secrets moved to a separate store the check does not read."),
          ("root-cause", "The check covers files, not the secret store."),
          ("gap", "process"),
          ("why-fix-failed", "Our fix checked one kind of config; the drift moved to another."),
        ])
      let a2 = try run(
        44, "lena",
        .addAction(
          NewAction(
            incident: drift2, title: "Extend the check to the secret store", owner: "omar",
            due: day(30), review: day(14), type: "prevent",
            signal: "No region serves a secret older than the rotation.")))
      try run(30, "omar", .finishAction(a2))
      try run(
        14, "lena",
        .verifyAction(a2, outcome: "ineffective", evidence: "A stale key was found on day 10."))

      let drift3 = try run(
        4, "maya",
        .addIncident(
          NewIncident(
            title: "Feature flags differ between canary and main after rollback",
            what:
              "Rollback restored code but not flags; the canary served a half-finished feature.",
            kind: "production", severity: "medium", team: "platform", owner: "maya",
            tags: ["deploy", "flags"], triggers: ["over-confidence"],
            patterns: ["deploy/config-drift"], occurred: day(4))))
      try review(
        3, "maya", drift3,
        [
          ("assumption", "Rollback restores the whole release."),
          ("evidence", "Rollback docs say so."),
        ])
      try run(
        2, "maya",
        .addExperiment(
          NewExperiment(
            incident: drift3, pattern: "deploy/config-drift",
            hypothesis: "One declarative config source per release stops drift.",
            change: "Render every region's config from one versioned source.",
            criteria: "Zero drift findings over 4 weeks of deploys.", check: day(-26))))

      // The fast write path that lost data in rare cases.
      let cache = try run(
        60, "sam",
        .addIncident(
          NewIncident(
            title: "Write-behind cache sped up saves but lost edits in rare cases",
            what:
              "Saves got 5x faster; when a node restarted within 2 s of a save, the edit was lost. 31 users affected.",
            kind: "production", severity: "critical", team: "mobile", owner: "sam",
            tags: ["cache", "data-loss", "performance"],
            triggers: ["over-confidence", "ambiguous-metrics"],
            patterns: ["data/lost-writes"], occurred: day(60))))
      try review(
        58, "sam", cache,
        [
          ("assumption", "Restarts are rare enough that a 2 s window does not matter."),
          ("evidence", "Latency dashboards improved; nothing measured lost writes."),
          ("confidence", "high"),
          ("alternatives", "Write-through with batching; a durable queue."),
          ("changed", "Autoscaling started restarting nodes every few minutes at peak."),
          ("missed-signal", "Support tickets about 'my edit vanished' rose in week one."),
          (
            "root-cause",
            "Acknowledging a save before it was durable, in a fleet that restarts often."
          ),
          ("gap", "context"),
        ], template: "decision-card")
      let a3 = try run(
        57, "sam",
        .addAction(
          NewAction(
            incident: cache, title: "Acknowledge saves only after the durable write", owner: "sam",
            due: day(40), review: day(20), type: "prevent",
            signal: "Zero lost-write reports for a month.")))
      try run(41, "sam", .finishAction(a3))
      try run(
        20, "sam",
        .verifyAction(
          a3, outcome: "verified", evidence: "No lost writes in 3 weeks; p95 save still 2x faster.")
      )
      let a4 = try run(
        57, "ana",
        .addAction(
          NewAction(
            incident: cache, title: "Add a lost-write counter to the save dashboard", owner: "ana",
            due: day(45), review: day(30), type: "detect",
            signal: "The counter is on the dashboard and alerts above 0.")))
      try run(44, "ana", .finishAction(a4))
      try run(
        18, "sam",
        .addLesson(
          NewLesson(
            text:
              "A speed-up that acknowledges work before it is durable trades speed for silent data loss; measure the loss, not just the latency.",
            incidents: [cache], teams: ["mobile", "platform"],
            tags: ["cache", "data-loss", "performance"],
            patterns: ["data/lost-writes"], revalidate: day(-60))))

      // estimate/hidden-dependency: two occurrences.
      let late = try run(
        70, "lena",
        .addIncident(
          NewIncident(
            title: "Missed the partner API launch date by three weeks",
            what: "The partner's sandbox needed a security review nobody had planned for.",
            kind: "deadline", severity: "high", team: "payments", owner: "lena",
            tags: ["launch", "partner"], triggers: ["missed-deadline", "handoff-breakdown"],
            patterns: ["estimate/hidden-dependency"], occurred: day(70))))
      try review(
        68, "lena", late,
        [
          ("expected", "Launch on the date agreed with the partner."),
          ("happened", "Three weeks late, waiting for their security review."),
          ("difference", "The review was a dependency outside our plan."),
          ("sustain", "Weekly partner syncs."),
          ("improve", "List external approvals in the estimate."),
          ("root-cause", "External approvals were not part of the estimate."),
          ("gap", "process"),
        ], template: "aar")
      let a5 = try run(
        68, "lena",
        .addAction(
          NewAction(
            incident: late, title: "Add an 'external approvals' line to the estimate template",
            owner: "lena",
            due: day(55), review: day(25), type: "process",
            signal: "Next two estimates list approvals.")))
      try run(56, "lena", .finishAction(a5))
      try run(
        25, "lena", .verifyAction(a5, outcome: "unknown", evidence: "Only one estimate since."))
      let search = try run(
        21, "ana",
        .addIncident(
          NewIncident(
            title: "Search migration took three times the estimate",
            what: "The old index fed a reporting job we did not know about.",
            kind: "estimate", severity: "medium", team: "data", owner: "ana",
            tags: ["migration", "estimate"], triggers: ["staff-turnover"],
            patterns: ["estimate/hidden-dependency"], occurred: day(21))))
      try review(
        19, "ana", search,
        [
          ("problem", "Migration took 6 weeks instead of 2."),
          ("why-1", "A reporting job read the old index."),
          ("why-2", "Nobody on the team knew the job existed."),
          ("why-3", "Its author left last year."),
          ("why-4", "Consumers of the index are not listed anywhere."),
          ("why-5", "We have no inventory of data consumers."),
          ("root-cause", "No inventory of who reads our data."),
          ("gap", "context"),
          (
            "why-fix-failed",
            "The approvals line covers external approvals, not internal consumers."
          ),
        ], template: "five-whys")
      let a6 = try run(
        19, "ana",
        .addAction(
          NewAction(
            incident: search, title: "Build an inventory of data consumers", owner: "ana",
            due: day(5), type: "prevent", signal: "Every index lists its readers.")))
      try run(15, "ana", .startAction(a6))
      try run(
        18, "ana",
        .addExperiment(
          NewExperiment(
            incident: search, pattern: "estimate/hidden-dependency",
            hypothesis: "A 30-minute dependency walk before estimating halves the overrun.",
            change: "Walk the dependency map with someone from each neighbouring team.",
            criteria: "Overrun under 50% on the next three estimates.", check: day(1))))
      let earlyExp = try run(
        66, "lena",
        .addExperiment(
          NewExperiment(
            incident: late,
            hypothesis: "Asking partners for their approval steps in week one avoids surprises.",
            criteria: "No unplanned approvals in the next partner launch.", check: day(30))))
      try run(
        29, "lena",
        .decideExperiment(
          earlyExp, decision: "adopt", result: "The next partner listed two approvals up front."))

      // One of each other kind.
      let handoff = try run(
        35, "omar",
        .addIncident(
          NewIncident(
            title: "On-call hand-off lost context on the billing alert",
            what:
              "The alert fired twice overnight; the morning shift did not know it was already being handled.",
            kind: "handoff", severity: "medium", team: "platform", owner: "omar", tags: ["on-call"],
            triggers: ["handoff-breakdown"], patterns: ["handoff/missing-context"],
            occurred: day(35))))
      try review(
        34, "omar", handoff,
        [
          ("expected", "The next shift knows what is in progress."),
          ("assumption", "The chat channel carries enough context."),
          ("evidence", "It usually had."),
          ("changed", "Two alerts overlapped and the thread split."),
          ("root-cause", "Hand-off relies on reading a busy channel."),
          ("gap", "process"),
        ])
      let a7 = try run(
        34, "omar",
        .addAction(
          NewAction(
            incident: handoff, title: "Hand-off note template for open alerts", owner: "omar",
            due: day(10), type: "process", signal: "Each shift change has a note.")))
      _ = a7
      let comms = try run(
        28, "lena",
        .addIncident(
          NewIncident(
            title: "Pricing change announced before support was briefed",
            what: "Support learned about the change from customers; 12 accounts churned that week.",
            kind: "communication", severity: "high", team: "payments", owner: "lena",
            tags: ["pricing", "support"], triggers: ["customer-churn"], occurred: day(28))))
      try review(
        27, "lena", comms,
        [
          ("root-cause", "Launch checklists had no step for support."),
          ("gap", "process"),
        ])
      let a8 = try run(
        27, "lena",
        .addAction(
          NewAction(
            incident: comms, title: "Add support briefing to the launch checklist", owner: "lena",
            due: day(20), type: "process", signal: "Support confirms briefing before each launch."))
      )
      try run(
        21, "lena",
        .dropAction(a8, reason: "Replaced by the company-wide launch process owned by ops."))
      let a8b = try run(
        21, "lena",
        .addAction(
          NewAction(
            incident: comms, title: "Review the company launch process for support steps",
            owner: "lena",
            due: day(-10), type: "process", signal: "Support step present.")))
      _ = a8b
      let near = try run(
        12, "sam",
        .addIncident(
          NewIncident(
            title: "Cleanup script nearly deleted a production bucket",
            what:
              "A dry-run flag defaulted to off; a reviewer noticed the bucket name in the plan output.",
            kind: "near-miss", severity: "high", team: "data", owner: "sam",
            tags: ["scripts", "storage"],
            triggers: ["over-confidence"], patterns: ["ops/unguarded-script"], occurred: day(12))))
      _ = near
      let metrics = try run(
        16, "ana",
        .addIncident(
          NewIncident(
            title: "Dashboard averages hid a churn spike in one segment",
            what: "Overall retention looked flat while small-business churn doubled.",
            kind: "other", severity: "medium", team: "data", owner: "ana", tags: ["metrics"],
            triggers: ["ambiguous-metrics"], occurred: day(16))))
      try review(
        15, "ana", metrics,
        [("root-cause", "Only blended averages were charted."), ("gap", "tooling")])
      let a9 = try run(
        15, "ana",
        .addAction(
          NewAction(
            incident: metrics, title: "Chart retention per segment", owner: "ana", due: day(8),
            review: day(2), type: "detect", signal: "Segment churn visible on the dashboard.")))
      try run(8, "ana", .finishAction(a9))
      let model = try run(
        25, "maya",
        .addIncident(
          NewIncident(
            title: "Risk model scored the new market too leniently",
            what: "Approval rates in the new market were 20 points above plan.",
            kind: "production", severity: "high", team: "data", owner: "maya", tags: ["model"],
            triggers: ["new-market", "wrong-assumption"], patterns: ["model/unvalidated-market"],
            occurred: day(25))))
      try review(
        23, "maya", model,
        [
          ("root-cause", "The model was trained on one market and used in another."),
          ("gap", "context"),
        ])
      try run(
        23, "maya",
        .addAction(
          NewAction(
            incident: model, title: "Shadow-score new markets for two weeks before launch",
            owner: "maya",
            due: day(-5), type: "prevent", signal: "Shadow results reviewed before each launch.")))
      let report = try run(
        9, "lena",
        .addIncident(
          NewIncident(
            title: "Compliance report late after the team changed",
            what: "The report's steps lived in one person's notes.", kind: "deadline",
            severity: "low",
            team: "payments", owner: "lena", tags: ["compliance"],
            triggers: ["staff-turnover", "budget-scrutiny"],
            occurred: day(9))))
      try review(8, "lena", report, [("root-cause", "Undocumented runbook."), ("gap", "capacity")])
      try run(
        6, "omar",
        .addLesson(
          NewLesson(
            text: "A check protects only what it reads: when the config moves, move the check.",
            incidents: [drift1, drift2], teams: ["platform", "payments"],
            tags: ["config", "deploy"],
            patterns: ["deploy/config-drift"], revalidate: day(-30))))
      try run(
        40, "lena",
        .addLesson(
          NewLesson(
            text: "List every approval and every reader of our data before estimating.",
            incidents: [late], teams: ["payments", "data"], tags: ["estimate", "launch"],
            patterns: ["estimate/hidden-dependency"], revalidate: day(1))))
      try followThrough(drift1: drift1, drift2: drift2, cache: cache)
      try closeTheLoop(cache: cache, handoff: handoff, near: near)
      return out
    }

    /// The loop closed: the rollback as a mitigation that has reached its end day, the patch
    /// tested by an adopted experiment, an experiment on a non-escalated incident, a scheduled
    /// review and a win.
    mutating func closeTheLoop(cache: String, handoff: String, near: String) throws {
      let rollback = try run(
        59, "sam",
        .addAction(
          NewAction(
            incident: cache, title: "Roll back to write-through saves until the patch holds",
            owner: "sam", due: day(59), type: "mitigate",
            signal: "No lost writes while the patch is built.", until: day(3))))
      try run(59, "sam", .finishAction(rollback))
      try run(
        45, "sam",
        .verifyAction(rollback, outcome: "verified", evidence: "No lost writes while rolled back."))
      let patch = try run(
        50, "sam",
        .addExperiment(
          NewExperiment(
            incident: cache, hypothesis: "Acknowledging after the durable write keeps every edit.",
            change: "The durable-acknowledgement patch behind a flag for 10% of users.",
            criteria: "Zero lost writes and p95 save under 300 ms for two weeks.",
            check: day(25))))
      try run(
        24, "sam",
        .decideExperiment(
          patch, decision: "adopt", result: "Zero lost writes; p95 save 210 ms. Rolled out to all.")
      )
      try run(
        30, "omar",
        .addExperiment(
          NewExperiment(
            incident: handoff,
            hypothesis: "A written note per open alert keeps context across shifts.",
            change: "Each shift ends with a two-line note per open alert.",
            criteria: "No duplicated alert handling for four weeks.", check: day(-5))))
      try run(
        1, "omar",
        .scheduleReview(
          NewReviewSchedule(
            incident: near, on: day(-2), facilitator: "lena", participants: ["omar", "ana"])))
      try run(
        12, "maya",
        .addWin(
          NewWin(
            title: "Zero-downtime migration of the orders database", team: "platform",
            people: ["omar", "maya"])))
    }

    /// What the reviews led to: factors, timelines, a revised template, revised checklists.
    mutating func followThrough(drift1: String, drift2: String, cache: String) throws {
      for (text, gap) in [
        ("Acknowledged saves before the durable write", "process"),
        ("No metric counted lost writes, only latency", "tooling"),
        ("Autoscaling restarts nodes far more often than at launch", "context"),
      ] {
        try run(58, "sam", .addFactor(NewFactor(incident: cache, text: text, gap: gap)))
      }
      for (at, kind, text, link) in [
        ("09:10", "note", "Write-behind cache enabled for all saves", ""),
        ("15:40", "detected", "Support: three users report vanished edits", ""),
        ("16:05", "escalated", "Paged the mobile on-call", ""),
        ("16:30", "mitigated", "Write-behind turned off by flag", "https://flags.example.com/wb"),
        ("17:00", "resolved", "Lost edits restored from the client queue", ""),
      ] {
        try run(
          58, "sam",
          .addTimelineEntry(
            NewTimelineEntry(incident: cache, at: at, text: text, kind: kind, link: link)))
      }
      try run(
        44, "lena",
        .addFactor(
          NewFactor(
            incident: drift2, text: "Secrets moved out of the checked files", gap: "context")))
      try run(
        44, "lena",
        .addFactor(
          NewFactor(
            incident: drift2, text: "The check's scope was never written down", gap: "process")))
      try run(
        44, "lena",
        .addTimelineEntry(
          NewTimelineEntry(
            incident: drift2, at: "07:30", text: "Payments errors start", kind: "detected")))
      try run(
        44, "lena",
        .addTimelineEntry(
          NewTimelineEntry(
            incident: drift2, at: "09:30", text: "Key rotated by hand", kind: "resolved")))
      try run(
        78, "maya",
        .addTemplate(
          name: "release-retro", title: "Release retro",
          questions: [
            Question(key: "expected", prompt: "What was the release meant to change?"),
            Question(key: "changed", prompt: "What changed besides the code?"),
            ReviewTemplate.rootCause, ReviewTemplate.gapQuestion,
          ], team: "platform", because: drift1))
      try run(
        43, "lena",
        .changeTemplate(
          TemplateChange(
            name: "release-retro",
            set: [
              Question(
                key: "unchecked", prompt: "Which config, secret or flag did no check cover?")
            ], because: drift2)))
      try run(
        78, "maya",
        .addChecklist(
          NewChecklist(
            name: "before a deploy",
            items: ["Config checksums match in every region", "Rollback plan names the flags"],
            team: "platform", because: drift1)))
      try run(
        43, "lena",
        .reviseChecklist(
          name: "before-a-deploy", add: ["Secret store versions match in every region"],
          remove: [], because: drift2))
      try run(
        56, "sam",
        .addChecklist(
          NewChecklist(
            name: "before enabling write-behind caches",
            items: [
              "Measure how many writes a restart can lose", "Count lost writes, not only latency",
              "Agree the loss window with the product owner",
            ], kind: "criteria", team: "mobile", because: cache)))
    }
  }
}
