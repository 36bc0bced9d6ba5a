import Foundation
import FurrowCore
import FurrowStore
import TerminalUI

/// Sync: where this workstation stands with the branch server — the last sync and any problem,
/// what waits to be sent, and what the branch did not take (rejected with a reason, or
/// superseded by a later change) and the conflicts, each with an action.
final class SyncScreen: WorkstationScreen {
    let title = "同步 Sync"
    var keys: [KeyHelp] {
        [KeyHelp("S", "立即同步 sync now"), KeyHelp("R", "重新提交 resubmit the selected rejected change"),
         KeyHelp("E", "改后重新提交 edit the selected rejected change, then resubmit it"),
         KeyHelp("x", "丢弃 discard the selected rejected change (asks first)"),
         KeyHelp("a", "接受 accept the kept value of the selected conflict"),
         KeyHelp("y / n", "更正: 接受 / 拒绝 a correction: accept / reject (leads; asks first, a rejection asks why)"),
         KeyHelp("e", "导出 export rejections and conflicts to a CSV file"), KeyHelp("r", "刷新 refresh"),
         KeyHelp("↑↓ j k", "移动 move")]
    }

    enum Row: Equatable {
        case answered(AppDatabase.AnsweredOp)
        case conflict(SyncConflict)
        case pending(SyncOp)
        /// A profile correction: one to decide (a lead's), or one's own waiting for a lead.
        case proposal(ProfileProposal)
    }

    private(set) var rows: [Row] = []
    private var overview: SyncOverview?
    private var cursor = ListCursor()
    private var listHeight = 10
    private var loaded = false

    init(_ ctx: AppContext) {}

    func reappear(_ ctx: AppContext) { loaded = false }

    func load(_ ctx: AppContext) {
        let answered = ((try? ctx.store.rejectedOps(limit: 500)) ?? []).map(Row.answered)
        let conflicts = ((try? ctx.store.syncConflicts(limit: 500)) ?? []).map(Row.conflict)
        let pending = ((try? ctx.store.pendingOps(limit: 500)) ?? []).map(Row.pending)
        let proposals = ((try? ctx.store.proposals(status: .pending, limit: 500)) ?? [])
            .filter { mayDecide(ctx) ? $0.proposedBy != ctx.user.staffID : $0.proposedBy == ctx.user.staffID }
            .map(Row.proposal)
        rows = answered + conflicts + proposals + pending
        ctx.refreshSyncOverview()
        overview = ctx.syncOverview
        cursor.clamp(count: rows.count, height: listHeight)
        loaded = true
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if !loaded { load(ctx) }
        if cursor.handle(key, count: rows.count, height: listHeight) { return .handled }
        let row = rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil
        switch key {
        case .character("r"):
            loaded = false
            return .message("已刷新 refreshed")
        case .character("S"):
            guard let sync = ctx.sync else {
                return .error("未登录分行服务器 not signed in: furrow login --server URL --user STAFF_ID")
            }
            if sync.isRunning { return .message("正在同步 a sync is running") }
            sync.syncNow()
            return .message("开始同步 sync started")
        case .character("R"):
            guard case .answered(let a) = row else { return .error("选一条被拒的改动 select a rejected change") }
            do { try ctx.store.resubmitOp(a.op.opID, by: ctx.user.staffID) } catch { return .error(error.description) }
            loaded = false
            ctx.sync?.syncNow()
            return .message("已重新提交 resubmitted: \(a.op.kind)")
        case .character("E"):
            guard case .answered(let a) = row else { return .error("选一条被拒的改动 select a rejected change") }
            // An edit left as a draft comes back as it was left.
            let draft = (try? ctx.store.drafts(staffID: ctx.user.staffID))?.first { $0.kind == AppDatabase.editDraftKind(a.op.opID) }
            guard let form = FormScreens.editRejected(a, ctx, resuming: draft, onDone: { [weak self] in self?.loaded = false }) else {
                return .error("这类改动没有可改的内容 a \(a.op.kind) change has nothing to edit: R 重新提交 resubmits, x 丢弃 discards")
            }
            return .push(form)
        case .character("x"):
            guard case .answered(let a) = row else { return .error("选一条被拒的改动 select a rejected change") }
            return .push(ConfirmScreen(title: "丢弃这条改动? Discard this change?",
                                       lines: ["\(a.op.kind) \(a.op.customerID ?? a.op.recordID ?? "")", a.reason ?? a.code ?? "",
                                               "它不会再发送; 审计记录保留 it will not be sent again; the audit trail keeps it"]) { [weak self] ctx in
                do { try ctx.store.discardRejectedOp(a.op.opID, by: ctx.user.staffID) } catch { return .error("\(error)") }
                self?.loaded = false
                return .closeWith("已丢弃 discarded")
            })
        case .character("a"):
            guard case .conflict(let c) = row else { return .error("选一条冲突 select a conflict") }
            do { try ctx.store.acceptConflict(c.id, by: ctx.user.staffID) } catch { return .error(error.description) }
            loaded = false
            return .message("已接受 accepted: \(c.record) \(c.field) = \(c.keptValue ?? "—")")
        case .character("y"), .character("n"):
            guard case .proposal(let p) = row else { return .error("选一条更正 select a correction") }
            guard mayDecide(ctx) else { return .error("更正由组长决定 a team lead decides corrections") }
            let line = "\(p.customerID) " + CustomerPresenter.correctionLine(p, revealed: false)
            if key == .character("n") {
                return .push(FormScreens.rejectCorrection(p, line: line) { [weak self] in self?.loaded = false })
            }
            return .push(ConfirmScreen(title: "接受这条更正? Accept this correction?",
                                       lines: [line, p.reason.map { "原因 why: \($0)" } ?? "", "分行资料随之更改 the branch's copy changes at the next sync"]) { [weak self] ctx in
                do { try ctx.store.decideProposal(p.proposalID, accept: true, note: nil, by: ctx.user.staffID) } catch { return .error("\(error)") }
                self?.loaded = false
                ctx.sync?.syncNow()
                return .closeWith("已接受 accepted \(p.proposalID)")
            })
        case .character("e"):
            return export(ctx)
        default:
            return .unhandled
        }
    }

