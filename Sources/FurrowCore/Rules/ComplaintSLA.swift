/// How long a complaint may stay unresolved, by severity. The regulator's outer limit is 15
/// days; serious ones are handled much faster. Configuration (the rules file of the rules
/// issue replaces these defaults).
public struct ComplaintSLA: Sendable, Hashable {
    public var days: [Severity: Int]

    public init(days: [Severity: Int]) { self.days = days }

    public static let standard = ComplaintSLA(days: [.high: 2, .medium: 5, .low: 15])

    /// The regulator's outer limit, in days, for any severity: a branch's rules may be
    /// stricter, never looser.
    public static let outerLimitDays = 15
    public static let outerLimit = ComplaintSLA(days: Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, outerLimitDays) }))

    /// The deadline for a complaint received at local time `receivedAt` (`YYYY-MM-DD HH:MM:SS`,
    /// or a bare date meaning the start of that day): the same time of day, N days later.
    public func deadline(receivedAt: String, severity: Severity) -> String {
        guard let day = CalendarDate(iso: receivedAt.prefix(10)) else { return receivedAt }
        let time = receivedAt.count >= 19 ? String(receivedAt.dropFirst(11).prefix(8)) : "00:00:00"
        return day.adding(days: days[severity] ?? 15).iso + " " + time
    }
}

extension Severity {
    public var label: String {
        switch self {
        case .low: "一般"
        case .medium: "较重"
        case .high: "严重"
        }
    }
}

extension ComplaintChannel {
    public var label: String {
        switch self {
        case .phone: "电话"
        case .counter: "柜面"
        case .online: "线上"
        case .regulator: "监管转办"
        case .other: "其他"
        }
    }
}
