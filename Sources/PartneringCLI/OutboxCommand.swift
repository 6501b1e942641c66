import ArgumentParser
import Foundation
import Mail
import PartneringCore

/// `partnering outbox list | show ID`: the messages written for relays to send.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List the e-mails written to the outbox, or show one.",
        subcommands: [OutboxListCommand.self, OutboxShowCommand.self]
    )
}

struct OutboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "One line per message: id, time, kind, recipient, cause, state.")

    @Option(help: "The service configuration file (YAML).")
    var config: String = ServiceOptions.defaultConfig

    @Option(
        help: "The data folder (env PARTNERING_DATA_DIR); the outbox is its outbox/ folder unless outboxDir is set.")
    var dataDir: String?

    @Flag(help: "Print the records as JSON lines.")
    var json = false

    func run() async throws {
        let folder = try await MailCLIPaths.outbox(config: config, dataDirectory: dataDir)
        guard FileManager.default.fileExists(atPath: folder.path) else {
            print("No outbox at \(folder.path) (no message was written yet, or --data-dir points elsewhere).")
            return
        }
        let outbox = try Outbox(directory: folder)
        let records = try await outbox.records()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            for record in records { print(String(decoding: try encoder.encode(record), as: UTF8.self)) }
            return
        }
        if records.isEmpty {
            print("No message in \(outbox.directory.path).")
            return
        }
        let states = OutboxState(outbox)
        for record in records {
            let state = states.of(record)
            print(
                [
                    record.id, InternetTime.string(record.createdAt), record.kind.rawValue, record.language.rawValue,
                    record.recipient, record.cause, state,
                ].joined(separator: "  "))
        }
        print("\(records.count) message(s) in \(outbox.directory.path)")
    }
}

struct OutboxShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a message's record and its .eml file.")

    @Argument(help: "The message id, or its first characters.")
    var id: String

    @Option(help: "The service configuration file (YAML).")
    var config: String = ServiceOptions.defaultConfig

    @Option(help: "The data folder (env PARTNERING_DATA_DIR).")
    var dataDir: String?

    @Flag(help: "Print only the .eml file, as a relay would read it.")
    var raw = false

    func run() async throws {
        let folder = try await MailCLIPaths.outbox(config: config, dataDirectory: dataDir)
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw ValidationError("No outbox at \(folder.path); give --data-dir or set PARTNERING_DATA_DIR.")
        }
        let outbox = try Outbox(directory: folder)
        let record = try await outbox.record(matching: id)
        let file = outbox.fileURL(for: record)
        // One stream for the record and the file's bytes, so that they come out in order.
        var output = Data()
        if !raw {
            let lines = [
                "id:        \(record.id)",
                "kind:      \(record.kind.rawValue) (\(record.language.rawValue))",
                "recipient: \(record.recipient)",
                "subject:   \(record.subject)",
                "cause:     \(record.cause)",
                "written:   \(InternetTime.string(record.createdAt))",
                "file:      \(file?.path ?? "\(record.file) (no longer in the outbox: taken by the relay)")",
            ]
            output += Data((lines.joined(separator: "\n") + "\n\n").utf8)
        }
        if let file { output += try Data(contentsOf: file) }
        FileHandle.standardOutput.write(output)
    }
}

/// Where a recorded message's file is: waiting in new/, moved to cur/ by a relay, or gone.
/// The folders are listed once, not once per record.
private struct OutboxState {
    private let waiting: Set<String>
    private let read: Set<String>

    init(_ outbox: Outbox) {
        let list = { (folder: String) in
            (try? FileManager.default.contentsOfDirectory(atPath: outbox.directory.appending(path: folder).path)) ?? []
        }
        waiting = Set(list("new"))
        // A Maildir reader may add ":2,FLAGS" to the names it moves into cur/.
        read = Set(list("cur").map { String($0.prefix { $0 != ":" }) })
    }

    func of(_ record: MessageRecord) -> String {
        if waiting.contains(record.file) { return "waiting" }
        return read.contains(record.file) ? "read" : "taken"
    }
}
