import ArgumentParser
import CheckIn
import Foundation
import PartneringCore
import Tickets

extension TicketCommand {
    /// `partnering ticket issue PARTICIPANT`: issue or reissue a participant's ticket from the store.
    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue (or reissue) a confirmed participant's ticket and print its token (organiser tool).",
            discussion: """
                The new ticket is recorded in the store and every earlier ticket of the participant is revoked \
                (their ids are printed on standard error), so a lost or leaked ticket stops admitting anyone. \
                Give desks a fresh bundle (`partnering checkin bundle`) when they work offline.
                """)

        @OptionGroup var service: ServiceOptions

        @Argument(help: "The participant's id (p-...) or number.")
        var participant: String

        @Option(help: "Also write the QR code as a PNG to this file.")
        var png: String?

        @Option(help: "Also write the QR code as an SVG to this file.")
        var svg: String?

        func run() async throws {
            try await reportingFailures {
                let (settings, event) = try await service.settingsAndEvent()
                let source = try settings.ticketKeySource()
                let key: TicketSigningKey
                do { key = try source.signingKey() } catch { throw CommandFailure.badInput("\(error)") }
                let issued = try await withStore(settings) { store in
                    let issuance = TicketIssuance(
                        issuer: TicketIssuer(key: key, event: event.id), event: event, participants: store.participants,
                        tickets: store.tickets)
                    do {
                        let found = try await issuance.participant(participant)
                        return try await issuance.issue(to: found, actor: "cli")
                    } catch let error as TicketIssuance.IssuanceError {
                        throw CommandFailure.badInput(error.description)
                    }
                }
                if png != nil || svg != nil {
                    let matrix = try QRMatrix(alphanumeric: issued.ticket.token)
                    if let png { try JSONFiles.writeAtomically(Data(matrix.png()), to: png) }
                    if let svg { try JSONFiles.writeAtomically(Data(matrix.svg().utf8), to: svg) }
                }
                if !issued.revoked.isEmpty {
                    FileHandle.standardError.write(
                        Data("revoked: \(issued.revoked.map(\.hex).joined(separator: ", "))\n".utf8))
                }
                print(issued.ticket.token)
            }
        }
    }
}
