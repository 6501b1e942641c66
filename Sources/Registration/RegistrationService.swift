import Foundation
import PartneringCore

/// The repositories the services work on (the store's, or in-memory ones in tests).
public struct RegistrationRepositories: Sendable {
    public var participants: any ParticipantRepository
    public var registrations: any RegistrationRepository
    public var requests: any MeetingRequestRepository
    public var auditLog: any AuditLogRepository
    public var idempotency: any IdempotencyRepository
    public var sessions: any SessionRevocationRepository
    /// Sign-in and access-link attempts, for the rate limits (``LoginThrottle``).
    public var signInAttempts: any SignInAttemptRepository

    public init(
        participants: any ParticipantRepository, registrations: any RegistrationRepository,
        requests: any MeetingRequestRepository, auditLog: any AuditLogRepository,
        idempotency: any IdempotencyRepository, sessions: any SessionRevocationRepository,
        signInAttempts: any SignInAttemptRepository
    ) {
        self.participants = participants
        self.registrations = registrations
        self.requests = requests
        self.auditLog = auditLog
        self.idempotency = idempotency
        self.sessions = sessions
        self.signInAttempts = signInAttempts
    }
}

/// What registering produced.
public struct RegistrationReceipt: Sendable, Hashable {
    public var participant: Participant
    /// The place on the waiting list when the category was full (1 is next in line).
    public var waitlistPosition: Int?
    /// A session token for the new attendee, so that the page can sign them in at once.
    public var sessionToken: String
    public var sessionExpiresAt: Date
    /// Whether this answers a repeated request (same idempotency key) without registering again.
    public var isReplay: Bool
}

/// The attendee side of registration: registering, access links, the personal area
/// (profile, cancellation, GDPR export and erasure). Every rule is here; pages and the
/// JSON API only translate. Time and randomness come from ``ServiceDependencies``.
public struct RegistrationService: Sendable {
    public let event: EventDefinition
    public let repositories: RegistrationRepositories
    public let signer: TokenSigner
    public let notifier: any Notifier
    public let tickets: (any TicketDesk)?
    public let dependencies: ServiceDependencies
    /// The public address of the service, for the links in messages (no trailing slash).
    public let baseURL: String
    /// How many access-link e-mails go to one address, and how many requests for them one
    /// client may make, per hour: nobody can flood a mailbox through `/access` or by
    /// registering someone's address again and again.
    var accessMailLimit: LoginThrottle { LoginThrottle(attempts: repositories.signInAttempts, window: 3600) }
    static let accessMailsPerAddress = 5
    static let accessRequestsPerClient = 30

