import Foundation
import PartneringCore

/// How the organisers' registration list is ordered.
public enum RegistrationSort: String, Sendable, CaseIterable {
    case number, name, organisation, registered, status
}

/// A search of registrations in the back office.
public struct RegistrationQuery: Sendable, Hashable {
    public var text: String
    public var status: String
    public var role: String
    public var sort: RegistrationSort

    public init(text: String = "", status: String = "", role: String = "", sort: RegistrationSort = .number) {
        self.text = text
        self.status = status
        self.role = role
        self.sort = sort
    }
}

/// Seats and lines of one category.
public struct CategoryOccupancy: Sendable, Hashable {
    public var category: RegistrationCategory
    public var confirmed: Int
    public var pending: Int
    public var waitlisted: Int
    public var cancelled: Int
    public var rejected: Int

    public var free: Int { max(0, category.capacity - confirmed) }
}

/// How much one participant is asked for.
public struct Popularity: Sendable, Hashable {
    public var participant: Participant
    public var received: Int
    public var accepted: Int
    public var declined: Int
}

/// The requests overview of the back office.
public struct RequestStatistics: Sendable, Hashable {
    public var total: Int
    public var byStatus: [RequestStatus: Int]
    /// Accepted among answered (accepted + declined); `nil` before any answer.
    public var acceptanceRate: Double?
    /// The most requested participants, per role, most requested first.
    public var mostRequested: [Role: [Popularity]]
}

/// The organisers' side: accounts and sign-in, approving, rejecting and cancelling
/// registrations, listings and statistics. Every action lands in the audit log.
public struct OrganiserService: Sendable {
    public let registration: RegistrationService
    public let accounts: any OrganiserAccountStore
    public let hasher: PasswordHasher
    public let throttle: LoginThrottle

    public init(
        registration: RegistrationService, accounts: any OrganiserAccountStore,
        hasher: PasswordHasher = PasswordHasher(),
        throttle: LoginThrottle? = nil
    ) {
        self.registration = registration
        self.accounts = accounts
        self.hasher = hasher
        self.throttle = throttle ?? LoginThrottle(attempts: registration.repositories.signInAttempts)
    }

    private var event: EventDefinition { registration.event }
    private var repositories: RegistrationRepositories { registration.repositories }
    private var now: Date { registration.dependencies.now() }

    // MARK: Accounts and sessions

    /// Creates the first organiser account when there is none. With `password` nil a
    /// one-time password is generated and returned (to print once); with a password
    /// given, nothing is returned. An existing account is left alone (nil).
    public func bootstrap(email: String, password: String?) async throws -> String? {
        if let existing = try await accounts.find(email: email) {
            if let password, await !hasher.verify(password, hash: existing.passwordHash) {
                try await accounts.save(
                    OrganiserAccount(
                        email: email, passwordHash: await hasher.hash(password), createdAt: existing.createdAt))
            }
            return nil
        }
        let chosen = password ?? Self.readablePassword(registration.dependencies.randomBytes(15))
        try await accounts.save(
            OrganiserAccount(email: email, passwordHash: await hasher.hash(chosen), createdAt: now))
        _ = try await repositories.auditLog.append(
            AuditEntry(time: now, actor: "system", action: "organiser.create", subject: email))
        return password == nil ? chosen : nil
    }

