import Foundation

/// One line of the audit log: who did what to whom, and when.
public struct AuditEntry: Sendable, Hashable {
    /// Assigned by the store, increasing in the order entries were appended; 0 before.
    public var sequence: Int
    public var time: Date
    /// Who acted: `organiser:alice`, `participant:p-12`, `desk:2`, `system`.
    public var actor: String
    /// What was done, a stable code: `registration.approve`, `checkin.refused`...
    public var action: String
    /// What it was done to (a participant id, a schedule version...).
    public var subject: String
    /// Further details, usually JSON.
    public var details: String

    public init(
        sequence: Int = 0, time: Date, actor: String, action: String, subject: String,
        details: String = ""
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
    }
}

/// Which audit entries to list; newest first, at most `limit`.
public struct AuditFilter: Sendable, Hashable {
    public var actor: String?
    public var action: String?
    public var subject: String?
    public var limit: Int?

    public init(actor: String? = nil, action: String? = nil, subject: String? = nil, limit: Int? = nil) {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.limit = limit
    }

    public static let all = AuditFilter()

    public func matches(_ entry: AuditEntry) -> Bool {
        if let actor, entry.actor != actor { return false }
        if let action, entry.action != action { return false }
        if let subject, entry.subject != subject { return false }
        return true
    }
}

/// An append-only log of organiser actions, check-in scans and other events worth tracing.
public protocol AuditLogRepository: Sendable {
    /// Appends an entry and returns it with its sequence number.
    func append(_ entry: AuditEntry) async throws -> AuditEntry
    /// Matching entries, newest first.
    func list(_ filter: AuditFilter) async throws -> [AuditEntry]
}
