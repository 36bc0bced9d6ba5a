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

    /// The fields of `kind` an RM may edit (its definition's `editable`); empty when a change
    /// of that kind has nothing to edit (a tag, a completion, a reveal) and can only be
    /// resubmitted or discarded.
    public static func fields(ofKind kind: String) -> [EditableOpField] {
        OpKind(rawValue: kind)?.definition.editable ?? []
    }
}
