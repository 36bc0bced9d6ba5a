/// Why a customer is leaving (domain.md), reported so the branch learns.
public enum RetentionReason: String, CaseIterable, Sendable, Codable {
    case yield
    case competitorRate = "competitor_rate"
    case service
    case rmCoverage = "rm_coverage"
    case wrongData = "wrong_data"
    case waiting
    case pushedSales = "pushed_sales"
    case other

    public var label: String {
        switch self {
        case .yield: "收益低于预期 yield below expectation"
        case .competitorRate: "他行利率更高 a competitor's higher rate"
        case .service: "服务 service"
        case .rmCoverage: "客户经理覆盖不足 RM coverage"
        case .wrongData: "客户信息有误 wrong customer data"
        case .waiting: "流程/等候时间 process or waiting time"
        case .pushedSales: "以活动推销 sales pushed as events"
        case .other: "其他 other"
        }
    }
}

public enum RetentionOutcome: String, CaseIterable, Sendable, Codable {
    case retained, partly, lost
    public var label: String {
        switch self {
        case .retained: "挽留成功 retained"
        case .partly: "部分挽留 partly"
        case .lost: "流失 lost"
        }
    }
}
