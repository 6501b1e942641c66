import Foundation
import Mail
import PartneringCore
import Registration

extension AttendeeProgramme {
    /// The `.ics` of the programme: what the agenda e-mail attached, for downloads and
    /// the subscription feed.
    func calendar(for participant: Participant, environment: ServerEnvironment) throws -> String {
        let composer = environment.registration.composer
        let recipient = try MailAddress(participant.email, name: participant.name, field: "email")
        return try composer.agendaCalendar(
            agenda, language: participant.language, recipient: recipient, sequence: sequence
        ).ics()
    }
}
