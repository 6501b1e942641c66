import Foundation
import PartneringCore

/// How the organisers' registration list is ordered.
public enum RegistrationSort: String, Sendable, CaseIterable {
    case number, name, organisation, registered, status
}

/// A search of registrations in the back office: filters, order and page. Values that do
/// not name a status, role or category select nothing more (an empty filter).
public struct RegistrationQuery: Sendable, Hashable {
    /// The rows of one page when none is asked for, and the most a page may hold.
    public static let defaultPageSize = 50
    public static let largestPageSize = 500

    public var text: String
    public var status: String
    public var role: String
    public var category: String
    public var sort: RegistrationSort
    public var descending: Bool
    /// The page asked for, from 1; out-of-range pages are brought back into range.
    public var page: Int
    public var pageSize: Int

    public init(
        text: String = "", status: String = "", role: String = "", category: String = "",
        sort: RegistrationSort = .number, descending: Bool = false, page: Int = 1,
        pageSize: Int = RegistrationQuery.defaultPageSize
    ) {
        self.text = text
        self.status = status
        self.role = role
        self.category = category
        self.sort = sort
        self.descending = descending
        self.page = page
        self.pageSize = pageSize
    }
}

/// One page of the registration list.
public struct RegistrationPage: Sendable, Hashable {
    /// The registrations of the page, in the query's order.
    public var participants: [Participant]
    /// How many registrations match the filters (all pages).
    public var total: Int
    /// The page shown, from 1 (1 when nothing matches).
    public var page: Int
    public var pageCount: Int
    public var pageSize: Int
    /// The position of the page's first and last row among all matches, from 1 (0 when empty).
    public var firstPosition: Int { participants.isEmpty ? 0 : (page - 1) * pageSize + 1 }
    public var lastPosition: Int { participants.isEmpty ? 0 : firstPosition + participants.count - 1 }
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
    /// The organiser accounts (in the store) and their rules.
    public let accounts: OrganiserAccounts
    public let throttle: LoginThrottle

    /// - Parameter accounts: the store's accounts (every process on the store sees the same).
    public init(
        registration: RegistrationService, accounts: any OrganiserAccountRepository,
        hasher: PasswordHasher = PasswordHasher(),
        throttle: LoginThrottle? = nil
    ) {
        self.registration = registration
        self.accounts = OrganiserAccounts(
            repository: accounts, hasher: hasher, sessions: registration.repositories.sessions,
            clock: registration.dependencies.now)
        self.throttle = throttle ?? LoginThrottle(attempts: registration.repositories.signInAttempts)
    }

    public var hasher: PasswordHasher { accounts.hasher }
    private var event: EventDefinition { registration.event }
    var repositories: RegistrationRepositories { registration.repositories }
    private var now: Date { registration.dependencies.now() }

    // MARK: Accounts and sessions

