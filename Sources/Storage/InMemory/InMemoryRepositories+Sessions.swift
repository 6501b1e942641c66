import Foundation
import PartneringCore

extension InMemoryRepositories: SessionRevocationRepository {
    public func revoke(tokenID: String, expiresAt: Date) async throws {
        if revokedSessions[tokenID] == nil { revokedSessions[tokenID] = expiresAt }
    }

    public func isRevoked(tokenID: String) async throws -> Bool { revokedSessions[tokenID] != nil }

    public func purgeRevocations(expiredBefore time: Date) async throws -> Int {
        issuedSessions = issuedSessions.filter { $0.value.expiresAt >= time }
        let expired = revokedSessions.filter { $0.value < time }.map(\.key)
        for tokenID in expired { revokedSessions[tokenID] = nil }
        return expired.count
    }

    public func recordSession(tokenID: String, holder: String, expiresAt: Date) async throws {
        if issuedSessions[tokenID] == nil { issuedSessions[tokenID] = (holder, expiresAt) }
    }

    public func revokeSessions(of holder: String) async throws -> Int {
        var revoked = 0
        for (tokenID, session) in issuedSessions where session.holder == holder && revokedSessions[tokenID] == nil {
            revokedSessions[tokenID] = session.expiresAt
            revoked += 1
        }
        return revoked
    }
}
