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

        let composeTime = Stopwatch()
        let sample = try await composer.compose(Array(drafts[..<min(count, 1000)]))
        let composed = composeTime.stop()
        let bytes = sample.reduce(0) { $0 + $1.data.count } / sample.count

        var written = 0
        let batchTime = Stopwatch()
        for start in stride(from: 0, to: count, by: batch) {
            let messages = try await composer.compose(Array(drafts[start..<min(start + batch, count)]))
            written += try await outbox.deliver(messages).filter(\.isNew).count
        }
        let batched = batchTime.stop()

        let singleTime = Stopwatch()
        for draft in drafts[count...] where try await outbox.deliver(composer.compose(draft)).isNew { written += 1 }
        let oneByOne = singleTime.stop()

        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appending(path: "new").path).count
        guard written == drafts.count, files == drafts.count else {
            throw ValidationError("expected \(drafts.count) files, wrote \(written) (\(files) in new/)")
        }
        let batchRate = Double(count) / batched.wall
        print("bench mail: \(drafts.count) messages (ticket + QR, schedule + .ics), \(bytes) bytes on average")
        print(composed.line("compose only", sample.count))
        print(batched.line("compose + write, batches of \(batch)", count))
        if single > 0 { print(oneByOne.line("compose + write, one by one", single)) }
        let met = batchRate >= 500
        print("  target >= 500 messages/s (batched, wall clock): \(met ? "met" : "NOT met")")
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

}

/// Wall-clock and CPU time of a phase: on a busy machine the CPU rate shows the code's own
/// cost, the wall-clock rate what a user would see (including waits for the disk).
private struct Stopwatch {
    struct Reading {
        let wall: Double
        let cpu: Double

        func line(_ label: String, _ messages: Int) -> String {
            let padded = label.padding(toLength: 40, withPad: " ", startingAt: 0)
            let rates = String(
                format: "%7.0f messages/s wall clock, %7.0f per CPU second", Double(messages) / wall,
                Double(messages) / max(cpu, 1e-9))
            return "  \(padded) \(rates)"
        }
    }

    private let wallStart = ContinuousClock.now
    private let cpuStart = Stopwatch.cpuSeconds()

    func stop() -> Reading {
        let elapsed = ContinuousClock.now - wallStart
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Reading(wall: wall, cpu: Stopwatch.cpuSeconds() - cpuStart)
    }

    /// User and system time of the whole process, all threads.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }
}
