import Foundation
import FurrowCore
import GRDB

/// Everything about one kind of change, in one place. The branch checks a pushed op's fields
/// against `fields`, authorises it by `subject` and `senders`, and applies `apply`; a
/// workstation applies a pulled op through the same `apply`, and the RM's own write builds its
/// op from the same typed `Payload` and applies it through the same `apply` too. Adding a kind:
/// a case in `OpKind`, a type conforming to this protocol with its `Payload` (a file of its
/// own, or beside its family in `Ops/Kinds/`), and its line in `OpKind.definition` — the
/// compiler asks for each declaration, and `OpDefinitionTests` checks they agree with one
/// another (the payload reads exactly the fields the rules declare).
protocol OpDefinition: Sendable {
    /// The op's fields, typed: read from the text the op carries (`OpFields`), one property per
    /// field (`dueOn` is the field `due_on`); a required one missing is refused by name.
    associatedtype Payload: OpPayload
    var kind: OpKind { get }
    /// Whose it is: the branch authorises it, and a pull applies it, by this.
    var subject: OpSubject { get }
    /// Who may send it, beyond having the subject in scope.
    var senders: OpSenders { get }
    /// What an RM may change in a refused one before sending it again (empty: resubmit or discard).
    var editable: [EditableOpField] { get }
    /// Its fields kept sealed wherever the op waits or is logged (they hold personal data).
    var sealedAtRest: Bool { get }
    /// The fields it writes that merge by clock, as (record, field, value).
    func clocked(_ op: TypedOp<Payload>) -> [ClockedField]
    /// What it does to a store. `actor`: who wrote the op (the author, the owner).
    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect
}

/// A kind's typed fields, with what each must hold as text on the wire.
protocol OpPayload: Codable, Sendable {
    /// Each field (by its wire name) with its rule. A field outside these is refused by name
    /// (`bad_fields`), so a client cannot store what no form would write.
    static var rules: [String: OpFieldRule] { get }
}

/// An op with its fields read as its kind's payload.
struct TypedOp<Payload: OpPayload>: Sendable {
    /// The op as it travels (its id, clock stamp, customer, record and text fields).
    let sync: SyncOp
    let payload: Payload

    var recordID: String? { sync.recordID }
    var customerID: String? { sync.customerID }
    var hlc: HLC { sync.hlc }
    /// When it was stamped: a record's time when its payload has none.
    var stamped: Date { sync.hlc.date }
    var kind: String { sync.kind }
}

extension OpDefinition {
    /// The fields it carries, each with what it must hold.
    var fields: [String: OpFieldRule] { Payload.rules }

    /// `op` with its fields read as this kind's payload; a field missing or not of its type is
    /// refused by name.
    func typed(_ op: SyncOp) throws -> TypedOp<Payload> {
        TypedOp(sync: op, payload: try OpFields.decode(Payload.self, from: op.fields, kind: op.kind))
    }

    /// Applies `op` as it travels (its fields as text).
    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        try apply(db, typed(op), actor: actor)
    }

    /// The fields `op` writes that merge by clock (none when its fields do not read as this kind's).
    func clocked(_ op: SyncOp) -> [ClockedField] {
        (try? typed(op)).map { clocked($0) } ?? []
    }

    /// The fields its payload asks for while reading `fields` (the payload and the rules must name the same).
    func payloadFields(reading fields: [String: String]) throws -> Set<String> {
        try OpFields.fieldsRead(by: Payload.self, from: fields)
    }

    /// `fields` read as its payload and written back as text.
    func rewritten(_ fields: [String: String]) throws -> [String: String] {
        try OpFields.encode(OpFields.decode(Payload.self, from: fields, kind: kind.rawValue))
    }

    /// No field of this kind merges by clock.
    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] { [] }
}

/// A field that merges by clock (last writer wins): its record and name, and the value an op writes.
struct ClockedField: Equatable {
    var record: String
    var field: String
    var value: String
}

/// Whose an op is, for the branch's scope and for a pull.
enum OpSubject: Sendable, Equatable {
    /// The customer the op names, in scope of their RM (and that RM's lead). `afterMove`: a
    /// log written on a device that had not yet heard the customer moved is still accepted.
    case customer(afterMove: Bool)
    /// An existing record of a customer (a task, a complaint, a case …): `ownerQuery` finds the
    /// record's customer from the op's record id (`?`), which must be the customer the op names.
    case customerRecord(ownerQuery: String)
    /// A prospect: scoped by its owner. It names no customer.
    case prospect
    /// An outreach day: the branch's, seen by those who logged it or went. It names no customer.
    case outreach

    /// Whether the op names a customer (a pull applies it only where that customer is held).
    var hasCustomer: Bool {
        switch self {
        case .customer, .customerRecord: true
        case .prospect, .outreach: false
        }
    }
}

/// Who may send an op whose subject is in their scope.
enum OpSenders: Sendable {
    /// Anyone whose scope holds the subject.
    case anyoneInScope
    /// Only a team lead, the president or an administrator (`what`: what they decide, for the refusal).
    case deciders(String)
    /// A check of the kind's own (a task for someone else, a campaign's header).
    case checked(@Sendable (Database, SyncOp, AppDatabase.UserRef) throws -> Void)
}

extension OpKind {
    /// The kind's definition. One line per kind: the switch is exhaustive, so a kind without one
    /// does not build.
    var definition: any OpDefinition {
        switch self {
        case .interactionLog: InteractionLog(kind: .interactionLog)
        case .interactionCorrect: InteractionLog(kind: .interactionCorrect)
        case .noteAdd: NoteAdd()
        case .tagAdd: TagChange(kind: .tagAdd)
        case .tagRemove: TagChange(kind: .tagRemove)
        case .taskCreate: TaskCreate()
        case .taskComplete: TaskComplete()
        case .taskReschedule: TaskReschedule()
        case .complaintFile: ComplaintFile()
        case .complaintReceived: ComplaintStep(to: .received)
        case .complaintAssigned: ComplaintStep(to: .assigned)
        case .complaintInProgress: ComplaintStep(to: .inProgress)
        case .complaintResolved: ComplaintStep(to: .resolved)
        case .complaintConfirmed: ComplaintStep(to: .confirmed)
        case .complaintClosed: ComplaintStep(to: .closed)
        case .preferencesSet: PreferencesSet()
        case .retentionOpen: RetentionOpen()
        case .retentionAct: RetentionAct()
        case .retentionClose: RetentionClose()
        case .upgradeRequest: UpgradeRequest()
        case .upgradeApprove: UpgradeDecision(kind: .upgradeApprove)
        case .upgradeReject: UpgradeDecision(kind: .upgradeReject)
        case .segmentOverride: SegmentOverride()
        case .campaignJoin: CampaignJoin()
        case .campaignRespond: CampaignRespond()
        case .campaignSatisfaction: CampaignSatisfaction()
        case .profilePropose: ProfilePropose()
        case .profileDecide: ProfileDecide()
        case .reveal: Reveal()
        case .prospectAdd: ProspectAdd()
        case .prospectStage: ProspectStage()
        case .prospectNext: ProspectNext()
        case .prospectConfirm: ProspectConfirm()
        case .prospectReveal: ProspectReveal()
        case .outreachLog: OutreachLog()
        }
    }

    /// The kinds that name no customer (prospects and outreach days).
    static let withoutCustomer: [OpKind] = allCases.filter { !$0.definition.subject.hasCustomer }
    /// The kinds whose fields are sealed at rest.
    static let sealedAtRest: Set<String> = Set(allCases.filter { $0.definition.sealedAtRest }.map(\.rawValue))
}
