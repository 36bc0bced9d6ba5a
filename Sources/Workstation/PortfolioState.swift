import FurrowCore
import FurrowStore

/// The Portfolio screen's state: a keyset-paged list (pages load as the selection nears the
/// end, so any portfolio size scrolls the same), or search results while a query is typed.
public struct PortfolioState {
    public var scope: PortfolioScope
    public var rows: [CustomerSummary] = []
    public var next: PortfolioCursor?
    public var selected = 0
    public var top = 0
    /// Non-nil while searching; the list then shows the hits.
    public var query: String?
    public var hits: [SearchHit] = []
    public var message: String?

    public init(scope: PortfolioScope) { self.scope = scope }

    public var visible: [CustomerSummary] { query == nil ? rows : hits.map(\.customer) }

    mutating func loadMore(_ store: AppDatabase) {
        guard query == nil, rows.isEmpty || next != nil else { return }
        do {
            let page = try store.portfolio(scope: scope, after: next, limit: 100)
            rows += page.rows
            next = page.next
        } catch {
            message = error.description
        }
    }

    mutating func runSearch(_ store: AppDatabase) {
        guard let q = query else { return }
        do {
            hits = try store.search(q, limit: 200)
            selected = 0
            top = 0
        } catch {
            message = error.description
        }
    }

    /// Moves the selection by `delta`, keeping it on screen in a list `height` rows tall.
    mutating func move(_ delta: Int, height: Int, store: AppDatabase) {
        let count = visible.count
        guard count > 0 else { return }
        selected = max(0, min(count - 1, selected + delta))
        if query == nil, selected >= rows.count - 10, next != nil { loadMore(store) }
        if selected < top { top = selected }
        if selected >= top + height { top = selected - height + 1 }
    }
}
