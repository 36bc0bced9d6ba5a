import Foundation
import FurrowCore
import Testing
@testable import FurrowStore

/// Every kind of change has one definition, and its declarations agree with one another (the
/// compiler asks for each declaration; these check what it cannot).
@Suite("Op kinds: one definition each, complete and consistent")
struct OpDefinitionTests {
    @Test("each kind's definition is its own, and names its kind by a name of the form family.verb", arguments: OpKind.allCases)
    func definitionIsTheKinds(_ kind: OpKind) {
        #expect(kind.definition.kind == kind, "\(kind.rawValue) is given \(kind.definition.kind.rawValue)'s definition")
        #expect(kind.rawValue.range(of: #"^[a-z]+(\.[a-z_]+)?$"#, options: .regularExpression) != nil, "\(kind.rawValue)")
    }

    @Test("each kind declares the fields it carries, and every field an RM may edit is one of them, no longer than it allows",
          arguments: OpKind.allCases)
    func editableFieldsAreFields(_ kind: OpKind) {
        let d = kind.definition
        #expect(!d.fields.isEmpty, "\(kind.rawValue) declares no fields")
        for e in d.editable {
            let rule = d.fields[e.field]
            #expect(rule != nil, "\(kind.rawValue): editable \(e.field) is not one of its fields")
            if case .text(let max, _)? = rule { #expect(e.maxLength <= max, "\(kind.rawValue).\(e.field): \(e.maxLength) > \(max)") }
            if case .day? = rule { #expect(e.check == .day, "\(kind.rawValue).\(e.field) is a day") }
            #expect(!e.label.isEmpty)
        }
    }

    /// An op with every declared field filled with a value its rule accepts.
    static func sample(_ kind: OpKind) -> SyncOp {
        var fields: [String: String] = [:]
        for (name, rule) in kind.definition.fields {
            fields[name] = switch rule {
            case .text: "x"
            case .oneOf(let values): values.first { !$0.isEmpty } ?? ""
            case .day: "2026-11-20"
            case .int(let range): String(range.lowerBound)
            case .flag: "1"
            case .ident: "S1"
            case .time: "2026-11-20 10:00"
            case .staffList: "S1,S2"
            case .quietHours: "22:00-07:00"
            }
        }
        let subject = kind.definition.subject
        return SyncOp(opID: "op-\(kind.rawValue)", hlc: HLC(wallMs: 1_764_000_000_000, node: "n1"), kind: kind,
                      customerID: subject.hasCustomer ? "C1" : nil, recordID: "R1", fields: fields)
    }

    @Test("a sample of every kind passes its own field rules; a field no kind of its declares is refused by name",
          arguments: OpKind.allCases)
    func rulesAcceptTheirOwnSample(_ kind: OpKind) throws {
        var op = Self.sample(kind)
        try OpFieldRule.check(op, against: kind.definition)
        op.fields["not_a_field"] = "x"
        do {
            try OpFieldRule.check(op, against: kind.definition)
            Issue.record("\(kind.rawValue): a field it does not declare was accepted")
        } catch let refusal as OpEffects.Refusal {
            #expect(refusal.code == "bad_fields" && refusal.reason.contains("not_a_field: not a field of a \(kind.rawValue) change"),
                    "\(refusal.reason)")
        }
    }

    @Test("each kind's typed payload reads exactly the fields its rules declare, and writes back what it read",
          arguments: OpKind.allCases)
    func payloadMatchesRules(_ kind: OpKind) throws {
        let d = kind.definition
        let sample = Self.sample(kind).fields
        #expect(try d.payloadFields(reading: sample) == Set(d.fields.keys), "\(kind.rawValue): payload and rules name different fields")
        #expect(try d.rewritten(sample) == sample, "\(kind.rawValue): a field is lost or changed between the text and the payload")
    }

    @Test("a payload refuses a missing required field and a value not of its type by the field's name")
    func payloadRefusals() throws {
        var op = Self.sample(.taskCreate)
        op.fields["due_on"] = nil
        do {
            _ = try TaskCreate().typed(op)
            Issue.record("a task without its day was read")
        } catch let refusal as OpEffects.Refusal {
            #expect(refusal.code == "bad_fields" && refusal.reason.hasPrefix("due_on: missing"), "\(refusal.reason)")
        }
        op = Self.sample(.taskCreate)
        op.fields["priority"] = "high"
        do {
            _ = try TaskCreate().typed(op)
            Issue.record("a priority of words was read")
        } catch let refusal as OpEffects.Refusal {
            #expect(refusal.reason.hasPrefix("priority: not a whole number"), "\(refusal.reason)")
        }
        var log = Self.sample(.interactionLog)
        log.fields["channel"] = "pigeon"
        #expect(throws: OpEffects.Refusal.self) { try InteractionLog(kind: .interactionLog).typed(log) }
        #expect(OpFields.wireName("outreachID") == "outreach_id" && OpFields.wireName("dueOn") == "due_on"
                && OpFields.wireName("campaignCapacity") == "campaign_capacity")
    }

