import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringServer
import Testing

/// Every route that needs someone signed in refuses a request without a valid session,
/// whichever controller serves it: the identity comes from the one sign-in middleware.
@Suite("Signed-in routes")
struct SignedInRoutesTests {
    /// The paths that answer without a session.
    private static let open: Set<String> = [
        "/organiser/login", "/desk/login", "/desk/assets/{file}", "/api/desk/sessions", "/api/v1/organiser/tokens",
        "/me/sign-out",
    ]

    /// Where the signed-in routes live.
    private static let areas = [
        "/me", "/organiser", "/desk", "/api/desk", "/api/v1/me", "/api/v1/directory", "/api/v1/requests",
        "/api/v1/organiser",
    ]

    /// The desk's pages send a signed-out browser to the desk's sign-in page instead.
    private static let redirected: Set<String> = ["/desk", "/desk/badges/{id}"]

    private static func needsSession(_ path: String) -> Bool {
        !open.contains(path) && areas.contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    @Test("without a session, or with a forged one, no signed-in GET route answers 200")
    func refusedWithoutSession() async throws {
        try await RegistrationServer.with { server in
            let router = buildRouter(environment: server.environment)
            let paths = router.routes.filter { $0.method == .get }.map { "/" + $0.path.description }
                .map { $0.replacingOccurrences(of: "//", with: "/") }.filter(Self.needsSession)
            #expect(paths.count > 30, "\(paths)")
            try await buildApplication(environment: server.environment).test(.router) { client in
                for path in paths {
                    let uriWithRoot =
                        "/"
                        + path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? "x1" : String($0) }
                        .joined(separator: "/")
                    for headers: HTTPFields in [
                        [:], [.authorization: "Bearer v1.forged.token"],
                        [.cookie: "attendee=v1.forged.token; organiser=v1.forged.token; desk=v1.forged.token"],
                    ] {
                        let response = try await client.execute(uri: uriWithRoot, method: .get, headers: headers)
                        if Self.redirected.contains(path) {
                            #expect(response.status == .seeOther, "\(uriWithRoot)")
                            #expect(response.headers[.location] == "/desk/login", "\(uriWithRoot)")
                        } else {
                            #expect(response.status == .unauthorized, "\(uriWithRoot) \(headers)")
                        }
                        if path.hasPrefix("/api/") {
                            #expect(String(buffer: response.body).contains("not_signed_in"), "\(uriWithRoot)")
                        }
                    }
                }
            }
        }
    }
}
