import Foundation
import FurrowCore
import FurrowStore
import TerminalUI

/// Sync: what this workstation has to send the branch server. Every write waits in the outbox
/// (with its clock stamp) until the server acknowledges it; connecting to the server
/// (`furrow login`, `furrow sync`) comes with the branch-server work.
final class SyncScreen: WorkstationScreen {
    let title = "同步 Sync"
    var keys: [KeyHelp] { [KeyHelp("r", "刷新 refresh")] }
    private var ops: [SyncOp] = []
    private var loaded = false

    init(_ ctx: AppContext) {}

    func reappear(_ ctx: AppContext) { loaded = false }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if key == .character("r") { loaded = false; return .message("已刷新 refreshed") }
        return .unhandled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        if !loaded {
            ops = (try? ctx.store.pendingOps(limit: 500)) ?? []
            ctx.pendingOps = (try? ctx.store.pendingOpCount()) ?? ops.count
            loaded = true
        }
        var y = rect.y
        b.put("待发送 \(ctx.pendingOps) 条 writes waiting for the branch server · 服务器未设置 no server set up yet",
              x: rect.x + 1, y: y, role: "title", maxWidth: rect.width - 2)
        y += 1
        b.put("Everything you do is kept here, with its audit entry, and works without a network; it is sent when this workstation is connected to the branch (furrow login / furrow sync).",
              x: rect.x + 1, y: y, role: "muted", maxWidth: rect.width - 2)
        y += 2
        b.put(DisplayWidth.pad("时间 When (HLC)", to: 26) + DisplayWidth.pad("操作 What", to: 20) + "客户 Customer", x: rect.x + 1, y: y,
              role: "list.header", maxWidth: rect.width - 2)
        y += 1
        for op in ops where y < rect.maxY {
            let when = Timestamp.shanghaiNow(Date(timeIntervalSince1970: Double(op.hlc.wallMs) / 1000)).prefix(16)
            b.put(DisplayWidth.pad(String(when), to: 26) + DisplayWidth.pad(op.kind, to: 20) + (op.customerID ?? ""),
                  x: rect.x + 1, y: y, maxWidth: rect.width - 2)
            y += 1
        }
    }
}
