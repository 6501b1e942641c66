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
}
