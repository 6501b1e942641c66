import Foundation
import PartneringConfig
import Storage

/// Opens the configured store, migrated, runs `body` and always closes the store.
func withStore<Result>(
    _ settings: ServiceSettings, migrate: Bool = true, _ body: (PartneringStore) async throws -> Result
) async throws -> Result {
    let store: PartneringStore
    do {
        store = try await PartneringStore.open(settings.database)
        if migrate { _ = try await store.migrate() }
    } catch {
        throw CommandFailure.failed("cannot open the store \(settings.database): \(error)")
    }
    do {
        let result = try await body(store)
        try await store.shutdown()
        return result
    } catch {
        try? await store.shutdown()
        throw error
    }
}
