import Hummingbird
import PartneringCore

extension Request {
    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive,
    /// RFC 9110 §11.1), or `nil` when the request has no such header.
    var bearerToken: String? {
        guard let header = headers[.authorization] else { return nil }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return nil }
        let token = header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

extension WebSession {
    /// The page session of `request` and the organiser its cookie signs in, for the
    /// back-office pages; ``Refusal/notSignedIn`` (a redirect to the sign-in page) otherwise.
    static func signedInOrganiser(_ request: Request, environment: ServerEnvironment) async throws -> (
        WebSession, String
    ) {
        let session = WebSession(request: request, environment: environment)
        return (session, try await environment.registration.organisers.organiser(token: session.organiserToken))
    }

    /// The page session of `request` and the attendee its cookie signs in, for the pages of
    /// the personal area; ``Refusal/notSignedIn`` otherwise.
    static func signedInAttendee(_ request: Request, environment: ServerEnvironment) async throws -> (
        WebSession, Participant
    ) {
        let session = WebSession(request: request, environment: environment)
        return (session, try await environment.registration.attendees.attendee(sessionToken: session.attendeeToken))
    }
}
