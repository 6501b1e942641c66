import Foundation
import PartneringCore
import SQLKit

/// How a meeting request maps onto a row of `meeting_requests`.
enum MeetingRequestRow {
    static let table = "meeting_requests"

    static func decode(_ row: any SQLRow) throws -> MeetingRequest {
        let rawPriority = try row.decode(column: "priority", as: Int.self)
        guard let priority = Priority(rawValue: rawPriority) else {
            throw StorageError.corruptValue(table: table, column: "priority", value: "\(rawPriority)")
        }
        let rawStatus = try row.decode(column: "status", as: String.self)
        guard let status = RequestStatus(rawValue: rawStatus) else {
            throw StorageError.corruptValue(table: table, column: "status", value: rawStatus)
        }
        let slots =
            try row.decodeNil(column: "slots")
            ? nil
            : try JSONColumn.decode(
                [SlotID].self, from: row.decode(column: "slots", as: String.self), table: table,
                column: "slots")
        return MeetingRequest(
            id: RequestID(try row.decode(column: "id", as: String.self)),
            from: ParticipantID(try row.decode(column: "from_id", as: String.self)),
            to: ParticipantID(try row.decode(column: "to_id", as: String.self)),
            priority: priority,
            message: try row.decode(column: "message", as: String.self),
            status: status,
            slots: slots,
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)))
    }
}

/// Meeting requests in a SQL database.
struct SQLMeetingRequestRepository: MeetingRequestRepository {
    let backend: SQLBackend

    func create(_ request: MeetingRequest, openRequestLimit: Int?, followUp: FollowUp) async throws
        -> MeetingRequest
    {
        try await backend.write { sql in
            // Holding the sender's row makes count-then-insert atomic per sender.
            try await backend.lockParticipant(request.from, sql)
            for id in [request.from, request.to] {
                guard try await ParticipantQueries.find(id: id, sql) != nil else {
                    throw RepositoryError.unknownRequestParticipant(id)
                }
            }
            if try await find(id: request.id, sql) != nil {
                throw RepositoryError.duplicateID(request.id.rawValue)
            }
            if let limit = openRequestLimit, try await openCount(from: request.from, sql) >= limit {
                throw RepositoryError.openRequestLimitReached(request.from, limit: limit)
            }
            try await sql.insert(into: MeetingRequestRow.table)
                .columns("id", "from_id", "to_id", "priority", "message", "status", "slots", "created_at")
                .values(
                    SQLBind(request.id.rawValue), SQLBind(request.from.rawValue),
                    SQLBind(request.to.rawValue), SQLBind(request.priority.rawValue),
                    SQLBind(request.message), SQLBind(request.status.rawValue),
                    ParticipantRow.bindOrNull(request.slots.map { JSONColumn.encode($0) }),
                    SQLBind(request.createdAt.timeIntervalSince1970)
                )
                .run()
            try await backend.apply(followUp, sql)
            return request
        }
    }

    func find(id: RequestID) async throws -> MeetingRequest? {
        try await find(id: id, try backend.sql())
    }

    func updateStatus(
        _ id: RequestID, to status: RequestStatus, followUp: @escaping @Sendable (MeetingRequest) -> FollowUp
    ) async throws -> MeetingRequest {
        try await backend.write { sql in
            guard var request = try await find(id: id, sql) else {
                throw RepositoryError.requestNotFound(id)
            }
            try await backend.apply(followUp(request), sql)
            try await sql.update(MeetingRequestRow.table)
                .set("status", to: status.rawValue)
                .where("id", .equal, id.rawValue)
                .run()
            request.status = status
            return request
        }
    }

    func list(_ filter: RequestFilter) async throws -> [MeetingRequest] {
        var query = try backend.sql().select().column("*").from(MeetingRequestRow.table)
        if let from = filter.from { query = query.where("from_id", .equal, from.rawValue) }
        if let to = filter.to { query = query.where("to_id", .equal, to.rawValue) }
        if let involving = filter.involving {
            query = query.where { group in
                group.where("from_id", .equal, involving.rawValue)
                    .orWhere("to_id", .equal, involving.rawValue)
            }
        }
        if let statuses = filter.statuses {
            // An empty set matches nothing; SQL has no empty `IN ()`.
            query =
                statuses.isEmpty
                ? query.where(SQLRaw("1 = 0")) : query.where("status", .in, statuses.map(\.rawValue).sorted())
        }
        return try await query.orderBy("created_at").orderBy("id").all()
            .map(MeetingRequestRow.decode)
    }

    func countOpen(from participant: ParticipantID) async throws -> Int {
        try await openCount(from: participant, try backend.sql())
    }

    private func find(id: RequestID, _ sql: any SQLDatabase) async throws -> MeetingRequest? {
        try await sql.select().column("*").from(MeetingRequestRow.table)
            .where("id", .equal, id.rawValue)
            .first().map(MeetingRequestRow.decode)
    }

    private func openCount(from participant: ParticipantID, _ sql: any SQLDatabase) async throws -> Int {
        let open = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
        let row = try await sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(MeetingRequestRow.table)
            .where("from_id", .equal, participant.rawValue)
            .where("status", .in, open)
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
