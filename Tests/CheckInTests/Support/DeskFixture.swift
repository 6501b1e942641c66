import CheckIn
import Foundation
import Logging
import PartneringConfig
import PartneringCore
import Storage
import Synchronization
import Testing
import Tickets

/// The stores the check-in tests run on: in memory and SQLite always, PostgreSQL when
/// `PARTNERING_TEST_POSTGRES_URL` names a server (scripts/with-postgres.sh) or CI demands it.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String {
        switch self {
        case .memory: "in-memory"
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PARTNERING_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var testable: [Backend] {
        postgresURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" ? allCases : [.memory, .sqlite]
    }

    /// The backends where two store instances (two server processes) share one database.
    static var testableSQL: [Backend] { testable.filter { $0 != .memory } }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// A clock the test moves.
final class MovableClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }
}

/// A check-in desk on a fresh store: the sample event, a signing key, confirmed
/// participants with tickets, and a clock set to the morning of the event.
struct DeskFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// 08:30 in Paris on the day of the sample event.
    static let morning = ISO8601DateFormatter().date(from: "2027-03-18T07:30:00Z") ?? Date()

    let store: PartneringStore
    let event: EventDefinition
    let key: TicketSigningKey
    let clock: MovableClock
    let service: CheckInService
    let issuance: TicketIssuance

    static func event() throws -> EventDefinition {
        try EventDefinitionLoader.load(path: repositoryRoot.appendingPathComponent("config/event.yaml").path)
    }

    init(store: PartneringStore, key: TicketSigningKey? = nil) throws {
        self.store = store
        event = try Self.event()
        let key = try key ?? TicketSigningKey.generate()
        self.key = key
        let clock = MovableClock(Self.morning)
        self.clock = clock
        service = CheckInService(
            event: event, keys: { TicketKeySet([key.publicKey]) }, repositories: Self.repositories(store),
            clock: { clock.now })
        issuance = TicketIssuance(
            issuer: TicketIssuer(key: key, event: event.id), event: event, participants: store.participants,
            tickets: store.tickets, clock: { clock.now })
    }

    static func repositories(_ store: PartneringStore) -> CheckInRepositories {
        CheckInRepositories(
            participants: store.participants, tickets: store.tickets, checkIns: store.checkIns,
            schedules: store.schedules, auditLog: store.auditLog, idempotency: store.idempotency)
    }

    /// A confirmed participant.
    func participant(
        _ name: String, role: Role = .company, organisation: String = "Lymphocyte Therapeutics",
        status: RegistrationStatus = .confirmed
    ) async throws -> Participant {
        let index = Int.random(in: 1...1_000_000)
        return try await store.participants.insert(
            ParticipantDraft(
                id: ParticipantID("p-\(UUID().uuidString.lowercased())"), role: role,
                category: role == .expert ? "academic-expert" : "company-delegate", name: name,
                email: "p\(index)-\(UUID().uuidString.prefix(6))@example.org", organisation: organisation,
                jobTitle: "Head of partnerships", country: "FR", topics: ["car-t"], profile: "", language: .fr,
                listedInDirectory: true, registeredAt: Self.morning.addingTimeInterval(-90 * 86_400)),
            status: status)
    }

    /// A confirmed participant and the token of their ticket.
    func ticketHolder(_ name: String, role: Role = .company) async throws -> (Participant, String) {
        let participant = try await participant(name, role: role)
        return (participant, try await issuance.issue(to: participant, actor: "test").ticket.token)
    }

    /// A random scan nonce.
    static func nonce() -> String { "n-" + UUID().uuidString.lowercased() }

    /// Runs `body` on a fresh store of `backend`, then removes it.
    static func with<T>(_ backend: Backend, _ body: (DeskFixture) async throws -> T) async throws -> T {
        try await withStores(backend, count: 1) { stores in try await body(try DeskFixture(store: stores[0])) }
    }

    /// Runs `body` with `count` store instances on one fresh database (as that many
    /// server processes would have), then removes it.
    static func withStores<T>(
        _ backend: Backend, count: Int, _ body: ([PartneringStore]) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: "checkin-tests")
        let location: StoreLocation
        var cleanUp: @Sendable () async throws -> Void = {}
        switch backend {
        case .memory:
            location = .memory
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkin-\(UUID().uuidString)")
            location = .sqlite(path: folder.appendingPathComponent("test.sqlite").path)
            cleanUp = { try? FileManager.default.removeItem(at: folder) }
        case .postgres:
            guard let server = Backend.postgresURL else {
                throw FixtureError(
                    description: "PARTNERING_TEST_POSTGRES_URL is not set and CI=true requires PostgreSQL: "
                        + "run through scripts/with-postgres.sh")
            }
            let name =
                "partnering_checkin_"
                + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                .prefix(12)
            location = .postgres(
                url: try await PostgresDatabases.create(named: name, onServerOf: server, logger: logger))
            cleanUp = { try await PostgresDatabases.drop(named: name, onServerOf: server, logger: logger) }
        }
        var stores: [PartneringStore] = []
        do {
            // One in-memory store is all there is: every open would be another, empty one.
            for _ in 0..<(backend == .memory ? 1 : count) {
                let store = try await PartneringStore.open(location, logger: logger)
                try await store.migrate()
                stores.append(store)
            }
            let result = try await body(stores)
            for store in stores { try await store.shutdown() }
            try await cleanUp()
            return result
        } catch {
            for store in stores { try? await store.shutdown() }
            try? await cleanUp()
            throw error
        }
    }
}
