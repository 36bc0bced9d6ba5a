/// Why a resident ID number, unified social credit code or mobile number was rejected.
///
/// One type for all three documents so a form can show any of them the same way. `message`
/// is what a bank clerk reads next to the field ("must be 18 characters, found 17");
/// `description` names the document as well, for logs and import reports. Neither ever
/// repeats the whole number, so an error can be logged without leaking personal data.
public struct IDValidationError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Document: String, Sendable, Hashable, CaseIterable {
        case residentID, uscc, mobile

        public var label: String {
            switch self {
            case .residentID: "resident ID number"
            case .uscc: "unified social credit code"
            case .mobile: "mobile number"
            }
        }
    }

    public enum Problem: Equatable, Hashable, Sendable {
        /// Nothing but blanks was entered.
        case empty
        /// Wrong number of characters (digits for a mobile number).
        case wrongLength(expected: Int, found: Int)
        /// `position` is 1-based and counts characters as the clerk sees them.
        case notADigit(position: Int, found: Character)
        /// A character outside the 31-character USCC alphabet (I, O, Z, S, V are never used).
        case notInAlphabet(position: Int, found: Character)
        /// The 18th character of a resident ID must be a digit or X.
        case badLastCharacter(found: Character)
        case wrongCheckCharacter(expected: Character, found: Character)
        /// The eight digits `YYYYMMDD` as written in the number.
        case impossibleBirthDate(String)
        case birthDateBefore1900(String)
        case birthDateInFuture(String)
        case mustStartWithOne(found: Character)
        case badSecondDigit(found: Character)
    }

    public let document: Document
    public let problem: Problem

    public init(_ document: Document, _ problem: Problem) {
        self.document = document
        self.problem = problem
    }

    /// Plain English for the clerk, without the document's name.
    public var message: String {
        switch problem {
        case .empty:
            return "is empty"
        case let .wrongLength(expected, found):
            let unit = document == .mobile ? "digits" : "characters"
            return "must be \(expected) \(unit), found \(found)"
        case let .notADigit(position, found):
            return "character \(position) ('\(found)') is not a digit"
        case let .notInAlphabet(position, found):
            return "character \(position) ('\(found)') is not allowed: only digits and the letters "
                + "A–Y without I, O, S, V and Z are used"
        case let .badLastCharacter(found):
            return "the last character must be a digit or X, found '\(found)'"
        case let .wrongCheckCharacter(expected, found):
            return "check character should be '\(expected)', found '\(found)'"
        case let .impossibleBirthDate(digits):
            return "birth date \(digits) is not a real date"
        case let .birthDateBefore1900(digits):
            return "birth date \(digits) is before 1900"
        case let .birthDateInFuture(digits):
            return "birth date \(digits) is in the future"
        case .mustStartWithOne:
            return "must start with 1"
        case let .badSecondDigit(found):
            return "second digit must be 3 to 9, found '\(found)'"
        }
    }

    /// "resident ID number must be 18 characters, found 17"
    public var description: String { "\(document.label) \(message)" }
}
