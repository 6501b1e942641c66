import Foundation
import PartneringConfig
import PartneringCore
import Registration
import Storage

/// A registration service over an in-memory store, the sample event, a controlled clock
/// and a notice log: what every service test starts from.
struct Fixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A moment inside the sample event's registration window.
    static let start = ISO8601DateFormatter().date(from: "2026-11-02T10:00:00Z") ?? Date()

    let store: PartneringStore
    let clock: TestClock
    let notices: NoticeLog
    let service: RegistrationService
    let organisers: OrganiserService

    /// - Parameter capacity: overrides every category's capacity.
    static func make(capacity: Int? = nil, expertsNeedApproval: Bool? = false) async throws -> Fixture {
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
        let store = try await PartneringStore.open(.memory)
        let clock = TestClock(start)
        let dependencies = ServiceDependencies.controlled(clock: clock)
        let notices = NoticeLog()
        let service = RegistrationService(
            event: event,
            repositories: RegistrationRepositories(
                participants: store.participants, registrations: store.registrations, requests: store.requests,
                auditLog: store.auditLog, idempotency: store.idempotency, sessions: store.sessions,
                signInAttempts: store.signInAttempts),
            signer: TokenSigner(secret: Array(repeating: 7, count: 32), dependencies: dependencies), notifier: notices,
            tickets: PlainTicketDesk(), dependencies: dependencies, baseURL: "https://partnering.example.org/")
        let organisers = OrganiserService(
            registration: service, accounts: InMemoryOrganiserAccounts(), hasher: PasswordHasher(cost: 4))
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

/// Tickets as plain text: a real implementation of the seam that keeps what it issued
/// and revoked, for the service tests (the server signs with Ed25519).
actor PlainTicketDesk: TicketDesk {
    private(set) var issued: [String: ParticipantID] = [:]
    private(set) var revoked: Set<String> = []

    func issue(for participant: Participant, ticketID: [UInt8]) async throws -> IssuedTicketText {
        let id = ticketID.map { String(format: "%02x", $0) }.joined()
        issued[id] = participant.id
        return IssuedTicketText(ticketID: id, token: "TICKET:\(participant.number):\(id)")
    }

    func revoke(ticketID: [UInt8]) async throws {
        revoked.insert(ticketID.map { String(format: "%02x", $0) }.joined())
    }
}
