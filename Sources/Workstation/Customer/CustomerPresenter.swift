import FurrowCore
import FurrowStore
import TerminalUI

/// The 360° as lines of text (pure: the profile and the date in, text out). Personal data is
/// masked unless `revealed`.
enum CustomerPresenter {
    struct Line {
        var text: String
        var role: StyleRole = "normal"
    }

    struct Table {
        var header: String
        var rows: [Line]
        var empty: String
    }

    static func pad(_ s: String, _ w: Int, right: Bool = false) -> String { DisplayWidth.pad(s, to: w, alignRight: right) }

    static func riskExpiry(_ c: Customer) -> CalendarDate? { c.riskAssessedOn?.adding(days: 365) }

    static func header(_ p: CustomerProfile, classification k: Classification? = nil, preferences: ContactPreferences? = nil,
                       revealed: Bool, today: CalendarDate) -> [Line] {
        let c = p.customer
        var first = "\(c.name)  \(c.customerID)  \(c.kind.label)  \(p.tier.label)  AUM ¥\(p.aum.formatted())"
        if let rm = p.rmID { first += "  客户经理 RM \(p.rmName ?? "") \(rm)" }
        var second: [String] = []
        if let n = c.idNumber {
            second.append("证件 " + (revealed ? n : Masking.idNumber(n, type: c.idType)))
        }
        if let m = c.mobile { second.append("手机 " + (revealed ? m : Masking.mobile(m))) }
        if revealed, let b = c.birthDate { second.append("生日 \(b.iso)") }
        if let a = c.address { second.append(revealed ? a : Masking.address(a)) } else if let v = c.village { second.append(v) }
        var third: [String] = []
        if let k {
            var parts: [String] = []
            if let seg = k.segment { parts.append("\(seg.rawValue)类") }
            parts += [k.valueClass.label.split(separator: " ").first.map(String.init) ?? "",
                      k.activity.label.split(separator: " ").first.map(String.init) ?? ""]
            if k.tier != p.tier { parts.append("层级 \(k.tier.label)") }
            third.append(parts.joined(separator: "·"))
        }
        if let r = c.riskLevel {
            var risk = "风险 \(r.rawValue)"
            if let exp = riskExpiry(c) { risk += exp < today ? " 已过期 expired \(exp.iso)" : " 至 \(exp.iso)" }
            third.append(risk)
        } else {
            third.append("风险 未测评 not assessed")
        }
        if let o = c.occupation { third.append(o) }
        if let e = c.employer { third.append(e) }
        if let preferences { third.append(preferences.summary) }
        if !c.flags.isEmpty { third.append("标记 " + c.flags.joined(separator: ",")) }
        if !p.tags.isEmpty { third.append("#" + p.tags.joined(separator: " #")) }
        let expired = riskExpiry(c).map { $0 < today } ?? false
        return [Line(text: first, role: "title"),
                Line(text: (revealed ? "⚠ 已显示 unmasked  " : "") + second.joined(separator: "  "), role: revealed ? "flag.warning" : "normal"),
                Line(text: third.joined(separator: "  "), role: expired ? "flag.warning" : "muted")]
    }

    /// `更正 手机 mobile 138****5678 → 139****1234 · 待审 pending · S006`
    static func correctionLine(_ c: ProfileProposal, revealed: Bool) -> String {
        func v(_ s: String?) -> String { revealed ? (s ?? "—") : ProfileProposal.display(c.field, s) }
        var text = "更正 Correction \(c.field.label) \(v(c.oldValue)) → \(v(c.newValue)) · \(c.status.label) · \(c.proposedBy)"
        if let d = c.decidedBy { text += " → \(d)" }
        if let n = c.decisionNote { text += ": \(n)" }
        return text
    }

