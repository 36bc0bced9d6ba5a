import FurrowStore
import TerminalUI

/// Sync: filled in by the branch-server issue. Until then it says plainly that this
/// workstation keeps everything locally and what is waiting to be sent.
final class SyncScreen: WorkstationScreen {
    let title = "同步 Sync"
    var keys: [KeyHelp] { [] }

    init(_ ctx: AppContext) {}

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction { .unhandled }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        let lines = [
            "同步未设置 Sync is not set up on this workstation.",
            "",
            "Everything you log is kept in the local store (\(ctx.storeLabel.isEmpty ? "this store" : ctx.storeLabel)), with its audit entry,",
            "and works without a network. Sending it to the branch server arrives with `furrow login` and `furrow sync`.",
        ]
        for (i, l) in lines.enumerated() {
            b.put(l, x: rect.x + 1, y: rect.y + i, role: i == 0 ? "title" : "normal", maxWidth: rect.width - 2)
        }
    }
}
