import Foundation
import Metrics
import PartneringCore

/// Writes the notices queued in the store (the transactional outbox): claims due notices
/// for a lease, reads the records they refer to, hands them to a ``Notifier`` (the mail
/// outbox), then marks them sent. Any number of dispatchers, in any processes on the same
/// store, may run at once: a claim gives each notice to one of them, and a notice whose
/// dispatcher died mid-way is due again when its lease ends. A dispatcher killed after
/// writing but before marking leaves the notice to be written again, which the notifier's
/// idempotency per cause turns into nothing: each notice yields its message exactly once.
public struct NoticeDispatcher: Sendable {
    public let service: RegistrationService
    public let notifier: any Notifier
    /// The most notices written in one go (one flush of the outbox for all).
    public var batchSize: Int
    /// How long a claim keeps a notice from other dispatchers: far longer than writing a
    /// batch takes, and short enough that notices of a dispatcher that died go out soon
    /// after. A lease that ends too early costs a second write, which writes nothing.
    public var lease: TimeInterval
    /// Where errors go (a log); the dispatcher keeps going.
    public let report: @Sendable (any Error) -> Void

    public init(
        service: RegistrationService, notifier: any Notifier, batchSize: Int = 64, lease: TimeInterval = 20,
        report: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.service = service
        self.notifier = notifier
        self.batchSize = batchSize
        self.lease = lease
        self.report = report
    }

    /// The swift-metrics counter of notices handed to the notifier, by result (`written`,
    /// `failed`); those still queued are a gauge read from the store at each scrape.
    static let noticesCounter = "partnering_notices_total"

    private var queue: any NoticeQueueRepository { service.repositories.notices }

    /// Claims, writes and marks one batch of due notices; returns how many it took.
    @discardableResult
    public func dispatchDue() async throws -> Int {
        let now = service.dependencies.now()
        let claimed = try await queue.claim(limit: batchSize, now: now, leaseEnd: now.addingTimeInterval(lease))
        guard !claimed.isEmpty else { return 0 }
        var notices: [Notice] = []
        do {
            let records = try await service.records(of: claimed)
            for item in claimed {
                try Task.checkCancellation()
                if let notice = try await service.resolve(item, records: records) { notices.append(notice) }
            }
            try await notifier.deliver(notices)
        } catch is CancellationError {
            // Stopped mid-batch (shutdown): nothing of the batch was written; the notices
            // are due again at once, for the shutdown flush or the next dispatcher.
            try await queue.release(claimed.map(\.id))
            throw CancellationError()
        } catch {
            // Counted for `/metrics`; the notices are due again when their lease ends.
            Counter(label: Self.noticesCounter, dimensions: [("result", "failed")]).increment(by: claimed.count)
            throw error
        }
        try await queue.markSent(claimed.map(\.id))
        Counter(label: Self.noticesCounter, dimensions: [("result", "written")]).increment(by: notices.count)
        return claimed.count
    }

    /// Dispatches until the task is cancelled: at once when this process queued notices,
    /// otherwise every `pollInterval` (notices of other processes, expired leases).
    public func run(pollInterval: Duration = .seconds(1)) async {
        while !Task.isCancelled {
            var dispatched = 0
            do { dispatched = try await dispatchDue() } catch is CancellationError { return } catch { report(error) }
            if dispatched == 0 { await service.noticesQueued.wait(upTo: pollInterval) }
        }
    }

    /// Dispatches what is due now, batch after batch, until nothing is due or `budget` has
    /// passed (shutdown); a batch under way when the budget ends is given up between two
    /// messages and its notices released. What is left stays queued in the store for the
    /// next start or another dispatcher: a stopping process writes what it can in its grace
    /// period, and a backlog of hundreds of e-mails never keeps it from exiting.
    public func flush(within budget: Duration = .seconds(5)) async throws {
        // Small batches: the budget is checked between them as well.
        let dispatcher = NoticeDispatcher(
            service: service, notifier: notifier, batchSize: min(batchSize, 16), lease: lease, report: report)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while try await dispatcher.dispatchDue() > 0 {}
            }
            group.addTask { try? await Task.sleep(for: budget) }
            // Whichever ends first (all written, or the budget spent) ends the other.
            do {
                try await group.next()
            } catch is CancellationError {}
            group.cancelAll()
            while let _ = try? await group.next() {}
        }
    }

    /// Returns once every notice queued so far was written, including those claimed by
    /// another dispatcher (tests).
    public func drain() async throws {
        while try await queue.pendingCount() > 0 {
            if try await dispatchDue() == 0 { try await Task.sleep(for: .milliseconds(20)) }
        }
    }
}

