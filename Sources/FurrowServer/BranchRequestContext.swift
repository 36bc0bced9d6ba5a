import FurrowStore
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The branch's request context: Hummingbird's basics, the client's address (which the sign-in
/// limits count by) and, past `TokenAuthenticator`, the signed-in user.
public struct BranchRequestContext: AuthRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The user of the request's bearer token, set by `TokenAuthenticator`.
    public var identity: AppDatabase.UserRef?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The address without its port (`192.0.2.7`, `::1`), or nil when there is none (tests).
    var clientAddress: String? { remoteAddress?.ipAddress }
}
