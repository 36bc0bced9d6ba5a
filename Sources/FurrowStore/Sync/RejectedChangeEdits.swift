import FurrowCore

/// What an RM may change in a change the branch refused before sending it again: the words and
/// dates they typed, never the ids, times or owners the change carries. Each field says where
/// the local copy keeps it, so the edit shows in this store at once, as the new op will
/// everywhere else.
public struct EditableOpField: Sendable, Equatable {
    public enum Check: Sendable, Equatable { case text, requiredText, day }

    public let field: String
    public let label: String
    public let maxLength: Int
    public let check: Check
    /// The local row: table, column, and the column that holds the op's record id. Nil when
    /// the op's own effect (re-applied on resubmit) writes the value, as a reschedule does.
    let column: LocalColumn?

    struct LocalColumn: Sendable, Equatable {
        var table: String, column: String, key: String
        init(_ table: String, _ column: String, _ key: String) { self.table = table; self.column = column; self.key = key }
    }

    /// Why `value` will not do, or nil.
    public func problem(with value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if (check == .day ? trimmed : value).count > maxLength { return "at most \(maxLength) characters" }
        switch check {
        case .text: return nil
        case .requiredText: return trimmed.isEmpty ? "required" : nil
        case .day: return CalendarDate(iso: trimmed) == nil ? "a day as YYYY-MM-DD" : nil
        }
    }

    /// The fields of `kind` an RM may edit; empty when a change of that kind has nothing to
    /// edit (a tag, a completion, a reveal) and can only be resubmitted or discarded.
    public static func fields(ofKind kind: String) -> [EditableOpField] {
        switch kind {
        case "note.add":
            [EditableOpField(field: "text", label: "备注 Note", maxLength: 2000, check: .requiredText,
                             column: LocalColumn("notes", "text", "note_id"))]
        case "interaction.log", "interaction.correct":
            [("purpose", "目的 Purpose", 200), ("notes", "记录 Notes", 2000), ("outcome", "结果 Outcome", 500),
             ("next_step", "下一步 Next step", 200)].map { f, label, max in
                EditableOpField(field: f, label: label, maxLength: max, check: .text, column: LocalColumn("interactions", f, "interaction_id"))
            }
        case "task.create":
            [EditableOpField(field: "title", label: "任务 Task", maxLength: 200, check: .requiredText, column: LocalColumn("tasks", "title", "task_id")),
             EditableOpField(field: "due_on", label: "到期 Due", maxLength: 10, check: .day, column: LocalColumn("tasks", "due_on", "task_id")),
             EditableOpField(field: "reason", label: "原因 Reason", maxLength: 200, check: .text, column: LocalColumn("tasks", "reason", "task_id"))]
        case "task.reschedule":
            [EditableOpField(field: "due_on", label: "到期 Due", maxLength: 10, check: .day, column: nil)]
        case "complaint.file":
            [EditableOpField(field: "description", label: "投诉内容 Description", maxLength: 2000, check: .requiredText,
                             column: LocalColumn("complaints", "description", "complaint_id"))]
        default:
            []
        }
    }
}
