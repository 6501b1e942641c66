import ArgumentParser
import CheckIn
import FileSupport
import Foundation
import PartneringCore
import Tickets

/// `partnering ticket ...`: sign and verify tickets offline.
struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Sign and verify tickets offline.",
        subcommands: [Sign.self, Verify.self, Issue.self])

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a ticket with the active key and print its token (organiser tool).",
            discussion: """
                The token holds no personal data: the participant number, role, event and validity.
                Without --not-before the ticket is valid from now; without --expires, for 30 days.
                """)

        @OptionGroup var folder: TicketKeyFolderOptions

        @Option(help: "The participant's number (0 to 65535).")
        var participantNumber: Int

        @Option(help: "The participant's role: 1 to 9 characters among a-z, 0-9, - and _.")
        var role: String

        @Option(help: "The event id.")
        var event: String

        @Option(help: "Valid from (ISO 8601, e.g. 2026-03-12T07:00:00+01:00 or 2026-03-12).")
        var notBefore: String?

        @Option(help: "Valid until (ISO 8601).")
        var expires: String?

        @Option(help: "Also write the QR code as a PNG to this file.")
        var png: String?

        @Option(help: "Also write the QR code as an SVG to this file.")
        var svg: String?

        @Option(help: "Pixels per QR module in the PNG.")
        var scale = 8

        func run() async throws {
            let store = try await folder.store()
            try TicketCLI.reportingFailures {
                let start = try notBefore.map { try TicketCLI.date($0, option: "--not-before") } ?? Date()
                let end = try expires.map { try TicketCLI.date($0, option: "--expires") } ?? start + 30 * 86_400
                let issuer = TicketIssuer(key: try store.signingKey(), event: EventID(event))
                let ticket: TicketIssuer.SignedTicket
                do {
                    ticket = try issuer.issue(
                        participantNumber: participantNumber, role: Role(rawValue: role), notBefore: start,
                        expiry: end)
                } catch {
                    throw CommandFailure.badInput("\(error)")
                }
                if png != nil || svg != nil {
                    let matrix = try QRMatrix(alphanumeric: ticket.token)
                    if let png { try TicketCLI.write(Data(matrix.png(scale: scale)), to: png) }
                    if let svg { try TicketCLI.write(Data(matrix.svg().utf8), to: svg) }
                }
                print(ticket.token)
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a ticket offline: exit status 0 only for a valid ticket.",
            discussion: """
                Prints the verdict (valid, or the refusal code and reason) and what the ticket states.
                Exit status: 0 valid, 1 refused, 2 bad input. Quote the token: it may contain spaces.
                """)

        @Argument(help: "The ticket token (PT1:...).")
        var token: String?

        @Option(help: "Read the ticket from the QR code in this PNG (uses zbarimg).")
        var image: String?

        @Option(help: "The public key set (JSON); default: the public keys of <data-dir>/keys.")
        var keys: String?

        @Option(help: "A revocation list (JSON: {\"revoked\": [ticket ids]}).")
        var revoked: String?

        @Option(help: "The event the desk admits to (default: $PARTNERING_EVENT).")
        var event: String?

        @Option(help: "Verify as of this moment (ISO 8601) instead of now.")
        var at: String?

        @Flag(help: "Print the verdict as JSON.")
        var json = false

        @OptionGroup var folder: TicketKeyFolderOptions

        func run() async throws {
            var verdict: TicketVerdict?
            var formatProblem: String?
            let store = try await folder.store()
            try TicketCLI.reportingFailures {
                guard (token == nil) != (image == nil) else {
                    throw CommandFailure.badInput("give a TOKEN or --image FILE.png (one of them)")
                }
                guard let eventID = event ?? ProcessInfo.processInfo.environment["PARTNERING_EVENT"] else {
                    throw CommandFailure.badInput(
                        "name the event with --event ID (or PARTNERING_EVENT): tickets are checked against one event")
                }
                let moment = try at.map { try TicketCLI.date($0, option: "--at") } ?? Date()
                let verifier = TicketVerifier(
                    keys: try keySet(store), revocations: try revocations(), event: EventID(eventID),
                    clock: { moment })
                // Typed tokens may come from a scanner set for another keyboard layout.
                let text = ScannedText(try token ?? TicketCLI.decodeQRCode(image ?? "")).text
                verdict = verifier.verify(text)
                // The verdict gives the code; the format error says what exactly is wrong.
                do { _ = try TicketToken(text: text) } catch let error as TicketToken.FormatError {
                    formatProblem = error.detail
                }
            }
            guard let verdict else { return }
            if json {
                print(TicketCLI.json(verdict))
            } else {
                print(TicketCLI.describe(verdict))
                if let formatProblem { print("  problem:     \(formatProblem)") }
            }
            if verdict.refusal != nil { throw ExitCode(1) }
        }

        private func keySet(_ store: TicketKeyStore) throws -> TicketKeySet {
            guard let keys else { return try store.keySet() }
            return try TicketKeySet(json: TicketCLI.read(keys))
        }

        private func revocations() throws -> RevocationList {
            guard let revoked else { return RevocationList() }
            do {
                return try RevocationList(json: TicketCLI.read(revoked))
            } catch let error as RevocationList.ReadError {
                throw CommandFailure.badInput("\(revoked): \(error)")
            }
        }
    }
}

