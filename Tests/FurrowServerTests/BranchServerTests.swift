import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

/// The branch server's routes in process, on a real (in-memory) branch store.
@Suite("The branch server")
struct BranchServerTests {
    static func branch(clock: @escaping @Sendable () -> Date = testClock) throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: clock)
        _ = try db.importExtract(directory: "b", actor: "t", asOf: CalendarDate(iso: "2026-09-21")!) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Staff(staffID: "S2", name: "陈经理", role: .rm, team: "东"))
            try s.upsert(Customer(customerID: "C1", name: "张三丰", kind: .individual))
            try s.upsert(Customer(customerID: "C2", name: "王小虎", kind: .individual))
            try s.upsert(Assignment(customerID: "C1", staffID: "S1", since: CalendarDate(iso: "2024-01-01")!))
            try s.upsert(Assignment(customerID: "C2", staffID: "S2", since: CalendarDate(iso: "2024-01-01")!))
            return .commit(summary: "")
        }
        try db.setBranchUser(staffID: "S1", passwordHash: BranchServer.hashPassword("correct horse"), by: "admin")
        try db.setBranchUser(staffID: "S2", passwordHash: BranchServer.hashPassword("battery staple"), by: "admin")
        return db
    }

    func json<T: Encodable>(_ value: T) throws -> ByteBuffer { ByteBuffer(data: try JSONEncoder().encode(value)) }

    func login(_ client: some TestClientProtocol, _ user: String, _ password: String) async throws -> String? {
        try await client.execute(uri: "/v1/login", method: .post, body: try json(LoginRequest(user: user, password: password, device: "laptop"))) { r in
            r.status == .ok ? try JSONDecoder().decode(LoginResponse.self, from: Data(buffer: r.body)).token : nil
        }
    }

    @Test("sign in for a token; a wrong password, an unknown user or no token get 401; a disabled user's token stops working")
    func auth() async throws {
        let db = try Self.branch()
        let app = Application(router: BranchServer.router(store: db))
        try await app.test(.router) { client in
            #expect(try await login(client, "S1", "wrong") == nil)
            #expect(try await login(client, "S9", "correct horse") == nil)
            let token = try #require(try await login(client, "S1", "correct horse"))
            try await client.execute(uri: "/v1/pull", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/pull", method: .get, headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .ok) }
            try db.setBranchUserDisabled("S1", true, by: "admin")
            try await client.execute(uri: "/v1/pull", method: .get, headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .unauthorized) }
        }
        #expect(try db.rowCounts()["device_tokens"] == 1)
        #expect(!(try db.auditTrail().contains { $0.detail?.contains("correct horse") == true }), "passwords never reach the audit trail")
    }

    @Test("every route but health and login needs a current token (the authenticating middleware): none, a made-up one or a revoked one is a 401, and nothing is read or written")
    func everyRouteNeedsAToken() async throws {
        let db = try Self.branch()
        let app = Application(router: BranchServer.router(store: db))
        try await app.test(.router) { client in
            let token = try #require(try await login(client, "S1", "correct horse"))
            let routes: [(String, HTTPRequest.Method)] = [("/v1/hello", .get), ("/v1/pull", .get), ("/v1/snapshot", .get),
                                                          ("/v1/push", .post), ("/v1/logout", .post)]
            let before = try db.rowCounts()
            for (uri, method) in routes {
                for header in [nil, "Bearer " + String(repeating: "A", count: 44), "Basic \(token)", "Bearer \(token)x"] {
                    let headers: HTTPFields = header.map { [.authorization: $0] } ?? [:]
                    try await client.execute(uri: uri, method: method, headers: headers, body: try json(PushRequest(ops: []))) {
                        #expect($0.status == .unauthorized, "\(method) \(uri) with \(header ?? "no token")")
                    }
                }
            }
            var after = try db.rowCounts()
            after["audit_log"] = before["audit_log"]
            #expect(after == before, "a refused request changes nothing")
            try await client.execute(uri: "/v1/health", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/hello", method: .get, headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/logout", method: .post, headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/hello", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .unauthorized, "a signed-out token")
            }
        }
    }

    @Test("push applies a workstation's ops once; pull gives each user only their customers' changes; bad requests get 400")
    func pushPull() async throws {
        let db = try Self.branch()
        let workstation = try AppDatabase.inMemory(clock: testClock)
        _ = try workstation.importExtract(directory: "w", actor: "t", asOf: CalendarDate(iso: "2026-09-21")!) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Customer(customerID: "C1", name: "张三丰", kind: .individual))
            try s.upsert(Customer(customerID: "C2", name: "王小虎", kind: .individual))
            try s.upsert(Assignment(customerID: "C1", staffID: "S1", since: CalendarDate(iso: "2024-01-01")!))
            return .commit(summary: "")
        }
        _ = try workstation.addNote(customerID: "C1", text: "喜欢喝茶", by: "S1")
        _ = try workstation.addNote(customerID: "C2", text: "not my customer", by: "S1")
        let ops = try workstation.pendingOps()
        let app = Application(router: BranchServer.router(store: db))
        try await app.test(.router) { client in
            let t1 = try #require(try await login(client, "S1", "correct horse"))
            let t2 = try #require(try await login(client, "S2", "battery staple"))
            let auth1: HTTPFields = [.authorization: "Bearer \(t1)"]
            for attempt in 0..<2 {
                try await client.execute(uri: "/v1/push", method: .post, headers: auth1, body: try json(PushRequest(ops: ops))) { r in
                    #expect(r.status == .ok)
                    let body = try JSONDecoder().decode(PushResponse.self, from: Data(buffer: r.body))
                    #expect(body.results.map(\.status) == (attempt == 0 ? [.applied, .rejected] : [.duplicate, .rejected]))
                    #expect(body.results[1].code == "out_of_scope")
                }
            }
            try await client.execute(uri: "/v1/pull?cursor=0", method: .get, headers: auth1) { r in
                let body = try JSONDecoder().decode(PullResponse.self, from: Data(buffer: r.body))
                #expect(body.changes.isEmpty && body.next > 0, "the device that pushed the note does not pull it back")
            }
            let tablet = try #require(try await login(client, "S1", "correct horse"))
            try await client.execute(uri: "/v1/pull?cursor=0", method: .get, headers: [.authorization: "Bearer \(tablet)"]) { r in
                let body = try JSONDecoder().decode(PullResponse.self, from: Data(buffer: r.body))
                #expect(body.changes.map(\.customerID) == ["C1"] && body.changes.first?.fields["text"] == "喜欢喝茶")
                #expect(!body.more && body.next == body.changes.last?.seq)
            }
            try await client.execute(uri: "/v1/pull?cursor=0", method: .get, headers: [.authorization: "Bearer \(t2)"]) { r in
                let body = try JSONDecoder().decode(PullResponse.self, from: Data(buffer: r.body))
                #expect(body.changes.isEmpty, "S2 sees none of S1's customers")
            }
            try await client.execute(uri: "/v1/push", method: .post, headers: auth1, body: ByteBuffer(string: "{not json")) {
                #expect($0.status == .badRequest)
            }
            for body in [#"{"ops": "x"}"#, #"{"ops": [{"opID": 5}]}"#, #"{"ops": [{"opID": "a", "hlc": "not a clock", "kind": "note.add", "fields": {}}]}"#] {
                try await client.execute(uri: "/v1/push", method: .post, headers: auth1, body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .badRequest, "\(body): \(r.status)")
                }
            }
            try await client.execute(uri: "/v1/push", method: .post, headers: auth1,
                                     body: ByteBuffer(string: #"{"ops": [], "pad": ""# + String(repeating: "x", count: 3 << 20) + #""}"#)) { r in
                #expect(r.status == .contentTooLarge, "\(r.status)")
            }
            try await client.execute(uri: "/v1/pull?cursor=-5", method: .get, headers: auth1) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/v1/pull?limit=100000", method: .get, headers: auth1) { #expect($0.status == .badRequest) }
            // An outdated client (its headers say so) may push but is told to upgrade before receiving.
            var old = auth1
            old[HTTPField.Name(SyncProtocol.schemaHeader)!] = "1"
            try await client.execute(uri: "/v1/push", method: .post, headers: old, body: try json(PushRequest(ops: []))) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/pull?cursor=0", method: .get, headers: old) { r in
                #expect(r.status == .upgradeRequired && String(buffer: r.body).contains("upgrade furrow"))
            }
            try await client.execute(uri: "/v1/snapshot", method: .get, headers: old) { #expect($0.status == .upgradeRequired) }
            try await client.execute(uri: "/v1/hello", method: .get, headers: old) { r in
                let hello = try JSONDecoder().decode(HelloResponse.self, from: Data(buffer: r.body))
                #expect(hello.upgrade != nil)
            }
            // Compacted past the cursor: 410 Gone, the client re-snapshots.
            try db.compactFeed(keepingDays: 1, now: db.clock().addingTimeInterval(3 * 86400))
            try await client.execute(uri: "/v1/pull?cursor=0", method: .get, headers: auth1) { #expect($0.status == .gone) }
        }
        #expect(try db.profile(customerID: "C1")?.notes.count == 1)
        #expect(try db.profile(customerID: "C2")?.notes.isEmpty == true)
    }
}
