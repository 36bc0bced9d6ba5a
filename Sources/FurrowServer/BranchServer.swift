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

/// The branch server's HTTP side: sign in for a device token, push ops, pull the changes the
/// user may see. Every request but health and login needs a current token (`TokenAuthenticator`
/// puts its user on the context); every op is authorised against the branch's assignments
/// (`AppDatabase.applyOps`).
public enum BranchServer {
    public static let maxOpsPerPush = Requests.maxOpsPerPush
    public static let maxPullPage = Requests.maxPullPage
    public static let maxSnapshotPage = Requests.maxSnapshotPage

    public static func router(store: some BranchStorage, tokenLifetime: TimeInterval = 30 * 86400,
                              limiter: LoginLimiter = LoginLimiter(), executor: StoreExecutor = .shared,
                              passwordChecks: StoreExecutor = .passwords) -> Router<BranchRequestContext> {
        let router = Router(context: BranchRequestContext.self)
        let pushes = PushCommitter(store: store, executor: executor)
        router.add(middleware: ErrorLogMiddleware())
        router.get("/v1/health") { _, _ in "ok" }

        router.post("/v1/login") { request, context -> LoginResponse in
            let body = try await read { try Requests.login(try await bodyData(request, context)) }
            let device = body.device
            let name = body.user, password = body.password, address = context.clientAddress
            let presented = body.deviceToken.map(digest)
            let knownDevice = try await executor.run { () -> String? in
                guard let presented, try store.isKnownDevice(tokenHash: presented, staffID: name) else { return nil }
                return String(presented.prefix(16))
            }
            let limits = limiter.limits(name: name, address: address, knownDevice: knownDevice)
            // Counted before the password is checked, atomically: attempts made at once cannot
            // all reach bcrypt.
            if case .wait(let seconds) = try await executor.run({ try store.admitSignIn(limits) }) {
                throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(seconds)],
                                message: "too many failed sign-ins; try again in \(seconds) seconds")
            }
            // The same answer for an unknown user and a wrong password.
            let credential = try await executor.run { try store.branchCredential(name) }
            let user = try await passwordChecks.run { () -> AppDatabase.UserRef? in
                // An unknown user costs the same bcrypt check, so timing does not tell who exists.
                guard let (hash, user) = credential else { _ = BranchPasswords.verify(password, hash: unknownUserHash); return nil }
                return BranchPasswords.verify(password, hash: hash) ? user : nil
            }
            guard let user else { throw HTTPError(.unauthorized, message: "wrong user or password") }
            try await executor.run { try store.signInSucceeded(keys: limits.map(\.key)) }
            var bytes = [UInt8](repeating: 0, count: 32)
            for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
            let token = Data(bytes).base64EncodedString()
            let expires = Timestamp.utcNow(store.clock().addingTimeInterval(tokenLifetime))
            try await executor.run { try store.storeToken(hash: digest(token), staffID: user.staffID, device: device, expiresAt: expires) }
            return LoginResponse(token: token, expiresAt: expires, role: user.role.rawValue, protocolVersion: SyncProtocol.version)
        }

        // Past here a current token is needed; its user is on the context.
        let signedIn = router.group().add(middleware: TokenAuthenticator(store: store, executor: executor))

        signedIn.post("/v1/logout") { request, context -> LogoutResponse in
            let user = try context.requireIdentity()
            guard let hash = bearerDigest(request) else { throw HTTPError(.unauthorized) }
            try await executor.run { try store.revokeToken(hash: hash, by: user.staffID) }
            return LogoutResponse(signedOut: true)
        }

        signedIn.post("/v1/push") { request, context -> PushResponse in
            let user = try context.requireIdentity()
            let ops = try await read { try Requests.push(try await bodyData(request, context)) }
            let results = try await pushes.push(ops, user: user)
            return PushResponse(results: results, serverTime: Timestamp.utcNow(store.clock()))
        }

        signedIn.get("/v1/pull") { request, context -> PullResponse in
            let user = try context.requireIdentity()
            try requireCurrent(request)
            let q = request.uri.queryParameters
            let (cursor, limit) = try await read { try Requests.pull(cursor: q.get("cursor"), limit: q.get("limit")) }
            return try await executor.run {
                let floor = try store.feedFloor()
                guard cursor >= floor else {
                    // Compacted away: the workstation has pushed already (push comes first) and now re-snapshots.
                    throw HTTPError(.gone, message: "resnapshot: changes before \(floor) are no longer kept; your copy is fetched again")
                }
                return try pullResponse(store: store, user: user, cursor: cursor, limit: limit)
            }
        }

        signedIn.get("/v1/hello") { request, context -> HelloResponse in
            let user = try context.requireIdentity()
            let (generation, head) = try await executor.run { (try store.coreGeneration(), try store.feedHead()) }
            return HelloResponse(protocolVersion: SyncProtocol.version, minimumClientVersion: SyncProtocol.minimumClientVersion,
                                 serverTime: Timestamp.utcNow(store.clock()), user: user.staffID, role: user.role.rawValue,
                                 generation: generation, feedHead: head, schemaVersion: SyncProtocol.schemaVersion,
                                 upgrade: upgradeReason(request))
        }

        signedIn.get("/v1/snapshot") { request, context -> SnapshotPage in
            let user = try context.requireIdentity()
            try requireCurrent(request)
            let q = request.uri.queryParameters
            let (phase, after, limit) = try await read { try Requests.snapshot(phase: q.get("phase"), after: q.get("after"), limit: q.get("limit")) }
            return try await executor.run { try store.snapshotPage(for: user, phase: phase, after: after, limit: limit) }
        }
        return router
    }

    /// A request's body, up to the router's upload limit (413 past it).
    static func bodyData(_ request: Request, _ context: some RequestContext) async throws -> Data {
        Data(buffer: try await request.body.collect(upTo: context.maxUploadSize))
    }

    /// A request read by `Requests`: a problem is a 400 (413 when too large) naming the field.
    static func read<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let problem as Requests.Problem {
            throw HTTPError(problem.tooLarge ? .contentTooLarge : .badRequest, message: problem.description)
        }
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
    public static func pullResponse(store: some BranchStorage, user: AppDatabase.UserRef, cursor: Int64,
                                    limit: Int) throws -> PullResponse {
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
