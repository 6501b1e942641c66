/// Which meeting requests to list; every criterion that is set must hold.
/// Results come oldest first.
public struct RequestFilter: Sendable, Hashable {
    public var from: ParticipantID?
    public var to: ParticipantID?
    /// Requests where this participant is sender or recipient.
    public var involving: ParticipantID?
    /// Any of these statuses; `nil` means every status.
    public var statuses: Set<RequestStatus>?

    public init(
        from: ParticipantID? = nil, to: ParticipantID? = nil, involving: ParticipantID? = nil,
        statuses: Set<RequestStatus>? = nil
    ) {
        self.from = from
        self.to = to
        self.involving = involving
        self.statuses = statuses
    }

    /// Every request.
    public static let all = RequestFilter()

    public func matches(_ request: MeetingRequest) -> Bool {
        if let from, request.from != from { return false }
        if let to, request.to != to { return false }
        if let involving, request.from != involving, request.to != involving { return false }
        if let statuses, !statuses.contains(request.status) { return false }
        return true
    }
}

/// The meeting requests participants send each other.
public protocol MeetingRequestRepository: Sendable {
    /// Stores a new request. With `openRequestLimit`, atomically refuses it when the
    /// sender already has that many open requests
    /// (``RepositoryError/openRequestLimitReached(_:limit:)``). Sender and recipient
    /// must exist (``RepositoryError/unknownRequestParticipant(_:)``). `followUp` commits
    /// in the same transaction.
    func create(_ request: MeetingRequest, openRequestLimit: Int?, followUp: FollowUp) async throws
        -> MeetingRequest

    func find(id: RequestID) async throws -> MeetingRequest?

    /// Sets a request's status and returns the stored request; `followUp` (of the request
    /// as it was) commits in the same transaction.
    func updateStatus(
        _ id: RequestID, to status: RequestStatus, followUp: @escaping @Sendable (MeetingRequest) -> FollowUp
    ) async throws -> MeetingRequest

    /// The requests matching `filter`, oldest first.
    func list(_ filter: RequestFilter) async throws -> [MeetingRequest]

    /// How many open (pending or accepted) requests `participant` has sent.
    func countOpen(from participant: ParticipantID) async throws -> Int
}

extension MeetingRequestRepository {
    /// Stores a new request with nothing else in the transaction.
    public func create(_ request: MeetingRequest, openRequestLimit: Int?) async throws -> MeetingRequest {
        try await create(request, openRequestLimit: openRequestLimit, followUp: .none)
    }

    /// Sets a request's status with nothing else in the transaction.
    public func updateStatus(_ id: RequestID, to status: RequestStatus) async throws -> MeetingRequest {
        try await updateStatus(id, to: status) { _ in .none }
    }
}
