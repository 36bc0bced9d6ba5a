import FurrowCore
import FurrowStore
import TerminalUI

/// A form on screen: inline validation on every change, the draft kept on every change (so a
/// crash loses nothing), and the save through one store method.
final class FormScreen: WorkstationScreen {
    var form: Form
    let kind: String
    let customerID: String?
    let customerLine: String
    /// Forms worth keeping as drafts (the short ones — an outcome, a reason — are not).
    let keepsDraft: Bool
    private(set) var draft: Draft?
    /// What the form opened with: leaving an untouched form needs no question.
    private let initialValues: [String: String]
    /// Kept with the draft beside the field values (the task a visit answers), so a resumed
    /// draft does what the original form would have done.
    let draftContext: [String: String]
    let validate: (Form, AppContext) -> [String: String]
    let submit: (Form, AppContext, _ draftID: String?) throws(StoreError) -> String

    var title: String { form.title }
    var capturesText: Bool { true }
    var keys: [KeyHelp] {
        [KeyHelp("Tab / ↓ / Enter", "下一项 next field"), KeyHelp("Shift-Tab / ↑", "上一项 previous field"),
         KeyHelp("← → Space", "选择项 change a choice"), KeyHelp("Ctrl-S", "保存 save"),
         KeyHelp("Ctrl-U / Ctrl-W", "删到行首 / 删词 delete to the start / a word"), KeyHelp("Esc", "离开 leave (draft kept or discarded, you choose)")]
    }

    init(form: Form, kind: String, customerID: String?, customerLine: String, keepsDraft: Bool = true,
         resuming: Draft? = nil, draftContext: [String: String] = [:],
         validate: @escaping (Form, AppContext) -> [String: String],
         submit: @escaping (Form, AppContext, String?) throws(StoreError) -> String) {
        self.form = form; self.kind = kind; self.customerID = customerID; self.customerLine = customerLine
        self.keepsDraft = keepsDraft; self.validate = validate; self.submit = submit
        self.draftContext = draftContext
        initialValues = form.values
        draft = resuming
        if let d = resuming {
            for (k, v) in d.fields where !k.hasPrefix("_") { self.form[k] = v }
        }
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        switch form.handle(key) {
        case .none: return .handled
        case .edited:
            form.errors = validate(form, ctx)
            return keep(ctx)
        case .submit:
            form.showAllErrors = true
            form.errors = validate(form, ctx)
            if let first = form.fields.first(where: { form.errors[$0.key] != nil }) {
                form.focus(on: first.key)
                return .error("请改正标出的项 please fix the marked field: \(first.label)")
            }
            do {
                let done = try submit(form, ctx, draft?.draftID)
                ctx.refreshDraftCount()
                return .closeWith(done)
            } catch {
                if case .invalid(let field, let reason) = error, form.fields.contains(where: { $0.key == field }) {
                    form.errors[field] = reason
                    form.focus(on: field)
                }
                // The draft is still there: nothing typed is lost when a save fails.
                return .error("未保存 not saved: \(error.description)")
            }
        case .cancel:
            if let d = draft {
                return .push(ConfirmScreen(title: "离开表单 Leave the form?",
                                           lines: ["y 丢弃草稿 discard what was typed", "n 保留草稿 keep it as a draft (offered at next start, :drafts)"]) { ctx in
                    do {
                        try ctx.store.deleteDraft(d.draftID)
                        ctx.refreshDraftCount()
                    } catch { return .error(String(describing: error)) }
                    return .back(2, "已丢弃 discarded")
                }.whenNo { .back(2, "草稿已保留 draft kept — :drafts to resume") })
            }
            guard form.values != initialValues else { return .close }
            // Typed, and no draft kept (a short form, or the store refused the draft): ask.
            return .push(ConfirmScreen(title: "离开表单 Leave the form?",
                                       lines: ["输入的内容没有保存 What you typed is not saved.", "y 丢弃 discard · n 继续编辑 keep editing"]) { _ in
                .back(2, "已丢弃 discarded")
            })
        }
    }

    /// Saves the draft as it stands; a failure is reported, never swallowed.
    private func keep(_ ctx: AppContext) -> ScreenAction {
        guard keepsDraft else { return .handled }
        var d = draft ?? Draft(staffID: ctx.user.staffID, kind: kind, customerID: customerID, fields: [:],
                               createdAt: ctx.localNow)
        d.fields = form.values.merging(draftContext) { a, _ in a }
        do {
            try ctx.store.saveDraft(d, now: ctx.localNow)
            if draft == nil { ctx.draftCount += 1 }
            draft = d
            return .handled
        } catch {
            return .error("草稿未能保存 draft not kept: \(error.description)")
        }
    }

    func reappear(_ ctx: AppContext) {}

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        b.fill(rect, role: "normal")
        b.put(customerLine, x: rect.x + 1, y: rect.y, role: "muted", maxWidth: rect.width - 2)
        form.draw(into: &b, rect: Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1))
        if draft != nil {
            b.put("✎ 草稿已存 draft kept", x: rect.maxX - 22, y: rect.y, role: "muted", maxWidth: 21)
        }
    }
}

extension ConfirmScreen {
    /// A confirm whose "no" also closes the screen beneath (leave the form, keeping the draft).
    func whenNo(_ action: @escaping () -> ScreenAction) -> ConfirmScreen {
        ConfirmNoAction(title: title, lines: lines, onYes: onYes, onNo: action)
    }
}

final class ConfirmNoAction: ConfirmScreen {
    let onNo: () -> ScreenAction
    init(title: String, lines: [String], onYes: @escaping (AppContext) -> ScreenAction, onNo: @escaping () -> ScreenAction) {
        self.onNo = onNo
        super.init(title: title, lines: lines, onYes: onYes)
    }

    override func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        switch key {
        case .character("n"), .character("N"): return onNo()
        default: return super.handle(key, ctx)
        }
    }

    override func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        Dialog.draw(title: title, lines: lines, footer: "y 丢弃 discard · n 保留 keep · Esc 继续编辑 keep editing",
                    into: &b, within: rect)
    }
}
