import FurrowCore
import FurrowStore
import TerminalUI

/// A campaign contact's answer in two keystrokes (`R` then 1…6), from Today or the 360°.
enum CampaignAnswer {
    static func choices(_ c: Campaign) -> [CampaignResponse] {
        CampaignResponse.allCases.filter { c.kind == .event || ![.attended, .noShow].contains($0) }
    }

    /// Short: it has to fit the message line (the help, `?`, says it in full).
    static func prompt(_ c: Campaign) -> String {
        "回应 answer: " + choices(c).map { "\($0.key) \($0.shortLabel)" }.joined(separator: " ") + " · 其他键取消 cancel"
    }

    static func record(_ key: Key, campaign c: Campaign, customerID: String, _ ctx: AppContext, then done: () -> Void) -> ScreenAction {
        guard case .character(let ch) = key, let response = choices(c).first(where: { $0.key == ch }) else {
            return .message("已取消 cancelled")
        }
        do {
            try ctx.store.recordCampaignResponse(c.campaignID, customerID: customerID, response: response, by: ctx.user.staffID)
        } catch {
            return .error(error.description)
        }
        done()
        return .message("\(c.name): \(response.label)" + (response.closesTask ? " · 任务完成 task done" : " · 任务保留 task kept"))
    }
}
