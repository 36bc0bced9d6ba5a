import FurrowStore
import Hummingbird
import Logging

/// Every failure that is not an answer to a bad request (a store error, a bug) is logged with
/// the route, and the client gets a 500 that says to look at the server's log — never a stack
/// trace or the store's internals.
struct ErrorLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPResponseError {
            throw error
        } catch let error as StoreError {
            context.logger.error("\(request.method) \(request.uri.path): \(error.description)")
            if case .locked = error { throw HTTPError(.serviceUnavailable, message: "the branch store is busy; try again shortly") }
            if case .diskFull = error {
                throw HTTPError(.init(code: 507, reasonPhrase: "Insufficient Storage"), message: "the branch server's disk is full; your changes wait on your device and are sent when it has room")
            }
            throw HTTPError(.internalServerError, message: "the branch server could not do this (the error is in its log)")
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            throw HTTPError(.internalServerError, message: "the branch server could not do this (the error is in its log)")
        }
    }
}
