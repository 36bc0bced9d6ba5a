import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Synchronization
import Testing

/// The sign-in limits, attacked: many guesses at once, a password sprayed across names, a
/// restart, and a user locked out by someone else.
@Suite("Sign-in limits: atomic, per name and address, persisted, back-off, known devices")
struct SignInLimitTests {
    typealias T = BranchServerTests

    /// A clock the test moves.
    final class Clock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_789_956_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    func login(_ client: some TestClientProtocol, _ user: String, _ password: String, token: String? = nil) async throws -> HTTPResponse.Status {
        let body = try JSONEncoder().encode(LoginRequest(user: user, password: password, device: "laptop", deviceToken: token))
        return try await client.execute(uri: "/v1/login", method: .post, body: ByteBuffer(data: body)) { $0.status }
    }

    func token(_ client: some TestClientProtocol, _ user: String, _ password: String) async throws -> String {
        let body = try JSONEncoder().encode(LoginRequest(user: user, password: password, device: "laptop"))
        return try await client.execute(uri: "/v1/login", method: .post, body: ByteBuffer(data: body)) { r in
            try JSONDecoder().decode(LoginResponse.self, from: Data(buffer: r.body)).token
        }
    }

    @Test("60 wrong passwords at once: at most the free ones and one more reach bcrypt, the rest wait (429)")
    func concurrentGuesses() async throws {
        let db = try T.branch(clock: Clock().now2)
        let app = Application(router: BranchServer.router(store: db, limiter: LoginLimiter(freePerName: 5, freePerAddress: 1000)))
        try await app.test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<60 { group.addTask { try await login(client, "S1", "wrong guess!") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .unauthorized }.count <= 6, "checked: \(answers.filter { $0 == .unauthorized }.count)")
            #expect(answers.filter { $0 == .tooManyRequests }.count >= 54)
        }
    }

    @Test("after the free failures each wrong password waits longer (1 s, 2 s, 4 s …); the wait survives a restart; a known device still gets in")
    func backOffPersistedKnownDevice() async throws {
        let clock = Clock()
        let db = try T.branch(clock: { clock.now })
        try await Application(router: BranchServer.router(store: db)).test(.router) { client in
            let laptopToken = try await token(client, "S1", "correct horse")
            for _ in 0..<6 { #expect(try await login(client, "S1", "wrong guess!") == .unauthorized) }
            #expect(try await login(client, "S1", "wrong guess!") == .tooManyRequests, "the sixth failure made the name wait 1 s")
            #expect(try await login(client, "S1", "correct horse") == .tooManyRequests, "waiting, even with the right password")
            #expect(try await login(client, "S1", "correct horse", token: laptopToken) == .ok, "the user's own laptop gets in")
            clock.advance(1.5)
            #expect(try await login(client, "S1", "wrong guess!") == .unauthorized)
            #expect(try await login(client, "S1", "wrong guess!") == .tooManyRequests, "now 2 s")
        }
        // A restart (a new router over the same store) forgets nothing.
        try await Application(router: BranchServer.router(store: db)).test(.router) { client in
            let first = try await login(client, "S1", "correct horse")
            #expect(first == .tooManyRequests)
            clock.advance(2.5)
            #expect(try await login(client, "S1", "correct horse") == .ok, "back-off, not a lock: the wait ends")
            #expect(try await login(client, "S1", "wrong guess!") == .unauthorized, "and the right password cleared the count")
        }
    }

    @Test("a password sprayed across many names is limited by the client's address")
    func sprayAcrossNames() async throws {
        let db = try T.branch(clock: Clock().now2)
        let app = Application(router: BranchServer.router(store: db, limiter: LoginLimiter(freePerName: 5, freePerAddress: 20)))
        try await app.test(.router) { client in
            var answers: [HTTPResponse.Status] = []
            for i in 0..<30 { answers.append(try await login(client, "U\(i)", "Password123")) }
            #expect(answers.prefix(21).allSatisfy { $0 == .unauthorized })
            #expect(answers.suffix(9).allSatisfy { $0 == .tooManyRequests }, "\(answers)")
        }
    }
}

extension SignInLimitTests.Clock {
    /// The clock as a store takes it.
    var now2: @Sendable () -> Date { { [self] in self.now } }
}
