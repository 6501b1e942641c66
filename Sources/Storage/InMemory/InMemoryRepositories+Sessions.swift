import Foundation
import PartneringCore

extension InMemoryRepositories: SessionRevocationRepository {
    public func revoke(tokenID: String, expiresAt: Date) async throws {
        if revokedSessions[tokenID] == nil { revokedSessions[tokenID] = expiresAt }
    }

    public func isRevoked(tokenID: String) async throws -> Bool { revokedSessions[tokenID] != nil }

    public func purgeRevocations(expiredBefore time: Date) async throws -> Int {
        let expired = revokedSessions.filter { $0.value < time }.map(\.key)
        for tokenID in expired { revokedSessions[tokenID] = nil }
        return expired.count
    }
}