    public init(
        event: EventDefinition, repositories: RegistrationRepositories, signer: TokenSigner, notifier: any Notifier,
        tickets: (any TicketDesk)?, dependencies: ServiceDependencies, baseURL: String
    ) {
        self.event = event
        self.repositories = repositories
        self.signer = signer
        self.notifier = notifier
        self.tickets = tickets
        self.dependencies = dependencies
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The idempotency scope of registrations.
    static let registrationScope = "registration"

    // MARK: Registering

    /// The roles that can register, with their categories.
    public var registrableRoles: [RoleDefinition] {
        event.roles.filter { role in event.categories.contains { $0.role == role.role } }
    }

    /// Registers an attendee of `role`.
    ///
    /// - Idempotent under `idempotencyKey`: a repeated request answers with the first
    ///   registration (``RegistrationReceipt/isReplay``); a different request with the same
    ///   key is refused (``Refusal/idempotencyKeyReused``).
    /// - An address registered before is refused with ``Refusal/emailAlreadyRegistered``,
    ///   and a fresh access link goes to that address.
    /// - Capacity: confirmed while the category has seats, then waitlisted; roles that
    ///   need approval wait as pending.
    public func register(role roleName: String, form: RegistrationForm, idempotencyKey: String?) async throws
        -> RegistrationReceipt
    {
        guard let role = registrableRoles.first(where: { $0.role.rawValue == roleName }) else {
            throw Refusal.unknownRole(roleName)
        }
        let now = dependencies.now()
        guard event.registrationWindow.contains(now) else { throw Refusal.registrationClosed }
        let checked = try form.validate(event: event, role: role.role).get()
        guard let category = event.category(checked.category) else { throw Refusal.unknownRole(roleName) }

        let key = idempotencyKey?.trimmingCharacters(in: .whitespaces)
        if let key, !key.isEmpty {
            let fingerprint = TokenSigner.fingerprint(roleName + "\u{1F}" + form.canonicalText)
            switch try await repositories.idempotency.claim(
                key: key, scope: Self.registrationScope, fingerprint: fingerprint, at: now)
            {
            case .claimed: break
            case .completed(let record):
                guard let id = record.entityID,
                    let participant = try await repositories.participants.find(id: ParticipantID(id))
                else { throw Refusal.participantNotFound }
                return try await receipt(for: participant, isReplay: true)
            case .inProgress: throw Refusal.requestInProgress
            case .fingerprintMismatch: throw Refusal.idempotencyKeyReused
            }
            do {
                let receipt = try await performRegistration(checked, role: role, category: category, now: now)
                try await repositories.idempotency.complete(
                    key: key, scope: Self.registrationScope, response: receipt.participant.id.rawValue,
                    entityID: receipt.participant.id.rawValue)
                return receipt
            } catch {
                try? await repositories.idempotency.release(key: key, scope: Self.registrationScope)
                throw error
            }
        }
        return try await performRegistration(checked, role: role, category: category, now: now)
    }

    private func performRegistration(
        _ checked: RegistrationForm.Checked, role: RoleDefinition, category: RegistrationCategory, now: Date
    ) async throws -> RegistrationReceipt {
        let draft = ParticipantDraft(
            id: ParticipantID("p-" + dependencies.randomHex(bytes: 8)), role: role.role, category: category.id,
            name: checked.name, email: checked.email, organisation: checked.organisation, jobTitle: checked.jobTitle,
            country: checked.country, phone: checked.phone, topics: checked.topics, profile: checked.profile,
            availability: checked.availability, maxMeetings: checked.maxMeetings, language: checked.language,
            listedInDirectory: checked.listedInDirectory, registeredAt: now)
        let outcome: RegistrationOutcome
        do {
            outcome = try await repositories.registrations.register(
                draft, capacity: category.capacity, awaitingApproval: role.requiresApproval)
        } catch RepositoryError.duplicateEmail(_, let existing) {
            if let participant = try await repositories.participants.find(id: existing) {
                await sendAccessLink(to: participant)
            }
            throw Refusal.emailAlreadyRegistered
        }
        let participant = outcome.participant
        let session = signer.sign(.attendeeSession, subject: participant.id.rawValue)
        let accessURL = accessURL(for: participant)
        switch participant.status {
        case .pending:
            await notifier.send(.registrationReceived(participant, accessURL: accessURL))
        case .confirmed:
            await confirmed(participant, accessURL: accessURL)
        default:
            await sendAccessLink(to: participant)
        }
        return RegistrationReceipt(
            participant: participant, waitlistPosition: outcome.waitlistPosition, sessionToken: session.token,
            sessionExpiresAt: session.expiresAt, isReplay: false)
    }

    private func receipt(for participant: Participant, isReplay: Bool) async throws -> RegistrationReceipt {
        let session = signer.sign(.attendeeSession, subject: participant.id.rawValue)
        return RegistrationReceipt(
            participant: participant,
            waitlistPosition: try await repositories.registrations.waitlistPosition(of: participant.id),
            sessionToken: session.token, sessionExpiresAt: session.expiresAt, isReplay: isReplay)
    }

    // MARK: Confirmation, tickets and links

    /// Issues the ticket of a participant who just got a seat and tells them.
    func confirmed(_ participant: Participant, accessURL: String? = nil) async {
        let url = accessURL ?? self.accessURL(for: participant)
        guard let tickets else { return }
        do {
            let ticket = try await tickets.issue(for: participant, ticketID: ticketID(of: participant.id))
            await notifier.send(.registrationConfirmed(participant, ticket: ticket, accessURL: url))
        } catch {
            _ = try? await repositories.auditLog.append(
                AuditEntry(
                    time: dependencies.now(), actor: "system", action: "ticket.issue_failed",
                    subject: participant.id.rawValue, details: "\(error)"))
        }
    }

    /// Revokes the ticket of a participant who lost their seat.
    func revokeTicket(of participant: Participant) async {
        guard let tickets else { return }
        do {
            try await tickets.revoke(ticketID: ticketID(of: participant.id))
        } catch {
            _ = try? await repositories.auditLog.append(
                AuditEntry(
                    time: dependencies.now(), actor: "system", action: "ticket.revoke_failed",
                    subject: participant.id.rawValue, details: "\(error)"))
        }
    }

    /// Tells those promoted from a waiting list and issues their tickets.
    func announcePromotions(_ promoted: [Participant]) async {
        for participant in promoted {
            let url = accessURL(for: participant)
            await notifier.send(.waitlistPromoted(participant, accessURL: url))
            await confirmed(participant, accessURL: url)
        }
    }

    /// The 96-bit ticket id of a participant, derived with the service's secret.
    public func ticketID(of participant: ParticipantID) -> [UInt8] {
        signer.derive("ticket:" + participant.rawValue, count: 12)
    }

    /// A fresh magic link for `participant`.
    public func accessURL(for participant: Participant) -> String {
        baseURL + "/access/" + signer.sign(.access, subject: participant.id.rawValue).token
    }

    private func sendAccessLink(to participant: Participant) async {
        // Over the limit, the e-mail is quietly not sent: the answer must not reveal who registered.
        let key = ThrottleKey(
            "access-mail:" + SearchText.emailKey(participant.email), limit: Self.accessMailsPerAddress)
        guard (try? await accessMailLimit.begin([key], now: dependencies.now())) != nil else { return }
        let link = signer.sign(.access, subject: participant.id.rawValue)
        await notifier.send(
            .accessLink(
                participant, url: baseURL + "/access/" + link.token,
                linkID: "lnk-" + String(link.token.suffix(10)), expiresAt: link.expiresAt))
    }

    /// Sends a fresh access link to `email` if it is registered. Says nothing either way,
    /// so that the answer does not reveal who registered.
    ///
    /// - Throws: ``Refusal/tooManyAttempts(retryAfterSeconds:)`` when `client` asked too often.
    public func requestAccessLink(email: String, client: String = "") async throws {
        try await accessMailLimit.begin(
            [ThrottleKey("access-client:" + client, limit: Self.accessRequestsPerClient)], now: dependencies.now())
        let trimmed = email.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw Refusal.invalidInput([FieldIssue("email", .required)]) }
        guard RegistrationForm.isDeliverable(trimmed) else {
            throw Refusal.invalidInput([FieldIssue("email", .invalidEmail)])
        }
        if let participant = try await repositories.participants.find(email: trimmed),
            participant.status != .cancelled, participant.status != .rejected
        {
            await sendAccessLink(to: participant)
        }
    }

