import Crypto
import Foundation
import FurrowCore
import FurrowStore
import FurrowSync
import Hummingbird
import HTTPTypes
import HummingbirdBcrypt

extension LoginResponse: ResponseEncodable {}
extension PushResponse: ResponseEncodable {}
extension PullResponse: ResponseEncodable {}
extension HelloResponse: ResponseEncodable {}
extension SnapshotPage: ResponseEncodable {}
extension LogoutResponse: ResponseEncodable {}

/// The branch server's HTTP side (a first slice of the sync issue): sign in for a device token,
/// push ops, pull the changes the user may see. Every request but login needs a current token;
/// every op is authorised against the branch's assignments (`AppDatabase.applyOps`).
public enum BranchServer {
    public static let maxOpsPerPush = 1000
    public static let maxPullPage = 1000
    public static let maxSnapshotPage = 2000

    public static func router(store: AppDatabase, tokenLifetime: TimeInterval = 30 * 86400,
                              limiter: LoginLimiter = LoginLimiter(), executor: StoreExecutor = .shared,
                              passwordChecks: StoreExecutor = .passwords) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let pushes = PushCommitter(store: store, executor: executor)
        router.add(middleware: ErrorLogMiddleware())
        router.get("/v1/health") { _, _ in "ok" }

        router.post("/v1/login") { request, context -> LoginResponse in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            // Bounded before anything is kept, looked up or echoed: a name is a staff ID.
            guard (1...LoginRequest.maxUserBytes).contains(body.user.utf8.count), body.user.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw HTTPError(.badRequest, message: "user: a staff ID of 1 to \(LoginRequest.maxUserBytes) letters and digits")
            }
            guard body.password.utf8.count <= LoginRequest.maxPasswordBytes else {
                throw HTTPError(.badRequest, message: "password: at most \(LoginRequest.maxPasswordBytes) bytes")
            }
            guard let device = DeviceName.clean(body.device) else {
                throw HTTPError(.badRequest, message: "device: name this device (1 to \(DeviceName.maxLength) printable characters)")
            }
            guard limiter.allows(body.user) else {
                throw HTTPError(.tooManyRequests, message: "too many failed sign-ins for this name; wait \(Int(limiter.window / 60)) minutes")
            }
            // The same answer for an unknown user and a wrong password.
            let password = body.password, name = body.user
            let credential = try await executor.run { try store.branchCredential(name) }
            let user = try await passwordChecks.run { () -> AppDatabase.UserRef? in
                // An unknown user costs the same bcrypt check, so timing does not tell who exists.
                guard let (hash, user) = credential else { _ = BranchPasswords.verify(password, hash: unknownUserHash); return nil }
                return BranchPasswords.verify(password, hash: hash) ? user : nil
            }
            guard let user else {
                limiter.failed(body.user)
                throw HTTPError(.unauthorized, message: "wrong user or password")
            }
            limiter.succeeded(body.user)
            var bytes = [UInt8](repeating: 0, count: 32)
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
            let token = Data(bytes).base64EncodedString()
            let expires = Timestamp.utcNow(store.clock().addingTimeInterval(tokenLifetime))
            try await executor.run { try store.storeToken(hash: digest(token), staffID: user.staffID, device: device, expiresAt: expires) }
            return LoginResponse(token: token, expiresAt: expires, role: user.role.rawValue, protocolVersion: SyncProtocol.version)
        }

        router.post("/v1/logout") { request, _ -> LogoutResponse in
            let user = try await authenticate(request, store: store, executor: executor)
            guard let hash = bearerDigest(request) else { throw HTTPError(.unauthorized) }
            try await executor.run { try store.revokeToken(hash: hash, by: user.staffID) }
            return LogoutResponse(signedOut: true)
        }

        router.post("/v1/push") { request, context -> PushResponse in
            let user = try await authenticate(request, store: store, executor: executor)
            let body = try await request.decode(as: PushRequest.self, context: context)
            guard body.ops.count <= maxOpsPerPush else {
                throw HTTPError(.contentTooLarge, message: "ops: at most \(maxOpsPerPush) per push, got \(body.ops.count)")
            }
            let ops = body.ops
            let results = try await pushes.push(ops, user: user)
            return PushResponse(results: results, serverTime: Timestamp.utcNow(store.clock()))
        }

        router.get("/v1/pull") { request, _ -> PullResponse in
            let user = try await authenticate(request, store: store, executor: executor)
            try requireCurrent(request)
            let q = request.uri.queryParameters
            let cursor = Int64(q.get("cursor") ?? "0") ?? -1
            let limit = Int(q.get("limit") ?? "500") ?? -1
            guard cursor >= 0 else { throw HTTPError(.badRequest, message: "cursor: a whole number from 0") }
            guard (1...maxPullPage).contains(limit) else { throw HTTPError(.badRequest, message: "limit: 1 to \(maxPullPage)") }
            return try await executor.run {
                let floor = try store.feedFloor()
                guard cursor >= floor else {
                    // Compacted away: the workstation has pushed already (push comes first) and now re-snapshots.
                    throw HTTPError(.gone, message: "resnapshot: changes before \(floor) are no longer kept; your copy is fetched again")
                }
                return try pullResponse(store: store, user: user, cursor: cursor, limit: limit)
            }
        }

        router.get("/v1/hello") { request, _ -> HelloResponse in
            let user = try await authenticate(request, store: store, executor: executor)
            let (generation, head) = try await executor.run { (try store.coreGeneration(), try store.feedHead()) }
            return HelloResponse(protocolVersion: SyncProtocol.version, minimumClientVersion: SyncProtocol.minimumClientVersion,
                                 serverTime: Timestamp.utcNow(store.clock()), user: user.staffID, role: user.role.rawValue,
                                 generation: generation, feedHead: head, schemaVersion: SyncProtocol.schemaVersion,
                                 upgrade: upgradeReason(request))
        }

        router.get("/v1/snapshot") { request, _ -> SnapshotPage in
            let user = try await authenticate(request, store: store, executor: executor)
            try requireCurrent(request)
            let q = request.uri.queryParameters
            guard let phase = SnapshotPhase(rawValue: q.get("phase") ?? "profiles") else {
                throw HTTPError(.badRequest, message: "phase: profiles or history")
            }
            let after = q.get("after") ?? ""
            guard after.count <= 64 else { throw HTTPError(.badRequest, message: "after: a customer ID (at most 64 characters)") }
            let limit = Int(q.get("limit") ?? "500") ?? -1
            guard (1...maxSnapshotPage).contains(limit) else { throw HTTPError(.badRequest, message: "limit: 1 to \(maxSnapshotPage)") }
            return try await executor.run { try store.snapshotPage(for: user, phase: phase, after: after, limit: limit) }
        }
        return router
    }

    /// The user of the request's bearer token; 401 without a current one.
    static func authenticate(_ request: Request, store: AppDatabase, executor: StoreExecutor) async throws -> AppDatabase.UserRef {
        guard let hash = bearerDigest(request) else {
            throw HTTPError(.unauthorized, message: "sign in first: Authorization: Bearer <token>")
        }
        guard let user = try await executor.run({ try store.tokenUser(hash: hash) }) else {
            throw HTTPError(.unauthorized, message: "the token is unknown, expired or revoked: sign in again")
        }
        return user
    }

    /// The SHA-256 of the request's bearer token (a token is 44 characters of base64; anything
    /// longer is not one and is not hashed).
    static func bearerDigest(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "), header.utf8.count <= 7 + 256 else { return nil }
        return digest(String(header.dropFirst(7)))
    }

    /// An outdated client may push (its work is never stranded) but receives nothing: the rows
    /// it would be sent may have columns its store does not know.
    static func upgradeReason(_ request: Request) -> String? {
        func header(_ name: String) -> Int? { HTTPField.Name(name).flatMap { request.headers[$0] }.flatMap { Int($0) } }
        return SyncProtocol.upgradeReason(clientProtocol: header(SyncProtocol.protocolHeader), clientSchema: header(SyncProtocol.schemaHeader))
    }

    static func requireCurrent(_ request: Request) throws {
        if let reason = upgradeReason(request) {
            throw HTTPError(.upgradeRequired, message: SyncProtocol.upgradeMessage(reason))
        }
    }

    /// A pull's answer: the user's changes after `cursor` (the route and in-process tests share it).
    public static func pullResponse(store: AppDatabase, user: AppDatabase.UserRef, cursor: Int64, limit: Int) throws -> PullResponse {
        let (entries, next, more) = try store.changes(after: cursor, for: user, limit: limit)
        if !more { try store.recordCaughtUp(user) }
        let page = entries.map { r in
            PullResponse.Change(seq: r.seq, kind: r.kind, customerID: r.customerID, recordID: r.recordID,
                                fields: OpFieldsJSON.decode(r.payload) ?? [:],
                                opID: r.opID, actor: r.actor, hlc: r.hlc)
        }
        return PullResponse(changes: page, next: next, more: more, serverTime: Timestamp.utcNow(store.clock()))
    }

    /// Tokens are kept as their SHA-256: a stolen store gives no usable token.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    public static func hashPassword(_ password: String) -> String { BranchPasswords.hash(password) }

    /// Checked against when the user is unknown (same cost as a real one; matches no password).
    static let unknownUserHash = hashPassword(UUID().uuidString)
}
