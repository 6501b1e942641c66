import Foundation
import PartneringCore

/// Someone the viewer may look at, with what already ties them.
public struct SuggestedPerson: Sendable, Hashable {
    public var participant: Participant
    /// The topics both chose, in the event's order.
    public var sharedTopics: [TopicID]
}

extension RegistrationService {
    /// One of the viewer's requests, with the other participant; another attendee's request
    /// is ``Refusal/forbidden``, an unknown one ``Refusal/requestNotFound``.
    public func request(_ id: RequestID, for viewer: Participant) async throws -> RequestView {
        guard let request = try await repositories.requests.find(id: id) else { throw Refusal.requestNotFound }
        guard request.from == viewer.id || request.to == viewer.id else { throw Refusal.forbidden }
        let other = request.from == viewer.id ? request.to : request.from
        return RequestView(request: request, counterpart: try await repositories.participants.find(id: other))
    }

    /// The profile of `id` as `viewer` may see it: the directory's rule (confirmed, listed,
    /// of a role the viewer may meet), or anyone the viewer exchanged a request with, so
    /// that a request's sender can always be looked at by its recipient.
    public func profile(_ id: ParticipantID, for viewer: Participant) async throws -> Participant {
        if let entry = try? await directoryEntry(id, for: viewer) { return entry }
        let between =
            try await repositories.requests.list(RequestFilter(from: viewer.id, to: id))
            + repositories.requests.list(RequestFilter(from: id, to: viewer.id))
        guard !between.isEmpty, id != viewer.id, let participant = try await repositories.participants.find(id: id),
            participant.status.isActive
        else { throw Refusal.participantNotFound }
        return participant
    }

    /// People of the directory whose topics match the viewer's, most shared topics first
    /// (then by number), leaving out those the viewer already exchanged a request with.
    /// Each topic is looked up with a bounded query, so this stays cheap at any size.
    public func suggestions(for viewer: Participant, limit: Int = 5) async throws -> [SuggestedPerson] {
        guard viewer.status == .confirmed, !viewer.topics.isEmpty, limit > 0 else { return [] }
        let requested = Set(
            try await repositories.requests.list(RequestFilter(involving: viewer.id)).flatMap { [$0.from, $0.to] })
        let perTopic = 100
        var found: [ParticipantID: SuggestedPerson] = [:]
        for role in event.meetPolicy.counterparts(of: viewer.role).sorted() {
            for topic in viewer.topics {
                let filter = ParticipantFilter(
                    role: role, statuses: [.confirmed], topic: topic, listedInDirectory: true, limit: perTopic)
                for participant in try await repositories.participants.list(filter)
                where participant.id != viewer.id && !requested.contains(participant.id) {
                    found[participant.id, default: SuggestedPerson(participant: participant, sharedTopics: [])]
                        .sharedTopics.append(topic)
                }
            }
        }
        return found.values.sorted {
            ($0.sharedTopics.count, -$0.participant.number) > ($1.sharedTopics.count, -$1.participant.number)
        }.prefix(limit).map { $0 }
    }

    /// The ticket of a confirmed participant (the one stored at confirmation: signing it
    /// again gives the same token); `nil` for other statuses or without a ticket desk.
    public func ticket(of participant: Participant) async throws -> IssuedTicketText? {
        guard participant.status == .confirmed, let tickets else { return nil }
        if let ticket = try await repositories.tickets.current(of: participant.id) {
            return IssuedTicketText(ticketID: ticket.claims.ticketID.hex, token: try tickets.token(for: ticket.claims))
        }
        // Confirmed outside the registration flow (`partnering demo`): the ticket confirmation
        // would have stored is stored now, with the same id and audit entry.
        guard let id = TicketID(bytes: ticketID(of: participant.id)) else { return nil }
        let now = dependencies.now()
        let claims = tickets.claims(for: participant, ticketID: id)
        do {
            _ = try await repositories.tickets.issue(claims, to: participant.id, at: now) { [self] revoked in
                ticketIssueAudit(of: participant.id, ticket: id, revoked: revoked, at: now)
            }
        } catch {
            // A simultaneous first view stored it (same id): read theirs.
            guard let stored = try await repositories.tickets.current(of: participant.id) else { throw error }
            return IssuedTicketText(ticketID: stored.claims.ticketID.hex, token: try tickets.token(for: stored.claims))
        }
        return IssuedTicketText(ticketID: id.hex, token: try tickets.token(for: claims))
    }
}
