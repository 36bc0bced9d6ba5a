import Foundation

/// A hybrid logical clock stamp (wall milliseconds, a counter, the node): it orders events
/// across devices like time does when clocks agree, and still orders them when they do not.
/// The encoded form sorts as the stamps do (`000001763899200123-0000-<node>`).
public struct HLC: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public var wallMs: Int64
    public var counter: Int
    public var node: String

    public init(wallMs: Int64, counter: Int = 0, node: String) {
        self.wallMs = wallMs
        self.counter = counter
        self.node = node
    }

    /// The wall time of the stamp.
    public var date: Date { Date(timeIntervalSince1970: Double(wallMs) / 1000) }

    public static func < (a: HLC, b: HLC) -> Bool {
        (a.wallMs, a.counter, a.node) < (b.wallMs, b.counter, b.node)
    }

    /// The stamp for a new local event at wall time `now`.
    public func tick(now: Int64) -> HLC {
        now > wallMs ? HLC(wallMs: now, counter: 0, node: node) : HLC(wallMs: wallMs, counter: counter + 1, node: node)
    }

    /// The stamp after learning of `remote` (from a pull): never behind anything seen.
    public func receive(_ remote: HLC, now: Int64) -> HLC {
        let wall = max(wallMs, remote.wallMs, now)
        let counter: Int
        if wall == wallMs && wall == remote.wallMs { counter = max(self.counter, remote.counter) + 1 }
        else if wall == wallMs { counter = self.counter + 1 }
        else if wall == remote.wallMs { counter = remote.counter + 1 }
        else { counter = 0 }
        return HLC(wallMs: wall, counter: counter, node: node)
    }

    public var description: String {
        let w = String(wallMs), c = String(counter)
        return String(repeating: "0", count: max(0, 18 - w.count)) + w + "-" + String(repeating: "0", count: max(0, 4 - c.count)) + c + "-" + node
    }

    public init?(encoded s: String) {
        let parts = s.split(separator: "-", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0].count == 18, let w = Int64(parts[0]), let c = Int(parts[1]), !parts[2].isEmpty else { return nil }
        self.init(wallMs: w, counter: c, node: parts[2])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let h = HLC(encoded: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an HLC stamp: \(s)")
        }
        self = h
    }
}
