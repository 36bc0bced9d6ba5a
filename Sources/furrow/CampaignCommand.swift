import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

/// `furrow campaign`: campaigns with a precise target, their lists with the rules applied.
struct CampaignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign", abstract: "Campaigns: create one with its target, build its list (who is in, who is left off and why).",
        subcommands: [Create.self, List.self, Build.self, Show.self, Launch.self, Respond.self, Satisfaction.self, Report.self, Attribute.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new campaign (a draft until launched).")
        @Option(help: "Its name, e.g. 中秋关怀.") var name: String
        @Option(help: "product_push, care, event or outreach.") var kind: Campaign.Kind
        @Option(help: ArgumentHelp("First day.", valueName: "YYYY-MM-DD")) var from: CalendarDate
        @Option(help: ArgumentHelp("Last day.", valueName: "YYYY-MM-DD")) var to: CalendarDate
        @Option(name: .customLong("where"), help: ArgumentHelp(
            "The target, e.g. \"tier=wealth,affluent aum>=200000 maturing<=30 not-holding=fund age=45-70 village=青山村\"; keys: tier, segment, value, kind, village, tag, risk, age, payroll, not-holding, aum>=, aum<, maturing<=, no-contact>="))
        var target: String = ""
        @Option(help: "Product codes the push offers, comma-separated.") var products: String?
        @Option(help: "The service item it delivers (1–9; e.g. 9 private-club events).") var serviceItem: Int?
        @Option(help: "An event's venue.") var venue: String?
        @Option(help: "An event's time, YYYY-MM-DD HH:MM.") var at: String?
        @Option(help: "An event's seats; who accepts beyond them waits on a list.") var capacity: Int?
        @Flag(help: "Print the campaign as JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            if let s = serviceItem, ServiceItem(rawValue: s) == nil { throw ValidationError("--service-item must be 1 to 9") }
        }

        func run() throws {
            let parsed: CampaignTarget
            do { parsed = try CampaignTarget.parse(target) } catch { throw CLIError(error.description) }
            let store = try storeOptions.openExisting()
            let c: Campaign
            do {
                c = try store.createCampaign(name: name, kind: kind, startsOn: from, endsOn: to,
                                             products: products?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [],
                                             target: parsed, serviceItem: serviceItem.flatMap(ServiceItem.init(rawValue:)),
                                             venue: venue, eventAt: at, capacity: capacity, by: StorePaths.actor)
            } catch { throw CLIError(error.description) }
            if json { try JSONOutput.print(CampaignJSON(c)) } else {
                print("\(c.campaignID)  \(c.name)  \(c.kind.label)  \(c.startsOn.iso)…\(c.endsOn.iso)")
                print("target: \(c.target.text.isEmpty ? "everyone in the branch" : c.target.text)")
                print("next: furrow campaign build \(c.campaignID)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every campaign, newest first.")
        @Flag(help: "JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let all: [Campaign]
            do { all = try storeOptions.openExisting().campaigns() } catch let e as StoreError { throw CLIError(e.description) }
            if json { try JSONOutput.print(all.map(CampaignJSON.init)); return }
            if all.isEmpty { print("no campaigns yet: furrow campaign create --help") }
            for c in all {
                print("\(c.campaignID)  \(c.status.rawValue)  \(c.kind.rawValue)  \(c.startsOn.iso)…\(c.endsOn.iso)  \(c.name)  [\(c.target.text)]")
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a draft campaign's list: the target, then the rules (contact caps, service plan, product suitability).")
        @Argument(help: "The campaign ID.") var id: String
        @Option(help: ArgumentHelp("The day the rules are applied on (default: today).", valueName: "YYYY-MM-DD")) var asOf: CalendarDate?
        @Flag(help: "JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var rules: RulesOptions

        func run() throws {
            let config = try rules.load()
            let store = try storeOptions.openExisting()
            let day = asOf ?? store.today
            let list: AppDatabase.CampaignList
            do { list = try store.buildCampaignList(id, rules: config, asOf: day, by: StorePaths.actor) } catch {
                throw CLIError(error.description)
            }
            let summary = ListSummary(list)
            if json { try JSONOutput.print(summary); return }
            print("\(id): \(summary.targeted) targeted, \(summary.excluded) excluded")
            for (reason, n) in summary.excludedBy.sorted(by: { $0.key < $1.key }) {
                print("  excluded \(n): \(CampaignExclusion(rawValue: reason)?.label ?? reason)")
            }
            for (rm, n) in summary.byRM.sorted(by: { $0.key < $1.key }) { print("  RM \(rm): \(n)") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A campaign and its kept list (customer, RM, excluded with the reason).")
        @Argument(help: "The campaign ID.") var id: String
        @Flag(help: "JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            guard let c = try store.campaign(id) else { throw CLIError("no campaign \(id) (furrow campaign list)") }
            let members = try store.campaignMembers(id)
            if json {
                try JSONOutput.print(CampaignDetailJSON(campaign: CampaignJSON(c), members: members.map {
                    MemberJSON(customerID: $0.customerID, rmID: $0.rmID, excluded: $0.excluded?.rawValue)
                }))
                return
            }
            print("\(c.campaignID)  \(c.name)  \(c.kind.label)  \(c.status.rawValue)  \(c.startsOn.iso)…\(c.endsOn.iso)  owner \(c.ownerID)")
            print("target: \(c.target.text.isEmpty ? "everyone" : c.target.text)"
                  + (c.products.isEmpty ? "" : "  products: \(c.products.joined(separator: ","))")
                  + (c.serviceItem.map { "  service item \($0.rawValue) \($0.label)" } ?? ""))
            if members.isEmpty { print("no list yet: furrow campaign build \(id)"); return }
            for m in members {
                print("\(m.customerID)  \(m.rmID ?? "—")" + (m.excluded.map { "  excluded: \($0.label)" } ?? ""))
            }
        }
    }
}

extension CampaignCommand {
    struct Launch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Launch: a contact task for every customer on the list, in their RM's Today queue (a task already due in the period is used).")
        @Argument(help: "The campaign ID.") var id: String
        @Option(help: ArgumentHelp("Launch day (default: today); tasks are due from then or the campaign's first day.", valueName: "YYYY-MM-DD"))
        var asOf: CalendarDate?
        @Flag(help: "JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            let day = asOf ?? store.today
            let s: AppDatabase.LaunchSummary
            do { s = try store.launchCampaign(id, asOf: day, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            if json { try JSONOutput.print(s); return }
            print("\(id) launched: \(s.total) contacts (\(s.linked) were already in a queue)")
            for (rm, n) in s.created.sorted(by: { $0.key < $1.key }) { print("  RM \(rm): \(n) new tasks") }
        }
    }

    struct Respond: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what a contact came to (and log it on the customer's timeline).")
        @Argument(help: "The campaign ID.") var id: String
        @Argument(help: "The customer ID.") var customer: String
        @Argument(help: "\(CampaignResponse.allCases.map(\.rawValue).joined(separator: ", ")).") var response: String
        @Option(help: "call, visit, wechat, sms, counter or event (default: call).") var channel = "call"
        @Option(help: "What was said.") var note: String?
        @Option(help: "When the contact was, YYYY-MM-DD HH:MM (default: now).") var at: String?
        @OptionGroup var storeOptions: StoreOptions
        func validate() throws {
            guard CampaignResponse(rawValue: response) != nil else {
                throw ValidationError("response must be one of \(CampaignResponse.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard InteractionChannel(rawValue: channel) != nil else {
                throw ValidationError("--channel must be one of \(InteractionChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        func run() throws {
            let store = try storeOptions.openExisting()
            do {
                try store.recordCampaignResponse(id, customerID: customer, response: CampaignResponse(rawValue: response)!,
                                                 channel: InteractionChannel(rawValue: channel)!, note: note, at: at, by: StorePaths.actor)
            } catch { throw CLIError(error.description) }
            var line = "\(customer): \(CampaignResponse(rawValue: response)!.label)"
            if let seats = try? store.eventSeats(id), seats.capacity != nil {
                if seats.waitlisted.contains(customer) { line += " · 候补 on the waiting list (\(seats.waitlisted.firstIndex(of: customer)! + 1))" }
                if seats.seated.contains(customer) { line += " · 有座 seated" }
            }
            print(line)
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The funnel, overall and per RM (also `furrow report campaign --id ID`).")
        @Argument(help: "The campaign ID.") var id: String
        @Option(help: "table, csv or json.") var format: ReportCommand.Format = .table
        @OptionGroup var storeOptions: StoreOptions
        func run() throws { try CampaignCommand.printReport(id, format: format, store: try storeOptions.openExisting()) }
    }

    struct Satisfaction: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How satisfied an attendee of an event was, 1 to 5.")
        @Argument(help: "The campaign ID.") var id: String
        @Argument(help: "The customer ID.") var customer: String
        @Argument(help: "1 (very unhappy) to 5 (very happy).") var score: Int
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.recordEventSatisfaction(id, customerID: customer, score: score, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(customer): \(score)/5")
        }
    }

    struct Attribute: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Credit what contacted customers bought (later extracts) to the campaign whose contact came last (furrow nightly does it too).")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var rules: RulesOptions
        func run() throws {
            let config = try rules.load()
            let r: AppDatabase.AttributionReport
            let store = try storeOptions.openExisting()
            do { r = try store.attributeCampaigns(rules: config, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(r.conversions) conversions, ¥\(Money(fen: r.amountFen).formatted()) to \(r.campaigns) campaigns "
                  + "(window \(config.campaignAttributionDays) days, last touch wins)")
        }
    }

    static func printReport(_ id: String, format: ReportCommand.Format, store: AppDatabase) throws {
        let report: FurrowStore.Report
        do { report = try store.campaignReport(id) } catch { throw CLIError(error.description) }
        switch format {
        case .json: print(String(decoding: try report.json(), as: UTF8.self))
        case .csv: print(report.csv, terminator: "")
        case .table: print(ReportText.render(report))
        }
    }
}

struct CampaignJSON: Encodable {
    var campaignID, name, kind, startsOn, endsOn, ownerID, target, status: String
    var products: [String]
    var serviceItem: Int?
    init(_ c: Campaign) {
        campaignID = c.campaignID; name = c.name; kind = c.kind.rawValue; startsOn = c.startsOn.iso; endsOn = c.endsOn.iso
        ownerID = c.ownerID; target = c.target.text; status = c.status.rawValue; products = c.products; serviceItem = c.serviceItem?.rawValue
    }
}

struct MemberJSON: Encodable { var customerID: String; var rmID: String?; var excluded: String? }
struct CampaignDetailJSON: Encodable { var campaign: CampaignJSON; var members: [MemberJSON] }

struct ListSummary: Encodable {
    var targeted: Int
    var excluded: Int
    var excludedBy: [String: Int]
    var byRM: [String: Int]
    init(_ l: AppDatabase.CampaignList) {
        targeted = l.targeted.count; excluded = l.excluded.count
        excludedBy = Dictionary(uniqueKeysWithValues: l.exclusionCounts.map { ($0.key.rawValue, $0.value) })
        byRM = l.byRM
    }
}
