import Foundation
import Logging
import Mail
import PartneringCore
import Registration
import Synchronization
import ThreadSupport
import Tickets

/// Writes notices to the mail outbox in the background, in batches, so that a
/// registration answers without waiting for composing (QR codes) or for files to
/// reach the disk. Queuing takes a lock for an instant; one worker task composes and
/// writes, on a thread of lower CPU priority than requests (`DedicatedThreadExecutor`):
/// during a burst of registrations, answers come first and the outbox catches up after.
/// ``drain()`` waits until everything queued is written (tests; shutdown).
public final class MailDispatcher: Notifier {
    private struct State {
        var queue: [Notice] = []
        var isRunning = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let composer: MailComposer
    private let outbox: Outbox
    private let event: EventDefinition
    private let logger: Logger
    private let state = Mutex(State())
    private let executor = DedicatedThreadExecutor(name: "partnering-mail", niceness: 19)

    init(composer: MailComposer, outbox: Outbox, event: EventDefinition, logger: Logger) {
        self.composer = composer
        self.outbox = outbox
        self.event = event
        self.logger = logger
    }

    /// The outbox folder.
    public var outboxDirectory: URL { outbox.directory }

    public func send(_ notice: Notice) async {
        let startWorker = state.withLock { state in
            state.queue.append(notice)
            defer { state.isRunning = true }
            return !state.isRunning
        }
        if startWorker { Task(executorPreference: executor) { await self.run() } }
    }

    /// Returns once every notice queued so far is in the outbox.
    public func drain() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                if state.isRunning { state.waiters.append(continuation) }
                return !state.isRunning
            }
            if idle { continuation.resume() }
        }
    }

    private func run() async {
        while true {
            let batch: [Notice] = state.withLock { state in
                defer { state.queue.removeAll() }
                return state.queue
            }
            if batch.isEmpty {
                let waiters: [CheckedContinuation<Void, Never>]? = state.withLock { state in
                    // Another notice may have arrived since the batch was taken.
                    guard state.queue.isEmpty else { return nil }
                    state.isRunning = false
                    defer { state.waiters.removeAll() }
                    return state.waiters
                }
                guard let waiters else { continue }
                for waiter in waiters { waiter.resume() }
                return
            }
            var messages: [ComposedMessage] = []
            for notice in batch {
                do {
                    messages.append(try composer.compose(draft(for: notice)))
                } catch {
                    logger.error("cannot compose a message", metadata: ["error": "\(error)"])
                }
            }
            do {
                _ = try await outbox.deliver(messages)
            } catch {
                logger.error("cannot write to the outbox", metadata: ["error": "\(error)"])
            }
        }
    }

    private func draft(for notice: Notice) throws -> MessageDraft {
        let recipient = notice.recipient
        let language = recipient.language
        let address = try MailAddress(recipient.email, name: recipient.name, field: "email")
        let categoryName = event.category(recipient.category)?.name[language] ?? recipient.category.rawValue
        let common = ["participant_id": recipient.id.rawValue, "category_name": categoryName]
        switch notice {
        case .registrationReceived(_, let url):
            return MessageDraft(
                kind: .registrationReceived, language: language, recipient: address,
                values: common.merging(["access_url": url]) { $1 })
        case .registrationConfirmed(let participant, let ticket, let url):
            let image = try QRMatrix(alphanumeric: ticket.token).png(scale: 6)
            return MessageDraft(
                kind: .registrationConfirmed, language: language, recipient: address,
                values: common.merging([
                    "participant_number": String(format: "%03d", participant.number), "ticket_token": ticket.token,
                    "access_url": url,
                ]) { $1 }, ticketImage: Data(image))
        case .accessLink(_, let url, let linkID, let expiresAt):
            // "jeudi 1er octobre 2026 à 18:00" in the event's zone, written like the other dates of messages.
            let dates = DateText(timeZone: event.timeZone)
            let expiry = "\(dates.day(expiresAt, language)) \(language == .fr ? "à" : "at") \(dates.time(expiresAt))"
            return MessageDraft(
                kind: .accessLink, language: language, recipient: address,
                values: ["link_id": linkID, "access_url": url, "expires_at": expiry])
        case .waitlistPromoted(_, let url):
            return MessageDraft(
                kind: .waitlistPromoted, language: language, recipient: address,
                values: common.merging(["access_url": url]) { $1 })
        case .registrationCancelled(_, let reason):
            var values = ["participant_id": recipient.id.rawValue]
            if let reason { values["reason"] = reason }
            return MessageDraft(kind: .registrationCancelled, language: language, recipient: address, values: values)
        case .requestReceived(let request, let from, _, let url):
            return MessageDraft(
                kind: .requestReceived, language: language, recipient: address,
                values: [
                    "request_id": request.id.rawValue, "requester_name": from.name,
                    "requester_organisation": from.organisation, "requester_job_title": from.jobTitle,
                    "request_message": request.message, "requests_url": url,
                ])
        case .requestAccepted(let request, _, let to, let url), .requestDeclined(let request, _, let to, let url):
            let accepted = if case .requestAccepted = notice { true } else { false }
            return MessageDraft(
                kind: accepted ? .requestAccepted : .requestDeclined, language: language, recipient: address,
                values: [
                    "request_id": request.id.rawValue, "counterpart_name": to.name,
                    "counterpart_organisation": to.organisation, "requests_url": url,
                ])
        }
    }
}