/// The participants a batch of queued notices goes to, and the valid tickets of those
/// confirmed, read with one statement each for the whole batch rather than two per notice.
struct NoticeRecords: Sendable {
    var participants: [ParticipantID: Participant]
    var tickets: [ParticipantID: IssuedTicket]
}

extension RegistrationService {
    /// The records `items` refer to, as they are now.
    func records(of items: [QueuedNotice]) async throws -> NoticeRecords {
        let confirmed = items.filter { $0.kind == .registrationConfirmed }.map(\.participant)
        return NoticeRecords(
            participants: try await repositories.participants.find(ids: items.map(\.participant)),
            tickets: try await repositories.tickets.current(of: confirmed))
    }

    /// The notice a queued one stands for, with the records as they are now (`records`,
    /// read for its batch) and fresh links; `nil` when what it refers to is gone (an erased
    /// participant): nothing to write.
    func resolve(_ item: QueuedNotice, records: NoticeRecords) async throws -> Notice? {
        guard let participant = records.participants[item.participant] else { return nil }
        switch item.kind {
        case .registrationReceived:
            return .registrationReceived(participant, accessURL: accessURL(for: participant))
        case .registrationConfirmed:
            guard let tickets,
                let ticket = try await issuedTicket(of: participant.id, valid: records.tickets[participant.id])
            else { return nil }
            return .registrationConfirmed(
                participant,
                ticket: IssuedTicketText(
                    ticketID: ticket.claims.ticketID.hex, token: try tickets.token(for: ticket.claims)),
                accessURL: accessURL(for: participant))
        case .accessLink:
            let link = signer.sign(.access, subject: participant.id.rawValue)
            // The link's id comes from the queued notice: written twice, it is one message.
            return .accessLink(
                participant, url: ReturnPath.appending(item.detail, to: baseURL + "/access/" + link.token),
                linkID: "lnk-" + item.id,
                expiresAt: link.expiresAt)
        case .waitlistPromoted:
            return .waitlistPromoted(participant, accessURL: accessURL(for: participant))
        case .registrationCancelled:
            return .registrationCancelled(participant, reason: item.detail)
        case .registrationRejected:
            return .registrationRejected(participant, reason: item.detail)
        case .requestReceived:
            guard let request = try await request(item.reference),
                let sender = try await repositories.participants.find(id: request.from)
            else { return nil }
            return .requestReceived(
                request, from: sender, to: participant, requestsURL: requestPageURL(request, for: participant))
        case .requestAccepted, .requestDeclined:
            guard let request = try await request(item.reference),
                let recipient = try await repositories.participants.find(id: request.to)
            else { return nil }
            let requestsURL = requestPageURL(request, for: participant)
            return item.kind == .requestAccepted
                ? .requestAccepted(request, from: participant, to: recipient, requestsURL: requestsURL)
                : .requestDeclined(request, from: participant, to: recipient, requestsURL: requestsURL)
        case .agenda:
            guard let version = item.reference.flatMap(Int.init) else { return nil }
            return .agenda(participant, version: version, previous: item.detail.flatMap(Int.init))
        case .feedbackInvitation:
            let link = signer.sign(
                .access, subject: participant.id.rawValue, lifetime: MeetingFeedbackService.linkLifetime)
            return .feedbackInvitation(
                participant,
                feedbackURL: ReturnPath.appending(
                    MeetingFeedbackService.pagePath, to: baseURL + "/access/" + link.token),
                meetingCount: item.detail.flatMap(Int.init) ?? 0)
        }
    }

    /// The participant's `valid` ticket (read with the batch), or without one the ticket
    /// their confirmation issued (revoked since, by a cancellation), read by its id.
    func issuedTicket(of participant: ParticipantID, valid: IssuedTicket?) async throws -> IssuedTicket? {
        if let valid { return valid }
        guard let id = TicketID(bytes: ticketID(of: participant)) else { return nil }
        return try await repositories.tickets.find(id)
    }

    /// The page of one request, in the language of the participant the message goes to.
    private func requestPageURL(_ request: MeetingRequest, for participant: Participant) -> String {
        pageURL("/me/requests/" + request.id.rawValue, for: participant)
    }

    private func request(_ reference: String?) async throws -> MeetingRequest? {
        guard let reference else { return nil }
        return try await repositories.requests.find(id: RequestID(reference))
    }
}
