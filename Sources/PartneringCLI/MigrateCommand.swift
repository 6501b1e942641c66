import ArgumentParser
import Storage

/// `partnering migrate`: brings the store's schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or update the store's schema (numbered migrations, applied once each).",
        discussion: "`serve` migrates at start too; run this before starting several instances on PostgreSQL."
    )

    @OptionGroup var service: ServiceOptions

    @Flag(name: .long, help: "List the migrations not applied yet, change nothing.")
    var dryRun = false

    func run() async throws {
        try await reportingFailures {
            let settings = try await service.settings()
            try await withStore(settings, migrate: false) { store in
                if dryRun {
                    let pending = try await store.pendingMigrations()
                    print(pending.isEmpty ? "The store is up to date." : "Pending: \(pending.joined(separator: ", "))")
                    return
                }
                let applied = try await store.migrate()
                print(
                    applied.isEmpty
                        ? "The store \(settings.database) is up to date."
                        : "Applied \(applied.count) migration(s) to \(settings.database): \(applied.joined(separator: ", "))"
                )
            }
        }
    }
}