/// What the ticket and key commands share: dates, files, output and failures.
enum TicketCLI {
    /// Runs `body` like ``reportingFailures(_:)`` of the other commands, except that an
    /// unexpected error counts as bad input: key store, key set and QR errors all come
    /// from the operator's files or flags.
    static func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let failure as CommandFailure {
            printError(failure.description)
            if case .failed = failure { throw ExitCode(1) }
            throw ExitCode(2)
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }

    /// An ISO 8601 moment: a date-time with a zone, or a date alone (midnight UTC).
    static func date(_ text: String, option: String) throws -> Date {
        if let date = InternetTime.parseDateOrMoment(text) { return date }
        throw CommandFailure.badInput(
            "\(option): expected an ISO 8601 date-time such as 2026-03-12T07:00:00+01:00 or a date "
                + "such as 2026-03-12, got \"\(text)\"")
    }

    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure.badInput("cannot read \(path): no such file or not readable")
        }
    }

    /// Writes `data` to `path` whole and durably (``AtomicFile``); a path that cannot be
    /// written is bad input.
    static func write(_ data: Data, to path: String) throws {
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw CommandFailure.badInput(error.description)
        }
    }

    /// The one QR code of a PNG, read by `zbarimg` (Debian package zbar-tools).
    static func decodeQRCode(_ path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CommandFailure.badInput("cannot read \(path): no such file or not readable")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw CommandFailure.failed("cannot run zbarimg (install zbar-tools): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let codes = String(decoding: data, as: UTF8.self).split(separator: "\n")
        switch (process.terminationStatus, codes.count) {
        case (0, 1): return String(codes[0])
        case (0, let count) where count > 1:
            throw CommandFailure.badInput("\(path) holds \(count) QR codes; crop it to the ticket's")
        case (127, _): throw CommandFailure.failed("zbarimg is not installed (Debian package zbar-tools)")
        default: throw CommandFailure.badInput("no QR code found in \(path)")
        }
    }

    /// The verdict for a person: the verdict line, then what the ticket states.
    static func describe(_ verdict: TicketVerdict) -> String {
        var lines: [String] = []
        switch verdict {
        case .valid: lines.append("valid")
        case .refused(let refusal, _): lines.append("refused: \(refusal.code): \(refusal.message.en)")
        }
        if let claims = verdict.claims {
            lines += [
                "  ticket:      \(claims.ticketID)",
                "  participant: \(claims.participantNumber) (\(claims.role))",
                "  event:       \(claims.event)",
                "  valid:       \(InternetTime.string(claims.notBefore)) to \(InternetTime.string(claims.expiry))",
                "  key:         \(claims.keyID)",
            ]
        }
        return lines.joined(separator: "\n")
    }

    /// The verdict as one JSON object: `{"verdict": "valid" | "refused", "code": ..., "claims": ...}`.
    static func json(_ verdict: TicketVerdict) -> String {
        struct Report: Encodable {
            var verdict: String
            var code: String
            var reason: String?
            var claims: TicketClaims?
        }
        let report = Report(
            verdict: verdict.refusal == nil ? "valid" : "refused", code: verdict.code,
            reason: verdict.refusal?.message.en, claims: verdict.claims)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self)
    }
}
