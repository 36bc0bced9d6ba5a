import FurrowCore
import FurrowStore
import TerminalUI

/// The customer 360°: a header (identity masked unless revealed, tier, RM, risk rating and
/// its expiry, contact preferences) and eight tabs. Revealing asks for a reason and writes an
/// audit entry; the mask returns when the profile is left (a new screen starts masked).
final class CustomerScreen: WorkstationScreen {
    enum Section: Int, CaseIterable {
        case overview, holdings, transactions, timeline, household, tasks, complaints, notes

        var label: String {
            switch self {
            case .overview: "概览 Overview"
            case .holdings: "持有 Holdings"
            case .transactions: "交易 Transactions"
            case .timeline: "时间线 Timeline"
            case .household: "家庭 Household"
            case .tasks: "待办 Tasks"
            case .complaints: "投诉 Complaints"
            case .notes: "备注 Notes"
            }
        }
    }

    let customerID: String
    private(set) var profile: CustomerProfile
    var section: Section = .overview
    var cursors: [Section: ListCursor] = [:]
    private(set) var revealed = false
    /// The sealed values opened for a reveal; dropped with it.
    private var identity: RevealedIdentity?
    var transactions: [Transaction] = []
    private var transactionsEnd = false
    private var height = 10

    var title: String { "\(profile.customer.name) 360°" }

    var keys: [KeyHelp] {
        [KeyHelp("← → h l [ ]", "切换分页 switch tab"), KeyHelp("j k ↑ ↓", "移动 move in the tab"),
         KeyHelp("c / v", "记电话 / 记走访 log a call / a visit"), KeyHelp("n", "新任务 new task"),
         KeyHelp("a", "备注 add a note"), KeyHelp("t", "标签 tag (−tag removes)"), KeyHelp("!", "投诉登记 take a complaint"),
         KeyHelp("w", "流失预警 raise a churn warning (opens a retention case)"),
         KeyHelp("u", "显示完整信息 unmask (asks why; audited)"),
         KeyHelp("p", "更正资料 propose a correction of the mobile or address (a lead decides)"),
         KeyHelp("R 1…6", "活动回应 the answer to a campaign's contact (reached, accepted, …)"),
         KeyHelp("Enter", "家庭: 打开亲属 Household: open the relative"),
         KeyHelp("e", "时间线: 更正 Timeline: correct the selected log"),
         KeyHelp("d / s", "待办: 完成 / 改期 Tasks: done / snooze"), KeyHelp("q / Esc", "返回 back")]
    }

    /// From the last nightly run (nil before the first).
    private(set) var classification: Classification?
    private(set) var plan: ServicePlans.Plan?
    private(set) var preferences: ContactPreferences?
    private(set) var openCase: RetentionCase?
    /// Corrections of the customer's mobile or address, newest first.
    private(set) var proposals: [ProfileProposal] = []

    init?(customerID: String, _ ctx: AppContext) throws(StoreError) {
        guard let p = try ctx.store.profile(customerID: customerID, interactions: 500, asOf: ctx.today) else { return nil }
        self.customerID = customerID
        profile = p
        classification = try ctx.store.classification(customerID: customerID)?.1
        plan = try ctx.store.servicePlan(customerID: customerID)
        preferences = try ctx.store.preferences(customerID: customerID)
        openCase = try ctx.store.retentionCases(customerID: customerID, openOnly: true).first
        proposals = try ctx.store.proposals(customerID: customerID, limit: 5)
    }

    func reappear(_ ctx: AppContext) {
        if let p = try? ctx.store.profile(customerID: customerID, interactions: 500, asOf: ctx.today) { profile = p }
        if let k = try? ctx.store.classification(customerID: customerID)?.1 { classification = k }
        if let p = try? ctx.store.servicePlan(customerID: customerID) { plan = p }
        preferences = (try? ctx.store.preferences(customerID: customerID)) ?? preferences
        openCase = (try? ctx.store.retentionCases(customerID: customerID, openOnly: true))?.first
        proposals = (try? ctx.store.proposals(customerID: customerID, limit: 5)) ?? proposals
        transactions = []
        transactionsEnd = false
        if section == .transactions { loadTransactions(ctx) }
    }

    private func loadTransactions(_ ctx: AppContext) {
        guard !transactionsEnd else { return }
        let before = transactions.last.map { ($0.postedAt, $0.txnID) }
        let page = (try? ctx.store.transactions(customerID: customerID, before: before, limit: 100)) ?? []
        transactions += page
        transactionsEnd = page.count < 100
    }

