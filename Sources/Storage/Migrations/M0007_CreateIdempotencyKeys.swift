import FluentKit

/// `Idempotency-Key` records: unique per scope; `response` is NULL while the
/// operation is in progress.
struct M0007_CreateIdempotencyKeys: AsyncMigration {
    var name: String { "M0007_CreateIdempotencyKeys" }

    func prepare(on database: any Database) async throws {
        try await database.schema("idempotency_keys")
            .field("scope", .string, .required)
            .field("key", .string, .required)
            .field("fingerprint", .string, .required)
            .field("response", .string)
            .field("entity_id", .string)
            .field("created_at", .double, .required)
            .compositeIdentifier(over: "scope", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("idempotency_keys").delete()
    }
}
