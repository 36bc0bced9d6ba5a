import AsyncHTTPClient
import Foundation
import FurrowCore
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Why a sync could not go on, in words the RM can act on.
public enum SyncError: Error, Equatable, CustomStringConvertible {
    /// No network, the server down, or a timeout: the work waits in the outbox.
    case unreachable(String, reason: String)
    /// The token is unknown, expired or revoked.
    case signInAgain(String)
    /// The branch says this device was reported lost: erase its store and token.
    case wipe(String)
    /// The server refused the request (4xx) and said why.
    case refused(status: Int, reason: String)
    case server(status: Int, reason: String)
    case badAnswer(String)
    case notSignedIn
    case storeMismatch(String)
    /// This furrow is too old to receive from the branch (its work was pushed).
    case upgradeRequired(String)
    case store(String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason): "cannot reach the branch server at \(url) (\(reason)); your work is kept and is sent at the next sync"
        case .signInAgain(let reason): "\(reason) — run `furrow login` again"
        case .wipe(let reason): reason
        case .refused(let status, let reason): "the branch server refused (\(status)): \(reason)"
        case .server(let status, let reason): "the branch server failed (\(status)): \(reason); try again later"
        case .badAnswer(let what): "the branch server's answer could not be read: \(what)"
        case .notSignedIn: "this store is not signed in to a branch server: run `furrow login --server URL --user STAFF_ID` first"
        case .storeMismatch(let reason): reason
        case .upgradeRequired(let message): "\(message); your work was sent"
        case .store(let reason): reason
        }
    }
}

/// What a sync needs from the branch: the four calls of the protocol. `SyncClient` makes them
/// over HTTP; tests may make them in process against the same store code.
public protocol SyncTransport: Sendable {
    var server: String { get }
    func hello() async throws(SyncError) -> HelloResponse
    func push(_ ops: [SyncOp]) async throws(SyncError) -> PushResponse
    func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse
    func snapshot(phase: SnapshotPhase, after: String, limit: Int) async throws(SyncError) -> SnapshotPage
}

/// The HTTP side of the workstation's sync: one call per endpoint, JSON in and out, every
/// failure mapped to a `SyncError`. Uses the shared AsyncHTTPClient.
public struct SyncClient: SyncTransport {
    public let server: String
    public var token: String?
    public var timeout: TimeAmount = .seconds(60)
    /// The shared client unless a caller (the load benchmark) brings one with a bigger pool.
    public var http: HTTPClient = .shared
    private let base: String

    public init(server: String, token: String? = nil, http: HTTPClient = .shared) {
        self.server = server
        self.token = token
        self.http = http
        base = server.hasSuffix("/") ? String(server.dropLast()) : server
    }

    /// `deviceToken`: the token this device already holds for the user (it shows the branch a
    /// known device, which others' failed guesses at the name do not hold back).
    public func login(user: String, password: String, device: String, deviceToken: String? = nil) async throws(SyncError) -> LoginResponse {
        try await call(.POST, "/v1/login", body: LoginRequest(user: user, password: password, device: device, deviceToken: deviceToken),
                       authenticated: false, timeout: loginTimeout)
    }

    /// Signs this device out at the branch: its token stops working there at once.
    public func logout() async throws(SyncError) {
        let _: LogoutResponse = try await call(.POST, "/v1/logout", timeout: helloTimeout)
    }

    /// How long a sign-in may take: the branch checks the password with bcrypt, and a village
    /// link can be slow. (A certificate that is not trusted is retried by the HTTP client until
    /// then, and reported as such.)
    public var loginTimeout: TimeAmount = .seconds(60)

    /// The first call of a sync: short, so an unreachable server is known within seconds.
    public func hello() async throws(SyncError) -> HelloResponse { try await call(.GET, "/v1/hello", timeout: helloTimeout) }

    public var helloTimeout: TimeAmount = .seconds(10)
    /// What this client tells the branch it speaks (tests set older ones).
    public var protocolVersion = SyncProtocol.version
    public var schemaVersion = SyncProtocol.schemaVersion

    public func push(_ ops: [SyncOp]) async throws(SyncError) -> PushResponse {
        try await call(.POST, "/v1/push", body: PushRequest(ops: ops))
    }

    public func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse {
        try await call(.GET, "/v1/pull?cursor=\(cursor)&limit=\(limit)")
    }

    public func snapshot(phase: SnapshotPhase, after: String, limit: Int) async throws(SyncError) -> SnapshotPage {
        let escaped = after.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await call(.GET, "/v1/snapshot?phase=\(phase.rawValue)&after=\(escaped)&limit=\(limit)")
    }

    private struct Empty: Encodable {}

    private func call<Answer: Decodable>(_ method: HTTPMethod, _ path: String, authenticated: Bool = true,
                                         timeout: TimeAmount? = nil) async throws(SyncError) -> Answer {
        try await call(method, path, body: Optional<Empty>.none, authenticated: authenticated, timeout: timeout)
    }

    private func call<Body: Encodable, Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: Body?,
                                                          authenticated: Bool = true, timeout: TimeAmount? = nil) async throws(SyncError) -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: SyncProtocol.protocolHeader, value: String(protocolVersion))
        request.headers.add(name: SyncProtocol.schemaHeader, value: String(schemaVersion))
        if authenticated {
            guard let token else { throw .notSignedIn }
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let body {
            guard let data = try? JSONEncoder().encode(body) else { throw .badAnswer("the request could not be encoded") }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: data))
        }
        let status: Int
        let bytes: ByteBuffer
        let headers: HTTPHeaders
        do {
            let response = try await http.execute(request, timeout: timeout ?? self.timeout)
            status = Int(response.status.code)
            headers = response.headers
            bytes = try await response.body.collect(upTo: 256 << 20)
        } catch {
            throw .unreachable(server, reason: Self.describe(error))
        }
        let data = Data(buffer: bytes)
        guard (200..<300).contains(status) else {
            let reason = (try? JSONDecoder().decode(ServerErrorBody.self, from: data))?.error.message
                ?? String(decoding: data.prefix(300), as: UTF8.self)
            switch status {
            case 401 where headers[SyncProtocol.wipeHeader].first == "erase": throw .wipe(reason)
            case 401: throw .signInAgain(reason)
            case 426: throw .upgradeRequired(reason)
            case 400..<500: throw .refused(status: status, reason: reason)
            default: throw .server(status: status, reason: reason)
            }
        }
        do { return try JSONDecoder().decode(Answer.self, from: data) } catch { throw .badAnswer("\(path): \(error)") }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") { return "timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("remoteConnectionClosed") { return "the connection was closed" }
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("unableToValidateCertificate") {
            return "its certificate is not trusted here: sign in with `furrow login --ca-cert FILE` naming the branch's CA certificate"
        }
        if text.contains("handshakeFailed") || text.contains("WRONG_VERSION_NUMBER") { return "the secure connection failed (is it https://?)" }
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }
}
