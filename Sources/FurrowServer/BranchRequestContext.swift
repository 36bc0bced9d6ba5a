import Hummingbird
import NIOCore

/// The branch's request context: Hummingbird's basics plus the client's address, which the
/// sign-in limits count by.
public struct BranchRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The address without its port (`192.0.2.7`, `::1`), or nil when there is none (tests).
    var clientAddress: String? { remoteAddress?.ipAddress }
}
