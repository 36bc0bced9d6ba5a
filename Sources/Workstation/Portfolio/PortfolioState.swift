import FurrowCore
import FurrowStore
import TerminalUI

/// The Portfolio screen's data: a keyset-paged list (pages load as the selection nears the
/// end, so any portfolio size scrolls the same), or search results while a query is typed,
/// and the row details of the rows that have been on screen.
struct PortfolioState {
    var view = PortfolioView()
    var rows: [CustomerSummary] = []
    var next: PortfolioCursor?
    var cursor = ListCursor()
    /// Non-nil while searching; the list then shows the hits.
    var query: String?
    var hits: [SearchHit] = []
    var details: [String: CustomerRowDetails] = [:]
    var error: String?
    /// The name of the saved view in use, if any.
    var viewName: String?

    var visible: [CustomerSummary] { query == nil ? rows : hits.map(\.customer) }

    /// How far G pages before it stops.
    static let endLimit = 20_000

    /// Re-reads the rows in `range` (and their details) in place.
    mutating func refresh(_ store: AppDatabase, range: Range<Int>, today: CalendarDate) {
        let r = range.clamped(to: 0..<rows.count)
        guard !r.isEmpty else { return }
        let ids = r.map { rows[$0].customerID }
        if let fresh = try? store.customerSummaries(ids: ids) {
            for i in r { if let f = fresh[rows[i].customerID] { rows[i] = f } }
        }
        for id in ids { details[id] = nil }
        loadDetails(store, range: r, today: today)
    }

    mutating func reload(_ store: AppDatabase, scope: PortfolioScope, today: CalendarDate) {
        rows = []
        next = nil
        details = [:]
        cursor = ListCursor()
        loadMore(store, scope: scope, today: today)
        loadDetails(store, range: 0..<60, today: today)
    }

    mutating func loadMore(_ store: AppDatabase, scope: PortfolioScope, today: CalendarDate) {
        guard query == nil, rows.isEmpty || next != nil else { return }
        do {
            let page = try store.portfolio(scope: scope, filter: view.filter, sort: view.sort, after: next, limit: 100, asOf: today)
            rows += page.rows
            next = page.next
            error = nil
        } catch {
            self.error = error.description
        }
    }

    mutating func runSearch(_ store: AppDatabase, today: CalendarDate) {
        guard let q = query else { return }
        do {
            hits = try store.search(q, limit: 200)
            cursor = ListCursor()
            // A frame shows at most a screenful; their details are one small query.
            loadDetails(store, range: 0..<60, today: today)
            error = nil
        } catch {
            self.error = error.description
        }
    }

    /// Reads the details of the rows on screen that have not been read yet (one query).
    mutating func loadDetails(_ store: AppDatabase, range: Range<Int>, today: CalendarDate) {
        let list = visible
        let ids = range.clamped(to: 0..<list.count).map { list[$0].customerID }.filter { details[$0] == nil }
        guard !ids.isEmpty, let d = try? store.rowDetails(customerIDs: ids, today: today) else { return }
        details.merge(d) { _, new in new }
    }
}