    /// Rows in the current tab, for the cursor.
    private var rowCount: Int {
        switch section {
        case .overview: 0
        case .holdings: profile.holdings.count + profile.liabilities.count
        case .transactions: transactions.count
        case .timeline: profile.interactions.count
        case .household: CustomerPresenter.relatives(profile.household).count
        case .tasks: profile.tasks.count
        case .complaints: profile.complaints.count
        case .notes: profile.notes.count
        }
    }

    private func switchSection(_ delta: Int, _ ctx: AppContext) {
        let all = Section.allCases
        section = all[(section.rawValue + delta + all.count) % all.count]
        if section == .transactions, transactions.isEmpty { loadTransactions(ctx) }
    }

    /// Masked again: leaving the profile, or the screen locking, ends a reveal.
    func mask() {
        revealed = false
        identity = nil
    }

    /// The profile as drawn: the masked forms the store keeps, or the opened values while revealed.
    private var shown: CustomerProfile {
        guard revealed, let identity else { return profile }
        var p = profile
        p.customer.idNumber = identity.idNumber
        p.customer.mobile = identity.mobile
        p.customer.address = identity.address
        return p
    }

    /// The corrections as drawn: their old and new values opened while revealed.
    private var shownProposals: [ProfileProposal] {
        guard revealed, let identity else { return proposals }
        return proposals.map { p in
            guard let v = identity.corrections[p.proposalID] else { return p }
            var p = p
            p.oldValue = v.oldValue
            p.newValue = v.newValue
            return p
        }
    }

