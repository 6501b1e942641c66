import ArgumentParser
import CheckIn
import Foundation
import PartneringCore
import Tickets

/// `partnering checkin ...`: what check-in desks need from the command line.
struct CheckInCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkin",
        abstract: "Check-in desks: the offline bundle and the desk passcode.",
        subcommands: [Bundle.self, Passcode.self])

    struct Bundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the offline bundle of the desks: public keys, revocation list and roster.",
            discussion: """
                The bundle is JSON (format partnering-desk-bundle/1, see docs/checkin.md). It is also a key set and a \
                revocation list: `partnering ticket verify TOKEN --keys FILE --revoked FILE --event ID` reads it. \
                It holds names and organisations: keep it on the desks only.
                """)

        @OptionGroup var service: ServiceOptions

        @Option(name: .shortAndLong, help: "The file to write, or - for standard output.")
        var output: String

        func run() async throws {
            try await reportingFailures {
                let (settings, event) = try await service.settingsAndEvent()
                let source = try settings.ticketKeySource()
                let keys: TicketKeySet
                do { keys = try source.keySet() } catch { throw CommandFailure.badInput("\(error)") }
                let bundle = try await withStore(settings) { store in
                    try await CheckInService(
                        event: event, keys: { keys },
                        repositories: CheckInRepositories(
                            participants: store.participants, tickets: store.tickets, checkIns: store.checkIns,
                            schedules: store.schedules, auditLog: store.auditLog, idempotency: store.idempotency)
                    ).bundle()
                }
                let data = try bundle.json() + Data("\n".utf8)
                if output == "-" {
                    FileHandle.standardOutput.write(data)
                } else {
                    try JSONFiles.writeAtomically(data, to: output)
                    FileHandle.standardError.write(
                        Data(
                            "Wrote \(output): \(bundle.keys.count) key(s), \(bundle.revoked.count) revoked ticket(s), \(bundle.roster.count) participant(s)\n"
                                .utf8))
                }
            }
        }
    }

    struct Passcode: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set or rotate the passcode desks sign in with (kept as a bcrypt hash in the store).",
            discussion: """
                Without --set, a new random passcode is generated and printed once: run it again to rotate. \
                Every server on the store takes the new passcode at the next sign-in; desks already signed in \
                stay signed in.
                """)

        @OptionGroup var service: ServiceOptions

        @Option(help: "The passcode to set (at least 8 characters); default: a new random one, printed.")
        var set: String?

        func run() async throws {
            try await reportingFailures {
                let settings = try await service.settings()
                try await withStore(settings) { store in
                    let passcode = DeskPasscode(repository: store.deskPasscodes)
                    do {
                        if let set {
                            try await passcode.set(set)
                            print("Desk passcode set.")
                        } else {
                            print(try await passcode.generate())
                        }
                    } catch let error as DeskPasscode.PasscodeError {
                        throw CommandFailure.badInput(error.description)
                    }
                }
            }
        }
    }
}
