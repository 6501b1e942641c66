import FluentKit

/// The nonces of recorded scans, so that a repeated upload counts once.
struct M0010_CreateScanNonces: AsyncMigration {
    var name: String { "M0010_CreateScanNonces" }

    func prepare(on database: any Database) async throws {
        try await database.schema("scan_nonces")
            .field("nonce", .string, .identifier(auto: false))
            .field("participant_id", .string, .required)
            .field("time", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("scan_nonces").delete()
    }
}