    @Test("the fields that merge by clock are fields the kind writes, on a record of its subject")
    func clockedFieldsAreDeclared() {
        for kind in OpKind.allCases {
            let op = Self.sample(kind)
            for c in kind.definition.clocked(op) {
                #expect(!c.record.isEmpty && !c.field.isEmpty, "\(kind.rawValue): \(c)")
                let onSubject = c.record.hasSuffix(":C1") || c.record.hasSuffix(":R1")
                #expect(onSubject, "\(kind.rawValue): clock on \(c.record), not on its customer or record")
            }
        }
        // The kinds that merge by clock, and only they (a new one must say so here too).
        let merging = Set(OpKind.allCases.filter { !$0.definition.clocked(Self.sample($0)).isEmpty })
        #expect(merging == [.tagAdd, .tagRemove, .taskReschedule, .preferencesSet, .segmentOverride, .complaintReceived,
                            .complaintAssigned, .complaintInProgress, .complaintResolved, .complaintConfirmed, .complaintClosed,
                            .prospectNext])
    }

    @Test("a kind whose fields hold a mobile, an ID number or a profile value is sealed at rest; ops without a customer are the prospect and outreach kinds")
    func personalDataSealedAndSubjects() {
        for kind in OpKind.allCases {
            let names = Set(kind.definition.fields.keys)
            if !names.isDisjoint(with: ["mobile", "id_number", "value", "old"]) {
                #expect(kind.definition.sealedAtRest, "\(kind.rawValue) carries personal data in clear")
            }
        }
        #expect(OpKind.sealedAtRest == ["profile.propose", "prospect.add"])
        #expect(Set(OpKind.withoutCustomer) == [.prospectAdd, .prospectStage, .prospectNext, .prospectConfirm, .prospectReveal, .outreachLog])
        for kind in OpKind.withoutCustomer { #expect(kind.rawValue.hasPrefix("prospect.") || kind.rawValue.hasPrefix("outreach.")) }
    }

    @Test("decisions and launches are sent by those who decide: the branch refuses them from an RM, by the kind's declaration")
    func decidersDeclared() throws {
        let deciders = OpKind.allCases.filter { if case .deciders = $0.definition.senders { true } else { false } }
        #expect(Set(deciders) == [.upgradeApprove, .upgradeReject, .profileDecide, .campaignJoin])
        let branch = try AppDatabase.inMemory(clock: testClock)
        let rm = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东")
        for kind in deciders {
            let answer = try #require(try branch.applyOps([Self.sample(kind)], user: rm).first)
            #expect(answer.code == "not_allowed", "\(kind.rawValue): \(answer)")
        }
    }

    @Test("a kind this build does not know is refused per op as not_supported, with nothing in it to edit")
    func unknownKind() throws {
        let branch = try AppDatabase.inMemory(clock: testClock)
        var op = Self.sample(.noteAdd)
        op.kind = "note.shout"
        let answer = try #require(try branch.applyOps([op], user: AppDatabase.UserRef(staffID: "S1", role: .rm, team: nil)).first)
        #expect(answer.status == .rejected && answer.code == "not_supported", "\(answer)")
        #expect(EditableOpField.fields(ofKind: "note.shout").isEmpty)
        #expect(op.opKind == nil)
    }
}
