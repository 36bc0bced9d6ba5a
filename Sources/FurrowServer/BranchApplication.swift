import Foundation
import FurrowStore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// The branch server as a runnable application: plain HTTP on the branch's own network, or
/// TLS with the branch's certificate and key (`--tls-cert`, `--tls-key`, PEM files).
public enum BranchApplication {
    public struct TLSFiles: Sendable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) { self.certificate = certificate; self.key = key }
    }

    public struct SetupError: Error, CustomStringConvertible {
        public var description: String
    }

    /// How long a connection may stay silent (idle between requests, or half-way through one)
    /// before the branch closes it, and how many it holds open at once (more wait to be accepted).
    public struct Limits: Sendable {
        public var idleTimeout: TimeAmount
        public var maxConnections: Int
        public init(idleTimeout: TimeAmount = .seconds(30), maxConnections: Int = 1_000) {
            self.idleTimeout = idleTimeout; self.maxConnections = maxConnections
        }
    }

    /// `onRunning` gets the listening address (tests listen on port 0).
    public static func make(store: some BranchStorage, host: String, port: Int, tls: TLSFiles?, limits: Limits = Limits(),
                            logger: Logger = Logger(label: "furrow-branch"),
                            onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws(SetupError) -> some ApplicationProtocol {
        let running: @Sendable (any Channel) async -> Void = { channel in await onRunning(channel.localAddress?.port ?? port) }
        let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "furrow-branch",
                                                     availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections))
        let router = BranchServer.router(store: store)
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: limits.idleTimeout))
        guard let tls else {
            return Application(router: router, server: http1, configuration: configuration, onServerRunning: running, logger: logger)
        }
        let server: HTTPServerBuilder
        do {
            server = try .tls(http1, tlsConfiguration: try tlsConfiguration(tls))
        } catch let e as SetupError {
            throw e
        } catch {
            throw SetupError(description: "TLS: \(error)")
        }
        return Application(router: router, server: server, configuration: configuration, onServerRunning: running, logger: logger)
    }

    /// Reads the PEM files, saying which one is wrong.
    static func tlsConfiguration(_ files: TLSFiles) throws(SetupError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(files.certificate)
        } catch {
            throw SetupError(description: "--tls-cert \(files.certificate): not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw SetupError(description: "--tls-cert \(files.certificate): no certificate in the file") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.key, format: .pem)
        } catch {
            throw SetupError(description: "--tls-key \(files.key): not a readable PEM private key (\(error))")
        }
        var config = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        config.minimumTLSVersion = .tlsv12
        return config
    }
}
