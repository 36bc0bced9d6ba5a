import Foundation
import FurrowCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on loopback between a workstation and the branch server that the test
/// controls: while `faulty`, each chunk of a request or an answer passing through may be
/// dropped (the connection closed), delayed, cut in half, or stalled past the client's
/// timeout — each choice drawn from a seeded generator, so a run replays. The cases that
/// matter most: a request the branch never saw, and an answer lost after the branch did the
/// work.
final class FaultProxy: Sendable {
    enum Fault: String, CaseIterable, Sendable {
        case dropRequest = "request dropped"
        case delayRequest = "request delayed"
        case dropAnswer = "answer dropped"
        case truncateAnswer = "answer cut short"
        case delayAnswer = "answer delayed"
        case stallAnswer = "answer stalled"
    }

    struct State {
        var rng: SplitMix64
        var faulty = false
        /// The next this-many chunks from the client are dropped, whatever `faulty` says.
        var dropNext = 0
        var counts: [Fault: Int] = [:]
        var connections = 0
        var closed = false
    }

    let port: Int
    let upstreamPort: Int
    /// How long a stalled answer is held before its connection is closed.
    let stall: Double
    private let listener: Int32
    private let state: Mutex<State>

    var url: String { "http://127.0.0.1:\(port)" }

    init(upstreamPort: Int, seed: UInt64, stall: Double = 3) throws {
        self.upstreamPort = upstreamPort
        self.stall = stall
        state = Mutex(State(rng: SplitMix64(state: seed)))
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProxyError(what: "socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 128) == 0 else { close(fd); throw ProxyError(what: "bind/listen") }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = Int(UInt16(bigEndian: got.sin_port))
        listener = fd
        let accepting = Thread { [self] in acceptLoop() }
        accepting.start()
    }

    struct ProxyError: Error { var what: String }

    var faulty: Bool {
        get { state.withLock { $0.faulty } }
        set { state.withLock { $0.faulty = newValue } }
    }

    func dropNextRequests(_ n: Int) { state.withLock { $0.dropNext = n } }
    var counts: [Fault: Int] { state.withLock { $0.counts } }
    var connections: Int { state.withLock { $0.connections } }

    func stop() {
        state.withLock { $0.closed = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = UInt16(port).bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        return a
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if state.withLock({ $0.closed }) { return }
                continue
            }
            state.withLock { $0.connections += 1 }
            let t = Thread { [self] in pump(client) }
            t.start()
        }
    }

    /// The fault for the next chunk in one direction, or nil to pass it on.
    private func draw(request: Bool) -> Fault? {
        state.withLock { s in
            if request && s.dropNext > 0 {
                s.dropNext -= 1
                s.counts[.dropRequest, default: 0] += 1
                return .dropRequest
            }
            guard s.faulty else { return nil }
            let roll = Int.random(in: 0..<100, using: &s.rng)
            let fault: Fault? = request
                ? (roll < 8 ? .dropRequest : roll < 16 ? .delayRequest : nil)
                : (roll < 8 ? .dropAnswer : roll < 14 ? .truncateAnswer : roll < 22 ? .delayAnswer : roll < 25 ? .stallAnswer : nil)
            if let fault { s.counts[fault, default: 0] += 1 }
            return fault
        }
    }

    private func delayMs() -> Int { state.withLock { Int.random(in: 20...400, using: &$0.rng) } }

    private func pump(_ client: Int32) {
        let up = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(client); close(up) }
        var addr = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(up, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: up, events: Int16(POLLIN), revents: 0)]
        while !state.withLock({ $0.closed }) {
            guard poll(&fds, 2, 500) >= 0 else { return }
            for (i, p) in fds.enumerated() where p.revents != 0 {
                let from = i == 0 ? client : up, to = i == 0 ? up : client
                let n = read(from, &buffer, buffer.count)
                guard n > 0 else { return }
                var send = n
                switch draw(request: i == 0) {
                case nil: break
                case .dropRequest?, .dropAnswer?: return
                case .delayRequest?, .delayAnswer?: Thread.sleep(forTimeInterval: Double(delayMs()) / 1000)
                case .truncateAnswer?: send = max(1, n / 2)
                case .stallAnswer?:
                    Thread.sleep(forTimeInterval: stall)
                    return
                }
                guard writeAll(to, buffer, send) else { return }
                if send < n { return }
            }
        }
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], _ count: Int) -> Bool {
        var off = 0
        while off < count {
            // send, not write: a peer gone must not raise SIGPIPE in the test process.
            let w = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, count - off, Int32(MSG_NOSIGNAL)) }
            if w <= 0 { return false }
            off += w
        }
        return true
    }
}