    // MARK: Sessions

    /// Exchanges a magic link's token for a session: the attendee and a session token.
    public func signIn(accessToken: String) async throws -> (participant: Participant, session: String, expiresAt: Date)
    {
        let verified = try signer.verify(accessToken, for: .access)
        guard let participant = try await repositories.participants.find(id: ParticipantID(verified.subject)) else {
            throw Refusal.accessLinkInvalid
        }
        let session = signer.sign(.attendeeSession, subject: participant.id.rawValue)
        return (participant, session.token, session.expiresAt)
    }

    /// The attendee a session token speaks for; ``Refusal/notSignedIn`` when the token is
    /// missing, expired, forged, signed out, or its participant was erased.
    public func attendee(sessionToken: String?) async throws -> Participant {
        let verified = try await session(sessionToken, for: .attendeeSession)
        guard let participant = try await repositories.participants.find(id: ParticipantID(verified.subject)) else {
            throw Refusal.notSignedIn
        }
        return participant
    }

    /// The content of a session token of `purpose` that still opens a session;
    /// ``Refusal/notSignedIn`` when it is missing, expired, forged or signed out.
    public func session(_ token: String?, for purpose: TokenPurpose) async throws -> VerifiedToken {
        guard let token, !token.isEmpty, let verified = try? signer.verify(token, for: purpose),
            !(try await repositories.sessions.isRevoked(tokenID: verified.nonce))
        else { throw Refusal.notSignedIn }
        return verified
    }