    private func mayDecide(_ ctx: AppContext) -> Bool { [.lead, .president, .admin].contains(ctx.user.role) }

    /// Rejections and conflicts as CSV beside the store, for the branch's administrator.
    private func export(_ ctx: AppContext) -> ScreenAction {
        let directory = ctx.store.path == ":memory:" ? FileManager.default.temporaryDirectory.path
            : URL(fileURLWithPath: ctx.store.path).deletingLastPathComponent().path
        let stamp = ctx.localNow.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: ":", with: "")
        let path = directory + "/sync-problems-\(stamp).csv"
        var csv = "type,when,what,customer,record,field,code,reason,kept,lost\n"
        func q(_ s: String?) -> String { "\"" + (s ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        for row in rows {
            switch row {
            case .answered(let a):
                csv += [q(a.op.status.rawValue), q(Timestamp.utcNow(a.op.hlc.date)), q(a.op.kind), q(a.op.customerID), q(a.op.recordID),
                        q(nil), q(a.code), q(a.reason), q(nil), q(nil)].joined(separator: ",") + "\n"
            case .conflict(let c):
                csv += [q("conflict"), q(c.at), q(nil), q(nil), q(c.record), q(c.field), q(nil), q(nil), q(c.keptValue), q(c.lostValue)]
                    .joined(separator: ",") + "\n"
            case .pending, .proposal: continue
            }
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(csv.utf8), attributes: [.posixPermissions: 0o600]) else {
            return .error("无法写入 cannot write \(path)")
        }
        return .message("已导出 exported to \(path)")
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        if !loaded { load(ctx) }
        var y = rect.y
        let w = rect.width - 2
        let o = overview
        let running = ctx.sync?.isRunning == true
        if let server = o?.server {
            let last = o?.lastSyncAt.flatMap(Timestamp.parseUTC).map { String(Timestamp.shanghaiNow($0).dropFirst(5).prefix(11)) } ?? "从未 never"
            b.put("服务器 server \(server) · 用户 user \(o?.user ?? "?") · 上次同步 last sync \(last)\(running ? " · 同步中 syncing…" : "")",
                  x: rect.x + 1, y: y, role: "title", maxWidth: w)
        } else {
            b.put("未登录 not signed in to a branch server: furrow login --server URL --user ID, then furrow sync",
                  x: rect.x + 1, y: y, role: "title", maxWidth: w)
        }
        y += 1
        if let problem = o?.lastProblem {
            b.put("⚠ " + problem, x: rect.x + 1, y: y, role: "status.error", maxWidth: w)
            y += 1
        }
        if let skew = o?.clockSkewSeconds, abs(skew) > 300 {
            b.put("⚠ 本机时钟与分行相差 this computer's clock is \(abs(skew) / 60) 分钟 minutes off the branch's — 请校准 set it right",
                  x: rect.x + 1, y: y, role: "status.error", maxWidth: w)
            y += 1
        }
        if o?.snapshotUnderWay == true {
            b.put("首次同步未完成 a snapshot is under way; the next sync resumes it", x: rect.x + 1, y: y, role: "muted", maxWidth: w)
            y += 1
        }
        let corrections = rows.filter { if case .proposal = $0 { true } else { false } }.count
        b.put("被拒 rejected \(o?.rejected ?? 0) · 冲突 conflicts \(o?.conflicts ?? 0) · 待发 pending \(o?.pending ?? 0)"
              + (corrections > 0 ? " · 更正待审 corrections \(corrections)" : ""), x: rect.x + 1, y: y, maxWidth: w)
        y += 2
        b.put(DisplayWidth.pad("状态 State", to: 14) + DisplayWidth.pad("操作 What", to: 22) + DisplayWidth.pad("客户 Customer", to: 16) + "原因 Why",
              x: rect.x + 1, y: y, role: "list.header", maxWidth: w)
        y += 1
        listHeight = max(1, rect.maxY - y)
        cursor.clamp(count: rows.count, height: listHeight)
        if rows.isEmpty {
            b.put("没有待处理的事 nothing to send or review", x: rect.x + 1, y: y, role: "muted", maxWidth: w)
            return
        }
        for i in cursor.top..<min(rows.count, cursor.top + listHeight) {
            let (state, what, customer, why): (String, String, String, String)
            switch rows[i] {
            case .answered(let a):
                state = a.op.status == .superseded ? "被覆盖 superseded" : "被拒 rejected"
                (what, customer, why) = (a.op.kind, a.op.customerID ?? a.op.recordID ?? "", a.reason ?? a.code ?? "")
            case .conflict(let c):
                state = "冲突 conflict"
                (what, customer, why) = ("\(c.record) \(c.field)", "", "保留 kept \(c.keptValue ?? "—") · 覆盖 lost \(c.lostValue ?? "—")")
            case .proposal(let p):
                state = "更正 proposal"
                (what, customer, why) = (p.field.label, p.customerID,
                                         "\(ProfileProposal.display(p.field, p.oldValue)) → \(ProfileProposal.display(p.field, p.newValue)) · \(p.proposedBy)"
                                         + (p.reason.map { " · \($0)" } ?? ""))
            case .pending(let op):
                state = "待发 pending"
                (what, customer, why) = (op.kind, op.customerID ?? op.recordID ?? "", String(Timestamp.shanghaiNow(op.hlc.date).prefix(16)))
            }
            let line = DisplayWidth.pad(state, to: 14) + DisplayWidth.pad(what, to: 22) + DisplayWidth.pad(customer, to: 16) + why
            let isSel = i == cursor.selected
            if isSel { b.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: "list.selection.focused") }
            b.put(line, x: rect.x + 1, y: y, role: isSel ? "list.selection.focused" : "normal", maxWidth: w)
            y += 1
        }
    }
}
