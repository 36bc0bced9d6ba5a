import Foundation
import Testing

/// A real `furrow-branch serve` process on loopback.
///
/// The first start asks for port 0 and reads the port from the server's "listening on URL"
/// line: a port picked at random by the test could already be held by another test's socket
/// (the range overlaps the kernel's ephemeral ports), and the logins would then reach the
/// wrong server. A restart asks for the same port again, since the workstations signed in
/// against its URL.
final class BranchServerProcess {
    struct StartError: Error, CustomStringConvertible { var description: String }

    let process: Process
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }

    private init(process: Process, port: Int) { self.process = process; self.port = port }

    /// Starts the server and waits (up to 30 s) until it listens.
    static func start(store: String, port: Int = 0, logDirectory: URL) throws -> BranchServerProcess {
        var lastFailure = ""
        // A port just given up by a killed server can take a moment to be free again.
        for _ in 0..<(port == 0 ? 1 : 20) {
            let started = try attempt(store: store, port: port, logDirectory: logDirectory)
            switch started {
            case .success(let server): return server
            case .failure(let e): lastFailure = e.description
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        throw StartError(description: "furrow-branch serve did not start: \(lastFailure)")
    }

    private static func attempt(store: String, port: Int, logDirectory: URL) throws -> Result<BranchServerProcess, StartError> {
        let stamp = UUID().uuidString.prefix(8)
        let out = logDirectory.appendingPathComponent("server-\(stamp).out")
        let err = logDirectory.appendingPathComponent("server-\(stamp).err")
        for f in [out, err] { _ = FileManager.default.createFile(atPath: f.path, contents: nil) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: BranchSyncTests.branchBinary)
        p.arguments = ["serve", "--store", store, "--port", String(port)]
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Deadline(seconds: 30)
        while !deadline.hasPassed {
            // Whole lines only: a read in the middle of the write could see half a port.
            let said = ((try? String(contentsOf: out, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = said.first(where: { $0.hasPrefix("listening on ") }),
               let bound = line.split(separator: ":").last.flatMap({ Int($0) }) {
                return .success(BranchServerProcess(process: p, port: bound))
            }
            if !p.isRunning {
                let why = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
                return .failure(StartError(description: "exit \(p.terminationStatus): \(why)"))
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        return .failure(StartError(description: "no \"listening on\" line within 30 s"))
    }

    /// SIGKILL: no graceful shutdown, as a crash or a pulled plug.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
