import Foundation

/// A hybrid logical clock stamp (wall milliseconds, a counter, the node): it orders events
/// across devices like time does when clocks agree, and still orders them when they do not.
/// The encoded form sorts as the stamps do (`000001763899200123-0000-<node>`).
///
/// Every part is bounded, so that the encoding keeps its order for every stamp the type makes and
/// no arithmetic on a received stamp can overflow: the wall between 1970 and the end of year
/// 9999, the counter 0…9,999 (when a counter would pass it, the stamp moves one millisecond on
/// instead, as if the wall clock had ticked), the node 1…64 printable characters. Stamps come
/// from other devices: `init?(encoded:)` and decoding refuse anything outside these bounds.
public struct HLC: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var wallMs: Int64
    public var counter: Int
    public var node: String

    /// 9999-12-31T23:59:59.999Z.
    public static let maxWallMs: Int64 = 253_402_300_799_999
    public static let maxCounter = 9_999
    public static let maxNodeLength = 64
    /// How far ahead of a receiver's clock a stamp may be: the branch refuses ops stamped later
    /// than its clock plus this, and no device moves its own clock to such a stamp. Two days
    /// tolerate a laptop whose clock is a day off (it is flagged to the user from 5 minutes).
    public static let acceptedLeadMs: Int64 = 2 * 86_400_000

    public init(wallMs: Int64, counter: Int = 0, node: String) {
        self.wallMs = wallMs
        self.counter = counter
        self.node = node
    }

    /// Whether every part is within the bounds the encoding keeps in order.
    public var isWithinBounds: Bool {
        (0...Self.maxWallMs).contains(wallMs) && (0...Self.maxCounter).contains(counter) && Self.isValidNode(node)
    }

    public static func isValidNode(_ node: String) -> Bool {
        !node.isEmpty && node.utf8.count <= maxNodeLength
            && node.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && !(0x80...0x9F).contains($0.value) }
    }

    /// The wall time of the stamp.
    public var date: Date { Date(timeIntervalSince1970: Double(wallMs) / 1000) }

    public static func < (a: HLC, b: HLC) -> Bool {
        (a.wallMs, a.counter, a.node) < (b.wallMs, b.counter, b.node)
    }

    /// The stamp for a new local event at wall time `now`.
    public func tick(now: Int64) -> HLC {
        let now = Self.clampWall(now)
        return now > wallMs ? HLC(wallMs: now, counter: 0, node: node) : Self.next(wall: wallMs, after: counter, node: node)
    }

    /// The stamp after learning of `remote` (from a pull): never behind anything seen — except a
    /// stamp ahead of `now` by more than `acceptedLeadMs`, which is not adopted (the clock only
    /// ticks): a device's clock never jumps to a date some other clock made up.
    public func receive(_ remote: HLC, now: Int64) -> HLC {
        guard remote.wallMs <= Self.clampWall(now) &+ Self.acceptedLeadMs else { return tick(now: now) }
        let local = Self.clampWall(wallMs), theirs = Self.clampWall(remote.wallMs)
        let wall = max(local, theirs, Self.clampWall(now))
        if wall == local && wall == theirs { return Self.next(wall: wall, after: max(counter, remote.counter), node: node) }
        if wall == local { return Self.next(wall: wall, after: counter, node: node) }
        if wall == theirs { return Self.next(wall: wall, after: remote.counter, node: node) }
        return HLC(wallMs: wall, counter: 0, node: node)
    }

    /// The stamp just after (`wall`, `counter`): the next counter, or the next millisecond when
    /// the counter is spent (or out of bounds: a stamp made in memory by a test, say).
    private static func next(wall: Int64, after counter: Int, node: String) -> HLC {
        if counter >= 0 && counter < maxCounter { return HLC(wallMs: wall, counter: counter + 1, node: node) }
        return HLC(wallMs: min(wall, maxWallMs - 1) + 1, counter: 0, node: node)
    }

    private static func clampWall(_ ms: Int64) -> Int64 { min(max(ms, 0), maxWallMs) }

    public var description: String {
        let w = String(wallMs), c = String(counter)
        return String(repeating: "0", count: max(0, 18 - w.count)) + w + "-" + String(repeating: "0", count: max(0, 4 - c.count)) + c + "-" + node
    }

    /// Reads the encoded form back; nil for anything but a stamp within the bounds.
    public init?(encoded s: String) {
        guard s.utf8.count <= 18 + 1 + 4 + 1 + Self.maxNodeLength else { return nil }
        let parts = s.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0].count == 18, parts[1].count == 4,
              parts[0].utf8.allSatisfy({ (48...57).contains($0) }), parts[1].utf8.allSatisfy({ (48...57).contains($0) }),
              let w = Int64(parts[0]), let c = Int(parts[1]) else { return nil }
        let stamp = HLC(wallMs: w, counter: c, node: parts[2])
        guard stamp.isWithinBounds else { return nil }
        self = stamp
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let h = HLC(encoded: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an HLC stamp within bounds: \(s.prefix(40))")
        }
        self = h
    }
}
