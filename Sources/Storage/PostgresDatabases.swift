import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix

/// Creates and drops whole PostgreSQL databases on a server: for first-time setup
/// and for test runs that each want a fresh, empty database.
public enum PostgresDatabases {
    /// Creates the database `name` on the server of `serverURL` (any existing
    /// database there, usually `postgres` or the user's own, serves to connect).
    /// Returns the URL of the new database.
    public static func create(named name: String, onServerOf serverURL: String, logger: Logger)
        async throws -> String
    {
        try check(name)
        try await execute("CREATE DATABASE \"\(name)\"", serverURL: serverURL, logger: logger)
        return try url(serverURL, withDatabase: name)
    }

    /// Drops the database `name`, closing the connections still open to it.
    public static func drop(named name: String, onServerOf serverURL: String, logger: Logger)
        async throws
    {
        try check(name)
        try await execute(
            "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", serverURL: serverURL, logger: logger)
    }

    /// `serverURL` with its database name replaced.
    public static func url(_ serverURL: String, withDatabase name: String) throws -> String {
        guard var components = URLComponents(string: serverURL) else {
            throw StorageError.invalidLocation(serverURL, reason: "not a URL")
        }
        components.path = "/" + name
        guard let url = components.string else {
            throw StorageError.invalidLocation(serverURL, reason: "not a URL")
        }
        return url
    }

    private static func check(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard !name.isEmpty, name.count <= 63, name.allSatisfy(allowed.contains) else {
            throw StorageError.invalidLocation(
                name, reason: "a database name here is 1 to 63 lower-case letters, digits or _")
        }
    }

    private static func execute(_ statement: String, serverURL: String, logger: Logger) async throws {
        let configuration = try SQLPostgresConfiguration(url: serverURL).coreConfiguration
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
            logger: logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
