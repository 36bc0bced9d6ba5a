import FurrowCore
import GRDB

extension AppDatabase {
    /// Customers and AUM per tier in a scope, every tier listed (zero when empty).
    public func tierSummary(scope: PortfolioScope) throws(StoreError) -> [(Tier, Int, Money)] {
        var sql = "SELECT tier, count(*), sum(aum_fen) FROM customers"
        var args: [(any DatabaseValueConvertible)?] = []
        switch scope {
        case .rm(let id): sql += " WHERE rm_id = ?"; args.append(id)
        case .team(let t): sql += " WHERE rm_id IN (SELECT staff_id FROM staff WHERE team = ?)"; args.append(t)
        case .branch: break
        }
        sql += " GROUP BY tier"
        let finalSQL = sql, finalArgs = StatementArguments(args)
        let rows = try read { db in try Row.fetchAll(db, sql: finalSQL, arguments: finalArgs) }
        var by: [String: (Int, Int64)] = [:]
        for r in rows { by[r[0] ?? "mass"] = (r[1], r[2] ?? 0) }
        return Tier.allCases.map { t in (t, by[t.rawValue]?.0 ?? 0, Money(fen: by[t.rawValue]?.1 ?? 0)) }
    }
}