    /// After `R`: the campaign whose answer the next key gives.
    private var answering: Campaign?

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if let campaign = answering {
            answering = nil
            return CampaignAnswer.record(key, campaign: campaign, customerID: customerID, ctx) { [weak self] in self?.reappear(ctx) }
        }
        // The cursor of the tab the key was pressed in (a key may switch tabs).
        let current = section
        var cursor = cursors[current] ?? ListCursor()
        cursor.clamp(count: rowCount, height: height)
        defer { cursors[current] = cursor }
        if section != .overview, cursor.handle(key, count: rowCount, height: height) {
            if section == .transactions, cursor.selected >= transactions.count - height {
                loadTransactions(ctx)
            }
            return .handled
        }
        switch key {
        case .left, .character("h"), .character("["): switchSection(-1, ctx)
        case .right, .character("l"), .character("]"): switchSection(1, ctx)
        case .character("c"): return .push(FormScreens.contact(channel: .call, customerID: customerID, ctx))
        case .character("v"): return .push(FormScreens.contact(channel: .visit, customerID: customerID, ctx))
        case .character("n"): return .push(FormScreens.newTask(customerID: customerID, ctx))
        case .character("a"): return .push(FormScreens.note(customerID: customerID, ctx))
        case .character("t"): return .push(FormScreens.tag(customerID: customerID, ctx))
        case .character("!"): return .push(FormScreens.complaint(customerID: customerID, ctx))
        case .character("p"): return .push(FormScreens.correction(customerID: customerID, ctx))
        case .character("R"):
            guard let c = try? ctx.store.openCampaign(customerID: customerID) else {
                return .error("没有待回应的活动 no campaign contact to record")
            }
            answering = c
            return .message(CampaignAnswer.prompt(c))
        case .character("w"):
            if let c = openCase { return .message("已有挽留案例 open case \(c.caseID): \(c.signal)") }
            return .push(FormScreens.churnWarning(customerID: customerID, ctx))
        case .character("u"):
            if revealed { return .message("已显示 already unmasked") }
            return .push(FormScreens.reveal(customerID: customerID, ctx) { [weak self] opened in
                self?.identity = opened
                self?.revealed = true
            })
        case .enter:
            let household = CustomerPresenter.relatives(profile.household)
            if section == .household, cursor.selected < household.count {
                mask()
                return .openCustomer(household[cursor.selected].customerID)
            }
            return .handled
        case .character("e") where section == .timeline:
            guard cursor.selected < profile.interactions.count else { return .handled }
            let original = profile.interactions[cursor.selected]
            return .push(FormScreens.contact(channel: original.channel, customerID: customerID, ctx,
                                             correcting: original.interactionID, prefill: original))
        case .character("d") where section == .tasks, .character("s") where section == .tasks:
            guard cursor.selected < profile.tasks.count else { return .handled }
            let t = profile.tasks[cursor.selected]
            guard t.status == .open else { return .message("这项已关闭 this task is closed") }
            let item = QueueItem(task: t, customerName: profile.customer.name, tier: profile.tier, aum: profile.aum,
                                 urgency: .of(dueOn: t.dueOn, priority: t.priority, tier: profile.tier, today: ctx.today))
            return .push(key == .character("d") ? FormScreens.completeTask(item, ctx) : FormScreens.reschedule(item, ctx))
        default: return .unhandled
        }
        return .handled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        b.fill(rect, role: "normal")
        var y = rect.y
        for line in CustomerPresenter.header(shown, classification: classification, preferences: preferences, revealed: revealed, today: ctx.today) {
            b.put(line.text, x: rect.x + 1, y: y, role: line.role, maxWidth: rect.width - 2)
            y += 1
        }
        // Bilingual tab labels when they fit, the Chinese alone when they do not.
        var labels = Section.allCases.map(\.label)
        if labels.reduce(0, { $0 + DisplayWidth.of($1) + 3 }) > rect.width - 2 {
            labels = labels.map { String($0.prefix { $0 != " " }) }
        }
        Tabs.draw(labels, active: section.rawValue, into: &b, x: rect.x + 1, y: y, maxWidth: rect.width - 2)
        y += 2
        let body = Rect(x: rect.x + 1, y: y, width: rect.width - 2, height: rect.maxY - y - 1)
        height = max(1, body.height - 1)
        let cursor = cursors[section] ?? ListCursor()
        let table: CustomerPresenter.Table
        switch section {
        case .overview:
            for (i, line) in CustomerPresenter.overview(shown, classification: classification, plan: plan, openCase: openCase,
                                                                         proposals: shownProposals, revealed: revealed, today: ctx.today, width: body.width).enumerated() where i < body.height {
                b.put(line.text, x: body.x, y: body.y + i, role: line.role, maxWidth: body.width)
            }
            drawFooter(into: &b, rect: rect)
            return
        case .holdings: table = CustomerPresenter.holdings(profile)
        case .transactions: table = CustomerPresenter.transactions(transactions, more: !transactionsEnd)
        case .timeline: table = CustomerPresenter.timeline(profile.interactions)
        case .household: table = CustomerPresenter.household(profile.household)
        case .tasks: table = CustomerPresenter.tasks(profile.tasks, today: ctx.today)
        case .complaints: table = CustomerPresenter.complaints(profile.complaints, now: ctx.localNow)
        case .notes: table = CustomerPresenter.notes(profile.notes)
        }
        drawTable(table, cursor: cursor, into: &b, rect: body)
        drawFooter(into: &b, rect: rect)
    }

    private func drawTable(_ t: CustomerPresenter.Table, cursor: ListCursor, into b: inout ScreenBuffer, rect: Rect) {
        var detailLines = 0
        if section == .timeline, cursor.selected < profile.interactions.count { detailLines = 4 }
        let (head, rest) = rect.splitTop(1)
        b.put(t.header, x: head.x, y: head.y, role: "list.header", maxWidth: head.width)
        if t.rows.isEmpty {
            b.put(t.empty, x: rest.x, y: rest.y, role: "muted", maxWidth: rest.width)
            return
        }
        let listHeight = max(1, rest.height - detailLines)
        height = listHeight
        var c = cursor
        c.clamp(count: t.rows.count, height: listHeight)
        for i in 0..<listHeight {
            let index = c.top + i
            guard index < t.rows.count else { break }
            let selected = index == c.selected
            let y = rest.y + i
            if selected { b.fill(Rect(x: rest.x - 1, y: y, width: rest.width + 2, height: 1), role: "list.selection.focused") }
            b.put(t.rows[index].text, x: rest.x, y: y, role: selected ? "list.selection.focused" : t.rows[index].role,
                  maxWidth: rest.width)
        }
        if detailLines > 0 {
            let i = profile.interactions[c.selected]
            for (n, line) in CustomerPresenter.interactionDetail(i, all: profile.interactions).prefix(detailLines).enumerated() {
                b.put(line, x: rest.x, y: rest.maxY - detailLines + n, role: "muted", maxWidth: rest.width)
            }
        }
    }

    private func drawFooter(into b: inout ScreenBuffer, rect: Rect) {
        let hint = "←→ 分页 tabs · c 电话 · v 走访 · n 任务 · a 备注 · ! 投诉 · u 显示 unmask · q 返回 back · ? 帮助"
        b.put(hint, x: rect.x + 1, y: rect.maxY - 1, role: "muted", maxWidth: rect.width - 2)
    }
}
