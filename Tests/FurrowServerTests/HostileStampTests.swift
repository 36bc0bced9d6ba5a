import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

/// Clocks sent by clients are input: each attack an RM with a valid account could make with
/// a crafted stamp, performed against the branch's routes, and what it now gets.
@Suite("The branch and hostile clock stamps")
struct HostileStampTests {
    typealias T = BranchServerTests

    func push(_ client: some TestClientProtocol, _ token: String, hlc: String, kind: String = "tag.add",
              customer: String, record: String, fields: String) async throws -> (HTTPResponse.Status, PushResponse?) {
        let body = #"{"ops": [{"opID": "\#(UUID().uuidString)", "hlc": "\#(hlc)", "kind": "\#(kind)", "customerID": "\#(customer)", "#
            + #""recordID": "\#(record)", "fields": \#(fields), "status": "pending"}]}"#
        return try await client.execute(uri: "/v1/push", method: .post, headers: [.authorization: "Bearer \(token)"],
                                        body: ByteBuffer(string: body)) { r in
            return (r.status, r.status == .ok ? try JSONDecoder().decode(PushResponse.self, from: Data(buffer: r.body)) : nil)
        }
    }

    @Test("a stamp past the year 9999 on another RM's customer is a 400, and the server goes on serving everyone")
    func yearPast9999() async throws {
        let db = try T.branch()
        let app = Application(router: BranchServer.router(store: db))
        try await app.test(.router) { client in
            let token = try #require(try await T().login(client, "S1", "correct horse"))
            for stamp in ["999999999999999999-0000-x", "253402300800000000-0000-x", "-99999999999999999-0000-x"] {
                let (status, _) = try await push(client, token, hlc: stamp, kind: "note.add", customer: "C2", record: "N-1",
                                                 fields: #"{"text": "hi", "at": "2026-11-20 10:00:00"}"#)
                #expect(status == .badRequest, "\(stamp)")
            }
            try await client.execute(uri: "/v1/hello", method: .get, headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .ok) }
            // The same request with an honest stamp is read, and refused for its scope alone.
            let (status, answer) = try await push(client, token, hlc: HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000), node: "x").description,
                                                  kind: "note.add", customer: "C2",
                                                  record: "N-1", fields: #"{"text": "hi", "at": "2026-09-20 10:00:00"}"#)
            #expect(status == .ok && answer?.results.first?.code == "out_of_scope", "\(String(describing: answer))")
        }
        #expect(try db.profile(customerID: "C2")?.notes.isEmpty == true)
    }

    @Test("a counter of Int.max is refused before anything is stored, so no device ever receives it")
    func poisonedCounter() async throws {
        let db = try T.branch()
        let app = Application(router: BranchServer.router(store: db))
        let now = Int64(testClock().timeIntervalSince1970 * 1000)
        try await app.test(.router) { client in
            let token = try #require(try await T().login(client, "S1", "correct horse"))
            let wall = String(repeating: "0", count: 18 - String(now).count) + String(now)
            for counter in [String(Int.max), "10000", "-001"] {
                let (status, _) = try await push(client, token, hlc: "\(wall)-\(counter)-x", customer: "C1", record: "VIP", fields: #"{"tag": "VIP"}"#)
                #expect(status == .badRequest, "\(counter)")
            }
            let (status, answer) = try await push(client, token, hlc: "\(wall)-9999-x", customer: "C1", record: "茶友", fields: #"{"tag": "茶友"}"#)
            #expect(status == .ok && answer?.results.first?.status == .applied, "the largest counter a stamp may carry")
        }
        #expect(try db.profile(customerID: "C1")?.tags == ["茶友"])
        #expect(try db.rowCounts()["change_feed"] == 1, "only the honest op reached the feed other devices pull")
    }

    @Test("a stamp in 2099 does not lock a field: it is refused (clock_ahead) and a later honest edit applies")
    func stampFarAhead() async throws {
        let db = try T.branch()
        let app = Application(router: BranchServer.router(store: db))
        let now = Int64(testClock().timeIntervalSince1970 * 1000)
        @Sendable func stamp(_ ms: Int64) -> String { String(repeating: "0", count: 18 - String(ms).count) + String(ms) + "-0000-x" }
        try await app.test(.router) { client in
            let token = try #require(try await T().login(client, "S1", "correct horse"))
            let (_, ahead) = try await push(client, token, hlc: stamp(4_070_908_800_000), customer: "C1", record: "VIP", fields: #"{"tag": "VIP"}"#)
            #expect(ahead?.results.first?.status == .rejected && ahead?.results.first?.code == "clock_ahead", "\(String(describing: ahead))")
            #expect(ahead?.results.first?.reason?.contains("set this computer's date and time") == true)
            // A clock a day fast is tolerated (and flagged to its user by the workstation).
            let (_, dayFast) = try await push(client, token, hlc: stamp(now + 86_400_000), customer: "C1", record: "VIP", fields: #"{"tag": "VIP"}"#)
            #expect(dayFast?.results.first?.status == .applied)
            let (_, honest) = try await push(client, token, hlc: stamp(now + 86_400_000 + 1), kind: "tag.remove", customer: "C1", record: "VIP",
                                             fields: #"{"tag": "VIP"}"#)
            #expect(honest?.results.first?.status == .applied, "nothing from 2099 holds the field")
        }
        #expect(try db.profile(customerID: "C1")?.tags.isEmpty == true)
    }

    @Test("every op's loose fields are checked: a time it cannot read or one in 2099, a task given to another RM, a campaign header from an RM")
    func looseFields() throws {
        let db = try T.branch()
        let s1 = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东")
        let stamp = HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000), node: "x")
        func op(_ kind: String, _ record: String, _ fields: [String: String]) -> SyncOp {
            SyncOp(opID: UUID().uuidString, hlc: stamp, kind: kind, customerID: "C1", recordID: record, fields: fields)
        }
        func answer(_ o: SyncOp) throws -> String { try db.applyOps([o], user: s1).first?.code ?? "applied" }
        #expect(try answer(op("note.add", "N1", ["text": "x", "at": "yesterday"])) == "bad_fields")
        #expect(try answer(op("note.add", "N2", ["text": "x", "at": "2099-01-01 10:00"])) == "bad_fields")
        #expect(try answer(op("note.add", "N3", ["text": "x", "at": "2026-09-20 25:00"])) == "bad_fields")
        #expect(try answer(op("note.add", "N5", ["text": "x", "at": "2026-09-20 +9:+5"])) == "bad_fields", "Int() alone would read +9")
        #expect(try answer(op("note.add", "N4", ["text": "x", "at": "2026-09-20 10:00:00"])) == "applied")
        let task = ["title": "回访", "due_on": "2026-09-30"]
        #expect(try answer(op("task.create", "T1", task.merging(["owner": "S2"]) { a, _ in a })) == "not_allowed")
        #expect(try answer(op("task.create", "T2", task.merging(["owner": "S1"]) { a, _ in a })) == "applied")
        #expect(try answer(op("task.create", "T3", task.merging(["campaign": "CMP-x", "campaign_name": "全行活动", "campaign_kind": "care",
                                                              "campaign_starts": "2026-09-01", "campaign_ends": "2026-12-31"]) { a, _ in a }))
                == "not_allowed")
        #expect(try db.campaigns().isEmpty, "no header was created")
    }
}
