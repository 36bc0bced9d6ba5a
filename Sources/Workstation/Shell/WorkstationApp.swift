import Foundation
import FurrowCore
import FurrowStore
import TerminalUI

/// The workstation's shell: five screens on `1`…`5`/Tab, a stack of screens opened over them
/// (a customer, a form, a picker), help on `?`, a command line on `:`, the status line, the
/// privacy key and the idle lock. Keys in, frames out: everything here runs without a terminal.
public final class WorkstationApp {
    public enum Tab: Int, CaseIterable, Sendable {
        case today, portfolio, complaints, reports, sync, campaigns

        var label: String {
            switch self {
            case .today: "1 今天 Today"
            case .portfolio: "2 客户 Portfolio"
            case .complaints: "3 投诉 Complaints"
            case .reports: "4 报表 Reports"
            case .sync: "5 同步 Sync"
            case .campaigns: "6 活动 Campaigns"
            }
        }

        /// For a narrow line: the number and the Chinese name.
        var shortLabel: String { label.split(separator: " ").prefix(2).joined(separator: " ") }
    }

    public enum Outcome: Equatable { case redraw, quit, suspend }

    let ctx: AppContext
    private var tabScreens: [any WorkstationScreen] = []
    public private(set) var tab: Tab = .today
    /// Screens opened over the current tab, last on top.
    private var stack: [any WorkstationScreen] = []
    private var command: CommandLineState?
    private var showingHelp = false
    private var message: (text: String, isError: Bool)?
    /// Set by `:theme NAME` for the terminal to apply (the app never draws colours itself).
    public var pendingTheme: Theme?
    public private(set) var themeName: String
    let themeDirectories: [String]
    public private(set) var lock: LockState
    /// The last frame was the "terminal too small" view.
    private var tooSmall = false

    public static let minimumSize = (width: 80, height: 24)

    public init(store: AppDatabase, user: UserIdentity, scope: PortfolioScope, storeLabel: String = "",
                now: @escaping @Sendable () -> Date = { Date() }, themeName: String = "default",
                themeDirectories: [String] = [], lock: LockState = LockState(), rules: RulesConfig = .standard) {
        ctx = AppContext(store: store, user: user, scope: scope, storeLabel: storeLabel, now: now)
        ctx.rules = rules
        self.themeName = themeName
        self.themeDirectories = themeDirectories
        self.lock = lock
        self.lock.lastActivity = now()
        // With a PIN, the workstation opens locked: quitting and starting again is no way round it.
        if lock.pin != nil { self.lock.engage() }
        tabScreens = [TodayScreen(ctx), PortfolioScreen(ctx), ComplaintsScreen(ctx), ReportsScreen(ctx), SyncScreen(ctx), CampaignsScreen(ctx)]
        // A form left unsaved by a crash or a closed terminal is offered back first thing.
        ctx.refreshDraftCount()
        ctx.refreshSyncOverview()   // the status line says at once if sync could not start
        if let drafts = try? store.drafts(staffID: user.staffID), !drafts.isEmpty {
            stack.append(DraftOfferScreen(drafts: drafts, ctx))
        }
    }

    /// After the first frame: the reminder engine for the user's scope (today's birthdays,
    /// maturities, money moving…), then Today again. Kept out of `init` so the first frame
    /// never waits for it.
    /// What the workstation does once it is on screen: the day's reminder run (what it did,
    /// or nil when it could not run — the message line says why).
    @discardableResult
    public func startUp() -> ReminderRunReport? {
        do {
            let r = try ctx.store.runReminders(scope: ctx.scope, asOf: ctx.today, rules: ctx.rules, by: ctx.user.staffID)
            tabScreens[Tab.today.rawValue].reappear(ctx)
            if r.created + r.withdrawn > 0 {
                message = ("提醒 reminders: +\(r.created) 新 new, −\(r.withdrawn) 撤回 withdrawn (\(r.milliseconds) ms)", false)
            }
            return r
        } catch {
            message = ("提醒未能运行 reminders did not run: \(error.description)", true)
            return nil
        }
    }

    var top: any WorkstationScreen { stack.last ?? tabScreens[tab.rawValue] }
    /// The screen types on screen, bottom to top (for tests).
    var screenNames: [String] { ([tabScreens[tab.rawValue]] + stack).map { String(describing: type(of: $0)) } }

    // MARK: Keys

