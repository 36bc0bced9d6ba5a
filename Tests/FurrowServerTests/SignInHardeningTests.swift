import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

/// Sign-in, sign-out and what the branch keeps of a client's text, each attack performed.
@Suite("Sign-in hardening: bounded names, logout, password rules, op ids per user")
struct SignInHardeningTests {
    typealias T = BranchServerTests

    func login(_ client: some TestClientProtocol, user: String, password: String = "correct horse", device: String = "laptop")
        async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: "/v1/login", method: .post,
                                 body: ByteBuffer(data: try JSONEncoder().encode(LoginRequest(user: user, password: password, device: device)))) {
            ($0.status, String(buffer: $0.body))
        }
    }

    @Test("a 1.8 MB name is refused (400) before it is kept or echoed; a device name with an escape sequence is refused")
    func boundedNames() async throws {
        // A clock that stands still: the back-off's wait does not run out while bcrypt works.
        let db = try T.branch(clock: { Date(timeIntervalSince1970: 1_789_956_000) })
        let limiter = LoginLimiter()
        let app = Application(router: BranchServer.router(store: db, limiter: limiter))
        try await app.test(.router) { client in
            let huge = String(repeating: "张", count: 600_000)   // 1.8 MB, under the body limit
            let (status, body) = try await login(client, user: huge)
            #expect(status == .badRequest && body.utf8.count < 400, "the answer does not echo the name: \(body.utf8.count) bytes")
            for name in ["S1\n2026-12-04 admin login", "", "S1 OR 1=1", String(repeating: "S", count: 65)] {
                #expect(try await login(client, user: name).0 == .badRequest, "\(name.prefix(20))")
            }
            for device in ["laptop\u{1B}[2J", "two\nlines", "  ", String(repeating: "d", count: 101)] {
                #expect(try await login(client, user: "S1", device: device).0 == .badRequest)
            }
            // A wrong password's 429, when it comes, does not echo the name either.
            for _ in 0..<6 { _ = try await login(client, user: "S1", password: "wrong guess") }
            let (limited, answer) = try await login(client, user: "S1", password: "wrong guess")
            #expect(limited == .tooManyRequests && !answer.contains("S1"))
        }
        #expect(try db.signInLimitKeys() <= 2, "only the one real name (and the address) were ever counted")
        #expect(try db.deviceTokens(staffID: "S1").isEmpty)
    }

    @Test("logout revokes the token at the branch; a new password (users add again, or a reset) revokes every device")
    func logoutAndRevocation() async throws {
        let db = try T.branch()
        let app = Application(router: BranchServer.router(store: db))
        try await app.test(.router) { client in
            let (_, first) = try await login(client, user: "S1")
            let token = try JSONDecoder().decode(LoginResponse.self, from: Data(first.utf8)).token
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            try await client.execute(uri: "/v1/hello", method: .get, headers: auth) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/logout", method: .post, headers: auth) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/hello", method: .get, headers: auth) { #expect($0.status == .unauthorized) }

            let (_, second) = try await login(client, user: "S1")
            let other = try JSONDecoder().decode(LoginResponse.self, from: Data(second.utf8)).token
            try BranchPasswords.set("a new password!", staffID: "S1", store: db, by: "admin")
            try await client.execute(uri: "/v1/hello", method: .get, headers: [.authorization: "Bearer \(other)"]) {
                #expect($0.status == .unauthorized, "the old password's session ends")
            }
            #expect(try await login(client, user: "S1", password: "a new password!").0 == .ok)
        }
        #expect(try db.auditTrail(actor: "S1").contains { $0.action == "logout" && $0.detail == "laptop" })
    }

    @Test("the branch enforces the password rules whoever calls: at least 10 characters, at most 72 bytes (bcrypt's limit)")
    func passwordRules() throws {
        let db = try T.branch()
        #expect(throws: BranchPasswords.Refusal.self) { try BranchPasswords.set("short", staffID: "S1", store: db, by: "admin") }
        let long = String(repeating: "密", count: 25)   // 75 bytes
        #expect { try BranchPasswords.set(long, staffID: "S1", store: db, by: "admin") } throws: { "\($0)".contains("72 bytes") }
        #expect(BranchPasswords.problem(String(repeating: "密", count: 24)) == nil, "72 bytes exactly")
    }

    @Test("an op id is the pushing user's: S2 reusing S1's id gets its own answer, not S1's duplicate")
    func opIDsPerUser() throws {
        let db = try T.branch()
        let stamp = HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000), node: "x")
        let mine = SyncOp(opID: "same-id", hlc: stamp, kind: "tag.add", customerID: "C1", recordID: "VIP", fields: ["tag": "VIP"])
        let theirs = SyncOp(opID: "same-id", hlc: stamp, kind: "tag.add", customerID: "C2", recordID: "茶友", fields: ["tag": "茶友"])
        #expect(try db.applyOps([mine], user: .init(staffID: "S1", role: .rm, team: "东")).first?.status == .applied)
        #expect(try db.applyOps([theirs], user: .init(staffID: "S2", role: .rm, team: "东")).first?.status == .applied)
        #expect(try db.applyOps([mine], user: .init(staffID: "S1", role: .rm, team: "东")).first?.status == .duplicate)
        #expect(try db.profile(customerID: "C2")?.tags == ["茶友"])
    }

    @Test("client text printed for an administrator shows control characters instead of running them")
    func terminalSafe() {
        #expect(Terminal.safe("laptop\u{1B}[2J\nfake line") == "laptop\\u{1B}[2J\\u{A}fake line")
        #expect(Terminal.safe("张三的笔记本") == "张三的笔记本")
    }
}
