import ArgumentParser
import Foundation
import FurrowCore
import FurrowStore

/// `furrow prospect`: people who are not customers yet, and the outreach days that found them.
struct ProspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prospect", abstract: "Prospects (潜在客户): add, list, show, move through the stages, match with new customers; outreach days.",
        subcommands: [Add.self, List.self, Show.self, Stage.self, Next.self, Match.self, Confirm.self, Outreach.self])

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "What you do next with a prospect, and by when (without --step: clears it).")
        @Argument(help: "The prospect ID.") var id: String
        @Option(help: "The next step, e.g. 约周六面谈.") var step: String?
        @Option(help: ArgumentHelp("By when.", valueName: "YYYY-MM-DD")) var due: CalendarDate?
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let day = due
            let store = try storeOptions.openExisting()
            do { try store.setProspectNextStep(id, step: step, due: day, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print(step.map { "\(id): \($0) by \(day?.iso ?? "")" } ?? "\(id): no next step")
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A new prospect (a mobile or an ID number is needed, to recognise them later).")
        @Option(help: "Their name.") var name: String
        @Option(help: "Mainland mobile.") var mobile: String?
        @Option(name: .customLong("id"), help: "Resident ID number.") var idNumber: String?
        @Option(help: "Village.") var village: String?
        @Option(help: "Employer.") var employer: String?
        @Option(help: "\(Prospect.Source.allCases.map(\.rawValue).joined(separator: ", ")).") var source: String
        @Option(help: "The customer who referred them (source referral).") var referrer: String?
        @Option(help: "The outreach day they were met on (furrow prospect outreach list).") var outreach: String?
        @Option(help: "What they are interested in.") var interest: String?
        @Option(help: "Their RM (default: you).") var owner: String?
        @Flag(help: "JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func validate() throws {
            guard Prospect.Source(rawValue: source) != nil else {
                throw ValidationError("--source must be one of \(Prospect.Source.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        func run() throws {
            let store = try storeOptions.openExisting()
            try StoreUnlock.ensure(store)   // the mobile and ID number are sealed as they are stored
            let p: Prospect
            do {
                p = try store.addProspect(name: name, mobile: mobile, idNumber: idNumber, village: village, employer: employer,
                                          source: Prospect.Source(rawValue: source)!, referrerID: referrer, outreachID: outreach,
                                          interest: interest, owner: owner ?? StorePaths.actor, by: StorePaths.actor)
            } catch { throw CLIError(error.description) }
            if json { try JSONOutput.print(ProspectJSON(p, opened: nil)) } else { print("\(p.prospectID)  \(p.name)  \(p.source.label)  owner \(p.ownerID)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prospects, newest first (mobiles masked unless --reveal, which is audited).")
        @Option(help: "Only this RM's.") var owner: String?
        @Option(help: "Only this stage: \(Prospect.Stage.allCases.map(\.rawValue).joined(separator: ", ")).") var stage: String?
        @Flag(help: "JSON.") var json = false
        @Flag(help: "Show mobiles and ID numbers (recorded in the audit trail).") var reveal = false
        @Flag(help: "Only those whose next step is due today or overdue, earliest first.") var due = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let wanted = try stage.map { s -> Prospect.Stage in
                guard let v = Prospect.Stage(rawValue: s) else { throw ValidationError("--stage: \(Prospect.Stage.allCases.map(\.rawValue).joined(separator: ", "))") }
                return v
            }
            let store = try storeOptions.openExisting()
            let all = due ? try store.prospectsDue(owner: owner, by: store.today) : try store.prospects(owner: owner, stage: wanted)
            var opened: [String: (mobile: String?, idNumber: String?)] = [:]
            if reveal {
                try StoreUnlock.ensure(store)
                do { opened = try store.revealProspects(all.map(\.prospectID), by: StorePaths.actor) } catch { throw CLIError(error.description) }
            }
            if json { try JSONOutput.print(all.map { ProspectJSON($0, opened: opened[$0.prospectID]) }); return }
            if all.isEmpty { print("no prospects"); return }
            for p in all {
                let j = ProspectJSON(p, opened: opened[p.prospectID])
                print("\(p.prospectID)  \(p.stage.label)  \(p.name)  \(j.mobile ?? "—")  \(p.source.rawValue)  owner \(p.ownerID)"
                      + (p.customerID.map { "  → \($0)" } ?? "") + (p.lostReason.map { "  (\($0))" } ?? "")
                      + (p.nextStep.map { "  next: \($0) by \(p.nextStepDue?.iso ?? "")" } ?? ""))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A prospect with their history and possible matches among the customers.")
        @Argument(help: "The prospect ID.") var id: String
        @Flag(help: "JSON.") var json = false
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            guard let d = try storeOptions.openExisting().prospect(id) else { throw CLIError("no prospect \(id) (furrow prospect list)") }
            let p = d.prospect, j = ProspectJSON(p, opened: nil)
            if json {
                struct Step: Encodable { var at, actor, to: String; var from, note: String? }
                struct Match: Encodable { var customerID, name, why: String }
                struct Detail: Encodable { var prospect: ProspectJSON; var history: [Step]; var possibleMatches: [Match] }
                try JSONOutput.print(Detail(prospect: j, history: d.history.map { Step(at: $0.at, actor: $0.actor, to: $0.to, from: $0.from, note: $0.note) },
                                     possibleMatches: d.possibleMatches.map { Match(customerID: $0.customerID, name: $0.name, why: $0.why) }))
                return
            }
            print("\(p.prospectID)  \(p.name)  \(p.stage.label)  \(j.mobile ?? "—")  \(p.village ?? "")  \(p.employer ?? "")")
            print("source \(p.source.label)" + (p.referrerID.map { " (referred by \($0))" } ?? "") + "  owner \(p.ownerID)"
                  + (p.interest.map { "  interest: \($0)" } ?? ""))
            for h in d.history { print("  \(h.at)  \(h.actor)  \(h.from ?? "—") → \(h.to)" + (h.note.map { "  \($0)" } ?? "")) }
            for m in d.possibleMatches {
                print("  may be customer \(m.customerID) \(m.name) (\(m.why)): furrow prospect confirm \(p.prospectID) \(m.customerID) --same|--different")
            }
        }
    }

    struct Stage: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a prospect on: contacted, meeting, opened, or lost (with --note saying why).")
        @Argument(help: "The prospect ID.") var id: String
        @Argument(help: "contacted, meeting, opened or lost.") var stage: String
        @Option(help: "A note (the reason, for lost).") var note: String?
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            guard let s = Prospect.Stage(rawValue: stage) else { throw ValidationError("stage: contacted, meeting, opened or lost") }
            let store = try storeOptions.openExisting()
            do { try store.advanceProspect(id, to: s, note: note, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(id): \(s.label)")
        }
    }

    struct Match: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert prospects the extracts now hold as customers (same ID number or mobile); list near matches for the RM (furrow nightly does it too).")
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            let store = try storeOptions.openExisting()
            try StoreUnlock.ensure(store)   // matching by ID number or mobile opens them
            let r: AppDatabase.ProspectMatchReport
            do { r = try store.matchProspects(by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print("\(r.converted) converted, \(r.possible) possible matches for the RM to confirm")
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether a possible match is the same person (--same converts the prospect).")
        @Argument(help: "The prospect ID.") var id: String
        @Argument(help: "The customer ID.") var customer: String
        @Flag(help: "The same person.") var same = false
        @Flag(help: "Someone else.") var different = false
        @OptionGroup var storeOptions: StoreOptions
        func validate() throws { guard same != different else { throw ValidationError("give --same or --different") } }
        func run() throws {
            let store = try storeOptions.openExisting()
            do { try store.confirmProspectMatch(id, customerID: customer, same: same, by: StorePaths.actor) } catch { throw CLIError(error.description) }
            print(same ? "\(id) is \(customer): converted" : "\(id) is not \(customer)")
        }
    }

    struct Outreach: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Outreach days: log one, list them.", subcommands: [Log.self, ListDays.self])
        struct Log: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "log", abstract: "An outreach day: where, when, who went, how many met.")
            @Option(help: "Where (a village, a market, an employer).") var place: String
            @Option(help: ArgumentHelp("The day.", valueName: "YYYY-MM-DD")) var day: CalendarDate
            @Option(help: "Who went, comma-separated staff IDs.") var staff: String
            @Option(help: "How many people they met.") var met: Int
            @Option(help: "A note.") var note: String?
            @OptionGroup var storeOptions: StoreOptions
            func run() throws {
                let d = day
                let store = try storeOptions.openExisting()
                let id: String
                do {
                    id = try store.logOutreach(place: place, on: d, staff: staff.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                               peopleMet: met, note: note, by: StorePaths.actor)
                } catch { throw CLIError(error.description) }
                print("\(id): add the people met with furrow prospect add --source outreach --outreach \(id)")
            }
        }
        struct ListDays: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "Outreach days, newest first.")
            @OptionGroup var storeOptions: StoreOptions
            func run() throws {
                for o in try storeOptions.openExisting().outreachLogs() {
                    print("\(o.id)  \(o.day)  \(o.place)  staff \(o.staff)  met \(o.met)  prospects \(o.prospects)")
                }
            }
        }
    }
}

struct ProspectJSON: Encodable {
    var prospectID, name, source, stage, ownerID, createdAt: String
    var mobile, idNumber, village, employer, referrerID, interest, lostReason, customerID, nextStep, nextStepDue: String?
    /// `opened`: the values a reveal opened; otherwise the masked forms.
    init(_ p: Prospect, opened: (mobile: String?, idNumber: String?)?) {
        prospectID = p.prospectID; name = p.name; source = p.source.rawValue; stage = p.stage.rawValue; ownerID = p.ownerID; createdAt = p.createdAt
        mobile = opened.map(\.mobile) ?? p.mobile.map(Masking.mobile)
        idNumber = opened.map(\.idNumber) ?? p.idNumber.map(Masking.residentID)
        village = p.village; employer = p.employer; referrerID = p.referrerID; interest = p.interest; lostReason = p.lostReason
        customerID = p.customerID; nextStep = p.nextStep; nextStepDue = p.nextStepDue?.iso
    }
}
