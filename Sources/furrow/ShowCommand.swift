import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore
import TerminalUI

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a customer's 360° profile: identity, household, holdings, AUM trend, transactions, contacts, tasks.")

    @Argument(help: "The customer ID, e.g. C00000042.")
    var customerID: String

    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Show ID number, phone and address unmasked (recorded in the audit trail).")
    var reveal = false

    func run() throws {
        let store = try storeOptions.openExisting()
        let found: CustomerProfile?
        do {
            found = try store.profile(customerID: customerID)
        } catch { throw CLIError(error.description) }
        guard var p = found else {
            throw CLIError("no customer \(customerID) in \(storeOptions.path); find one with `furrow search NAME`")
        }
        let age = p.customer.birthDate?.age(on: store.today)
        if reveal {
            try StoreUnlock.ensure(store)
            do {
                if let opened = try store.reveal(customerIDs: [p.customer.customerID], by: StorePaths.actor, context: "cli show")[p.customer.customerID] {
                    (p.customer.idNumber, p.customer.mobile, p.customer.address) = (opened.idNumber, opened.mobile, opened.address)
                }
            } catch { throw CLIError(error.description) }
        } else {
            p.customer.idNumber = p.customer.idNumber.map { Masking.idNumber($0, type: p.customer.idType) }
            p.customer.mobile = p.customer.mobile.map(Masking.mobile)
            p.customer.address = p.customer.address.map(Masking.address)
            // The birth date is digits 7–14 of the resident ID: showing it would undo the mask.
            p.customer.birthDate = nil
        }
        if json { try JSONOutput.print(p); return }
        print(ProfileText.render(p, age: age))
        if !reveal { print("\n(ID, phone and address masked; --reveal shows them and is audited)") }
    }
}

/// The 360° profile as text, section by section.
enum ProfileText {
    static func render(_ p: CustomerProfile, age: Int?) -> String {
        let c = p.customer
        var out: [String] = []
        out.append("\(c.name)  \(c.customerID)  \(c.kind.label)  \(p.tier.label)  AUM ¥\(p.aum.formatted())"
                   + (p.aumMonth.map { " (\($0) avg)" } ?? ""))
        var id: [String] = []
        if let g = c.gender { id.append(g == .male ? "男" : "女") }
        if let b = c.birthDate { id.append("born \(b.iso)") }
        if let age { id.append("age \(age)") }
        if let n = c.idNumber { id.append("ID \(n)") }
        if let m = c.mobile { id.append("mobile \(m)") }
        if !id.isEmpty { out.append(id.joined(separator: "  ")) }
        var more: [String] = []
        if let v = c.village { more.append("village \(v)") }
        if let a = c.address { more.append("address \(a)") }
        if let o = c.occupation { more.append("occupation \(o)") }
        if let e = c.employer { more.append("employer \(e)") }
        if !more.isEmpty { out.append(more.joined(separator: "  ")) }
        var risk: [String] = []
        if let r = c.riskLevel { risk.append("risk \(r.rawValue)" + (c.riskAssessedOn.map { " assessed \($0.iso)" } ?? "")) }
        if let ch = c.acquisitionChannel { risk.append("acquired via \(ch.rawValue)") }
        if !c.flags.isEmpty { risk.append("flags \(c.flags.joined(separator: ","))") }
        if let rm = p.rmID { risk.append("RM \(rm)" + (p.rmName.map { " \($0)" } ?? "")) }
        if let lc = p.lastContactAt { risk.append("last contact \(lc)") }
        if !risk.isEmpty { out.append(risk.joined(separator: "  ")) }
        if !p.tags.isEmpty { out.append("tags: " + p.tags.joined(separator: ", ")) }

        if !p.household.isEmpty {
            out.append("\nHousehold and relations")
            var t = TextTable(columns: [.init("relation"), .init("customer"), .init("name"), .init("tier"), .init("AUM ¥", alignRight: true)])
            for r in p.household {
                let rel = r.thisCustomerIsSubject ? "\(c.name) is \(r.relation.label) of" : r.relation.label
                t.append([rel, r.customerID, r.name, r.tier.label, r.aum.formatted()])
            }
            out.append(t.render())
        }
        if !p.holdings.isEmpty || !p.liabilities.isEmpty {
            out.append("\nHoldings")
            var t = TextTable(columns: [.init("account"), .init("product", maxWidth: 20), .init("type"),
                                        .init("balance ¥", alignRight: true), .init("matures"), .init("status")])
            for h in p.holdings + p.liabilities {
                t.append([h.account.accountID, h.product.name, h.product.type.label, h.account.balance.formatted(),
                          h.account.maturityDate?.iso ?? "", h.account.status.rawValue])
            }
            out.append(t.render())
        }
        if !p.aumByMonth.isEmpty {
            out.append("\nAUM by month (average)")
            let values = p.aumByMonth.map(\.aumAverage.fen)
            out.append(Sparkline.render(values) + "  " + p.aumByMonth.first!.month + " … " + p.aumByMonth.last!.month
                       + "  ¥" + p.aumByMonth.first!.aumAverage.formattedWan() + " → ¥" + p.aumByMonth.last!.aumAverage.formattedWan())
        }
        if !p.upcomingInstalments.isEmpty {
            out.append("\nLoan instalments due")
            for l in p.upcomingInstalments.prefix(3) {
                let (due, overflow) = l.principal.fen.addingReportingOverflow(l.interest.fen)
                out.append("  \(l.dueDate.iso)  \(l.accountID)  ¥" + (overflow ? "?" : Money(fen: due).formatted()))
            }
        }
        if !p.recentTransactions.isEmpty {
            out.append("\nRecent transactions")
            var t = TextTable(columns: [.init("posted"), .init("kind"), .init("amount ¥", alignRight: true), .init("counterparty", maxWidth: 24)])
            for x in p.recentTransactions.prefix(10) {
                t.append([x.postedAt, x.kind.rawValue, x.amount.formatted(),
                          [x.counterpartyName, x.counterpartyBank].compactMap { $0 }.joined(separator: " ")])
            }
            out.append(t.render())
        }
        if !p.interactions.isEmpty {
            out.append("\nContacts")
            for i in p.interactions.prefix(10) {
                out.append("  \(i.at)  \(i.channel.label)  \(i.purpose ?? "")  \(i.outcome ?? "")")
            }
        }
        if !p.tasks.isEmpty {
            out.append("\nTasks")
            for t in p.tasks.prefix(10) { out.append("  \(t.dueOn.iso)  [\(t.status.rawValue)]  \(t.title)") }
        }
        if !p.complaints.isEmpty {
            out.append("\nComplaints")
            for x in p.complaints { out.append("  \(x.receivedAt)  \(x.severity.rawValue)  \(x.category ?? "")  \(x.status)") }
        }
        if !p.notes.isEmpty {
            out.append("\nNotes")
            for n in p.notes.prefix(10) { out.append("  \(n.at)  \(n.text)") }
        }
        if p.assignments.count > 1 {
            out.append("\nRM history: " + p.assignments.map { "\($0.since.iso) \($0.staffID)" }.joined(separator: " → "))
        }
        // Data from an extract may hold control characters; they must not reach the terminal.
        return out.map { $0.split(separator: "\n", omittingEmptySubsequences: false)
            .map { DisplayWidth.sanitized(String($0)) }.joined(separator: "\n") }.joined(separator: "\n")
    }
}
