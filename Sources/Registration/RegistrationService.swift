import Foundation
import Metrics
import PartneringCore

/// The repositories the services work on (the store's, or in-memory ones in tests).
public struct RegistrationRepositories: Sendable {
    public var participants: any ParticipantRepository
    public var registrations: any RegistrationRepository
    public var requests: any MeetingRequestRepository
    public var auditLog: any AuditLogRepository
    public var idempotency: any IdempotencyRepository
    public var sessions: any SessionRevocationRepository
    public var tickets: any TicketRepository
    public var notices: any NoticeQueueRepository
    /// Sign-in and access-link attempts, for the rate limits (``LoginThrottle``).
    public var signInAttempts: any SignInAttemptRepository
    /// Participants' answers about their meetings (given back by the GDPR export).
    public var meetingFeedback: any MeetingFeedbackRepository

    public init(
        participants: any ParticipantRepository, registrations: any RegistrationRepository,
        requests: any MeetingRequestRepository, auditLog: any AuditLogRepository,
        idempotency: any IdempotencyRepository, sessions: any SessionRevocationRepository,
        tickets: any TicketRepository, notices: any NoticeQueueRepository,
        signInAttempts: any SignInAttemptRepository, meetingFeedback: any MeetingFeedbackRepository
    ) {
        self.participants = participants
        self.registrations = registrations
        self.requests = requests
        self.auditLog = auditLog
        self.idempotency = idempotency
        self.sessions = sessions
        self.tickets = tickets
        self.notices = notices
        self.signInAttempts = signInAttempts
        self.meetingFeedback = meetingFeedback
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
///
/// Every operation commits its consequences with it, in one store transaction: seat,
/// ticket, audit entries and the notices it promises (queued, see ``NoticeDispatcher``).
public struct RegistrationService: Sendable {
    public let event: EventDefinition
    public let repositories: RegistrationRepositories
    public let signer: TokenSigner
    /// Raised after notices were queued, to wake the dispatcher of this process.
    public let noticesQueued = NoticeSignal()
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
        event: EventDefinition, repositories: RegistrationRepositories, signer: TokenSigner,
        tickets: (any TicketDesk)?, dependencies: ServiceDependencies, baseURL: String
    ) {
        self.event = event
        self.repositories = repositories
        self.signer = signer
        self.tickets = tickets
        self.dependencies = dependencies
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The idempotency scope of registrations.
    static let registrationScope = "registration"

    /// How long a claimed idempotency key stays "in progress" before a retry may take it
    /// over: a request that was being served by a process that died. Far longer than any
    /// registration takes (the store's busy timeout is 10 s).
    public static let idempotencyLease: TimeInterval = 15

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
    /// - Counted for `/metrics` by outcome (`confirmed`, `waitlisted`, `pending`, `refused`
    ///   with the refusal's code, `failed` when the store failed); a replay is not counted again.
    public func register(role roleName: String, form: RegistrationForm, idempotencyKey: String?) async throws
        -> RegistrationReceipt
    {
        let receipt: RegistrationReceipt
        do {
            receipt = try await registerOnce(role: roleName, form: form, idempotencyKey: idempotencyKey)
        } catch let refusal as Refusal {
            Counter(label: Self.registrationsCounter, dimensions: [("outcome", "refused"), ("reason", refusal.code)])
                .increment()
            throw refusal
        } catch {
            Counter(label: Self.registrationsCounter, dimensions: [("outcome", "failed"), ("reason", "")]).increment()
            throw error
        }
        if !receipt.isReplay {
            Counter(
                label: Self.registrationsCounter,
                dimensions: [("outcome", receipt.participant.status.rawValue), ("reason", "")]
            ).increment()
        }
        return receipt
    }

    /// The swift-metrics counter of registration attempts, by outcome and refusal reason.
    static let registrationsCounter = "partnering_registration_attempts_total"

    private func registerOnce(role roleName: String, form: RegistrationForm, idempotencyKey: String?) async throws
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
                key: key, scope: Self.registrationScope, fingerprint: fingerprint, at: now,
                staleBefore: now.addingTimeInterval(-Self.idempotencyLease))
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
                // The key completes in the registration's own transaction.
                return try await performRegistration(
                    checked, role: role, category: category, now: now, idempotencyKey: key)
            } catch Refusal.emailAlreadyRegistered {
                // A first try of this very request, slower than the key's lease, may have
                // registered meanwhile: answer with its registration.
                if case .completed(let record) = try await repositories.idempotency.claim(
                    key: key, scope: Self.registrationScope, fingerprint: fingerprint, at: now),
                    let id = record.entityID,
                    let participant = try await repositories.participants.find(id: ParticipantID(id))
                {
                    return try await receipt(for: participant, isReplay: true)
                }
                try? await repositories.idempotency.release(key: key, scope: Self.registrationScope)
                throw Refusal.emailAlreadyRegistered
            } catch {
                try? await repositories.idempotency.release(key: key, scope: Self.registrationScope)
                throw error
            }
        }
        return try await performRegistration(checked, role: role, category: category, now: now, idempotencyKey: nil)
    }

    private func performRegistration(
        _ checked: RegistrationForm.Checked, role: RoleDefinition, category: RegistrationCategory, now: Date,
        idempotencyKey: String?
    ) async throws -> RegistrationReceipt {
        let draft = ParticipantDraft(
            id: ParticipantID("p-" + dependencies.randomHex(bytes: 8)), role: role.role, category: category.id,
            name: checked.name, email: checked.email, organisation: checked.organisation, jobTitle: checked.jobTitle,
            country: checked.country, phone: checked.phone, topics: checked.topics, profile: checked.profile,
            availability: checked.availability, maxMeetings: checked.maxMeetings, language: checked.language,
            listedInDirectory: checked.listedInDirectory, registeredAt: now)
        let completion = idempotencyKey.map {
            IdempotencyCompletion(
                key: $0, scope: Self.registrationScope, response: draft.id.rawValue, entityID: draft.id.rawValue)
        }
        let outcome: RegistrationOutcome
        do {
            outcome = try await repositories.registrations.register(
                draft, capacity: category.capacity, awaitingApproval: role.requiresApproval
            ) { outcome in
                let participant = outcome.participant
                var followUp = FollowUp(completion: completion)
                switch participant.status {
                case .pending: followUp.notices.append(notice(.registrationReceived, to: participant.id, at: now))
                case .confirmed: followUp.add(confirmation(of: participant, at: now))
                default: followUp.notices.append(notice(.accessLink, to: participant.id, at: now))
                }
                return followUp
            }
        } catch RepositoryError.duplicateEmail(_, let existing) {
            if let participant = try await repositories.participants.find(id: existing) {
                try await sendAccessLink(to: participant)
            }
            throw Refusal.emailAlreadyRegistered
        }
        noticesQueued.notify()
        let participant = outcome.participant
        let session = signer.sign(.attendeeSession, subject: participant.id.rawValue)
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

    /// A notice to queue, with a fresh id.
    public func notice(
        _ kind: QueuedNotice.Kind, to participant: ParticipantID, reference: String? = nil, detail: String? = nil,
        at time: Date
    ) -> QueuedNotice {
        dependencies.notice(kind, to: participant, reference: reference, detail: detail, at: time)
    }

    /// What commits with a participant's confirmation: the ticket, its audit entry and the
    /// confirmation notice (preceded by the promotion notice for those `promoted` from the
    /// waiting list). Without a ticket desk there is no ticket and no confirmation.
    func confirmation(of participant: Participant, at time: Date, promoted: Bool = false) -> FollowUp {
        var followUp = FollowUp()
        if promoted { followUp.notices.append(notice(.waitlistPromoted, to: participant.id, at: time)) }
        guard let tickets, let id = TicketID(bytes: ticketID(of: participant.id)) else { return followUp }
        followUp.tickets.append(
            IssuedTicket(
                claims: tickets.claims(for: participant, ticketID: id), participant: participant.id, issuedAt: time))
        followUp.auditEntries.append(ticketIssueAudit(of: participant.id, ticket: id, revoked: [], at: time))
        followUp.notices.append(notice(.registrationConfirmed, to: participant.id, at: time))
        return followUp
    }

    /// The audit entry of a ticket the service stores for `participant`.
    func ticketIssueAudit(of participant: ParticipantID, ticket id: TicketID, revoked: [TicketID], at time: Date)
        -> AuditEntry
    {
        AuditEntry(
            time: time, actor: "system", action: "ticket.issue", subject: participant.rawValue,
            details: #"{"revoked":""# + revoked.map(\.hex).joined(separator: ",") + #"","ticket":""# + id.hex + #""}"#)
    }

    /// What commits when a participant loses their seat or place: every valid ticket of
    /// theirs revoked, with an audit entry naming them.
    func ticketRevocation(of participant: ParticipantID, at time: Date) -> FollowUp {
        FollowUp(revocations: [
            TicketRevocation(participant: participant, at: time) { revoked in
                AuditEntry(
                    time: time, actor: "system", action: "ticket.revoke", subject: participant.rawValue,
                    details: #"{"revoked":""# + revoked.map(\.hex).joined(separator: ",") + #""}"#)
            }
        ])
    }

    /// What commits with promotions from a waiting list: each promoted participant's
    /// ticket and notices.
    func promotions(_ promoted: [Participant], at time: Date) -> FollowUp {
        var followUp = FollowUp()
        for participant in promoted { followUp.add(confirmation(of: participant, at: time, promoted: true)) }
        return followUp
    }

    /// Updates what the ticket desk keeps beside the store once a participant's tickets
    /// were revoked there.
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

    /// The 96-bit ticket id of a participant, derived with the service's secret.
    public func ticketID(of participant: ParticipantID) -> [UInt8] {
        signer.derive("ticket:" + participant.rawValue, count: 12)
    }

    /// A fresh magic link for `participant`.
    public func accessURL(for participant: Participant) -> String {
        baseURL + "/access/" + signer.sign(.access, subject: participant.id.rawValue).token
    }

    /// Queues an access link for `participant`; `returnTo` (a path of this site, already
    /// validated) travels in the notice so that the link leads back to it. Over the limit
    /// per address, the e-mail is quietly not sent: the answer must not reveal who registered.
    private func sendAccessLink(to participant: Participant, returnTo: String? = nil) async throws {
        let key = ThrottleKey(
            "access-mail:" + SearchText.emailKey(participant.email), limit: Self.accessMailsPerAddress)
        guard (try? await accessMailLimit.begin([key], now: dependencies.now())) != nil else { return }
        try await repositories.notices.enqueue([
            notice(.accessLink, to: participant.id, detail: returnTo, at: dependencies.now())
        ])
        noticesQueued.notify()
    }

    /// Sends a fresh access link to `email` if it is registered. Says nothing either way,
    /// so that the answer does not reveal who registered. The link leads to `returnTo`
    /// after sign-in when it is a path of this site (``ReturnPath``), else to `/me`.
    ///
    /// - Throws: ``Refusal/tooManyAttempts(retryAfterSeconds:)`` when `client` asked too often.
    public func requestAccessLink(email: String, returnTo: String? = nil, client: String = "") async throws {
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
            try await sendAccessLink(to: participant, returnTo: returnTo)
        }
    }

    /// The page a participant's e-mails link to, in their language: `path` on this site
    /// with `?lang=`, so that even the sign-in page it may lead to speaks their language.
    public func pageURL(_ path: String, for participant: Participant) -> String {
        baseURL + path + "?lang=" + participant.language.rawValue
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
        updated.availability =
            form.slots.isEmpty
            ? Self.availability(keepingSlotsOf: participant, sessions: form.sessions, checked: checked, event: event)
            : checked.availability
        updated.maxMeetings = checked.maxMeetings
        updated.language = checked.language
        updated.listedInDirectory = checked.listedInDirectory
        return try await repositories.participants.update(
            updated,
            followUp: FollowUp(auditEntries: [
                AuditEntry(
                    time: dependencies.now(), actor: "participant:\(participant.id)", action: "profile.update",
                    subject: participant.id.rawValue)
            ]))
    }

    /// The current place of the attendee on the waiting list.
    public func waitlistPosition(of participant: Participant) async throws -> Int? {
        try await repositories.registrations.waitlistPosition(of: participant.id)
    }

    /// Cancels a registration: the seat goes to the next in line, the ticket is revoked.
    /// `actor` is who cancelled (`participant:…` or `organiser:…`).
    public func cancel(_ participant: Participant, actor: String, reason: String? = nil) async throws -> SeatRelease {
        guard let category = event.category(participant.category) else { throw Refusal.participantNotFound }
        let now = dependencies.now()
        let release: SeatRelease
        do {
            release = try await repositories.registrations.cancel(participant.id, capacity: category.capacity) {
                release in
                var followUp = FollowUp(auditEntries: [
                    AuditEntry(
                        time: now, actor: actor, action: "registration.cancel", subject: participant.id.rawValue,
                        details: reason ?? "")
                ])
                followUp.add(ticketRevocation(of: participant.id, at: now))
                followUp.notices.append(notice(.registrationCancelled, to: participant.id, detail: reason, at: now))
                followUp.add(promotions(release.promoted, at: now))
                return followUp
            }
        } catch RepositoryError.invalidTransition(_, let from, let to) {
            throw Refusal.invalidTransition(from: from, to: to)
        }
        noticesQueued.notify()
        if participant.status == .confirmed { await revokeTicket(of: participant) }
        return release
    }

    /// The availability a profile form chosen by half-days gives: a half-day kept keeps the
    /// slots marked unavailable in it (``setUnavailableSlots(_:of:actor:)``), a half-day added
    /// brings all its slots, a half-day removed takes all of them away.
    static func availability(
        keepingSlotsOf participant: Participant, sessions: [String], checked: RegistrationForm.Checked,
        event: EventDefinition
    ) -> [SlotID]? {
        let before = Set(participant.availability ?? event.slots.map(\.id))
        let sessionsBefore = Set(event.slots.filter { before.contains($0.id) }.map(\.session))
        let chosen = Set(sessions)
        let slots = event.slots.filter { slot in
            guard chosen.contains(slot.session) else { return false }
            return sessionsBefore.contains(slot.session) ? before.contains(slot.id) : true
        }
        return slots.count == event.slots.count ? nil : slots.map(\.id)
    }

    /// The event's slots the participant cannot meet in (outside their availability).
    public func unavailableSlots(of participant: Participant) -> [SlotID] {
        guard let available = participant.availability.map(Set.init) else { return [] }
        return event.slots.map(\.id).filter { !available.contains($0) }
    }

    /// Marks the slots the participant cannot meet in; every other slot of the event becomes
    /// available. The scheduling problem carries the result as the participant's `available`
    /// slots, so that no meeting is scheduled in the others. `actor` is who changed it.
    public func setUnavailableSlots(_ slots: [String], of participant: Participant, actor: String) async throws
        -> Participant
    {
        let known = Set(event.slots.map(\.id.rawValue))
        guard slots.allSatisfy(known.contains) else {
            throw Refusal.invalidInput([FieldIssue("unavailable", .unknownChoice)])
        }
        let unavailable = Set(slots)
        var updated = participant
        let available = event.slots.map(\.id).filter { !unavailable.contains($0.rawValue) }
        updated.availability = available.count == event.slots.count ? nil : available
        return try await repositories.participants.update(
            updated,
            followUp: FollowUp(auditEntries: [
                AuditEntry(
                    time: dependencies.now(), actor: actor, action: "availability.update",
                    subject: participant.id.rawValue,
                    details: event.slots.map(\.id.rawValue).filter(unavailable.contains).joined(separator: " "))
            ]))
    }

    /// Everything stored about the attendee (GDPR access), as a JSON-ready value.
    public func export(_ participant: Participant) async throws -> ParticipantExport {
        let requests = try await repositories.requests.list(RequestFilter(involving: participant.id))
        let audit = try await repositories.auditLog.list(AuditFilter(subject: participant.id.rawValue))
        let feedback = try await repositories.meetingFeedback.feedback(by: participant.id)
        return ParticipantExport(
            participant: participant, requests: requests, meetingFeedback: feedback, auditEntries: audit,
            exportedAt: dependencies.now())
    }

    /// Erases the attendee (GDPR erasure): cancels the registration if it holds or awaits
    /// a seat, then deletes the participant and their meeting requests. The audit log
    /// keeps only the participant id.
    public func erase(_ participant: Participant) async throws {
        if [.pending, .confirmed, .waitlisted].contains(participant.status) {
            _ = try await cancel(participant, actor: "participant:\(participant.id)", reason: nil)
        }
        try await repositories.participants.delete(
            id: participant.id,
            followUp: FollowUp(auditEntries: [
                AuditEntry(
                    time: dependencies.now(), actor: "participant:\(participant.id)", action: "participant.erase",
                    subject: participant.id.rawValue)
            ]))
    }
}
