import Foundation

/// A correction of a customer's core-banking data (a new mobile, a new address) that an RM
/// saw in the field. Core data flows from the core system only, so the correction is a
/// proposal: a team lead or an admin accepts or rejects it, and an accepted one is carried
/// until the core's own extract shows it.
public struct ProfileProposal: Hashable, Sendable, Codable {
    public enum Field: String, Sendable, Codable, CaseIterable {
        case mobile, address
        public var label: String {
            switch self {
            case .mobile: "手机 mobile"
            case .address: "地址 address"
            }
        }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, accepted, rejected
        public var label: String {
            switch self {
            case .pending: "待审 pending"
            case .accepted: "已接受 accepted"
            case .rejected: "已拒绝 rejected"
            }
        }
    }

    /// Where an accepted correction stands with the core system's extracts.
    public enum CoreState: String, Sendable, Codable {
        /// The extracts still carry the old value: the branch keeps applying the correction.
        case waiting
        /// An extract carries the new value: the core has it.
        case inCore = "in_core"
        /// An extract carries a third value: the core changed it since, and the core wins.
        case overridden
    }

    public var proposalID: String
    public var customerID: String
    public var field: Field
    public var oldValue: String?
    public var newValue: String
    public var reason: String?
    public var proposedBy: String
    public var proposedAt: String
    public var status: Status
    public var decidedBy: String?
    public var decidedAt: String?
    public var decisionNote: String?
    public var core: CoreState?

    public init(proposalID: String, customerID: String, field: Field, oldValue: String?, newValue: String, reason: String?,
                proposedBy: String, proposedAt: String, status: Status = .pending, decidedBy: String? = nil,
                decidedAt: String? = nil, decisionNote: String? = nil, core: CoreState? = nil) {
        self.proposalID = proposalID; self.customerID = customerID; self.field = field; self.oldValue = oldValue
        self.newValue = newValue; self.reason = reason; self.proposedBy = proposedBy; self.proposedAt = proposedAt
        self.status = status; self.decidedBy = decidedBy; self.decidedAt = decidedAt; self.decisionNote = decisionNote
        self.core = core
    }

    /// The value as shown by default: masked like every other mobile and address.
    public static func display(_ field: Field, _ value: String?) -> String {
        guard let value, !value.isEmpty else { return "—" }
        return switch field {
        case .mobile: Masking.mobile(value)
        case .address: Masking.address(value)
        }
    }

    /// Checks a proposed value; returns it normalised (a mobile's 11 digits) or the reason.
    public static func normalise(_ field: Field, _ text: String) -> Result<String, ProposalValueError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch field {
        case .mobile:
            do { return .success(try MobileNumber.parse(trimmed).digits) } catch { return .failure(ProposalValueError(message: error.description)) }
        case .address:
            guard !trimmed.isEmpty else { return .failure(ProposalValueError(message: "an address is needed")) }
            guard trimmed.count <= 200 else { return .failure(ProposalValueError(message: "at most 200 characters, got \(trimmed.count)")) }
            return .success(trimmed)
        }
    }
}

public struct ProposalValueError: Error, Hashable, Sendable { public var message: String }
