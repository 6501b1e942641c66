import Foundation
import Grids
import Mail
import PartneringCore
import Registration

extension SchedulePublication {
    /// One agenda notice per recipient, to queue with the publication.
    static func notices(
        of version: ScheduleVersion, previous: ScheduleVersion?, service: RegistrationService, at time: Date
    ) -> [QueuedNotice] {
        recipients(of: version, previous: previous).map { participant in
            service.notice(
                .agenda, to: participant, reference: String(version.info.version),
                detail: previous.map { String($0.info.version) }, at: time)
        }
    }

    /// The publication of `environment`'s event and store.
    init(environment: ServerEnvironment) {
        self.init(
            event: environment.event, participants: environment.store.participants,
            schedules: environment.store.schedules, baseURL: environment.settings.baseURL,
            mailDomain: environment.settings.mailDomain)
    }
}

extension ServerEnvironment {
    /// A composer of the event's messages with the service's templates.
    func mailComposer() throws -> MailComposer {
        try MailComposer(settings: settings, event: event, clock: registration.attendees.dependencies.now)
    }
}
