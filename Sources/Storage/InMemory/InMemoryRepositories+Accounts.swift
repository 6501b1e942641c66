import Foundation
import PartneringCore

extension InMemoryRepositories: OrganiserAccountRepository {
    public func find(email: String) async throws -> OrganiserAccount? {
        organiserAccounts[SearchText.emailKey(email)]
    }

    public func all() async throws -> [OrganiserAccount] {
        organiserAccounts.values.sorted { SearchText.emailKey($0.email) < SearchText.emailKey($1.email) }
    }

    public func add(_ account: OrganiserAccount, followUp: FollowUp) async throws -> Bool {
        let key = SearchText.emailKey(account.email)
        guard organiserAccounts[key] == nil else { return false }
        try atomically { try apply(followUp) }
        organiserAccounts[key] = account
        return true
    }

    public func setPasswordHash(_ hash: String, email: String, at time: Date, followUp: FollowUp) async throws
        -> Bool
    {
        let key = SearchText.emailKey(email)
        guard organiserAccounts[key] != nil else { return false }
        try atomically { try apply(followUp) }
        organiserAccounts[key]?.passwordHash = hash
        organiserAccounts[key]?.passwordChangedAt = time
        return true
    }

    public func remove(email: String, followUp: FollowUp) async throws -> Bool {
        let key = SearchText.emailKey(email)
        guard organiserAccounts[key] != nil else { return false }
        try atomically { try apply(followUp) }
        organiserAccounts[key] = nil
        return true
    }
}

extension InMemoryRepositories: DeskPasscodeRepository {
    public func passcodeHash() async throws -> String? { deskPasscodeHash }

    public func setPasscodeHash(_ hash: String, at time: Date) async throws { deskPasscodeHash = hash }
}
