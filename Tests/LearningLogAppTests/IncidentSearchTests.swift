import LearningLog
import LearningLogApp
import Testing

/// The list's rows for a search, the straightforward way: every incident checked, then sorted.
private func reference(
  _ context: ViewContext, filter: IncidentFilter, search: String, sort: IncidentSort
) -> [String] {
  let hits = context.domain.incidentList.filter {
    filter.matches($0) && IncidentQuery.matches($0, search: search)
  }
  let byID = Set(hits.map(\.id))
  // The unsearched list has the order; the search keeps a subsequence of it.
  return IncidentQuery.rowIDs(context, filter: filter, search: "", sort: sort).filter {
    byID.contains($0)
  }
}

@Test func searchAsYouTypeGivesTheSameRowsAsCheckingEveryIncident() throws {
  var context = try ScreensFixture.context()
  context.revision = 1
  let incidents = context.domain.incidentList
  #expect(incidents.count >= 10)
  // Queries typed a character at a time, then erased: each keystroke narrows or widens.
  let words = ["config", "Drift", "deploy", "ROOT", "é", "runbook", " cache ", "zzz-none"]
  var checked = 0
  for sort in IncidentSort.allCases {
    for filter in [
      IncidentFilter(), IncidentFilter(status: "open"),
      IncidentFilter(severity: "high"),
    ] {
      for word in words {
        var q = ""
        var typed: [String] = []
        for ch in word {
          q.append(ch)
          typed.append(q)
        }
        for query in typed + typed.reversed() {
          let rows = IncidentQuery.rowIDs(context, filter: filter, search: query, sort: sort)
          #expect(
            rows == reference(context, filter: filter, search: query, sort: sort),
            "\(query) \(sort) \(filter.summary)")
          checked += 1
        }
      }
    }
  }
  // Something was found, and something was not.
  #expect(
    !IncidentQuery.rowIDs(context, filter: IncidentFilter(), search: "config", sort: .date).isEmpty)
  #expect(
    IncidentQuery.rowIDs(context, filter: IncidentFilter(), search: "zzz-none", sort: .date).isEmpty
  )
  print("incident search: \(checked) keystrokes compared with a full check")
}
