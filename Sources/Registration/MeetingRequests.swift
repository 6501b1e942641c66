import Foundation
import PartneringCore

/// A meeting request as its sender writes it.
public struct RequestForm: Sendable, Hashable, Codable {
    public var to: String
    public var priority: String
    public var message: String

    public init(to: String = "", priority: String = "", message: String = "") {
        self.to = to
        self.priority = priority
        self.message = message
    }

    enum CodingKeys: String, CodingKey { case to, priority, message }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        to = try container.decodeIfPresent(String.self, forKey: .to) ?? ""
        if let number = try? container.decodeIfPresent(Int.self, forKey: .priority) {
            priority = String(number)
        } else {
            priority = try container.decodeIfPresent(String.self, forKey: .priority) ?? ""
        }
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
    }

    public static let messageLimit = 500
}

/// A request with the participants at both ends, for pages and the API.
public struct RequestView: Sendable, Hashable {
    public var request: MeetingRequest
    /// The other participant, seen from whoever asked; `nil` if they were erased.
    public var counterpart: Participant?
}

/// The requests of one attendee.
public struct AttendeeRequests: Sendable, Hashable {
    public var incoming: [RequestView]
    public var outgoing: [RequestView]
    /// How many of the outgoing ones are open (count against the cap).
    public var openCount: Int
    public var limit: Int
}

extension RegistrationService {
    /// Sends a meeting request from `sender`, within the event's cap on open requests.
    public func sendRequest(from sender: Participant, form: RequestForm) async throws -> MeetingRequest {
        var issues: [FieldIssue] = []
        let priority = Int(form.priority.trimmingCharacters(in: .whitespaces)).flatMap(Priority.init(rawValue:))
        if form.priority.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(FieldIssue("priority", .required))
        } else if priority == nil {
            issues.append(FieldIssue("priority", .outOfRange(min: 1, max: 3)))
        }
        let message = form.message.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.count > RequestForm.messageLimit {
            issues.append(FieldIssue("message", .tooLong(max: RequestForm.messageLimit)))
        }
        if form.to.isEmpty { issues.append(FieldIssue("to", .required)) }
        guard issues.isEmpty, let priority else { throw Refusal.invalidInput(issues) }
        guard sender.status == .confirmed else { throw Refusal.registrationNotActive }
        guard form.to != sender.id.rawValue else { throw Refusal.requestToSelf }
        guard let recipient = try await repositories.participants.find(id: ParticipantID(form.to)),
            recipient.status == .confirmed, recipient.listedInDirectory
        else { throw Refusal.participantNotFound }
        guard event.meetPolicy.allows(sender.role, recipient.role) else { throw Refusal.rolesCannotMeet }
        guard try await openRequests(between: sender.id, and: recipient.id).isEmpty else {
            throw Refusal.duplicateRequest
        }
        let request = MeetingRequest(
            id: RequestID("r-" + dependencies.randomHex(bytes: 8)), from: sender.id, to: recipient.id,
            priority: priority, message: message, status: .pending, createdAt: dependencies.now())
        let stored: MeetingRequest
        do {
            stored = try await repositories.requests.create(
                request, openRequestLimit: event.requestRules.maxOpenRequests,
                followUp: FollowUp(notices: [
                    notice(.requestReceived, to: recipient.id, reference: request.id.rawValue, at: request.createdAt)
                ]))
        } catch RepositoryError.openRequestLimitReached(_, let limit) {
            throw Refusal.openRequestLimitReached(limit: limit)
        } catch RepositoryError.unknownRequestParticipant {
            throw Refusal.participantNotFound
        }
        noticesQueued.notify()
        return stored
    }

    /// Whether `sender` may send `person` a request now, as ``sendRequest(from:form:)``
    /// decides: `sender` confirmed, `person` in their directory (``directoryEntry(_:for:)``)
    /// and no open request between the two. The pages offer the form only then.
    public func mayRequest(_ person: ParticipantID, from sender: Participant) async throws -> Bool {
        guard sender.status == .confirmed, (try? await directoryEntry(person, for: sender)) != nil else {
            return false
        }
        return try await openRequests(between: sender.id, and: person).isEmpty
    }

    /// The open requests between two people, in either direction.
    private func openRequests(between first: ParticipantID, and second: ParticipantID) async throws
        -> [MeetingRequest]
    {
        let open = Set(RequestStatus.allCases.filter(\.isOpen))
        return try await repositories.requests.list(RequestFilter(from: first, to: second, statuses: open))
            + repositories.requests.list(RequestFilter(from: second, to: first, statuses: open))
    }

    /// The recipient accepts or declines a pending request.
    public func answer(_ id: RequestID, by viewer: Participant, accept: Bool) async throws -> MeetingRequest {
        let request = try await visibleRequest(id, to: viewer)
        guard request.to == viewer.id else { throw Refusal.forbidden }
        guard request.status == .pending else { throw Refusal.requestNotPending }
        if accept && viewer.status != .confirmed { throw Refusal.registrationNotActive }
        let now = dependencies.now()
        let updated = try await repositories.requests.updateStatus(id, to: accept ? .accepted : .declined) {
            request in
            FollowUp(notices: [
                notice(accept ? .requestAccepted : .requestDeclined, to: request.from, reference: id.rawValue, at: now)
            ])
        }
        noticesQueued.notify()
        return updated
    }

    /// The sender takes back an open request.
    public func withdraw(_ id: RequestID, by viewer: Participant) async throws -> MeetingRequest {
        let request = try await visibleRequest(id, to: viewer)
        guard request.from == viewer.id else { throw Refusal.forbidden }
        guard request.status.isOpen else { throw Refusal.requestNotPending }
        return try await repositories.requests.updateStatus(id, to: .withdrawn)
    }

    /// A request the viewer is party to; another attendee's request is ``Refusal/forbidden``.
    private func visibleRequest(_ id: RequestID, to viewer: Participant) async throws -> MeetingRequest {
        guard let request = try await repositories.requests.find(id: id) else { throw Refusal.requestNotFound }
        guard request.from == viewer.id || request.to == viewer.id else { throw Refusal.forbidden }
        return request
    }

    /// The attendee's incoming and outgoing requests, newest first.
    public func requests(of viewer: Participant) async throws -> AttendeeRequests {
        let all = try await repositories.requests.list(RequestFilter(involving: viewer.id))
        var people: [ParticipantID: Participant] = [:]
        for id in Set(all.flatMap { [$0.from, $0.to] }) where id != viewer.id {
            people[id] = try await repositories.participants.find(id: id)
        }
        let incoming = all.filter { $0.to == viewer.id }.reversed().map {
            RequestView(request: $0, counterpart: people[$0.from])
        }
        let outgoing = all.filter { $0.from == viewer.id }.reversed().map {
            RequestView(request: $0, counterpart: people[$0.to])
        }
        return AttendeeRequests(
            incoming: incoming, outgoing: outgoing, openCount: outgoing.filter { $0.request.status.isOpen }.count,
            limit: event.requestRules.maxOpenRequests)
    }
}
