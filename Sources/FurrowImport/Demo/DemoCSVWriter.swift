import FurrowCore
import Foundation

/// Bytes of CSV under construction: rows are appended field by field with no intermediate
/// `String`s (numbers, dates and amounts are formatted straight into the buffer).
struct CSVBytes {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }
    @inline(__always) mutating func comma() { bytes.append(44) }
    @inline(__always) mutating func newline() { bytes.append(10) }

    @inline(__always) mutating func raw(_ a: [UInt8]) { bytes.append(contentsOf: a) }

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A text field, quoted per RFC 4180 only when it holds a comma, quote or line break.
    mutating func field(_ a: [UInt8]) {
        var needs = false
        for b in a where b == 44 || b == 34 || b == 10 || b == 13 { needs = true; break }
        guard needs else { bytes.append(contentsOf: a); return }
        bytes.append(34)
        for b in a {
            if b == 34 { bytes.append(34) }
            bytes.append(b)
        }
        bytes.append(34)
    }

    /// A non-negative integer in decimal.
    mutating func int(_ v: Int) {
        if v < 0 { bytes.append(45); int(-v); return }
        var w = 1, t = v
        while t >= 10 { t /= 10; w += 1 }
        padded(v, width: w)
    }

    /// A non-negative integer, zero-padded to `width` digits.
    mutating func padded(_ v: Int, width: Int) {
        let start = bytes.count
        for _ in 0..<width { bytes.append(48) }
        var k = start + width - 1, x = v
        while x > 0 && k >= start {
            bytes[k] = UInt8(48 + x % 10)
            x /= 10
            k -= 1
        }
    }

    /// `prefix` then `v` zero-padded: the IDs of the extract (C00000001, A0000000100, …).
    mutating func id(_ prefix: UInt8, _ v: Int, width: Int) {
        bytes.append(prefix)
        padded(v, width: width)
    }

    /// Yuan with exactly two decimals from integer fen: 1234.50, -88.00, 0.00.
    mutating func yuan(_ fen: Int64) {
        var f = fen
        if f < 0 { bytes.append(45); f = -f }
        let whole = f / 100
        int(Int(whole))
        bytes.append(46)
        padded(Int(f % 100), width: 2)
    }

    /// `YYYY-MM-DD` of a day number (days since 1970-01-01).
    mutating func date(_ day: Int) {
        let d = CalendarDate(dayNumber: day)
        padded(d.year, width: 4); bytes.append(45)
        padded(d.month, width: 2); bytes.append(45)
        padded(d.day, width: 2)
    }

    /// `YYYY-MM-DD HH:MM:SS` from a day number and the second of the day.
    mutating func timestamp(day: Int, second: Int) {
        date(day)
        bytes.append(32)
        padded(second / 3600, width: 2); bytes.append(58)
        padded(second / 60 % 60, width: 2); bytes.append(58)
        padded(second % 60, width: 2)
    }
}

/// A CSV file being written: chunks are gathered in a buffer and written in ~1 MB pieces.
final class CSVFileSink {
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private let flushAt: Int
    private(set) var rows = 0

    init(url: URL, header: String, flushAt: Int = 1 << 20) throws {
        // Extract files hold (made-up, but real-looking) personal data: the owner's alone.
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        self.flushAt = flushAt
        pending.reserveCapacity(flushAt + (flushAt >> 2))
        pending.append(contentsOf: Array(header.utf8))
        pending.append(10)
    }

    func append(_ chunk: [UInt8], rows n: Int) throws {
        rows += n
        if chunk.count >= flushAt {
            try flush()
            try handle.write(contentsOf: chunk)
            return
        }
        pending.append(contentsOf: chunk)
        if pending.count >= flushAt { try flush() }
    }

    func flush() throws {
        guard !pending.isEmpty else { return }
        try handle.write(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        try handle.close()
    }
}

extension String {
    /// UTF-8 bytes, for the tables.
    var u8: [UInt8] { Array(utf8) }
}
