import Foundation
import PartneringConfig
import PartneringCore
import Registration
import Storage
import Testing

/// A registration service over an in-memory store, the sample event, a controlled clock
/// and a notice log: what every service test starts from.
struct Fixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A moment inside the sample event's registration window.
    static let start = ISO8601DateFormatter().date(from: "2026-11-02T10:00:00Z") ?? Date()

    let store: PartneringStore
    let clock: TestClock
    let notices: DispatchedNotices
    let service: RegistrationService
    let organisers: OrganiserService

    /// - Parameter capacity: overrides every category's capacity.
    /// - Parameter store: the store to work on (a migrated one of ``StoreBackend``); by
    ///   default a new in-memory store.
    static func make(capacity: Int? = nil, expertsNeedApproval: Bool? = false, store: PartneringStore? = nil)
        async throws -> Fixture
    {
        var event = try EventDefinitionLoader.load(
            path: repositoryRoot.appendingPathComponent("config/event.yaml").path)
        if let capacity {
            event.categories = event.categories.map {
                var c = $0; c.capacity = capacity; return c
            }
        }
        if let expertsNeedApproval {
            event.roles = event.roles.map {
                var r = $0; if r.role == .expert { r.requiresApproval = expertsNeedApproval }; return r
            }
        }
        let store = if let store { store } else { try await PartneringStore.open(.memory) }
        let clock = TestClock(start)
        let dependencies = ServiceDependencies.controlled(clock: clock)
        let service = RegistrationService(
            event: event,
            repositories: RegistrationRepositories(
                participants: store.participants, registrations: store.registrations, requests: store.requests,
                auditLog: store.auditLog, idempotency: store.idempotency, sessions: store.sessions,
                tickets: store.tickets, notices: store.notices, signInAttempts: store.signInAttempts,
                meetingFeedback: store.meetingFeedback),
            signer: TokenSigner(secret: Array(repeating: 7, count: 32), dependencies: dependencies),
            tickets: PlainTicketDesk(keyID: try #require(TicketKeyID(hex: "0a1b2c3d"))), dependencies: dependencies,
            baseURL: "https://partnering.example.org/")
        let notices = DispatchedNotices(service: service)
        let organisers = OrganiserService(
            registration: service, accounts: store.organiserAccounts, hasher: PasswordHasher(cost: 4))
        return Fixture(store: store, clock: clock, notices: notices, service: service, organisers: organisers)
    }

    static func form(
        name: String = "Hélène Dupré", email: String = "helene@example.org", role: Role = .company
    ) -> RegistrationForm {
        RegistrationForm(
            name: name, email: email, organisation: role == .company ? "OncoThéra SAS" : "Institut Curie",
            jobTitle: "Directrice scientifique", country: "FR", phone: "+33 1 23 45 67 89", topics: ["aml", "car-t"],
            profile: "Thérapies cellulaires dans la LAM.", sessions: ["morning", "afternoon"], maxMeetings: "8",
            language: "fr", acceptPrivacy: true, listInDirectory: true)
    }

    func register(_ name: String, _ email: String, role: Role = .company) async throws -> Participant {
        try await service.register(
            role: role.rawValue, form: Self.form(name: name, email: email, role: role), idempotencyKey: nil
        )
        .participant
    }
}

/// The notices the service queued, written by the store's dispatcher into a notice log:
/// reading them first dispatches what is queued.
struct DispatchedNotices {
    let dispatcher: NoticeDispatcher
    let log: NoticeLog

    init(service: RegistrationService) {
        log = NoticeLog()
        dispatcher = NoticeDispatcher(service: service, notifier: log)
    }

    private func dispatch() async {
        do { try await dispatcher.drain() } catch { Issue.record(error, "dispatching the queued notices") }
    }

    var notices: [Notice] {
        get async {
            await dispatch()
            return await log.notices
        }
    }

    func lastAccessURL(for email: String) async -> String? {
        await dispatch()
        return await log.lastAccessURL(for: email)
    }
}

/// Tickets as plain text: a real implementation of the seam that keeps what it revoked,
/// for the service tests (the server signs with Ed25519).
actor PlainTicketDesk: TicketDesk {
    private(set) var revoked: Set<String> = []
    let keyID: TicketKeyID

    init(keyID: TicketKeyID) { self.keyID = keyID }

    nonisolated func claims(for participant: Participant, ticketID: TicketID) -> TicketClaims {
        TicketClaims(
            ticketID: ticketID, keyID: keyID,
            event: EventID("test"), participantNumber: participant.number, role: participant.role,
            notBefore: Date(timeIntervalSince1970: 0), expiry: Date(timeIntervalSince1970: 4_000_000_000))
    }

    nonisolated func token(for claims: TicketClaims) throws -> String {
        "TICKET:\(claims.participantNumber):\(claims.ticketID.hex)"
    }

    func revoke(ticketID: [UInt8]) async throws {
        revoked.insert(ticketID.map { String(format: "%02x", $0) }.joined())
    }
}
