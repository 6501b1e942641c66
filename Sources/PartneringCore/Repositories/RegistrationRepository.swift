/// The result of taking a seat: the stored participant and, when the category was
/// full, the place on its waiting list (1 is next in line).
public struct RegistrationOutcome: Sendable, Hashable {
    public var participant: Participant
    public var waitlistPosition: Int?

    public init(participant: Participant, waitlistPosition: Int?) {
        self.participant = participant
        self.waitlistPosition = waitlistPosition
    }
}

/// The result of giving a seat (or a place in line) up: the participant in their
/// new status and those promoted from the waiting list into the freed seats, in order.
public struct SeatRelease: Sendable, Hashable {
    public var participant: Participant
    public var promoted: [Participant]

    public init(participant: Participant, promoted: [Participant]) {
        self.participant = participant
        self.promoted = promoted
    }
}

/// Capacity-safe registration: every operation here is atomic, so that concurrent
/// registrations (even from several server processes on one PostgreSQL database)
/// never confirm more participants than a category has seats.
///
/// Capacities come from the event definition, hence the `capacity` arguments: the
/// number of confirmed participants of the participant's category never exceeds it.
public protocol RegistrationRepository: Sendable {
    /// Stores a new participant with the next sequential number: `pending` when
    /// `awaitingApproval` (no seat taken yet), otherwise `confirmed` while the category
    /// has a free seat and `waitlisted` after. Throws ``RepositoryError/duplicateEmail(_:existing:)``.
    /// What `followUp` returns for the outcome commits in the same transaction. A store may
    /// ask `followUp` before the seat is decided, once for each status the registration may
    /// get, with the participant number not known yet (0) and no waiting-list position, and
    /// write only the answer for the status decided (PostgreSQL decides it in the statement
    /// that writes the follow-up); the tickets for the participant get the number taken. So
    /// `followUp` only builds values, and nothing but its tickets may depend on the number.
    func register(
        _ draft: ParticipantDraft, capacity: Int, awaitingApproval: Bool,
        followUp: @escaping @Sendable (RegistrationOutcome) -> FollowUp
    ) async throws -> RegistrationOutcome

    /// An organiser approved a `pending` participant: confirmed if a seat is free,
    /// waitlisted otherwise; with `followUp` in the same transaction.
    func approve(
        _ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (RegistrationOutcome) -> FollowUp
    ) async throws -> RegistrationOutcome

    /// Cancels a pending, confirmed or waitlisted registration; a freed seat goes to
    /// the next in line; with `followUp` in the same transaction.
    func cancel(_ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (SeatRelease) -> FollowUp)
        async throws -> SeatRelease

    /// An organiser refused a registration; a freed seat goes to the next in line; with
    /// `followUp` in the same transaction.
    func reject(_ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (SeatRelease) -> FollowUp)
        async throws -> SeatRelease

    /// Fills free seats of `category` from its waiting list (after the capacity was raised),
    /// with `followUp` for those promoted in the same transaction.
    func promoteWaitlisted(
        category: CategoryID, capacity: Int, followUp: @escaping @Sendable ([Participant]) -> FollowUp
    ) async throws -> [Participant]

    /// The current place of a waitlisted participant in line, `nil` for anyone else.
    func waitlistPosition(of id: ParticipantID) async throws -> Int?
}

extension RegistrationRepository {
    /// Registers without organiser approval.
    public func register(_ draft: ParticipantDraft, capacity: Int) async throws -> RegistrationOutcome {
        try await register(draft, capacity: capacity, awaitingApproval: false)
    }

    /// Registers with nothing else in the transaction.
    public func register(_ draft: ParticipantDraft, capacity: Int, awaitingApproval: Bool) async throws
        -> RegistrationOutcome
    {
        try await register(draft, capacity: capacity, awaitingApproval: awaitingApproval) { _ in .none }
    }

    /// Approves with nothing else in the transaction.
    public func approve(_ id: ParticipantID, capacity: Int) async throws -> RegistrationOutcome {
        try await approve(id, capacity: capacity) { _ in .none }
    }

    /// Cancels with nothing else in the transaction.
    public func cancel(_ id: ParticipantID, capacity: Int) async throws -> SeatRelease {
        try await cancel(id, capacity: capacity) { _ in .none }
    }

    /// Rejects with nothing else in the transaction.
    public func reject(_ id: ParticipantID, capacity: Int) async throws -> SeatRelease {
        try await reject(id, capacity: capacity) { _ in .none }
    }

    /// Promotes with nothing else in the transaction.
    public func promoteWaitlisted(category: CategoryID, capacity: Int) async throws -> [Participant] {
        try await promoteWaitlisted(category: category, capacity: capacity) { _ in .none }
    }
}
