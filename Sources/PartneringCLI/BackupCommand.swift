import ArgumentParser
import Foundation
import PartneringConfig
import PartneringCore
import Storage

/// `partnering backup`: a consistent copy of the SQLite store and the key folder in one file.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite store and the key folder into one file, while the service runs.",
        discussion: """
            The store is copied with SQLite's online backup API: one consistent snapshot holding \
            every registration acknowledged before the copy began, while `serve` keeps writing. \
            The file is a tar archive (`tar tvf` lists it): manifest.json (format \
            partnering-backup/1, the time, every member's size and SHA-256), partnering.sqlite \
            and keys/. It holds the private signing key: it is written with mode 0600; keep it \
            as safe as the key folder. For PostgreSQL use pg_dump (Deployment/README.md).
            """
    )

    @OptionGroup var service: ServiceOptions

    @Option(name: .shortAndLong, help: "The backup file to write (replaced whole, or left as it was).")
    var output: String

    func run() async throws {
        try await reportingFailures {
            let settings = try await service.settings()
            let database = try sqlitePath(of: settings, command: "backup")
            do {
                let manifest = try await StoreBackup.create(
                    database: database, keyFolder: settings.keyDirectory, archive: output)
                print(
                    "Backed up \(database) and \(manifest.keyFiles.count) key file(s) from \(settings.keyDirectory) into \(output)"
                )
            } catch let failure as StoreBackup.Failure {
                throw CommandFailure.failed(failure.description)
            }
        }
    }
}

/// `partnering restore`: puts a backup back into the data folder.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made by `partnering backup` back: the SQLite store and the key folder.",
        discussion: """
            Stop the service first. The backup is checked whole (structure, manifest, every \
            member's SHA-256, PRAGMA integrity_check) before anything is written; the store is \
            replaced in one rename, never left half-written. A folder that holds a store or key \
            files already is refused unless --force.
            """
    )

    @OptionGroup var service: ServiceOptions

    @Argument(help: "The backup file.")
    var file: String

    @Flag(name: .long, help: "Replace the store and key files that are there.")
    var force = false

    func run() async throws {
        try await reportingFailures {
            let settings = try await service.settings()
            let database = try sqlitePath(of: settings, command: "restore")
            do {
                let manifest = try await StoreBackup.restore(
                    archive: file, database: database, keyFolder: settings.keyDirectory, force: force)
                print(
                    "Restored \(database) and \(manifest.keyFiles.count) key file(s) into \(settings.keyDirectory) from the backup of \(InternetTime.string(manifest.createdAt))"
                )
            } catch let failure as StoreBackup.Failure {
                switch failure {
                case .notABackup, .targetNotEmpty, .damagedDatabase: throw CommandFailure.badInput(failure.description)
                case .noStore, .io: throw CommandFailure.failed(failure.description)
                }
            }
        }
    }
}

/// The SQLite file of the configured store; PostgreSQL and memory stores have their own tools.
private func sqlitePath(of settings: ServiceSettings, command: String) throws -> String {
    switch settings.database {
    case .sqlite(let path): return path
    case .postgres:
        throw CommandFailure.badInput(
            "\(command) works on the embedded SQLite store; for PostgreSQL use pg_dump and pg_restore (Deployment/README.md, \"Backup and restore\")"
        )
    case .memory: throw CommandFailure.badInput("the in-memory store has nothing to \(command)")
    }
}
