import Foundation
import PartneringCore
import SQLKit

/// Organiser accounts in a SQL database, one row per address as compared
/// (``SearchText/emailKey(_:)``): the primary key decides between two processes adding one.
struct SQLOrganiserAccountRepository: OrganiserAccountRepository {
    let backend: SQLBackend

    func find(email: String) async throws -> OrganiserAccount? {
        try await backend.sql().raw(
            """
            SELECT email, password_hash, created_at, password_changed_at FROM organiser_accounts \
            WHERE email_key = \(bind: SearchText.emailKey(email))
            """
        ).first().map(Self.account)
    }

    func all() async throws -> [OrganiserAccount] {
        try await backend.sql().raw(
            "SELECT email, password_hash, created_at, password_changed_at FROM organiser_accounts ORDER BY email_key"
        ).all().map(Self.account)
    }

    func add(_ account: OrganiserAccount, followUp: FollowUp) async throws -> Bool {
        try await changes(
            """
            INSERT INTO organiser_accounts (email_key, email, password_hash, created_at) \
            VALUES (\(bind: SearchText.emailKey(account.email)), \(bind: account.email), \
            \(bind: account.passwordHash), \(bind: account.createdAt.timeIntervalSince1970)) \
            ON CONFLICT (email_key) DO NOTHING RETURNING email_key
            """, followUp: followUp)
    }

    func setPasswordHash(_ hash: String, email: String, at time: Date, followUp: FollowUp) async throws -> Bool {
        try await changes(
            """
            UPDATE organiser_accounts SET password_hash = \(bind: hash), \
            password_changed_at = \(bind: time.timeIntervalSince1970) \
            WHERE email_key = \(bind: SearchText.emailKey(email)) RETURNING email_key
            """, followUp: followUp)
    }

    func remove(email: String, followUp: FollowUp) async throws -> Bool {
        try await changes(
            "DELETE FROM organiser_accounts WHERE email_key = \(bind: SearchText.emailKey(email)) RETURNING email_key",
            followUp: followUp)
    }

    /// Runs `statement` (one that returns the rows it changed) and, when it changed one,
    /// `followUp`, in one transaction; whether it changed one.
    private func changes(_ statement: SQLQueryString, followUp: FollowUp) async throws -> Bool {
        try await backend.write { [backend] sql in
            let changed = try await !sql.raw(statement).all().isEmpty
            if changed { try await backend.apply(followUp, sql) }
            return changed
        }
    }

    private static func account(_ row: any SQLRow) throws -> OrganiserAccount {
        OrganiserAccount(
            email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
            passwordChangedAt: try row.decodeNil(column: "password_changed_at")
                ? nil : Date(timeIntervalSince1970: try row.decode(column: "password_changed_at", as: Double.self)))
    }
}

/// The desks' passcode hash in a SQL database: one row, replaced whole.
struct SQLDeskPasscodeRepository: DeskPasscodeRepository {
    let backend: SQLBackend
    /// The row of the passcode all desks share.
    private static let name = "desks"

    func passcodeHash() async throws -> String? {
        try await backend.sql().raw(
            "SELECT password_hash FROM desk_passcodes WHERE name = \(bind: Self.name)"
        ).first().map { try $0.decode(column: "password_hash", as: String.self) }
    }

    func setPasscodeHash(_ hash: String, at time: Date) async throws {
        try await backend.sql().raw(
            """
            INSERT INTO desk_passcodes (name, password_hash, set_at) \
            VALUES (\(bind: Self.name), \(bind: hash), \(bind: time.timeIntervalSince1970)) \
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, set_at = excluded.set_at
            """
        ).run()
    }
}
