/// Every kind of change that travels between a workstation and the branch. The raw value is
/// the kind's name on the wire and in the stores (`outbox.kind`, `op_log.kind`,
/// `change_feed.kind`), so a case's raw value never changes once shipped.
///
/// Each case has one definition in FurrowStore (`OpKind.definition`, `Sources/FurrowStore/Ops/`):
/// its fields, which of them merge by clock, whose record it is (for scope), what an RM may
/// edit on a refused one, whether it carries a customer, who may send it, and its effect.
/// A kind the branch does not know (a newer workstation's) is refused per op as
/// `not_supported`, never dropped.
public enum OpKind: String, CaseIterable, Sendable, Codable {
    case interactionLog = "interaction.log"
    case interactionCorrect = "interaction.correct"
    case noteAdd = "note.add"
    case tagAdd = "tag.add"
    case tagRemove = "tag.remove"
    case taskCreate = "task.create"
    case taskComplete = "task.complete"
    case taskReschedule = "task.reschedule"
    case complaintFile = "complaint.file"
    case complaintReceived = "complaint.received"
    case complaintAssigned = "complaint.assigned"
    case complaintInProgress = "complaint.in_progress"
    case complaintResolved = "complaint.resolved"
    case complaintConfirmed = "complaint.confirmed"
    case complaintClosed = "complaint.closed"
    case preferencesSet = "preferences.set"
    case retentionOpen = "retention.open"
    case retentionAct = "retention.act"
    case retentionClose = "retention.close"
    case upgradeRequest = "upgrade.request"
    case upgradeApprove = "upgrade.approve"
    case upgradeReject = "upgrade.reject"
    case segmentOverride = "segment.override"
    case campaignJoin = "campaign.join"
    case campaignRespond = "campaign.respond"
    case campaignSatisfaction = "campaign.satisfaction"
    case profilePropose = "profile.propose"
    case profileDecide = "profile.decide"
    case reveal = "reveal"
    case prospectAdd = "prospect.add"
    case prospectStage = "prospect.stage"
    case prospectNext = "prospect.next"
    case prospectConfirm = "prospect.confirm"
    case prospectReveal = "prospect.reveal"
    case outreachLog = "outreach.log"

    /// The step of the complaint loop a complaint step's kind moves to.
    public static func complaintStep(_ to: ComplaintStatus) -> OpKind {
        switch to {
        case .received: .complaintReceived
        case .assigned: .complaintAssigned
        case .inProgress: .complaintInProgress
        case .resolved: .complaintResolved
        case .confirmed: .complaintConfirmed
        case .closed: .complaintClosed
        }
    }
}

extension SyncOp {
    /// The op's kind, when this build knows it (an op from a newer workstation may name one it does not).
    public var opKind: OpKind? { OpKind(rawValue: kind) }

    public init(opID: String, hlc: HLC, kind: OpKind, customerID: String?, recordID: String?, fields: [String: String],
                status: Status = .pending) {
        self.init(opID: opID, hlc: hlc, kind: kind.rawValue, customerID: customerID, recordID: recordID, fields: fields, status: status)
    }
}