    /// Creates the first organiser account when there is none (see ``OrganiserAccounts/bootstrap(email:password:randomBytes:)``):
    /// the one-time password generated when `password` is nil, to print once.
    public func bootstrap(email: String, password: String?) async throws -> String? {
        try await accounts.bootstrap(
            email: email, password: password, randomBytes: registration.dependencies.randomBytes(15))
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
        let found = try await accounts.repository.find(email: email)
        guard await hasher.verify(password, hash: found?.passwordHash), let account = found else {
            _ = try await repositories.auditLog.append(
                AuditEntry(time: now, actor: "client:\(client)", action: "organiser.login_failed", subject: email))
            throw Refusal.invalidCredentials
        }
        try await throttle.succeeded(keys)
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: now, actor: "organiser:\(account.email)", action: "organiser.login", subject: account.email))
        return try await registration.signer.signSession(
            purpose, subject: account.email, holder: OrganiserAccounts.sessionHolder(account.email),
            recordedIn: repositories.sessions)
    }

    /// The organiser a token speaks for.
    public func organiser(token: String?, purpose: TokenPurpose = .organiserSession) async throws -> String {
        let verified = try await registration.session(token, for: purpose)
        guard let account = try await accounts.repository.find(email: verified.subject),
            !Self.signedBefore(account.passwordChangedAt, verified, purpose)
        else { throw Refusal.notSignedIn }
        return account.email
    }

    /// Whether `token` was signed before the password changed at `change`, by more than
    /// ``passwordChangeMargin``; its issue time is its expiry less the purpose's lifetime.
    /// Sessions recorded by holder are revoked at the change already; this also ends those
    /// signed before they were recorded (M0024).
    static func signedBefore(_ change: Date?, _ token: VerifiedToken, _ purpose: TokenPurpose) -> Bool {
        guard let change else { return false }
        let issued = token.expiresAt.addingTimeInterval(-purpose.lifetime)
        return issued.addingTimeInterval(passwordChangeMargin) <= change
    }

    /// The change time is read from the clock of the process that made it (the CLI's host,
    /// say) and the issue time from the signing server's: five minutes absorb clocks a little
    /// apart, so that a sign-in right after the change is never refused. A token signed in
    /// those minutes before the change is a recorded one (unless the change follows the
    /// upgrade to M0024 by less), revoked by holder.
    static let passwordChangeMargin: TimeInterval = 300

    // MARK: Registrations

    public func participant(_ id: String) async throws -> Participant {
        guard let participant = try await repositories.participants.find(id: ParticipantID(id)) else {
            throw Refusal.participantNotFound
        }
        return participant
    }

    /// Every registration matching `query`'s filters, in its order (paging aside): the
    /// CSV export and the pages of the list.
    public func registrations(_ query: RegistrationQuery) async throws -> [Participant] {
        var filter = ParticipantFilter()
        if !query.status.isEmpty { filter.statuses = RegistrationStatus(rawValue: query.status).map { [$0] } ?? [] }
        if !query.role.isEmpty { filter.role = Role(rawValue: query.role) }
        if !query.category.isEmpty { filter.category = CategoryID(query.category) }
        let text = query.text.trimmingCharacters(in: .whitespaces)
        var found = try await repositories.participants.list(filter)
        if !text.isEmpty {
            // Name, organisation, profile and e-mail address: organisers search by address too.
            let words = SearchText.fold(text).split(separator: " ")
            found = found.filter { participant in
                let haystack = SearchText.of(participant) + " " + SearchText.fold(participant.email)
                return words.allSatisfy { haystack.contains($0) }
            }
        }
        // Ties keep the registration order, in both directions, so that pages do not overlap.
        let ascending: (Participant, Participant) -> Bool
        switch query.sort {
        case .number: ascending = { $0.number < $1.number }
        case .name: ascending = Self.textOrder(\.name)
        case .organisation: ascending = Self.textOrder(\.organisation)
        case .registered: ascending = { ($0.registeredAt, $0.number) < ($1.registeredAt, $1.number) }
        case .status:
            let rank = Dictionary(uniqueKeysWithValues: RegistrationStatus.allCases.enumerated().map { ($1, $0) })
            ascending = { (rank[$0.status] ?? 0, $0.number) < (rank[$1.status] ?? 0, $1.number) }
        }
        found.sort { query.descending ? ascending($1, $0) : ascending($0, $1) }
        return found
    }

    /// Orders by a text field, accents and case aside, then by registration number.
    private static func textOrder(_ field: KeyPath<Participant, String>) -> (Participant, Participant) -> Bool {
        { left, right in
            switch SearchText.fold(left[keyPath: field]).compare(SearchText.fold(right[keyPath: field])) {
            case .orderedAscending: true
            case .orderedDescending: false
            case .orderedSame: left.number < right.number
            }
        }
    }

    /// One page of the registrations matching `query`. A page size outside
    /// 1...``RegistrationQuery/largestPageSize`` is refused; a page past the last shows the last.
    public func registrationPage(_ query: RegistrationQuery) async throws -> RegistrationPage {
        guard (1...RegistrationQuery.largestPageSize).contains(query.pageSize) else {
            throw Refusal.invalidInput([
                FieldIssue("per_page", .outOfRange(min: 1, max: RegistrationQuery.largestPageSize))
            ])
        }
        let all = try await registrations(query)
        let pageCount = max(1, (all.count + query.pageSize - 1) / query.pageSize)
        let page = min(max(1, query.page), pageCount)
        let start = (page - 1) * query.pageSize
        return RegistrationPage(
            participants: Array(all.dropFirst(start).prefix(query.pageSize)), total: all.count, page: page,
            pageCount: pageCount, pageSize: query.pageSize)
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

    /// Rejects a registration; a freed seat goes to the next in line. The person is told by
    /// e-mail, with `reason` when one is given (it is also kept in the audit log).
    public func reject(_ id: String, by organiser: String, reason: String? = nil) async throws -> SeatRelease {
        let reason = try Self.checkedReason(reason)
        let participant = try await participant(id)
        guard let category = event.category(participant.category) else { throw Refusal.participantNotFound }
        let time = now
        let release: SeatRelease
        do {
            release = try await repositories.registrations.reject(participant.id, capacity: category.capacity) {
                [registration] release in
                var followUp = FollowUp(auditEntries: [
                    AuditEntry(
                        time: time, actor: "organiser:\(organiser)", action: "registration.reject", subject: id,
                        details: reason ?? "")
                ])
                followUp.notices.append(
                    registration.notice(.registrationRejected, to: participant.id, detail: reason, at: time))
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
        let reason = try Self.checkedReason(reason)
        let participant = try await participant(id)
        return try await registration.cancel(participant, actor: "organiser:\(organiser)", reason: reason)
    }

    /// The longest reason an organiser may give (it goes into an e-mail).
    public static let reasonMaximumLength = 500

    /// `reason` trimmed, `nil` when empty; refused when too long or holding control characters.
    static func checkedReason(_ reason: String?) throws -> String? {
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            return nil
        }
        if let problem = TextRules.problem(of: reason, max: reasonMaximumLength) {
            throw Refusal.invalidInput([FieldIssue("reason", problem)])
        }
        return reason
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
