import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import Hummingbird
import FurrowTestSupport
import HummingbirdTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Connections held open without finishing a request cost the branch a socket each: they are
/// closed after the idle timeout. Performed with raw sockets on loopback.
///
/// Its own threads: the sockets below wait in blocking calls, and the branch answering them runs
/// in the same test (a `recv` on Swift's pool could starve the handler it waits for).
@Suite("Idle and half-sent connections", .ownThreads)
struct ConnectionLimitTests {
    /// A TCP connection to 127.0.0.1:`port` that has sent `bytes` and reads with a `wait`-second timeout.
    static func open(port: Int, sending bytes: String, wait: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); return nil }
        _ = bytes.withCString { send(fd, $0, strlen($0), 0) }
        var timeout = timeval(tv_sec: wait, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// Opens a TCP connection to 127.0.0.1:`port`, sends `bytes`, and reports whether the server
    /// closed it within `wait` seconds (a read returning 0).
    static func closedByServer(port: Int, sending bytes: String, within wait: Int) -> Bool {
        guard let fd = open(port: port, sending: bytes, wait: wait) else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return true }          // closed by the server
            if n < 0 { return false }          // the wait ran out: still open
        }
    }

    /// The first bytes the server answers `request` with, on a new connection.
    static func answer(port: Int, to request: String) -> String {
        guard let fd = open(port: port, sending: request, wait: 30) else { return "" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
    }

    @Test("a connection that sends half a request, or nothing, is closed after the idle timeout; a finished request is answered")
    func idleClosed() async throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        let app = try BranchApplication.make(store: db, host: "127.0.0.1", port: 0, tls: nil,
                                             limits: .init(idleTimeout: .seconds(10), maxConnections: 100))
        try await app.test(.live) { client in
            let port = client.port ?? 0
            let half = Self.closedByServer(port: port, sending: "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"us",
                                           within: 60)
            #expect(half, "half a request")
            let nothing = Self.closedByServer(port: port, sending: "", within: 60)
            #expect(nothing, "nothing at all")
            // The test client's own connection has been idle too; a new one is answered.
            let answer = Self.answer(port: port, to: "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200"), "answered: \(answer)")
        }
    }
}
