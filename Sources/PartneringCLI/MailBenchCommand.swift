import ArgumentParser
import Foundation
import Mail
import PartneringCore

/// `partnering bench mail`: messages per second, composed with a QR code or an `.ics`
/// and written durably to a temporary outbox (target: at least 500 per second).
struct MailBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Compose and write e-mails (ticket with QR code, schedule with .ics) to a temporary outbox.",
        discussion: """
            Half the messages are ticket confirmations (QR PNG inline and attached), half are
            schedule publications (3 meetings, agenda.ics). Reports composition alone, batched
            delivery (one flush to disk per batch, as a schedule publication sends) and
            one-by-one delivery (one flush per message, as a registration sends).
            """)

    @Option(help: "Messages to compose and write in batches.")
    var count = 2000

    @Option(help: "Messages per batch.")
    var batch = 200

    @Option(help: "Messages written one by one (each flushed to disk on its own).")
    var single = 100

    @Option(help: "The templates folder (default: $PARTNERING_TEMPLATES_DIR, or ./templates).")
    var templates: String?

    @Flag(help: "Exit with an error when the batched rate is under 500 messages per second.")
    var check = false

    func validate() throws {
        guard count > 0, batch > 0, single >= 0 else { throw ValidationError("--count and --batch must be positive.") }
    }

    func run() async throws {
        let composer = MailComposer(
            templates: try MailTemplates(directory: MailCLIPaths.templates(templates)),
            settings: try MailSamples.settings())
        let folder = FileManager.default.temporaryDirectory.appending(path: "partnering-bench-mail-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try Outbox(directory: folder)
        let drafts = try Self.drafts(count: count + single)

        let composeStart = ContinuousClock.now
        var messages: [ComposedMessage] = []
        messages.reserveCapacity(drafts.count)
        for draft in drafts { messages.append(try composer.compose(draft)) }
        let composeSeconds = Self.seconds(since: composeStart)
        let bytes = messages.reduce(0) { $0 + $1.data.count }

        let batchStart = ContinuousClock.now
        var written = 0
        for start in stride(from: 0, to: count, by: batch) {
            let deliveries = try await outbox.deliver(Array(messages[start..<min(start + batch, count)]))
            written += deliveries.filter(\.isNew).count
        }
        let batchSeconds = Self.seconds(since: batchStart)

        let singleStart = ContinuousClock.now
        for message in messages[count...] where try await outbox.deliver(message).isNew { written += 1 }
        let singleSeconds = Self.seconds(since: singleStart)

        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appending(path: "new").path).count
        guard written == drafts.count, files == drafts.count else {
            throw ValidationError("expected \(drafts.count) files, wrote \(written) (\(files) in new/)")
        }
        let batchRate = Double(count) / (composeSeconds * Double(count) / Double(drafts.count) + batchSeconds)
        print("bench mail: \(drafts.count) messages, \(bytes / drafts.count) bytes on average")
        print(String(format: "  compose only:             %8.0f messages/s", Double(drafts.count) / composeSeconds))
        print(String(format: "  compose + write, batched: %8.0f messages/s (batches of %d)", batchRate, batch))
        if single > 0 {
            let singleRate = Double(single) / (composeSeconds * Double(single) / Double(drafts.count) + singleSeconds)
            print(String(format: "  compose + write, one by one: %5.0f messages/s (one fsync each)", singleRate))
        }
        let met = batchRate >= 500
        print("  target >= 500 messages/s (batched): \(met ? "met" : "NOT met")")
        if check && !met { throw ExitCode.failure }
    }

    private static func drafts(count: Int) throws -> [MessageDraft] {
        let ticket = try MailSamples.draft(.registrationConfirmed, language: .fr)
        let schedule = try MailSamples.draft(.schedulePublished, language: .en)
        return (0..<count).map { index in
            var draft = index.isMultiple(of: 2) ? ticket : schedule
            draft.values["participant_id"] = "p-\(index)"
            draft.language = index % 4 < 2 ? .fr : .en
            return draft
        }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