    public func handle(_ key: Key) -> Outcome {
        let now = ctx.now()
        if key == .resize { return .redraw }
        if lock.isLocked {
            // Nothing gets past the lock, Ctrl-C included: only the PIN.
            lock.handle(key, now: now)
            return .redraw
        }
        if key == .control("c") { return .quit }
        // Keys typed at a screen too small to show them would act unseen.
        if tooSmall { return .redraw }
        lock.lastActivity = now
        if key == .control("l") {
            engageLock()
            return .redraw
        }
        if key == .control("z") { return .suspend }
        message = nil
        if showingHelp {
            showingHelp = false
            return .redraw
        }
        if command != nil { return handleCommandKey(key) }
        let action = top.handle(key, ctx)
        if case .unhandled = action { return handleGlobal(key) }
        return apply(action)
    }

    private func handleGlobal(_ key: Key) -> Outcome {
        switch key {
        case .character(let c) where ("1"..."6").contains(c):
            switchTab(Tab(rawValue: Int(String(c))! - 1)!)
        case .tab: switchTab(Tab(rawValue: (tab.rawValue + 1) % Tab.allCases.count)!)
        case .backTab: switchTab(Tab(rawValue: (tab.rawValue + Tab.allCases.count - 1) % Tab.allCases.count)!)
        case .character("?"): showingHelp = true
        case .character(":"):
            // Read once when the line opens, not on every key and frame.
            command = CommandLineState(themes: ThemeLoader.availableNames(in: themeDirectories), views: savedViewNames)
        case .character("/"):
            // Find a customer from anywhere: `/wxh` on Today goes straight to the search.
            switchTab(.portfolio)
            (tabScreens[Tab.portfolio.rawValue] as? PortfolioScreen)?.startSearch("", ctx)
        case .character("q"), .escape:
            if stack.isEmpty { return key == .escape ? .redraw : .quit }
            pop()
        default: break
        }
        return .redraw
    }

    @discardableResult
    func apply(_ action: ScreenAction) -> Outcome {
        switch action {
        case .handled, .unhandled: break
        case .close: pop()
        case .closeWith(let text):
            pop()
            message = (text, false)
        case .back(let n, let text):
            for _ in 0..<n { pop() }
            if let text { message = (text, false) }
        case .push(let s): stack.append(s)
        case .replace(let s):
            if !stack.isEmpty { stack.removeLast() }
            stack.append(s)
        case .openCustomer(let id): openCustomer(id)
        case .message(let text): message = (text, false)
        case .error(let text): message = (text, true)
        case .quit: return .quit
        }
        return .redraw
    }

    /// Locks, and masks every open profile again: an unlock does not bring a reveal back.
    private func engageLock() {
        lock.engage()
        for case let c as CustomerScreen in stack { c.mask() }
    }

    private func pop() {
        guard !stack.isEmpty else { return }
        stack.removeLast()
        ctx.refreshDraftCount()
        top.reappear(ctx)
    }

    func switchTab(_ t: Tab) {
        stack.removeAll()
        tab = t
        top.reappear(ctx)
    }

    func openCustomer(_ id: String) {
        do {
            guard let screen = try CustomerScreen(customerID: id, ctx) else {
                message = ("客户不存在 no customer \(id)", true)
                return
            }
            stack.append(screen)
        } catch {
            message = (error.description, true)
        }
    }

    /// The customer on screen, if any: what `:log call` or `:task` act on.
    var currentCustomerID: String? {
        for s in stack.reversed() {
            if let c = s as? CustomerScreen { return c.customerID }
        }
        return (tabScreens[tab.rawValue] as? TodayScreen)?.selectedCustomerID
    }

    // MARK: Command line

    private func handleCommandKey(_ key: Key) -> Outcome {
        guard var cmd = command else { return .redraw }
        switch key {
        case .escape: command = nil
        case .tab: cmd.complete(themes: cmd.themes, views: cmd.views)
            command = cmd
        case .enter:
            command = nil
            return run(cmd.editor.text)
        default:
            _ = cmd.editor.handle(key)
            command = cmd
        }
        return .redraw
    }

    private var savedViewNames: [String] {
        ((try? ctx.store.savedViews(staffID: ctx.user.staffID)) ?? []).map(\.name)
    }