    /// Ends the session of `token` for every server process (a token that is not a valid
    /// session of `purpose` is ignored: there is nothing to end). Expired revocations are
    /// forgotten on the way.
    public func signOut(_ token: String?, for purpose: TokenPurpose) async throws {
        guard let token, let verified = try? signer.verify(token, for: purpose) else { return }
        try await repositories.sessions.revoke(tokenID: verified.nonce, expiresAt: verified.expiresAt)
        _ = try await repositories.sessions.purgeRevocations(expiredBefore: dependencies.now())
    }

    // MARK: The personal area

    /// Replaces the attendee's profile and availability. The e-mail address and the
    /// category stay as registered.
    public func updateProfile(of participant: Participant, form: RegistrationForm) async throws -> Participant {
        var form = form
        form.email = participant.email
        form.category = participant.category.rawValue
        let checked = try form.validate(event: event, role: participant.role, requireConsent: false).get()
        var updated = participant
        updated.name = checked.name
        updated.organisation = checked.organisation
        updated.jobTitle = checked.jobTitle
        updated.country = checked.country
        updated.phone = checked.phone
        updated.topics = checked.topics
        updated.profile = checked.profile
        updated.availability = checked.availability
        updated.maxMeetings = checked.maxMeetings
        updated.language = checked.language
        updated.listedInDirectory = checked.listedInDirectory
        let stored = try await repositories.participants.update(updated)
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: dependencies.now(), actor: "participant:\(participant.id)", action: "profile.update",
                subject: participant.id.rawValue))
        return stored
    }

    /// The current place of the attendee on the waiting list.
    public func waitlistPosition(of participant: Participant) async throws -> Int? {
        try await repositories.registrations.waitlistPosition(of: participant.id)
    }

    /// Cancels a registration: the seat goes to the next in line, the ticket is revoked.
    /// `actor` is who cancelled (`participant:…` or `organiser:…`).
    public func cancel(_ participant: Participant, actor: String, reason: String? = nil) async throws -> SeatRelease {
        guard let category = event.category(participant.category) else { throw Refusal.participantNotFound }
        let release: SeatRelease
        do {
            release = try await repositories.registrations.cancel(participant.id, capacity: category.capacity)
        } catch RepositoryError.invalidTransition(_, let from, let to) {
            throw Refusal.invalidTransition(from: from, to: to)
        }
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: dependencies.now(), actor: actor, action: "registration.cancel", subject: participant.id.rawValue,
                details: reason ?? ""))
        if participant.status == .confirmed { await revokeTicket(of: participant) }
        await notifier.send(.registrationCancelled(release.participant, reason: reason))
        await announcePromotions(release.promoted)
        return release
    }

    /// Everything stored about the attendee (GDPR access), as a JSON-ready value.
    public func export(_ participant: Participant) async throws -> ParticipantExport {
        let requests = try await repositories.requests.list(RequestFilter(involving: participant.id))
        let audit = try await repositories.auditLog.list(AuditFilter(subject: participant.id.rawValue))
        return ParticipantExport(
            participant: participant, requests: requests, auditEntries: audit, exportedAt: dependencies.now())
    }

    /// Erases the attendee (GDPR erasure): cancels the registration if it holds or awaits
    /// a seat, then deletes the participant and their meeting requests. The audit log
    /// keeps only the participant id.
    public func erase(_ participant: Participant) async throws {
        if [.pending, .confirmed, .waitlisted].contains(participant.status) {
            _ = try await cancel(participant, actor: "participant:\(participant.id)", reason: nil)
        }
        try await repositories.participants.delete(id: participant.id)
        _ = try await repositories.auditLog.append(
            AuditEntry(
                time: dependencies.now(), actor: "participant:\(participant.id)", action: "participant.erase",
                subject: participant.id.rawValue))
    }
}
