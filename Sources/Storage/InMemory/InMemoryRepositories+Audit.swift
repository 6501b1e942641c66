import Foundation
import PartneringCore

extension InMemoryRepositories: AuditLogRepository {
    public func append(_ entry: AuditEntry) async throws -> AuditEntry {
        appendEntry(entry)
    }

    @discardableResult
    func appendEntry(_ entry: AuditEntry) -> AuditEntry {
        var stored = entry
        stored.sequence = auditEntries.count + 1
        auditEntries.append(stored)
        return stored
    }

    public func list(_ filter: AuditFilter) async throws -> [AuditEntry] {
        let matching = auditEntries.reversed().filter(filter.matches)
        if let limit = filter.limit { return Array(matching.prefix(max(0, limit))) }
        return matching
    }
}