    /// Runs a command line (`log call`, `find 王`, `task`, `theme light`, `view save 大客户`, `quit`).
    func run(_ line: String) -> Outcome {
        switch CommandLineState.parse(line) {
        case .quit: return .quit
        case .help: showingHelp = true
        case .lock: engageLock()
        case .find(let q):
            switchTab(.portfolio)
            (tabScreens[Tab.portfolio.rawValue] as? PortfolioScreen)?.startSearch(q, ctx)
        case .log(let channel, let query):
            openForCustomer(query: query) { [ctx] in FormScreens.contact(channel: channel, customerID: $0, ctx) }
        case .task(let query):
            openForCustomer(query: query) { [ctx] in FormScreens.newTask(customerID: $0, ctx) }
        case .complaint(let query):
            openForCustomer(query: query) { [ctx] in FormScreens.complaint(customerID: $0, ctx) }
        case .note(let query):
            openForCustomer(query: query) { [ctx] in FormScreens.note(customerID: $0, ctx) }
        case .theme(let name):
            do {
                pendingTheme = try ThemeLoader.resolve(name, searchDirectories: themeDirectories)
                themeName = pendingTheme!.name
                message = ("主题 theme \(themeName)", false)
            } catch {
                message = (error.description, true)
            }
        case .view(let sub):
            switchTab(.portfolio)
            if let p = tabScreens[Tab.portfolio.rawValue] as? PortfolioScreen { apply(p.viewCommand(sub, ctx)) }
        case .scope(let word):
            apply(changeScope(word))
        case .drafts:
            let drafts = (try? ctx.store.drafts(staffID: ctx.user.staffID)) ?? []
            if drafts.isEmpty { message = ("没有草稿 no drafts", false) } else { stack.append(DraftOfferScreen(drafts: drafts, ctx)) }
        case .tab(let t): switchTab(t)
        case .unknown(let text):
            message = ("未知命令 unknown command \"\(text)\" — Tab completes; try log call, find 王, task, theme, view, quit", true)
        case .empty: break
        }
        return .redraw
    }

    private func openForCustomer(query: String?, _ make: @escaping (String) -> any WorkstationScreen) {
        if let q = query, !q.isEmpty {
            stack.append(CustomerPickerScreen(query: q, ctx, then: make))
        } else if let id = currentCustomerID {
            stack.append(make(id))
        } else {
            stack.append(CustomerPickerScreen(query: "", ctx, then: make))
        }
    }

    private func changeScope(_ word: String) -> ScreenAction {
        let options = ctx.scopes
        let target: PortfolioScope?
        switch word {
        case "mine", "me", "rm": target = options.first { if case .rm = $0 { true } else { false } }
        case "team": target = options.first { if case .team = $0 { true } else { false } }
        case "branch", "all": target = options.first { $0 == .branch }
        default: target = nil
        }
        guard let target else {
            return .error("不可用 not available: \(word) — you may use \(options.map(Self.scopeWord).joined(separator: ", "))")
        }
        ctx.scope = target
        for s in tabScreens { s.reappear(ctx) }
        return .message("范围 scope: \(ctx.scopeLabel)")
    }

    static func scopeWord(_ s: PortfolioScope) -> String {
        switch s {
        case .rm: "mine"
        case .team: "team"
        case .branch: "branch"
        }
    }

    /// Called about once a second without a key: engages the idle lock and keeps the clock
    /// current. Returns true when the frame must be redrawn.
    public func tick() -> Bool {
        let now = ctx.now()
        if lock.shouldLockForIdle(now: now) {
            engageLock()
            return true
        }
        if ctx.sync != nil { noticeSync() }
        return true
    }

    /// When a background sync has finished, the lists show what it brought.
    private var lastSyncSeen: String?
    private var syncWasRunning = false

    private func noticeSync() {
        let running = ctx.sync?.isRunning == true
        defer { syncWasRunning = running }
        guard !running, syncWasRunning || ctx.syncOverview == nil else { return }
        ctx.refreshSyncOverview()
        let last = ctx.syncOverview?.lastSyncAt
        if last != lastSyncSeen, lastSyncSeen != nil || syncWasRunning {
            for screen in tabScreens { screen.reappear(ctx) }
        }
        lastSyncSeen = last
    }

    /// The status line's sync part: what waits, when the last sync was, and trouble.
    var syncStatus: String {
        var text = "同步 sync: \(ctx.pendingOps) 待发 pending"
        if ctx.correctionsToDecide > 0 { text += " · 更正 \(ctx.correctionsToDecide)" }   // corrections to decide (screen 5); the line is narrow
        if ctx.sync == nil, let o = ctx.syncOverview, o.server != nil, o.lastProblem != nil {
            // Signed in, but it could not start (screen 5 says why): said first, the line is narrow.
            return "⚠ 同步停 sync off: \(ctx.pendingOps) 待发 pending"
        }
        guard ctx.sync != nil, let o = ctx.syncOverview else { return text }
        if ctx.sync?.isRunning == true { return text + " · 同步中 syncing…" }
        if let last = o.lastSyncAt.flatMap(Timestamp.parseUTC) {
            text += " · 上次 last \(Timestamp.shanghaiNow(last).dropFirst(11).prefix(5))"
        }
        if o.lastProblem != nil { text += " · ⚠ 未连上 offline" }
        if o.rejected + o.conflicts > 0 { text += " · ⚠ \(o.rejected + o.conflicts) 需处理 to review (5)" }
        if abs(o.clockSkewSeconds) > 300 { text += " · ⚠ 时钟 clock" }
        return text
    }

