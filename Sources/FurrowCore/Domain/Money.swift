/// An amount of renminbi in integer fen (分). Never a floating-point number: the extracts carry
/// yuan with at most two decimals and every sum must be exact.
/// Parsing lives in `Money+Parsing.swift`, display in `Money+Formatting.swift`.
public struct Money: Hashable, Comparable, Sendable, Codable, AdditiveArithmetic {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }
    public init(yuan: Int64) { self.fen = yuan * 100 }

    public static let zero = Money(fen: 0)
    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }
    public static prefix func - (a: Money) -> Money { Money(fen: -a.fen) }

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(fen)
    }
}
