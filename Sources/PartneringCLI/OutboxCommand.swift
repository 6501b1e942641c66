import ArgumentParser
import Foundation
import Mail

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

    @Option(help: "The data folder (default: $PARTNERING_DATA_DIR, or ./data); the outbox is its outbox/ folder.")
    var dataDir: String?

    @Flag(help: "Print the records as JSON lines.")
    var json = false

    func run() async throws {
        let outbox = try Outbox(directory: MailCLIPaths.outbox(dataDirectory: dataDir))
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
        let formatter = ISO8601DateFormatter()
        for record in records {
            let state = OutboxState.of(record, in: outbox)
            print(
                [
                    record.id, formatter.string(from: record.createdAt), record.kind.rawValue, record.language.rawValue,
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

    @Option(help: "The data folder (default: $PARTNERING_DATA_DIR, or ./data).")
    var dataDir: String?

    @Flag(help: "Print only the .eml file, as a relay would read it.")
    var raw = false

    func run() async throws {
        let outbox = try Outbox(directory: MailCLIPaths.outbox(dataDirectory: dataDir))
        let record = try await outbox.record(matching: id)
        let file = outbox.fileURL(for: record)
        if !raw {
            print("id:        \(record.id)")
            print("kind:      \(record.kind.rawValue) (\(record.language.rawValue))")
            print("recipient: \(record.recipient)")
            print("subject:   \(record.subject)")
            print("cause:     \(record.cause)")
            print("written:   \(ISO8601DateFormatter().string(from: record.createdAt))")
            print("file:      \(file?.path ?? "\(record.file) (no longer in the outbox: taken by the relay)")")
            print("")
        }
        guard let file else { return }
        FileHandle.standardOutput.write(try Data(contentsOf: file))
    }
}

/// Where a recorded message's file is: waiting in new/, moved to cur/ by a relay, or gone.
private enum OutboxState {
    static func of(_ record: MessageRecord, in outbox: Outbox) -> String {
        guard let file = outbox.fileURL(for: record) else { return "taken" }
        return file.deletingLastPathComponent().lastPathComponent == "new" ? "waiting" : "read"
    }
}
