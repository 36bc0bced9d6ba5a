import FurrowStore
import TerminalUI

/// A screen drawn as a box over the one beneath it.
protocol DialogScreen: WorkstationScreen {}

/// Asks before something that cannot be undone.
class ConfirmScreen: DialogScreen {
    let title: String
    let lines: [String]
    let onYes: (AppContext) -> ScreenAction
    var keys: [KeyHelp] { [KeyHelp("y", "是 yes"), KeyHelp("n / Esc", "否 no")] }

    init(title: String, lines: [String], onYes: @escaping (AppContext) -> ScreenAction) {
        self.title = title; self.lines = lines; self.onYes = onYes
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        switch key {
        case .character("y"), .character("Y"): return onYes(ctx)
        case .character("n"), .character("N"), .escape, .character("q"): return .close
        default: return .handled
        }
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        Dialog.draw(title: title, lines: lines, footer: "y 是 yes · n / Esc 否 no", into: &b, within: rect)
    }
}

/// At start-up (or on `:drafts`): forms left unsaved, offered back.
final class DraftOfferScreen: DialogScreen {
    var drafts: [Draft]
    var selected = 0
    let title = "未保存的草稿 Unsaved drafts"
    var keys: [KeyHelp] {
        [KeyHelp("Enter / r", "继续 resume the draft"), KeyHelp("x", "丢弃 discard it (asks first)"),
         KeyHelp("Esc", "稍后 later (kept; :drafts brings them back)")]
    }

    /// Customer names, read once (a frame never queries the store).
    private var names: [String: String] = [:]

    init(drafts: [Draft], _ ctx: AppContext) {
        self.drafts = drafts
        readNames(ctx)
    }

    private func readNames(_ ctx: AppContext) {
        for id in Set(drafts.compactMap(\.customerID)) where names[id] == nil {
            names[id] = (try? ctx.store.customerSummaries(ids: [id]))?[id]?.name ?? id
        }
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        guard selected < drafts.count else { return .close }
        let d = drafts[selected]
        switch key {
        case .down, .character("j"): selected = min(drafts.count - 1, selected + 1)
        case .up, .character("k"): selected = max(0, selected - 1)
        case .enter, .character("r"):
            guard let form = FormScreens.resume(d, ctx) else { return .error("草稿无法恢复 cannot resume a \(d.kind) draft") }
            return .replace(form)
        case .character("x"):
            return .push(ConfirmScreen(title: "丢弃草稿 Discard draft?", lines: [describe(d)]) { [weak self] ctx in
                do {
                    try ctx.store.deleteDraft(d.draftID)
                    ctx.refreshDraftCount()
                    self?.drafts.removeAll { $0.draftID == d.draftID }
                    self?.selected = 0
                    return .closeWith("草稿已丢弃 draft discarded")
                } catch { return .error(String(describing: error)) }
            })
        case .escape, .character("q"): return .close
        default: break
        }
        return .handled
    }

    func reappear(_ ctx: AppContext) {
        drafts = (try? ctx.store.drafts(staffID: ctx.user.staffID)) ?? drafts
        selected = min(selected, max(0, drafts.count - 1))
        readNames(ctx)
    }

    func describe(_ d: Draft) -> String {
        let who = d.customerID.flatMap { names[$0] } ?? ""
        return "\(FormScreens.label(ofKind: d.kind)) \(who)  开始 started \(d.createdAt.prefix(16))  最后 last \(d.updatedAt.dropFirst(11).prefix(5))"
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        if drafts.isEmpty {
            Dialog.draw(title: title, lines: ["没有草稿 no drafts"], footer: "Esc", into: &b, within: rect)
            return
        }
        // At most what fits, scrolled to keep the selected draft in view.
        let room = max(1, rect.height - 7)
        let first = max(0, min(selected - room / 2, drafts.count - room))
        let shown = Array(drafts.enumerated()).dropFirst(first).prefix(room)
        let lines = shown.map { (i, d) in (i == selected ? "▸ " : "  ") + describe(d) }
        let inner = Dialog.draw(title: title + (drafts.count > room ? " (\(drafts.count))" : ""),
                                lines: ["上次没有保存 These were not saved last time:"] + lines,
                                footer: "Enter 继续 resume · x 丢弃 discard · Esc 稍后 later", into: &b, within: rect)
        let row = selected - first
        b.fill(Rect(x: inner.x, y: inner.y + 1 + row, width: inner.width, height: 1), role: "list.selection.focused")
        b.put(lines[row], x: inner.x + 1, y: inner.y + 1 + row, role: "list.selection.focused", maxWidth: inner.width - 2)
    }
}
