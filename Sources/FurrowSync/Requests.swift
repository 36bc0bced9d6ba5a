import Foundation
import FurrowCore

/// What a workstation sends the branch, and the one place it is read. Every request the
/// branch answers is decoded and bounded here, before any of it is looked up, stored, echoed
/// or used in arithmetic; the readers are pure (bytes or query text in, values or a problem
/// out), so the fuzz target (`Fuzz/`) drives exactly what the server runs.
public struct LoginRequest: Codable, Sendable, Hashable {
    /// The branch refuses longer names and passwords before it looks anything up.
    public static let maxUserBytes = 64
    public static let maxPasswordBytes = 1024
    public var user: String
    public var password: String
    public var device: String
    /// The token this device already holds for the user, if any: it shows the branch a known
    /// device is signing in again.
    public var deviceToken: String?
    public init(user: String, password: String, device: String, deviceToken: String? = nil) {
        self.user = user; self.password = password; self.device = device; self.deviceToken = deviceToken
    }
}

public struct PushRequest: Codable, Sendable, Hashable {
    public var ops: [SyncOp]
    public init(ops: [SyncOp]) { self.ops = ops }
}

/// A device's name as the branch keeps it: what a person typed, with control characters (an
/// escape sequence, a line break that would fake a second line in `devices list` or the audit)
/// refused, and bounded.
public enum DeviceName {
    public static let maxLength = 100

    /// The name trimmed, or nil if it is empty, too long or holds a control character.
    public static func clean(_ name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= maxLength, !Requests.hasControlCharacter(trimmed) else { return nil }
        return trimmed
    }
}

public enum Requests {
    /// Why a request cannot be read: the field and the reason, and whether it was too large
    /// (413) rather than malformed (400). Never echoes what was sent.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let field: String
        public let reason: String
        public let tooLarge: Bool
        public init(_ field: String, _ reason: String, tooLarge: Bool = false) {
            self.field = field; self.reason = reason; self.tooLarge = tooLarge
        }
        public var description: String { "\(field): \(reason)" }
    }

    public static let maxOpsPerPush = 1000
    public static let maxPullPage = 1000
    public static let maxSnapshotPage = 2000
    /// Bounds on one op's parts (an op id is a UUID; a record id a task's cause key at most).
    public static let maxIDBytes = 128
    public static let maxKindBytes = 40
    public static let maxFields = 64
    public static let maxFieldNameBytes = 64
    public static let maxFieldValueBytes = 64 * 1024

    public static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
    }

    /// A sign-in: a staff ID of 1–64 letters, digits, `-` or `_`; a password of at most
    /// 1,024 bytes; a clean device name.
    public static func login(_ body: Data) throws(Problem) -> LoginRequest {
        guard let r = try? JSONDecoder().decode(LoginRequest.self, from: body) else {
            throw Problem("body", "expected {\"user\", \"password\", \"device\"} as JSON")
        }
        guard (1...LoginRequest.maxUserBytes).contains(r.user.utf8.count),
              r.user.unicodeScalars.allSatisfy({ ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" })
        else { throw Problem("user", "a staff ID of 1 to \(LoginRequest.maxUserBytes) letters and digits") }
        guard r.password.utf8.count <= LoginRequest.maxPasswordBytes else {
            throw Problem("password", "at most \(LoginRequest.maxPasswordBytes) bytes")
        }
        guard let device = DeviceName.clean(r.device) else {
            throw Problem("device", "name this device (1 to \(DeviceName.maxLength) printable characters)")
        }
        if let t = r.deviceToken, t.utf8.count > 256 { throw Problem("deviceToken", "not a token") }
        return LoginRequest(user: r.user, password: r.password, device: device, deviceToken: r.deviceToken)
    }

    /// A push: at most 1,000 ops, each with a bounded id, kind, customer, record and fields, and
    /// a clock stamp within the bounds `HLC` keeps (the stamp's distance from the branch's clock
    /// is checked where that clock is: `checkStamp`).
    public static func push(_ body: Data) throws(Problem) -> [SyncOp] {
        let request: PushRequest
        do { request = try JSONDecoder().decode(PushRequest.self, from: body) } catch {
            throw Problem("body", "expected {\"ops\": [...]} with each op's opID, hlc, kind, fields and status")
        }
        guard request.ops.count <= maxOpsPerPush else {
            throw Problem("ops", "at most \(maxOpsPerPush) per push, got \(request.ops.count)", tooLarge: true)
        }
        for (i, op) in request.ops.enumerated() {
            func bad(_ field: String, _ reason: String) -> Problem { Problem("ops[\(i)].\(field)", reason) }
            guard (1...maxIDBytes).contains(op.opID.utf8.count), !hasControlCharacter(op.opID) else { throw bad("opID", "1 to \(maxIDBytes) printable bytes") }
            guard (1...maxKindBytes).contains(op.kind.utf8.count), op.kind.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == "." || $0 == "_") }) else {
                throw bad("kind", "a kind of change such as note.add")
            }
            for (field, value) in [("customerID", op.customerID), ("recordID", op.recordID)] {
                if let value, value.utf8.count > maxIDBytes || value.isEmpty || hasControlCharacter(value) {
                    throw bad(field, "1 to \(maxIDBytes) printable bytes")
                }
            }
            guard op.fields.count <= maxFields else { throw bad("fields", "at most \(maxFields)") }
            for (name, value) in op.fields {
                guard (1...maxFieldNameBytes).contains(name.utf8.count), !hasControlCharacter(name) else { throw bad("fields", "a field name of 1 to \(maxFieldNameBytes) bytes") }
                guard value.utf8.count <= maxFieldValueBytes else { throw bad("fields.\(name)", "at most \(maxFieldValueBytes / 1024) KB") }
            }
            guard op.hlc.isWithinBounds else { throw bad("hlc", "a clock stamp within bounds") }
        }
        return request.ops
    }

    /// `GET /v1/pull?cursor=N&limit=N`.
    public static func pull(cursor: String?, limit: String?) throws(Problem) -> (cursor: Int64, limit: Int) {
        guard let c = Int64(cursor ?? "0"), c >= 0 else { throw Problem("cursor", "a whole number from 0") }
        guard let l = Int(limit ?? "500"), (1...maxPullPage).contains(l) else { throw Problem("limit", "1 to \(maxPullPage)") }
        return (c, l)
    }

    /// `GET /v1/snapshot?phase=profiles|history&after=CUSTOMER&limit=N`.
    public static func snapshot(phase: String?, after: String?, limit: String?) throws(Problem) -> (phase: SnapshotPhase, after: String, limit: Int) {
        guard let p = SnapshotPhase(rawValue: phase ?? "profiles") else { throw Problem("phase", "profiles or history") }
        let a = after ?? ""
        guard a.utf8.count <= 64, !hasControlCharacter(a) else { throw Problem("after", "a customer ID (at most 64 characters)") }
        guard let l = Int(limit ?? "500"), (1...maxSnapshotPage).contains(l) else { throw Problem("limit", "1 to \(maxSnapshotPage)") }
        return (p, a, l)
    }
}
