import Foundation
import PartneringCore

/// What an organiser decides about registrations from the list, one at a time or many.
public enum RegistrationDecision: String, Sendable, CaseIterable {
    case approve, reject, cancel
}

/// What a decision over one or more registrations did, for the message shown afterwards.
public struct DecisionSummary: Sendable, Hashable {
    public var decision: RegistrationDecision
    /// Approved with a seat (ticket issued).
    public var confirmed = 0
    /// Approved while the category was full: put on the waiting list.
    public var waitlisted = 0
    public var rejected = 0
    public var cancelled = 0
    /// Registrations the decision did not apply to (already decided, unknown).
    public var skipped = 0
    /// The reason given, sent to the people concerned.
    public var reason: String?

    public init(
        decision: RegistrationDecision, confirmed: Int = 0, waitlisted: Int = 0, rejected: Int = 0,
        cancelled: Int = 0, skipped: Int = 0, reason: String? = nil
    ) {
        self.decision = decision
        self.confirmed = confirmed
        self.waitlisted = waitlisted
        self.rejected = rejected
        self.cancelled = cancelled
        self.skipped = skipped
        self.reason = reason
    }
}

/// Everything the organisers' page of one registration shows.
public struct RegistrationRecord: Sendable, Hashable {
    public var participant: Participant
    /// The audit entries about the participant, oldest first.
    public var history: [AuditEntry]
    /// The ticket that admits, if any.
    public var ticket: IssuedTicket?
    public var waitlistPosition: Int?
    /// Meeting requests sent and received, each with the other person (absent when erased).
    public var requests: [RequestView]
}

extension OrganiserService {
    /// The most registrations one decision may cover (a few pages of the list).
    public static let largestDecision = 1_000

    /// Applies `decision` to each registration of `ids` (duplicates once), in order, with
    /// one `reason` for all (rejections and cancellations send it by e-mail). Each
    /// registration is decided in its own transaction, so that one that cannot take the
    /// decision (already rejected, erased meanwhile) is counted as skipped and the others go
    /// through. An empty list, too many ids or a bad reason is refused before anything changes.
    public func decide(
        _ decision: RegistrationDecision, ids: [String], reason: String?, by organiser: String
    ) async throws -> DecisionSummary {
        var seen = Set<String>()
        let unique = ids.filter { !$0.isEmpty && seen.insert($0).inserted }
        guard !unique.isEmpty else { throw Refusal.invalidInput([FieldIssue("id", .required)]) }
        guard unique.count <= Self.largestDecision else {
            throw Refusal.invalidInput([FieldIssue("id", .outOfRange(min: 1, max: Self.largestDecision))])
        }
        let reason = try Self.checkedReason(reason)
        var summary = DecisionSummary(decision: decision, reason: reason)
        for id in unique {
            do {
                switch decision {
                case .approve:
                    let outcome = try await approve(id, by: organiser)
                    if outcome.participant.status == .confirmed {
                        summary.confirmed += 1
                    } else {
                        summary.waitlisted += 1
                    }
                case .reject:
                    _ = try await reject(id, by: organiser, reason: reason)
                    summary.rejected += 1
                case .cancel:
                    _ = try await cancel(id, by: organiser, reason: reason)
                    summary.cancelled += 1
                }
            } catch let refusal as Refusal where refusal == .participantNotFound || refusal.code == "invalid_transition"
            {
                summary.skipped += 1
            }
        }
        return summary
    }

    /// The registration's page: fields, status history, ticket, requests.
    public func record(_ id: String) async throws -> RegistrationRecord {
        let participant = try await participant(id)
        let history = try await repositories.auditLog.list(AuditFilter(subject: participant.id.rawValue))
            .sorted { $0.sequence < $1.sequence }
        let requests = try await repositories.requests.list(RequestFilter(involving: participant.id))
        var views: [RequestView] = []
        for request in requests {
            let other = request.from == participant.id ? request.to : request.from
            views.append(
                RequestView(request: request, counterpart: try await repositories.participants.find(id: other)))
        }
        return RegistrationRecord(
            participant: participant, history: history,
            ticket: try await repositories.tickets.current(of: participant.id),
            waitlistPosition: participant.status == .waitlisted
                ? try await repositories.registrations.waitlistPosition(of: participant.id) : nil,
            requests: views)
    }

    /// Marks the slots a participant cannot meet in, on their behalf (see
    /// ``RegistrationService/setUnavailableSlots(_:of:actor:)``).
    public func setUnavailableSlots(_ slots: [String], of id: String, by organiser: String) async throws
        -> Participant
    {
        try await registration.setUnavailableSlots(slots, of: participant(id), actor: "organiser:\(organiser)")
    }
}