    static func overview(_ p: CustomerProfile, classification k: Classification? = nil, plan: ServicePlans.Plan? = nil,
                         openCase: RetentionCase? = nil, proposals: [ProfileProposal] = [], revealed: Bool = false,
                         today: CalendarDate, width: Int) -> [Line] {
        var out: [Line] = []
        for c in proposals where c.status == .pending || c.decidedAt.map({ $0 >= today.adding(days: -30).iso }) == true {
            out.append(Line(text: correctionLine(c, revealed: revealed), role: c.status == .rejected ? "flag.warning" : "muted"))
        }
        if let c = openCase {
            out.append(Line(text: "⚠ 挽留案例 retention case \(c.caseID): \(c.signal)" + (c.actions.last.map { " · 最近 last: \($0)" } ?? ""),
                            role: "flag.warning"))
        }
        if let plan {
            out.append(Line(text: "服务方案 Service: " + plan.items.map { "\($0.rawValue) \($0.label.split(separator: " ").first ?? "")" }.joined(separator: " · ")
                            + (plan.cadenceDays.map { " · 每 \($0) 天联系" } ?? "") + " (\(plan.reason))", role: "muted"))
        }
        if let k {
            out.append(Line(text: "分群 Segment " + (k.segment.map { "\($0.rawValue): " } ?? "— ") + k.segmentReason, role: "muted"))
            out.append(Line(text: "\(k.valueClass.label): \(k.valueReason) · \(k.activity.label): \(k.activityReason) · "
                            + "\(k.lifecycle.label) · 层级 \(k.tier.label): \(k.tierReason)",
                            role: k.activity == .churnWarning ? "flag.warning" : "muted"))
        }
        if let first = p.aumByMonth.first, let last = p.aumByMonth.last {
            out.append(Line(text: "AUM \(p.aumByMonth.count)个月 months  " + Sparkline.render(p.aumByMonth.map(\.aumAverage.fen))
                            + "  \(first.month) ¥\(first.aumAverage.formattedWan()) → \(last.month) ¥\(last.aumAverage.formattedWan())",
                            role: "sparkline"))
        }
        // Holdings by product type.
        var byType: [ProductType: Int64] = [:]
        for h in p.holdings { byType[h.product.type, default: 0] += h.account.balance.fen }
        let parts = byType.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }.map { "\($0.key.label) ¥\(Money(fen: $0.value).formattedWan())" }
        out.append(Line(text: "持有 Holdings  " + (parts.isEmpty ? "—" : parts.joined(separator: "  "))))
        let debt = p.liabilities.reduce(Int64(0)) { $0 + $1.account.balance.fen }
        if debt > 0 { out.append(Line(text: "负债 Loans  ¥\(Money(fen: debt).formattedWan())")) }
        out.append(Line(text: ""))
        let horizon = today.adding(days: 90)
        let maturing = p.holdings.filter { ($0.account.maturityDate.map { $0 >= today && $0 <= horizon }) ?? false }
            .sorted { $0.account.maturityDate! < $1.account.maturityDate! }
        out.append(Line(text: "90天内到期 Maturing within 90 days", role: "list.header"))
        if maturing.isEmpty && p.upcomingInstalments.isEmpty { out.append(Line(text: "  —", role: "muted")) }
        for h in maturing.prefix(4) {
            out.append(Line(text: "  \(h.account.maturityDate!.iso)  \(pad(h.product.name, 16))  ¥\(h.account.balance.formatted())"))
        }
        for l in p.upcomingInstalments.prefix(2) {
            out.append(Line(text: "  \(l.dueDate.iso)  \(pad("贷款还款 instalment", 16))  ¥\((l.principal + l.interest).formatted())"))
        }
        out.append(Line(text: ""))
        let open = p.tasks.filter { $0.status == .open }
        out.append(Line(text: "待办 Open tasks (\(open.count))", role: "list.header"))
        if open.isEmpty { out.append(Line(text: "  —", role: "muted")) }
        for t in open.prefix(4) {
            out.append(Line(text: "  \(TodayPresenter.due(t.dueOn, today: today))  \(t.title)",
                            role: t.dueOn < today ? "badge.overdue" : "normal"))
        }
        out.append(Line(text: ""))
        out.append(Line(text: "最近联系 Last contacts", role: "list.header"))
        if p.interactions.isEmpty { out.append(Line(text: "  从未联系 never contacted", role: "flag.warning")) }
        for i in p.interactions.prefix(3) {
            out.append(Line(text: "  \(i.at.prefix(16))  \(i.channel.label)  \(i.purpose ?? i.outcome ?? "")"))
        }
        if !p.household.isEmpty {
            out.append(Line(text: ""))
            out.append(Line(text: "家庭 Household  " + relatives(p.household).map { "\($0.label) \($0.name)" }.joined(separator: "、")))
        }
        if p.complaints.contains(where: \.isOpen) {
            out.append(Line(text: "⚠ 有未结投诉 open complaint — 投诉 tab", role: "flag.warning"))
        }
        return out
    }

    static func holdings(_ p: CustomerProfile) -> Table {
        let rows = (p.holdings + p.liabilities).map { h in
            Line(text: "\(pad(h.product.name, 18)) \(pad(h.product.type.label, 6)) \(pad(h.account.balance.formatted(), 16, right: true))  "
                 + "\(pad(h.account.rate.map { "\($0)%" } ?? "", 6))  \(pad(h.account.openedOn?.iso ?? "", 10))  "
                 + "\(pad(h.account.maturityDate?.iso ?? "", 10))  \(h.product.riskLevel?.rawValue ?? "")",
                 role: h.product.type.isLiability ? "money.down" : "normal")
        }
        return Table(header: "\(pad("产品 Product", 18)) \(pad("类型", 6)) \(pad("余额 Balance", 16, right: true))  \(pad("利率", 6))  "
                     + "\(pad("开立 Opened", 10))  \(pad("到期 Matures", 10))  风险", rows: rows, empty: "没有账户 no accounts")
    }

    static func transactions(_ ts: [Transaction], more: Bool) -> Table {
        var rows = ts.map { t in
            Line(text: "\(t.postedAt.prefix(16))  \(pad(t.kind.rawValue, 12)) \(pad(t.amount.formatted(), 16, right: true))  "
                 + "\(pad(t.channel?.rawValue ?? "", 8)) \(t.counterpartyName ?? "") \(t.counterpartyBank ?? "") \(t.memo ?? "")",
                 role: t.amount.fen < 0 ? "money.down" : "money.up")
        }
        if more && !rows.isEmpty { rows.append(Line(text: "  … ↓ 更多 more", role: "muted")) }
        return Table(header: "\(pad("时间 When", 16))  \(pad("类型 Kind", 12)) \(pad("金额 Amount", 16, right: true))  \(pad("渠道", 8)) 对方 Counterparty",
                     rows: rows, empty: "没有交易 no transactions")
    }

    static func timeline(_ list: [Interaction]) -> Table {
        let corrected = Set(list.compactMap(\.corrects))
        let rows = list.map { i in
            var text = "\(i.at.prefix(16))  \(pad(i.channel.label, 4)) \(pad(i.staffID ?? "", 6)) \(i.purpose ?? "")"
            if let o = i.outcome { text += " → \(o)" }
            if i.corrects != nil { text = "✎ " + text + " (更正 correction)" }
            if corrected.contains(i.interactionID) { text += "  [已更正 corrected]" }
            return Line(text: text, role: corrected.contains(i.interactionID) ? "muted" : "normal")
        }
        return Table(header: "\(pad("时间 When", 16))  \(pad("方式", 4)) \(pad("员工", 6)) 目的 → 结果 Purpose → outcome",
                     rows: rows, empty: "从未联系 never contacted — c 电话 / v 走访")
    }

    static func interactionDetail(_ i: Interaction, all: [Interaction]) -> [String] {
        var out: [String] = []
        var facts: [String] = []
        if let d = i.durationMinutes { facts.append("\(d) 分钟 min") }
        if let p = i.present { facts.append("在场 " + p) }
        if let m = i.mood { facts.append("情绪 " + m.label) }
        out.append("── " + ([String(i.at.prefix(16)), i.channel.label] + facts).joined(separator: " · "))
        if let n = i.notes { out.append("内容 " + n) }
        if let l = i.lifeEvents { out.append("生活事件 " + l) }
        if let s = i.nextStep { out.append("下一步 " + s) }
        if let c = i.corrects, let o = all.first(where: { $0.interactionID == c }) {
            out.append("更正 corrects \(o.at.prefix(16)) \(o.purpose ?? "")")
        }
        return out
    }

    /// Each relative once, with what they are to this customer: a stored "A is parent of B"
    /// reads "child" from A's side.
    static func relatives(_ list: [RelatedParty]) -> [(customerID: String, name: String, label: String, tier: Tier, aum: Money)] {
        var seen: Set<String> = []
        var out: [(customerID: String, name: String, label: String, tier: Tier, aum: Money)] = []
        for r in list where seen.insert(r.customerID).inserted {
            let label: String
            if r.thisCustomerIsSubject {
                switch r.relation {
                case .parent: label = RelationKind.child.label
                case .child: label = RelationKind.parent.label
                case .ownerOf: label = "名下企业"
                case .guarantorFor: label = "被担保人"
                case .employeeOf: label = "雇主"
                default: label = r.relation.label
                }
            } else {
                label = r.relation.label
            }
            out.append((r.customerID, r.name, label, r.tier, r.aum))
        }
        return out
    }

    static func household(_ list: [RelatedParty]) -> Table {
        Table(header: "\(pad("关系 Relation", 12)) \(pad("姓名 Name", 12)) \(pad("层级", 8)) \(pad("AUM ¥", 14, right: true))  客户号",
              rows: relatives(list).map { r in
                  Line(text: "\(pad(r.label, 12)) \(pad(r.name, 12)) \(pad(r.tier.label, 8)) \(pad(r.aum.formattedWan(), 14, right: true))  \(r.customerID)")
              }, empty: "没有登记的家庭成员 no household members on record")
    }

    static func tasks(_ list: [FollowUpTask], today: CalendarDate) -> Table {
        Table(header: "\(pad("到期 Due", 14)) \(pad("状态", 6)) \(pad("优先", 4)) 任务 Task",
              rows: list.map { t in
                  let status = t.status == .open ? "待办" : t.status == .done ? "完成" : "取消"
                  var text = "\(pad(TodayPresenter.due(t.dueOn, today: today), 14)) \(pad(status, 6)) \(pad(t.priority.label, 4)) \(t.title)"
                  if let o = t.outcome { text += " → \(o)" }
                  return Line(text: text, role: t.status != .open ? "muted" : t.dueOn < today ? "badge.overdue" : "normal")
              }, empty: "没有任务 no tasks — n 新任务")
    }

    static func complaints(_ list: [Complaint], now: String) -> Table {
        Table(header: "\(pad("收到 Received", 16))  \(pad("期限 Deadline", 14)) \(pad("严重", 4)) \(pad("类别 Category", 14)) 描述",
              rows: list.map { c in
                  Line(text: "\(c.receivedAt.prefix(16))  \(pad(ComplaintsPresenter.timeLeft(c, now: now), 14)) \(pad(c.severity.label, 4)) "
                       + "\(pad(c.category ?? "", 14)) \(c.description ?? "")",
                       role: c.isOpen ? (c.deadlineAt < now ? "badge.overdue" : "normal") : "muted")
              }, empty: "没有投诉 no complaints")
    }

    static func notes(_ list: [Note]) -> Table {
        Table(header: "\(pad("时间 When", 16))  \(pad("员工", 6)) 备注 Note",
              rows: list.map { Line(text: "\($0.at.prefix(16))  \(pad($0.staffID ?? "", 6)) \($0.text)") },
              empty: "没有备注 no notes — a 添加 add")
    }
}
