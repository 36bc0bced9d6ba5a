/// A complaint's closed loop (domain.md): received → assigned → in progress → resolved →
/// confirmed by the customer (or a satisfied callback) → closed; a dissatisfied callback reopens
/// it. Every step is recorded; a step the loop does not allow is refused with the steps it does.
public enum ComplaintStatus: String, CaseIterable, Sendable, Codable {
    case received, assigned
    case inProgress = "in_progress"
    case resolved, confirmed, closed

    public var label: String {
        switch self {
        case .received: "已受理 received"
        case .assigned: "已分派 assigned"
        case .inProgress: "处理中 in progress"
        case .resolved: "已解决 resolved"
        case .confirmed: "已确认 confirmed"
        case .closed: "已关闭 closed"
        }
    }

    /// The steps allowed from here. Resolved → in progress is a reopening (a dissatisfied callback).
    public var next: [ComplaintStatus] {
        switch self {
        case .received: [.assigned, .inProgress]
        case .assigned: [.inProgress]
        case .inProgress: [.resolved]
        case .resolved: [.confirmed, .inProgress]
        case .confirmed: [.closed]
        case .closed: []
        }
    }

    public var isOpen: Bool { self != .confirmed && self != .closed && self != .resolved }

    /// Statuses written before the loop existed (or by the extract) read as received.
    public init(stored: String?) {
        self = stored.flatMap(ComplaintStatus.init(rawValue:)) ?? .received
    }
}
