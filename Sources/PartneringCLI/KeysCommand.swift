import ArgumentParser
import Foundation
import Tickets

/// `partnering keys ...`: the Ed25519 keys that sign tickets.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, rotate and export the keys that sign tickets.",
        discussion: """
            The keys live in <data-dir>/keys: the active private key (signing-key.pem, PKCS#8,
            mode 0600, never printed) and every public key ever used (public/<kid>.pem), so that
            a rotation never invalidates a ticket already issued.
            """,
        subcommands: [Generate.self, Rotate.self, Export.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the first signing key (refused when one exists).")

        @OptionGroup var folder: TicketKeyFolderOptions

        func run() async throws {
            let store = try await folder.store()
            try TicketCLI.reportingFailures {
                let key = try store.generate()
                print("Created ticket signing key \(key.keyID) in \(store.folder.path).")
                print("Give desks the public key set: partnering keys export -o keys.json")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new signing key active; tickets signed before stay valid.")

        @OptionGroup var folder: TicketKeyFolderOptions

        func run() async throws {
            let store = try await folder.store()
            try TicketCLI.reportingFailures {
                let (previous, current) = try store.rotate()
                print("New signing key \(current.keyID); \(previous) signs no more but stays in the key set.")
                print("Give desks the new key set: partnering keys export -o keys.json")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the public key set (JSON Web Key Set) for desks and verifiers.")

        @OptionGroup var folder: TicketKeyFolderOptions

        @Option(name: .shortAndLong, help: "Write the key set to this file instead of standard output.")
        var output: String?

        @Option(help: "Also write the active public key as PEM (SubjectPublicKeyInfo) to this file.")
        var pem: String?

        func run() async throws {
            let store = try await folder.store()
            try TicketCLI.reportingFailures {
                let keySet = try store.keySet()
                if let pem {
                    let key = try store.signingKey().publicKey
                    try TicketCLI.write(Data(try key.pem().utf8), to: pem)
                }
                if let output {
                    try TicketCLI.write(keySet.json() + Data("\n".utf8), to: output)
                    let ids = keySet.keys.map(\.keyID.hex).joined(separator: ", ")
                    print("Wrote \(keySet.keys.count) public key(s) (\(ids)) to \(output).")
                } else {
                    FileHandle.standardOutput.write(keySet.json() + Data("\n".utf8))
                }
            }
        }
    }
}

/// Where the ticket keys are: the configured key folder (`keyDir`, by default
/// `<dataDir>/keys`), read in the same layers as every other subcommand.
struct TicketKeyFolderOptions: ParsableArguments {
    @Option(help: "The service configuration file (YAML).")
    var config: String = ServiceOptions.defaultConfig

    @Option(help: "The data folder (env PARTNERING_DATA_DIR); keys live in its keys/ folder unless keyDir is set.")
    var dataDir: String?

    /// The key store of the configured key folder; a bad configuration exits with status 2.
    func store() async throws -> TicketKeyStore {
        var folder = ""
        try await reportingFailures {
            let settings = try await ServiceOptions.loadSettings(
                config: config, overrides: dataDir.map { [.dataDir: $0] } ?? [:])
            folder = settings.keyDirectory
        }
        return TicketKeyStore(folder: URL(fileURLWithPath: folder, isDirectory: true))
    }
}
