import Foundation
import PartneringCore

extension InMemoryRepositories: MeetingRequestRepository {
    public func create(_ request: MeetingRequest, openRequestLimit: Int?, followUp: FollowUp) async throws
        -> MeetingRequest
    {
        guard requests[request.id] == nil else { throw RepositoryError.duplicateID(request.id.rawValue) }
        for id in [request.from, request.to] where participants[id] == nil {
            throw RepositoryError.unknownRequestParticipant(id)
        }
        if let limit = openRequestLimit, openCount(from: request.from) >= limit {
            throw RepositoryError.openRequestLimitReached(request.from, limit: limit)
        }
        return try atomically {
            requests[request.id] = request
            requestOrder.append(request.id)
            try apply(followUp)
            return request
        }
    }

    public func find(id: RequestID) async throws -> MeetingRequest? { requests[id] }

    public func updateStatus(
        _ id: RequestID, to status: RequestStatus, followUp: @escaping @Sendable (MeetingRequest) -> FollowUp
    ) async throws -> MeetingRequest {
        guard var request = requests[id] else { throw RepositoryError.requestNotFound(id) }
        try apply(followUp(request))
        request.status = status
        requests[id] = request
        return request
    }

    public func list(_ filter: RequestFilter) async throws -> [MeetingRequest] {
        requestOrder.compactMap { requests[$0] }.filter(filter.matches)
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func countOpen(from participant: ParticipantID) async throws -> Int {
        openCount(from: participant)
    }

    private func openCount(from participant: ParticipantID) -> Int {
        requests.values.count { $0.from == participant && $0.status.isOpen }
    }
}
