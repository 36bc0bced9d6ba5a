/// A semantic style name (`list.selection.focused`, `tier.private`, `status.error`): screens say
/// what a cell is, a theme says how that looks, so monochrome and colour share one drawing.
public struct StyleRole: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let name: String
    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public var description: String { name }

    public static let normal: StyleRole = "normal"
}

/// One terminal cell. A wide character (CJK) occupies its cell and the next one; the next one
/// is a continuation cell (`width == 0`) that the backend never writes.
public struct Cell: Hashable, Sendable {
    public var character: Character
    /// 1 for most characters, 2 for CJK and other wide ones, 0 for the right half of a wide one.
    public var width: Int8
    public var role: StyleRole

    public init(_ character: Character = " ", width: Int8 = 1, role: StyleRole = .normal) {
        self.character = character; self.width = width; self.role = role
    }

    public static let blank = Cell()
    static func continuation(_ role: StyleRole) -> Cell { Cell(" ", width: 0, role: role) }
    public var isContinuation: Bool { width == 0 }
}
