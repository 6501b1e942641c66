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
                Without --set or --passcode-file, a new random passcode is generated and printed once: run it \
                again to rotate. With --set, the passcode is typed on the terminal without echo (twice), or read \
                as one line from standard input when it is not a terminal: \
                `printf '%s\\n' "$PASSCODE" | partnering checkin passcode --set`. It is never given on the \
                command line, where `ps` and the shell history would show it. Every server on the store takes \
                the new passcode at once, and the desks signed in with the former one are signed out.
                """)

        @OptionGroup var service: ServiceOptions

        @Flag(
            help: """
                Set a chosen passcode (at least \(DeskPasscode.minimumLength) characters), read from the terminal \
                or standard input; default: a new random one, printed.
                """)
        var set = false

        @Option(help: "A file whose one line is the passcode to set (implies --set).")
        var passcodeFile: String?

        func run() async throws {
            try await reportingFailures {
                let chosen =
                    set || passcodeFile != nil
                    ? try SecretInput.read("Desk passcode", file: passcodeFile, confirming: true) : nil
                let settings = try await service.settings()
                try await withStore(settings) { store in
                    let passcode = DeskPasscode(repository: store.deskPasscodes, sessions: store.sessions)
                    do {
                        if let chosen {
                            let ended = try await passcode.set(chosen)
                            print("Desk passcode set; \(ended) open desk session(s) ended.")
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
