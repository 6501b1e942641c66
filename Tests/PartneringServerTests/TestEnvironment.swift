import Foundation
import Logging
import PartneringConfig
import PartneringCore
import PartneringServer
import Storage

/// The server as the tests see it: the sample event, the repository's templates
/// and a store (in memory unless a test asks for another).
enum TestEnvironment {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func make(store location: StoreLocation = .memory, migrated: Bool = true) async throws
        -> ServerEnvironment
    {
        var settings = try await ServiceSettings.load(file: nil, environment: [:])
        settings.port = 0
        settings.templatesDirectory = repositoryRoot.appendingPathComponent("templates").path
        settings.eventFile = repositoryRoot.appendingPathComponent("config/event.yaml").path
        settings.database = location
        let event = try EventDefinitionLoader.load(path: settings.eventFile)
        let store = try await PartneringStore.open(location)
        if migrated { _ = try await store.migrate() }
        let pages = try await PageRenderer(directory: settings.templatesDirectory)
        var logger = Logger(label: "partnering-tests")
        logger.logLevel = .warning
        return ServerEnvironment(settings: settings, event: event, store: store, pages: pages, logger: logger)
    }
}