    /// Background sync, given by the executable when the store is signed in.
    public func attachSync(_ sync: any SyncControl) {
        ctx.sync = sync
        ctx.refreshSyncOverview()
        lastSyncSeen = ctx.syncOverview?.lastSyncAt
    }

    // MARK: Drawing

    public func render(width: Int, height: Int) -> ScreenBuffer {
        var b = ScreenBuffer(width: width, height: height)
        tooSmall = width < Self.minimumSize.width || height < Self.minimumSize.height
        guard !tooSmall else {
            b.put("终端太小 terminal too small", x: 0, y: 0, role: "status.error")
            b.put("需要 needs \(Self.minimumSize.width)×\(Self.minimumSize.height), 现在 now \(width)×\(height)", x: 0, y: 1)
            b.put("放大窗口或缩小字体 enlarge the window; Ctrl-C quits", x: 0, y: 2, role: "muted")
            return b
        }
        if lock.isLocked {
            lock.draw(into: &b, user: ctx.user, now: ctx.now())
            return b
        }
        let (titleBar, rest) = b.bounds.splitTop(1)
        let (body, status) = rest.splitBottom(1)
        b.fill(titleBar, role: "tab")
        let tabsEnd = Tabs.draw(Tab.allCases.map(\.label), short: Tab.allCases.map(\.shortLabel), active: tab.rawValue, into: &b,
                                x: 1, y: 0, maxWidth: width - 2)
        if !stack.isEmpty, width - tabsEnd > 8 {
            // What is open over the tab, at the right, when there is room beside the tabs.
            let t = "› " + top.title + " "
            let w = min(DisplayWidth.of(t), width - tabsEnd - 1)
            b.put(DisplayWidth.pad(t, to: w, alignRight: true), x: width - w, y: 0, role: "title", maxWidth: w)
        }
        if showingHelp {
            HelpScreen.draw(screenKeys: top.keys, screenTitle: top.title, into: &b, rect: body)
        } else {
            // Screens under a dialog stay visible: draw from the last full screen upwards.
            let all = [tabScreens[tab.rawValue]] + stack
            let firstFull = all.lastIndex { !($0 is DialogScreen) } ?? 0
            for s in all[firstFull...] { s.draw(into: &b, rect: body, ctx) }
        }
        drawStatus(into: &b, rect: status)
        return b
    }

    private func drawStatus(into b: inout ScreenBuffer, rect: Rect) {
        if let cmd = command {
            b.fill(rect, role: "status")
            b.put(":", x: 0, y: rect.y, role: "status")
            cmd.editor.draw(into: &b, rect: Rect(x: 1, y: rect.y, width: rect.width / 2, height: 1), role: "status",
                            cursorRole: "list.selection.focused", focused: true)
            let hint = cmd.hint(themes: cmd.themes, views: cmd.views)
            b.put(hint, x: rect.width / 2 + 2, y: rect.y, role: "status", maxWidth: rect.width / 2 - 3)
            return
        }
        let clock = String(ctx.localNow.dropFirst(11).prefix(5))
        let right = " ? 帮助 help  \(clock) "
        let rightWidth = DisplayWidth.of(right)
        if let m = message {
            b.fill(rect, role: m.isError ? "status.error" : "status.ok")
            b.put(" " + m.text, x: 0, y: rect.y, role: m.isError ? "status.error" : "status.ok", maxWidth: rect.width - rightWidth)
        } else {
            b.fill(rect, role: "status")
            var parts = [ctx.user.label, ctx.scopeLabel]
            if !ctx.storeLabel.isEmpty { parts.append(ctx.storeLabel) }
            let drafts = ctx.draftCount
            if drafts > 0 { parts.append("草稿 drafts \(drafts)") }
            parts.append(syncStatus)
            b.put(" " + parts.joined(separator: " · "), x: 0, y: rect.y, role: "status", maxWidth: rect.width - rightWidth)
        }
        b.put(right, x: rect.width - rightWidth, y: rect.y, role: message?.isError == true ? "status.error" : "status")
    }
}
