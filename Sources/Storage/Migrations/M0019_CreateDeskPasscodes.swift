import FluentKit

/// The desks' passcode hash (`DeskPasscodeRepository`), shared by every process; it was
/// kept in `keys/desk-passcode` before, which `partnering serve` imports once.
struct M0019_CreateDeskPasscodes: AsyncMigration {
    var name: String { "M0019_CreateDeskPasscodes" }

    func prepare(on database: any Database) async throws {
        try await database.schema("desk_passcodes")
            // One row today (`desks`): the name leaves room for a passcode per desk group.
            .field("name", .string, .identifier(auto: false))
            .field("password_hash", .string, .required)
            .field("set_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("desk_passcodes").delete()
    }
}
