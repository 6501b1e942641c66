import HTTPTypes
import Hummingbird
import Logging

/// Gives every request an id: the caller's `X-Request-Id` when it is a plausible one (a
/// reverse proxy's, so that its log and ours name the request alike), otherwise a fresh
/// random one. The id goes into the request's log metadata (`request_id`) and back in the
/// answer's `X-Request-Id`, errors included, so a user's report can be found in the log.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A new random id (32 hexadecimal digits from the service's randomness).
    let makeID: @Sendable () -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let id = request.headers[.requestID].flatMap { Self.isAcceptable($0) ? $0 : nil } ?? makeID()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = id
            return response
        } catch var error as HTTPError {
            error.headers[.requestID] = id
            throw error
        }
    }

    /// The longest incoming id kept.
    static var maximumLength: Int { 128 }

    /// Whether an incoming id can go into logs and headers as it is: 1 to 128 characters
    /// among letters, digits and `-_.:`; anything else (control characters, quotes, a
    /// megabyte) is replaced, so nobody can forge or break log lines through it.
    static func isAcceptable(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= maximumLength else { return false }
        return id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: ":"):
                true
            default: false
            }
        }
    }
}
