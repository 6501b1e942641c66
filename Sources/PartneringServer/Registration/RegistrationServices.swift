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
    /// Writes the notices queued in the store to the outbox in the background; `nil` when mail is off.
    public var mail: MailDispatcher?

    public var signer: TokenSigner { attendees.signer }

    public init(attendees: RegistrationService, organisers: OrganiserService, mail: MailDispatcher?) {
        self.attendees = attendees
        self.organisers = organisers
        self.mail = mail
    }

    static func repositories(of store: PartneringStore) -> RegistrationRepositories {
        RegistrationRepositories(
            participants: store.participants, registrations: store.registrations, requests: store.requests,
            auditLog: store.auditLog, idempotency: store.idempotency, sessions: store.sessions, tickets: store.tickets,
            notices: store.notices, signInAttempts: store.signInAttempts, meetingFeedback: store.meetingFeedback)
    }

    /// The services of a running server: the secret, organiser accounts, ticket key and
    /// revocation list in the key folder (created on first start), mail in the outbox.
    /// - Parameter startsMail: whether the mail dispatcher starts now; processes that
    ///   supervise it (``BackgroundWork/notices(_:)``) or answer requests only start it later or never.
    public static func live(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, logger: Logger,
        dependencies: ServiceDependencies = .live, passwordCost: UInt8 = 12, startsMail: Bool = true
    ) throws -> RegistrationServices {
        let keys = URL(fileURLWithPath: settings.keyDirectory, isDirectory: true)
        let secret = try KeyFolder.secret(in: keys, dependencies: dependencies)
        let signer = TokenSigner(secret: secret, dependencies: dependencies)
        let ticketDesk = try StoreTicketDesk(keyFolder: keys, event: event, store: store, clock: dependencies.now)
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
            registration: attendees, accounts: OrganiserAccountFile(keyFolder: keys),
            hasher: PasswordHasher(cost: passwordCost))
        return RegistrationServices(attendees: attendees, organisers: organisers, mail: mail)
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

/// The service's own secrets in the key folder.
enum KeyFolder {
    /// The HMAC secret of access links and sessions (`link-secret`, 32 random bytes, mode 600),
    /// created on first start.
    static func secret(in folder: URL, dependencies: ServiceDependencies) throws -> [UInt8] {
        let file = folder.appendingPathComponent("link-secret")
        if let data = FileManager.default.contents(atPath: file.path) {
            guard data.count >= 32 else { throw KeyFolderError(description: "\(file.path) is shorter than 32 bytes") }
            return [UInt8](data)
        }
        let secret = dependencies.randomBytes(32)
        try writeAtomically(Data(secret), to: file)
        // Another process may have raced us to it: whoever renamed last won, read it back.
        return [UInt8](FileManager.default.contents(atPath: file.path) ?? Data(secret))
    }

    /// Writes `data` atomically (FileSupport), mode 600, creating the folder (mode 700).
    static func writeAtomically(_ data: Data, to file: URL) throws {
        try AtomicFile.writeSecret(data, to: file.path)
    }
}

struct KeyFolderError: Error, CustomStringConvertible {
    var description: String
}

/// Organiser accounts in `organisers.json` of the key folder: e-mail addresses and
/// bcrypt hashes, written atomically.
actor OrganiserAccountFile: OrganiserAccountStore {
    private let file: URL

    init(keyFolder: URL) { file = keyFolder.appendingPathComponent("organisers.json") }

    private func load() throws -> [OrganiserAccount] {
        guard let data = FileManager.default.contents(atPath: file.path) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode([OrganiserAccount].self, from: data)
    }

    func find(email: String) async throws -> OrganiserAccount? {
        try load().first { SearchText.emailKey($0.email) == SearchText.emailKey(email) }
    }

    func save(_ account: OrganiserAccount) async throws {
        var accounts = try load().filter { SearchText.emailKey($0.email) != SearchText.emailKey(account.email) }
        accounts.append(account)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try KeyFolder.writeAtomically(try encoder.encode(accounts.sorted { $0.email < $1.email }), to: file)
    }

    func all() async throws -> [OrganiserAccount] { try load() }
}
