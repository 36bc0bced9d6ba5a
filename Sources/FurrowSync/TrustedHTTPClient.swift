import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// HTTP clients for branch servers with a certificate of their own (a branch's private CA, not
/// one the system trusts): one per CA file for the life of the process, like `HTTPClient.shared`.
public enum TrustedHTTPClient {
    private static let clients = Mutex<[String: HTTPClient]>([:])

    /// The shared client when `caCertificate` is nil; otherwise one that trusts that PEM file
    /// (and only it) for HTTPS.
    public static func client(trusting caCertificate: String?) throws(SyncError) -> HTTPClient {
        guard let path = caCertificate else { return .shared }
        let roots: [NIOSSLCertificate]
        do { roots = try NIOSSLCertificate.fromPEMFile(path) } catch {
            throw .store("--ca-cert \(path): not a readable PEM certificate (\(error))")
        }
        guard !roots.isEmpty else { throw .store("--ca-cert \(path): no certificate in the file") }
        return clients.withLock { cache in
            if let c = cache[path] { return c }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(roots)
            tls.minimumTLSVersion = .tlsv12
            var config = HTTPClient.Configuration()
            config.tlsConfiguration = tls
            let c = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: config)
            cache[path] = c
            return c
        }
    }
}
