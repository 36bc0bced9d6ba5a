import FurrowCore
import FurrowStore
import TerminalUI

extension FormScreens {
    /// A change the branch refused, opened with what was typed: the RM corrects it and it is
    /// sent again as a new change (the refused one stays in the audit trail). Kept as a draft
    /// like any form, so an edit interrupted by a crash comes back.
    static func editRejected(_ a: AppDatabase.AnsweredOp, _ ctx: AppContext, resuming: Draft? = nil,
                             onDone: @escaping () -> Void = {}) -> FormScreen? {
        let editable = EditableOpField.fields(ofKind: a.op.kind)
        guard !editable.isEmpty, let customerID = a.op.customerID else { return nil }
        func original(_ e: EditableOpField) -> String { a.op.fields[e.field] ?? "" }
        // Only what the RM changed is an edit (and is checked): the rest goes as it was.
        func changes(_ form: Form) -> [String: String] {
            Dictionary(uniqueKeysWithValues: editable.filter { form[$0.field] != original($0) }.map { ($0.field, form[$0.field]) })
        }
        let form = Form(title: "改后重新提交 Edit and resubmit · \(a.op.kind)",
                        // Never shorter than what was typed: opening the form must not cut it.
                        fields: editable.map { Form.Field($0.field, $0.label, value: original($0),
                                                          hint: $0.check == .day ? "YYYY-MM-DD" : "",
                                                          maxLength: max($0.maxLength, original($0).count)) })
        return FormScreen(
            form: form, kind: AppDatabase.editDraftKind(a.op.opID), customerID: customerID,
            customerLine: customerLine(customerID, ctx) + " · 被拒 refused: \(a.reason ?? a.code ?? "")",
            resuming: resuming,
            validate: { form, _ in
                var problems: [String: String] = [:]
                for e in editable where changes(form)[e.field] != nil {
                    if let p = e.problem(with: form[e.field]) { problems[e.field] = p }
                }
                return problems
            },
            submit: { form, ctx, draftID throws(StoreError) in
                let newOp = try ctx.store.resubmitOp(a.op.opID, edits: changes(form), draftID: draftID, by: ctx.user.staffID)
                onDone()
                ctx.sync?.syncNow()
                return "已改后重新提交 edited and resubmitted: \(a.op.kind) \(newOp.prefix(8))"
            })
    }
}
