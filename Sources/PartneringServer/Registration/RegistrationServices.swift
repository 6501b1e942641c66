import FileSupport
import Foundation
import Grids
import Logging
import Mail
import PartneringConfig
import PartneringCore
import Registration
import Storage
import Tickets

/// The registration services as the server uses them, with their adapters: the token
/// secret, organiser accounts, tickets and the mail outbox.
public struct RegistrationServices: Sendable {
    public var attendees: RegistrationService
    public var organisers: OrganiserService
    /// The attendees' meetings in the published schedule.
    public var agendas: PublishedAgendas
    /// The attendees' calendar subscriptions (the feed's secret addresses).
    public var calendars: CalendarSubscriptions
    /// Composes the agendas a publication sends: the mail dispatcher's and the organiser's preview.
    public var publication: SchedulePublication
    /// The event's messages and calendars with the service's templates, read once at start:
    /// the mail dispatcher's, the publication preview's and the `.ics` downloads'.
    public var composer: MailComposer
    /// Writes the notices queued in the store to the outbox in the background; `nil` when mail is off.
    public var mail: MailDispatcher?
    /// The id of the ticket signing key in use, once loaded (`/ready` says so).
    public var ticketKey: TicketKeyID?

    public var signer: TokenSigner { attendees.signer }

    public init(
        attendees: RegistrationService, organisers: OrganiserService, agendas: PublishedAgendas,
        calendars: CalendarSubscriptions, publication: SchedulePublication, composer: MailComposer,
        mail: MailDispatcher?
    ) {
        self.attendees = attendees
        self.organisers = organisers
        self.agendas = agendas
        self.calendars = calendars
        self.publication = publication
        self.composer = composer
        self.mail = mail
    }

    static func repositories(of store: PartneringStore) -> RegistrationRepositories {
        RegistrationRepositories(
            participants: store.participants, registrations: store.registrations, requests: store.requests,
            auditLog: store.auditLog, idempotency: store.idempotency, sessions: store.sessions, tickets: store.tickets,
            notices: store.notices, signInAttempts: store.signInAttempts, meetingFeedback: store.meetingFeedback)
    }

    /// The services of a running server: the link secret and ticket key from the settings (a
    /// mounted secret, an environment variable) or the key folder (created there on first
    /// start), organiser accounts in the store, mail in the outbox.
    /// - Parameter startsMail: whether the mail dispatcher starts now; processes that
    ///   supervise it (``BackgroundWork/notices(_:)``) or answer requests only start it later or never.
    public static func live(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, logger: Logger,
        dependencies: ServiceDependencies = .live, passwordCost: UInt8 = 12, startsMail: Bool = true
    ) throws -> RegistrationServices {
        let keys = URL(fileURLWithPath: settings.keyDirectory, isDirectory: true)
        let secret = try KeyFolder.linkSecret(
            in: keys, given: settings.linkSecret, givenFile: settings.linkSecretFile, dependencies: dependencies)
        let signer = TokenSigner(secret: secret, dependencies: dependencies)
        let ticketDesk = try StoreTicketDesk(
            keys: try settings.ticketKeySource(), event: event, store: store, clock: dependencies.now)
        let composer = try MailComposer(settings: settings, event: event, clock: dependencies.now)
        let outbox = try Outbox(directory: URL(fileURLWithPath: settings.outboxDirectory, isDirectory: true))
        let attendees = RegistrationService(
            event: event, repositories: repositories(of: store), signer: signer, tickets: ticketDesk,
            dependencies: dependencies, baseURL: settings.baseURL.absoluteString)
        let publication = SchedulePublication(
            event: event, participants: store.participants, schedules: store.schedules, baseURL: settings.baseURL,
            mailDomain: settings.mailDomain)
        let mail = MailDispatcher(
            composer: composer, outbox: outbox, event: event, agendas: publication, service: attendees,
            logger: logger)
        if startsMail { mail.start() }
        let organisers = OrganiserService(
            registration: attendees, accounts: store.organiserAccounts,
            hasher: PasswordHasher(cost: passwordCost))
        let agendas = PublishedAgendas(
            event: event, participants: store.participants, schedules: store.schedules,
            mailDomain: settings.mailDomain)
        let calendars = CalendarSubscriptions(
            repository: store.calendarFeeds, participants: store.participants, signer: signer,
            dependencies: dependencies)
        var services = RegistrationServices(
            attendees: attendees, organisers: organisers, agendas: agendas, calendars: calendars,
            publication: publication, composer: composer, mail: mail)
        services.ticketKey = ticketDesk.keyID
        return services
    }
}

extension MailComposer {
    /// The composer of the event's messages with the service's templates, sender and mail domain.
    init(settings: ServiceSettings, event: EventDefinition, clock: @escaping @Sendable () -> Date) throws {
        self.init(
            templates: try MailTemplates(
                directory: URL(fileURLWithPath: settings.templatesDirectory, isDirectory: true)),
            settings: try MailSettings(
                event: event, sender: try MailAddress(parsing: settings.mailFrom), domain: settings.mailDomain),
            clock: clock)
    }
}

extension MailAddress {
    /// Reads `Name <address>` or a bare address, as the `mailFrom` setting writes it.
    init(parsing text: String) throws {
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            let name = text[..<open].trimmingCharacters(in: .whitespaces)
            try self.init(
                String(text[text.index(after: open)..<close]), name: name.isEmpty ? nil : name, field: "mailFrom")
        } else {
            try self.init(text.trimmingCharacters(in: .whitespaces), field: "mailFrom")
        }
    }
}

extension ServiceSettings {
    /// Where the active ticket key comes from: ``ticketSigningKey``, ``ticketSigningKeyFile`` or the key folder.
    func ticketKeySource() throws -> TicketKeySource {
        try TicketKeySource(keyDirectory: keyDirectory, pem: ticketSigningKey, pemFile: ticketSigningKeyFile)
    }
}
