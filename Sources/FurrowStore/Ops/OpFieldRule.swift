import Foundation
import FurrowCore

/// What one field of an op must hold, as the workstation's form or write makes it. The branch
/// checks every pushed op's fields against its kind's rules (`OpDefinition.fields`) before
/// any effect.
enum OpFieldRule: Sendable {
    /// Text of at most `max` characters; `lines`: newlines and tabs allowed (no other control characters).
    case text(Int, lines: Bool = false)
    case oneOf([String])
    /// YYYY-MM-DD, a real day.
    case day
    case int(ClosedRange<Int>)
    /// "1" or "0".
    case flag
    /// An id or a staff ID: 1 to 128 printable characters without spaces.
    case ident
    /// A time as the forms write it (`at` is also checked against the branch's clock).
    case time
    /// Comma-separated staff IDs.
    case staffList
    /// Quiet hours as the preferences form writes them (HH:MM-HH:MM), or empty.
    case quietHours

    /// One of an enumeration's raw values.
    static func all<T: RawRepresentable & CaseIterable>(_: T.Type) -> OpFieldRule where T.RawValue == String {
        .oneOf(T.allCases.map(\.rawValue))
    }

    /// Why `value` does not hold what this rule asks, or nil.
    func problem(_ value: String) -> String? {
        func controls(allowingLines: Bool) -> Bool {
            value.unicodeScalars.contains { s in
                (s.value < 0x20 || (0x7F...0x9F).contains(s.value)) && !(allowingLines && (s == "\n" || s == "\t" || s == "\r"))
            }
        }
        switch self {
        case .text(let max, let lines):
            if value.count > max { return "at most \(max) characters" }
            if controls(allowingLines: lines) { return "control characters are not allowed" }
        case .oneOf(let allowed):
            if !allowed.contains(value) { return "one of \(allowed.filter { !$0.isEmpty }.joined(separator: ", "))" }
        case .day:
            if value.count != 10 || CalendarDate(iso: value) == nil { return "a day, YYYY-MM-DD" }
        case .int(let range):
            guard value.count <= 10, let n = Int(value), range.contains(n) else { return "a whole number from \(range.lowerBound) to \(range.upperBound)" }
        case .flag:
            if value != "1" && value != "0" { return "1 or 0" }
        case .ident:
            if value.isEmpty || value.count > 128 || value.unicodeScalars.contains(where: { $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) }) {
                return "an id: 1 to 128 characters, no spaces"
            }
        case .time:
            if value.isEmpty || value.count > 40 || controls(allowingLines: false) { return "a time such as 2026-11-20 10:00" }
        case .staffList:
            let ids = value.split(separator: ",", omittingEmptySubsequences: false)
            if value.count > 1000 || ids.isEmpty || ids.contains(where: { OpFieldRule.ident.problem(String($0)) != nil }) {
                return "staff IDs separated by commas"
            }
        case .quietHours:
            if value.count > 11 { return "at most 11 characters" }
            if !value.isEmpty, let problem = ContactPreferences(quietHours: value).problems["quiet"] { return problem }
        }
        return nil
    }

    /// Refuses the first field of `op` that is not part of its kind or does not hold what its
    /// form would write.
    static func check(_ op: SyncOp, against definition: any OpDefinition) throws {
        for (name, value) in op.fields.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("_base.") {
                // The clock this device had seen for a merged field (a tag's, a preference's …).
                guard name.count <= 70, HLC(encoded: value) != nil else { throw refusal(name, "not a clock stamp") }
                continue
            }
            guard let rule = definition.fields[name] else { throw refusal(name, "not a field of a \(op.kind) change") }
            if let problem = rule.problem(value) { throw refusal(name, problem) }
        }
    }

    private static func refusal(_ field: String, _ reason: String) -> OpEffects.Refusal {
        OpEffects.Refusal(code: "bad_fields", reason: "\(String(field.prefix(40))): \(reason)")
    }
}