    /// Groups of letters and digits without look-alikes (no 0/O, 1/l).
    static func readablePassword(_ bytes: [UInt8]) -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        let characters = bytes.map { alphabet[Int($0) % alphabet.count] }
        return stride(from: 0, to: characters.count, by: 5).map {
            String(characters[$0..<min($0 + 5, characters.count)])
        }
        .joined(separator: "-")
    }

    /// Checks the credentials (rate-limited per address and per `client`) and returns
    /// a token for `purpose` (a session cookie or an API bearer token).
    public func signIn(email: String, password: String, client: String, purpose: TokenPurpose = .organiserSession)
        async throws -> (token: String, expiresAt: Date)
    {
        let account = SearchText.emailKey(email)
        let keys = [
            // Guessing from one client: five tries per account, twenty over all accounts.
            ThrottleKey("organiser:\(account)|client:\(client)", limit: 5),
            ThrottleKey("organiser-client:\(client)", limit: 20),
            // Guessing from many clients: a cap per account high enough that five (or fifty)
            // strangers cannot lock the organiser out, low enough to make guessing hopeless.
            ThrottleKey("organiser:\(account)", limit: 100),
        ]
        try await throttle.begin(keys, now: now)
        let found = try await accounts.find(email: email)
        guard await hasher.verify(password, hash: found?.passwordHash), let account = found else {
            _ = try await repositories.auditLog.append(
                AuditEntry(time: now, actor: "client:\(client)", action: "organiser.login_failed", subject: email))
            throw Refusal.invalidCredentials
        }
        try await throttle.succeeded(keys)
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: now, actor: "organiser:\(account.email)", action: "organiser.login", subject: account.email))
        return registration.signer.sign(purpose, subject: account.email)
    }

    /// The organiser a token speaks for.
    public func organiser(token: String?, purpose: TokenPurpose = .organiserSession) async throws -> String {
        let verified = try await registration.session(token, for: purpose)
        guard let account = try await accounts.find(email: verified.subject) else { throw Refusal.notSignedIn }
        return account.email
    }

    // MARK: Registrations

    public func participant(_ id: String) async throws -> Participant {
        guard let participant = try await repositories.participants.find(id: ParticipantID(id)) else {
            throw Refusal.participantNotFound
        }
        return participant
    }

    /// Registrations matching `query`, sorted.
    public func registrations(_ query: RegistrationQuery) async throws -> [Participant] {
        var filter = ParticipantFilter()
        if let status = RegistrationStatus(rawValue: query.status) { filter.statuses = [status] }
        if !query.role.isEmpty { filter.role = Role(rawValue: query.role) }
        let text = query.text.trimmingCharacters(in: .whitespaces)
        var found = try await repositories.participants.list(filter)
        if !text.isEmpty {
            let words = SearchText.fold(text).split(separator: " ")
            found = found.filter { participant in
                let haystack = SearchText.fold(
                    [participant.name, participant.organisation, participant.profile, participant.email].joined(
                        separator: " "))
                return words.allSatisfy { haystack.contains($0) }
            }
        }
        switch query.sort {
        case .number: break
        case .name: found.sort { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
        case .organisation:
            found.sort { $0.organisation.localizedStandardCompare($1.organisation) == .orderedAscending }
        case .registered: found.sort { ($0.registeredAt, $0.number) < ($1.registeredAt, $1.number) }
        case .status: found.sort { ($0.status.rawValue, $0.number) < ($1.status.rawValue, $1.number) }
        }
        return found
    }

    /// Approves a pending registration: confirmed (ticket issued) or waitlisted.
    public func approve(_ id: String, by organiser: String) async throws -> RegistrationOutcome {
        let participant = try await participant(id)
        guard let category = event.category(participant.category) else { throw Refusal.participantNotFound }
        let time = now
        let outcome: RegistrationOutcome
        do {
            outcome = try await repositories.registrations.approve(participant.id, capacity: category.capacity) {
                [registration] outcome in
                var followUp =
                    outcome.participant.status == .confirmed
                    ? registration.confirmation(of: outcome.participant, at: time) : FollowUp()
                followUp.auditEntries.append(
                    AuditEntry(
                        time: time, actor: "organiser:\(organiser)", action: "registration.approve", subject: id,
                        details: outcome.participant.status.rawValue))
                return followUp
            }
        } catch RepositoryError.invalidTransition(_, let from, let to) {
            throw Refusal.invalidTransition(from: from, to: to)
        }
        registration.noticesQueued.notify()
        return outcome
    }

    /// Rejects a registration; a freed seat goes to the next in line.
    public func reject(_ id: String, by organiser: String) async throws -> SeatRelease {
        let participant = try await participant(id)
        guard let category = event.category(participant.category) else { throw Refusal.participantNotFound }
        let time = now
        let release: SeatRelease
        do {
            release = try await repositories.registrations.reject(participant.id, capacity: category.capacity) {
                [registration] release in
                var followUp = FollowUp(auditEntries: [
                    AuditEntry(time: time, actor: "organiser:\(organiser)", action: "registration.reject", subject: id)
                ])
                followUp.add(registration.ticketRevocation(of: participant.id, at: time))
                followUp.add(registration.promotions(release.promoted, at: time))
                return followUp
            }
        } catch RepositoryError.invalidTransition(_, let from, let to) {
            throw Refusal.invalidTransition(from: from, to: to)
        }
        registration.noticesQueued.notify()
        if participant.status == .confirmed { await registration.revokeTicket(of: participant) }
        return release
    }

    /// Cancels a registration on the attendee's behalf; the ticket is revoked.
    public func cancel(_ id: String, by organiser: String, reason: String?) async throws -> SeatRelease {
        let participant = try await participant(id)
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await registration.cancel(
            participant, actor: "organiser:\(organiser)", reason: reason?.isEmpty == false ? reason : nil)
    }

    // MARK: Overviews

    /// Seats, lines and statuses per category.
    public func occupancy() async throws -> [CategoryOccupancy] {
        let counts = try await repositories.participants.countsByCategory()
        return event.categories.map { category in
            let byStatus = counts[category.id] ?? [:]
            return CategoryOccupancy(
                category: category, confirmed: byStatus[.confirmed] ?? 0, pending: byStatus[.pending] ?? 0,
                waitlisted: byStatus[.waitlisted] ?? 0, cancelled: byStatus[.cancelled] ?? 0,
                rejected: byStatus[.rejected] ?? 0)
        }
    }

    /// Requests by status, the acceptance rate and the most requested participants.
    public func requestStatistics(top: Int = 10) async throws -> RequestStatistics {
        let requests = try await repositories.requests.list(.all)
        var byStatus: [RequestStatus: Int] = [:]
        var received: [ParticipantID: (all: Int, accepted: Int, declined: Int)] = [:]
        for request in requests {
            byStatus[request.status, default: 0] += 1
            guard request.status != .withdrawn else { continue }
            var line = received[request.to] ?? (0, 0, 0)
            line.all += 1
            if request.status == .accepted { line.accepted += 1 }
            if request.status == .declined { line.declined += 1 }
            received[request.to] = line
        }
        let answered = (byStatus[.accepted] ?? 0) + (byStatus[.declined] ?? 0)
        var mostRequested: [Role: [Popularity]] = [:]
        let ranked = received.sorted { ($1.value.all, $0.key) < ($0.value.all, $1.key) }
        for (id, line) in ranked {
            guard let participant = try await repositories.participants.find(id: id) else { continue }
            if mostRequested[participant.role, default: []].count < top {
                mostRequested[participant.role, default: []].append(
                    Popularity(
                        participant: participant, received: line.all, accepted: line.accepted, declined: line.declined))
            }
        }
        return RequestStatistics(
            total: requests.count, byStatus: byStatus,
            acceptanceRate: answered == 0 ? nil : Double(byStatus[.accepted] ?? 0) / Double(answered),
            mostRequested: mostRequested)
    }

    /// The latest audit entries.
    public func auditLog(limit: Int = 200, action: String? = nil) async throws -> [AuditEntry] {
        try await repositories.auditLog.list(AuditFilter(action: action?.isEmpty == false ? action : nil, limit: limit))
    }

    /// Registrations as a CSV file (see ``CSVWriter``: byte order mark, formulas
    /// neutralised), with a header row, for spreadsheets.
    public func csv(_ participants: [Participant]) -> Data {
        var csv = CSVWriter(separator: .comma, capacity: 256 + participants.count * 256)
        csv.record([
            "number", "id", "status", "role", "category", "name", "email", "organisation", "job_title", "country",
            "phone", "topics", "max_meetings", "language", "listed", "registered_at",
        ])
        for participant in participants {
            csv.record([
                String(participant.number), participant.id.rawValue, participant.status.rawValue,
                participant.role.rawValue, participant.category.rawValue, participant.name, participant.email,
                participant.organisation, participant.jobTitle, participant.country, participant.phone ?? "",
                participant.topics.map(\.rawValue).joined(separator: " "),
                participant.maxMeetings.map(String.init) ?? "", participant.language.rawValue,
                participant.listedInDirectory ? "yes" : "no", InternetTime.string(participant.registeredAt),
            ])
        }
        return csv.data
    }
}
