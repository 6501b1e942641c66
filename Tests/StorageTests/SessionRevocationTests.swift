import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("Signed-out sessions are remembered until they expire", arguments: Backend.testable)
    func sessionRevocations(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let noon = Date(timeIntervalSince1970: 1_800_000_000)

            // MUT
            try await store.sessions.revoke(tokenID: "a1b2c3d4e5f60718", expiresAt: noon.addingTimeInterval(3600))
            try await store.sessions.revoke(tokenID: "a1b2c3d4e5f60718", expiresAt: noon.addingTimeInterval(3600))
            try await store.sessions.revoke(tokenID: "0000111122223333", expiresAt: noon.addingTimeInterval(-60))
            let purged = try await store.sessions.purgeRevocations(expiredBefore: noon)

            // validation
            #expect(try await store.sessions.isRevoked(tokenID: "a1b2c3d4e5f60718"))
            #expect(try await !store.sessions.isRevoked(tokenID: "ffffeeeeddddcccc"))
            #expect(purged == 1, "only the expired revocation goes")
            #expect(try await !store.sessions.isRevoked(tokenID: "0000111122223333"))
        }
    }

    @Test("Revoking a holder's sessions ends each of them at once, and no one else's", arguments: Backend.testable)
    func holderRevocations(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.sessions.recordSession(
                tokenID: "jane-cookie", holder: "organiser:jane", expiresAt: noon.addingTimeInterval(3600))
            try await store.sessions.recordSession(
                tokenID: "jane-api", holder: "organiser:jane", expiresAt: noon.addingTimeInterval(7200))
            try await store.sessions.recordSession(
                tokenID: "paul-cookie", holder: "organiser:paul", expiresAt: noon.addingTimeInterval(3600))
            // Signed out earlier: still revoked, not counted again.
            try await store.sessions.revoke(tokenID: "jane-api", expiresAt: noon.addingTimeInterval(7200))

            // MUT
            let ended = try await store.sessions.revokeSessions(of: "organiser:jane")
            let again = try await store.sessions.revokeSessions(of: "organiser:jane")

            // validation
            #expect(ended == 1 && again == 0)
            #expect(try await store.sessions.isRevoked(tokenID: "jane-cookie"))
            #expect(try await store.sessions.isRevoked(tokenID: "jane-api"))
            #expect(try await !store.sessions.isRevoked(tokenID: "paul-cookie"))
            #expect(try await store.sessions.revokeSessions(of: "nobody") == 0)

            // Expired sessions are forgotten with the revocations: nothing left to end.
            _ = try await store.sessions.purgeRevocations(expiredBefore: noon.addingTimeInterval(8000))
            #expect(try await store.sessions.revokeSessions(of: "organiser:paul") == 0)
        }
    }
}
