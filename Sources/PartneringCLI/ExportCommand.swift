import ArgumentParser
import Foundation
import Grids
import PartneringCore
import Scheduling
import Storage

/// `partnering export ...`: data out of the store.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data from the store.",
        subcommands: [ExportProblemCommand.self]
    )
}

/// `partnering export problem -o FILE`: the store's current state as `partnering-problem/1`.
struct ExportProblemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "problem",
        abstract: "Write the scheduling problem of the current registrations and requests (partnering-problem/1).",
        discussion: """
            Confirmed participants and the requests the scheduler should consider (accepted ones \
            only when the event requires acceptance). Pinned meetings come from --pinned-from-version.
            """
    )

    @OptionGroup var service: ServiceOptions

    @Option(name: .shortAndLong, help: "The file to write; '-' for standard output.")
    var output: String

    func run() async throws {
        try await reportingFailures {
            let (settings, event) = try await service.settingsAndEvent()
            let problem = try await withStore(settings) { store in
                try await ProblemDocument.current(
                    event: event, participants: store.participants, requests: store.requests)
            }
            if output == "-" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                FileHandle.standardOutput.write(try encoder.encode(problem) + Data("\n".utf8))
            } else {
                try JSONFiles.write(problem, to: output)
                FileHandle.standardError.write(
                    Data(
                        "Wrote \(output): \(problem.participants.count) participants, \(problem.requests.count) requests, \(problem.slots.count) slots, \(problem.tables.count) tables.\n"
                            .utf8))
            }
        }
    }
}
