import FurrowCore
import FurrowStore

/// The sync protocol's messages (docs/sync.md), JSON over HTTP. Version 1.
public enum SyncProtocol {
    /// On a 401: the device was revoked as lost and must erase its store and token.
    public static let wipeHeader = "Furrow-Wipe"
    public static let version = 1
    /// The oldest client protocol the server still serves beyond a push.
    public static let minimumClientVersion = 1
    /// This build's store schema: its number of migrations. Migrations are append-only, so a
    /// store that knows N of them reads every row of a store that knows fewer.
    public static let schemaVersion = AppDatabase.knownMigrations.count   // once: building the migrator is not free
    /// Every request carries the client's versions in these headers (absent: a script, unchecked).
    public static let protocolHeader = "Furrow-Protocol"
    public static let schemaHeader = "Furrow-Schema"

    public static func upgradeMessage(_ reason: String) -> String { "\(reason): upgrade furrow to receive changes (pushes are still accepted)" }

    /// Why a client of these versions may push but not receive, or nil when it is current.
    public static func upgradeReason(clientProtocol: Int?, clientSchema: Int?) -> String? {
        if let p = clientProtocol, p < minimumClientVersion {
            return "this furrow speaks sync protocol \(p); the branch needs at least \(minimumClientVersion)"
        }
        if let s = clientSchema, s < schemaVersion {
            return "this furrow's store schema (\(s)) is older than the branch's (\(schemaVersion))"
        }
        return nil
    }
}

/// `GET /v1/hello`: the handshake before a sync.
public struct HelloResponse: Codable, Sendable, Hashable {
    public var protocolVersion: Int
    public var minimumClientVersion: Int
    /// UTC ISO 8601, so a skewed workstation clock can be told.
    public var serverTime: String
    public var user: String
    public var role: String
    /// The branch's extract generation; a workstation whose snapshot is older re-snapshots.
    public var generation: Int64
    /// The newest change-feed sequence number.
    public var feedHead: Int64
    /// The branch's store schema version.
    public var schemaVersion: Int?
    /// Set when the client's versions (its request headers) are too old to receive: it may
    /// still push, then it is told this.
    public var upgrade: String?
    public init(protocolVersion: Int, minimumClientVersion: Int, serverTime: String, user: String, role: String, generation: Int64,
                feedHead: Int64, schemaVersion: Int? = nil, upgrade: String? = nil) {
        self.protocolVersion = protocolVersion; self.minimumClientVersion = minimumClientVersion; self.serverTime = serverTime
        self.user = user; self.role = role; self.generation = generation; self.feedHead = feedHead
        self.schemaVersion = schemaVersion; self.upgrade = upgrade
    }
}

public struct LoginResponse: Codable, Sendable, Hashable {
    public var token: String
    /// UTC ISO 8601.
    public var expiresAt: String
    public var role: String
    public var protocolVersion: Int
    public init(token: String, expiresAt: String, role: String, protocolVersion: Int) {
        self.token = token; self.expiresAt = expiresAt; self.role = role; self.protocolVersion = protocolVersion
    }
}

public struct PushResponse: Codable, Sendable, Hashable {
    public var results: [OpResult]
    /// The server's clock (UTC ISO 8601), so a skewed workstation can be told.
    public var serverTime: String
    public init(results: [OpResult], serverTime: String) { self.results = results; self.serverTime = serverTime }
}

public struct PullResponse: Codable, Sendable, Hashable {
    public struct Change: Codable, Sendable, Hashable {
        public var seq: Int64
        public var kind: String
        public var customerID: String?
        public var recordID: String?
        public var fields: [String: String]
        /// The op it came from, who wrote it and its clock: a workstation applies it as the branch did.
        public var opID: String?
        public var actor: String?
        public var hlc: String?
        public init(seq: Int64, kind: String, customerID: String?, recordID: String?, fields: [String: String],
                    opID: String? = nil, actor: String? = nil, hlc: String? = nil) {
            self.seq = seq; self.kind = kind; self.customerID = customerID; self.recordID = recordID; self.fields = fields
            self.opID = opID; self.actor = actor; self.hlc = hlc
        }
    }
    public var changes: [Change]
    /// Ask again from here; equal to the request's cursor when there was nothing new.
    public var next: Int64
    public var more: Bool
    public var serverTime: String
    public init(changes: [Change], next: Int64, more: Bool, serverTime: String) {
        self.changes = changes; self.next = next; self.more = more; self.serverTime = serverTime
    }
}

/// An error the server answers with: a code for programs, a reason for people.
public struct ErrorBody: Codable, Sendable, Hashable {
    public var code: String
    public var reason: String
}

/// Hummingbird's error body: `{"error": {"message": "…"}}`.
public struct ServerErrorBody: Codable, Sendable, Hashable {
    public struct Inner: Codable, Sendable, Hashable { public var message: String }
    public var error: Inner
}

/// The branch's answer to a sign-out: the token no longer works.
public struct LogoutResponse: Codable, Sendable, Hashable {
    public var signedOut: Bool
    public init(signedOut: Bool) { self.signedOut = signedOut }
}
