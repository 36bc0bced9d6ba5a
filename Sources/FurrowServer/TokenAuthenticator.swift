import FurrowCore
import FurrowStore
import FurrowSync
import Hummingbird
import HummingbirdAuth
import HTTPTypes

/// Every route but health and login: the request's bearer token must be current, and its user
/// is put on the context (`context.requireIdentity()`). A missing, unknown, expired or revoked
/// token is a 401; a token of a device reported lost is a 401 that tells the device to erase
/// its copy — said before anything is pushed or sent.
struct TokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = BranchRequestContext
    let store: any BranchAccounts
    let executor: StoreExecutor

    func authenticate(request: Request, context: Context) async throws -> AppDatabase.UserRef? {
        guard let hash = BranchServer.bearerDigest(request) else {
            throw HTTPError(.unauthorized, message: "sign in first: Authorization: Bearer <token>")
        }
        guard let user = try await executor.run({ try store.tokenUser(hash: hash) }) else {
            if try await executor.run({ try store.lostDeviceContact(hash: hash) }), let wipe = HTTPField.Name(SyncProtocol.wipeHeader) {
                throw HTTPError(.unauthorized, headers: [wipe: "erase"],
                                message: "this device was reported lost: its store and token are to be erased")
            }
            throw HTTPError(.unauthorized, message: "the token is unknown, expired or revoked: sign in again")
        }
        return user
    }
}
