import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import Hummingbird
import FurrowTestSupport
import Synchronization
import Testing

/// `furrow-branch serve --tls-cert --tls-key` and `furrow login --ca-cert`: HTTPS with the
/// branch's own certificate, made here with openssl.
private let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite("HTTPS between workstations and the branch server", .ownThreads, .enabled(if: openssl != nil, ".ci/run installs openssl"))
struct TLSTests {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    /// A self-signed certificate for 127.0.0.1, valid for two days.
    func certificate() throws -> (cert: String, key: String) {
        let cert = dir.appendingPathComponent("branch.crt").path, key = dir.appendingPathComponent("branch.key").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: openssl!)
        p.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                       "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "openssl could not make a certificate")
        return (cert, key)
    }

    @Test("a workstation that trusts the branch's certificate signs in and syncs over HTTPS; one that does not, or speaks plain HTTP, is refused")
    func https() async throws {
        let (cert, key) = try certificate()
        let branch = try AppDatabase.open(path: dir.appendingPathComponent("branch.sqlite").path)
        _ = try branch.importExtract(directory: "b", actor: "t", asOf: CalendarDate(iso: "2026-11-20")!) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Customer(customerID: "C1", name: "张三丰", kind: .individual))
            try s.upsert(Assignment(customerID: "C1", staffID: "S1", since: CalendarDate(iso: "2024-01-01")!))
            return .commit(summary: "")
        }
        try branch.setBranchUser(staffID: "S1", passwordHash: BranchServer.hashPassword("password-s1"), by: "admin")
        let port = Mutex(0)
        let app = try BranchApplication.make(store: branch, host: "127.0.0.1", port: 0,
                                             tls: .init(certificate: cert, key: key)) { p in port.withLock { $0 = p } }
        // The server is a child task, so it runs on the suite's own threads too.
        try await withThrowingTaskGroup { group in
        group.addTask { try await app.runService() }
        defer { group.cancelAll() }
        var waited = 0
        while port.withLock({ $0 }) == 0 && waited < 100 { try await Task.sleep(for: .milliseconds(50)); waited += 1 }
        let url = "https://127.0.0.1:\(port.withLock { $0 })"

        let trusted = try TrustedHTTPClient.client(trusting: cert)
        let login = try await SyncClient(server: url, http: trusted).login(user: "S1", password: "password-s1", device: "test")
        let rm = try AppDatabase.open(path: dir.appendingPathComponent("s1.sqlite").path)
        let summary = try await SyncEngine(store: rm, client: SyncClient(server: url, token: login.token, http: trusted)).run()
        #expect(summary.snapshotCustomers == 1)

        do {
            var untrusting = SyncClient(server: url)
            untrusting.loginTimeout = .seconds(2)
            _ = try await untrusting.login(user: "S1", password: "password-s1", device: "untrusting")
            Issue.record("a certificate the system does not trust must be refused")
        } catch {
            #expect("\(error)".contains("certificate is not trusted") && "\(error)".contains("--ca-cert"), "\(error)")
        }
        do {
            var plain = SyncClient(server: "http://127.0.0.1:\(port.withLock { $0 })")
            plain.loginTimeout = .seconds(2)
            _ = try await plain.login(user: "S1", password: "password-s1", device: "plain")
            Issue.record("plain HTTP to an HTTPS server gets no answer")
        } catch {
            #expect("\(error)".contains("cannot reach") || "\(error)".contains("failed"), "\(error)")
        }
        }
        // Bad files are named.
        #expect(throws: BranchApplication.SetupError.self) {
            _ = try BranchApplication.make(store: branch, host: "127.0.0.1", port: 0, tls: .init(certificate: key, key: key))
        }
        #expect(throws: SyncError.self) { _ = try TrustedHTTPClient.client(trusting: dir.appendingPathComponent("missing.pem").path) }
    }
}

@Suite("Plain HTTP only on this machine")
struct PlainHTTPTests {
    @Test("loopback in every spelling is this machine; any other host over http:// is exposed; https:// never is")
    func exposure() throws {
        for url in ["http://127.0.0.1:8420", "http://127.8.9.10", "http://localhost:1", "http://[::1]:8420"] {
            #expect(!PlainHTTP.isExposed(url), "\(url)")
        }
        for url in ["http://192.0.2.10:8420", "http://branch.example", "http://127.0.0.1.example.com", "http://[::2]:80", "HTTP://0.0.0.0"] {
            #expect(PlainHTTP.isExposed(url), "\(url)")
        }
        #expect(!PlainHTTP.isExposed("https://192.0.2.10:8420"))
        let plain = Credentials(server: "http://192.0.2.10:8420", user: "S1", token: "t", expiresAt: "2099-01-01T00:00:00Z")
        #expect(throws: SyncError.self) { _ = try plain.client() }
        let consented = Credentials(server: "http://192.0.2.10:8420", user: "S1", token: "t", expiresAt: "2099-01-01T00:00:00Z", insecure: true)
        #expect(throws: Never.self) { _ = try consented.client() }
    }
}
