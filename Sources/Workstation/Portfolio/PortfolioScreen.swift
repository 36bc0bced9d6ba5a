import FurrowCore
import FurrowStore
import TerminalUI

/// The RM's customers (or the team's, the branch's): a table over any number of rows,
/// search-as-you-type on `/`, filters, sorts and saved views.
final class PortfolioScreen: WorkstationScreen {
    var state = PortfolioState()
    private var height = 20
    let title = "客户 Portfolio"
    var capturesText: Bool { state.query != nil }

    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓ PgUp PgDn g G", "移动 move"),
         KeyHelp("/", "搜索 search: 王, 三丰, zsf, zhang, 5678 (phone), ID last 4/6, customer ID"),
         KeyHelp("Enter", "打开客户 open the customer"), KeyHelp("f", "筛选 filter: tier, kind, village, tag, task, activity"),
         KeyHelp("o", "排序 sort: AUM → name → longest without contact"), KeyHelp("x", "清除筛选 clear filters"),
         KeyHelp("V", "保存的视图 saved views (:view save NAME saves this one)"),
         KeyHelp("w", "范围 mine → team → branch (leads and the president)")]
    }

    /// Read when first shown, not at start-up: the first frame is Today's.
    private var loaded = false

    init(_ ctx: AppContext) {}

    func reappear(_ ctx: AppContext) {
        guard loaded else {
            loaded = true
            state.reload(ctx.store, scope: ctx.scope, today: ctx.today)
            return
        }
        // Back from a customer or a form: what is on screen may have changed (a contact, a
        // task). Re-read those rows only — never the whole list again.
        if state.query != nil {
            let keep = state.cursor
            state.runSearch(ctx.store, today: ctx.today)
            state.cursor = keep
            state.cursor.clamp(count: state.visible.count, height: height)
        } else {
            state.refresh(ctx.store, range: state.cursor.top..<(state.cursor.top + height), today: ctx.today)
        }
    }

    func startSearch(_ q: String, _ ctx: AppContext) {
        loaded = true
        state.query = q
        state.runSearch(ctx.store, today: ctx.today)
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        let action = state.query != nil ? handleSearch(key, ctx) : handleList(key, ctx)
        state.loadDetails(ctx.store, range: state.cursor.top..<(state.cursor.top + height), today: ctx.today)
        return action
    }

    private func handleSearch(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        switch key {
        case .escape:
            state.query = nil
            state.hits = []
            state.cursor = ListCursor()
        case .enter: return openSelected()
        case .up, .down, .pageUp, .pageDown:
            _ = state.cursor.handle(key, count: state.visible.count, height: height)
        case .backspace:
            if state.query!.isEmpty { state.query = nil; return .handled }
            state.query!.removeLast()
            state.runSearch(ctx.store, today: ctx.today)
        case .control("u"):
            state.query = ""
            state.runSearch(ctx.store, today: ctx.today)
        case .character(let c):
            guard !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }), state.query!.count < 40 else {
                return .handled
            }
            state.query!.append(c)
            state.runSearch(ctx.store, today: ctx.today)
        case .paste(let text):
            var editor = LineEditor(state.query!, maxLength: 40)
            _ = editor.handle(.paste(text))
            state.query = editor.text.trimmingCharacters(in: .whitespaces)
            state.runSearch(ctx.store, today: ctx.today)
        default: break
        }
        return .handled
    }

    private func handleList(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if state.cursor.handle(key, count: state.rows.count, height: height) {
            if state.cursor.selected >= state.rows.count - height, state.next != nil {
                state.loadMore(ctx.store, scope: ctx.scope, today: ctx.today)
                if key == .end || key == .character("G") {
                    // G pages on to the end, but not past a bound: a branch of a million is
                    // narrowed with / or f, not scrolled.
                    while state.next != nil, state.rows.count < PortfolioState.endLimit {
                        state.loadMore(ctx.store, scope: ctx.scope, today: ctx.today)
                    }
                    state.cursor.move(state.rows.count, count: state.rows.count, height: height)
                    if state.next != nil {
                        return .message("前 \(state.rows.count) 位 first \(state.rows.count) shown — / 搜索 or f 筛选 to narrow")
                    }
                }
            }
            return .handled
        }
        switch key {
        case .character("/"):
            state.query = ""
            state.hits = []
            state.cursor = ListCursor()
        case .enter, .right: return openSelected()
        case .character("o"):
            state.view.sort = state.view.sort.next
            state.viewName = nil
            state.reload(ctx.store, scope: ctx.scope, today: ctx.today)
            return .message("排序 sort: \(state.view.sort.label)")
        case .character("x"):
            state.view.filter = PortfolioFilter()
            state.viewName = nil
            state.reload(ctx.store, scope: ctx.scope, today: ctx.today)
            return .message("已清除筛选 filters cleared")
        case .character("f"): return .push(filterForm(ctx))
        case .character("V"): return .push(SavedViewsScreen(ctx, portfolio: self))
        case .character("w"):
            let scopes = ctx.scopes
            guard scopes.count > 1 else { return .message("只能查看自己的客户 only your own customers") }
            let i = scopes.firstIndex(of: ctx.scope) ?? -1
            ctx.scope = scopes[(i + 1) % scopes.count]
            state.reload(ctx.store, scope: ctx.scope, today: ctx.today)
            return .message("范围 scope: \(ctx.scopeLabel)")
        default: return .unhandled
        }
        return .handled
    }

    private func openSelected() -> ScreenAction {
        let list = state.visible
        guard state.cursor.selected < list.count else { return .handled }
        return .openCustomer(list[state.cursor.selected].customerID)
    }

    func apply(_ view: PortfolioView, name: String?, _ ctx: AppContext) {
        loaded = true
        state.view = view
        state.viewName = name
        state.query = nil
        state.reload(ctx.store, scope: ctx.scope, today: ctx.today)
    }

    /// `:view NAME`, `:view save NAME`, `:view delete NAME`, `:view` (the list).
    func viewCommand(_ sub: String, _ ctx: AppContext) -> ScreenAction {
        let words = sub.split(separator: " ", maxSplits: 1).map(String.init)
        let me = ctx.user.staffID
        do {
            switch words.first {
            case nil: return .push(SavedViewsScreen(ctx, portfolio: self))
            case "save"?:
                guard words.count == 2 else { return .error("用法 usage: view save NAME") }
                let replaced = try ctx.store.savedViews(staffID: me).contains { $0.name == words[1] }
                try ctx.store.saveView(SavedView(name: words[1], spec: state.view.spec), staffID: me)
                state.viewName = words[1]
                return .message((replaced ? "视图已替换 view replaced: " : "视图已存 view saved: ") + "\(words[1]) (\(state.view.spec))")
            case "delete"?:
                guard words.count == 2 else { return .error("用法 usage: view delete NAME") }
                guard try ctx.store.savedViews(staffID: me).contains(where: { $0.name == words[1] }) else {
                    return .error("没有这个视图 no view named \(words[1])")
                }
                try ctx.store.deleteView(named: words[1], staffID: me)
                return .message("视图已删 view deleted: \(words[1])")
            default:
                guard let v = try ctx.store.savedViews(staffID: me).first(where: { $0.name == sub }) else {
                    return .error("没有这个视图 no view named \(sub)")
                }
                switch PortfolioView.parse(v.spec) {
                case .success(let view):
                    apply(view, name: v.name, ctx)
                    return .message("视图 view: \(v.name)")
                case .failure(let e): return .error("视图 view \(v.name): \(e.description)")
                }
            }
        } catch {
            return .error(String(describing: error))
        }
    }

    private func filterForm(_ ctx: AppContext) -> FormScreen {
        let f = state.view.filter
        let tiers: [Form.Option] = [Form.Option("", "全部 all")] + Tier.allCases.map { Form.Option($0.rawValue, $0.label) }
            + [Form.Option("wealth,affluent,private", "理财级以上 wealth and above")]
        let kinds = [Form.Option("", "全部 all")] + CustomerKind.allCases.map { Form.Option($0.rawValue, $0.label) }
        let tasks = [Form.Option("", "不限 any"), Form.Option("yes", "有待办 open task"), Form.Option("no", "无待办 none")]
        let sorts = PortfolioSort.allCases.map { Form.Option($0.rawValue, $0.label) }
        let form = Form(title: "筛选 Filter", fields: [
            Form.Field("tier", "层级 Tier", .choice(tiers), value: f.tiers.map(\.rawValue).sorted { a, b in
                Tier.allCases.firstIndex { $0.rawValue == a }! < Tier.allCases.firstIndex { $0.rawValue == b }! }.joined(separator: ",")),
            Form.Field("kind", "类型 Kind", .choice(kinds), value: f.kinds.count == 1 ? f.kinds.first!.rawValue : ""),
            Form.Field("village", "村/社区 Village", value: f.village ?? "", maxLength: 40),
            Form.Field("tag", "标签 Tag", value: f.tag ?? "", maxLength: 20),
            Form.Field("task", "待办 Open task", .choice(tasks), value: f.hasOpenTask.map { $0 ? "yes" : "no" } ?? ""),
            Form.Field("stale", "未联系天数 No contact for", value: f.staleDays.map(String.init) ?? "", hint: "天 days, e.g. 90", maxLength: 4),
            Form.Field("activity", "活跃度 Activity", .choice([Form.Option("", "不限 any")] + Activity.allCases.map { Form.Option($0.rawValue, $0.label) }),
                       value: f.activity ?? ""),
            Form.Field("segment", "分群 Segment", .choice([Form.Option("", "不限 any")] + Segment.allCases.map { Form.Option($0.rawValue, "\($0.rawValue)类") }),
                       value: f.segment ?? ""),
            Form.Field("sort", "排序 Sort", .choice(sorts), value: state.view.sort.rawValue),
        ])
        func view(_ form: Form) -> Result<PortfolioView, ViewSpecError> {
            var parts: [String] = []
            for key in ["tier", "kind", "village", "tag", "task", "stale", "activity", "segment", "sort"] {
                let v = form[key].trimmingCharacters(in: .whitespaces)
                if !v.isEmpty { parts.append("\(key)=\(v)") }
            }
            return PortfolioView.parse(parts.joined(separator: ";"))
        }
        return FormScreen(
            form: form, kind: "filter", customerID: nil, customerLine: "Enter 在最后一项应用 applies on the last field · Ctrl-S 应用 apply",
            keepsDraft: false,
            validate: { form, _ in
                if case .failure(let e) = view(form) { return [String(e.part.prefix { $0 != "=" }): e.reason] }
                return [:]
            },
            submit: { [weak self] form, ctx, _ throws(StoreError) in
                guard case .success(let v) = view(form) else { throw StoreError.invalid(field: "filter", reason: "invalid") }
                self?.apply(v, name: nil, ctx)
                return "筛选 filter: \(v.label)"
            })
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        var y = rect.y
        if let q = state.query {
            b.put("/ \(q)▏ \(state.hits.count) 个结果 results   (Esc 退出搜索 leave search)", x: rect.x + 1, y: y, role: "title",
                  maxWidth: rect.width - 2)
        } else {
            let more = state.next == nil ? "" : "+"
            let name = state.viewName.map { "[\($0)] " } ?? ""
            b.put("\(ctx.scopeLabel) · \(name)\(state.view.label) · 排序 \(state.view.sort.label) · \(state.rows.count)\(more) 位客户 customers",
                  x: rect.x + 1, y: y, role: "title", maxWidth: rect.width - 2)
        }
        y += 1
        let columns = CustomerRowPresenter.columns(width: rect.width - 2)
        CustomerRowPresenter.drawHeader(columns, x: rect.x + 1, y: y, into: &b)
        y += 1
        let listHeight = rect.maxY - y - 1
        height = max(1, listHeight)
        let rows = state.visible
        if let e = state.error {
            b.put(e, x: rect.x + 1, y: y, role: "status.error", maxWidth: rect.width - 2)
        } else if rows.isEmpty {
            b.put(state.query == nil ? "没有客户 No customers here." + (state.view.isFiltered ? " x 清除筛选 clear filters" : "")
                  : "没有匹配 No match. Try pinyin (zhang), initials (zsf), phone or ID last 4.",
                  x: rect.x + 1, y: y, role: "muted", maxWidth: rect.width - 2)
        }
        for i in 0..<listHeight {
            let index = state.cursor.top + i
            guard index < rows.count else { break }
            let selected = index == state.cursor.selected
            if selected { b.fill(Rect(x: rect.x, y: y + i, width: rect.width, height: 1), role: "list.selection.focused") }
            CustomerRowPresenter.drawRow(rows[index], state.details[rows[index].customerID], columns: columns, x: rect.x + 1,
                                         y: y + i, selected: selected, into: &b)
        }
        let hint = state.query == nil ? "/ 搜索 search · Enter 打开 open · f 筛选 filter · o 排序 sort · V 视图 views · w 范围 scope · ? 帮助"
            : "输入即搜 type to search · ↑↓ 选择 · Enter 打开 open · Esc 退出 leave"
        b.put(hint, x: rect.x + 1, y: rect.maxY - 1, role: "muted", maxWidth: rect.width - 2)
    }
}

