import Foundation
import PartneringCore

/// What the outbox remembers of a message: organisers list these, and the cause makes
/// sending idempotent.
public struct MessageRecord: Sendable, Hashable, Codable {
    /// The Message-ID's part before `@`.
    public let id: String
    public let kind: MessageKind
    public let language: Language
    /// The recipient's address.
    public let recipient: String
    public let subject: String
    /// Why the message exists; unique among records.
    public let cause: String
    /// The file's name in the outbox (in `new/` until a relay takes it).
    public let file: String
    /// When the message was written.
    public let createdAt: Date

    public init(
        id: String, kind: MessageKind, language: Language, recipient: String, subject: String, cause: String,
        file: String, createdAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.language = language
        self.recipient = recipient
        self.subject = subject
        self.cause = cause
        self.file = file
        self.createdAt = createdAt
    }
}

/// The record of every message written, keyed by cause.
///
/// The outbox keeps its own file-backed log (`FileMessageLog`); storage can provide
/// another one (a table with a unique index on the cause) without changing the outbox.
public protocol MessageLog: Sendable {
    /// The record holding `cause`, if a message was written for it.
    func record(forCause cause: String) async throws -> MessageRecord?
    /// Records each message unless its cause is already held, atomically with respect to
    /// other writers; returns, in order, the record that holds each cause: the new one,
    /// or the one recorded earlier (the caller then drops its copy).
    func insert(_ records: [MessageRecord]) async throws -> [MessageRecord]
    /// Every record, oldest first.
    func allRecords() async throws -> [MessageRecord]
}

/// A log held in memory, for tests and previews.
public actor InMemoryMessageLog: MessageLog {
    private var records: [MessageRecord] = []
    private var byCause: [String: MessageRecord] = [:]

    public init() {}

    public func record(forCause cause: String) -> MessageRecord? { byCause[cause] }

    public func insert(_ newRecords: [MessageRecord]) -> [MessageRecord] {
        newRecords.map { record in
            if let existing = byCause[record.cause] { return existing }
            byCause[record.cause] = record
            records.append(record)
            return record
        }
    }

    public func allRecords() -> [MessageRecord] { records }
}
