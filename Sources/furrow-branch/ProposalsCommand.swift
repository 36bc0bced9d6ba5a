import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

/// `furrow-branch proposals`: profile corrections RMs proposed, for a lead or an admin to decide.
struct Proposals: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Profile corrections (a new mobile or address) RMs proposed: list, accept, reject.",
        subcommands: [List.self, Accept.self, Reject.self])

    struct List: ParsableCommand {
        @Option(help: "The branch's store.") var store: String
        @Option(help: "pending (default), accepted, rejected or all.") var status = "pending"
        @Option(help: "Only this customer's.") var customer: String?
        @Flag(help: "CSV on standard output (for the core system's team).") var csv = false
        @Flag(help: "Show mobiles and addresses unmasked (recorded in the audit trail).") var reveal = false
        @Option(help: "Who reveals (staff ID), for the audit trail.") var by: String?

        func run() throws {
            let wanted: ProfileProposal.Status?
            if status == "all" { wanted = nil } else {
                guard let s = ProfileProposal.Status(rawValue: status) else {
                    throw ValidationError("--status: pending, accepted, rejected or all, not \"\(status)\"")
                }
                wanted = s
            }
            if reveal && by == nil { throw ValidationError("--reveal needs --by STAFF_ID: revealing is recorded") }
            let db = try Branch.storage(store)
            let list = try db.proposals(status: wanted, customerID: customer, limit: 500, inClear: reveal && by != nil)
            if reveal, let by {
                guard try db.staff().contains(where: { $0.staffID == by }) else {
                    throw ValidationError("--by \(by): not a staff member of this branch")
                }
                try db.recordReveal(customerIDs: Array(Set(list.map(\.customerID))).sorted(), by: by,
                                    context: "furrow-branch proposals list --reveal", onBranch: true)
            }
            func show(_ p: ProfileProposal, _ v: String?) -> String { reveal ? (v ?? "") : ProfileProposal.display(p.field, v) }
            if csv {
                print("proposal_id,customer_id,field,old_value,new_value,reason,proposed_by,proposed_at,status,decided_by,decided_at,note,core")
                func q(_ s: String?) -> String { "\"" + (s ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                for p in list {
                    print([p.proposalID, p.customerID, p.field.rawValue, show(p, p.oldValue), show(p, p.newValue), p.reason ?? "",
                           p.proposedBy, p.proposedAt, p.status.rawValue, p.decidedBy ?? "", p.decidedAt ?? "", p.decisionNote ?? "",
                           p.core?.rawValue ?? ""].map(q).joined(separator: ","))
                }
                return
            }
            if list.isEmpty { print("no \(wanted.map { "\($0.rawValue) " } ?? "")proposals"); return }
            for p in list {
                var line = "\(p.proposalID)  \(p.customerID)  \(p.field.rawValue)  \(show(p, p.oldValue)) → \(show(p, p.newValue))"
                line += "  by \(p.proposedBy) \(p.proposedAt)  \(p.status.rawValue)"
                if let d = p.decidedBy { line += " by \(d)" }
                if let c = p.core { line += " (core: \(c.rawValue))" }
                if let r = p.reason { line += "\n    why: \(r)" }
                if let n = p.decisionNote { line += "\n    decision: \(n)" }
                print(line)
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accept a correction: the branch's copy changes, workstations get it at their next sync.")
        @Argument(help: "The proposal's id (from `proposals list`).") var id: String
        @Option(help: "The branch's store.") var store: String
        @Option(help: "Who decides: a team lead, the president or an administrator (staff ID), never the proposer.") var by: String
        @Option(help: "A note for the record.") var note: String?
        func run() throws { try Proposals.decide(store: store, id: id, accept: true, note: note, by: by) }
    }

    struct Reject: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a correction, saying why (the proposer sees it).")
        @Argument(help: "The proposal's id (from `proposals list`).") var id: String
        @Option(help: "The branch's store.") var store: String
        @Option(help: "Who decides (staff ID), never the proposer.") var by: String
        @Option(help: "Why it is rejected.") var reason: String
        func run() throws { try Proposals.decide(store: store, id: id, accept: false, note: reason, by: by) }
    }

    static func decide(store: String, id: String, accept: Bool, note: String?, by: String) throws {
        let db = try Branch.storage(store)
        let result: OpResult
        do { result = try db.decideProposalAtBranch(id, accept: accept, note: note, by: by) } catch { throw ValidationError(error.description) }
        guard result.status == .applied else {
            FileHandle.standardError.write(Data("\(id): not \(accept ? "accepted" : "rejected"): \(result.reason ?? result.code ?? "")\n".utf8))
            throw ExitCode(1)
        }
        print("\(id) \(accept ? "accepted" : "rejected"); workstations get it at their next sync")
    }
}