/// The saved views, to pick one.
final class SavedViewsScreen: DialogScreen {
    var views: [SavedView]
    var selected = 0
    weak var portfolio: PortfolioScreen?
    let title = "保存的视图 Saved views"
    var keys: [KeyHelp] { [KeyHelp("Enter", "使用 use"), KeyHelp("Esc", "关闭 close"), KeyHelp(":view save NAME", "保存当前 save the current view")] }

    init(_ ctx: AppContext, portfolio: PortfolioScreen) {
        views = (try? ctx.store.savedViews(staffID: ctx.user.staffID)) ?? []
        self.portfolio = portfolio
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        switch key {
        case .down, .character("j"): selected = min(max(0, views.count - 1), selected + 1)
        case .up, .character("k"): selected = max(0, selected - 1)
        case .enter:
            guard selected < views.count else { return .close }
            guard let p = portfolio else { return .close }
            let action = p.viewCommand(views[selected].name, ctx)
            if case .error = action { return action }
            return .closeWith("视图 view: \(views[selected].name)")
        case .escape, .character("q"): return .close
        default: break
        }
        return .handled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        let lines = views.isEmpty ? ["还没有 none yet — :view save NAME saves the current filters"]
            : views.enumerated().map { (i, v) in (i == selected ? "▸ " : "  ") + DisplayWidth.pad(v.name, to: 14) + " " + v.spec }
        Dialog.draw(title: title, lines: lines, footer: "Enter 使用 use · Esc 关闭 close", into: &b, within: rect)
    }
}
