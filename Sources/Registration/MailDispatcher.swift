import Foundation
import Logging
import Mail
import PartneringCore
import Synchronization
import ThreadSupport
import Tickets

/// Turns the notices queued in the store into e-mails in the outbox, in the background:
/// a registration answers without waiting for composing (QR codes) or for files to reach
/// the disk. One worker task runs the store's ``NoticeDispatcher`` on a thread of lower CPU
/// priority than requests (`DedicatedThreadExecutor`): during a burst of registrations,
/// answers come first and the outbox catches up after. The notices themselves were
/// committed with the operations that caused them, so nothing is lost when the process
/// dies: the next dispatcher (after a restart, or in another process) writes them.
///
/// The rule (which notice becomes which message, with which values) lives here, beside the
/// notices; the server only wires it and runs it as a background service
/// (`BackgroundWork.notices`).
public final class MailDispatcher: Sendable {
    private let writer: OutboxNotifier
    private let executor = DedicatedThreadExecutor(name: "partnering-mail", niceness: 19)
    private let worker = Mutex<Task<Void, Never>?>(nil)
    private let logger: Logger
    public let dispatcher: NoticeDispatcher

    /// - Parameters:
    ///   - agendas: composes the agenda messages of published schedules (the schedule
    ///     publication); every other notice is composed here.
    ///   - service: the registration service whose queued notices are dispatched.
    public init(
        composer: MailComposer, outbox: Outbox, event: EventDefinition, agendas: any AgendaDrafting,
        service: RegistrationService, logger: Logger
    ) {
        let writer = OutboxNotifier(
            composer: composer, outbox: outbox, event: event, agendas: agendas, logger: logger)
        self.writer = writer
        self.logger = logger
        dispatcher = NoticeDispatcher(service: service, notifier: writer) { error in
            logger.error("cannot dispatch notices", metadata: ["error": "\(error)"])
        }
    }

    /// The outbox folder.
    public var outboxDirectory: URL { writer.outbox.directory }

    /// Starts the worker (once).
    public func start() {
        worker.withLock { worker in
            guard worker == nil else { return }
            worker = Task(executorPreference: executor) { [dispatcher] in await dispatcher.run() }
        }
    }

    /// Stops the worker (a batch under way is given up between two messages and its
    /// notices released), then writes what is due for a few seconds at most (shutdown; the
    /// rest stays queued, see ``NoticeDispatcher/flush(within:)``). The flush runs on a
    /// thread of ordinary priority: the process no longer answers requests, and at the mail
    /// thread's low priority a loaded machine could starve it past the grace period.
    public func stop() async {
        let task = worker.withLock { worker in
            defer { worker = nil }
            return worker
        }
        task?.cancel()
        await task?.value
        let shutdownThread = DedicatedThreadExecutor(name: "partnering-flush")
        defer { shutdownThread.shutdown() }
        await run(on: shutdownThread) { try await $0.flush() }
    }

    /// Returns once every notice queued so far is in the outbox (tests).
    public func drain() async {
        await run(on: executor) { try await $0.drain() }
    }

    private func run(
        on executor: DedicatedThreadExecutor, _ body: @escaping @Sendable (NoticeDispatcher) async throws -> Void
    ) async {
        let dispatcher = dispatcher
        let logger = logger
        await Task(executorPreference: executor) {
            do { try await body(dispatcher) } catch {
                logger.error("cannot dispatch notices", metadata: ["error": "\(error)"])
            }
        }.value
    }
}

/// Writes notices into the outbox as e-mails, a batch with one flush to disk. The outbox
/// writes one message per cause, so writing a notice again writes nothing.
struct OutboxNotifier: Notifier {
    let composer: MailComposer
    let outbox: Outbox
    let event: EventDefinition
    /// Composes the agendas of published schedules, a batch at a time.
    let agendas: any AgendaDrafting
    let logger: Logger

    func deliver(_ notices: [Notice]) async throws {
        var drafts: [MessageDraft] = []
        var agendas: [(participant: Participant, version: Int, previous: Int?)] = []
        // Composing (QR codes, agendas) is where a batch spends its time: a dispatcher that
        // is stopping gives the batch up between two messages (nothing was written yet).
        for notice in notices {
            try Task.checkCancellation()
            if case .agenda(let participant, let version, let previous) = notice {
                agendas.append((participant, version, previous))
                continue
            }
            do { drafts.append(try draft(for: notice)) } catch { refused(error) }
        }
        let published = try await self.agendas.drafts(for: agendas)
        for error in published.refused { refused(error) }
        var messages: [ComposedMessage] = []
        for draft in drafts + published.drafts {
            try Task.checkCancellation()
            do { messages.append(try composer.compose(draft)) } catch { refused(error) }
        }
        _ = try await outbox.deliver(messages)
    }

    /// A message that cannot be written fails the same way every time (an address the
    /// mail layer refuses): it is reported, and the others go out.
    private func refused(_ error: any Error) {
        logger.error("cannot compose a message", metadata: ["error": "\(error)"])
    }

    /// The message of every notice but agendas (see ``AgendaDrafting``).
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
            return MessageDraft(
                kind: .accessLink, language: language, recipient: address,
                values: [
                    "link_id": linkID, "access_url": url,
                    "expires_at": EventDateText(timeZone: event.timeZone).dayAndTime(expiresAt, in: language),
                ])
        case .waitlistPromoted(_, let url):
            return MessageDraft(
                kind: .waitlistPromoted, language: language, recipient: address,
                values: common.merging(["access_url": url]) { $1 })
        case .registrationCancelled(_, let reason), .registrationRejected(_, let reason):
            var values = ["participant_id": recipient.id.rawValue]
            if let reason { values["reason"] = reason }
            let kind: MessageKind =
                if case .registrationRejected = notice { .registrationRejected } else { .registrationCancelled }
            return MessageDraft(kind: kind, language: language, recipient: address, values: values)
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
        case .feedbackInvitation(_, let url, let count):
            return MessageDraft(
                kind: .feedbackInvitation, language: language, recipient: address,
                values: ["participant_id": recipient.id.rawValue, "meeting_count": String(count), "feedback_url": url])
        case .agenda:
            throw NoticeMailError(description: "agendas are composed by the schedule publication")
        }
    }
}

/// A notice that has no message of its own (agendas go through ``AgendaDrafting``).
struct NoticeMailError: Error, CustomStringConvertible {
    var description: String
}
