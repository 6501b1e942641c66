import Hummingbird
import NIOCore

/// The context of every request: Hummingbird's core storage, the address of the peer
/// that opened the connection (a client, or the reverse proxy in front of the service),
/// and who is signed in, once the route's ``SignInMiddleware`` has resolved it.
public struct PartneringRequestContext: RequestContext, IdentifiedRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    var identities = SignedInIdentities()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

extension Request {
    /// Who is asking, as the login rate limits count it: the connection's peer address or,
    /// when the operator said a reverse proxy sets it (`trustForwardedFor`), the last address
    /// of `X-Forwarded-For` (the one the proxy appended). An untrusted header is ignored:
    /// anyone can send one, to spread guesses over many "clients" or to block someone else's.
    func clientAddress(context: some RemoteAddressRequestContext, trustForwardedFor: Bool) -> String {
        if trustForwardedFor, let header = headers[.forwardedFor],
            let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}
